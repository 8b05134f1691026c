package main

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"

	"golang.org/x/sys/unix"
)

// moveOff moves threads off the proxy's CPUs onto the others, and returns
// the function that gives them back their CPUs. With all set, it moves
// every thread of the machine that may run on a proxy CPU (-shield): other
// programs' and the kernel's movable threads, as a CPU set aside for a
// benchmark would have it; threads bound to one CPU (the kernel's per-CPU
// ones) cannot move and stay. Without, it moves this program's own threads
// (the benchmark's driver, which parses captures between runs).
func moveOff(c cpus, all bool) (restore func(), moved int) {
	if len(c.proxy) == 0 {
		return func() {}, 0
	}
	var tids []int
	if all {
		tids = allThreads()
	} else {
		tids = threadsOf("/proc/self/task")
	}
	type saved struct {
		tid int
		set unix.CPUSet
	}
	var done []saved
	for _, tid := range tids {
		var old unix.CPUSet
		if unix.SchedGetaffinity(tid, &old) != nil {
			continue
		}
		on := false
		for _, p := range c.proxy {
			on = on || old.IsSet(p)
		}
		if !on || old.Count() == 1 {
			continue
		}
		set := old
		for _, p := range c.proxy {
			set.Clear(p)
		}
		if set.Count() == 0 {
			for _, l := range c.load {
				set.Set(l)
			}
		}
		if unix.SchedSetaffinity(tid, &set) == nil {
			done = append(done, saved{tid, old})
		}
	}
	return func() {
		for _, s := range done {
			_ = unix.SchedSetaffinity(s.tid, &s.set)
		}
	}, len(done)
}

// allThreads lists every thread on the machine.
func allThreads() []int {
	var tids []int
	procs, _ := os.ReadDir("/proc")
	for _, p := range procs {
		if _, err := strconv.Atoi(p.Name()); err == nil {
			tids = append(tids, threadsOf(filepath.Join("/proc", p.Name(), "task"))...)
		}
	}
	slices.Sort(tids)
	return slices.Compact(tids)
}

func threadsOf(dir string) []int {
	var tids []int
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if n, err := strconv.Atoi(e.Name()); err == nil {
			tids = append(tids, n)
		}
	}
	return tids
}
