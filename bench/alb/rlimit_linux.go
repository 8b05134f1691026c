package main

import "syscall"

// raiseFileLimit lifts the limit on open files for the idle-connection
// phase (10,000 connections need as many descriptors in the benchmark and
// in each proxy, and HAProxy wants two per connection): to 200,000 when
// allowed (root), else to the hard limit. Children inherit it.
func raiseFileLimit() (uint64, error) {
	var l syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l); err != nil {
		return 0, err
	}
	want := syscall.Rlimit{Cur: max(l.Max, 200000), Max: max(l.Max, 200000)}
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &want); err == nil {
		return want.Cur, nil
	}
	l.Cur = l.Max
	return l.Cur, syscall.Setrlimit(syscall.RLIMIT_NOFILE, &l)
}
