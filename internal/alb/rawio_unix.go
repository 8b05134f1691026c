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

// peek looks, without taking it, at what a socket has to be read.
func peek(fd uintptr) peeked {
	var b [1]byte
	for {
		n, _, err := syscall.Recvfrom(int(fd), b[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
		switch {
		case err == syscall.EINTR:
			continue
		case err == syscall.EAGAIN:
			return peekNothing
		case err == nil && n > 0:
			return peekData
		}
		return peekClosed // EOF, or reset
	}
}
