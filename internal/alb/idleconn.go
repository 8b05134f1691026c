package alb

import (
	"net"
	"net/netip"
	"sync"
	"time"
)

// idleListener wraps accepted connections in idleConns.
type idleListener struct {
	net.Listener
	idle func() time.Duration // the load balancer's current idle timeout
}

func (l idleListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	ic := newIdleConn(c, l.idle)
	if ap, err := netip.ParseAddrPort(c.RemoteAddr().String()); err == nil {
		ic.peer, ic.peerIP = ap, ap.Addr().Unmap().String()
	}
	return ic, nil
}

// idleConn closes a connection on which no byte has moved, either way,
// for the idle timeout, as ALB's idle_timeout.timeout_seconds does, on
// both the client and the target side: every read arms a read deadline of
// now+idle, and every write pushes both deadlines back. The HTTP server's
// own read deadlines (the header read timeout, and the far-past deadline
// it uses to abort a background read) are kept when they are earlier. The
// idle timeout is read on each call, so a changed attribute applies to
// open connections too.
//
// Setting a deadline costs a timer update, so a deadline is only moved
// when it is rearmSlack(idle) stale, or too far out for a shortened idle
// timeout: a connection may close that much before the full idle timeout.
type idleConn struct {
	net.Conn
	raw   *rawSock // reads and writes Conn's socket when not nil
	idle  func() time.Duration
	start time.Time // when the connection was made
	// peer and peerIP are the client's address, for accepted connections.
	peer   netip.AddrPort
	peerIP string

	mu       sync.Mutex
	deadline time.Time // the server's read deadline; zero for none
	// waiting is set while a request has been received in full and its
	// answer is awaited from the target: the target side's idle deadline
	// then governs (504), and the server's background read must not time
	// out first and cancel the request.
	waiting bool
	readDL  time.Time // the read deadline set from the idle timeout; zero: set otherwise
	writeDL time.Time // the write deadline set
	nudged  bool      // nudge moved the read deadline: the next read restores readDL
}

// stale reports whether a deadline set at dl should move to want.
func stale(dl, want time.Time, idle time.Duration) bool {
	return dl.IsZero() || want.Before(dl) || want.Sub(dl) >= rearmSlack(idle)
}

func newIdleConn(c net.Conn, idle func() time.Duration) *idleConn {
	return &idleConn{Conn: c, raw: newRawSock(c), idle: idle, start: time.Now()}
}

// rearmSlack is how stale an idle deadline may get before it is moved.
func rearmSlack(idle time.Duration) time.Duration { return min(idle/16, 250*time.Millisecond) }

func (c *idleConn) Read(b []byte) (int, error) {
	c.beforeRead(time.Now())
	if c.raw != nil {
		return c.raw.read(b)
	}
	return c.Conn.Read(b)
}

// beforeRead arms the read deadline as Read does, for the fast path's
// reads that go around Read (see fastConn.await).
func (c *idleConn) beforeRead(now time.Time) {
	c.mu.Lock()
	idle := c.idle()
	want := now.Add(idle)
	switch {
	case c.nudged && !c.readDL.IsZero() && !want.Before(c.readDL):
		// The same wait goes on: its deadline, not a later one.
		_ = c.Conn.SetReadDeadline(c.readDL)
	case c.nudged || stale(c.readDL, want, idle):
		c.armRead(now)
	}
	c.nudged = false
	c.mu.Unlock()
}

// nudge wakes a read waiting on the connection with a timeout; the next
// read restores the deadline it had (see fastConn.serve).
func (c *idleConn) nudge() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.nudged = true
	_ = c.Conn.SetReadDeadline(time.Unix(1, 0))
}

func (c *idleConn) Write(b []byte) (int, error) {
	now := time.Now()
	c.mu.Lock()
	idle := c.idle()
	want := now.Add(idle)
	if stale(c.writeDL, want, idle) {
		_ = c.Conn.SetWriteDeadline(want)
		c.writeDL = want
	}
	if !c.readDL.IsZero() && stale(c.readDL, want, idle) {
		c.armRead(now) // data moving out keeps the connection alive
	}
	c.mu.Unlock()
	if c.raw != nil {
		return c.raw.write(b)
	}
	return c.Conn.Write(b)
}

// armRead sets the read deadline to now+idle, or the server's earlier
// deadline, or while waiting only the server's. Callers hold mu.
func (c *idleConn) armRead(now time.Time) {
	if c.waiting {
		_ = c.Conn.SetReadDeadline(c.deadline)
		c.readDL = time.Time{}
		return
	}
	d := now.Add(c.idle())
	if !c.deadline.IsZero() && c.deadline.Before(d) {
		_ = c.Conn.SetReadDeadline(c.deadline)
		c.readDL = time.Time{}
		return
	}
	_ = c.Conn.SetReadDeadline(d)
	c.readDL = d
}

// setWaiting marks the connection as awaiting a target's answer, or not.
func (c *idleConn) setWaiting(w bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.waiting != w {
		c.waiting = w
		c.armRead(time.Now())
	}
}

func (c *idleConn) SetReadDeadline(t time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.deadline = t
	c.armRead(time.Now())
	return nil
}

func (c *idleConn) SetDeadline(t time.Time) error {
	_ = c.SetReadDeadline(t)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.writeDL = t
	return c.Conn.SetWriteDeadline(t)
}
