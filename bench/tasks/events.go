package main

import (
	"context"
	"sync"
	"time"

	"github.com/quayside/quayside/internal/agent"
	"github.com/quayside/quayside/internal/docker"
)

// timeline records, from the Docker daemon's events, when each task's
// containers were created and started. The daemon sends an event when
// the operation is done, with its own clock, which is this machine's.
// It splits a task's start-up into what Docker did and what the agent
// did between Docker calls.
type timeline struct {
	mu sync.Mutex
	at map[string]time.Time // "<task ARN> <role> <action>" → when
}

// watchTimeline subscribes to create and start events of the agent's
// containers until ctx ends. The subscription is in place when it
// returns.
func watchTimeline(ctx context.Context, dc *docker.Client, agentID string) (*timeline, error) {
	s, err := dc.Events(ctx, docker.EventsOptions{Filters: docker.Filters{
		"type": {"container"}, "event": {"create", "start"}, "label": {agent.LabelAgent + "=" + agentID}}})
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

// get returns when the task's pause container ("pause") or its app
// container ("container") was created or started; zero if unknown.
func (t *timeline) get(arn, role, action string) time.Time {
	if t == nil {
		return time.Time{}
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.at[arn+" "+role+" "+action]
}
