//go:build darwin || freebsd || netbsd || openbsd

package alb

import "syscall"

// sysRead and sysWrite: see sysio_linux.go. These systems' raw calls go
// through their C library, so the plain calls are used.
func sysRead(fd uintptr, p []byte) (int, error) {
	n, err := syscall.Read(int(fd), p)
	return max(n, 0), err
}

func sysWrite(fd uintptr, p []byte) (int, error) {
	n, err := syscall.Write(int(fd), p)
	return max(n, 0), err
}
