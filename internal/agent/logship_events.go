package agent

// This file turns Docker log lines into CloudWatch Logs events, joining
// multi-line events as Docker's awslogs driver does, and cuts events into
// PutLogEvents-sized batches. It is pure: the caller passes the time.

import (
	"regexp"
	"time"

	"github.com/quayside/quayside/internal/docker"
	"github.com/quayside/quayside/internal/logs"
)

// shipEvent is one event to ship and the newest Docker timestamp among
// the lines it holds: once it is stored, the cursor may move there.
type shipEvent struct {
	logs.Event
	last time.Time
}

// joiner turns lines into events. Without a pattern each line is an
// event. With one, a line that matches starts a new event and every other
// line joins the event before it; each joined line ends with "\n", as
// Docker's driver sends them. An event that would outgrow maxBytes is
// sent and a new one started, keeping the first one's timestamp.
type joiner struct {
	pattern  *regexp.Regexp
	maxBytes int

	buf     []byte
	first   time.Time // the event's timestamp: its first line's
	last    time.Time // its newest line's
	started time.Time // when the buffered event began, by the caller's clock
}

func newJoiner(pattern *regexp.Regexp) *joiner {
	return &joiner{pattern: pattern, maxBytes: docker.MaxLogLine}
}

// add appends to out the events that lines complete. now is the time the
// lines were read, for pendingSince.
func (j *joiner) add(out []shipEvent, lines []docker.LogLine, now time.Time) []shipEvent {
	for i := range lines {
		l := &lines[i]
		if j.pattern == nil {
			out = append(out, shipEvent{logs.Event{Timestamp: l.Time, Message: l.Text}, l.Time})
			continue
		}
		newEvent := j.pattern.MatchString(l.Text)
		if newEvent || len(j.buf)+len(l.Text) > j.maxBytes {
			ts := j.first
			out = j.flush(out)
			if !newEvent {
				j.first = ts // one event split for size keeps its timestamp
			}
		}
		if len(j.buf) == 0 {
			if j.first.IsZero() {
				j.first = l.Time
			}
			j.started = now
		}
		j.buf = append(j.buf, l.Text...)
		if len(l.Text) < j.maxBytes {
			j.buf = append(j.buf, '\n')
		}
		if l.Time.After(j.last) {
			j.last = l.Time
		}
	}
	return out
}

// pendingSince reports when the event still being joined began, if
// there is one.
func (j *joiner) pendingSince() (time.Time, bool) {
	return j.started, len(j.buf) > 0
}

// flush appends the event being joined, if any, to out.
func (j *joiner) flush(out []shipEvent) []shipEvent {
	if len(j.buf) > 0 {
		out = append(out, shipEvent{logs.Event{Timestamp: j.first, Message: string(j.buf)}, j.last})
	}
	j.buf, j.first, j.last = j.buf[:0], time.Time{}, time.Time{}
	return out
}

// PutLogEvents limits a batch of the shipper keeps to, so that the sink
// stores each one in a single append.
const (
	maxBatchEvents = logs.MaxBatchEvents
	maxBatchBytes  = logs.MaxBatchBytes
)

// nextBatch returns how many events from the front of evs form one
// batch: at most maxBatchEvents, and at most maxBatchBytes counting
// CloudWatch's 26 bytes of overhead per event. It is at least 1 when evs
// is not empty.
func nextBatch(evs []shipEvent) int {
	size := 0
	for i := range evs {
		size += len(evs[i].Message) + logs.EventOverhead
		if i == maxBatchEvents || (size > maxBatchBytes && i > 0) {
			return i
		}
	}
	return len(evs)
}
