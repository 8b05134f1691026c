package logs

import (
	"context"
	"fmt"
	"time"

	"github.com/quayside/quayside/internal/logs/logstore"
	"github.com/quayside/quayside/internal/store"
)

// PutLogEvents' limits, as AWS documents them.
const (
	MaxBatchBytes  = 1_048_576 // message bytes plus EventOverhead per event
	MaxBatchEvents = 10_000
	EventOverhead  = 26
	MaxEventBytes  = 1_048_576 // one event, overhead included (256 KiB until 2025)
	maxBatchSpan   = int64(24 * time.Hour / time.Millisecond)
	maxFuture      = int64(2 * time.Hour / time.Millisecond)
	maxAge         = 14 * dayMS
)

// InputEvent is one PutLogEvents event.
type InputEvent struct {
	Timestamp int64 // ms since the epoch
	Message   string
}

// Rejected says which events of a batch were not stored, as indexes into
// the batch (AWS's rejectedLogEventsInfo): events before TooOldEnd are
// more than 14 days old, events before ExpiredEnd are older than the
// group's retention, and events from TooNewStart on are more than two
// hours in the future.
type Rejected struct {
	TooNewStart *int
	TooOldEnd   *int
	ExpiredEnd  *int
}

// PutResult is PutLogEvents' answer.
type PutResult struct {
	NextSequenceToken string
	Rejected          *Rejected
}

// PutEvents stores a batch under AWS's rules: the whole batch fails when
// it is too large or out of chronological order, or when its valid events
// span more than 24 hours; events too old, expired or too far in the
// future are skipped and reported. The events are durable when PutEvents
// returns.
func (s *Service) PutEvents(ctx context.Context, sc Scope, group, stream string, evs []InputEvent) (PutResult, error) {
	if err := checkBatch(evs); err != nil {
		return PutResult{}, err
	}
	var g Group
	var st Stream
	if err := s.meta.View(ctx, func(tx store.ReadTx) error {
		var err error
		g, st, err = s.lookup(tx, sc, group, stream)
		return err
	}); err != nil {
		return PutResult{}, err
	}
	now := s.nowMS()
	lo, hi := 0, len(evs)
	rej := &Rejected{}
	for i, e := range evs {
		if e.Timestamp < now-maxAge {
			rej.TooOldEnd, lo = ptr(i+1), max(lo, i+1)
		}
		if g.RetentionDays > 0 && e.Timestamp < now-int64(g.RetentionDays)*dayMS {
			rej.ExpiredEnd, lo = ptr(i+1), max(lo, i+1)
		}
		if e.Timestamp > now+maxFuture && hi == len(evs) {
			rej.TooNewStart, hi = ptr(i), i
		}
	}
	// The 24-hour rule applies to the events that are not rejected.
	if lo < hi && evs[hi-1].Timestamp-evs[lo].Timestamp > maxBatchSpan {
		return PutResult{}, invalid("The batch of log events in a single PutLogEvents request cannot span more than 24 hours.")
	}
	res := PutResult{}
	if rej.TooNewStart != nil || rej.TooOldEnd != nil || rej.ExpiredEnd != nil {
		res.Rejected = rej
	}
	last := uint64(0)
	if lo < hi {
		in := make([]logstore.Input, 0, hi-lo)
		for _, e := range evs[lo:hi] {
			in = append(in, logstore.Input{Timestamp: e.Timestamp, Message: []byte(e.Message)})
		}
		_, l, err := s.events.Append(st.storeID(), in, now)
		if err != nil {
			return PutResult{}, storeErr(err)
		}
		last = l
	} else {
		stats, err := s.events.Stats(st.storeID())
		if err != nil {
			return PutResult{}, storeErr(err)
		}
		last = stats.LastSeq
	}
	res.NextSequenceToken = SequenceToken(last)
	return res, nil
}

// checkBatch applies the rules that fail a whole batch.
func checkBatch(evs []InputEvent) error {
	if len(evs) == 0 {
		return invalid("1 validation error detected: Value '[]' at 'logEvents' failed to satisfy constraint: Member must have length greater than or equal to 1")
	}
	if len(evs) > MaxBatchEvents {
		return invalid("1 validation error detected: Value at 'logEvents' failed to satisfy constraint: Member must have length less than or equal to %d", MaxBatchEvents)
	}
	size := 0
	for _, e := range evs {
		n := len(e.Message) + EventOverhead
		if n > MaxEventBytes {
			return invalid("Log event too large: %d bytes exceeds limit of %d", n, MaxEventBytes)
		}
		size += n
	}
	if size > MaxBatchBytes {
		return invalid("Upload too large: %d bytes exceeds limit of %d", size, MaxBatchBytes)
	}
	for i := 1; i < len(evs); i++ {
		if evs[i].Timestamp < evs[i-1].Timestamp {
			return invalid("Log events in a single PutLogEvents request must be in chronological order.")
		}
	}
	return nil
}

// SequenceToken formats the sequence token AWS still returns (and no
// longer checks) after a stream's last event.
func SequenceToken(lastSeq uint64) string { return fmt.Sprintf("49%054d", lastSeq) }

func ptr[T any](v T) *T { return &v }
