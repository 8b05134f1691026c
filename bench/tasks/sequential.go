package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/quayside/quayside/bench/internal/benchecs"
	"github.com/quayside/quayside/internal/agent"
	"github.com/quayside/quayside/internal/docker"
)

const (
	// probeEvery is how often the app's HTTP port is tried while waiting
	// for it to answer.
	probeEvery = 2 * time.Millisecond
	// benchLabel marks the containers the floor measurement creates; its
	// value is the run's ID.
	benchLabel = "com.quayside.bench.tasks"
)

// taskSample is one sequential Quayside task, as points in time: the
// client's, the task's own timestamps and the Docker daemon's events
// (see steps.go).
type taskSample struct {
	arn                  string
	task                 types.Task // as first seen RUNNING
	sent, seen, answered time.Time  // RunTask sent, RUNNING seen, app answered
	stop                 time.Duration
}

func (s taskSample) running() time.Duration { return s.seen.Sub(s.sent) }
func (s taskSample) http() time.Duration    { return s.answered.Sub(s.sent) }

// quaysideOnce runs one task, waits until it is RUNNING and its app
// answers, then stops it and waits until it is STOPPED (timed apart).
func quaysideOnce(ctx context.Context, c *ecsClient) (taskSample, error) {
	s := taskSample{sent: time.Now()}
	arns, err := c.runTasks(ctx, 1)
	if err != nil {
		return s, err
	}
	s.arn = arns[0]
	got, _, err := c.waitRunning(ctx, arns, 30*time.Second)
	if err != nil {
		return s, err
	}
	s.task, s.seen = got[s.arn].task, got[s.arn].at
	ip := taskIP(s.task)
	if ip == "" {
		return s, fmt.Errorf("task %s is RUNNING without a private IPv4 address", s.arn)
	}
	if s.answered, err = waitHTTP(ctx, ip, 10*time.Second); err != nil {
		return s, fmt.Errorf("task %s: %w", s.arn, err)
	}
	t1 := time.Now()
	if err := c.stopAndWait(ctx, arns, 60*time.Second); err != nil {
		return s, err
	}
	s.stop = time.Since(t1)
	return s, nil
}

// floorSample is one plain Docker container: the equivalent of `docker
// run -d --network quayside-tasks quayside-testapp:latest`.
type floorSample struct {
	Run  time.Duration // create + start: until `docker run -d` would return
	HTTP time.Duration // until the app answers on the container's IP
}

// floorOnce runs the test app straight on Docker, waits until it
// answers, and removes it (not timed).
func floorOnce(ctx context.Context, dc *docker.Client, image, runID string) (floorSample, error) {
	var s floorSample
	t0 := time.Now()
	id, err := dc.ContainerCreate(ctx, "", &docker.ContainerConfig{Image: image, Labels: map[string]string{benchLabel: runID}},
		&docker.HostConfig{NetworkMode: agent.TaskNetwork}, nil)
	if err != nil {
		return s, fmt.Errorf("docker create: %w", err)
	}
	defer func() {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		_ = dc.ContainerRemove(rctx, id, docker.ContainerRemoveOptions{Force: true, RemoveVolumes: true})
	}()
	if err := dc.ContainerStart(ctx, id); err != nil {
		return s, fmt.Errorf("docker start: %w", err)
	}
	s.Run = time.Since(t0)
	ci, err := dc.ContainerInspect(ctx, id)
	if err != nil {
		return s, fmt.Errorf("docker inspect: %w", err)
	}
	ip, err := containerIP(ci)
	if err != nil {
		return s, err
	}
	up, err := waitHTTP(ctx, ip, 10*time.Second)
	if err != nil {
		return s, err
	}
	s.HTTP = up.Sub(t0)
	return s, nil
}

// containerIP is the container's address on the task network.
func containerIP(ci *docker.Container) (string, error) {
	ep := ci.NetworkSettings.Networks[agent.TaskNetwork]
	if ep == nil || ep.IPAddress == "" {
		return "", fmt.Errorf("container %s has no address on %s", ci.ID, agent.TaskNetwork)
	}
	return ep.IPAddress, nil
}

var probeClient = &http.Client{Timeout: time.Second,
	Transport: &http.Transport{Proxy: nil, DisableKeepAlives: true}}

// waitHTTP tries GET / on the app every probeEvery until any HTTP answer
// comes back, and returns when it did.
func waitHTTP(ctx context.Context, ip string, timeout time.Duration) (time.Time, error) {
	url := "http://" + net.JoinHostPort(ip, strconv.Itoa(benchecs.AppPort)) + "/"
	deadline := time.Now().Add(timeout)
	var lastErr error
	for time.Now().Before(deadline) {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		resp, err := probeClient.Do(req)
		if err == nil {
			resp.Body.Close()
			return time.Now(), nil
		}
		lastErr = err
		if ctx.Err() != nil {
			return time.Time{}, ctx.Err()
		}
		time.Sleep(probeEvery)
	}
	return time.Time{}, fmt.Errorf("GET %s: no answer in %s: %w", url, timeout, lastErr)
}

// sequential times -n tasks, each followed by one plain Docker container,
// so that both see the same background load.
func (h *harness) sequential(ctx context.Context) error {
	o, rep := h.o, h.rep
	var qs []taskSample
	var frun, fhttp []time.Duration
	defer func() {
		var running, answered, stop []time.Duration
		for _, q := range qs {
			running, answered, stop = append(running, q.running()), append(answered, q.http()), append(stop, q.stop)
		}
		rep.Running, rep.TaskHTTP, rep.Stop = dist(running), dist(answered), dist(stop)
		rep.FloorRun, rep.FloorHTTP = dist(frun), dist(fhttp)
		rep.Breakdown = breakdown(qs, h.timeline)
	}()
	logf("timing %d sequential tasks (+%d warm-up), each followed by a plain docker run", o.n, o.warmup)
	for i := range o.warmup + o.n {
		q, err := quaysideOnce(ctx, h.ecs)
		if err != nil {
			return fmt.Errorf("task %d: %w", i+1, err)
		}
		f, err := floorOnce(ctx, h.docker, h.image, h.runID)
		if err != nil {
			return fmt.Errorf("docker run %d: %w", i+1, err)
		}
		if i < o.warmup {
			rep.WarmupQuaysideMS = append(rep.WarmupQuaysideMS, ms(q.running()))
			rep.WarmupFloorMS = append(rep.WarmupFloorMS, ms(f.Run))
			continue
		}
		qs = append(qs, q)
		frun, fhttp = append(frun, f.Run), append(fhttp, f.HTTP)
		if n := len(qs); n%10 == 0 || n == o.n {
			logf("%d/%d: last RUNNING after %.0f ms, docker run after %.0f ms", n, o.n, ms(q.running()), ms(f.Run))
		}
	}
	return nil
}
