//go:build !unix

package logstore

import (
	"os"
	"time"
)

// lockDir opens the lock file; platforms without flock get no lock.
func lockDir(path string, _ time.Duration) (*os.File, error) {
	return os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
}

func unlockDir(f *os.File) error { return f.Close() }
