// Package benchproc runs the processes a benchmark measures from the
// outside (servers under test, proxies, load targets) and reads what they
// cost from /proc.
//
// Each process runs in its own process group, with its output in a log
// file. Stopping it signals the whole group, so that what it started
// (nginx's workers, say) stops too: SIGTERM, then SIGKILL after a grace
// period. On Linux the kernel also kills it if the benchmark dies without
// cleaning up. A Group tracks the processes of one run, so that every exit
// path can stop them all:
//
//	var ps benchproc.Group
//	defer ps.StopAll(5 * time.Second)
//	p, err := ps.Start("quayside", dir, filepath.Join(dir, "quayside.log"), bin, "up")
//	...
//	err = p.WaitListening(addr, 30*time.Second)
//	...
//	rss, cpu := benchproc.RSS(p.Pid()), benchproc.CPUTime(p.Pid())
//
// The measurements read /proc, so they work on Linux only; elsewhere they
// return what their docs give for "unknown" (0 or -1).
package benchproc

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"
)

// Proc is a process a benchmark started.
type Proc struct {
	name    string
	log     string
	cmd     *exec.Cmd
	started time.Time
	done    chan struct{} // closed when the process has exited
	err     error         // what Wait returned; set before done is closed
}

// Start runs argv in dir ("" for this process's working directory), in its
// own process group, with its output written to the file log (created or
// truncated). name labels the process in errors.
func Start(name, dir, log string, argv ...string) (*Proc, error) {
	logf, err := os.Create(log)
	if err != nil {
		return nil, err
	}
	defer logf.Close()
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = childAttr()
	p := &Proc{name: name, log: log, cmd: cmd, done: make(chan struct{})}
	p.started = time.Now()
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	return p, nil
}

// Name is the name the process was started with.
func (p *Proc) Name() string { return p.name }

// Pid is the process's ID, which is also its process group's.
func (p *Proc) Pid() int { return p.cmd.Process.Pid }

// Started is when the process was exec'd.
func (p *Proc) Started() time.Time { return p.started }

// Done is closed when the process has exited.
func (p *Proc) Done() <-chan struct{} { return p.done }

// Exited reports whether the process has exited.
func (p *Proc) Exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// Err is how the process ended, as exec.Cmd.Wait says; read it only once
// Done is closed.
func (p *Proc) Err() error { return p.err }

// Stop sends SIGTERM to the process group, and SIGKILL if the process is
// still running after grace; it returns once the process has exited. It
// does nothing to a process that has already exited, so it is safe to
// call twice.
func (p *Proc) Stop(grace time.Duration) {
	if p.Exited() {
		return
	}
	signalGroup(p.cmd, false)
	select {
	case <-p.done:
	case <-time.After(grace):
		signalGroup(p.cmd, true)
		<-p.done
	}
}

// Tail is the last n lines of the process's log, or why there is none.
func (p *Proc) Tail(n int) string {
	b, err := os.ReadFile(p.log)
	if err != nil {
		return "(no log: " + err.Error() + ")"
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
