// Command tasks benchmarks task start-up: how long Quayside takes from
// RunTask to a RUNNING Fargate task, against plain Docker running the
// same container, and how much memory each running task costs the agent.
//
// It builds the test app image locally (nothing is pulled) and
// ./cmd/quayside into a temp dir, starts `quayside up` on a free loopback
// port with an empty data dir, waits for its agent, and measures:
//
//	sequential  -n tasks one after the other: RunTask → RUNNING (and →
//	            the app answering HTTP), each stopped before the next
//	floor       after each task, `docker run -d --network quayside-tasks`
//	            of the same image through the Docker API: until create
//	            and start return, and until the app answers HTTP
//	burst       -concurrent tasks started at once, in concurrent RunTask
//	            calls of at most 10: until all are RUNNING; then as many
//	            plain Docker containers at once, as its floor
//	memory      the quayside process's RSS idle with no task and with the
//	            burst's tasks RUNNING
//
// Each sequential task's start-up is also split into steps, at the
// task's own timestamps and the Docker daemon's events (steps.go), to
// show where the time goes.
//
// Everything it created is removed when it exits, also on error or
// Ctrl-C: its tasks are stopped, the server is stopped, and containers
// left with its agent's label or its own are removed.
//
//	go run ./bench/tasks
//	go run ./bench/tasks -json > results.json
//	go run ./bench/tasks -n 20 -concurrent 10
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"syscall"
	"time"

	"github.com/quayside/quayside/bench/internal/benchproc"
	"github.com/quayside/quayside/internal/agent"
	"github.com/quayside/quayside/internal/docker"
	"github.com/quayside/quayside/internal/testimage"
)

// harness is one run: its options, server, clients and report.
type harness struct {
	o        options
	srv      *server
	ecs      *ecsClient
	docker   *docker.Client
	timeline *timeline
	image    string
	runID    string // labels the plain Docker containers
	rep      *Report
}

type options struct {
	n, concurrent, warmup int
	json                  bool
	quayside              string
	logLevel, serverLog   string
}

func main() {
	os.Exit(run())
}

func run() int {
	var o options
	flag.IntVar(&o.n, "n", 50, "sequential tasks (and plain Docker containers) to time")
	flag.IntVar(&o.concurrent, "concurrent", 20, "tasks started at once; also the tasks running when RSS is read")
	flag.IntVar(&o.warmup, "warmup", 1, "sequential tasks run first and not counted")
	flag.BoolVar(&o.json, "json", false, "print the report as JSON instead of tables")
	flag.StringVar(&o.quayside, "quayside", "", "quayside binary; empty builds ./cmd/quayside of the enclosing repository")
	flag.StringVar(&o.logLevel, "log-level", "info", "the server's --log-level (debug logs every request)")
	flag.StringVar(&o.serverLog, "server-log", "", "write the server's log to this file and keep it (default: a temp file, removed)")
	flag.Parse()
	if o.n < 1 || o.concurrent < 1 || o.warmup < 0 {
		fmt.Fprintln(os.Stderr, "tasks: -n and -concurrent must be positive, -warmup not negative")
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	rep := &Report{
		Date: time.Now().UTC().Format(time.RFC3339),
		Host: Host{CPUs: runtime.NumCPU(), GoVersion: runtime.Version(), LoadAvgStart: benchproc.LoadAvg()},
		Settings: Settings{Tasks: o.n, Warmup: o.warmup, Concurrent: o.concurrent,
			PollMS: ms(pollEvery), ProbeMS: ms(probeEvery),
			// Fargate tasks of 0.25 vCPU and 512 MiB; the host's 2 cores
			// advertise 2,048 CPU units, room for only 8.
			AgentCPU: 256 * (o.concurrent + 2), AgentMemory: 512 * (o.concurrent + 2)},
	}
	err := bench(ctx, o, rep)
	rep.Host.LoadAvgEnd = benchproc.LoadAvg()
	if err != nil {
		rep.Error = err.Error()
	}
	rep.Goals = evaluateGoals(rep)
	if o.json {
		if err := writeJSON(os.Stdout, rep); err != nil {
			fmt.Fprintln(os.Stderr, "tasks:", err)
			return 1
		}
	} else {
		writeTable(os.Stdout, rep)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "tasks:", err)
		return 1
	}
	return 0
}

// bench runs the whole benchmark, filling rep as it goes, and cleans up
// after itself whatever happens.
func bench(ctx context.Context, o options, rep *Report) (err error) {
	tmp, err := os.MkdirTemp("", "quayside-bench-tasks-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	dc, err := docker.FromEnv()
	if err != nil {
		return err
	}
	defer dc.Close()
	v, err := dc.Version(ctx)
	if err != nil {
		return fmt.Errorf("the benchmark needs Docker: %w", err)
	}
	rep.Host.DockerVersion = v.Version
	logf("building the test app image")
	image, err := testimage.EnsureTestApp(ctx, dc)
	if err != nil {
		return err
	}
	bin := o.quayside
	if bin == "" {
		logf("building ./cmd/quayside")
		if bin, err = buildQuayside(ctx, tmp); err != nil {
			return err
		}
	}
	logPath := o.serverLog
	if logPath == "" {
		logPath = filepath.Join(tmp, "server.log")
	}
	s, err := startServer(bin, filepath.Join(tmp, "data"), logPath, o.logLevel,
		"--agent-cpu", strconv.Itoa(rep.Settings.AgentCPU), "--agent-memory", strconv.Itoa(rep.Settings.AgentMemory))
	if err != nil {
		return err
	}
	c := newECSClient(s.url)
	runID := newRunID()
	defer func() {
		if err != nil && o.serverLog == "" {
			keepLog(logPath, runID)
		}
	}()
	defer cleanup(s, c, dc, runID)
	defer func() { rep.FailedAttempts, rep.LastFailure = c.Retries() }()

	if err := s.waitHealthy(ctx, 60*time.Second); err != nil {
		return err
	}
	if err := c.WaitAgent(ctx, s, 60*time.Second); err != nil {
		return err
	}
	if err := c.Register(ctx, family, image); err != nil {
		return err
	}
	logf("quayside ready at %s (agent %s)", s.url, s.agentID())
	tctx, stopTimeline := context.WithCancel(ctx)
	defer stopTimeline()
	tl, err := watchTimeline(tctx, dc, s.agentID())
	if err != nil {
		return fmt.Errorf("docker events: %w", err)
	}
	h := &harness{o: o, srv: s, ecs: c, docker: dc, timeline: tl, image: image, runID: runID, rep: rep}
	if err := sleep(ctx, time.Second); err != nil { // let start-up work settle before reading RSS
		return err
	}
	mem := &Memory{StartMiB: rssMiB(s.Pid()), Tasks: o.concurrent}

	if err := h.sequential(ctx); err != nil {
		return err
	}
	if err := sleep(ctx, 2*time.Second); err != nil {
		return err
	}
	mem.IdleMiB = rssMiB(s.Pid())

	if err := h.burstPhase(ctx, mem); err != nil {
		return err
	}
	return s.Check(ctx)
}

// cleanup stops the benchmark's tasks and the server, then removes any
// container left with the agent's label or the benchmark's own. It runs
// on every exit path, with its own time limit.
func cleanup(s *server, c *ecsClient, dc *docker.Client, runID string) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if s.Check(ctx) == nil {
		if err := c.stopEverything(ctx, 60*time.Second); err != nil {
			logf("cleanup: %v", err)
		}
	}
	id := s.agentID()
	s.Stop(10 * time.Second)
	filters := []string{benchLabel + "=" + runID}
	if id != "" {
		filters = append(filters, agent.LabelAgent+"="+id)
	}
	for _, f := range filters {
		list, err := dc.ContainerList(ctx, docker.ContainerListOptions{All: true, Filters: docker.Filters{"label": {f}}})
		if err != nil {
			logf("cleanup: list containers: %v", err)
			continue
		}
		if len(list) > 0 {
			logf("cleanup: removing %d containers labelled %s", len(list), f)
		}
		for _, ct := range list {
			if err := dc.ContainerRemove(ctx, ct.ID, docker.ContainerRemoveOptions{Force: true, RemoveVolumes: true}); err != nil && !docker.IsNotFound(err) {
				logf("cleanup: remove container %s: %v", ct.ID, err)
			}
		}
	}
}

// keepLog copies the server's log out of the temp dir, which is about to
// be removed, so that a failed run can be looked into.
func keepLog(path, runID string) {
	b, err := os.ReadFile(path)
	if err != nil {
		return
	}
	kept := filepath.Join(os.TempDir(), "quayside-bench-tasks-"+runID+".log")
	if err := os.WriteFile(kept, b, 0o644); err == nil {
		logf("the server's log is kept in %s", kept)
	}
}

func newRunID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func sleep(ctx context.Context, d time.Duration) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(d):
		return nil
	}
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "%s "+format+"\n", append([]any{time.Now().Format("15:04:05")}, args...)...)
}
