package agent

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"time"

	"github.com/quayside/quayside/internal/docker"
	"github.com/quayside/quayside/internal/ecs"
)

// defaultStartTimeout is how long a container waits for its dependencies
// when the definition sets no startTimeout (ECS's Fargate default).
const defaultStartTimeout = 3 * time.Minute

// start pulls the images, creates the containers and starts them in
// dependency order. It leaves the task ACTIVATING, or stops it with the
// reason ECS gives when it cannot start.
func (r *runner) start(ctx context.Context) error {
	if err := r.discover(ctx); err != nil {
		return err
	}
	if r.needsPause() {
		if err := r.ensurePause(ctx); err != nil {
			return err
		}
	}
	if reason, err := r.executionRoleDenial(ctx); err != nil {
		return retry(err)
	} else if reason != "" {
		return r.failStart(ctx, reason)
	}
	secrets := map[string]map[string]string{}
	auths := map[string]*docker.AuthConfig{}
	for _, c := range r.def.ContainerDefinitions {
		values, err := r.resolveSecrets(ctx, c)
		if err != nil {
			return r.failStart(ctx, err.Error())
		}
		secrets[c.Name] = values
		logValues, err := r.resolveLogSecrets(ctx, c)
		if err != nil {
			return r.failStart(ctx, err.Error())
		}
		if logValues != nil {
			if r.logSecrets == nil {
				r.logSecrets = map[string]map[string]string{}
			}
			r.logSecrets[c.Name] = logValues
		}
		if a, err := r.repositoryAuth(ctx, c); err != nil {
			return r.failStart(ctx, err.Error())
		} else if a != nil {
			auths[c.Image] = a
		}
	}
	if err := r.pullImages(ctx, auths); err != nil {
		return err
	}
	if r.task.LastStatus == ecs.TaskStopped {
		return nil
	}
	vols, err := r.ensureVolumes(ctx)
	if err != nil || r.task.LastStatus == ecs.TaskStopped {
		return err
	}
	r.vols = vols
	if err := r.prepareLogs(ctx); err != nil || r.task.LastStatus == ecs.TaskStopped {
		return err
	}
	for _, c := range r.def.ContainerDefinitions {
		if _, ok := r.ids[c.Name]; ok {
			continue
		}
		if err := r.create(ctx, c, secrets[c.Name]); err != nil || r.task.LastStatus == ecs.TaskStopped {
			return err
		}
	}
	// Streams named by their container's ID, now that it has one.
	if err := r.prepareLogs(ctx); err != nil || r.task.LastStatus == ecs.TaskStopped {
		return err
	}
	if err := r.startInOrder(ctx); err != nil {
		return err
	}
	if r.task.LastStatus == ecs.TaskStopped || r.desired() == ecs.TaskStopped {
		return nil // stopped during start-up: the next step stops it
	}
	if err := r.observe(ctx); err != nil {
		return err
	}
	return r.transition(ctx, ecs.TaskActivating, nil)
}

// pullImages pulls each image once, recording pullStartedAt and
// pullStoppedAt. An image with no registry host that Docker already has
// is used as it is; anything else is pulled, falling back to a cached
// copy when the pull fails, as the ECS agent's default behaviour does.
func (r *runner) pullImages(ctx context.Context, auths map[string]*docker.AuthConfig) error {
	if !r.task.PullStoppedAt.IsZero() {
		return nil
	}
	started := r.a.now()
	digests := map[string]string{}
	for _, c := range r.def.ContainerDefinitions {
		if _, done := digests[c.Image]; done {
			continue
		}
		img, err := r.a.docker.ImageInspect(ctx, c.Image)
		if err != nil && !docker.IsNotFound(err) {
			return retry(err)
		}
		if img == nil || hasRegistry(c.Image) {
			auth := auths[c.Image]
			if auth == nil {
				auth = r.a.auth(c.Image, r.task.ARN)
			}
			perr := r.a.docker.ImagePull(ctx, c.Image, auth)
			if perr != nil && docker.IsUnreachable(perr) {
				return retry(perr)
			}
			if perr != nil && img == nil {
				return r.failStart(ctx, "CannotPullContainerError: pull image manifest has been retried 1 time(s): failed to resolve ref "+c.Image+": "+perr.Error())
			}
			if img, err = r.a.docker.ImageInspect(ctx, c.Image); err != nil {
				return retry(err)
			}
		}
		digests[c.Image] = imageDigest(img)
	}
	return r.report(ctx, func(t *ecs.Task) {
		t.PullStartedAt, t.PullStoppedAt = started, r.a.now()
		for i := range t.Containers {
			if d, ok := digests[t.Containers[i].Image]; ok {
				t.Containers[i].ImageDigest = d
			}
		}
	})
}

// hasRegistry reports whether an image reference names a registry host:
// its first path component has a dot or a port, or is localhost.
func hasRegistry(ref string) bool {
	first, _, ok := strings.Cut(ref, "/")
	return ok && (strings.ContainsAny(first, ".:") || first == "localhost")
}

// imageDigest is the manifest digest Docker recorded for the image, or
// its ID for an image that never went through a registry.
func imageDigest(img *docker.Image) string {
	for _, rd := range img.RepoDigests {
		if _, d, ok := strings.Cut(rd, "@"); ok {
			return d
		}
	}
	return img.ID
}

func (r *runner) create(ctx context.Context, c ecs.ContainerDefinition, secrets map[string]string) error {
	files := c.EnvironmentFiles
	if o := r.override(c.Name); o != nil && len(o.EnvironmentFiles) > 0 {
		files = append(append([]ecs.EnvironmentFile(nil), files...), o.EnvironmentFiles...)
	}
	envFiles, err := readEnvFiles(files)
	if err != nil {
		return r.failStart(ctx, "ResourceInitializationError: "+err.Error())
	}
	in := SpecInput{EnvFiles: envFiles, Secrets: secrets,
		Task: r.task, TaskDef: r.def, Container: c, Override: r.override(c.Name),
		NetworkMode: r.networkMode(), PauseID: r.pauseID, BridgeNetwork: "bridge",
		Env: r.a.taskEnv(r, c), Labels: r.labels("container", c.Name),
		Name: r.dockerName(c.Name), ContainerIDs: r.ids, Volumes: r.vols, HostCPUs: runtime.NumCPU(),
	}
	cfg, host, netw, err := ContainerSpec(in)
	if err != nil {
		return r.failStart(ctx, "CannotCreateContainerError: "+err.Error())
	}
	id, err := r.a.docker.ContainerCreate(ctx, in.Name, cfg, host, netw)
	if docker.IsConflict(err) {
		return retry(r.discover(ctx))
	}
	if err != nil {
		if docker.IsUnreachable(err) {
			return retry(err)
		}
		return r.failStart(ctx, "CannotCreateContainerError: "+err.Error())
	}
	r.ids[c.Name] = id
	return nil
}

func (r *runner) override(name string) *ecs.ContainerOverride {
	for i := range r.task.Overrides.ContainerOverrides {
		if r.task.Overrides.ContainerOverrides[i].Name == name {
			return &r.task.Overrides.ContainerOverrides[i]
		}
	}
	return nil
}

// startInOrder starts every container once its dependencies reach their
// conditions, waiting at most the container's startTimeout.
func (r *runner) startInOrder(ctx context.Context) error {
	started := map[string]bool{}
	deadline := map[string]time.Time{}
	for {
		pending := 0
		for _, c := range r.def.ContainerDefinitions {
			if started[c.Name] {
				continue
			}
			st, err := r.inspect(ctx, c.Name)
			if err != nil {
				return err
			}
			if st.Status != "created" {
				started[c.Name] = true // adopted: already started once
				r.shipLogs(ctx, c)
				continue
			}
			ok, why, err := r.dependenciesMet(ctx, c)
			if err != nil {
				return err
			}
			if why != "" {
				return r.failStart(ctx, why)
			}
			if !ok {
				timeout := c.StartTimeout
				if timeout <= 0 {
					timeout = defaultStartTimeout
				}
				if deadline[c.Name].IsZero() {
					deadline[c.Name] = r.a.now().Add(timeout)
				}
				if r.a.now().After(deadline[c.Name]) {
					return r.failStart(ctx, fmt.Sprintf("CannotStartContainerError: container %s timed out waiting for its dependencies", c.Name))
				}
				pending++
				continue
			}
			if err := r.a.docker.ContainerStart(ctx, r.ids[c.Name]); err != nil {
				if docker.IsUnreachable(err) {
					return retry(err)
				}
				return r.failStart(ctx, "CannotStartContainerError: "+err.Error())
			}
			started[c.Name] = true
			r.shipLogs(ctx, c)
		}
		if pending == 0 {
			return nil
		}
		if r.desired() == ecs.TaskStopped {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// dependenciesMet reports whether c may start; why is set when it never
// can, because a dependency ended the wrong way.
func (r *runner) dependenciesMet(ctx context.Context, c ecs.ContainerDefinition) (ok bool, why string, err error) {
	for _, d := range c.DependsOn {
		st, err := r.inspect(ctx, d.ContainerName)
		if err != nil {
			return false, "", err
		}
		exited := st.Status == "exited" || st.Status == "dead"
		switch d.Condition {
		case ecs.ConditionStart:
			if st.Status == "created" {
				return false, "", nil
			}
		case ecs.ConditionComplete:
			if !exited {
				return false, "", nil
			}
		case ecs.ConditionSuccess:
			if !exited {
				return false, "", nil
			}
			if st.ExitCode != 0 {
				return false, fmt.Sprintf("CannotStartContainerError: dependency %s of container %s exited with code %d; the SUCCESS condition was not met", d.ContainerName, c.Name, st.ExitCode), nil
			}
		case ecs.ConditionHealthy:
			if exited {
				return false, fmt.Sprintf("CannotStartContainerError: dependency %s of container %s exited before it became HEALTHY", d.ContainerName, c.Name), nil
			}
			if st.Health == nil || st.Health.Status != "healthy" {
				return false, "", nil
			}
		}
	}
	return true, "", nil
}

func (r *runner) inspect(ctx context.Context, name string) (docker.ContainerState, error) {
	id, ok := r.ids[name]
	if !ok {
		return docker.ContainerState{}, retry(fmt.Errorf("container %s was not created", name))
	}
	c, err := r.a.docker.ContainerInspect(ctx, id)
	if err != nil {
		return docker.ContainerState{}, retry(err)
	}
	return c.State, nil
}

// failStart stops a task that could not start: it records the reason
// (stopCode TaskFailedToStart) and desired STOPPED first, so that nothing
// is lost if Docker is unreachable, then releases the task's resources and
// jumps it to STOPPED. An empty reason keeps one already given (a StopTask
// during start-up).
func (r *runner) failStart(ctx context.Context, reason string) error {
	if reason != "" && r.task.StopCode == "" {
		err := r.report(ctx, func(t *ecs.Task) {
			t.DesiredStatus = ecs.TaskStopped
			t.StopCode, t.StoppedReason = ecs.StopTaskFailedToStart, reason
		})
		if err != nil {
			return err
		}
	}
	if err := r.cleanup(ctx); err != nil {
		return err // retried: the next step sees desired STOPPED and comes back here
	}
	now := r.a.now()
	return r.report(ctx, func(t *ecs.Task) {
		t.LastStatus, t.DesiredStatus = ecs.TaskStopped, ecs.TaskStopped
		t.StoppingAt, t.ExecutionStoppedAt, t.StoppedAt = now, now, now
		for i := range t.Containers {
			t.Containers[i].LastStatus = ecs.ContainerStopped
		}
		detachENIs(t)
	})
}
