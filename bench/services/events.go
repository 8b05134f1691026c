package main

import (
	"context"
	"sync"
	"time"

	"github.com/quayside/quayside/internal/agent"
	"github.com/quayside/quayside/internal/docker"
)

// timeline records, from the Docker daemon's events, when each task's
// containers were created, started, died and removed (the daemon's clock, which
// is this machine's).
type timeline struct {
	mu sync.Mutex
	at map[string]time.Time // "<task ARN> <role> <action>" → when, first seen
}

// watchTimeline subscribes to create, start, die and destroy events of the
// agent's containers until ctx ends. The subscription is in place when
// it returns.
func watchTimeline(ctx context.Context, dc *docker.Client, agentID string) (*timeline, error) {
	s, err := dc.Events(ctx, docker.EventsOptions{Filters: docker.Filters{
		"type": {"container"}, "event": {"create", "start", "die", "destroy"}, "label": {agent.LabelAgent + "=" + agentID}}})
	if err != nil {
		return nil, err
	}
	t := &timeline{at: map[string]time.Time{}}
	go func() {
		defer s.Close()
		for {
			ev, err := s.Next()
			if err != nil {
				return
			}
			a := ev.Actor.Attributes
			key := a[agent.LabelTaskARN] + " " + a[agent.LabelRole] + " " + ev.Name()
			t.mu.Lock()
			if _, ok := t.at[key]; !ok {
				t.at[key] = ev.Time()
			}
			t.mu.Unlock()
		}
	}()
	return t, nil
}

// get returns when the task's pause container ("pause") or app container
// ("container") was created, started, died or removed; zero if unknown.
func (t *timeline) get(arn, role, action string) time.Time {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.at[arn+" "+role+" "+action]
}

// waitFor waits up to d for an event to be recorded, since the daemon's
// events arrive a little after the API shows their effect.
func (t *timeline) waitFor(ctx context.Context, arn, role, action string, d time.Duration) time.Time {
	deadline := time.Now().Add(d)
	for {
		if at := t.get(arn, role, action); !at.IsZero() || time.Now().After(deadline) || ctx.Err() != nil {
			return at
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// spread returns the p50 and the last of when the tasks' containers of
// a role had an event, as offsets from t0. Events still missing after a
// second are left out.
func (t *timeline) spread(ctx context.Context, arns []string, role, action string, t0 time.Time) [2]time.Duration {
	var ds []time.Duration
	deadline := time.Now().Add(time.Second)
	for _, arn := range arns {
		if at := t.waitFor(ctx, arn, role, action, time.Until(deadline)); !at.IsZero() {
			ds = append(ds, at.Sub(t0))
		}
	}
	return [2]time.Duration{pct(ds, 50), pct(ds, 100)}
}
