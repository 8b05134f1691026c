// Package health runs a target group's health checks as an Application
// Load Balancer does, and decides target health from their results.
//
// Step is the pure state machine (see package elb for the diagram); the
// Checker runs one probe loop per target on an injectable clock and
// reports each change of state.
//
//	initial ─1 pass─▶ healthy ─unhealthy-threshold fails─▶ unhealthy ─healthy-threshold passes─▶ healthy
//	initial ─unhealthy-threshold fails─▶ unhealthy
//
// A failure's reason is Target.ResponseCodeMismatch when the target
// answered with a code the matcher does not accept ("Health checks failed
// with these codes: [404]"), Target.Timeout when it did not answer within
// the timeout, and Target.FailedHealthChecks otherwise (connection
// refused or reset, a malformed reply).
package health

import (
	"time"

	"github.com/quayside/quayside/internal/elb"
)

// Result is the outcome of one check.
type Result struct {
	OK      bool
	Code    int  // the HTTP status, when the target answered
	Timeout bool // no answer within the timeout
}

// Status is what the checker knows of one target: its health and its
// run of consecutive passes or failures.
type Status struct {
	Health elb.Health
	Passes int
	Fails  int
}

// Begin is the status of a target whose checks are starting: a target
// that was healthy or unhealthy stays so, anything else is initial with
// Elb.InitialHealthChecking.
func Begin(h elb.Health, now time.Time) Status {
	switch h.State {
	case elb.StateHealthy, elb.StateUnhealthy:
		return Status{Health: h}
	}
	return Status{Health: elb.NewHealth(elb.StateInitial, elb.ReasonInitialHealthChecking, now)}
}

// Step applies one check's result. healthy and unhealthy are the target
// group's thresholds. A new target needs one passed check to be healthy.
func Step(s Status, r Result, healthy, unhealthy int, now time.Time) Status {
	if r.OK {
		s.Fails = 0
		s.Passes++
		switch s.Health.State {
		case elb.StateInitial:
			s.Health = elb.NewHealth(elb.StateHealthy, "", now)
		case elb.StateUnhealthy:
			if s.Passes >= healthy {
				s.Health = elb.NewHealth(elb.StateHealthy, "", now)
			}
		}
		return s
	}
	s.Passes = 0
	s.Fails++
	failed := failure(r, now)
	switch s.Health.State {
	case elb.StateInitial, elb.StateHealthy:
		if s.Fails >= unhealthy {
			s.Health = failed
		}
	case elb.StateUnhealthy:
		// Stays unhealthy; the reason follows the latest failure.
		failed.Since = s.Health.Since
		s.Health = failed
	}
	return s
}

func failure(r Result, now time.Time) elb.Health {
	switch {
	case r.Timeout:
		return elb.NewHealth(elb.StateUnhealthy, elb.ReasonTimeout, now)
	case r.Code != 0:
		return elb.CodeMismatch(r.Code, now)
	}
	return elb.NewHealth(elb.StateUnhealthy, elb.ReasonFailedHealthChecks, now)
}
