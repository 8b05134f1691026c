package docker

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// EventsOptions configure Events.
type EventsOptions struct {
	// Since replays past events from this time before live ones, so a
	// watcher that reconnects misses nothing. Until ends the stream.
	Since, Until time.Time
	// Filters such as {"type": {"container"}, "event": {"die", "oom"},
	// "label": {"quayside.task"}}.
	Filters Filters
}

// Event is one daemon event.
type Event struct {
	// Type is "container", "network", "image", "volume", ...
	Type string `json:"Type"`
	// Action is "create", "start", "die", "oom", "kill", "stop",
	// "destroy", "health_status: healthy", "exec_start: sh -c ...", ...
	Action string     `json:"Action"`
	Actor  EventActor `json:"Actor"`
	// TimeNano is the event time in nanoseconds since the Unix epoch.
	TimeNano int64 `json:"timeNano"`
}

// EventActor is the object an event is about. For containers, ID is the
// container ID and Attributes hold its labels, "name", "image" and, for
// die, "exitCode".
type EventActor struct {
	ID         string            `json:"ID"`
	Attributes map[string]string `json:"Attributes"`
}

// Time returns when the event happened.
func (e Event) Time() time.Time { return time.Unix(0, e.TimeNano) }

// Name returns the action without its detail: "health_status" for
// "health_status: healthy".
func (e Event) Name() string {
	name, _, _ := strings.Cut(e.Action, ":")
	return name
}

// HealthStatus returns "healthy", "unhealthy" or "starting" for a
// health_status event, and "" for any other.
func (e Event) HealthStatus() string {
	name, status, ok := strings.Cut(e.Action, ": ")
	if !ok || name != "health_status" {
		return ""
	}
	return status
}

// EventStream is a live sequence of events. Its owner calls Next in one
// goroutine and Close when done.
type EventStream struct {
	ctx  context.Context
	body io.ReadCloser
	dec  *json.Decoder
}

// Events subscribes to daemon events. When it returns, the subscription
// is in place: events that happen afterwards will be delivered.
func (c *Client) Events(ctx context.Context, opts EventsOptions) (*EventStream, error) {
	q := url.Values{}
	if !opts.Since.IsZero() {
		q.Set("since", unixNano(opts.Since))
	}
	if !opts.Until.IsZero() {
		q.Set("until", unixNano(opts.Until))
	}
	opts.Filters.encode(q)
	resp, err := c.send(ctx, request{method: http.MethodGet, path: "/events", query: q})
	if err != nil {
		return nil, err
	}
	return &EventStream{ctx: ctx, body: resp.Body, dec: json.NewDecoder(resp.Body)}, nil
}

// Next blocks until the next event. It returns io.EOF when the daemon
// ends the stream (at Until, or when it shuts down) and ctx's error once
// ctx ends.
func (s *EventStream) Next() (Event, error) {
	var e Event
	if err := s.dec.Decode(&e); err != nil {
		if ctxErr := s.ctx.Err(); ctxErr != nil {
			return Event{}, ctxErr
		}
		if errors.Is(err, io.EOF) {
			return Event{}, io.EOF
		}
		return Event{}, fmt.Errorf("docker: reading events: %w", err)
	}
	return e, nil
}

// Close ends the subscription.
func (s *EventStream) Close() error { return s.body.Close() }
