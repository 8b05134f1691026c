// This file translates an ECS container definition into Docker create
// parameters: ContainerSpec is a pure function of its SpecInput, with no
// Docker calls, no clock and no I/O. The environment lives in
// dockerspec_env.go, CPU, memory and Linux parameters in
// dockerspec_resources.go, and networking, ports and mounts in
// dockerspec_network.go.
//
// Fields of the container definition with no Docker counterpart, and why:
//
//   - essential, dependsOn, startTimeout: the runner's start and stop
//     ordering.
//   - restartPolicy: ECS restarts a container in place, itself, after
//     checking the exit code and restartAttemptPeriod; Docker's own
//     RestartPolicy stays "no" so that the daemon never restarts behind
//     the agent's back.
//   - logConfiguration: Docker's default logging driver is left in place
//     (json-file unless the daemon says otherwise) and the agent ships
//     awslogs itself by reading the container's logs.
//   - firelensConfiguration: accepted and ignored; a FireLens container
//     runs as an ordinary container.
//   - repositoryCredentials, versionConsistency: the image pull.
//   - secrets, environmentFiles: resolved by the caller into
//     SpecInput.Secrets and SpecInput.EnvFiles.
//   - credentialSpecs: Windows (and Linux gMSA) only; ignored.
//   - stopTimeout becomes the container's StopTimeout; StopSignal is left
//     as the image's, as ECS does.
//   - A definition without a healthCheck gets Test ["NONE"], so that a
//     Dockerfile HEALTHCHECK is ignored as it is on ECS.

package agent

import (
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/quayside/quayside/internal/docker"
	"github.com/quayside/quayside/internal/ecs"
	"github.com/quayside/quayside/internal/fault"
)

// SpecInput is everything needed to create one container of a task.
type SpecInput struct {
	Task      ecs.Task
	TaskDef   ecs.TaskDefinition
	Container ecs.ContainerDefinition
	// Override is the container's entry in Task.Overrides, or nil. Its
	// command, environment, cpu, memory and memoryReservation win over
	// the definition's.
	Override *ecs.ContainerOverride
	// NetworkMode is resolved: awsvpc, bridge, host or none (empty means
	// bridge, as ecs.NetworkMode.Effective says).
	NetworkMode ecs.NetworkMode
	// PauseID is the pause container holding an awsvpc task's network
	// namespace; the container joins it as "container:<PauseID>". It is
	// also where pidMode and ipcMode "task" point, in any network mode.
	PauseID string
	// BridgeNetwork is the Docker network of bridge-mode containers;
	// empty means Docker's default "bridge".
	BridgeNetwork string
	// Env holds the agent's variables (AWS_REGION,
	// ECS_CONTAINER_METADATA_URI_V4, ...). Names starting with ECS_ or
	// AWS_CONTAINER_ describe the runtime (metadata and credentials
	// endpoints) and win over everything the user set; the rest
	// (AWS_REGION, AWS_DEFAULT_REGION, AWS_EXECUTION_ENV) are defaults
	// that the user's environment may replace.
	Env []ecs.KeyValuePair
	// Secrets holds resolved secret values by environment variable name;
	// they win over environment, as a secret is the more specific source.
	Secrets map[string]string
	// EnvFiles holds the variables read from environmentFiles (the
	// definition's files, then the override's), in file order; a later
	// line wins over an earlier one, and environment wins over all of
	// them, as ECS documents.
	EnvFiles []ecs.KeyValuePair
	// Volumes maps each task volume name to where it lives.
	Volumes map[string]VolumeSource
	// ContainerIDs maps container names of the task to the Docker IDs of
	// those already created, for volumesFrom.
	ContainerIDs map[string]string
	// Labels are the agent's labels; they win over dockerLabels, so that
	// a definition cannot pose as another task.
	Labels map[string]string
	// Name is the Docker container name, which the caller passes to
	// ContainerCreate; ContainerSpec does not need it.
	Name string
	// HostCPUs is the Docker host's CPU count (docker info's NCPU), or 0
	// if unknown. Docker refuses NanoCPUs above it, so a task-level cpu
	// larger than the host is capped at the whole host.
	HostCPUs int
}

// VolumeSource says where a task volume lives.
type VolumeSource struct {
	// Kind is "bind" (a host path), "volume" (a named Docker volume) or
	// "tmpfs".
	Kind string
	// Source is the host path or the Docker volume name; empty for tmpfs.
	Source string
}

// ContainerSpec returns the Docker create parameters for in.Container,
// or an error for a definition this host cannot honour: ecs.ErrClient
// for a malformed definition, ecs.ErrUnsupportedFeature for one Quayside
// cannot run (GPUs, devices, links), and fault.Internal when the caller
// left out something it must supply (the pause container, a volume, a
// container named by volumesFrom). Fields that are invalid for the launch
// type are rejected at RunTask; here they are mapped as given.
func ContainerSpec(in SpecInput) (*docker.ContainerConfig, *docker.HostConfig, *docker.NetworkingConfig, error) {
	c := &in.Container
	if err := specCheckResources(c, in.Override); err != nil {
		return nil, nil, nil, err
	}
	health, err := specHealthcheck(c)
	if err != nil {
		return nil, nil, nil, err
	}
	cfg := &docker.ContainerConfig{
		Image:       c.Image,
		User:        c.User,
		Env:         specEnv(in),
		Cmd:         specCommand(c, in.Override),
		Entrypoint:  slices.Clone(c.EntryPoint),
		WorkingDir:  c.WorkingDirectory,
		Labels:      specLabels(c.DockerLabels, in.Labels),
		Healthcheck: health,
		StopTimeout: specStopTimeout(c.StopTimeout),
		Tty:         c.PseudoTerminal,
		OpenStdin:   c.Interactive,
	}
	host := &docker.HostConfig{
		Privileged:     c.Privileged,
		ReadonlyRootfs: c.ReadonlyRootFilesystem,
		SecurityOpt:    slices.Clone(c.DockerSecurityOptions),
		Ulimits:        specUlimits(c.Ulimits),
		RestartPolicy:  &docker.RestartPolicy{Name: "no"},
	}
	specResources(in, host)
	if err := specLinux(in, host); err != nil {
		return nil, nil, nil, err
	}
	if err := specNamespaces(in, host); err != nil {
		return nil, nil, nil, err
	}
	if err := specMounts(in, host); err != nil {
		return nil, nil, nil, err
	}
	netw, err := specNetwork(in, cfg, host)
	if err != nil {
		return nil, nil, nil, err
	}
	return cfg, host, netw, nil
}

// specCommand is the override's command when it gives one, otherwise the
// definition's.
func specCommand(c *ecs.ContainerDefinition, o *ecs.ContainerOverride) []string {
	if o != nil && len(o.Command) > 0 {
		return slices.Clone(o.Command)
	}
	return slices.Clone(c.Command)
}

// specLabels merges the definition's dockerLabels with the agent's
// labels, which win.
func specLabels(user, agent map[string]string) map[string]string {
	if len(user)+len(agent) == 0 {
		return nil
	}
	out := make(map[string]string, len(user)+len(agent))
	maps.Copy(out, user)
	maps.Copy(out, agent)
	return out
}

// specHealthcheck maps the definition's health check to Docker's, with
// ECS's defaults for unset values. Without a health check it disables
// any HEALTHCHECK of the image, as ECS does.
func specHealthcheck(c *ecs.ContainerDefinition) (*docker.HealthConfig, error) {
	hc := c.HealthCheck
	if hc == nil {
		return &docker.HealthConfig{Test: []string{"NONE"}}, nil
	}
	var test []string
	switch {
	case len(hc.Command) >= 2 && hc.Command[0] == ecs.HealthCheckCmd:
		test = slices.Clone(hc.Command)
	case len(hc.Command) >= 2 && hc.Command[0] == ecs.HealthCheckCmdShell:
		// Docker runs exactly one string with /bin/sh -c.
		test = []string{ecs.HealthCheckCmdShell, strings.Join(hc.Command[1:], " ")}
	default:
		return nil, fault.Newf(ecs.ErrClient,
			"Invalid 'healthCheck' setting for container '%s'. The command must be CMD or CMD-SHELL followed by the command to run.", c.Name)
	}
	out := &docker.HealthConfig{
		Test:     test,
		Interval: specOr(hc.Interval, ecs.DefaultHealthCheckInterval),
		Timeout:  specOr(hc.Timeout, ecs.DefaultHealthCheckTimeout),
		Retries:  specOr(hc.Retries, ecs.DefaultHealthCheckRetries),
	}
	if hc.StartPeriod > 0 {
		out.StartPeriod = hc.StartPeriod
	}
	return out, nil
}

// specStopTimeout is the container's stop grace period in whole seconds
// (rounded up), 30 s when unset as on ECS.
func specStopTimeout(d time.Duration) *int {
	if d <= 0 {
		d = ecs.DefaultFargateStopTimeout
	}
	s := int((d + time.Second - 1) / time.Second)
	if s <= 0 { // overflow of an absurd duration
		s = int(ecs.DefaultFargateStopTimeout / time.Second)
	}
	return &s
}

// specUlimits maps ulimits one for one.
func specUlimits(us []ecs.Ulimit) []docker.Ulimit {
	var out []docker.Ulimit
	for _, u := range us {
		out = append(out, docker.Ulimit{Name: string(u.Name), Soft: int64(u.SoftLimit), Hard: int64(u.HardLimit)})
	}
	return out
}

// specOr returns v, or def when v is not positive.
func specOr[T int | time.Duration](v, def T) T {
	if v > 0 {
		return v
	}
	return def
}
