package health

import (
	"testing"
	"time"

	"github.com/quayside/quayside/internal/elb"
)

var (
	pass    = Result{OK: true, Code: 200}
	code404 = Result{Code: 404}
	timeout = Result{Timeout: true}
	refused = Result{}
)

func TestStep(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		name     string
		from     string // starting state
		results  []Result
		healthy  int
		unhealth int
		want     elb.Health
	}{
		{"initial passes once", elb.StateInitial, []Result{pass}, 5, 2, elb.NewHealth(elb.StateHealthy, "", t0)},
		{"initial stays initial below the threshold", elb.StateInitial, []Result{code404}, 5, 2, elb.NewHealth(elb.StateInitial, elb.ReasonInitialHealthChecking, t0)},
		{"initial fails to unhealthy", elb.StateInitial, []Result{code404, code404}, 5, 2, elb.CodeMismatch(404, t0)},
		{"healthy tolerates one failure", elb.StateHealthy, []Result{code404}, 5, 2, elb.NewHealth(elb.StateHealthy, "", t0)},
		{"a pass resets the failures", elb.StateHealthy, []Result{code404, pass, code404}, 5, 2, elb.NewHealth(elb.StateHealthy, "", t0)},
		{"healthy to unhealthy on timeouts", elb.StateHealthy, []Result{timeout, timeout}, 5, 2, elb.NewHealth(elb.StateUnhealthy, elb.ReasonTimeout, t0)},
		{"healthy to unhealthy on refusals", elb.StateHealthy, []Result{refused, refused, refused}, 5, 3, elb.NewHealth(elb.StateUnhealthy, elb.ReasonFailedHealthChecks, t0)},
		{"unhealthy needs the healthy threshold", elb.StateUnhealthy, []Result{pass, pass, pass, pass}, 5, 2, elb.NewHealth(elb.StateUnhealthy, elb.ReasonFailedHealthChecks, t0)},
		{"unhealthy recovers", elb.StateUnhealthy, []Result{pass, pass}, 2, 2, elb.NewHealth(elb.StateHealthy, "", t0)},
		{"a failure restarts the recovery", elb.StateUnhealthy, []Result{pass, code404, pass}, 2, 2, elb.CodeMismatch(404, t0)},
		{"unhealthy reason follows the latest failure", elb.StateUnhealthy, []Result{timeout, {Code: 500}}, 2, 2, elb.CodeMismatch(500, t0)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := elb.NewHealth(c.from, "", t0)
			switch c.from {
			case elb.StateInitial:
				h = elb.NewHealth(c.from, elb.ReasonInitialHealthChecking, t0)
			case elb.StateUnhealthy:
				h = elb.NewHealth(c.from, elb.ReasonFailedHealthChecks, t0)
			}
			s := Status{Health: h}
			for i, r := range c.results {
				s = Step(s, r, c.healthy, c.unhealth, t0.Add(time.Duration(i)*time.Second))
			}
			if !s.Health.SameAs(c.want) {
				t.Fatalf("got %+v, want %+v", s.Health, c.want)
			}
		})
	}
}

func TestStepSince(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	s := Begin(elb.Health{}, t0)
	if s.Health.State != elb.StateInitial || s.Health.Reason != elb.ReasonInitialHealthChecking {
		t.Fatalf("Begin: %+v", s.Health)
	}
	s = Step(s, pass, 5, 2, t0.Add(time.Second))
	if !s.Health.Since.Equal(t0.Add(time.Second)) {
		t.Fatalf("since %v", s.Health.Since)
	}
	s = Step(s, pass, 5, 2, t0.Add(2*time.Second))
	if !s.Health.Since.Equal(t0.Add(time.Second)) {
		t.Fatal("a pass while healthy moved Since")
	}
	// A target that was healthy before the checker (re)started stays so.
	if b := Begin(s.Health, t0.Add(time.Hour)); b.Health.State != elb.StateHealthy {
		t.Fatalf("Begin(healthy) = %+v", b.Health)
	}
}
