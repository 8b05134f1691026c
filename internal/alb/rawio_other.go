//go:build !(linux || darwin || freebsd || netbsd || openbsd)

package alb

// fastPathOS: without raw socket reads here, every connection takes the
// general (net/http) path.
const fastPathOS = false

func rawRead(fd uintptr, p []byte) (n int, block bool, err error) {
	panic("alb: no fast path on this system")
}

func rawWrite(fd uintptr, p []byte) (n int, block bool, err error) {
	panic("alb: no fast path on this system")
}

func peek(fd uintptr) peeked { return peekNothing }
