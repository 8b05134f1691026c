package alb

import (
	"syscall"
	"unsafe"
)

// sysRead and sysWrite are read(2) and write(2) on a non-blocking socket,
// made as raw system calls: they never block, so the Go scheduler need
// not be told. A call the scheduler knows of lets its monitor take the
// running thread's P when the call lasts past a tick (about 20 µs), and a
// loopback write lasts that long, as it runs the receiver's TCP work: the
// P then moves to another thread, and on one CPU the threads take turns
// every few dozen µs, which showed as the proxy's latency tail (see
// bench/README.md).
func sysRead(fd uintptr, p []byte) (int, error) {
	r, _, e := syscall.RawSyscall(syscall.SYS_READ, fd, uintptr(unsafe.Pointer(unsafe.SliceData(p))), uintptr(len(p)))
	if e != 0 {
		return 0, e
	}
	return int(r), nil
}

func sysWrite(fd uintptr, p []byte) (int, error) {
	r, _, e := syscall.RawSyscall(syscall.SYS_WRITE, fd, uintptr(unsafe.Pointer(unsafe.SliceData(p))), uintptr(len(p)))
	if e != 0 {
		return 0, e
	}
	return int(r), nil
}
