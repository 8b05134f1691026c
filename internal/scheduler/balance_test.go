package scheduler

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/quayside/quayside/internal/ecs"
)

const tgARN = "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/web-tg/0123456789abcdef"

// simTarget is a task's one target in the simulated target group.
type simTarget struct {
	state, reason, description string
	drainLeft                  int // rounds until a draining target is gone
}

// lbWorld is a world whose service is behind one ip target group.
func lbWorld(t *testing.T, desired int, cfg ecs.DeploymentConfiguration, defs ...ecs.TaskDefinition) *world {
	w := newWorld(t, desired, cfg, defs...)
	w.svc.LoadBalancers = []ecs.LoadBalancer{{TargetGroupARN: tgARN, ContainerName: "app", ContainerPort: 8080}}
	w.targets, w.badTargets, w.drainRounds = map[string]*simTarget{}, map[string]bool{}, 2
	return w
}

// targetStatus is Decide's view of the simulated targets.
func (w *world) targetStatus() map[string][]TargetStatus {
	if w.targets == nil {
		return nil
	}
	out := map[string][]TargetStatus{}
	for _, t := range w.tasks {
		if len(t.LBTargets) == 0 {
			continue
		}
		st := TargetStatus{LBTarget: t.LBTargets[0], State: "unused", Reason: reasonNotRegistered}
		if tg, ok := w.targets[t.ID]; ok {
			st.State, st.Reason, st.Description = tg.state, tg.reason, tg.description
		}
		out[t.ID] = []TargetStatus{st}
	}
	return out
}

// applyTargets carries out a plan's Register, Deregister and Release as
// the scheduler's transaction does.
func (w *world) applyTargets(p Plan) {
	for i := range w.tasks {
		t := &w.tasks[i]
		switch {
		case slices.Contains(p.Register, t.ID):
			if !t.HoldActivation || t.LastStatus != ecs.TaskActivating {
				w.t.Fatalf("registered task %s at %s, hold %v", t.ID, t.LastStatus, t.HoldActivation)
			}
			t.LBTargets = []ecs.LBTarget{{TargetGroupARN: tgARN, ID: "10.0.0." + t.ID[len(t.ID)-3:], Port: 8080}}
			t.HoldActivation = false
			w.targets[t.ID] = &simTarget{state: "initial", reason: "Elb.RegistrationInProgress"}
		case slices.Contains(p.Deregister, t.ID):
			t.LBDeregistered = true
			if tg := w.targets[t.ID]; tg != nil {
				*tg = simTarget{state: "draining", reason: "Target.DeregistrationInProgress", drainLeft: w.drainRounds}
			}
		case slices.Contains(p.Release, t.ID):
			if !t.LBDeregistered && len(t.LBTargets) > 0 {
				w.t.Fatalf("released task %s before deregistering it", t.ID)
			}
			if _, ok := w.targets[t.ID]; ok {
				w.t.Fatalf("released task %s while its target still drains", t.ID)
			}
			t.HoldDeactivation = false
		}
	}
}

// checkTargets runs one round of health checks and draining.
func (w *world) checkTargets() {
	for id, tg := range w.targets {
		switch tg.state {
		case "draining":
			if tg.drainLeft--; tg.drainLeft <= 0 {
				delete(w.targets, id)
			}
		case "initial", "healthy", "unhealthy":
			td := ""
			for _, t := range w.tasks {
				if t.ID == id {
					td = t.TaskDefinitionARN
				}
			}
			if w.badTargets[td] {
				*tg = simTarget{state: "unhealthy", reason: "Target.ResponseCodeMismatch", description: "Health checks failed with these codes: [404]"}
			} else {
				*tg = simTarget{state: "healthy"}
			}
		}
	}
}

// serving counts the targets a load balancer sends new requests to.
func (w *world) serving(td string) int {
	n := 0
	for _, t := range w.tasks {
		if tg, ok := w.targets[t.ID]; ok && tg.state == "healthy" && (td == "" || t.TaskDefinitionARN == td) {
			n++
		}
	}
	return n
}

func TestLoadBalancedTasksRegisterBeforeRunning(t *testing.T) {
	w := lbWorld(t, 2, rolling(100, 200, false, false), taskDef(v1, false))
	w.step()
	w.run(3, time.Second, nil) // PROVISIONING → PENDING → ACTIVATING, registered
	for _, tk := range w.tasks {
		if tk.LastStatus != ecs.TaskActivating && tk.LastStatus != ecs.TaskRunning {
			t.Fatalf("task %s at %s", tk.ID, tk.LastStatus)
		}
		if len(tk.LBTargets) != 1 || tk.HoldActivation {
			t.Fatalf("task %s not registered: %+v", tk.ID, tk.LBTargets)
		}
	}
	// Healthy in the target group, not after 40 s of RUNNING: the
	// deployment completes within a few seconds.
	w.run(4, time.Second, nil)
	if dep := w.svc.Deployments[0]; dep.RolloutState != ecs.RolloutCompleted {
		t.Fatalf("rollout %s after targets turned healthy; events %q", dep.RolloutState, w.events)
	}
}

func TestLoadBalancedRollingDeploymentKeepsServing(t *testing.T) {
	w := lbWorld(t, 4, rolling(100, 200, false, false), taskDef(v1, false), taskDef(v2, false))
	w.step()
	w.run(10, time.Second, nil)
	if w.serving(v1) != 4 {
		t.Fatalf("serving %d of 4 before the deployment", w.serving(v1))
	}
	w.deploy(v2)
	w.run(40, time.Second, func(before, after []ecs.Task, p Plan) {
		if n := w.serving(""); n < 4 {
			t.Fatalf("only %d targets serving during the deployment (minimum 4)", n)
		}
		for _, tk := range after {
			if tk.LastStatus == ecs.TaskStopped && len(tk.LBTargets) > 0 {
				if _, ok := w.targets[tk.ID]; ok {
					t.Fatalf("task %s stopped while its target is still registered", tk.ID)
				}
			}
		}
	})
	for _, e := range w.events {
		if strings.Contains(e, "was unable to stop or start tasks during a deployment") {
			t.Fatalf("deployment reported blocked while new targets were checked: %q", w.events)
		}
	}
	if w.serving(v2) != 4 || w.serving(v1) != 0 {
		t.Fatalf("after the deployment: serving v1 %d v2 %d", w.serving(v1), w.serving(v2))
	}
	if dep := w.svc.Deployments; len(dep) != 1 || dep[0].RolloutState != ecs.RolloutCompleted {
		t.Fatalf("deployments %+v", dep)
	}
}

func TestUnhealthyTargetsStopTasksAndTripTheBreaker(t *testing.T) {
	w := lbWorld(t, 2, rolling(100, 200, true, true), taskDef(v1, false), taskDef(v2, false))
	w.step()
	w.run(10, time.Second, nil)
	first := w.svc.Deployments[0].ID
	w.badTargets[v2] = true
	w.deploy(v2)
	w.run(60, time.Second, func(before, after []ecs.Task, p Plan) {
		if n := w.serving(v1); n < 2 {
			t.Fatalf("only %d old targets serving while the new revision fails", n)
		}
	})
	var stoppedForELB int
	for _, tk := range w.tasks {
		if tk.TaskDefinitionARN == v2 && tk.StoppedReason == ecs.ReasonELBHealthFailed(tgARN) {
			stoppedForELB++
		}
	}
	if stoppedForELB < 3 {
		t.Fatalf("%d v2 tasks stopped for ELB health checks, want at least the threshold 3", stoppedForELB)
	}
	unhealthy := false
	for _, e := range w.events {
		unhealthy = unhealthy || (strings.Contains(e, "is unhealthy in (target-group "+tgARN+")") &&
			strings.HasSuffix(e, "due to (reason Health checks failed with these codes: [404])."))
	}
	if !unhealthy {
		t.Fatalf("no unhealthy-target event: %q", w.events)
	}
	if !w.hasEvent("(service web) rolling back to deployment " + first + ".") {
		t.Fatalf("no rollback: %q", w.events)
	}
	if p := w.svc.Deployments[0]; p.TaskDefinition != v1 || p.RolloutState != ecs.RolloutCompleted || len(w.svc.Deployments) != 1 {
		t.Fatalf("after rollback: %+v", w.svc.Deployments)
	}
}

func TestGracePeriodDefersELBHealthFailures(t *testing.T) {
	w := lbWorld(t, 1, rolling(100, 200, false, false), taskDef(v1, false))
	w.svc.HealthCheckGracePeriod = 30 * time.Second
	w.badTargets[v1] = true
	w.step()
	w.run(10, time.Second, nil)
	for _, tk := range w.tasks {
		if tk.DesiredStatus == ecs.TaskStopped {
			t.Fatalf("task stopped %s into a 30 s grace period", w.now.Sub(tk.StartedAt))
		}
	}
	w.run(30, time.Second, nil)
	stopped := 0
	for _, tk := range w.tasks {
		if tk.StoppedReason == ecs.ReasonELBHealthFailed(tgARN) {
			stopped++
		}
	}
	if stopped == 0 {
		t.Fatalf("unhealthy task not stopped after the grace period")
	}
}

func TestStoppedBeforeRegistrationNeedsNoDrain(t *testing.T) {
	w := lbWorld(t, 1, rolling(100, 200, false, false), taskDef(v1, false))
	w.step()
	w.run(1, time.Second, nil) // PENDING, not yet ACTIVATING
	w.svc.DesiredCount = 0
	w.run(5, time.Second, nil)
	for _, tk := range w.tasks {
		if tk.LastStatus != ecs.TaskStopped || len(tk.LBTargets) != 0 {
			t.Fatalf("task %s at %s with targets %+v", tk.ID, tk.LastStatus, tk.LBTargets)
		}
	}
}
