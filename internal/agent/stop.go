package agent

import (
	"context"
	"sync"
	"time"

	"github.com/quayside/quayside/internal/docker"
	"github.com/quayside/quayside/internal/ecs"
)

// defaultStopTimeout is ECS's stopTimeout default: SIGTERM, then SIGKILL
// this long after.
const defaultStopTimeout = 30 * time.Second

// stopContainers stops the containers, dependents before what they depend
// on: each gets SIGTERM (or its image's stop signal) and, after its
// stopTimeout, SIGKILL. Containers in the same layer stop in parallel.
func (r *runner) stopContainers(ctx context.Context) error {
	if err := r.discover(ctx); err != nil {
		return err
	}
	for _, layer := range stopLayers(r.def.ContainerDefinitions) {
		var wg sync.WaitGroup
		errs := make([]error, len(layer))
		for i, c := range layer {
			id, ok := r.ids[c.Name]
			if !ok {
				continue
			}
			timeout := c.StopTimeout
			if timeout <= 0 {
				timeout = defaultStopTimeout
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				err := r.a.docker.ContainerStop(ctx, id, timeout)
				if err != nil && !docker.IsNotFound(err) {
					errs[i] = err
				}
			}()
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				return retry(err)
			}
		}
	}
	if err := r.observe(ctx); err != nil {
		return err
	}
	return r.transition(ctx, ecs.TaskDeprovisioning, func(t *ecs.Task) {
		t.ExecutionStoppedAt = r.a.now()
	})
}

// stopLayers orders containers for stopping: a container is stopped
// before every container it depends on.
func stopLayers(defs []ecs.ContainerDefinition) [][]ecs.ContainerDefinition {
	dependents := map[string]int{} // how many not-yet-stopped containers depend on each
	for _, c := range defs {
		for _, d := range c.DependsOn {
			dependents[d.ContainerName]++
		}
	}
	done := map[string]bool{}
	var layers [][]ecs.ContainerDefinition
	for len(done) < len(defs) {
		var layer []ecs.ContainerDefinition
		for _, c := range defs {
			if !done[c.Name] && dependents[c.Name] == 0 {
				layer = append(layer, c)
			}
		}
		if len(layer) == 0 { // a cycle (validation forbids it): stop the rest together
			for _, c := range defs {
				if !done[c.Name] {
					layer = append(layer, c)
				}
			}
		}
		for _, c := range layer {
			done[c.Name] = true
			for _, d := range c.DependsOn {
				dependents[d.ContainerName]--
			}
		}
		layers = append(layers, layer)
	}
	return layers
}

// deprovision removes the task's containers and network namespace and
// marks the task STOPPED.
func (r *runner) deprovision(ctx context.Context) error {
	if err := r.cleanup(ctx); err != nil {
		return err
	}
	return r.transition(ctx, ecs.TaskStopped, func(t *ecs.Task) {
		t.StoppedAt = r.a.now()
		detachENIs(t)
	})
}

// cleanup removes every Docker object of the task: containers (with
// their anonymous volumes), the pause container, and task-scoped volumes.
func (r *runner) cleanup(ctx context.Context) error {
	if err := r.discover(ctx); err != nil {
		return err
	}
	r.drainLogs(ctx) // the last lines before an exit are shipped first
	rm := docker.ContainerRemoveOptions{Force: true, RemoveVolumes: true}
	for name, id := range r.ids {
		if err := r.a.docker.ContainerRemove(ctx, id, rm); err != nil && !docker.IsNotFound(err) {
			return retry(err)
		}
		delete(r.ids, name)
	}
	if r.pauseID != "" {
		if err := r.a.docker.ContainerRemove(ctx, r.pauseID, rm); err != nil && !docker.IsNotFound(err) {
			return retry(err)
		}
		r.pauseID = ""
	}
	return r.a.removeTaskVolumes(ctx, r)
}

// detachENIs marks the task's network interfaces deleted, as ECS shows
// them once a task has stopped.
func detachENIs(t *ecs.Task) {
	for i := range t.Attachments {
		if t.Attachments[i].Type == ecs.AttachmentTypeENI {
			t.Attachments[i].Status = ecs.AttachmentDeleted
		}
	}
}
