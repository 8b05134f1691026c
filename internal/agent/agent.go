package agent

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/quayside/quayside/internal/docker"
	"github.com/quayside/quayside/internal/ecs"
)

// Config configures an agent.
type Config struct {
	ID        string // the container instance ID; stable across restarts
	CPU       int    // CPU units to advertise; default 1024 per core
	MemoryMiB int    // memory to advertise; default the host's
	// TaskSubnet is the awsvpc task network's subnet; empty lets Docker
	// pick a free private one.
	TaskSubnet string
	// PollInterval bounds how long a change Docker did not announce can go
	// unnoticed. Default 5 s.
	PollInterval time.Duration
	// MetadataPort is the port of the task metadata endpoint on each task
	// network's gateway; 0 picks free ports (tests).
	MetadataPort int
	// Auth returns the credentials a task in the given region and account
	// pulls an image with (Quayside's own registry's token, as the
	// execution role gives ECR access on AWS), or nil.
	Auth func(image, region, account string) *docker.AuthConfig
	// Secrets resolves task secrets and private registry credentials;
	// nil fails tasks that use them, with a clear reason.
	Secrets Secrets
	// Permissions, when set, enforces IAM: a task starts only if its
	// execution role may read its secrets and pull its images from
	// Quayside's own registry (execrole.go). Nil checks nothing.
	Permissions Permissions
	// Registry returns the host of Quayside's own registry (ECR), whose
	// images need the execution role's ECR permissions; nil for none.
	Registry func() string
	// Logs stores the output of containers whose log driver is awslogs
	// (CloudWatch Logs' logs.Sink); nil ships nothing.
	Logs    LogSink
	Version string
	Now     func() time.Time
	Log     *slog.Logger
}

// Agent runs the tasks the control plane assigns to its container
// instance on Docker, and reports what it observes.
type Agent struct {
	cfg    Config
	docker Docker
	plane  ControlPlane
	log    *slog.Logger
	now    func() time.Time

	mu      sync.Mutex
	runners map[string]*runner
	wg      sync.WaitGroup
	network networkInfo
	ready   chan struct{} // closed once registered

	metadata metadataEndpoints // where the task metadata endpoint listens
}

// New returns an agent; Run starts it.
func New(d Docker, plane ControlPlane, cfg Config) *Agent {
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = 5 * time.Second
	}
	if cfg.CPU <= 0 {
		cfg.CPU = runtime.NumCPU() * 1024
	}
	if cfg.MemoryMiB <= 0 {
		cfg.MemoryMiB = hostMemoryMiB()
	}
	return &Agent{cfg: cfg, docker: d, plane: plane, log: cfg.Log.With("component", "agent"),
		now: func() time.Time { return cfg.Now().UTC() }, runners: map[string]*runner{}, ready: make(chan struct{})}
}

// Ready is closed once the agent has registered its instance and can be
// given tasks.
func (a *Agent) Ready() <-chan struct{} { return a.ready }

// Instance is the container instance this agent advertises.
func (a *Agent) Instance() Instance {
	return Instance{ID: a.cfg.ID, CPU: a.cfg.CPU, MemoryMiB: a.cfg.MemoryMiB, AgentVersion: a.cfg.Version}
}

// Run prepares Docker (the pause image and the task network), registers
// the instance, and runs tasks until ctx ends. Tasks keep running after
// Run returns: a restarted agent adopts them.
func (a *Agent) Run(ctx context.Context) error {
	if err := a.prepare(ctx); err != nil {
		return err
	}
	close(a.ready)
	assignments, err := a.plane.Watch(ctx, a.cfg.ID)
	if err != nil {
		return err
	}
	events := a.dockerEvents(ctx)
	for {
		select {
		case <-ctx.Done():
			a.wg.Wait()
			return nil
		case batch, ok := <-assignments:
			if !ok {
				a.wg.Wait()
				return ctx.Err()
			}
			for _, as := range batch {
				a.assign(ctx, as)
			}
		case key := <-events:
			a.mu.Lock()
			r := a.runners[key]
			a.mu.Unlock()
			if r != nil {
				r.poke()
			}
		}
	}
}

// prepare waits for Docker, builds the pause image, creates the task
// network and registers the instance.
func (a *Agent) prepare(ctx context.Context) error {
	for attempt := 0; ; attempt++ {
		err := a.docker.Ping(ctx)
		if err == nil {
			break
		}
		if attempt == 0 {
			a.log.Warn("waiting for Docker", "err", err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Second):
		}
	}
	if err := ensurePauseImage(ctx, a.docker); err != nil {
		return err
	}
	n, err := ensureTaskNetwork(ctx, a.docker, a.cfg.TaskSubnet)
	if err != nil {
		return err
	}
	a.network = n
	a.startMetadata(ctx)
	in := a.Instance()
	in.Hostname, _ = os.Hostname()
	in.RegisteredAt = a.now()
	in.TaskSubnet = n.Subnet
	if v, err := a.docker.Version(ctx); err == nil {
		in.DockerVersion = "DockerVersion: " + v.Version
	}
	if err := a.plane.Register(ctx, in); err != nil {
		return fmt.Errorf("register the container instance: %w", err)
	}
	a.log.Info("agent ready", "instance", a.cfg.ID, "cpu", in.CPU, "memory_mib", in.MemoryMiB, "task_subnet", n.Subnet)
	return nil
}

// assign hands an assignment to its runner, starting one if needed.
func (a *Agent) assign(ctx context.Context, as Assignment) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if r, ok := a.runners[as.Key]; ok {
		r.update(as)
		return
	}
	if as.Task.LastStatus == ecs.TaskStopped {
		return
	}
	r := newRunner(a, as)
	a.runners[as.Key] = r
	a.wg.Add(1)
	go func() {
		defer a.wg.Done()
		r.run(ctx)
		a.mu.Lock()
		if a.runners[as.Key] == r {
			delete(a.runners, as.Key)
		}
		a.mu.Unlock()
	}()
}

// dockerEvents streams the task keys of containers Docker reports on,
// reconnecting (and replaying what it missed) when the stream breaks.
func (a *Agent) dockerEvents(ctx context.Context) <-chan string {
	out := make(chan string, 64)
	go func() {
		since := a.now()
		for ctx.Err() == nil {
			s, err := a.docker.Events(ctx, docker.EventsOptions{Since: since, Filters: docker.Filters{
				"type": {"container"}, "label": {LabelAgent + "=" + a.cfg.ID},
				"event": {"start", "die", "oom", "health_status", "destroy"},
			}})
			if err == nil {
				for {
					ev, err := s.Next()
					if err != nil {
						break
					}
					since = ev.Time()
					if key := ev.Actor.Attributes[LabelTaskKey]; key != "" {
						select {
						case out <- key:
						case <-ctx.Done():
						}
					}
				}
				s.Close()
			}
			if ctx.Err() == nil && !errors.Is(err, context.Canceled) {
				select {
				case <-ctx.Done():
				case <-time.After(time.Second):
				}
			}
		}
	}()
	return out
}

// taskEnv is what ECS adds to every container's environment.
func (a *Agent) taskEnv(r *runner, c ecs.ContainerDefinition) []ecs.KeyValuePair {
	region, _ := arnScope(r.task.ARN)
	env := []ecs.KeyValuePair{
		{Name: "AWS_REGION", Value: region},
		{Name: "AWS_DEFAULT_REGION", Value: region},
		{Name: "AWS_EXECUTION_ENV", Value: executionEnv(r.task.LaunchType)},
	}
	if ct, ok := r.task.Container(c.Name); ok {
		token := ct.ARN[strings.LastIndexByte(ct.ARN, '/')+1:]
		if v4, v3, ok := a.metadataURLs(r.networkMode(), token); ok {
			env = append(env, ecs.KeyValuePair{Name: "ECS_CONTAINER_METADATA_URI_V4", Value: v4},
				ecs.KeyValuePair{Name: "ECS_CONTAINER_METADATA_URI", Value: v3})
		}
	}
	return env
}

func executionEnv(lt ecs.LaunchType) string {
	if lt == ecs.LaunchTypeFargate {
		return "AWS_ECS_FARGATE"
	}
	return "AWS_ECS_EC2"
}

// arnScope is the region and account of an ARN
// (arn:aws:<service>:<region>:<account>:...), empty when malformed.
func arnScope(arn string) (region, account string) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 5 {
		return "", ""
	}
	return parts[3], parts[4]
}

func (a *Agent) auth(image, taskARN string) *docker.AuthConfig {
	if a.cfg.Auth == nil {
		return nil
	}
	region, account := arnScope(taskARN)
	if account == "" {
		return nil
	}
	return a.cfg.Auth(image, region, account)
}

// hostMemoryMiB reads MemTotal from /proc/meminfo.
func hostMemoryMiB() int {
	b, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return 2048
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "MemTotal:"); ok {
			var kb int
			fmt.Sscanf(strings.TrimSpace(rest), "%d", &kb)
			return kb / 1024
		}
	}
	return 2048
}
