package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/quayside/quayside/internal/agent"
	"github.com/quayside/quayside/internal/docker"
)

// pollEvery is how often the kill phase polls the API: a latency is
// known to within this plus one round of calls.
const pollEvery = 20 * time.Millisecond

// killSample is one kill, as points in time: the client's, the Docker
// daemon's events and the tasks' own timestamps (millisecond precision).
type killSample struct {
	killed, replacement string
	sent                time.Time // ContainerKill sent
	die                 time.Time // daemon: the killed app container died
	stopping            time.Time // killed task's stoppingAt: the agent saw the exit
	created             time.Time // replacement's createdAt: the scheduler launched it
	pauseCreated        time.Time // daemon: the replacement's pause container created
	pauseStarted        time.Time // daemon: … started
	appCreated          time.Time // daemon: the replacement's app container created
	appStarted          time.Time // daemon: … started
	started             time.Time // replacement's startedAt (RUNNING)
	seen                time.Time // replacement first seen RUNNING by the poll
	killedStopped       time.Time // killed task's stoppedAt
	back                time.Time // service seen back at n RUNNING, nothing else live
}

func (s killSample) replaced() time.Duration { return s.seen.Sub(s.sent) }

// killPhase runs a service of o.tasks tasks and, o.kills times, SIGKILLs
// one task's app container through the Docker API and times until the
// replacement task is RUNNING; then waits until the service is back at
// o.tasks RUNNING with nothing else live before the next kill.
func (h *harness) killPhase(ctx context.Context) error {
	const name = "bench-kill"
	n := h.o.tasks
	t0 := time.Now()
	if err := h.ecs.createService(ctx, name, n); err != nil {
		return err
	}
	tasks, _, err := h.steady(ctx, name, n, 60*time.Second)
	if err != nil {
		return fmt.Errorf("service %s of %d tasks: %w", name, n, err)
	}
	logf("kill: service of %d tasks RUNNING after %s; killing one task's container %d times", n, since(t0), h.o.kills)
	for i := range h.o.kills {
		var s killSample
		s, tasks, err = h.killOnce(ctx, name, tasks, i)
		if err != nil {
			return fmt.Errorf("kill %d: %w", i+1, err)
		}
		h.rep.Kills = append(h.rep.Kills, s)
		logf("kill %2d/%d: replacement RUNNING after %s, service back at %d after %s", i+1, h.o.kills,
			s.replaced().Round(time.Millisecond), n, s.back.Sub(s.sent).Round(time.Millisecond))
	}
	// Scale to 0, out of the way of the scale phase (not timed; cleanup
	// deletes the service).
	if err := h.ecs.setDesired(ctx, name, 0); err != nil {
		return err
	}
	if _, err := h.ecs.waitAllStopped(ctx, name, 100*time.Millisecond, 60*time.Second); err != nil {
		return fmt.Errorf("scaling %s to 0: %w", name, err)
	}
	return nil
}

// killOnce kills the app container of tasks[i % len] and waits for its
// replacement and then for the service to be steady again, and returns
// the service's tasks then.
func (h *harness) killOnce(ctx context.Context, name string, before []types.Task, i int) (killSample, []types.Task, error) {
	victim := aws.ToString(before[i%len(before)].TaskArn)
	old := map[string]bool{}
	for _, t := range before {
		old[aws.ToString(t.TaskArn)] = true
	}
	list, err := h.docker.ContainerList(ctx, docker.ContainerListOptions{Filters: docker.Filters{"label": {
		agent.LabelTaskARN + "=" + victim, agent.LabelRole + "=container"}}})
	if err != nil {
		return killSample{}, nil, fmt.Errorf("list the task's containers: %w", err)
	}
	if len(list) != 1 {
		return killSample{}, nil, fmt.Errorf("task %s has %d running app containers, want 1", victim, len(list))
	}
	s := killSample{killed: victim, sent: time.Now()}
	if err := h.docker.ContainerKill(ctx, list[0].ID, "SIGKILL"); err != nil {
		return s, nil, fmt.Errorf("kill container %s: %w", list[0].ID, err)
	}

	// The replacement: a task of the service not there before the kill,
	// seen RUNNING.
	deadline := s.sent.Add(60 * time.Second)
	for s.replacement == "" {
		arns, err := h.ecs.listTasks(ctx, name, types.DesiredStatusRunning)
		if err != nil {
			return s, nil, err
		}
		arns = slices.DeleteFunc(arns, func(a string) bool { return old[a] })
		if len(arns) > 0 {
			ts, err := h.ecs.describe(ctx, arns)
			if err != nil {
				return s, nil, err
			}
			now := time.Now()
			for _, t := range ts {
				if aws.ToString(t.LastStatus) == "RUNNING" {
					s.replacement, s.seen = aws.ToString(t.TaskArn), now
					break
				}
			}
		}
		if s.replacement != "" {
			break
		}
		if time.Now().After(deadline) {
			return s, nil, fmt.Errorf("no replacement of %s RUNNING %s after the kill", victim, deadline.Sub(s.sent))
		}
		if err := sleep(ctx, pollEvery); err != nil {
			return s, nil, err
		}
	}

	// Back at n RUNNING, with the killed task STOPPED.
	after, back, err := h.steady(ctx, name, len(before), 60*time.Second)
	if err != nil {
		return s, nil, fmt.Errorf("after killing %s: %w", victim, err)
	}
	s.back = back

	ts, err := h.ecs.describe(ctx, []string{victim, s.replacement})
	if err != nil {
		return s, nil, err
	}
	k, r := ts[0], ts[1]
	if aws.ToString(k.TaskArn) != victim {
		k, r = r, k
	}
	s.stopping, s.killedStopped = aws.ToTime(k.StoppingAt), aws.ToTime(k.StoppedAt)
	s.created, s.started = aws.ToTime(r.CreatedAt), aws.ToTime(r.StartedAt)
	s.die = h.timeline.waitFor(ctx, victim, "container", "die", time.Second)
	s.pauseCreated = h.timeline.waitFor(ctx, s.replacement, "pause", "create", time.Second)
	s.pauseStarted = h.timeline.waitFor(ctx, s.replacement, "pause", "start", time.Second)
	s.appCreated = h.timeline.waitFor(ctx, s.replacement, "container", "create", time.Second)
	s.appStarted = h.timeline.waitFor(ctx, s.replacement, "container", "start", time.Second)
	return s, after, nil
}

// steady polls every pollEvery until the service has n tasks RUNNING,
// none pending and no other task of it left with a status other than
// STOPPED, and returns those tasks and when it saw that.
func (h *harness) steady(ctx context.Context, name string, n int, timeout time.Duration) ([]types.Task, time.Time, error) {
	deadline := time.Now().Add(timeout)
	for {
		svc, err := h.ecs.service(ctx, name)
		if err != nil {
			return nil, time.Time{}, err
		}
		if int(svc.RunningCount) == n && svc.PendingCount == 0 && stable(svc) {
			live, err := h.ecs.notStopped(ctx, name)
			now := time.Now()
			if err != nil {
				return nil, now, err
			}
			ok := len(live) == n
			for _, t := range live {
				ok = ok && aws.ToString(t.LastStatus) == "RUNNING" && aws.ToString(t.DesiredStatus) == "RUNNING"
			}
			if ok {
				slices.SortFunc(live, func(a, b types.Task) int { return strings.Compare(aws.ToString(a.TaskArn), aws.ToString(b.TaskArn)) })
				return live, now, nil
			}
		}
		if time.Now().After(deadline) {
			return nil, time.Time{}, fmt.Errorf("service %s not steady at %d RUNNING within %s (running %d, pending %d, %d deployments)",
				name, n, timeout, svc.RunningCount, svc.PendingCount, len(svc.Deployments))
		}
		if err := sleep(ctx, pollEvery); err != nil {
			return nil, time.Time{}, err
		}
	}
}

func since(t time.Time) time.Duration { return time.Since(t).Round(time.Millisecond) }
