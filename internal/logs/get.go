package logs

import (
	"context"
	"math"

	"github.com/quayside/quayside/internal/logs/logstore"
	"github.com/quayside/quayside/internal/store"
)

// GetLogEvents' limits.
const (
	MaxGetEvents = 10_000
	MaxGetBytes  = 1 << 20
)

// Position is where a GetLogEvents page ends, in one direction: a
// forward position reads the events after Seq, a backward one the events
// before Seq.
type Position struct {
	Forward bool
	Seq     uint64
}

// GetQuery is a GetLogEvents request.
type GetQuery struct {
	Start    *int64 // events with timestamp >= Start
	End      *int64 // events with timestamp < End
	Limit    int    // at most this many events (default and max 10,000)
	FromHead bool   // without a token: the oldest events instead of the newest
	Token    *Position
}

// StoredEvent is a stored event as the read APIs return it.
type StoredEvent struct {
	Stream    string // for FilterLogEvents
	StreamID  uint64
	Seq       uint64
	Timestamp int64
	Ingestion int64
	Message   string
}

// GetResult is a GetLogEvents page. The positions follow AWS: after the
// events, Forward continues with newer events and Backward with older
// ones; with no events, the token asked for comes back unchanged.
type GetResult struct {
	Events   []StoredEvent
	Forward  Position
	Backward Position
}

// GetEvents reads one stream's events.
func (s *Service) GetEvents(ctx context.Context, sc Scope, group, stream string, q GetQuery) (GetResult, error) {
	var st Stream
	if err := s.meta.View(ctx, func(tx store.ReadTx) error {
		var err error
		_, st, err = s.lookup(tx, sc, group, stream)
		return err
	}); err != nil {
		return GetResult{}, err
	}
	if q.Limit <= 0 || q.Limit > MaxGetEvents {
		q.Limit = MaxGetEvents
	}
	r := logstore.Range{Start: math.MinInt64, End: math.MaxInt64}
	if q.Start != nil {
		r.Start = *q.Start
	}
	if q.End != nil {
		r.End = *q.End
	}
	backward := !q.FromHead
	if q.Token != nil {
		backward = !q.Token.Forward
		if q.Token.Forward {
			r.AfterSeq = q.Token.Seq
		} else {
			r.BeforeSeq = max(q.Token.Seq, 1) // b/0 and b/1: nothing before
		}
	}
	var evs []logstore.Event
	var err error
	if backward {
		evs, _, err = s.events.Tail(st.storeID(), r, q.Limit, MaxGetBytes)
	} else {
		evs, _, err = s.events.Head(st.storeID(), r, q.Limit, MaxGetBytes)
	}
	if err != nil {
		return GetResult{}, storeErr(err)
	}
	res := GetResult{Events: make([]StoredEvent, len(evs))}
	for i, e := range evs {
		res.Events[i] = StoredEvent{StreamID: st.ID, Seq: e.Seq, Timestamp: e.Timestamp, Ingestion: e.Ingestion, Message: string(e.Message)}
	}
	switch {
	case len(evs) > 0:
		res.Forward = Position{Forward: true, Seq: evs[len(evs)-1].Seq}
		res.Backward = Position{Seq: evs[0].Seq}
	case q.Token != nil && q.Token.Forward:
		res.Forward = *q.Token
		res.Backward = Position{Seq: q.Token.Seq + 1}
	case q.Token != nil:
		res.Backward = *q.Token
		res.Forward = Position{Forward: true, Seq: q.Token.Seq - min(q.Token.Seq, 1)}
	default:
		stats, err := s.events.Stats(st.storeID())
		if err != nil {
			return GetResult{}, storeErr(err)
		}
		res.Forward = Position{Forward: true, Seq: stats.LastSeq}
		res.Backward = Position{Seq: stats.LastSeq + 1}
	}
	return res, nil
}
