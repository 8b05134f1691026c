package scheduler

import (
	"time"

	"github.com/quayside/quayside/internal/ecs"
)

// taskView is how the scheduler sees one task.
type taskView struct {
	task      *ecs.Task // points into Decide's input; never modified
	live      bool      // desired RUNNING and not STOPPED
	running   bool      // live and lastStatus RUNNING
	pending   bool      // live and not yet RUNNING
	healthy   bool      // counts toward the minimum
	unhealthy bool      // failed its health checks past the grace period
	// badTarget is the target that failed its ELB health checks past the
	// grace period, when that is why the task is unhealthy.
	badTarget *TargetStatus
	// healthyAt is when a RUNNING task without a health check will count
	// as healthy; zero when it does not wait on time.
	healthyAt time.Time
}

// hasHealthCheck reports whether an essential container of td has a
// container health check.
func hasHealthCheck(td *ecs.TaskDefinition) bool {
	if td == nil {
		return false
	}
	for _, c := range td.ContainerDefinitions {
		if c.Essential && c.HealthCheck != nil {
			return true
		}
	}
	return false
}

// view classifies a task at now. stableAfter is how long a RUNNING task
// without a health check runs before it counts as healthy; grace is the
// service's healthCheckGracePeriod, during which health checks are
// ignored. targets is the health of the task's load balancer targets.
//
// A task behind target groups counts as healthy once every target is
// healthy (and, with a container health check, it is HEALTHY too); it
// does not wait on time.
func view(t *ecs.Task, td *ecs.TaskDefinition, now time.Time, stableAfter, grace time.Duration, targets []TargetStatus) taskView {
	v := taskView{task: t}
	v.live = t.DesiredStatus == ecs.TaskRunning && t.LastStatus != ecs.TaskStopped
	if !v.live {
		return v
	}
	v.running = t.LastStatus == ecs.TaskRunning
	v.pending = !v.running && t.LastStatus.Rank() < ecs.TaskRunning.Rank()
	if !v.running {
		return v
	}
	started := t.StartedAt
	if started.IsZero() {
		started = t.CreatedAt
	}
	graceOver := !now.Before(started.Add(grace))
	if loadBalanced(t) {
		v.healthy = targetsHealthy(t, targets) && (!hasHealthCheck(td) || t.HealthStatus == ecs.HealthHealthy)
		if bad, ok := firstUnhealthy(targets); ok && !t.LBDeregistered {
			if graceOver {
				v.unhealthy, v.badTarget = true, &bad
			} else {
				v.healthyAt = started.Add(grace) // look again when the grace ends
			}
		}
		if hasHealthCheck(td) && t.HealthStatus == ecs.HealthUnhealthy && graceOver && v.badTarget == nil {
			v.unhealthy = true
		}
		return v
	}
	if hasHealthCheck(td) {
		v.healthy = t.HealthStatus == ecs.HealthHealthy
		v.unhealthy = t.HealthStatus == ecs.HealthUnhealthy && graceOver
		return v
	}
	if at := started.Add(stableAfter); now.Before(at) {
		v.healthyAt = at
	} else {
		v.healthy = true
	}
	return v
}

// failedToStart reports whether a stopped task never reached RUNNING for
// a reason of its own (not a stop asked for by a user or the scheduler).
func failedToStart(t *ecs.Task) bool {
	if t.LastStatus != ecs.TaskStopped || !t.StartedAt.IsZero() {
		return false
	}
	return t.StopCode != ecs.StopUserInitiated && t.StopCode != ecs.StopServiceSchedulerInitiated
}

// failedHealth reports whether the scheduler stopped the task for failing
// its health checks.
func failedHealth(t *ecs.Task) bool {
	return t.DesiredStatus == ecs.TaskStopped && t.StopCode == ecs.StopServiceSchedulerInitiated &&
		(t.StoppedReason == ecs.ReasonContainerHealthFailed || ecs.IsELBHealthFailure(t.StoppedReason))
}
