package agent

// The awslogs log driver: the agent ships each container's stdout and
// stderr to CloudWatch Logs itself, reading Docker's own log of the
// container (the daemon's default driver stays in place, see
// dockerspec.go), as ECS's awslogs driver delivers it on AWS.
//
//	PENDING          prepareLogs: each container's group and stream exist
//	                 (the group created with awslogs-create-group), or the
//	                 task fails to start with ECS's reason
//	container starts shipLogs: one shipper per container, owned by the
//	                 runner, reads the container's log after its cursor
//	                 and stores batches through the Sink (10,000 lines or
//	                 1 MiB, or what 100 ms brought). It reads the files of
//	                 Docker's json-file driver itself (logship_file.go),
//	                 or else follows `docker logs --timestamps`
//	every ~1 s       the shipper moves the task record's LogCursors forward
//	container stops  Docker's wait answers (files) or its log stream ends;
//	                 the shipper reads the rest of the log (from a stream,
//	                 what it may have left out: catchUp) and sends it
//	cleanup          drainLogs: every shipper has sent everything (at most
//	                 30 s) before the containers are removed
//	agent restart    the next runner resumes each shipper after its cursor:
//	                 no line Docker still holds is lost or sent twice
//
// Lines keep the timestamps Docker gave them: both ways of reading give
// the same lines and timestamps, so the cursor means the same to both.
// A line is read from Docker's log, never from the container's pipe, so
// neither mode ever blocks the container: "blocking" (the default) reads
// no faster than lines are stored, and "non-blocking" reads ahead into a
// buffer of max-buffer-size bytes and drops what does not fit. The flip
// side: lines Docker rotates away (its json-file max-size and max-file)
// before they are read are lost, and the cursor, a timestamp, can skip a
// line Docker stamped out of order (stdout and stderr are stamped apart)
// only if the agent stops right between the two.

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/quayside/quayside/internal/docker"
	"github.com/quayside/quayside/internal/ecs"
	"github.com/quayside/quayside/internal/logs"
)

// LogSink is where the awslogs driver stores container output: the
// CloudWatch Logs service's in-process sink (logs.Sink). See logs.Sink
// for the contract.
type LogSink interface {
	Prepare(ctx context.Context, region, account, group, stream string, createGroup bool) error
	Put(ctx context.Context, region, account, group, stream string, events []logs.Event, createGroup bool) error
}

var _ LogSink = logs.Sink(nil)

// drainTimeout bounds how long a task's removal waits for its shippers.
const drainTimeout = 30 * time.Second

// logShipping is a runner's awslogs state, owned by its goroutine.
type logShipping struct {
	prepared map[string]bool     // container name → its stream exists
	shippers map[string]*shipper // container name → its shipper, kept once done
	wg       sync.WaitGroup
	warned   bool // a Docker without logs was reported
}

// awslogs returns container c's awslogs configuration, if it uses the
// driver and the agent has a sink.
func (r *runner) awslogs(c ecs.ContainerDefinition) (awslogsConfig, bool, error) {
	if r.a.cfg.Logs == nil {
		return awslogsConfig{}, false, nil
	}
	return parseAWSLogs(r.withLogSecrets(c), r.task.ARN, r.ids[c.Name])
}

// prepareLogs makes sure the log stream of every awslogs container whose
// stream can be named yet exists, as Docker's driver creates it when the
// container starts. A stream named by its container's ID waits until the
// container is created: call again then. Bad options, or a missing group
// without awslogs-create-group, fail the task start with ECS's reason.
func (r *runner) prepareLogs(ctx context.Context) error {
	for _, c := range r.def.ContainerDefinitions {
		if r.logs.prepared[c.Name] {
			continue
		}
		cfg, ok, err := r.awslogs(c)
		if !ok {
			continue
		}
		if err != nil {
			return r.failStart(ctx, loggerReason(r.task.LaunchType, err.Error()))
		}
		if cfg.Stream == "" {
			continue
		}
		if err := r.a.cfg.Logs.Prepare(ctx, cfg.Region, cfg.Account, cfg.Group, cfg.Stream, cfg.CreateGroup); err != nil {
			var se *logs.SinkError
			if errors.As(err, &se) {
				return r.failStart(ctx, streamReason(r.task.LaunchType, se))
			}
			return retry(err)
		}
		if r.logs.prepared == nil {
			r.logs.prepared = map[string]bool{}
		}
		r.logs.prepared[c.Name] = true
	}
	return nil
}

// loggerReason is the stoppedReason of a task whose log driver cannot
// start: Fargate validates the driver before it creates the containers;
// on EC2 the Docker daemon refuses to start the container.
func loggerReason(lt ecs.LaunchType, msg string) string {
	if lt == ecs.LaunchTypeFargate {
		return "ResourceInitializationError: failed to validate logger args: " + msg + " : exit status 1"
	}
	return "CannotStartContainerError: Error response from daemon: failed to initialize logging driver: " + msg
}

// streamReason is the stoppedReason when the stream cannot be created,
// for example "ResourceInitializationError: failed to validate logger
// args: create stream has been retried 1 times: failed to create
// Cloudwatch log stream: ResourceNotFoundException: The specified log
// group does not exist. : exit status 1", as Fargate words it.
func streamReason(lt ecs.LaunchType, err *logs.SinkError) string {
	msg := "failed to create Cloudwatch log stream: " + err.Error()
	if lt == ecs.LaunchTypeFargate {
		msg = "create stream has been retried 1 times: " + msg
	} else if err.Code == "ServiceUnavailableException" {
		msg += " status code: 503"
	} else {
		msg += " status code: 400"
	}
	return loggerReason(lt, msg)
}

// shipLogs starts the shipper of container c, which has started, unless
// it has one. The shipper resumes after the container's cursor.
func (r *runner) shipLogs(ctx context.Context, c ecs.ContainerDefinition) {
	if r.logs.shippers[c.Name] != nil {
		return
	}
	id := r.ids[c.Name]
	cfg, ok, err := r.awslogs(c)
	if !ok || err != nil || id == "" || cfg.Stream == "" {
		return
	}
	src, ok := r.a.docker.(logSource)
	if !ok {
		if !r.logs.warned {
			r.log.Warn("awslogs: this Docker client cannot read container logs; nothing is shipped")
			r.logs.warned = true
		}
		return
	}
	name := c.Name
	save := func(ctx context.Context, at time.Time) error { return r.a.saveLogCursor(ctx, r.key, name, at) }
	s := newShipper(name, id, cfg, src, r.a.cfg.Logs, r.task.LogCursors[name], save, r.a.now, r.log)
	if c, ok := r.a.docker.(*docker.Client); ok {
		s.files = dockerLogFiles{c}
	}
	sctx, cancel := context.WithCancel(ctx)
	s.cancel = cancel
	if r.logs.shippers == nil {
		r.logs.shippers = map[string]*shipper{}
	}
	r.logs.shippers[name] = s
	r.logs.wg.Add(1)
	go func() {
		defer r.logs.wg.Done()
		defer cancel()
		s.run(sctx)
	}()
}

// resumeLogs starts the shippers a task whose containers have started
// lacks: after an agent restart, the adopted task's.
func (r *runner) resumeLogs(ctx context.Context) {
	if r.a.cfg.Logs == nil {
		return
	}
	switch r.task.LastStatus {
	case ecs.TaskActivating, ecs.TaskRunning, ecs.TaskDeactivating, ecs.TaskStopping, ecs.TaskDeprovisioning:
	default:
		return // PENDING: start ships each container as it starts
	}
	for _, c := range r.def.ContainerDefinitions {
		if _, ok := r.ids[c.Name]; ok {
			r.shipLogs(ctx, c)
		}
	}
}

// drainLogs waits, before the task's containers are removed, until every
// shipper has sent the whole of its container's log, at most
// drainTimeout; then it stops the stragglers. A container still running
// (a task that failed to start) is killed first, as its forced removal
// would, so that its log ends.
func (r *runner) drainLogs(ctx context.Context) {
	var active []*shipper
	for name, s := range r.logs.shippers {
		select {
		case <-s.done:
			continue
		default:
		}
		active = append(active, s)
		if id, ok := r.ids[name]; ok {
			if c, err := r.a.docker.ContainerInspect(ctx, id); err == nil && c.State.Running {
				_ = r.a.docker.ContainerKill(ctx, id, "KILL")
			}
		}
	}
	if len(active) == 0 {
		return
	}
	timer := time.NewTimer(drainTimeout)
	defer timer.Stop()
	for _, s := range active {
		select {
		case <-s.done:
		case <-timer.C:
			r.log.Warn("awslogs: gave up waiting for container logs to be shipped", "container", s.container, "after", drainTimeout)
			r.stopLogs()
			return
		case <-ctx.Done():
			r.stopLogs()
			return
		}
	}
}

// stopLogs stops every shipper and waits for them: each saves its cursor
// first. The runner calls it when it ends.
func (r *runner) stopLogs() {
	for _, s := range r.logs.shippers {
		s.cancel()
	}
	r.logs.wg.Wait()
}

// errCursorCurrent aborts a cursor write that would not move it.
var errCursorCurrent = errors.New("log cursor already current")

// saveLogCursor moves a container's log cursor forward in the task's
// record. It writes only LogCursors, which the runner's reports leave as
// they are, so neither write undoes the other.
func (a *Agent) saveLogCursor(ctx context.Context, key, container string, at time.Time) error {
	_, err := a.plane.Report(ctx, key, func(t *ecs.Task) error {
		if !at.After(t.LogCursors[container]) {
			return errCursorCurrent
		}
		if t.LogCursors == nil {
			t.LogCursors = map[string]time.Time{}
		}
		t.LogCursors[container] = at
		return nil
	})
	if errors.Is(err, errCursorCurrent) {
		return nil
	}
	return err
}
