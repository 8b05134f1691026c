package main

import (
	"os/exec"
	"syscall"
)

// childAttr puts a process in its own process group, so that stopping it
// also stops what it started (nginx's workers), and has the kernel kill
// it if the benchmark dies without cleaning up.
func childAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}

// signalGroup sends SIGTERM, or SIGKILL when kill is set, to the process
// group of cmd.
func signalGroup(cmd *exec.Cmd, kill bool) {
	sig := syscall.SIGTERM
	if kill {
		sig = syscall.SIGKILL
	}
	_ = syscall.Kill(-cmd.Process.Pid, sig)
}

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
