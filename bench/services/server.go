package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/quayside/quayside/bench/internal/benchproc"
)

// server is the quayside process the benchmark started. (It follows
// bench/tasks's server, which a package main cannot share; the process
// helpers under it are bench/internal/benchproc's.)
type server struct {
	*benchproc.Proc
	url     string
	dataDir string
}

// startServer execs `quayside up` on a free loopback port with an empty
// data dir, in its own process group and with a parent-death signal, so
// that even a kill -9 of the benchmark leaves no server behind. extraArgs
// are appended to the command line.
func startServer(bin, dataDir, logPath, logLevel string, extraArgs ...string) (*server, error) {
	addr, err := benchproc.FreeAddr()
	if err != nil {
		return nil, err
	}
	argv := append([]string{bin, "up", "--listen", addr, "--data-dir", dataDir, "--metadata-port", "0",
		"--log-level", logLevel}, extraArgs...)
	p, err := benchproc.Start("quayside", "", logPath, argv...)
	if err != nil {
		return nil, err
	}
	return &server{Proc: p, url: "http://" + addr, dataDir: dataDir}, nil
}

// waitHealthy polls /_quayside/health every 10 ms until it answers 200,
// the process exits, ctx ends or the timeout passes.
func (s *server) waitHealthy(ctx context.Context, timeout time.Duration) error {
	return s.WaitHTTP(ctx, s.url, "/_quayside/health", timeout)
}

// agentID is the local agent's ID, which labels every container it makes.
func (s *server) agentID() string {
	b, err := os.ReadFile(filepath.Join(s.dataDir, "agent-id"))
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
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
