package scheduler

import (
	"github.com/quayside/quayside/internal/ecs"
)

// Target states and reasons Decide reads, as ELBv2's DescribeTargetHealth
// reports them.
const (
	targetHealthy        = "healthy"
	targetUnhealthy      = "unhealthy"
	targetUnavailable    = "unavailable"
	reasonNotRegistered  = "Target.NotRegistered"
	reasonHealthDisabled = "Target.HealthCheckDisabled"
)

// TargetStatus is the health of one of a task's load balancer targets.
type TargetStatus struct {
	ecs.LBTarget
	State       string // initial, healthy, unhealthy, unused, draining, unavailable
	Reason      string // e.g. Target.ResponseCodeMismatch; Target.NotRegistered once gone
	Description string // e.g. "Health checks failed with these codes: [404]"
}

// loadBalanced reports whether a task was started behind target groups:
// such a task counts as healthy only when its targets do.
func loadBalanced(t *ecs.Task) bool {
	return t.HoldDeactivation || len(t.LBTargets) > 0
}

// targetsHealthy reports whether every target of a registered task is
// healthy (or not health-checked at all).
func targetsHealthy(t *ecs.Task, ts []TargetStatus) bool {
	if len(t.LBTargets) == 0 || t.LBDeregistered || len(ts) != len(t.LBTargets) {
		return false
	}
	for _, s := range ts {
		if s.State != targetHealthy && (s.State != targetUnavailable || s.Reason != reasonHealthDisabled) {
			return false
		}
	}
	return true
}

// firstUnhealthy returns the first of a task's targets that is
// unhealthy.
func firstUnhealthy(ts []TargetStatus) (TargetStatus, bool) {
	for _, s := range ts {
		if s.State == targetUnhealthy {
			return s, true
		}
	}
	return TargetStatus{}, false
}

// drained reports whether every deregistered target of a task is gone.
func drained(t *ecs.Task, ts []TargetStatus) bool {
	if len(t.LBTargets) == 0 {
		return true
	}
	if !t.LBDeregistered {
		return false
	}
	for _, s := range ts {
		if s.Reason != reasonNotRegistered {
			return false
		}
	}
	return true
}

// balance keeps the service's tasks registered with its target groups:
// it registers tasks the agent holds at ACTIVATING, deregisters tasks that
// are to stop (or stopped) while registered, and releases tasks held at
// DEACTIVATING once their targets have drained.
func (d *decider) balance() {
	// Few tasks need anything at a time: pick them first, then order them
	// by creation so that the plan does not depend on the input's order.
	var register, deregister, release []taskView
	for _, views := range d.byDep {
		for _, v := range views {
			t := v.task
			if !t.HoldActivation && !t.HoldDeactivation && len(t.LBTargets) == 0 {
				continue
			}
			stopping := t.DesiredStatus == ecs.TaskStopped || d.stopped[t.ID] || t.LastStatus == ecs.TaskStopped
			switch {
			case t.HoldActivation && !stopping && t.LastStatus == ecs.TaskActivating:
				register = append(register, v)
			case len(t.LBTargets) > 0 && !t.LBDeregistered && stopping:
				deregister = append(deregister, v)
			case t.HoldDeactivation && stopping && t.LastStatus == ecs.TaskDeactivating && drained(t, d.in.Targets[t.ID]):
				release = append(release, v)
			}
		}
	}
	ids := func(vs []taskView) []string {
		var out []string
		for _, v := range sortedByCreation(vs) {
			out = append(out, v.task.ID)
		}
		return out
	}
	d.plan.Register, d.plan.Deregister, d.plan.Release = ids(register), ids(deregister), ids(release)
}
