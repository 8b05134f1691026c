package main

import (
	"runtime"
	"testing"

	"golang.org/x/sys/unix"
)

// TestMoveOff: this program's threads leave the proxy's CPUs, and come
// back to them on restore.
func TestMoveOff(t *testing.T) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var before unix.CPUSet
	if err := unix.SchedGetaffinity(0, &before); err != nil {
		t.Fatal(err)
	}
	c := split(runtime.NumCPU())
	onProxy := false
	for _, p := range c.proxy {
		onProxy = onProxy || before.IsSet(p)
	}
	restore, moved := moveOff(c, false)
	var during unix.CPUSet
	if err := unix.SchedGetaffinity(0, &during); err != nil {
		t.Fatal(err)
	}
	if !onProxy || before.Count() == 1 { // one CPU, or kept off the proxy's already
		if during != before {
			t.Fatalf("affinity changed to %v from %v", during, before)
		}
	} else {
		if moved == 0 {
			t.Fatal("no thread moved")
		}
		for _, p := range c.proxy {
			if during.IsSet(p) {
				t.Fatalf("this thread may still run on proxy CPU %d", p)
			}
		}
	}
	restore()
	var after unix.CPUSet
	if err := unix.SchedGetaffinity(0, &after); err != nil {
		t.Fatal(err)
	}
	if after != before {
		t.Fatalf("affinity not restored: %v, want %v", after, before)
	}
}
