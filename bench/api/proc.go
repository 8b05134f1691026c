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
	"sync"
	"time"
)

// server is one started API server process: Quayside or moto.
type server struct {
	name    string
	url     string
	cmd     *exec.Cmd
	logPath string
	done    chan struct{} // closed when the process has exited
	waitErr error
}

// serverSpec says how to start a server on a given port and data dir, and
// which path answers when it is ready.
type serverSpec struct {
	name      string
	argv      func(addr, dataDir string) []string
	readyPath string
}

func quaysideSpec(bin string) serverSpec {
	return serverSpec{
		name: "quayside",
		argv: func(addr, dataDir string) []string {
			return []string{bin, "up", "--listen", addr, "--data-dir", dataDir}
		},
		readyPath: "/_quayside/health",
	}
}

func motoSpec(bin string) serverSpec {
	return serverSpec{
		name: "moto",
		argv: func(addr, _ string) []string {
			host, port, _ := net.SplitHostPort(addr)
			return []string{bin, "-H", host, "-p", port}
		},
		readyPath: "/moto-api/",
	}
}

// procs tracks every process the harness started so that they can all be
// stopped on any exit path.
type procs struct {
	mu   sync.Mutex
	list []*server
}

// start execs the server on a free loopback port with an empty data dir
// under tmp, and waits until its ready path answers 200. It returns the
// time from exec to that first successful response.
func (p *procs) start(ctx context.Context, spec serverSpec, tmp string) (*server, time.Duration, error) {
	addr, err := freeLoopbackAddr()
	if err != nil {
		return nil, 0, err
	}
	dir, err := os.MkdirTemp(tmp, spec.name+"-")
	if err != nil {
		return nil, 0, err
	}
	logf, err := os.Create(filepath.Join(dir, "server.log"))
	if err != nil {
		return nil, 0, err
	}
	defer logf.Close()
	argv := spec.argv(addr, filepath.Join(dir, "data"))
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = childAttr()
	s := &server{name: spec.name, url: "http://" + addr, cmd: cmd, logPath: logf.Name(), done: make(chan struct{})}
	began := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, 0, fmt.Errorf("start %s: %w", spec.name, err)
	}
	p.mu.Lock()
	p.list = append(p.list, s)
	p.mu.Unlock()
	go func() {
		s.waitErr = cmd.Wait()
		close(s.done)
	}()
	if err := s.waitReady(ctx, spec.readyPath, 60*time.Second); err != nil {
		return nil, 0, err
	}
	return s, time.Since(began), nil
}

// waitReady polls path every millisecond until it answers 200, the process
// exits, ctx ends or the timeout passes.
func (s *server) waitReady(ctx context.Context, path string, timeout time.Duration) error {
	hc := &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{Proxy: nil, DisableKeepAlives: true}}
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		select {
		case <-s.done:
			return fmt.Errorf("%s exited before it was ready (%v); its log:\n%s", s.name, s.waitErr, s.logTail(20))
		case <-ctx.Done():
			return ctx.Err()
		default:
		}
		resp, err := hc.Get(s.url + path)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(time.Millisecond)
	}
	return fmt.Errorf("%s did not answer %s within %s; its log:\n%s", s.name, path, timeout, s.logTail(20))
}

// stop asks the process group to terminate, and kills it if it has not
// exited after a grace period.
func (s *server) stop() {
	select {
	case <-s.done:
		return
	default:
	}
	signalGroup(s.cmd, false)
	select {
	case <-s.done:
	case <-time.After(5 * time.Second):
		signalGroup(s.cmd, true)
		<-s.done
	}
}

// stopAll stops every process still running.
func (p *procs) stopAll() {
	p.mu.Lock()
	list := p.list
	p.list = nil
	p.mu.Unlock()
	var wg sync.WaitGroup
	for _, s := range list {
		wg.Add(1)
		go func() { defer wg.Done(); s.stop() }()
	}
	wg.Wait()
}

func (s *server) pid() int { return s.cmd.Process.Pid }

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

// rssMiB reads VmRSS of a process from /proc; 0 when unavailable.
func rssMiB(pid int) float64 {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			return kb / 1024
		}
	}
	return 0
}

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
	if err := errors.Join(err1, err2); err != nil {
		return -1
	}
	return (utime + stime) / clockTicks
}

// machineCPUSeconds is the CPU time every core of the machine has spent
// busy, from the first line of /proc/stat; -1 when unavailable.
func machineCPUSeconds() float64 {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return -1
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line)
	if len(f) < 9 || f[0] != "cpu" {
		return -1
	}
	var busy float64
	for i, v := range f[1:9] {
		if i == 3 || i == 4 { // idle, iowait
			continue
		}
		n, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return -1
		}
		busy += n
	}
	return busy / clockTicks
}

// loadAvg is the 1-minute load average; -1 when unavailable.
func loadAvg() float64 {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return -1
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return -1
	}
	v, err := strconv.ParseFloat(f[0], 64)
	if err != nil {
		return -1
	}
	return v
}

// buildQuayside builds ./cmd/quayside of the repository that holds the
// working directory into dir.
func buildQuayside(ctx context.Context, dir string) (string, error) {
	root, err := repoRoot()
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "quayside")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/quayside")
	cmd.Dir = root
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("go build ./cmd/quayside in %s: %w", root, err)
	}
	return bin, nil
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
			return "", errors.New("cannot find the quayside repository above the working directory; pass -quayside PATH")
		}
		dir = parent
	}
}
