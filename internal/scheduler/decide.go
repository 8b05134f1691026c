package scheduler

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/quayside/quayside/internal/ecs"
)

// Defaults of Options.
const (
	DefaultStableAfter = 40 * time.Second // ECS: a task without health checks counts after 40 s RUNNING
	DefaultSteadyEvery = 6 * time.Hour    // how often a steady service repeats its steady-state event
	throttleStart      = 3                // consecutive start failures before launches are throttled
	throttleBase       = 10 * time.Second
	throttleMax        = 15 * time.Minute
)

// Options tune the scheduler. Zero values take the defaults, which are
// ECS's; a local user may shorten StableAfter to wait less.
type Options struct {
	StableAfter time.Duration
	SteadyEvery time.Duration
}

func (o Options) withDefaults() Options {
	if o.StableAfter <= 0 {
		o.StableAfter = DefaultStableAfter
	}
	if o.SteadyEvery <= 0 {
		o.SteadyEvery = DefaultSteadyEvery
	}
	return o
}

// Input is everything Decide looks at.
type Input struct {
	Service ecs.Service
	// Tasks are the service's tasks in any status; a task belongs to the
	// deployment its startedBy names.
	Tasks []ecs.Task
	// TaskDefs holds every task definition the tasks and deployments use,
	// by ARN.
	TaskDefs map[string]ecs.TaskDefinition
	// Instances is the number of container instances, the desired count
	// of a DAEMON service.
	Instances int
	// Targets is the health of each task's load balancer targets, by
	// task ID, in the order of the task's LBTargets.
	Targets map[string][]TargetStatus
	Now     time.Time
	// NewID returns a new deployment ID (for a rollback).
	NewID func() string
	Options
}

// Launch asks for Count new tasks of a deployment.
type Launch struct {
	DeploymentID string
	Count        int
}

// Stop asks for a task to be stopped.
type Stop struct {
	TaskID string
	Reason string
}

// Plan is what Decide wants done.
type Plan struct {
	Service ecs.Service // the service record to write
	Launch  []Launch
	Stop    []Stop
	// Events are new service event messages, oldest first. Events about
	// the tasks a Launch starts are added when they are created.
	Events []string
	// Wake is when the service must be looked at again even if nothing
	// changes; zero for never.
	Wake time.Time
	// Register, Deregister and Release name tasks (by ID) whose targets
	// to register with the service's target groups, whose targets to
	// deregister, and which to let stop now that their targets drained.
	Register, Deregister, Release []string
}

// Empty reports whether the plan changes nothing.
func (p Plan) Empty(before ecs.Service) bool {
	return len(p.Launch) == 0 && len(p.Stop) == 0 && len(p.Events) == 0 && len(p.Register) == 0 &&
		len(p.Deregister) == 0 && len(p.Release) == 0 && equalService(before, p.Service)
}

// decider holds one Decide call's working state.
type decider struct {
	in      Input
	svc     ecs.Service
	plan    Plan
	byDep   map[string][]taskView
	stopped map[string]bool // tasks this plan stops
}

// Decide computes the next step for a service. It is pure: the same input
// gives the same plan.
func Decide(in Input) Plan {
	in.Options = in.Options.withDefaults()
	d := &decider{in: in, svc: cloneService(in.Service), byDep: map[string][]taskView{}, stopped: map[string]bool{}}
	if d.svc.Status == ecs.ServiceInactive {
		d.plan.Service = d.svc
		return d.plan
	}
	defs := make(map[string]*ecs.TaskDefinition, len(in.TaskDefs))
	for arn := range in.TaskDefs {
		td := in.TaskDefs[arn]
		defs[arn] = &td
	}
	for i := range in.Tasks {
		t := &in.Tasks[i]
		v := view(t, defs[t.TaskDefinitionARN], in.Now, in.StableAfter, d.svc.HealthCheckGracePeriod, in.Targets[t.ID])
		d.byDep[t.StartedBy] = append(d.byDep[t.StartedBy], v)
		if !v.healthyAt.IsZero() {
			d.wake(v.healthyAt)
		}
	}
	d.judge()
	d.stopUnhealthy()
	d.circuitBreaker()
	d.roll()
	d.balance()
	d.dropFinished()
	d.count()
	d.complete()
	d.steady()
	d.drain()
	d.plan.Service = d.svc
	return d.plan
}

// desired is the number of tasks the service should run.
func (d *decider) desired() int {
	switch {
	case d.svc.Status == ecs.ServiceDraining:
		return 0
	case d.svc.SchedulingStrategy == ecs.SchedulingDaemon:
		return d.in.Instances
	}
	return d.svc.DesiredCount
}

func (d *decider) primary() *ecs.Deployment {
	p, _ := d.svc.Primary()
	return p
}

func (d *decider) event(msg string) { d.plan.Events = append(d.plan.Events, msg) }

func (d *decider) wake(at time.Time) {
	if d.plan.Wake.IsZero() || at.Before(d.plan.Wake) {
		d.plan.Wake = at
	}
}

func (d *decider) stop(v taskView, reason string) {
	if d.stopped[v.task.ID] {
		return
	}
	d.stopped[v.task.ID] = true
	d.plan.Stop = append(d.plan.Stop, Stop{TaskID: v.task.ID, Reason: reason})
}

// judge accounts for each deployment's tasks that newly stopped or became
// healthy: failures for the circuit breaker, start failures for
// throttling, and resets.
func (d *decider) judge() {
	for i := range d.svc.Deployments {
		dep := &d.svc.Deployments[i]
		views := d.byDep[dep.ID]
		exists := make(map[string]bool, len(views))
		for _, v := range views {
			exists[v.task.ID] = true
		}
		dep.Counted = slices.DeleteFunc(dep.Counted, func(id string) bool { return !exists[id] })
		dep.SeenHealthy = slices.DeleteFunc(dep.SeenHealthy, func(id string) bool { return !exists[id] })
		counted, seen := setOf(dep.Counted), setOf(dep.SeenHealthy)
		// Only tasks newly healthy or newly stopped change the books; they
		// are judged oldest first, so that the result does not depend on
		// the order tasks were listed in.
		var fresh []taskView
		for _, v := range views {
			if v.running {
				dep.StartFailures = 0
			}
			if (v.healthy && !seen[v.task.ID]) || (v.task.LastStatus == ecs.TaskStopped && !counted[v.task.ID]) {
				fresh = append(fresh, v)
			}
		}
		for _, v := range sortedByCreation(fresh) {
			t := v.task
			if v.healthy && !seen[t.ID] {
				seen[t.ID] = true
				dep.SeenHealthy = append(dep.SeenHealthy, t.ID)
				if dep.DeploymentConfiguration.CircuitBreaker.ResetOnHealthyTask || !dep.DeploymentConfiguration.CircuitBreaker.Enable {
					dep.FailedTasks = 0
				}
			}
			if t.LastStatus != ecs.TaskStopped || counted[t.ID] {
				continue
			}
			counted[t.ID] = true
			dep.Counted = append(dep.Counted, t.ID)
			if failedToStart(t) || failedHealth(t) {
				dep.FailedTasks++
			}
			if failedToStart(t) {
				dep.StartFailures++
				if dep.StartFailures >= throttleStart && dep.Status == ecs.DeploymentPrimary {
					dep.ThrottleUntil = d.in.Now.Add(throttleDelay(dep.StartFailures))
					if !d.lastEventIs(ecs.EventThrottled(d.svc.Name)) {
						d.event(ecs.EventThrottled(d.svc.Name))
					}
				}
			}
		}
	}
}

func setOf(ids []string) map[string]bool {
	m := make(map[string]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	return m
}

// throttleDelay is the wait before the next launch after n consecutive
// start failures: 10 s at the third, doubling, at most 15 minutes.
func throttleDelay(n int) time.Duration {
	delay := throttleBase
	for i := throttleStart; i < n && delay < throttleMax; i++ {
		delay *= 2
	}
	return min(delay, throttleMax)
}

func (d *decider) lastEventIs(msg string) bool {
	if n := len(d.plan.Events); n > 0 {
		return d.plan.Events[n-1] == msg
	}
	return len(d.svc.Events) > 0 && d.svc.Events[0].Message == msg
}

// stopUnhealthy stops every task that failed its container or target
// group health checks after the grace period; the scheduler replaces it.
func (d *decider) stopUnhealthy() {
	for _, dep := range d.svc.Deployments {
		for _, v := range d.byDep[dep.ID] {
			switch {
			case v.badTarget != nil:
				b := v.badTarget
				d.stop(v, ecs.ReasonELBHealthFailed(b.TargetGroupARN))
				d.event(ecs.EventTargetUnhealthy(d.svc.Name, v.task.ID, b.Port, b.TargetGroupARN, b.Description))
			case v.unhealthy:
				d.stop(v, ecs.ReasonContainerHealthFailed)
				d.event(ecs.EventContainerHealthFailed(d.svc.Name, v.task.ID))
			}
		}
	}
}

// circuitBreaker fails the PRIMARY deployment when its consecutive
// failures reach the threshold, and rolls back if asked to.
func (d *decider) circuitBreaker() {
	p := d.primary()
	if p == nil || p.RolloutState != ecs.RolloutInProgress {
		return
	}
	cb := p.DeploymentConfiguration.CircuitBreaker
	if !cb.Enable || p.FailedTasks < cb.FailureThreshold(d.desired()) {
		return
	}
	p.RolloutState = ecs.RolloutFailed
	p.RolloutStateReason = "ECS deployment circuit breaker: tasks failed to start."
	p.UpdatedAt = d.in.Now
	d.event(ecs.EventDeploymentFailed(d.svc.Name, p.ID))
	target := d.svc.LastCompleted
	if !cb.Rollback || target == nil || target.ID == p.ID {
		return
	}
	rb := *target
	rb.ID = d.in.NewID()
	rb.Status = ecs.DeploymentPrimary
	rb.RolloutState = ecs.RolloutInProgress
	rb.RolloutStateReason = fmt.Sprintf("ECS deployment %s in progress.", rb.ID)
	rb.CreatedAt, rb.UpdatedAt = d.in.Now, d.in.Now
	rb.DesiredCount, rb.RunningCount, rb.PendingCount, rb.FailedTasks = 0, 0, 0, 0
	rb.Counted, rb.SeenHealthy, rb.StartFailures, rb.ThrottleUntil = nil, nil, 0, time.Time{}
	p.Status = ecs.DeploymentActive
	d.svc.Deployments = append([]ecs.Deployment{rb}, d.svc.Deployments...)
	d.svc.TaskDefinition = rb.TaskDefinition
	d.event(ecs.EventRollingBack(d.svc.Name, target.ID))
}

// roll starts PRIMARY tasks within the maximum and stops surplus and old
// tasks within the minimum.
func (d *decider) roll() {
	p := d.primary()
	if p == nil {
		return
	}
	want := d.desired()
	cfg := d.svc.DeploymentConfiguration
	minHealthy, maxTasks := cfg.MinHealthyTasks(want), cfg.MaxTasks(want)
	var liveP, liveOld []taskView
	total, healthy, pending := 0, 0, 0
	for _, dep := range d.svc.Deployments {
		for _, v := range d.byDep[dep.ID] {
			if v.task.LastStatus != ecs.TaskStopped {
				total++ // draining tasks still take room until they stop
			}
			if !v.live || d.stopped[v.task.ID] {
				continue
			}
			if v.healthy {
				healthy++
			}
			if v.pending {
				pending++
			}
			if dep.ID == p.ID {
				liveP = append(liveP, v)
			} else {
				liveOld = append(liveOld, v)
			}
		}
	}
	// Tasks nobody owns (a deployment that no longer exists) are stopped.
	for id, views := range d.byDep {
		if d.deployment(id) == nil {
			for _, v := range views {
				if v.live {
					d.stop(v, ecs.ReasonScalingActivity(p.ID))
				}
			}
		}
	}
	// Scale in: the surplus of the PRIMARY goes, pending and unhealthy
	// first, then the newest.
	if surplus := len(liveP) - want; surplus > 0 {
		for _, v := range stopOrder(liveP)[:surplus] {
			d.stop(v, ecs.ReasonScalingActivity(p.ID))
			if v.healthy {
				healthy--
			}
		}
		liveP = liveP[:want]
	}
	failed := p.RolloutState == ecs.RolloutFailed
	// Start what the PRIMARY lacks, within the maximum.
	started := 0
	if lack := want - len(liveP); lack > 0 && !failed && d.svc.Status == ecs.ServiceActive {
		if d.in.Now.Before(p.ThrottleUntil) {
			d.wake(p.ThrottleUntil)
		} else if n := min(lack, maxTasks-total); n > 0 {
			d.plan.Launch = append(d.plan.Launch, Launch{DeploymentID: p.ID, Count: n})
			started = n
		}
	}
	if failed {
		return // a FAILED deployment without rollback keeps what runs
	}
	// Stop older deployments' tasks: those that are not healthy freely,
	// healthy ones while the minimum holds.
	room := healthy - minHealthy
	stoppedOld := 0
	for _, v := range stopOrder(liveOld) {
		if v.healthy {
			if room <= 0 {
				continue
			}
			room--
		}
		d.stop(v, ecs.ReasonScalingActivity(p.ID))
		stoppedOld++
	}
	if len(liveOld) > stoppedOld && started == 0 && stoppedOld == 0 && pending == 0 && total >= maxTasks && !d.waitingOnHealth() {
		if !d.lastEventIs(ecs.EventDeploymentBlocked(d.svc.Name)) {
			d.event(ecs.EventDeploymentBlocked(d.svc.Name))
		}
	}
}

// waitingOnHealth reports whether a running task may yet count as
// healthy: it waits on time, its container health check or its targets'
// health checks.
func (d *decider) waitingOnHealth() bool {
	for _, views := range d.byDep {
		for _, v := range views {
			if v.running && !d.stopped[v.task.ID] && !v.healthy && !v.unhealthy {
				return true
			}
		}
	}
	return false
}

func (d *decider) deployment(id string) *ecs.Deployment {
	for i := range d.svc.Deployments {
		if d.svc.Deployments[i].ID == id {
			return &d.svc.Deployments[i]
		}
	}
	return nil
}

// stopOrder sorts tasks in the order the scheduler stops them: pending
// ones, then unhealthy or not yet healthy ones, then healthy ones, the
// newest first within each.
func stopOrder(vs []taskView) []taskView {
	out := slices.Clone(vs)
	rank := func(v *taskView) int {
		switch {
		case v.pending:
			return 0
		case !v.healthy:
			return 1
		}
		return 2
	}
	slices.SortStableFunc(out, func(a, b taskView) int {
		if ra, rb := rank(&a), rank(&b); ra != rb {
			return ra - rb
		}
		if c := b.task.CreatedAt.Compare(a.task.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(b.task.ID, a.task.ID)
	})
	return out
}

func sortedByCreation(vs []taskView) []taskView {
	out := slices.Clone(vs)
	slices.SortStableFunc(out, func(a, b taskView) int {
		if c := a.task.CreatedAt.Compare(b.task.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(a.task.ID, b.task.ID)
	})
	return out
}
