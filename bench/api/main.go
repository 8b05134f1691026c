// Command api benchmarks the ECS control-plane API of Quayside against
// moto's server, side by side in one run.
//
// It builds (or takes) a quayside binary and finds moto_server, starts each
// on a free loopback port with an empty temporary data dir, and measures:
//
//	start-up    exec to the first 200 on the readiness path, several times
//	RSS         VmRSS after start-up, right after the load, and idle after it
//	describe    DescribeTaskDefinition alone, random preloaded revisions
//	mix         RegisterTaskDefinition, DescribeTaskDefinition,
//	            ListTaskDefinitions and DescribeClusters in turn
//
// Each phase runs -concurrency workers for -duration against one server at
// a time, through aws-sdk-go-v2's ECS client with retries off. Every server
// it starts is stopped when it exits, also on error or interrupt.
//
//	go run ./bench/api
//	go run ./bench/api -json > results.json
//	go run ./bench/api -moto=          Quayside only
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"syscall"
	"time"

	"github.com/quayside/quayside/bench/internal/benchproc"
)

type options struct {
	duration      time.Duration
	concurrency   int
	lowConc       int
	gcPercent     int
	cpuProfile    string
	preload       int
	motoPreload   int
	startupTrials int
	idle          time.Duration
	quayside      string
	moto          string
	json          bool
}

func main() {
	os.Exit(run())
}

func run() int {
	motoDefault, _ := exec.LookPath("moto_server")
	var o options
	flag.DurationVar(&o.duration, "duration", 10*time.Second, "length of each load phase")
	flag.IntVar(&o.concurrency, "concurrency", 16, "concurrent workers, each with its own keep-alive connection")
	flag.IntVar(&o.lowConc, "low-concurrency", 4, "workers of a second DescribeTaskDefinition phase, where latency is the server's rather than the closed loop's queue; 0 skips it")
	flag.IntVar(&o.gcPercent, "gogc", 400, "GOGC of this load generator (not of the servers); -1 leaves Go's default")
	flag.StringVar(&o.cpuProfile, "cpuprofile", "", "write a CPU profile of this load generator to the file")
	flag.IntVar(&o.preload, "preload", 10000, "task definitions registered before the load phases")
	flag.IntVar(&o.motoPreload, "moto-preload", 2000, "task definitions preloaded into moto, at most -preload; -1 means -preload (moto registers ~250/s, so 10,000 take ~40s)")
	flag.IntVar(&o.startupTrials, "startup-trials", 3, "start-up time samples per server, each on an empty data dir")
	flag.DurationVar(&o.idle, "idle", 5*time.Second, "minimum idle time after Quayside's load before its idle RSS is read")
	flag.StringVar(&o.quayside, "quayside", "", "quayside binary; empty builds ./cmd/quayside of the enclosing repository")
	flag.StringVar(&o.moto, "moto", motoDefault, "moto_server binary; empty skips moto")
	flag.BoolVar(&o.json, "json", false, "print the report as JSON instead of tables")
	flag.Parse()
	if o.duration <= 0 || o.concurrency < 1 || o.preload < 1 || o.startupTrials < 1 || o.lowConc < 0 {
		fmt.Fprintln(os.Stderr, "api: -duration, -concurrency, -preload and -startup-trials must be positive")
		return 2
	}
	if o.gcPercent >= 0 {
		// The SDK allocates tens of KiB per call; at Go's default the load
		// generator's garbage collector takes about a fifth of its CPU,
		// CPU the server under test then lacks on a small machine.
		debug.SetGCPercent(o.gcPercent)
	}
	if o.motoPreload < 0 || o.motoPreload > o.preload {
		o.motoPreload = o.preload
	}

	if o.cpuProfile != "" {
		f, err := os.Create(o.cpuProfile)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "api:", err)
			return 1
		}
		defer func() { pprof.StopCPUProfile(); f.Close() }()
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	rep, err := bench(ctx, o)
	if rep != nil {
		rep.Goals = evaluateGoals(rep)
		if o.json {
			if err := writeJSON(os.Stdout, rep); err != nil {
				fmt.Fprintln(os.Stderr, "api:", err)
				return 1
			}
		} else {
			writeTable(os.Stdout, rep)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "api:", err)
		return 1
	}
	return 0
}

// bench runs the whole benchmark. It returns what it measured even when a
// server failed, so that the other can still be reported.
func bench(ctx context.Context, o options) (*Report, error) {
	tmp, err := os.MkdirTemp("", "quayside-bench-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	var ps procs
	defer ps.stopAll()

	bin := o.quayside
	if bin == "" {
		logf("building ./cmd/quayside")
		if bin, err = buildQuayside(ctx, tmp); err != nil {
			return nil, err
		}
	}
	specs := []serverSpec{quaysideSpec(bin)}
	preloads := []int{o.preload}
	if o.moto != "" {
		specs = append(specs, motoSpec(o.moto))
		preloads = append(preloads, o.motoPreload)
	} else {
		logf("moto skipped (no -moto and no moto_server on PATH)")
	}
	rep := &Report{
		Date: time.Now().UTC().Format(time.RFC3339),
		Host: Host{CPUs: runtime.NumCPU(), OS: runtime.GOOS, Arch: runtime.GOARCH, GoVersion: runtime.Version(), LoadAvgAtStart: benchproc.LoadAvg()},
		Settings: Settings{PhaseSeconds: o.duration.Seconds(), Concurrency: o.concurrency, LowConcurrency: o.lowConc, GOGC: o.gcPercent,
			Preload: o.preload, MotoPreload: o.motoPreload, StartupTrials: o.startupTrials},
	}

	// Start every server first, one at a time, so that start-up is timed on
	// an otherwise idle machine; the servers then wait idle for their turn.
	servers := make([]*server, len(specs))
	for i, spec := range specs {
		t := &TargetResult{Name: spec.name}
		rep.Targets = append(rep.Targets, t)
		servers[i], err = startTimed(ctx, &ps, spec, tmp, o.startupTrials, t)
		if err != nil {
			t.Error = err.Error()
			if ctx.Err() != nil {
				return rep, ctx.Err()
			}
		}
	}

	var loadEnded time.Time
	for i, s := range servers {
		if s == nil {
			continue
		}
		t := rep.Targets[i]
		if err := load(ctx, s, o, preloads[i], t); err != nil {
			t.Error = err.Error()
			if ctx.Err() != nil {
				return rep, ctx.Err()
			}
		}
		if i == 0 {
			loadEnded = time.Now()
		}
	}

	// Quayside has been idle while moto was loaded; top that up to -idle.
	if q := servers[0]; q != nil && !loadEnded.IsZero() {
		if wait := time.Until(loadEnded.Add(o.idle)); wait > 0 {
			logf("quayside: idle %s before reading RSS", wait.Round(time.Second))
			select {
			case <-time.After(wait):
			case <-ctx.Done():
				return rep, ctx.Err()
			}
		}
		rep.Targets[0].IdleSeconds = time.Since(loadEnded).Seconds()
		rep.Targets[0].RSSIdleMiB = rssMiB(q.pid())
	}
	var failed []error
	for _, t := range rep.Targets {
		if t.Error != "" {
			failed = append(failed, fmt.Errorf("%s: %s", t.Name, t.Error))
		}
	}
	return rep, errors.Join(failed...)
}

// startTimed starts the server trials times on empty data dirs, recording
// each start-up time, and keeps the last one running.
func startTimed(ctx context.Context, ps *procs, spec serverSpec, tmp string, trials int, t *TargetResult) (*server, error) {
	var s *server
	for i := range trials {
		srv, took, err := ps.start(ctx, spec, tmp)
		if err != nil {
			return nil, err
		}
		t.StartupMS = append(t.StartupMS, ms(took))
		if i < trials-1 {
			srv.stop()
			continue
		}
		s = srv
	}
	logf("%s: ready at %s, start-up %v ms", spec.name, s.url, t.StartupMS)
	// Let start-up work that happens after the first response settle.
	time.Sleep(time.Second)
	t.RSSStartMiB = rssMiB(s.pid())
	return s, nil
}

// load preloads the server and runs the phases against it.
func load(ctx context.Context, s *server, o options, preload int, t *TargetResult) error {
	c := newClient(s.url, o.concurrency)
	logf("%s: creating a cluster and registering %d task definitions", s.name, preload)
	ds, took, err := setup(ctx, c, preload, o.concurrency)
	if err != nil {
		return fmt.Errorf("preload: %w", err)
	}
	t.Preloaded, t.PreloadSeconds = preload, took.Seconds()
	type phase struct {
		name    string
		workers int
		ops     []string
		next    func(int) call
	}
	phases := []phase{{phaseDescribe, o.concurrency, []string{opDescribe}, describeOnly(c, ds)}}
	if o.lowConc > 0 {
		phases = append(phases, phase{phaseDescribeLow, o.lowConc, []string{opDescribe}, describeOnly(c, ds)})
	}
	phases = append(phases, phase{phaseMix, o.concurrency, mixOps, mix(c, ds)})
	for _, ph := range phases {
		logf("%s: phase %s, %d workers for %s", s.name, ph.name, ph.workers, o.duration)
		cpu0, self0, all0 := benchproc.CPUSeconds(s.pid()), benchproc.CPUSeconds(os.Getpid()), benchproc.MachineCPUSeconds()
		samples, elapsed := runPhase(ctx, o.duration, ph.workers, ph.next)
		cpu1, self1, all1 := benchproc.CPUSeconds(s.pid()), benchproc.CPUSeconds(os.Getpid()), benchproc.MachineCPUSeconds()
		if err := ctx.Err(); err != nil {
			return err
		}
		p := PhaseResult{Name: ph.name, Workers: ph.workers, Seconds: elapsed.Seconds()}
		if cpu0 >= 0 && cpu1 >= 0 {
			p.ServerCPUCores = (cpu1 - cpu0) / elapsed.Seconds()
		}
		if self0 >= 0 && self1 >= 0 {
			p.ClientCPUCores = (self1 - self0) / elapsed.Seconds()
		}
		if all0 >= 0 && all1 >= 0 {
			p.MachineCPUCores = (all1 - all0) / elapsed.Seconds()
		}
		p.Total, p.Ops = summarize(samples, ph.ops, elapsed)
		t.Phases = append(t.Phases, p)
	}
	t.RSSLoadedMiB = rssMiB(s.pid())
	return nil
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "%s "+format+"\n", append([]any{time.Now().Format("15:04:05")}, args...)...)
}
