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
// settleAfter, or more, to new goroutines, and ends the requests waiting
// on a target for settleAfter or more whose clients have gone away
// (abandon). It runs every settleAfter.
func (l *listener) settle() {
	now := time.Now().UnixNano()
	moved := 0
	l.mu.Lock()
	for c := range l.fast {
		switch c.state.Load() {
		case connIdle:
			if !c.settled.Load() && now-c.idleSince.Load() >= int64(settleAfter) {
				c.settled.Store(true)
				c.nudged.Store(true)
				c.ic.nudge()
				moved++
			}
		case connActive:
			if uc := c.up.Load(); uc != nil && now-c.upSince.Load() >= int64(settleAfter) {
				c.abandon(uc)
			}
		}
	}
	if !l.closing.Load() {
		l.settler.Reset(settleAfter)
	}
	l.mu.Unlock()
	collectStacks(moved)
}

// abandon closes uc, the target connection of c's request, if c's client
// has closed its connection (or reset it) since sending the request: the
// request's goroutine wakes from its wait on uc and closes c. A client
// that has sent more (a pipelined request) is still there.
func (c *fastConn) abandon(uc *upConn) {
	gone := false
	if c.rc.Control(func(fd uintptr) { gone = peerGone(fd) }) != nil || !gone {
		return
	}
	if c.up.CompareAndSwap(uc, nil) { // else the request has ended meanwhile
		c.abandoned.Store(true)
		uc.Close()
	}
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
