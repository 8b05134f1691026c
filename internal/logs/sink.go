package logs

import (
	"context"
	"errors"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/logs/logstore"
	"github.com/quayside/quayside/internal/store"
)

// Event is one log line for the Sink: a container's line with the
// timestamp Docker gave it.
type Event struct {
	Timestamp time.Time
	Message   string
}

// Sink is what the agent's awslogs driver writes through, in process.
// It behaves as the Docker awslogs driver does against CloudWatch Logs:
// it creates the stream, and the group when awslogs-create-group is set,
// and it stores lines with their own timestamps without PutLogEvents'
// 14-day and 2-hour windows.
type Sink interface {
	// Prepare makes sure the group and stream exist, creating the stream
	// (and the group when createGroup) as the driver does when a container
	// starts. A missing group without createGroup is a *SinkError with
	// Code ResourceNotFoundException: the task must not start.
	Prepare(ctx context.Context, region, account, group, stream string, createGroup bool) error
	// Put stores events in timestamp order (a batch slightly out of order
	// is sorted; ties keep their order). It returns once they are
	// durable. Empty messages are skipped; messages over 262,118 bytes are
	// split, as the Docker driver splits them; events older than the
	// group's retention are dropped. Batches of any size are accepted;
	// batching a few thousand lines per call keeps the fsync cost low.
	Put(ctx context.Context, region, account, group, stream string, events []Event, createGroup bool) error
}

// MaxMessageBytes is where the Sink splits long lines: 256 KiB less the
// per-event overhead, as the Docker awslogs driver splits them (AWS has
// accepted events up to 1 MB since 2025; the driver still splits at this).
const MaxMessageBytes = 262_144 - EventOverhead

// Sink returns the service's in-process sink.
func (s *Service) Sink() Sink { return sink{s} }

type sink struct{ s *Service }

var _ Sink = sink{}

func (k sink) Prepare(ctx context.Context, region, account, group, stream string, createGroup bool) error {
	_, err := k.s.resolve(ctx, Scope{region, account}, group, stream, createGroup)
	return sinkErr(err, group, stream)
}

func (k sink) Put(ctx context.Context, region, account, group, stream string, events []Event, createGroup bool) error {
	id, err := k.s.resolve(ctx, Scope{region, account}, group, stream, createGroup)
	if err != nil {
		return sinkErr(err, group, stream)
	}
	// The driver's batches are in order but for stdout and stderr lines
	// stamped apart: sort only those that need it.
	var order []int
	if !slices.IsSortedFunc(events, func(a, b Event) int { return a.Timestamp.Compare(b.Timestamp) }) {
		order = make([]int, len(events))
		for i := range order {
			order[i] = i
		}
		slices.SortStableFunc(order, func(a, b int) int { return events[a].Timestamp.Compare(events[b].Timestamp) })
	}
	cutoff := int64(-1 << 63)
	if id.retentionDays > 0 {
		cutoff = k.s.nowMS() - int64(id.retentionDays)*dayMS
	}
	now := k.s.nowMS()
	total := 0
	for i := range events {
		total += len(events[i].Message)
	}
	arena := make([]byte, 0, total) // every message's bytes, in one allocation
	batch := make([]logstore.Input, 0, min(len(events), MaxBatchEvents))
	size := 0
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		_, _, err := k.s.events.Append(id.stream, batch, now)
		clear(batch)
		batch, size = batch[:0], 0
		return err
	}
	for j := range events {
		e := &events[j]
		if order != nil {
			e = &events[order[j]]
		}
		ts := e.Timestamp.UnixMilli()
		if e.Message == "" || ts < cutoff {
			continue
		}
		for m := e.Message; m != ""; {
			part := m[:messageCut(m)]
			m = m[len(part):]
			if size+len(part) > MaxBatchBytes || len(batch) == MaxBatchEvents {
				if err := flush(); err != nil {
					return sinkErr(storeErr(err), group, stream)
				}
			}
			start := len(arena)
			arena = append(arena, part...)
			batch = append(batch, logstore.Input{Timestamp: ts, Message: arena[start:len(arena):len(arena)]})
			size += len(part)
		}
	}
	if err := flush(); err != nil {
		return sinkErr(storeErr(err), group, stream)
	}
	return nil
}

// messageCut is where the first piece of a message ends: messages are
// cut into pieces of at most MaxMessageBytes, at UTF-8 character
// boundaries.
func messageCut(m string) int {
	if len(m) <= MaxMessageBytes {
		return len(m)
	}
	cut := MaxMessageBytes
	for cut > 0 && !utf8.RuneStart(m[cut]) {
		cut--
	}
	if cut == 0 { // not UTF-8 at all: cut anywhere
		cut = MaxMessageBytes
	}
	return cut
}

// resolve finds (or creates) a group and stream for the sink, caching
// their IDs.
func (s *Service) resolve(ctx context.Context, sc Scope, group, stream string, createGroup bool) (ids, error) {
	key := cacheKey(sc, group, stream)
	s.mu.Lock()
	id, ok := s.ids[key]
	s.mu.Unlock()
	if ok {
		return id, nil
	}
	if !validGroupName(group) {
		return ids{}, invalid("1 validation error detected: Value '%s' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+", group)
	}
	if stream == "" || len(stream) > 512 || containsAny(stream, ":*") {
		return ids{}, invalid("1 validation error detected: Value '%s' at 'logStreamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [^:*]*", stream)
	}
	for attempt := 0; attempt < 4; attempt++ {
		var g Group
		var st Stream
		err := s.meta.View(ctx, func(tx store.ReadTx) error {
			var err error
			g, st, err = s.lookup(tx, sc, group, stream)
			return err
		})
		switch {
		case err == nil:
			id = ids{stream: st.storeID(), retentionDays: g.RetentionDays}
			s.mu.Lock()
			s.ids[key] = id
			s.mu.Unlock()
			return id, nil
		case errors.Is(err, ErrGroupNotFound) && createGroup:
			err = s.CreateGroup(ctx, sc, GroupSpec{Name: group})
		case errors.Is(err, ErrStreamNotFound):
			err = s.CreateStream(ctx, sc, group, stream)
		}
		if err != nil && !errors.Is(err, ErrAlreadyExists) {
			return ids{}, err
		}
	}
	return ids{}, fault.New(ErrUnavailable, "The log group or stream kept changing while being created; retry.")
}

func containsAny(s, chars string) bool {
	for i := 0; i < len(s); i++ {
		for j := 0; j < len(chars); j++ {
			if s[i] == chars[j] {
				return true
			}
		}
	}
	return false
}

// sinkErr dresses an error as the CloudWatch Logs error the Docker driver
// would report.
func sinkErr(err error, group, stream string) error {
	if err == nil {
		return nil
	}
	code := "ServiceUnavailableException"
	switch {
	case errors.Is(err, ErrGroupNotFound), errors.Is(err, ErrStreamNotFound):
		code = "ResourceNotFoundException"
	case errors.Is(err, ErrInvalidParameter):
		code = "InvalidParameterException"
	}
	msg, ok := fault.Message(err)
	if !ok {
		msg = err.Error()
	}
	return &SinkError{Code: code, Message: msg, Group: group, Stream: stream, Err: err}
}
