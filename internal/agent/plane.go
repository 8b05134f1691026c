package agent

import (
	"context"
	"time"

	"github.com/quayside/quayside/internal/ecs"
)

// ControlPlane is the agent's view of the server: where it registers,
// learns the tasks it must run, and reports what it observes. In
// `quayside up` it is package controlplane's in-process implementation; a
// remote agent will speak the same interface over HTTP.
type ControlPlane interface {
	// Register records (or refreshes) this agent as a container instance.
	Register(ctx context.Context, in Instance) error
	// Watch streams the tasks assigned to the agent: first every one of
	// them that is not yet STOPPED, then each task whose record changes.
	// The channel closes when ctx ends.
	Watch(ctx context.Context, agentID string) (<-chan []Assignment, error)
	// Report applies update to the task's record in one transaction and
	// returns the record as stored. update sees the current record, so
	// desired state written meanwhile by the server is never lost.
	Report(ctx context.Context, key string, update func(*ecs.Task) error) (ecs.Task, error)
}

// Instance describes the host an agent runs on.
type Instance struct {
	ID            string
	Hostname      string
	CPU           int // CPU units, 1024 per core
	MemoryMiB     int
	AgentVersion  string
	DockerVersion string
	RegisteredAt  time.Time
	// TaskNetwork is the awsvpc task network's subnet, for the record.
	TaskSubnet string
}

// Assignment is one task given to this agent, with its definition.
type Assignment struct {
	Key     string // the task's store key: its identity for the agent
	Region  string
	Account string
	Cluster string // cluster name
	Task    ecs.Task
	TaskDef ecs.TaskDefinition
}
