package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/quayside/quayside/bench/internal/benchproc"
	"github.com/quayside/quayside/internal/agent"
	"github.com/quayside/quayside/internal/docker"
)

// burstPhase starts -concurrent tasks at once, reads the server's RSS
// with them RUNNING, stops them, and then starts as many plain Docker
// containers at once.
func (h *harness) burstPhase(ctx context.Context, mem *Memory) error {
	o, s, c, rep := h.o, h.srv, h.ecs, h.rep
	logf("starting %d tasks at once", o.concurrent)
	cpu0, self0, t0 := benchproc.CPUSeconds(s.Pid()), benchproc.CPUSeconds(os.Getpid()), time.Now()
	b, arns, err := burst(ctx, c, o.concurrent)
	cpu1, self1, took := benchproc.CPUSeconds(s.Pid()), benchproc.CPUSeconds(os.Getpid()), time.Since(t0).Seconds()
	rep.Burst = &Burst{Tasks: b.Tasks, Calls: b.Calls, AllRunningMS: ms(b.AllRunning), Each: dist(b.Each),
		Started: dist(b.Started), Provision: dist(b.Provision), CallsMS: dist(b.CallTimes), PollsMS: dist(b.Polls),
		ServerCPUCores: (cpu1 - cpu0) / took, BenchCPUCores: (self1 - self0) / took}
	if err != nil {
		return err
	}
	var pauseStart []time.Duration
	for _, a := range arns {
		if c0, c1 := h.timeline.get(a, "pause", "create"), h.timeline.get(a, "pause", "start"); !c0.IsZero() && !c1.IsZero() {
			pauseStart = append(pauseStart, c1.Sub(c0))
		}
	}
	rep.Burst.PauseStart = dist(pauseStart)
	if err := sleep(ctx, 2*time.Second); err != nil {
		return err
	}
	mem.BurstMiB = rssMiB(s.Pid())
	mem.PerTaskMiB = (mem.BurstMiB - mem.IdleMiB) / float64(o.concurrent)
	rep.Memory = mem
	t0 = time.Now()
	if err := c.stopAndWait(ctx, arns, 90*time.Second); err != nil {
		return err
	}
	rep.Burst.StopAllMS = ms(time.Since(t0))

	logf("starting %d plain Docker containers at once", o.concurrent)
	fb, err := dockerBurst(ctx, h.docker, h.image, h.runID, o.concurrent)
	if err != nil {
		return fmt.Errorf("docker burst: %w", err)
	}
	rep.Burst.DockerAllRunMS, rep.Burst.DockerAllHTTPMS, rep.Burst.DockerEach = ms(fb.AllRun), ms(fb.AllHTTP), dist(fb.Each)
	return nil
}

// burstResult is n tasks started at once.
type burstResult struct {
	Tasks, Calls int
	AllRunning   time.Duration   // until the last is seen RUNNING
	Each         []time.Duration // each task, until seen RUNNING
	Started      []time.Duration // each task, until its startedAt
	Provision    []time.Duration // each task, createdAt → connectivityAt
	CallTimes    []time.Duration // each RunTask call
	Polls        []time.Duration // each DescribeTasks call while waiting
}

// burst starts n tasks with concurrent RunTask calls of at most 10 tasks
// each, and waits until every one is RUNNING. It returns the ARNs it got
// even on error, for the caller to stop.
func burst(ctx context.Context, c *ecsClient, n int) (burstResult, []string, error) {
	r := burstResult{Tasks: n, Calls: (n + 9) / 10}
	var (
		mu   sync.Mutex
		arns []string
		errs []error
		wg   sync.WaitGroup
	)
	t0 := time.Now()
	for k := range r.Calls {
		count := min(10, n-10*k)
		wg.Add(1)
		go func() {
			defer wg.Done()
			got, err := c.runTasks(ctx, count)
			took := time.Since(t0)
			mu.Lock()
			defer mu.Unlock()
			arns = append(arns, got...)
			errs = append(errs, err)
			r.CallTimes = append(r.CallTimes, took)
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return r, arns, err
	}
	seen, polls, err := c.waitRunning(ctx, arns, 60*time.Second)
	r.Polls = polls
	if err != nil {
		return r, arns, err
	}
	for _, s := range seen {
		d := s.at.Sub(t0)
		r.Each = append(r.Each, d)
		r.AllRunning = max(r.AllRunning, d)
		r.Started = append(r.Started, aws.ToTime(s.task.StartedAt).Sub(t0))
		r.Provision = append(r.Provision, aws.ToTime(s.task.ConnectivityAt).Sub(aws.ToTime(s.task.CreatedAt)))
	}
	return r, arns, nil
}

// floorBurst is n plain Docker containers of the app started at once.
type floorBurst struct {
	AllRun  time.Duration // until every create + start returned
	AllHTTP time.Duration // until every app answered
	Each    []time.Duration
}

// dockerBurst runs n containers of the app straight on Docker, all at
// once, waits until every one answers, then removes them (not timed).
func dockerBurst(ctx context.Context, dc *docker.Client, image, runID string, n int) (floorBurst, error) {
	var (
		r    floorBurst
		mu   sync.Mutex
		ids  []string
		errs []error
		wg   sync.WaitGroup
	)
	defer func() {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 60*time.Second)
		defer cancel()
		for _, id := range ids {
			_ = dc.ContainerRemove(rctx, id, docker.ContainerRemoveOptions{Force: true, RemoveVolumes: true})
		}
	}()
	t0 := time.Now()
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id, err := dc.ContainerCreate(ctx, "", &docker.ContainerConfig{Image: image, Labels: map[string]string{benchLabel: runID}},
				&docker.HostConfig{NetworkMode: agent.TaskNetwork}, nil)
			if err == nil {
				mu.Lock()
				ids = append(ids, id)
				mu.Unlock()
				err = dc.ContainerStart(ctx, id)
			}
			ran := time.Since(t0)
			var ci *docker.Container
			if err == nil {
				ci, err = dc.ContainerInspect(ctx, id)
			}
			var ip string
			if err == nil {
				ip, err = containerIP(ci)
			}
			var up time.Time
			if err == nil {
				up, err = waitHTTP(ctx, ip, 30*time.Second)
			}
			mu.Lock()
			defer mu.Unlock()
			errs = append(errs, err)
			if err == nil {
				r.AllRun = max(r.AllRun, ran)
				r.AllHTTP = max(r.AllHTTP, up.Sub(t0))
				r.Each = append(r.Each, ran)
			}
		}()
	}
	wg.Wait()
	return r, errors.Join(errs...)
}
