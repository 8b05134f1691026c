package health

import (
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/quayside/quayside/internal/alb/clock"
	"github.com/quayside/quayside/internal/elb"
)

// recorder collects reported healths.
type recorder struct {
	mu  sync.Mutex
	got []elb.Health
	ch  chan elb.Health
}

func newRecorder() *recorder { return &recorder{ch: make(chan elb.Health, 100)} }

func (r *recorder) report(_ string, _ elb.Target, h elb.Health) {
	r.mu.Lock()
	r.got = append(r.got, h)
	r.mu.Unlock()
	r.ch <- h
}

func (r *recorder) next(t *testing.T) elb.Health {
	t.Helper()
	select {
	case h := <-r.ch:
		return h
	case <-time.After(10 * time.Second):
		t.Fatal("no health reported")
		return elb.Health{}
	}
}

// tick advances the clock by d once a timer is due exactly then.
func tick(t *testing.T, clk *clock.Fake, d time.Duration) {
	t.Helper()
	if !clk.WaitTimer(d, 5*time.Second) {
		t.Fatalf("nothing waits for %v", d)
	}
	clk.Advance(d)
}

func TestCheckerWithFakeClock(t *testing.T) {
	var status atomic.Int32
	status.Store(200)
	var hang atomic.Bool
	release := make(chan struct{})
	var ua atomic.Value
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ua.Store(r.UserAgent())
		if hang.Load() {
			select {
			case <-release:
			case <-r.Context().Done():
			}
			return
		}
		if r.URL.Path != "/health" {
			w.WriteHeader(404)
			return
		}
		w.WriteHeader(int(status.Load()))
	}))
	defer target.Close()
	defer close(release)

	clk := clock.NewFake(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	rec := newRecorder()
	c := NewChecker(clk, rec.report)
	defer c.Close()
	hc := elb.DefaultHealthCheck("HTTP", 0)
	hc.Path, hc.HealthyThreshold, hc.UnhealthyThreshold = "/health", 2, 2
	spec := Spec{Key: "k", TargetGroupARN: "tg", Target: elb.Target{ID: "127.0.0.1", Port: 1}, Addr: strings.TrimPrefix(target.URL, "http://"),
		Check: hc, Current: elb.NewHealth(elb.StateInitial, elb.ReasonRegistrationInProgress, clk.Now())}
	c.Update([]Spec{spec})

	// Picked up: initial, checking; the first check passes at once.
	if h := rec.next(t); h.State != elb.StateInitial || h.Reason != elb.ReasonInitialHealthChecking {
		t.Fatalf("first report %+v", h)
	}
	if h := rec.next(t); h.State != elb.StateHealthy {
		t.Fatalf("second report %+v", h)
	}
	if got := ua.Load(); got != UserAgent {
		t.Fatalf("User-Agent %v", got)
	}
	// Two failures 30 s apart make it unhealthy with the code.
	status.Store(404)
	for range 2 {
		tick(t, clk, 30*time.Second)
	}
	if h := rec.next(t); h.Description != "Health checks failed with these codes: [404]" {
		t.Fatalf("unhealthy report %+v", h)
	}
	// A hanging target times out after the timeout (5 s) on the fake clock.
	hang.Store(true)
	tick(t, clk, 30*time.Second) // the next check starts, with its timeout timer
	tick(t, clk, 5*time.Second)
	if h := rec.next(t); h.Reason != elb.ReasonTimeout || h.Description != "Request timed out" {
		t.Fatalf("timeout report %+v", h)
	}
	// Settings change in place: the new path answers 404 → code mismatch.
	hang.Store(false)
	spec.Check.Path = "/other"
	c.Update([]Spec{spec})
	tick(t, clk, 30*time.Second)
	if h := rec.next(t); h.Reason != elb.ReasonResponseCodeMismatch {
		t.Fatalf("after path change %+v", h)
	}
	// Removing the target stops its probe.
	c.Update(nil)
	deadline := time.Now().Add(5 * time.Second)
	for clk.Pending() > 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if clk.Pending() != 0 {
		t.Fatal("probe still scheduled after removal")
	}
}

func TestCheckerRefused(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close() // nothing listens: connection refused
	clk := clock.NewFake(time.Now())
	rec := newRecorder()
	c := NewChecker(clk, rec.report)
	defer c.Close()
	hc := elb.DefaultHealthCheck("HTTP", 0)
	c.Update([]Spec{{Key: "k", TargetGroupARN: "tg", Target: elb.Target{ID: "127.0.0.1"}, Addr: addr, Check: hc,
		Current: elb.NewHealth(elb.StateHealthy, "", clk.Now())}})
	tick(t, clk, 30*time.Second)
	if h := rec.next(t); h.Reason != elb.ReasonFailedHealthChecks || h.Description != "Health checks failed" {
		t.Fatalf("%+v", h)
	}
}
