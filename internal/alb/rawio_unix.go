//go:build linux || darwin || freebsd || netbsd || openbsd

package alb

import "syscall"

// fastPathOS: this system has the raw socket reads the fast path needs.
const fastPathOS = true

// rawRead reads from a non-blocking socket; block reports that nothing
// was there to read.
func rawRead(fd uintptr, p []byte) (n int, block bool, err error) { return rawCall(sysRead, fd, p) }

// rawWrite writes to a non-blocking socket; block reports that its send
// buffer was full and nothing was written.
func rawWrite(fd uintptr, p []byte) (n int, block bool, err error) {
	return rawCall(sysWrite, fd, p)
}

// rawCall makes call, again when a signal interrupted it; block reports
// EAGAIN.
func rawCall(call func(uintptr, []byte) (int, error), fd uintptr, p []byte) (n int, block bool, err error) {
	for {
		n, err = call(fd, p)
		switch err {
		case nil:
			return n, false, nil
		case syscall.EINTR:
			continue
		case syscall.EAGAIN:
			return 0, true, nil
		}
		return 0, false, err
	}
}

// peerClosed reports whether a socket that should have nothing to read
// has been closed by its peer, or has something to read after all.
func peerClosed(fd uintptr) bool {
	var b [1]byte
	for {
		_, _, err := syscall.Recvfrom(int(fd), b[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
		switch err {
		case syscall.EINTR:
			continue
		case syscall.EAGAIN:
			return false
		}
		return true
	}
}

// peerGone reports whether the peer of a socket has closed or reset it.
// Bytes waiting to be read (a pipelined request) do not count: the peer
// is still there.
func peerGone(fd uintptr) bool {
	var b [1]byte
	for {
		n, _, err := syscall.Recvfrom(int(fd), b[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
		switch err {
		case syscall.EINTR:
			continue
		case syscall.EAGAIN:
			return false
		case nil:
			return n == 0
		}
		return true
	}
}
