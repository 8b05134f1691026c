package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// server is the quayside process the benchmark started. (The server
// helpers follow bench/tasks's; bench/tasks is not shared, to keep each
// benchmark one self-contained package main.)
type server struct {
	url     string
	dataDir string
	cmd     *exec.Cmd
	logPath string
	done    chan struct{} // closed when the process has exited
	waitErr error
}

// startServer execs `quayside up` on a free loopback port with an empty
// data dir, in its own process group and with a parent-death signal, so
// that even a kill -9 of the benchmark leaves no server behind. extraArgs
// are appended to the command line.
func startServer(bin, dataDir, logPath, logLevel string, extraArgs ...string) (*server, error) {
	addr, err := freeLoopbackAddr()
	if err != nil {
		return nil, err
	}
	out, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	defer out.Close()
	args := append([]string{"up", "--listen", addr, "--data-dir", dataDir, "--metadata-port", "0",
		"--log-level", logLevel}, extraArgs...)
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start quayside: %w", err)
	}
	s := &server{url: "http://" + addr, dataDir: dataDir, cmd: cmd, logPath: logPath, done: make(chan struct{})}
	go func() {
		s.waitErr = cmd.Wait()
		close(s.done)
	}()
	return s, nil
}

// waitHealthy polls /_quayside/health every 10 ms until it answers 200,
// the process exits, ctx ends or the timeout passes.
func (s *server) waitHealthy(ctx context.Context, timeout time.Duration) error {
	hc := &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{Proxy: nil, DisableKeepAlives: true}}
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if err := s.check(ctx); err != nil {
			return err
		}
		resp, err := hc.Get(s.url + "/_quayside/health")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	return fmt.Errorf("quayside did not answer /_quayside/health within %s; its log:\n%s", timeout, s.logTail(20))
}

// check returns an error when the server has exited or ctx has ended.
func (s *server) check(ctx context.Context) error {
	select {
	case <-s.done:
		return fmt.Errorf("quayside exited (%v); its log:\n%s", s.waitErr, s.logTail(20))
	default:
	}
	return ctx.Err()
}

// stop sends SIGTERM to the process group and SIGKILL after a grace
// period. It is safe to call twice.
func (s *server) stop() {
	select {
	case <-s.done:
		return
	default:
	}
	_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(10 * time.Second):
		_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
		<-s.done
	}
}

func (s *server) pid() int { return s.cmd.Process.Pid }

// agentID is the local agent's ID, which labels every container it makes.
func (s *server) agentID() string {
	b, err := os.ReadFile(filepath.Join(s.dataDir, "agent-id"))
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}

func (s *server) logTail(n int) string {
	b, err := os.ReadFile(s.logPath)
	if err != nil {
		return "(no log: " + err.Error() + ")"
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

func freeLoopbackAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

const clockTicks = 100 // USER_HZ on Linux

// cpuSeconds reads the user+system CPU time a process has used from
// /proc/PID/stat; -1 when unavailable.
func cpuSeconds(pid int) float64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return -1
	}
	// The command name may hold spaces; the fields we want follow its ')'.
	i := strings.LastIndexByte(string(b), ')')
	if i < 0 {
		return -1
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return -1
	}
	utime, err1 := strconv.ParseFloat(f[11], 64)
	stime, err2 := strconv.ParseFloat(f[12], 64)
	if err1 != nil || err2 != nil {
		return -1
	}
	return (utime + stime) / clockTicks
}

// loadAvg is the 1-minute load average; -1 when unavailable.
func loadAvg() float64 {
	f, err := os.Open("/proc/loadavg")
	if err != nil {
		return -1
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Split(bufio.ScanWords)
	if !sc.Scan() {
		return -1
	}
	v, err := strconv.ParseFloat(sc.Text(), 64)
	if err != nil {
		return -1
	}
	return v
}

// goBuild runs `go <args>` in the repository root, e.g. to build
// ./cmd/quayside or a package's test binary.
func goBuild(ctx context.Context, root string, args ...string) error {
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = root
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go %s in %s: %w", strings.Join(args, " "), root, err)
	}
	return nil
}

// repoRoot walks up from the working directory to the Quayside module.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if b, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil {
			for _, line := range strings.Split(string(b), "\n") {
				if strings.TrimSpace(line) == "module github.com/quayside/quayside" {
					return dir, nil
				}
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("cannot find the quayside repository above the working directory")
		}
		dir = parent
	}
}

// machineBusySeconds is the CPU time the whole machine has spent busy
// (not idle or waiting for I/O), from /proc/stat; -1 when unavailable.
func machineBusySeconds() float64 {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return -1
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line)
	if len(f) < 6 || f[0] != "cpu" {
		return -1
	}
	var busy float64
	for i, v := range f[1:] {
		if i == 3 || i == 4 || i >= 8 { // idle, iowait; guest times are in user already
			continue
		}
		x, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return -1
		}
		busy += x
	}
	return busy / clockTicks
}

// dockerdPID is the Docker daemon's PID from /var/run/docker.pid; 0 when
// unknown (its CPU is then not reported).
func dockerdPID() int {
	b, err := os.ReadFile("/var/run/docker.pid")
	if err != nil {
		return 0
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	return pid
}
