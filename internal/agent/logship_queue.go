package agent

import (
	"context"
	"sync"
	"time"

	"github.com/quayside/quayside/internal/docker"
)

// lineQueue carries lines from a shipper's reader to its sender. It holds
// at most limit bytes of text: past that, put waits for room (blocking
// mode: Docker keeps the lines meanwhile) or drops the line (non-blocking
// mode, as Docker's ring buffer drops a message it has no room for).
type lineQueue struct {
	limit int
	drop  bool

	mu      sync.Mutex
	lines   []docker.LogLine
	bytes   int
	oldest  time.Time // when the oldest queued line was put
	closed  bool
	dropped int

	ready chan struct{} // capacity 1: lines were put, or the queue closed
	room  chan struct{} // capacity 1: lines were taken
}

// idleQueueLines is the most lines' room an idle queue keeps.
const idleQueueLines = 1024

func newLineQueue(limit int, drop bool) *lineQueue {
	return &lineQueue{limit: limit, drop: drop, ready: make(chan struct{}, 1), room: make(chan struct{}, 1)}
}

func signal(c chan struct{}) {
	select {
	case c <- struct{}{}:
	default:
	}
}

// put queues l. It returns false only when ctx ended while it waited.
func (q *lineQueue) put(ctx context.Context, l docker.LogLine, now time.Time) bool {
	for {
		q.mu.Lock()
		if q.bytes == 0 || q.bytes+len(l.Text) <= q.limit {
			if len(q.lines) == 0 {
				q.oldest = now
			}
			q.lines = append(q.lines, l)
			q.bytes += len(l.Text)
			q.mu.Unlock()
			signal(q.ready)
			return true
		}
		if q.drop {
			q.dropped++
			q.mu.Unlock()
			return true
		}
		q.mu.Unlock()
		select {
		case <-q.room:
		case <-ctx.Done():
			return false
		}
	}
}

// close tells the sender no more lines will come.
func (q *lineQueue) close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	signal(q.ready)
}

// take waits until max lines are queued, the oldest has waited maxWait,
// the queue is closed, idle passes with nothing queued, or ctx ends; then
// it moves every queued line onto dst. closed is true once the queue is
// closed and empty. dropped is how many lines were dropped since the
// last take. Given an empty dst, take returns the queue's own array and
// keeps dst's for the lines to come: the caller must be done with them.
func (q *lineQueue) take(ctx context.Context, dst []docker.LogLine, max int, maxWait, idle time.Duration, now func() time.Time) (out []docker.LogLine, dropped int, closed bool) {
	var timer *time.Timer
	defer func() {
		if timer != nil {
			timer.Stop()
		}
	}()
	for {
		q.mu.Lock()
		n := len(q.lines)
		wait := idle
		if n > 0 {
			wait = maxWait - now().Sub(q.oldest)
		}
		if n >= max || q.closed || (n > 0 && wait <= 0) || ctx.Err() != nil {
			if len(dst) == 0 {
				out = q.lines
				clear(dst[:cap(dst)])
				q.lines = dst[:0]
			} else {
				out = append(dst, q.lines...)
				clear(q.lines)
				q.lines = q.lines[:0]
			}
			q.bytes = 0
			dropped, q.dropped = q.dropped, 0
			closed = q.closed
			q.mu.Unlock()
			signal(q.room)
			return out, dropped, closed
		}
		q.mu.Unlock()
		if timer == nil {
			timer = time.NewTimer(wait)
		} else {
			timer.Reset(wait)
		}
		select {
		case <-q.ready:
		case <-timer.C:
			if n == 0 {
				q.mu.Lock()
				if len(q.lines) == 0 && cap(q.lines) > idleQueueLines {
					q.lines = nil // idle: let a burst's array go
				}
				q.mu.Unlock()
				return dst, 0, false // idle: let the sender do its chores
			}
		case <-ctx.Done():
		}
	}
}
