package agent

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/quayside/quayside/internal/ecs"
)

// runner drives one task through its lifecycle. Its goroutine calls step
// until the task is STOPPED; each call moves the task at most one status
// forward, and every step is idempotent, so a runner started after a
// crash adopts whatever containers the task already has.
type runner struct {
	a    *Agent
	key  string
	log  *slog.Logger
	wake chan struct{} // capacity 1: a pending wake-up

	mu     sync.Mutex
	latest Assignment // the newest desired state from the control plane

	// Owned by the runner goroutine.
	task    ecs.Task // the record as last reported
	def     ecs.TaskDefinition
	ids     map[string]string // container name → Docker ID
	pauseID string
	taskIP  string
	vols    map[string]VolumeSource
	// logSecrets are the resolved logConfiguration secretOptions, by
	// container name; never logged.
	logSecrets map[string]map[string]string
	// discovered is set once the task's existing containers were found.
	discovered bool
	logs       logShipping // the awslogs shippers (logship.go)
	done       chan struct{}
}

func newRunner(a *Agent, as Assignment) *runner {
	return &runner{
		a: a, key: as.Key, latest: as, task: as.Task, def: as.TaskDef,
		log:  a.log.With("task", as.Task.ARN),
		wake: make(chan struct{}, 1), ids: map[string]string{}, done: make(chan struct{}),
	}
}

// update hands the runner newer desired state and wakes it.
func (r *runner) update(as Assignment) {
	r.mu.Lock()
	r.latest = as
	r.mu.Unlock()
	r.poke()
}

// poke wakes the runner without blocking.
func (r *runner) poke() {
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

func (r *runner) desired() ecs.TaskStatus {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.latest.Task.DesiredStatus == ecs.TaskStopped || r.task.DesiredStatus == ecs.TaskStopped {
		return ecs.TaskStopped
	}
	return ecs.TaskRunning
}

// latestTask returns the newest record the control plane sent.
func (r *runner) latestTask() ecs.Task {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.latest.Task
}

// errRetry marks a transient failure (Docker unreachable, a conflict):
// the step is tried again after a backoff, and the task is not failed.
type retryError struct{ err error }

func (e retryError) Error() string { return e.err.Error() }
func (e retryError) Unwrap() error { return e.err }

func retry(err error) error {
	if err == nil {
		return nil
	}
	return retryError{err}
}

// run is the runner's loop.
func (r *runner) run(ctx context.Context) {
	defer close(r.done)
	defer r.stopLogs()
	backoff := 200 * time.Millisecond
	for ctx.Err() == nil {
		progressed, err := r.step(ctx)
		if r.task.LastStatus == ecs.TaskStopped {
			return
		}
		wait := r.a.cfg.PollInterval
		switch {
		case err != nil:
			var re retryError
			if errors.As(err, &re) {
				r.log.Warn("task step failed; will retry", "status", r.task.LastStatus, "err", err, "in", backoff)
			} else {
				r.log.Error("task step failed", "status", r.task.LastStatus, "err", err)
			}
			wait = backoff
			backoff = min(backoff*2, 10*time.Second)
		case progressed:
			backoff = 200 * time.Millisecond
			continue
		}
		t := time.NewTimer(wait)
		select {
		case <-r.wake:
		case <-t.C:
		case <-ctx.Done():
		}
		t.Stop()
	}
}

// step moves the task forward once. It reports whether it did.
func (r *runner) step(ctx context.Context) (bool, error) {
	if !r.discovered {
		// A runner for a task that already ran (after a restart) first
		// finds the task's containers, to adopt them.
		if err := r.discover(ctx); err != nil {
			return false, err
		}
		r.discovered = true
	}
	r.resumeLogs(ctx)
	st := r.task.LastStatus
	if r.desired() == ecs.TaskStopped && st.Rank() < ecs.TaskDeactivating.Rank() {
		if st.Rank() < ecs.TaskRunning.Rank() && st != ecs.TaskProvisioning {
			// Stopped before it ran: no draining to do.
			return true, r.failStart(ctx, "")
		}
		if st == ecs.TaskProvisioning && r.pauseID == "" && len(r.ids) == 0 {
			return true, r.failStart(ctx, "")
		}
		return true, r.transition(ctx, ecs.TaskDeactivating, func(t *ecs.Task) { t.StoppingAt = r.a.now() })
	}
	switch st {
	case ecs.TaskProvisioning:
		return true, r.provision(ctx)
	case ecs.TaskPending:
		return true, r.start(ctx)
	case ecs.TaskActivating:
		if r.latestTask().HoldActivation {
			return false, nil // the server is registering the task's targets
		}
		return true, r.activate(ctx)
	case ecs.TaskRunning:
		return r.monitor(ctx)
	case ecs.TaskDeactivating:
		if r.latestTask().HoldDeactivation {
			return false, nil // the server is draining the task's targets
		}
		return true, r.transition(ctx, ecs.TaskStopping, nil)
	case ecs.TaskStopping:
		return true, r.stopContainers(ctx)
	case ecs.TaskDeprovisioning:
		return true, r.deprovision(ctx)
	}
	return false, nil
}

// transition reports a move to next, with extra changes applied.
func (r *runner) transition(ctx context.Context, next ecs.TaskStatus, extra func(*ecs.Task)) error {
	return r.report(ctx, func(t *ecs.Task) {
		t.LastStatus = next
		if extra != nil {
			extra(t)
		}
	})
}

// report records the runner's observations: change edits a copy of the
// runner's view, and the observed fields of that copy are written onto the
// stored record, leaving the server's desired state as it is.
func (r *runner) report(ctx context.Context, change func(*ecs.Task)) error {
	obs := r.task
	obs.Containers = append([]ecs.Container(nil), r.task.Containers...)
	obs.Attachments = cloneAttachments(r.task.Attachments)
	change(&obs)
	obs.HealthStatus = taskHealth(r.def, obs.Containers)
	stored, err := r.a.plane.Report(ctx, r.key, func(t *ecs.Task) error {
		if obs.LastStatus.Rank() > t.LastStatus.Rank() {
			t.LastStatus = obs.LastStatus
		}
		if obs.DesiredStatus == ecs.TaskStopped && t.DesiredStatus != ecs.TaskStopped {
			t.DesiredStatus = ecs.TaskStopped
		}
		if t.StopCode == "" {
			t.StopCode, t.StoppedReason = obs.StopCode, obs.StoppedReason
		}
		t.Containers, t.Attachments, t.HealthStatus = obs.Containers, obs.Attachments, obs.HealthStatus
		setOnce(&t.PullStartedAt, obs.PullStartedAt)
		setOnce(&t.PullStoppedAt, obs.PullStoppedAt)
		setOnce(&t.StartedAt, obs.StartedAt)
		setOnce(&t.StoppingAt, obs.StoppingAt)
		setOnce(&t.ExecutionStoppedAt, obs.ExecutionStoppedAt)
		setOnce(&t.StoppedAt, obs.StoppedAt)
		setOnce(&t.ConnectivityAt, obs.ConnectivityAt)
		if obs.Connectivity != "" {
			t.Connectivity = obs.Connectivity
		}
		t.Version++
		return nil
	})
	if err != nil {
		return retry(err)
	}
	r.task = stored
	r.mu.Lock()
	if stored.Version > r.latest.Task.Version {
		r.latest.Task = stored
	}
	r.mu.Unlock()
	return nil
}

func setOnce(dst *time.Time, v time.Time) {
	if dst.IsZero() && !v.IsZero() {
		*dst = v
	}
}

func cloneAttachments(in []ecs.Attachment) []ecs.Attachment {
	out := make([]ecs.Attachment, len(in))
	for i, a := range in {
		out[i] = a
		out[i].Details = append([]ecs.KeyValuePair(nil), a.Details...)
	}
	return out
}

// taskHealth derives the task's health from its essential containers:
// UNHEALTHY if any is, else UNKNOWN if any is, else HEALTHY.
func taskHealth(def ecs.TaskDefinition, cs []ecs.Container) ecs.HealthStatus {
	essential := map[string]bool{}
	for _, c := range def.ContainerDefinitions {
		essential[c.Name] = c.Essential
	}
	health := ecs.HealthHealthy
	for _, c := range cs {
		if !essential[c.Name] {
			continue
		}
		switch c.HealthStatus {
		case ecs.HealthUnhealthy:
			return ecs.HealthUnhealthy
		case ecs.HealthHealthy:
		default:
			health = ecs.HealthUnknown
		}
	}
	return health
}
