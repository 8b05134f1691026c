package logs

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/quayside/quayside/internal/logs/filter"
	"github.com/quayside/quayside/internal/logs/logstore"
	"github.com/quayside/quayside/internal/store"
)

// FilterQuery is a FilterLogEvents request.
type FilterQuery struct {
	Group        string
	StreamNames  []string // only these streams (missing ones are skipped)
	StreamPrefix string   // or only streams whose names start with this
	Start, End   *int64   // timestamps, both inclusive
	Pattern      *filter.Pattern
	Limit        int        // events per page (default and max 10,000)
	After        *FilterPos // resume after this event (from Next)
}

// FilterPos is a place in FilterLogEvents' order: events sort by
// timestamp, then stream, then sequence number.
type FilterPos struct {
	Timestamp int64
	Stream    uint64
	Seq       uint64
}

func (p FilterPos) less(o FilterPos) bool {
	if p.Timestamp != o.Timestamp {
		return p.Timestamp < o.Timestamp
	}
	if p.Stream != o.Stream {
		return p.Stream < o.Stream
	}
	return p.Seq < o.Seq
}

// FilterResult is a FilterLogEvents page. Next is set when events may
// remain: the page was full, or the call used up its scan budget.
type FilterResult struct {
	Events []StoredEvent
	Next   *FilterPos
}

// EventID is a FilterLogEvents eventId: a 56-digit number, stable for
// the life of the event, that sorts by time.
func EventID(e StoredEvent) string {
	return fmt.Sprintf("%020d%018d%018d", max(e.Timestamp, 0), e.StreamID%1e18, e.Seq%1e18)
}

// fcursor is one stream being merged.
type fcursor struct {
	name string
	id   uint64
	sid  logstore.StreamID
	c    *logstore.Cursor
	head *logstore.Event
	pos  FilterPos
	done bool
}

func (f *fcursor) advance(after *FilterPos) {
	for {
		e, ok := f.c.Next()
		if !ok {
			f.head, f.done = nil, true
			return
		}
		f.head, f.pos = e, FilterPos{Timestamp: e.Timestamp, Stream: f.id, Seq: e.Seq}
		if after == nil || after.less(f.pos) {
			return
		}
	}
}

// FilterEvents searches a group's streams, merging them by time.
func (s *Service) FilterEvents(ctx context.Context, sc Scope, q FilterQuery) (FilterResult, error) {
	if q.Limit <= 0 || q.Limit > MaxGetEvents {
		q.Limit = MaxGetEvents
	}
	var streams []Stream
	if err := s.meta.View(ctx, func(tx store.ReadTx) error {
		if _, err := getGroup(tx, sc, q.Group); err != nil {
			return err
		}
		if len(q.StreamNames) > 0 {
			for _, n := range q.StreamNames {
				if st, err := getStream(tx, sc, q.Group, n); err == nil {
					streams = append(streams, st)
				}
			}
			return nil
		}
		return tx.Scan(tableStreams, streamPrefix(sc, q.Group)+q.StreamPrefix, "", func(_ string, v []byte) error {
			st, err := decode[Stream](v)
			streams = append(streams, st)
			return err
		})
	}); err != nil {
		return FilterResult{}, err
	}
	r := logstore.Range{Start: math.MinInt64, End: math.MaxInt64}
	if q.Start != nil {
		r.Start = *q.Start
	}
	if q.End != nil && *q.End < math.MaxInt64 {
		r.End = *q.End + 1
	}
	if q.After != nil {
		r.Start = max(r.Start, q.After.Timestamp)
	}
	res := FilterResult{Events: []StoredEvent{}}
	var cur []*fcursor
	defer func() {
		for _, f := range cur {
			f.c.Close()
		}
	}()
	var live []*fcursor
	for _, st := range streams {
		stats, err := s.events.Stats(st.storeID())
		if err != nil {
			return FilterResult{}, storeErr(err)
		}
		if stats.Count == 0 || stats.MaxTS < r.Start || stats.MinTS >= r.End {
			continue
		}
		live = append(live, &fcursor{name: st.Name, id: st.ID, sid: st.storeID()})
	}
	bufBytes := max(32<<10, min(1<<20, (8<<20)/max(len(live), 1)))
	h := fheap{}
	for _, f := range live {
		c, err := s.events.ForwardSized(f.sid, r, bufBytes)
		if err != nil {
			return FilterResult{}, storeErr(err)
		}
		f.c = c
		cur = append(cur, f)
		f.advance(q.After)
		if err := f.c.Err(); err != nil {
			return FilterResult{}, storeErr(err)
		}
		if !f.done {
			h.push(f)
		}
	}
	deadline := time.Now().Add(s.opts.FilterBudget)
	size, examined := 0, 0
	var last FilterPos
	for len(h) > 0 {
		f := h[0]
		e := f.head
		if q.Pattern.Match(e.Message) {
			n := len(e.Message) + EventOverhead
			if len(res.Events) == q.Limit || (len(res.Events) > 0 && size+n > MaxGetBytes) {
				res.Next = &last
				break
			}
			size += n
			res.Events = append(res.Events, StoredEvent{Stream: f.name, StreamID: f.id, Seq: e.Seq, Timestamp: e.Timestamp, Ingestion: e.Ingestion, Message: string(e.Message)})
		}
		last = f.pos
		f.advance(nil)
		if err := f.c.Err(); err != nil {
			return FilterResult{}, storeErr(err)
		}
		if f.done {
			h.pop()
		} else {
			h.fix0()
		}
		if examined++; examined%4096 == 0 && (time.Now().After(deadline) || ctx.Err() != nil) {
			if len(h) > 0 {
				res.Next = &last
			}
			break
		}
	}
	return res, nil
}

// fheap is a min-heap of cursors by their head's position.
type fheap []*fcursor

func (h *fheap) push(f *fcursor) {
	*h = append(*h, f)
	for i := len(*h) - 1; i > 0; {
		p := (i - 1) / 2
		if !(*h)[i].pos.less((*h)[p].pos) {
			break
		}
		(*h)[i], (*h)[p] = (*h)[p], (*h)[i]
		i = p
	}
}

func (h *fheap) pop() {
	n := len(*h) - 1
	(*h)[0] = (*h)[n]
	*h = (*h)[:n]
	h.fix0()
}

// fix0 restores the heap after the top's position grew.
func (h fheap) fix0() {
	for i := 0; ; {
		l, r, m := 2*i+1, 2*i+2, i
		if l < len(h) && h[l].pos.less(h[m].pos) {
			m = l
		}
		if r < len(h) && h[r].pos.less(h[m].pos) {
			m = r
		}
		if m == i {
			return
		}
		h[i], h[m] = h[m], h[i]
		i = m
	}
}
