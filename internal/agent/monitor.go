package agent

import (
	"context"
	"reflect"
	"strconv"
	"strings"

	"github.com/quayside/quayside/internal/docker"
	"github.com/quayside/quayside/internal/ecs"
)

// observed is what Docker says of one container, in ECS terms.
func observed(c *docker.Container, prev ecs.Container) ecs.Container {
	out := prev
	out.RuntimeID = c.ID
	switch c.State.Status {
	case "created":
		out.LastStatus = ecs.ContainerPending
	case "running", "paused", "restarting":
		out.LastStatus = ecs.ContainerRunning
	default:
		out.LastStatus = ecs.ContainerStopped
		code := c.State.ExitCode
		out.ExitCode = &code
		if c.State.OOMKilled {
			out.Reason = "OutOfMemoryError: Container killed due to memory usage"
		} else if c.State.Error != "" && out.Reason == "" {
			out.Reason = c.State.Error
		}
	}
	out.HealthStatus = ecs.HealthUnknown
	if h := c.State.Health; h != nil {
		switch h.Status {
		case "healthy":
			out.HealthStatus = ecs.HealthHealthy
		case "unhealthy":
			out.HealthStatus = ecs.HealthUnhealthy
		}
	}
	out.NetworkBindings = nil
	for port, binds := range c.NetworkSettings.Ports {
		p, proto, _ := strings.Cut(port, "/")
		cp, _ := strconv.Atoi(p)
		for _, b := range binds {
			hp, _ := strconv.Atoi(b.HostPort)
			if hp == 0 {
				continue
			}
			out.NetworkBindings = append(out.NetworkBindings, ecs.NetworkBinding{
				BindIP: b.HostIP, ContainerPort: cp, HostPort: hp, Protocol: ecs.TransportProtocol(proto)})
		}
	}
	sortBindings(out.NetworkBindings)
	return out
}

func sortBindings(b []ecs.NetworkBinding) {
	for i := 1; i < len(b); i++ {
		for j := i; j > 0 && less(b[j], b[j-1]); j-- {
			b[j], b[j-1] = b[j-1], b[j]
		}
	}
}

func less(a, b ecs.NetworkBinding) bool {
	if a.ContainerPort != b.ContainerPort {
		return a.ContainerPort < b.ContainerPort
	}
	return a.BindIP < b.BindIP
}

// observe refreshes the containers' observed state from Docker and
// reports it if anything changed.
func (r *runner) observe(ctx context.Context) error {
	next := append([]ecs.Container(nil), r.task.Containers...)
	for i := range next {
		id, ok := r.ids[next[i].Name]
		if !ok {
			continue
		}
		c, err := r.a.docker.ContainerInspect(ctx, id)
		if docker.IsNotFound(err) {
			// Removed behind our back: it is gone, as if it exited.
			if next[i].LastStatus != ecs.ContainerStopped {
				next[i].LastStatus = ecs.ContainerStopped
				next[i].Reason = "container was removed outside Quayside"
			}
			continue
		}
		if err != nil {
			return retry(err)
		}
		next[i] = observed(c, next[i])
	}
	if reflect.DeepEqual(next, r.task.Containers) {
		return nil
	}
	return r.report(ctx, func(t *ecs.Task) { t.Containers = next })
}

// monitor watches a RUNNING task: when an essential container exits, the
// task stops, as ECS stops it.
func (r *runner) monitor(ctx context.Context) (bool, error) {
	before := r.task.Version
	if err := r.observe(ctx); err != nil {
		return false, err
	}
	if stopped, err := r.stopIfEssentialExited(ctx); stopped || err != nil {
		return true, err
	}
	return r.task.Version != before, nil
}

// activate moves an ACTIVATING task to RUNNING, unless an essential
// container already exited: then the task never ran, as ECS reports a
// container that dies at start.
func (r *runner) activate(ctx context.Context) error {
	if err := r.observe(ctx); err != nil {
		return err
	}
	if stopped, err := r.stopIfEssentialExited(ctx); stopped || err != nil {
		return err
	}
	return r.transition(ctx, ecs.TaskRunning, func(t *ecs.Task) { t.StartedAt = r.a.now() })
}

// stopIfEssentialExited stops the task when an essential container has
// exited, with ECS's stop code and reason.
func (r *runner) stopIfEssentialExited(ctx context.Context) (bool, error) {
	essential := map[string]bool{}
	for _, c := range r.def.ContainerDefinitions {
		essential[c.Name] = c.Essential
	}
	for _, c := range r.task.Containers {
		if essential[c.Name] && c.LastStatus == ecs.ContainerStopped {
			return true, r.report(ctx, func(t *ecs.Task) {
				t.DesiredStatus = ecs.TaskStopped
				t.StopCode, t.StoppedReason = ecs.StopEssentialContainerExited, ecs.ReasonEssentialContainerExited
			})
		}
	}
	return false, nil
}
