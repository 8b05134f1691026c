package alb

import (
	"io"
	"net"
	"syscall"
)

// rawSock does a TCP connection's reads and writes itself, with raw
// system calls (sysio_linux.go), and waits on Go's network poller only
// when the socket is not ready; deadlines and Close work as on the
// net.Conn. A read and a write may run at once, but not two of either.
type rawSock struct {
	rc syscall.RawConn

	rp      []byte // the read under way
	rn      int
	rerr    error
	readFn  func(uintptr) bool
	wp      []byte // the write under way
	wn      int
	werr    error
	writeFn func(uintptr) bool
}

// newRawSock returns a rawSock for c, or nil where c is not a TCP
// connection or this system has no raw calls.
func newRawSock(c net.Conn) *rawSock {
	tc, ok := c.(*net.TCPConn)
	if !ok || !fastPathOS {
		return nil
	}
	rc, err := tc.SyscallConn()
	if err != nil {
		return nil
	}
	s := &rawSock{rc: rc}
	s.readFn, s.writeFn = s.tryRead, s.tryWrite
	return s
}

// read reads as net.Conn's Read does: io.EOF when the peer has closed.
func (s *rawSock) read(p []byte) (int, error) {
	s.rp, s.rn, s.rerr = p, 0, nil
	err := s.rc.Read(s.readFn)
	n := s.rn
	s.rp = nil
	if err == nil {
		err = s.rerr
	}
	return n, err
}

func (s *rawSock) tryRead(fd uintptr) bool {
	n, block, err := rawRead(fd, s.rp)
	if block {
		return false
	}
	if n == 0 && err == nil && len(s.rp) > 0 {
		err = io.EOF
	}
	s.rn, s.rerr = n, err
	return true
}

// write writes all of p, as net.Conn's Write does.
func (s *rawSock) write(p []byte) (int, error) {
	s.wp, s.wn, s.werr = p, 0, nil
	err := s.rc.Write(s.writeFn)
	n := s.wn
	s.wp = nil
	if err == nil {
		err = s.werr
	}
	return n, err
}

func (s *rawSock) tryWrite(fd uintptr) bool {
	for s.wn < len(s.wp) {
		n, block, err := rawWrite(fd, s.wp[s.wn:])
		if block {
			return false
		}
		if err != nil {
			s.werr = err
			return true
		}
		s.wn += n
	}
	return true
}

// What peek finds on a socket.
type peeked int

const (
	peekNothing peeked = iota // nothing to read yet
	peekData                  // bytes to read
	peekClosed                // the peer has closed or reset the connection
)

// peerClosed reports whether a socket that should have nothing to read
// has been closed by its peer, or has something to read after all.
func peerClosed(fd uintptr) bool { return peek(fd) != peekNothing }

// peerGone reports whether the peer of a socket has closed or reset it.
// Bytes waiting to be read (a pipelined request) do not count: the peer
// is still there.
func peerGone(fd uintptr) bool { return peek(fd) == peekClosed }
