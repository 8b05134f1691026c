package scheduler

import (
	"encoding/json"
	"math/rand"
	"strings"
	"testing"
	"time"

	"github.com/quayside/quayside/internal/ecs"
)

const (
	v1 = "arn:aws:ecs:us-east-1:000000000000:task-definition/web:1"
	v2 = "arn:aws:ecs:us-east-1:000000000000:task-definition/web:2"
)

func TestNewServiceReachesSteadyState(t *testing.T) {
	w := newWorld(t, 3, rolling(100, 200, false, false), taskDef(v1, false))
	p := w.step()
	if len(p.Launch) != 1 || p.Launch[0].Count != 3 {
		t.Fatalf("first step launches %+v, want 3", p.Launch)
	}
	w.run(10, 5*time.Second, nil)
	dep := w.svc.Deployments[0]
	if dep.RolloutState != ecs.RolloutCompleted || dep.RolloutStateReason != "ECS deployment "+dep.ID+" completed." {
		t.Fatalf("rollout %s %q", dep.RolloutState, dep.RolloutStateReason)
	}
	if dep.RunningCount != 3 || dep.DesiredCount != 3 || dep.PendingCount != 0 {
		t.Fatalf("counts %+v", dep)
	}
	completed := "(service web) (deployment " + dep.ID + ") deployment completed."
	steady := "(service web) has reached a steady state."
	if !w.hasEvent(completed) || !w.hasEvent(steady) {
		t.Fatalf("events %q", w.events)
	}
	n := len(w.events)
	w.run(10, time.Minute, nil)
	if len(w.events) != n {
		t.Fatalf("steady event repeated too soon: %q", w.events[n:])
	}
	w.run(1, 6*time.Hour, nil)
	if w.events[len(w.events)-1] != steady {
		t.Fatalf("steady event not repeated after 6 h: %q", w.events[n:])
	}
}

// healthyLive counts live tasks that are healthy at now.
func healthyLive(w *world, tasks []ecs.Task) int {
	n := 0
	for _, tk := range tasks {
		v := viewOf(w, tk)
		if v.healthy {
			n++
		}
	}
	return n
}

func notStopped(tasks []ecs.Task) int {
	n := 0
	for _, t := range tasks {
		if t.LastStatus != ecs.TaskStopped {
			n++
		}
	}
	return n
}

func TestRollingDeploymentBounds(t *testing.T) {
	cases := []struct {
		name               string
		minPct, maxPct, n  int
		minHealthy, maxRun int
	}{
		{"100/200 of 4", 100, 200, 4, 4, 8},
		{"50/100 of 4", 50, 100, 4, 2, 4},
		{"75/125 of 3", 75, 125, 3, 3, 3}, // stops first? no: min 3 of 3 and max 3: blocked
		{"0/100 of 2", 0, 100, 2, 0, 2},
		{"50/150 of 5", 50, 150, 5, 3, 7},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := newWorld(t, c.n, rolling(c.minPct, c.maxPct, false, false), taskDef(v1, true), taskDef(v2, true))
			w.run(20, 5*time.Second, nil)
			if w.running(v1) != c.n {
				t.Fatalf("first deployment did not settle: %d running", w.running(v1))
			}
			w.deploy(v2)
			w.run(40, 5*time.Second, func(before, after []ecs.Task, p Plan) {
				if got := healthyLive(w, after); got < c.minHealthy {
					t.Fatalf("healthy tasks fell to %d, below the minimum %d", got, c.minHealthy)
				}
				if got := notStopped(after); got > c.maxRun && c.maxRun >= c.n {
					t.Fatalf("%d tasks live, above the maximum %d", got, c.maxRun)
				}
				for _, s := range p.Stop {
					if !strings.HasPrefix(s.Reason, "Scaling activity initiated by (deployment ecs-svc/") {
						t.Fatalf("stop reason %q", s.Reason)
					}
				}
			})
			if c.name == "75/125 of 3" {
				if !w.hasEvent(ecs.EventDeploymentBlocked("web")) || w.running(v2) != 0 {
					t.Fatalf("impossible bounds: events %q, new tasks %d", w.events, w.running(v2))
				}
				return
			}
			if w.running(v2) != c.n || w.running(v1) != 0 || len(w.svc.Deployments) != 1 {
				t.Fatalf("deployment did not finish: v1 %d v2 %d deployments %d", w.running(v1), w.running(v2), len(w.svc.Deployments))
			}
		})
	}
}

func TestKilledTaskIsReplaced(t *testing.T) {
	w := newWorld(t, 2, rolling(100, 200, false, false), taskDef(v1, false))
	w.run(15, 5*time.Second, nil)
	for i := range w.tasks {
		if w.tasks[i].LastStatus == ecs.TaskRunning {
			w.tasks[i].LastStatus, w.tasks[i].DesiredStatus = ecs.TaskStopped, ecs.TaskStopped
			w.tasks[i].StopCode = ecs.StopEssentialContainerExited
			break
		}
	}
	p := w.step()
	if len(p.Launch) != 1 || p.Launch[0].Count != 1 {
		t.Fatalf("no replacement launched: %+v", p.Launch)
	}
	w.run(15, 5*time.Second, nil)
	if w.running(v1) != 2 {
		t.Fatalf("running %d", w.running(v1))
	}
}

func TestScaleInStopsNewestFirst(t *testing.T) {
	w := newWorld(t, 4, rolling(100, 200, false, false), taskDef(v1, false))
	for i := 0; i < 12; i++ {
		w.run(1, 5*time.Second, nil)
	}
	newest := w.tasks[len(w.tasks)-1].ID
	w.svc.DesiredCount = 3
	p := w.step()
	if len(p.Stop) != 1 || p.Stop[0].TaskID != newest {
		t.Fatalf("scale-in stopped %+v, want the newest %s", p.Stop, newest)
	}
}

func TestCrashLoopIsThrottled(t *testing.T) {
	w := newWorld(t, 1, rolling(100, 200, false, false), taskDef(v1, false))
	w.crashes[v1] = true
	var delays []time.Duration
	last := time.Time{}
	w.run(400, 5*time.Second, func(_, _ []ecs.Task, p Plan) {
		if until := w.svc.Deployments[0].ThrottleUntil; !until.Equal(last) && !until.IsZero() {
			delays = append(delays, until.Sub(w.now))
			last = until
		}
	})
	if !w.hasEvent(ecs.EventThrottled("web")) {
		t.Fatalf("no throttle event: %q", w.events)
	}
	if len(delays) < 4 || delays[0] != 10*time.Second || delays[1] != 20*time.Second {
		t.Fatalf("backoff %v, want 10 s then doubling", delays)
	}
	for _, d := range delays {
		if d > 15*time.Minute {
			t.Fatalf("backoff %v above 15 minutes", d)
		}
	}
	// A new task definition resets the throttle.
	w.crashes[v1] = false
	w.defs[v2] = taskDef(v2, false)
	w.deploy(v2)
	if p := w.step(); len(p.Launch) == 0 {
		t.Fatal("a new deployment is still throttled")
	}
}

func TestCircuitBreakerRollsBack(t *testing.T) {
	w := newWorld(t, 2, rolling(100, 200, true, true), taskDef(v1, false), taskDef(v2, false))
	w.run(20, 5*time.Second, nil)
	good := w.svc.Deployments[0].ID
	w.crashes[v2] = true
	bad := w.deploy(v2)
	w.run(200, 5*time.Second, func(_, after []ecs.Task, _ Plan) {
		if healthyLive(w, after) < 2 {
			t.Fatalf("healthy tasks fell below the minimum during the failed deployment")
		}
	})
	if !w.hasEvent("(service web) (deployment "+bad+") deployment failed: tasks failed to start.") ||
		!w.hasEvent("(service web) rolling back to deployment "+good+".") {
		t.Fatalf("events %q", w.events)
	}
	if len(w.svc.Deployments) != 1 || w.svc.Deployments[0].TaskDefinition != v1 || w.svc.Deployments[0].RolloutState != ecs.RolloutCompleted {
		t.Fatalf("after rollback: %+v", w.svc.Deployments)
	}
	if w.svc.TaskDefinition != v1 || w.running(v1) != 2 {
		t.Fatalf("service task definition %s, v1 running %d", w.svc.TaskDefinition, w.running(v1))
	}
}

func TestCircuitBreakerWithoutRollbackStaysFailed(t *testing.T) {
	w := newWorld(t, 2, rolling(100, 200, true, false), taskDef(v1, false), taskDef(v2, false))
	w.run(20, 5*time.Second, nil)
	w.crashes[v2] = true
	w.deploy(v2)
	w.run(200, 5*time.Second, nil)
	p := w.svc.Deployments[0]
	if p.RolloutState != ecs.RolloutFailed || p.RolloutStateReason != "ECS deployment circuit breaker: tasks failed to start." {
		t.Fatalf("primary %s %q", p.RolloutState, p.RolloutStateReason)
	}
	if plan := w.step(); len(plan.Launch) != 0 {
		t.Fatal("a FAILED deployment launched tasks")
	}
	if w.running(v1) != 2 {
		t.Fatalf("old tasks %d, want 2 kept", w.running(v1))
	}
	// threshold: max(3, ceil(0.5 × 2)) = 3 failures; tasks already in
	// flight when it tripped may add to the count.
	if p.FailedTasks < 3 || p.FailedTasks > 4 {
		t.Fatalf("failedTasks %d, want 3 (or 4 with one in flight)", p.FailedTasks)
	}
}

func TestUnhealthyTasksAreReplaced(t *testing.T) {
	w := newWorld(t, 1, rolling(100, 200, true, false), taskDef(v1, true))
	w.sick[v1] = true
	w.run(60, 5*time.Second, nil)
	if !strings.Contains(strings.Join(w.events, "\n"), ") failed container health checks.") {
		t.Fatalf("no health event: %q", w.events)
	}
	stopped := 0
	for _, tk := range w.tasks {
		if tk.StoppedReason == ecs.ReasonContainerHealthFailed {
			stopped++
		}
	}
	if stopped < 3 || w.svc.Deployments[0].RolloutState != ecs.RolloutFailed {
		t.Fatalf("health-stopped tasks %d, rollout %s", stopped, w.svc.Deployments[0].RolloutState)
	}
}

func TestHealthCheckGracePeriod(t *testing.T) {
	w := newWorld(t, 1, rolling(100, 200, false, false), taskDef(v1, true))
	w.svc.HealthCheckGracePeriod = time.Minute
	w.sick[v1] = true
	w.run(6, 5*time.Second, nil)
	for _, tk := range w.tasks {
		if tk.DesiredStatus == ecs.TaskStopped {
			t.Fatalf("task stopped within the grace period: %+v", tk)
		}
	}
	w.run(20, 5*time.Second, nil)
	if !strings.Contains(strings.Join(w.events, "\n"), "failed container health checks") {
		t.Fatal("task not stopped after the grace period")
	}
}

func TestDrainingServiceBecomesInactive(t *testing.T) {
	w := newWorld(t, 2, rolling(100, 200, false, false), taskDef(v1, false))
	w.run(15, 5*time.Second, nil)
	w.svc.Status, w.svc.DesiredCount = ecs.ServiceDraining, 0
	w.run(5, 5*time.Second, nil)
	if w.svc.Status != ecs.ServiceInactive || w.running("") != 0 {
		t.Fatalf("status %s running %d", w.svc.Status, w.running(""))
	}
}

func TestThrottleDelay(t *testing.T) {
	want := map[int]time.Duration{3: 10 * time.Second, 4: 20 * time.Second, 5: 40 * time.Second, 9: 640 * time.Second, 10: 15 * time.Minute, 50: 15 * time.Minute}
	for n, d := range want {
		if got := throttleDelay(n); got != d {
			t.Errorf("throttleDelay(%d) = %v, want %v", n, got, d)
		}
	}
}

// Property: under random failures, deployments and scaling, the scheduler
// never exceeds the maximum, never lets healthy tasks fall below the
// minimum through its own stops, only rolls back to a COMPLETED
// deployment, and reaches the desired count once failures stop.
func TestPropertiesUnderRandomEvents(t *testing.T) {
	for seed := int64(1); seed <= 40; seed++ {
		rng := rand.New(rand.NewSource(seed))
		minPct := []int{0, 50, 100}[rng.Intn(3)]
		maxPct := []int{100, 150, 200}[rng.Intn(3)]
		if minPct == 100 && maxPct == 100 {
			maxPct = 200
		}
		desired := 1 + rng.Intn(6)
		w := newWorld(t, desired, rolling(minPct, maxPct, rng.Intn(2) == 0, true), taskDef(v1, true), taskDef(v2, true))
		completedDefs := map[string]bool{}
		for round := 0; round < 300; round++ {
			w.now = w.now.Add(5 * time.Second)
			switch r := rng.Intn(40); {
			case r == 0 && round < 200:
				w.deploy([]string{v1, v2}[rng.Intn(2)])
			case r == 1 && round < 200:
				for i := range w.tasks {
					if w.tasks[i].LastStatus == ecs.TaskRunning && rng.Intn(3) == 0 {
						w.tasks[i].LastStatus, w.tasks[i].DesiredStatus, w.tasks[i].StopCode = ecs.TaskStopped, ecs.TaskStopped, ecs.StopEssentialContainerExited
					}
				}
			case r == 2 && round < 200:
				w.crashes[v2] = rng.Intn(2) == 0
			}
			w.agent()
			before := append([]ecs.Task(nil), w.tasks...)
			healthyBefore := healthyLive(w, before)
			p := w.step()
			cfg := w.svc.DeploymentConfiguration
			stopsOfHealthy := 0
			for _, s := range p.Stop {
				for _, tk := range before {
					if tk.ID == s.TaskID && viewOf(w, tk).healthy && s.Reason != ecs.ReasonContainerHealthFailed {
						stopsOfHealthy++
					}
				}
			}
			if stopsOfHealthy > 0 && healthyBefore-stopsOfHealthy < cfg.MinHealthyTasks(w.svc.DesiredCount) {
				t.Fatalf("seed %d round %d: stopped %d healthy tasks of %d, below the minimum %d", seed, round, stopsOfHealthy, healthyBefore, cfg.MinHealthyTasks(w.svc.DesiredCount))
			}
			launched := 0
			for _, l := range p.Launch {
				launched += l.Count
			}
			if launched > 0 && notStopped(before)+launched > cfg.MaxTasks(w.svc.DesiredCount) {
				t.Fatalf("seed %d round %d: launched %d with %d live, above the maximum %d", seed, round, launched, notStopped(before), cfg.MaxTasks(w.svc.DesiredCount))
			}
			for _, d := range w.svc.Deployments {
				if d.RolloutState == ecs.RolloutCompleted {
					completedDefs[d.TaskDefinition] = true
				}
			}
			for _, e := range p.Events {
				if strings.Contains(e, "rolling back to deployment") && !completedDefs[w.svc.Deployments[0].TaskDefinition] {
					t.Fatalf("seed %d: rolled back to a deployment that never completed", seed)
				}
			}
		}
		w.crashes[v2] = false
		w.run(200, 5*time.Second, nil)
		if w.running("") != desired {
			t.Fatalf("seed %d: %d running after failures stopped, want %d (deployments %+v)", seed, w.running(""), desired, w.svc.Deployments)
		}
	}
}

// Decide must not change its input: the loop decides twice on one read.
func TestDecideLeavesInputAlone(t *testing.T) {
	w := newWorld(t, 3, rolling(100, 200, true, true), taskDef(v1, false), taskDef(v2, false))
	w.run(20, 5*time.Second, nil)
	w.deploy(v2)
	w.run(3, 5*time.Second, nil)
	in := Input{Service: w.svc, Tasks: w.tasks, TaskDefs: w.defs, Now: w.now, NewID: func() string { return "ecs-svc/9" }}
	before := cloneService(in.Service)
	beforeJSON, _ := json.Marshal(in.Service)
	Decide(in)
	afterJSON, _ := json.Marshal(in.Service)
	if string(beforeJSON) != string(afterJSON) || !equalService(before, in.Service) {
		t.Fatal("Decide changed its input service")
	}
}
