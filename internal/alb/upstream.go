package alb

import (
	"errors"
	"io"
	"syscall"
	"time"
)

// upConn is a keep-alive connection to a target on the fast path. While
// it waits in its backend's pool it holds no buffer.
type upConn struct {
	*trackedConn
	rc        syscall.RawConn // for the liveness check; nil if none
	idleSince time.Time
}

// maxIdleUp bounds the fast path's idle connections per target.
const maxIdleUp = 4096

// takeConn returns an idle connection to the target, most recently used
// first, or a new one (reused false; always with fresh set). With check
// set, an idle connection is first checked for having been closed by the
// target, so that a request that cannot be resent is not lost on one.
func (b *backend) takeConn(now time.Time, check, fresh bool) (uc *upConn, reused bool, err error) {
	idle := b.idleTimeout()
	for !fresh {
		b.mu.Lock()
		n := len(b.upIdle)
		if n == 0 {
			b.mu.Unlock()
			break
		}
		uc = b.upIdle[n-1]
		b.upIdle[n-1] = nil
		b.upIdle = b.upIdle[:n-1]
		b.mu.Unlock()
		if now.Sub(uc.idleSince) >= idle || check && !uc.alive() {
			uc.Close()
			continue
		}
		return uc, true, nil
	}
	c, err := b.dialer.Dial("tcp", b.addr)
	if err != nil {
		return nil, false, err
	}
	tc, err := b.track(c)
	if err != nil {
		return nil, false, err
	}
	uc = &upConn{trackedConn: tc.(*trackedConn)}
	if uc.raw != nil {
		uc.rc = uc.raw.rc
	}
	return uc, false, nil
}

// putConn returns a connection whose exchange ended cleanly to the pool.
func (b *backend) putConn(uc *upConn, now time.Time) {
	uc.idleSince = now
	b.mu.Lock()
	if b.closed || len(b.upIdle) >= maxIdleUp {
		b.mu.Unlock()
		uc.Close()
		return
	}
	b.upIdle = append(b.upIdle, uc)
	if b.sweeper == nil {
		b.sweeper = time.AfterFunc(b.sweepEvery(), b.sweep)
	} else if !b.sweeping {
		b.sweeper.Reset(b.sweepEvery())
	}
	b.sweeping = true
	b.mu.Unlock()
}

func (b *backend) sweepEvery() time.Duration { return max(b.idleTimeout()/4, time.Second) }

// sweep closes the connections idle for the idle timeout, oldest first,
// and runs again while any are left.
func (b *backend) sweep() {
	now, idle := time.Now(), b.idleTimeout()
	var stale []*upConn
	b.mu.Lock()
	i := 0
	for i < len(b.upIdle) && now.Sub(b.upIdle[i].idleSince) >= idle {
		i++
	}
	stale = append(stale, b.upIdle[:i]...)
	b.upIdle = append(b.upIdle[:0], b.upIdle[i:]...)
	clear(b.upIdle[len(b.upIdle):cap(b.upIdle)])
	b.sweeping = len(b.upIdle) > 0 && !b.closed
	if b.sweeping {
		b.sweeper.Reset(b.sweepEvery())
	}
	b.mu.Unlock()
	for _, uc := range stale {
		uc.Close()
	}
}

// alive reports whether the target has not closed the connection, nor
// sent anything unasked, while it was idle.
func (uc *upConn) alive() bool {
	if uc.rc == nil {
		return true
	}
	ok := false
	err := uc.rc.Read(func(fd uintptr) bool {
		ok = !peerClosed(fd)
		return true
	})
	return err == nil && ok
}

// isReusedConnGone reports whether an error on a reused connection, with
// nothing received, means the target had closed it while it was idle:
// the request can then be sent again on a new connection.
func isReusedConnGone(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)
}
