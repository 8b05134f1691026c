package ecs

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"
)

const (
	histTD1 = "arn:aws:ecs:us-east-1:000000000000:task-definition/web:1"
	histTD2 = "arn:aws:ecs:us-east-1:000000000000:task-definition/web:2"
	dep1    = "ecs-svc/1000000000000000001"
	dep2    = "ecs-svc/2000000000000000002"
	dep3    = "ecs-svc/3000000000000000003"
	dep4    = "ecs-svc/4000000000000000004"
)

var histEpoch = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

// historyWorld plays a service's changes through DiffServiceHistory and
// keeps what ecsdb would store.
type historyWorld struct {
	t    *testing.T
	svc  Service
	hist ServiceHistory
	recs map[string]ServiceDeployment
	revs map[string]ServiceRevision
	ids  []string // service deployment IDs in creation order
	now  time.Time
	last HistoryChange
}

func newHistoryWorld(t *testing.T) *historyWorld {
	return &historyWorld{t: t, recs: map[string]ServiceDeployment{}, revs: map[string]ServiceRevision{}, now: histEpoch}
}

// step records the change from the current service to after, a minute
// later than the previous step.
func (w *historyWorld) step(after Service) HistoryChange {
	w.t.Helper()
	w.now = w.now.Add(time.Minute)
	in := HistoryInput{Before: w.svc, After: after, History: w.hist, Now: w.now, NewID: func() string {
		id := fmt.Sprintf("sd%02d", len(w.ids)+1)
		w.ids = append(w.ids, id)
		return id
	}}
	for _, id := range w.hist.Open {
		in.Open = append(in.Open, w.recs[id])
	}
	ch := DiffServiceHistory(in)
	if ch.Purge {
		w.recs, w.revs = map[string]ServiceDeployment{}, map[string]ServiceRevision{}
	}
	for _, r := range ch.Revisions {
		if _, ok := w.revs[r.ID]; !ok {
			w.revs[r.ID] = r
		}
	}
	for _, d := range ch.Deployments {
		w.recs[d.ID] = d
	}
	w.hist, w.svc, w.last = ch.History, after, ch
	return ch
}

func (w *historyWorld) rec(id string) ServiceDeployment {
	w.t.Helper()
	r, ok := w.recs[id]
	if !ok {
		w.t.Fatalf("no service deployment %s; have %v", id, w.ids)
	}
	return r
}

func histService(deps ...Deployment) Service {
	return Service{ARN: "arn:aws:ecs:us-east-1:000000000000:service/prod/web", Name: "web",
		ClusterARN: "arn:aws:ecs:us-east-1:000000000000:cluster/prod", Status: ServiceActive, DesiredCount: 4,
		PlatformVersion: "LATEST", Deployments: deps}
}

func histDep(id, td string, status DeploymentStatus, rollout RolloutState) Deployment {
	cfg := DefaultDeploymentConfiguration(SchedulingReplica)
	cfg.CircuitBreaker.Enable, cfg.CircuitBreaker.Rollback = true, true
	return Deployment{ID: id, Status: status, TaskDefinition: td, RolloutState: rollout, LaunchType: LaunchTypeFargate,
		PlatformVersion: "1.4.0", CreatedAt: histEpoch, DeploymentConfiguration: cfg}
}

func withCounts(d Deployment, desired, running, pending int) Deployment {
	d.DesiredCount, d.RunningCount, d.PendingCount = desired, running, pending
	return d
}

func failed(d Deployment, n int) Deployment {
	d.RolloutState, d.RolloutStateReason, d.FailedTasks = RolloutFailed, RolloutReasonCircuitBreaker, n
	return d
}

func completed(d Deployment) *Deployment {
	d.RolloutState = RolloutCompleted
	return &d
}

func TestHistoryCreateService(t *testing.T) {
	w := newHistoryWorld(t)
	ch := w.step(histService(histDep(dep1, histTD1, DeploymentPrimary, RolloutInProgress)))
	if !ch.Purge || len(ch.Deployments) != 1 || len(ch.Revisions) != 1 {
		t.Fatalf("change = purge %v, %d deployments, %d revisions", ch.Purge, len(ch.Deployments), len(ch.Revisions))
	}
	r := w.rec("sd01")
	checks := []struct {
		name      string
		got, want any
	}{
		{"status", r.Status, ServiceDeploymentInProgress},
		{"seq", r.Seq, int64(1)},
		{"target", r.Target, RevisionSummary{RevisionID: "1000000000000000001", DeploymentID: dep1}},
		{"source", len(r.Source), 0},
		{"created", r.CreatedAt, histEpoch},
		{"started", r.StartedAt, histEpoch},
		{"finished", r.FinishedAt.IsZero(), true},
		{"breaker", r.CircuitBreaker, CircuitBreakerMonitor{Status: MonitorMonitoring, Threshold: 3}},
		{"alarms", r.Alarms.Status, MonitorDisabled},
		{"open", fmt.Sprint(w.hist.Open), "[sd01]"},
		{"arn", r.ARN(), "arn:aws:ecs:us-east-1:000000000000:service-deployment/prod/web/sd01"},
	}
	for _, c := range checks {
		if fmt.Sprint(c.got) != fmt.Sprint(c.want) {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	rev := w.revs["1000000000000000001"]
	if rev.TaskDefinition != histTD1 || rev.PlatformVersion != "1.4.0" || rev.ServicePlatformVersion != "LATEST" ||
		rev.ARN() != "arn:aws:ecs:us-east-1:000000000000:service-revision/prod/web/1000000000000000001" {
		t.Errorf("revision = %+v", rev)
	}
}

// TestHistoryTransitions plays named sequences of service changes and
// checks the status of each service deployment at the end.
func TestHistoryTransitions(t *testing.T) {
	p1 := histDep(dep1, histTD1, DeploymentPrimary, RolloutInProgress)
	a1 := histDep(dep1, histTD1, DeploymentActive, RolloutInProgress)
	p2 := histDep(dep2, histTD2, DeploymentPrimary, RolloutInProgress)
	a2 := histDep(dep2, histTD2, DeploymentActive, RolloutInProgress)
	last1 := func(s Service) Service { s.LastCompleted = completed(p1); return s }
	rollbackOf1 := func(id string) Deployment { d := histDep(id, histTD1, DeploymentPrimary, RolloutInProgress); return d }

	type want struct {
		status   ServiceDeploymentStatus
		reason   string
		rollback string // revision ID rolled back to
	}
	cases := []struct {
		name  string
		steps []Service
		want  []want // by creation order
	}{
		{"completes", []Service{
			histService(p1),
			histService(withCounts(*completed(p1), 4, 4, 0)),
		}, []want{{status: ServiceDeploymentSuccessful}}},
		{"replaced before completing", []Service{
			histService(p1),
			histService(p2, a1),
		}, []want{{status: ServiceDeploymentStopped, reason: ReasonServiceDeploymentReplaced}, {status: ServiceDeploymentInProgress}}},
		{"replaced after completing", []Service{
			histService(p1),
			histService(*completed(p1)),
			last1(histService(p2, *completed(a1))),
			last1(histService(*completed(p2))),
		}, []want{{status: ServiceDeploymentSuccessful}, {status: ServiceDeploymentSuccessful}}},
		{"circuit breaker without rollback", []Service{
			histService(p1),
			histService(failed(p1, 3)),
		}, []want{{status: ServiceDeploymentStopped, reason: RolloutReasonCircuitBreaker}}},
		{"circuit breaker rollback succeeds", []Service{
			histService(p1),
			histService(*completed(p1)),
			last1(histService(p2, *completed(a1))),
			last1(histService(rollbackOf1(dep3), failed(a2, 3))),
			last1(histService(*completed(rollbackOf1(dep3)))),
		}, []want{{status: ServiceDeploymentSuccessful},
			{status: ServiceDeploymentRollbackSuccessful, reason: RolloutReasonCircuitBreaker, rollback: "1000000000000000001"}}},
		{"circuit breaker rollback fails", []Service{
			histService(p1),
			histService(*completed(p1)),
			last1(histService(p2, *completed(a1))),
			last1(histService(rollbackOf1(dep3), failed(a2, 3))),
			last1(histService(failed(rollbackOf1(dep3), 3))),
		}, []want{{status: ServiceDeploymentSuccessful},
			{status: ServiceDeploymentRollbackFailed, reason: RolloutReasonCircuitBreaker, rollback: "1000000000000000001"}}},
		{"circuit breaker rollback after the failed deployment was dropped", []Service{
			histService(p1),
			histService(*completed(p1)),
			last1(histService(p2, *completed(a1))),
			last1(histService(rollbackOf1(dep3))),
			last1(histService(*completed(rollbackOf1(dep3)))),
		}, []want{{status: ServiceDeploymentSuccessful},
			{status: ServiceDeploymentRollbackSuccessful, reason: RolloutReasonCircuitBreaker, rollback: "1000000000000000001"}}},
		{"rollback deployment fails and is dropped", []Service{
			histService(p1),
			histService(*completed(p1)),
			last1(histService(p2, *completed(a1))),
			last1(histService(rollbackOf1(dep3))),
			last1(histService(rollbackOf1(dep4))),
		}, []want{{status: ServiceDeploymentSuccessful},
			{status: ServiceDeploymentRollbackFailed, reason: RolloutReasonCircuitBreaker, rollback: "1000000000000000001"},
			{status: ServiceDeploymentInProgress}}},
		{"rollback replaced by a new deployment", []Service{
			histService(p1),
			histService(*completed(p1)),
			last1(histService(p2, *completed(a1))),
			last1(histService(rollbackOf1(dep3), failed(a2, 3))),
			last1(histService(histDep(dep4, histTD2, DeploymentPrimary, RolloutInProgress), histDep(dep3, histTD1, DeploymentActive, RolloutInProgress))),
		}, []want{{status: ServiceDeploymentSuccessful},
			{status: ServiceDeploymentStopped, reason: ReasonServiceDeploymentReplaced, rollback: "1000000000000000001"},
			{status: ServiceDeploymentInProgress}}},
		{"failure before any completed deployment does not roll back", []Service{
			histService(p1),
			histService(p2, a1),
			histService(failed(p2, 3), a1),
		}, []want{{status: ServiceDeploymentStopped, reason: ReasonServiceDeploymentReplaced},
			{status: ServiceDeploymentStopped, reason: RolloutReasonCircuitBreaker}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := newHistoryWorld(t)
			for _, s := range c.steps {
				w.step(s)
			}
			if len(w.ids) != len(c.want) {
				t.Fatalf("%d service deployments, want %d", len(w.ids), len(c.want))
			}
			for i, id := range w.ids {
				r, wt := w.rec(id), c.want[i]
				got := want{status: r.Status, reason: r.StatusReason}
				if r.Rollback != nil {
					got.rollback = r.Rollback.RevisionID
				}
				if got != wt {
					t.Errorf("%s = %+v, want %+v", id, got, wt)
				}
				if r.Status.Finished() == r.FinishedAt.IsZero() {
					t.Errorf("%s: status %s with finishedAt %v", id, r.Status, r.FinishedAt)
				}
				if r.Status.Finished() == contains(w.hist.Open, id) {
					t.Errorf("%s: status %s, open %v", id, r.Status, w.hist.Open)
				}
			}
			// Recording the same service again changes nothing.
			if ch := w.step(w.svc); len(ch.Deployments) != 0 || len(ch.Revisions) != 0 || ch.Purge {
				t.Errorf("a repeated step changed %+v", ch)
			}
		})
	}
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

func TestHistoryCircuitBreakerRollback(t *testing.T) {
	w := newHistoryWorld(t)
	p1 := histDep(dep1, histTD1, DeploymentPrimary, RolloutInProgress)
	w.step(histService(p1))
	w.step(histService(*completed(p1)))
	a1 := *completed(p1)
	a1.Status = DeploymentActive
	p2 := histDep(dep2, histTD2, DeploymentPrimary, RolloutInProgress)
	svc := histService(p2, a1)
	svc.LastCompleted = completed(p1)
	w.step(svc)
	r := w.rec("sd02")
	if len(r.Source) != 1 || r.Source[0].RevisionID != "1000000000000000001" || len(w.last.Revisions) != 1 {
		t.Fatalf("source %+v, new revisions %d", r.Source, len(w.last.Revisions))
	}

	a2 := failed(p2, 3)
	a2.Status = DeploymentActive
	rb := histDep(dep3, histTD1, DeploymentPrimary, RolloutInProgress)
	svc = histService(rb, a2)
	svc.LastCompleted = completed(p1)
	ch := w.step(svc)
	if len(ch.Revisions) != 0 || len(w.ids) != 2 {
		t.Fatalf("a rollback made %d revisions, %d service deployments", len(ch.Revisions), len(w.ids))
	}
	r = w.rec("sd02")
	if r.Status != ServiceDeploymentRollbackInProgress || r.Rollback == nil || r.Rollback.DeploymentID != dep3 ||
		r.Rollback.StartedAt != w.now || r.Rollback.Reason != ReasonRollbackCircuitBreaker {
		t.Fatalf("rolling back: %+v rollback %+v", r, r.Rollback)
	}
	if r.CircuitBreaker != (CircuitBreakerMonitor{Status: MonitorTriggered, FailureCount: 3, Threshold: 3}) {
		t.Errorf("breaker %+v", r.CircuitBreaker)
	}
	if w.hist.Revisions[dep3] != "1000000000000000001" {
		t.Errorf("the rollback deployment runs revision %q", w.hist.Revisions[dep3])
	}
}

func TestHistoryRequestedRollback(t *testing.T) {
	w := newHistoryWorld(t)
	p1 := histDep(dep1, histTD1, DeploymentPrimary, RolloutInProgress)
	w.step(histService(p1))
	a1 := p1
	a1.Status = DeploymentActive
	p2 := histDep(dep2, histTD2, DeploymentPrimary, RolloutInProgress)
	w.step(histService(p2, a1))
	// StopServiceDeployment marks the record, then writes the rollback.
	r := w.rec("sd02")
	r.Status, r.StoppedAt = ServiceDeploymentRollbackRequested, w.now
	r.Rollback = &DeploymentRollback{Reason: ReasonRollbackRequested, StartedAt: w.now, RevisionID: "1000000000000000001"}
	w.recs[r.ID] = r
	a2 := p2
	a2.Status = DeploymentActive
	w.step(histService(histDep(dep3, histTD1, DeploymentPrimary, RolloutInProgress), a2, a1))
	r = w.rec("sd02")
	if r.Status != ServiceDeploymentRollbackInProgress || r.Rollback.DeploymentID != dep3 || r.Rollback.RevisionID != "1000000000000000001" {
		t.Fatalf("after the request: %s %+v", r.Status, r.Rollback)
	}
	w.step(histService(*completed(histDep(dep3, histTD1, DeploymentPrimary, RolloutInProgress))))
	if r = w.rec("sd02"); r.Status != ServiceDeploymentRollbackSuccessful || r.StoppedAt.IsZero() {
		t.Fatalf("after the rollback: %s stopped %v", r.Status, r.StoppedAt)
	}
}

func TestHistoryCounts(t *testing.T) {
	w := newHistoryWorld(t)
	p1 := histDep(dep1, histTD1, DeploymentPrimary, RolloutInProgress)
	w.step(histService(p1))
	a1 := withCounts(*completed(p1), 4, 4, 0)
	a1.Status = DeploymentActive
	w.step(histService(withCounts(histDep(dep2, histTD2, DeploymentPrimary, RolloutInProgress), 4, 1, 2), a1))
	r := w.rec("sd02")
	if r.Target.Requested != 4 || r.Target.Running != 1 || r.Target.Pending != 2 || r.Source[0].Running != 4 {
		t.Fatalf("counts: target %+v source %+v", r.Target, r.Source)
	}
	updated := r.UpdatedAt
	// The old deployment drains away and the new one completes.
	w.step(histService(withCounts(*completed(histDep(dep2, histTD2, DeploymentPrimary, RolloutInProgress)), 4, 4, 0)))
	r = w.rec("sd02")
	if r.Status != ServiceDeploymentSuccessful || r.Target.Running != 4 || r.Source[0].Running != 0 || !r.UpdatedAt.After(updated) {
		t.Fatalf("completed: %s target %+v source %+v updated %v", r.Status, r.Target, r.Source, r.UpdatedAt)
	}
}

func TestHistoryDeleteAndRecreate(t *testing.T) {
	w := newHistoryWorld(t)
	p1 := histDep(dep1, histTD1, DeploymentPrimary, RolloutInProgress)
	w.step(histService(p1))
	gone := histService(p1)
	gone.Status = ServiceInactive
	if ch := w.step(gone); !ch.Purge || len(ch.Deployments) != 0 || len(ch.History.Open) != 0 {
		t.Fatalf("INACTIVE: %+v", ch)
	}
	w.hist = ServiceHistory{Open: []string{"sd01"}} // as if left behind
	ch := w.step(histService(histDep(dep2, histTD2, DeploymentPrimary, RolloutInProgress)))
	if !ch.Purge || len(ch.Deployments) != 1 || ch.Deployments[0].ID != "sd02" || ch.History.Seq != 1 {
		t.Fatalf("re-created: purge %v, %+v", ch.Purge, ch.Deployments)
	}
}

// A service made before the history was kept gets a record on its first
// change, dated from its deployment.
func TestHistoryAdoptsExistingService(t *testing.T) {
	w := newHistoryWorld(t)
	w.svc = histService(*completed(histDep(dep1, histTD1, DeploymentPrimary, RolloutInProgress)))
	w.step(w.svc)
	r := w.rec("sd01")
	if r.Status != ServiceDeploymentSuccessful || !r.CreatedAt.Equal(histEpoch) || len(w.revs) != 1 {
		t.Fatalf("adopted: %s created %v, %d revisions", r.Status, r.CreatedAt, len(w.revs))
	}
}

func TestServiceDeploymentID(t *testing.T) {
	g := NewIDs(nil)
	re := regexp.MustCompile(`^[A-Za-z0-9_-]{21}$`)
	seen := map[string]bool{}
	for range 100 {
		id := g.ServiceDeploymentID()
		if !re.MatchString(id) || seen[id] {
			t.Fatalf("id %q", id)
		}
		seen[id] = true
	}
}

func TestParseServiceDeploymentARN(t *testing.T) {
	r, err := ParseServiceDeploymentARN("arn:aws:ecs:us-east-1:123456789012:service-deployment/example-cluster/example-service/ejGvqq2ilnbKT9qj0vLJe")
	if err != nil || r.Cluster != "example-cluster" || r.Service != "example-service" || r.ID != "ejGvqq2ilnbKT9qj0vLJe" ||
		r.Region != "us-east-1" || r.AccountID != "123456789012" {
		t.Fatalf("%+v %v", r, err)
	}
	for _, bad := range []string{
		"ejGvqq2ilnbKT9qj0vLJe",
		"arn:aws:ecs:us-east-1:123456789012:service/example-cluster/example-service",
		"arn:aws:ecs:us-east-1:123456789012:service-deployment/example-cluster/ejGvqq2ilnbKT9qj0vLJe",
		"arn:aws:ecs:us-east-1:123456789012:service-revision/c/s/1",
	} {
		if _, err := ParseServiceDeploymentARN(bad); err == nil || !strings.Contains(err.Error(), "Invalid") {
			t.Errorf("%q: err %v", bad, err)
		}
	}
	if r, err := ParseServiceRevisionARN("arn:aws:ecs:us-east-1:123456789012:service-revision/c/s/1485800978477494678"); err != nil || r.ID != "1485800978477494678" {
		t.Errorf("revision: %+v %v", r, err)
	}
}

func TestContainerImagesOf(t *testing.T) {
	td := TaskDefinition{ContainerDefinitions: []ContainerDefinition{{Name: "web", Image: "nginx"},
		{Name: "side", Image: "busybox@sha256:28402db69fec7c17e179ea87882667f1e054391138f77ffaf0c3eb388efc3ffb"}}}
	got := ContainerImagesOf(&td)
	if len(got) != 2 || got[0] != (ContainerImage{ContainerName: "web", Image: "nginx"}) ||
		got[1].ImageDigest != "sha256:28402db69fec7c17e179ea87882667f1e054391138f77ffaf0c3eb388efc3ffb" {
		t.Fatalf("%+v", got)
	}
}
