package main

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// decideBench is the package the scheduler's decision benchmark is in,
// and its name pattern: `go test -run '^$' -bench Decide ./internal/scheduler/`
// (with -benchtime 500x, so that CPU time per decision can be computed).
const (
	decidePkg   = "./internal/scheduler"
	decideBench = "Decide"
)

// GoBench is the result of BenchmarkDecide1000: one decision for a
// service of 1,000 tasks in the middle of a rolling deployment.
type GoBench struct {
	Name  string
	NsOp  []float64 // one per -count run
	Lines []string  // the benchmark's result lines, as printed
	// CPUPerOp is the test process's CPU time (user + system, GC
	// included) over every decision it made, including each run's first
	// b.N = 1 call: wall time per op is inflated when other work shares
	// the cores, CPU time much less so.
	CPUPerOp time.Duration
}

// decideOps is each run's b.N: a fixed count, so that the process's CPU
// time can be divided by the decisions made.
const decideOps = 500

// buildDecideBench compiles the scheduler's test binary into dir.
func buildDecideBench(ctx context.Context, root, dir string) (string, error) {
	bin := filepath.Join(dir, "scheduler.test")
	return bin, goBuild(ctx, root, "test", "-c", "-o", bin, decidePkg)
}

// runDecideBench runs the compiled benchmark count times, in the
// package's directory as `go test` would.
func runDecideBench(ctx context.Context, root, bin string, count int) (*GoBench, error) {
	cmd := exec.CommandContext(ctx, bin, "-test.run", "^$", "-test.bench", decideBench,
		"-test.benchmem", "-test.benchtime", fmt.Sprintf("%dx", decideOps), "-test.count", strconv.Itoa(count))
	cmd.Dir = filepath.Join(root, decidePkg)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("%s: %w\n%s", bin, err, out.String())
	}
	g := &GoBench{}
	ps := cmd.ProcessState
	g.CPUPerOp = (ps.UserTime() + ps.SystemTime()) / time.Duration(count*(decideOps+1))
	for _, line := range strings.Split(out.String(), "\n") {
		f := strings.Fields(line)
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") || f[3] != "ns/op" {
			continue
		}
		ns, err := strconv.ParseFloat(f[2], 64)
		if err != nil {
			continue
		}
		g.Name = f[0]
		g.NsOp = append(g.NsOp, ns)
		g.Lines = append(g.Lines, strings.Join(f, " "))
	}
	if len(g.NsOp) == 0 {
		return nil, fmt.Errorf("%s printed no benchmark result:\n%s", bin, out.String())
	}
	return g, nil
}
