package taskmeta

import (
	"context"
	"encoding/json"
	"time"
)

// Source is what the endpoint needs from the agent.
type Source interface {
	// Lookup finds the task and container a token belongs to. The handler
	// only reads the View; it may share maps and slices with the agent's
	// state as long as the agent does not change them afterwards.
	Lookup(token string) (View, bool)
	// Stats returns Docker's stats JSON for a Docker container ID, as one
	// sample (Docker's stream=false answer).
	Stats(ctx context.Context, dockerID string) (json.RawMessage, error)
}

// View is what a token resolves to.
type View struct {
	Task      TaskInfo
	Container string // the name of the calling container in Task.Containers
}

// TaskInfo is a task as the endpoint reports it. Zero values are omitted
// from the response where AWS omits the field.
type TaskInfo struct {
	Cluster       string // the cluster's ARN (Fargate) or name
	TaskARN       string
	Family        string
	Revision      int
	DesiredStatus string // RUNNING or STOPPED
	KnownStatus   string // the task's lastStatus

	CPU       int // task-level CPU units; reported in vCPUs (CPU/1024)
	MemoryMiB int // task-level memory

	PullStartedAt      time.Time
	PullStoppedAt      time.Time
	ExecutionStoppedAt time.Time

	AvailabilityZone string
	LaunchType       string // FARGATE or EC2
	ServiceName      string // set when the task belongs to a service
	VPCID            string // AWS reports it on EC2 only

	Tags map[string]string // the task's tags, for /taskWithTags

	ClockDrift       *ClockDrift       // nil omits ClockDrift
	EphemeralStorage *EphemeralStorage // nil omits EphemeralStorageMetrics

	Containers []ContainerInfo
}

// ContainerInfo is one container of a task.
type ContainerInfo struct {
	Name         string // as in the task definition
	DockerID     string // empty until Docker has created the container
	DockerName   string
	Image        string
	ImageID      string // sha256:<digest>
	ContainerARN string
	Labels       map[string]string

	DesiredStatus string
	KnownStatus   string // the container's lastStatus

	CPU       int // CPU units from the container definition
	MemoryMiB int // the container definition's memory (hard limit); 0 if unset

	CreatedAt  time.Time
	StartedAt  time.Time
	FinishedAt time.Time
	ExitCode   *int // nil until the container has exited

	Health *HealthInfo // nil when the container has no health check

	Networks []NetworkInfo

	LogDriver  string
	LogOptions map[string]string

	// RestartCount is set only when the container has a restart policy,
	// as AWS reports it only then.
	RestartCount *int
	// Snapshotter is what Fargate reports as having unpacked the image
	// (overlayfs); empty omits it.
	Snapshotter string
}

// HealthInfo is the state of a container's health check.
type HealthInfo struct {
	Status   string    // HEALTHY, UNHEALTHY or UNKNOWN
	Since    time.Time // when Status last changed
	ExitCode *int      // the last check's exit code, if one has run
	Output   string    // the last check's output
}

// NetworkInfo is one network attachment of a container.
type NetworkInfo struct {
	NetworkMode   string // awsvpc, bridge or host
	IPv4Addresses []string
	// The fields below are reported for awsvpc only.
	AttachmentIndex      int
	MACAddress           string
	IPv4SubnetCIDRBlock  string   // e.g. 172.31.32.0/20
	DomainNameServers    []string // e.g. 172.31.0.2
	DomainNameSearchList []string
	PrivateDNSName       string
	// SubnetGatewayIPv4Address carries the prefix length, as AWS writes
	// it: 172.31.32.1/20.
	SubnetGatewayIPv4Address string
}

// ClockDrift is the host clock's measured error.
type ClockDrift struct {
	ErrorBoundMillis float64
	ReferenceTime    time.Time
	Synchronized     bool
}

// EphemeralStorage is the task's ephemeral storage, in MiB.
type EphemeralStorage struct {
	UtilizedMiB int64
	ReservedMiB int64
}
