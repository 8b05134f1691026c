package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/quayside/quayside/bench/internal/benchproc"
)

// server is one started API server process: Quayside or moto.
type server struct {
	name string
	url  string
	proc *benchproc.Proc
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
type procs struct{ g benchproc.Group }

// start execs the server on a free loopback port with an empty data dir
// under tmp, and waits until its ready path answers 200. It returns the
// time from exec to that first successful response.
func (p *procs) start(ctx context.Context, spec serverSpec, tmp string) (*server, time.Duration, error) {
	addr, err := benchproc.FreeAddr()
	if err != nil {
		return nil, 0, err
	}
	dir, err := os.MkdirTemp(tmp, spec.name+"-")
	if err != nil {
		return nil, 0, err
	}
	argv := spec.argv(addr, filepath.Join(dir, "data"))
	proc, err := p.g.Start(spec.name, dir, filepath.Join(dir, "server.log"), argv...)
	if err != nil {
		return nil, 0, err
	}
	s := &server{name: spec.name, url: "http://" + addr, proc: proc}
	if err := s.waitReady(ctx, spec.readyPath, 60*time.Second); err != nil {
		return nil, 0, err
	}
	return s, time.Since(proc.Started()), nil
}

// waitReady polls path every millisecond until it answers 200, the process
// exits, ctx ends or the timeout passes.
func (s *server) waitReady(ctx context.Context, path string, timeout time.Duration) error {
	hc := &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{Proxy: nil, DisableKeepAlives: true}}
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		select {
		case <-s.proc.Done():
			return fmt.Errorf("%s exited before it was ready (%v); its log:\n%s", s.name, s.proc.Err(), s.proc.Tail(20))
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
	return fmt.Errorf("%s did not answer %s within %s; its log:\n%s", s.name, path, timeout, s.proc.Tail(20))
}

// stop asks the process group to terminate, and kills it if it has not
// exited after a grace period.
func (s *server) stop() { s.proc.Stop(5 * time.Second) }

// stopAll stops every process still running.
func (p *procs) stopAll() { p.g.StopAll(5 * time.Second) }

func (s *server) pid() int { return s.proc.Pid() }

// rssMiB is the resident memory of process pid in MiB; 0 when unknown.
func rssMiB(pid int) float64 { return float64(benchproc.RSS(pid)) / (1 << 20) }

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
