// Command services benchmarks the service scheduler against the goals of
// issue 4: how fast a service replaces a task whose container was killed,
// how fast it scales from 0 to 50 tasks and back, and how long one
// scheduling decision takes for 1,000 tasks.
//
// It builds the test app image locally (nothing is pulled), ./cmd/quayside
// and the scheduler's test binary into a temp dir, runs the scheduler's
// Go benchmark (BenchmarkDecide1000), then starts `quayside up` on a free
// loopback port with an empty data dir and room for the scale phase's
// tasks (--agent-cpu, --agent-memory), and measures:
//
//	kill   a Fargate service of -tasks (3) tasks; -kills (20) times, one
//	       task's app container is SIGKILLed through the Docker API and
//	       the time until its replacement is RUNNING is taken (ListTasks +
//	       DescribeTasks every 20 ms); the service is then let back to
//	       -tasks RUNNING, with the killed task STOPPED, before the next
//	up     a service at desired 0 is updated to -scale (50): until
//	       services-stable (runningCount 50 and one deployment, the
//	       SDK's ServicesStable condition; DescribeServices every 50 ms)
//	down   the same service updated to 0: until runningCount 0, and
//	       until no task of it is left with a status other than STOPPED
//
// Everything it created is removed when it exits, also on error or
// Ctrl-C: its services are deleted and its tasks stopped, the server is
// stopped, and containers left with its agent's label are removed.
//
//	go run ./bench/services
//	go run ./bench/services -kills 5 -scale 20 -gobench-count 0
//	QUAYSIDE_LOG_LEVEL=debug go run ./bench/services -server-log /tmp/q.log
package main

import (
	"context"
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
	o          options
	srv        *server
	ecs        *ecsClient
	docker     *docker.Client
	timeline   *timeline
	dockerdPID int
	rep        *Report
}

type options struct {
	kills, tasks, scale   int
	scaleTimeout          time.Duration
	agentCPU, agentMemory int
	gobenchCount          int
	quayside              string
	logLevel, serverLog   string
}

func main() {
	os.Exit(run())
}

func run() int {
	var o options
	flag.IntVar(&o.kills, "kills", 20, "containers to kill, one at a time")
	flag.IntVar(&o.tasks, "tasks", 3, "desired count of the service whose tasks are killed")
	flag.IntVar(&o.scale, "scale", 50, "desired count to scale a service to from 0, and back")
	flag.DurationVar(&o.scaleTimeout, "scale-timeout", 90*time.Second, "time limit of each scale step")
	flag.IntVar(&o.agentCPU, "agent-cpu", 65536, "the server's --agent-cpu (each task takes 256)")
	flag.IntVar(&o.agentMemory, "agent-memory", 65536, "the server's --agent-memory in MiB (each task takes 512)")
	flag.IntVar(&o.gobenchCount, "gobench-count", 3, "runs of the scheduler's BenchmarkDecide1000 (0 skips it)")
	flag.StringVar(&o.quayside, "quayside", "", "quayside binary; empty builds ./cmd/quayside of the enclosing repository")
	flag.StringVar(&o.logLevel, "log-level", envOr("QUAYSIDE_LOG_LEVEL", "info"), "the server's --log-level (env QUAYSIDE_LOG_LEVEL; debug logs every request)")
	flag.StringVar(&o.serverLog, "server-log", "", "write the server's log to this file and keep it (default: a temp file, kept only on failure)")
	flag.Parse()
	if o.kills < 0 || o.tasks < 1 || o.scale < 1 || o.gobenchCount < 0 {
		fmt.Fprintln(os.Stderr, "services: -tasks and -scale must be positive, -kills and -gobench-count not negative")
		return 2
	}
	if need := 256 * (o.tasks + o.scale); o.agentCPU < need || o.agentMemory < 2*need {
		fmt.Fprintf(os.Stderr, "services: -agent-cpu must be at least %d and -agent-memory %d\n", need, 2*need)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	start := time.Now()
	rep := &Report{Date: start.UTC(), CPUs: runtime.NumCPU(), GoVersion: runtime.Version(), LoadStart: benchproc.LoadAvg(), o: o}
	err := bench(ctx, o, rep)
	rep.LoadEnd = benchproc.LoadAvg()
	rep.RunTime = time.Since(start)
	if err != nil {
		rep.Error = err.Error()
	}
	writeReport(os.Stdout, rep)
	if err != nil {
		fmt.Fprintln(os.Stderr, "services:", err)
		return 1
	}
	return 0
}

// bench runs the whole benchmark, filling rep as it goes, and cleans up
// after itself whatever happens.
func bench(ctx context.Context, o options, rep *Report) (err error) {
	tmp, err := os.MkdirTemp("", "quayside-bench-services-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	root, err := repoRoot()
	if err != nil {
		return err
	}
	dc, err := docker.FromEnv()
	if err != nil {
		return err
	}
	defer dc.Close()
	v, err := dc.Version(ctx)
	if err != nil {
		return fmt.Errorf("the benchmark needs Docker: %w", err)
	}
	rep.DockerVersion = v.Version

	// The image, the server and the test binary, built at the same time.
	logf("building the test app image, ./cmd/quayside and the scheduler's test binary")
	var image, bin, testBin string
	errs := make(chan error, 3)
	go func() {
		var err error
		image, err = testimage.EnsureTestApp(ctx, dc)
		errs <- err
	}()
	go func() {
		bin = o.quayside
		if bin != "" {
			errs <- nil
			return
		}
		bin = filepath.Join(tmp, "quayside")
		errs <- goBuild(ctx, root, "build", "-o", bin, "./cmd/quayside")
	}()
	go func() {
		if o.gobenchCount == 0 {
			errs <- nil
			return
		}
		var err error
		testBin, err = buildDecideBench(ctx, root, tmp)
		errs <- err
	}()
	for range 3 {
		if e := <-errs; e != nil && err == nil {
			err = e
		}
	}
	if err != nil {
		return err
	}

	// The decision benchmark first, while none of this benchmark's
	// containers run.
	if o.gobenchCount > 0 {
		logf("running %s -test.bench %s, %d times", decidePkg, decideBench, o.gobenchCount)
		if rep.GoBench, err = runDecideBench(ctx, root, testBin, o.gobenchCount); err != nil {
			return err
		}
	}

	logPath := o.serverLog
	if logPath == "" {
		logPath = filepath.Join(tmp, "server.log")
	}
	s, err := startServer(bin, filepath.Join(tmp, "data"), logPath, o.logLevel,
		"--agent-cpu", strconv.Itoa(o.agentCPU), "--agent-memory", strconv.Itoa(o.agentMemory))
	if err != nil {
		return err
	}
	c := newECSClient(s.url)
	defer func() {
		if err != nil && o.serverLog == "" {
			keepLog(logPath)
		}
	}()
	defer cleanup(s, c, dc)
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
	h := &harness{o: o, srv: s, ecs: c, docker: dc, timeline: tl, dockerdPID: dockerdPID(), rep: rep}

	if o.kills > 0 {
		if err := h.killPhase(ctx); err != nil {
			return err
		}
	}
	if err := h.scalePhase(ctx); err != nil {
		return err
	}
	return s.Check(ctx)
}

// cleanup deletes the benchmark's services, stops their tasks and the
// server, then removes any container left with the agent's label. It runs
// on every exit path, with its own time limit.
func cleanup(s *server, c *ecsClient, dc *docker.Client) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if s.Check(ctx) == nil {
		if err := c.stopEverything(ctx, 60*time.Second); err != nil {
			logf("cleanup: %v", err)
		}
	}
	id := s.agentID()
	s.Stop(10 * time.Second)
	if id == "" {
		return
	}
	f := agent.LabelAgent + "=" + id
	list, err := dc.ContainerList(ctx, docker.ContainerListOptions{All: true, Filters: docker.Filters{"label": {f}}})
	if err != nil {
		logf("cleanup: list containers: %v", err)
		return
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

// keepLog copies the server's log out of the temp dir, which is about to
// be removed, so that a failed run can be looked into.
func keepLog(path string) {
	b, err := os.ReadFile(path)
	if err != nil {
		return
	}
	kept := filepath.Join(os.TempDir(), fmt.Sprintf("quayside-bench-services-%d.log", time.Now().Unix()))
	if err := os.WriteFile(kept, b, 0o644); err == nil {
		logf("the server's log is kept in %s", kept)
	}
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "%s "+format+"\n", append([]any{time.Now().Format("15:04:05")}, args...)...)
}
