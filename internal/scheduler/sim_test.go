package scheduler

import (
	"fmt"
	"testing"
	"time"

	"github.com/quayside/quayside/internal/ecs"
)

// world simulates a cluster for Decide: it applies plans, and moves tasks
// through their lifecycle as an agent would, with a fake clock.
type world struct {
	t       *testing.T
	now     time.Time
	svc     ecs.Service
	tasks   []ecs.Task
	defs    map[string]ecs.TaskDefinition
	nextID  int
	events  []string
	opts    Options
	crashes map[string]bool // task definitions whose containers exit at start
	sick    map[string]bool // task definitions whose health checks fail
	// With a load balancer (lbWorld): the targets of each task, and the
	// task definitions whose targets fail their health checks.
	targets     map[string]*simTarget
	badTargets  map[string]bool
	drainRounds int
}

func newWorld(t *testing.T, desired int, cfg ecs.DeploymentConfiguration, defs ...ecs.TaskDefinition) *world {
	w := &world{t: t, now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), defs: map[string]ecs.TaskDefinition{},
		opts: Options{StableAfter: 40 * time.Second}, crashes: map[string]bool{}, sick: map[string]bool{}}
	for _, d := range defs {
		w.defs[d.ARN] = d
	}
	w.svc = ecs.Service{Name: "web", Status: ecs.ServiceActive, DesiredCount: desired, TaskDefinition: defs[0].ARN,
		DeploymentConfiguration: cfg, SchedulingStrategy: ecs.SchedulingReplica}
	w.deploy(defs[0].ARN)
	return w
}

func (w *world) id(prefix string) string {
	w.nextID++
	return fmt.Sprintf("%s%019d", prefix, w.nextID)
}

// deploy starts a new PRIMARY deployment, as UpdateService does.
func (w *world) deploy(td string) string {
	for i := range w.svc.Deployments {
		w.svc.Deployments[i].Status = ecs.DeploymentActive
	}
	id := w.id("ecs-svc/")
	d := ecs.Deployment{ID: id, Status: ecs.DeploymentPrimary, TaskDefinition: td, RolloutState: ecs.RolloutInProgress,
		CreatedAt: w.now, UpdatedAt: w.now, DeploymentConfiguration: w.svc.DeploymentConfiguration}
	w.svc.Deployments = append([]ecs.Deployment{d}, w.svc.Deployments...)
	w.svc.TaskDefinition = td
	return id
}

// step runs Decide once and applies its plan; it returns the plan.
func (w *world) step() Plan {
	p := Decide(Input{Service: w.svc, Tasks: w.tasks, TaskDefs: w.defs, Now: w.now, NewID: func() string { return w.id("ecs-svc/") },
		Options: w.opts, Targets: w.targetStatus()})
	w.svc = p.Service
	for _, s := range p.Stop {
		for i := range w.tasks {
			if w.tasks[i].ID == s.TaskID {
				w.tasks[i].DesiredStatus = ecs.TaskStopped
				w.tasks[i].StopCode, w.tasks[i].StoppedReason = ecs.StopServiceSchedulerInitiated, s.Reason
			}
		}
	}
	for _, l := range p.Launch {
		dep := w.deployment(l.DeploymentID)
		for i := 0; i < l.Count; i++ {
			lb := w.targets != nil
			w.tasks = append(w.tasks, ecs.Task{ID: w.id("t"), StartedBy: l.DeploymentID, TaskDefinitionARN: dep.TaskDefinition,
				LastStatus: ecs.TaskProvisioning, DesiredStatus: ecs.TaskRunning, CreatedAt: w.now, HealthStatus: ecs.HealthUnknown,
				HoldActivation: lb, HoldDeactivation: lb})
		}
	}
	w.events = append(w.events, p.Events...)
	w.applyTargets(p)
	return p
}

func (w *world) deployment(id string) *ecs.Deployment {
	for i := range w.svc.Deployments {
		if w.svc.Deployments[i].ID == id {
			return &w.svc.Deployments[i]
		}
	}
	w.t.Fatalf("no deployment %s", id)
	return nil
}

// agent moves every task one step, as the agent would in dt.
func (w *world) agent() {
	for i := range w.tasks {
		t := &w.tasks[i]
		switch {
		case t.LastStatus == ecs.TaskStopped:
		case t.DesiredStatus == ecs.TaskStopped && t.LastStatus == ecs.TaskRunning && t.HoldDeactivation:
			t.LastStatus = ecs.TaskDeactivating
		case t.LastStatus == ecs.TaskDeactivating && t.HoldDeactivation:
		case t.DesiredStatus == ecs.TaskStopped:
			t.LastStatus, t.StoppedAt = ecs.TaskStopped, w.now
		case t.LastStatus == ecs.TaskActivating && !t.HoldActivation:
			t.LastStatus = ecs.TaskRunning
		case t.LastStatus == ecs.TaskActivating:
		case t.LastStatus == ecs.TaskPending && t.HoldActivation && !w.crashes[t.TaskDefinitionARN]:
			t.LastStatus, t.StartedAt = ecs.TaskActivating, w.now
		case t.LastStatus == ecs.TaskProvisioning:
			t.LastStatus = ecs.TaskPending
		case t.LastStatus == ecs.TaskPending && w.crashes[t.TaskDefinitionARN]:
			t.LastStatus, t.DesiredStatus, t.StoppedAt = ecs.TaskStopped, ecs.TaskStopped, w.now
			t.StopCode, t.StoppedReason = ecs.StopEssentialContainerExited, ecs.ReasonEssentialContainerExited
		case t.LastStatus == ecs.TaskPending:
			t.LastStatus, t.StartedAt = ecs.TaskRunning, w.now
		case t.LastStatus == ecs.TaskRunning && hasHealthCheck(ptr(w.defs[t.TaskDefinitionARN])):
			if w.sick[t.TaskDefinitionARN] {
				t.HealthStatus = ecs.HealthUnhealthy
			} else {
				t.HealthStatus = ecs.HealthHealthy
			}
		}
	}
}

// run alternates agent steps and scheduler steps, advancing the clock by
// dt each round, for n rounds, checking the invariants after each.
func (w *world) run(n int, dt time.Duration, check func(before, after []ecs.Task, p Plan)) {
	for i := 0; i < n; i++ {
		w.now = w.now.Add(dt)
		w.agent()
		w.checkTargets()
		before := append([]ecs.Task(nil), w.tasks...)
		p := w.step()
		if check != nil {
			check(before, w.tasks, p)
		}
	}
}

func (w *world) running(td string) int {
	n := 0
	for _, t := range w.tasks {
		if t.LastStatus == ecs.TaskRunning && t.DesiredStatus == ecs.TaskRunning && (td == "" || t.TaskDefinitionARN == td) {
			n++
		}
	}
	return n
}

func (w *world) hasEvent(msg string) bool {
	for _, e := range w.events {
		if e == msg {
			return true
		}
	}
	return false
}

func taskDef(arn string, health bool) ecs.TaskDefinition {
	c := ecs.ContainerDefinition{Name: "app", Image: "app", Essential: true}
	if health {
		c.HealthCheck = &ecs.HealthCheck{Command: []string{"CMD", "true"}}
	}
	return ecs.TaskDefinition{ARN: arn, ContainerDefinitions: []ecs.ContainerDefinition{c}}
}

func rolling(minPct, maxPct int, breaker, rollback bool) ecs.DeploymentConfiguration {
	return ecs.DeploymentConfiguration{MinimumHealthyPercent: minPct, MaximumPercent: maxPct,
		CircuitBreaker: ecs.DeploymentCircuitBreaker{Enable: breaker, Rollback: rollback, ResetOnHealthyTask: true}}
}

func ptr[T any](v T) *T { return &v }

func viewOf(w *world, t ecs.Task) taskView {
	return view(&t, ptr(w.defs[t.TaskDefinitionARN]), w.now, w.opts.StableAfter, 0, w.targetStatus()[t.ID])
}
