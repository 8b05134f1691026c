//go:build !linux

package main

import (
	"os"
	"os/exec"
	"syscall"
)

func childAttr() *syscall.SysProcAttr { return nil }

func signalGroup(cmd *exec.Cmd, kill bool) {
	if kill {
		_ = cmd.Process.Kill()
		return
	}
	_ = cmd.Process.Signal(os.Interrupt)
}
