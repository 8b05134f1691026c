package boltstore

import (
	"context"
	"log/slog"
	"sync"

	"github.com/quayside/quayside/internal/store"
)

// hub releases committed batches to watchers in revision order. Commit
// handlers of consecutive bbolt transactions may run in any order, so a
// batch that arrives before its predecessor waits in pending.
type hub struct {
	log    *slog.Logger
	buffer int // capacity of each watcher's channel

	mu       sync.Mutex
	closed   bool
	next     int64                   // revision to release next
	pending  map[int64][]store.Event // committed, waiting for an earlier revision
	watchers map[*watcher]struct{}
}

// watcher is one Watch call: a bounded channel and a table filter.
type watcher struct {
	ch     chan store.Batch
	tables map[string]bool // nil means every table
	after  int64           // revision committed when Watch was called
	stop   func() bool     // unregisters the ctx.Done callback
}

func newHub(log *slog.Logger, buffer int, rev int64) *hub {
	return &hub{
		log:      log,
		buffer:   buffer,
		next:     rev + 1,
		pending:  make(map[int64][]store.Event),
		watchers: make(map[*watcher]struct{}),
	}
}

// watch registers a watcher for batches committed after revision() and
// closes its channel when ctx ends. revision is called under the hub's lock
// so that no batch is released between reading it and registering.
func (h *hub) watch(ctx context.Context, tables []string, revision func() (int64, error)) <-chan store.Batch {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed || ctx.Err() != nil {
		return closedChan()
	}
	rev, err := revision()
	if err != nil {
		return closedChan()
	}
	w := &watcher{ch: make(chan store.Batch, h.buffer), after: rev}
	if len(tables) > 0 {
		w.tables = make(map[string]bool, len(tables))
		for _, t := range tables {
			w.tables[t] = true
		}
	}
	h.watchers[w] = struct{}{}
	w.stop = context.AfterFunc(ctx, func() { h.remove(w) })
	return w.ch
}

// publish hands over the events that transaction rev committed.
func (h *hub) publish(rev int64, events []store.Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return
	}
	if rev != h.next {
		h.pending[rev] = events
		return
	}
	for {
		h.release(rev, events)
		delete(h.pending, rev)
		rev++
		h.next = rev
		var ok bool
		if events, ok = h.pending[rev]; !ok {
			return
		}
	}
}

// release sends batch rev to every interested watcher without blocking.
func (h *hub) release(rev int64, events []store.Event) {
	for w := range h.watchers {
		if rev <= w.after {
			continue
		}
		b := store.Batch{Revision: rev, Events: w.filter(events)}
		if len(b.Events) == 0 {
			continue
		}
		select {
		case w.ch <- b:
			continue
		default:
		}
		// The watcher fell behind: drop what it has not read and tell it
		// to resync. Only the hub sends, under h.mu, so the send after the
		// drain cannot block.
		drain(w.ch)
		w.ch <- store.Batch{Revision: rev, Resync: true}
		h.log.Debug("store watcher fell behind; resync", "revision", rev)
	}
}

// filter returns the events of the watcher's tables. The slice is shared
// between watchers when no filtering is needed; receivers must not modify
// it.
func (w *watcher) filter(events []store.Event) []store.Event {
	if w.tables == nil {
		return events
	}
	var out []store.Event
	for _, e := range events {
		if w.tables[e.Table] {
			out = append(out, e)
		}
	}
	return out
}

// remove closes one watcher after its context ended.
func (h *hub) remove(w *watcher) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ok := h.watchers[w]; !ok {
		return
	}
	delete(h.watchers, w)
	drain(w.ch)
	close(w.ch)
}

// close closes every watcher; later watches get a closed channel.
func (h *hub) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	for w := range h.watchers {
		w.stop()
		delete(h.watchers, w)
		drain(w.ch)
		close(w.ch)
	}
	h.pending = nil
}

func drain(ch chan store.Batch) {
	for {
		select {
		case <-ch:
		default:
			return
		}
	}
}

func closedChan() <-chan store.Batch {
	ch := make(chan store.Batch)
	close(ch)
	return ch
}
