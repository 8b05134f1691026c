package agent

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/quayside/quayside/internal/docker"
	"github.com/quayside/quayside/internal/ecs"
)

// networkMode is the task's effective network mode: FARGATE tasks are
// always awsvpc; EC2 tasks default to bridge, as on ECS.
func (r *runner) networkMode() ecs.NetworkMode { return networkModeOf(r.def, r.task) }

// networkModeOf is networkMode for a given snapshot of the task, for
// readers outside the runner's goroutine.
func networkModeOf(def ecs.TaskDefinition, t ecs.Task) ecs.NetworkMode {
	if def.NetworkMode != "" {
		return def.NetworkMode
	}
	if t.LaunchType == ecs.LaunchTypeFargate {
		return ecs.NetworkModeAWSVPC
	}
	return ecs.NetworkModeBridge
}

// labels are the Docker labels of everything this task owns.
func (r *runner) labels(role, container string) map[string]string {
	return r.labelsFor(r.task, role, container)
}

// labelsFor is labels for a given snapshot of the task, for readers
// outside the runner's goroutine (r.key, r.def and the agent's ID never
// change).
func (r *runner) labelsFor(t ecs.Task, role, container string) map[string]string {
	l := map[string]string{
		LabelManaged: "true", LabelAgent: r.a.cfg.ID, LabelRole: role, LabelTaskKey: r.key,
		LabelTaskARN: t.ARN, LabelCluster: t.ClusterARN,
		LabelFamily: r.def.Family, LabelRevision: fmt.Sprint(r.def.Revision),
	}
	if container != "" {
		l[LabelContainerName] = container
	}
	return l
}

var unsafeName = regexp.MustCompile(`[^a-zA-Z0-9_.-]`)

// dockerName is the Docker name of one of the task's containers, in the
// ECS agent's style: ecs-<family>-<revision>-<container>-<task id>.
func (r *runner) dockerName(container string) string {
	return unsafeName.ReplaceAllString(fmt.Sprintf("ecs-%s-%d-%s-%s", r.def.Family, r.def.Revision, container, r.task.ID), "-")
}

// discover finds the Docker containers the task already has, so that a
// restarted agent adopts them instead of creating them again.
func (r *runner) discover(ctx context.Context) error {
	list, err := r.a.docker.ContainerList(ctx, docker.ContainerListOptions{All: true,
		Filters: docker.Filters{"label": {LabelTaskKey + "=" + r.key}}})
	if err != nil {
		return retry(err)
	}
	for _, c := range list {
		switch c.Labels[LabelRole] {
		case "pause":
			r.pauseID = c.ID
		case "container":
			r.ids[c.Labels[LabelContainerName]] = c.ID
		}
	}
	return nil
}

// provision gives the task its network: for awsvpc, a pause container on
// the task network that holds the namespace every container joins. The
// ENI attachment gets the address, as Fargate attaches an ENI.
func (r *runner) provision(ctx context.Context) error {
	if err := r.discover(ctx); err != nil {
		return err
	}
	if r.needsPause() {
		if err := r.ensurePause(ctx); err != nil {
			return err
		}
	}
	return r.transition(ctx, ecs.TaskPending, func(t *ecs.Task) {
		t.Connectivity, t.ConnectivityAt = ecs.Connected, r.a.now()
		if r.taskIP == "" {
			return
		}
		for i := range t.Attachments {
			at := &t.Attachments[i]
			if at.Type != ecs.AttachmentTypeENI {
				continue
			}
			at.Status = ecs.AttachmentAttached
			setDetail(at, ecs.DetailPrivateIPv4Address, r.taskIP)
			setDetail(at, ecs.DetailMACAddress, r.taskMAC(ctx))
			setDetail(at, ecs.DetailPrivateDNSName, "ip-"+strings.ReplaceAll(r.taskIP, ".", "-")+".ec2.internal")
			for j := range t.Containers {
				t.Containers[j].NetworkInterfaces = []ecs.NetworkInterface{{AttachmentID: at.ID, PrivateIPv4Address: r.taskIP}}
			}
		}
	})
}

func setDetail(a *ecs.Attachment, name, value string) {
	for i := range a.Details {
		if a.Details[i].Name == name {
			a.Details[i].Value = value
			return
		}
	}
	a.Details = append(a.Details, ecs.KeyValuePair{Name: name, Value: value})
}

// needsPause reports whether the task needs a pause container: for its
// awsvpc network namespace, or for the IPC or PID namespace its
// containers share with pidMode or ipcMode "task".
func (r *runner) needsPause() bool {
	return r.networkMode() == ecs.NetworkModeAWSVPC || r.def.PIDMode == ecs.PIDModeTask || r.def.IPCMode == ecs.IPCModeTask
}

func (r *runner) ensurePause(ctx context.Context) error {
	awsvpc := r.networkMode() == ecs.NetworkModeAWSVPC
	if r.pauseID == "" {
		host := &docker.HostConfig{NetworkMode: "none", IpcMode: "shareable"}
		if awsvpc {
			host.NetworkMode = TaskNetwork
		}
		id, err := r.a.docker.ContainerCreate(ctx, r.dockerName("internalecspause"),
			&docker.ContainerConfig{Image: PauseImage, Labels: r.labels("pause", ""), Hostname: "ip-" + r.task.ID[:8]},
			host, nil)
		if docker.IsConflict(err) {
			return retry(r.discover(ctx))
		}
		if docker.IsNotFound(err) {
			// The pause image was removed since start-up: build it again.
			return retry(ensurePauseImage(ctx, r.a.docker))
		}
		if err != nil {
			return retry(fmt.Errorf("create the pause container: %w", err))
		}
		r.pauseID = id
	}
	c, err := r.a.docker.ContainerInspect(ctx, r.pauseID)
	if err != nil {
		return retry(err)
	}
	if !c.State.Running {
		if err := r.a.docker.ContainerStart(ctx, r.pauseID); err != nil {
			return retry(fmt.Errorf("start the pause container: %w", err))
		}
		if c, err = r.a.docker.ContainerInspect(ctx, r.pauseID); err != nil {
			return retry(err)
		}
	}
	if !awsvpc {
		return nil
	}
	ep := c.NetworkSettings.Networks[TaskNetwork]
	if ep == nil || ep.IPAddress == "" {
		return retry(fmt.Errorf("the pause container has no address on %s", TaskNetwork))
	}
	r.taskIP = ep.IPAddress
	return nil
}

func (r *runner) taskMAC(ctx context.Context) string {
	c, err := r.a.docker.ContainerInspect(ctx, r.pauseID)
	if err != nil || c.NetworkSettings.Networks[TaskNetwork] == nil {
		return ""
	}
	return c.NetworkSettings.Networks[TaskNetwork].MacAddress
}
