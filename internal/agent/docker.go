package agent

import (
	"context"
	"io"
	"time"

	"github.com/quayside/quayside/internal/docker"
)

// Docker is the part of the Docker Engine API the agent uses. The real
// client is *docker.Client.
type Docker interface {
	Ping(ctx context.Context) error
	Version(ctx context.Context) (*docker.Version, error)
	ImageInspect(ctx context.Context, ref string) (*docker.Image, error)
	ImagePull(ctx context.Context, ref string, auth *docker.AuthConfig) error
	ImageBuild(ctx context.Context, tarContext io.Reader, opts docker.BuildOptions) (string, error)
	ContainerCreate(ctx context.Context, name string, config *docker.ContainerConfig, host *docker.HostConfig, network *docker.NetworkingConfig) (string, error)
	ContainerStart(ctx context.Context, id string) error
	ContainerStop(ctx context.Context, id string, timeout time.Duration) error
	ContainerKill(ctx context.Context, id, signal string) error
	ContainerRemove(ctx context.Context, id string, opts docker.ContainerRemoveOptions) error
	ContainerInspect(ctx context.Context, id string) (*docker.Container, error)
	ContainerList(ctx context.Context, opts docker.ContainerListOptions) ([]docker.ContainerSummary, error)
	NetworkCreate(ctx context.Context, opts docker.NetworkCreateOptions) (string, error)
	NetworkInspect(ctx context.Context, id string) (*docker.Network, error)
	VolumeCreate(ctx context.Context, opts docker.VolumeCreateOptions) (*docker.Volume, error)
	VolumeRemove(ctx context.Context, name string, force bool) error
	VolumeList(ctx context.Context, filters docker.Filters) ([]docker.Volume, error)
	Events(ctx context.Context, opts docker.EventsOptions) (*docker.EventStream, error)
	ContainerStats(ctx context.Context, id string) (*docker.Stats, error)
}

var _ Docker = (*docker.Client)(nil)

// Labels the agent puts on every Docker object it creates. The
// com.amazonaws.ecs ones are those the ECS agent sets, so tools that read
// them work unchanged.
const (
	LabelManaged       = "com.quayside.managed"  // "true" on everything Quayside made
	LabelAgent         = "com.quayside.agent"    // the agent (container instance) ID
	LabelRole          = "com.quayside.role"     // "pause" or "container"
	LabelTaskKey       = "com.quayside.task-key" // the task's store key
	LabelTaskARN       = "com.amazonaws.ecs.task-arn"
	LabelContainerName = "com.amazonaws.ecs.container-name"
	LabelCluster       = "com.amazonaws.ecs.cluster"
	LabelFamily        = "com.amazonaws.ecs.task-definition-family"
	LabelRevision      = "com.amazonaws.ecs.task-definition-version"
)
