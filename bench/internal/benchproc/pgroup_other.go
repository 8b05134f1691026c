//go:build !linux

package benchproc

import (
	"os"
	"os/exec"
	"syscall"
)

// childAttr is nil: process groups and the parent-death signal are used
// on Linux only.
func childAttr() *syscall.SysProcAttr { return nil }

// signalGroup interrupts, or kills when kill is set, the process of cmd
// (not its group).
func signalGroup(cmd *exec.Cmd, kill bool) {
	if kill {
		_ = cmd.Process.Kill()
		return
	}
	_ = cmd.Process.Signal(os.Interrupt)
}
