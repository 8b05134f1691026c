package alb

import (
	"errors"
	"runtime/debug"
	"sync"
	"time"
)

// Settling idle connections (see fastConn.serve): a goroutine parked in a
// network wait keeps a stack of at least 4 KiB, and serving requests
// grows it to 8 KiB, so the waits of connections idle for a while move to
// new goroutines, whose stacks are the small ones goroutines start with.
//
//	serving goroutine ──request done──▶ await: raw read parked (stack as grown)
//	                                      │ settle, every settleAfter: idle ≥ settleAfter?
//	                                      │   nudge: the read's deadline moves to the past
//	                                      ▼
//	                                    errSettle ──▶ go serve(): the new goroutine waits
//	                                                  on, with the wait's own deadline

// settleAfter is how long a connection waits for its next request on the
// goroutine that served the last one (see serve).
const settleAfter = time.Second

// errSettle is await's answer when its wait was woken to move.
var errSettle = errors.New("alb: wait moves to a new goroutine")

// settle moves the waits of the listener's connections idle for
// settleAfter, or more, to new goroutines. It runs every settleAfter.
func (l *listener) settle() {
	now := time.Now().UnixNano()
	moved := 0
	l.mu.Lock()
	for c := range l.fast {
		if c.state.Load() == connIdle && !c.settled.Load() && now-c.idleSince.Load() >= int64(settleAfter) {
			c.settled.Store(true)
			c.nudged.Store(true)
			c.ic.nudge()
			moved++
		}
	}
	if !l.closing.Load() {
		l.settler.Reset(settleAfter)
	}
	l.mu.Unlock()
	collectStacks(moved)
}

// The stacks the moved goroutines leave are garbage, and the runtime
// hands them back to the system only after a collection, which an idle
// process seldom runs: so once a burst of connections has gone idle (a
// settle moved none after collectAfter or more had moved), or every
// collectEvery while moves go on, collectStacks collects and releases.
const (
	collectAfter = 1024 // moves
	collectEvery = 10 * time.Second
)

var stackCollect struct {
	sync.Mutex
	moved int
	last  time.Time
}

func collectStacks(moved int) {
	s := &stackCollect
	s.Lock()
	s.moved += moved
	now := time.Now()
	run := s.moved >= collectAfter && (moved == 0 || now.Sub(s.last) >= collectEvery)
	if run {
		s.moved, s.last = 0, now
	}
	s.Unlock()
	if run {
		debug.FreeOSMemory()
	}
}
