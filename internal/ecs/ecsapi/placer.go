package ecsapi

import (
	"context"

	"github.com/quayside/quayside/internal/ecs"
	"github.com/quayside/quayside/internal/ecs/ecsdb"
	"github.com/quayside/quayside/internal/store"
)

// Placer decides where the tasks of a RunTask call run, or that they
// cannot run. The API calls it inside the transaction that records the
// tasks, after validation and before anything is written, so a placement
// decision is consistent with the container instances and tasks it sees.
//
// The request carries the tasks as the API built them: desiredStatus
// RUNNING, lastStatus PROVISIONING, containers PENDING, and for awsvpc an
// ENI attachment. Place returns the tasks to record, in the order given,
// and may fill in what placement decides (ContainerInstanceARN,
// AvailabilityZone, Attributes, CapacityProviderName); it must not change
// their IDs or ARNs. Tasks it cannot place are left out of placed and
// reported in failures, as ECS reports them in RunTask's failures: the
// ARN of the container instance that came closest (or empty) and a reason
// such as "RESOURCE:MEMORY", "RESOURCE:PORTS", "AGENT" or "ATTRIBUTE".
//
// Place must not write: it is given the transaction as a store.ReadTx. It
// may be called more than once for one request, because the store may
// retry a transaction, so it must be free of other side effects too. An
// error aborts the whole call and is returned to the client as a server
// fault unless it is a fault error.
//
// StartTask, which names its container instances, does not consult the
// Placer. With no Placer set every task is accepted as built.
type Placer interface {
	Place(ctx context.Context, tx store.ReadTx, req PlacementRequest) (placed []ecs.Task, failures []PlacementFailure, err error)
}

// PlacementRequest is what a Placer decides on.
type PlacementRequest struct {
	Scope   ecsdb.Scope
	Cluster ecs.Cluster
	// TaskDefinition is the definition the tasks run, before overrides.
	TaskDefinition ecs.TaskDefinition
	// Tasks are the tasks to place, with overrides applied to their CPU
	// and Memory strings.
	Tasks []ecs.Task
	// Constraints and Strategy are the run-time placement constraints
	// (the task definition's are in TaskDefinition) and strategy.
	Constraints []ecs.PlacementConstraint
	Strategy    []ecs.PlacementStrategy
	// CapacityProviderStrategy is the strategy the call asked for, if any.
	CapacityProviderStrategy []ecs.CapacityProviderStrategyItem
}

// PlacementFailure is one task a Placer could not place; it becomes an
// entry of RunTask's failures.
type PlacementFailure struct {
	ARN    string
	Reason string
	Detail string
}

// SetPlacer installs the placement component. Call it before serving
// requests; nil accepts every task. Tasks reach it already in their
// subnets' availability zones (subnetZones).
func (a *API) SetPlacer(p Placer) { a.placer = subnetZones{next: p} }
