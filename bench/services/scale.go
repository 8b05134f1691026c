package main

import (
	"context"
	"fmt"
	"os"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/quayside/quayside/bench/internal/benchproc"
)

// scalePoll is how often the scale phase polls DescribeServices.
const scalePoll = 50 * time.Millisecond

// ScaleUp is the 0 → N scale-up, in offsets from the UpdateService call.
type ScaleUp struct {
	N            int
	Stable       time.Duration // services-stable seen: runningCount N, one deployment
	FirstRunning time.Duration // runningCount first above 0
	// From the tasks' own timestamps and the daemon's events:
	LastCreated                time.Duration    // the last task's createdAt: all launched by the scheduler
	PauseCreated, PauseStarted [2]time.Duration // p50 and last pause container created, started
	AppCreated, AppStarted     [2]time.Duration // p50 and last app container created, started
	LastStartedAt              time.Duration    // the last task's startedAt (RUNNING)
	Progress                   []Progress       // runningCount at whole seconds
	CPU                        CPU
	LoadStart, LoadEnd         float64
}

// ScaleDown is the N → 0 scale-down, in offsets from the UpdateService
// call.
type ScaleDown struct {
	N              int
	RunningZero    time.Duration // runningCount 0 seen
	AllStopped     time.Duration // no task of the service left other than STOPPED, seen
	LastStoppingAt time.Duration // the last task's stoppingAt: all told to stop
	// p50 and last, from the daemon's events: app containers exited,
	// pause containers exited, and pause containers removed (the agent
	// removes the app container first).
	AppDied, PauseDied, PauseRemoved [2]time.Duration
	LastStoppedAt                    time.Duration // the last task's stoppedAt
	CPU                              CPU
	LoadStart, LoadEnd               float64
}

// Progress is the running and pending counts seen at a time.
type Progress struct {
	At               time.Duration
	Running, Pending int
}

// scalePhase scales a service of the test app from 0 to o.scale and back
// to 0, timing each.
func (h *harness) scalePhase(ctx context.Context) error {
	const name = "bench-scale"
	n := h.o.scale
	if err := h.ecs.createService(ctx, name, 0); err != nil {
		return err
	}
	if err := sleep(ctx, time.Second); err != nil { // let the scheduler see the empty service
		return err
	}

	up := &ScaleUp{N: n, LoadStart: benchproc.LoadAvg()}
	h.rep.Up = up
	cpu := h.startCPU()
	t0 := time.Now()
	if err := h.ecs.setDesired(ctx, name, n); err != nil {
		return err
	}
	nextMark := time.Second
	for {
		svc, err := h.ecs.service(ctx, name)
		if err != nil {
			return err
		}
		at := time.Since(t0)
		if svc.RunningCount > 0 && up.FirstRunning == 0 {
			up.FirstRunning = at
		}
		if at >= nextMark {
			up.Progress = append(up.Progress, Progress{At: nextMark, Running: int(svc.RunningCount), Pending: int(svc.PendingCount)})
			nextMark += time.Second
		}
		if stable(svc) && int(svc.DesiredCount) == n {
			up.Stable = at
			break
		}
		if at > h.o.scaleTimeout {
			return fmt.Errorf("scale 0 → %d: not stable after %s (running %d, pending %d, %d deployments)",
				n, h.o.scaleTimeout, svc.RunningCount, svc.PendingCount, len(svc.Deployments))
		}
		if err := sleep(ctx, scalePoll); err != nil {
			return err
		}
	}
	up.CPU = cpu.stop()
	up.LoadEnd = benchproc.LoadAvg()
	logf("scale: 0 → %d stable after %s", n, up.Stable.Round(time.Millisecond))

	arns, err := h.ecs.listTasks(ctx, name, types.DesiredStatusRunning)
	if err != nil {
		return err
	}
	tasks, err := h.ecs.describe(ctx, arns)
	if err != nil {
		return err
	}
	events := func(role, action string) [2]time.Duration { return h.timeline.spread(ctx, arns, role, action, t0) }
	for _, t := range tasks {
		up.LastCreated = max(up.LastCreated, aws.ToTime(t.CreatedAt).Sub(t0))
		up.LastStartedAt = max(up.LastStartedAt, aws.ToTime(t.StartedAt).Sub(t0))
	}
	up.PauseCreated, up.PauseStarted = events("pause", "create"), events("pause", "start")
	up.AppCreated, up.AppStarted = events("container", "create"), events("container", "start")

	down := &ScaleDown{N: n, LoadStart: benchproc.LoadAvg()}
	h.rep.Down = down
	cpu = h.startCPU()
	t1 := time.Now()
	if err := h.ecs.setDesired(ctx, name, 0); err != nil {
		return err
	}
	for down.RunningZero == 0 {
		svc, err := h.ecs.service(ctx, name)
		if err != nil {
			return err
		}
		if svc.RunningCount == 0 {
			down.RunningZero = time.Since(t1)
			break
		}
		if time.Since(t1) > h.o.scaleTimeout {
			return fmt.Errorf("scale %d → 0: runningCount still %d after %s", n, svc.RunningCount, h.o.scaleTimeout)
		}
		if err := sleep(ctx, scalePoll); err != nil {
			return err
		}
	}
	seen, err := h.ecs.waitAllStopped(ctx, name, 2*scalePoll, h.o.scaleTimeout-time.Since(t1))
	if err != nil {
		return fmt.Errorf("scale %d → 0: %w", n, err)
	}
	down.AllStopped = seen.Sub(t1)
	down.CPU = cpu.stop()
	down.LoadEnd = benchproc.LoadAvg()
	logf("scale: %d → 0, runningCount 0 after %s, every task STOPPED after %s", n,
		down.RunningZero.Round(time.Millisecond), down.AllStopped.Round(time.Millisecond))

	stopped, err := h.ecs.describe(ctx, arns)
	if err != nil {
		return err
	}
	for _, t := range stopped {
		down.LastStoppingAt = max(down.LastStoppingAt, aws.ToTime(t.StoppingAt).Sub(t1))
		down.LastStoppedAt = max(down.LastStoppedAt, aws.ToTime(t.StoppedAt).Sub(t1))
	}
	down.AppDied = h.timeline.spread(ctx, arns, "container", "die", t1)
	down.PauseDied = h.timeline.spread(ctx, arns, "pause", "die", t1)
	down.PauseRemoved = h.timeline.spread(ctx, arns, "pause", "destroy", t1)
	return nil
}

// CPU is the CPU time used during a phase, in cores busy on average.
type CPU struct {
	Server, Dockerd, Bench, Machine float64
}

type cpuMark struct {
	h                               *harness
	at                              time.Time
	server, dockerd, bench, machine float64
}

func (h *harness) startCPU() cpuMark {
	return cpuMark{h: h, at: time.Now(), server: benchproc.CPUSeconds(h.srv.Pid()), dockerd: benchproc.CPUSeconds(h.dockerdPID),
		bench: benchproc.CPUSeconds(os.Getpid()), machine: benchproc.MachineCPUSeconds()}
}

func (m cpuMark) stop() CPU {
	d := time.Since(m.at).Seconds()
	rate := func(before, after float64) float64 {
		if before < 0 || after < 0 || d <= 0 {
			return -1
		}
		return (after - before) / d
	}
	return CPU{Server: rate(m.server, benchproc.CPUSeconds(m.h.srv.Pid())), Dockerd: rate(m.dockerd, benchproc.CPUSeconds(m.h.dockerdPID)),
		Bench: rate(m.bench, benchproc.CPUSeconds(os.Getpid())), Machine: rate(m.machine, benchproc.MachineCPUSeconds())}
}

// pct is the p-th percentile of ds by nearest rank; 0 when empty.
func pct(ds []time.Duration, p int) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := (p*len(s)+99)/100 - 1
	return s[max(i, 0)]
}
