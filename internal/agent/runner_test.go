package agent

// Unit tests of the agent's task runner against the in-memory fakes of
// fakes_test.go. Every test runs under a deadline (testTimeout): a wait
// that is not satisfied in time fails the test instead of hanging it.

import (
	"bytes"
	"context"
	"debug/elf"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/quayside/quayside/internal/docker"
	"github.com/quayside/quayside/internal/ecs"
)

const (
	testTimeout  = 20 * time.Second
	testPoll     = 20 * time.Millisecond
	testAgentID  = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
	testRegion   = "us-east-1"
	testAccount  = "000000000000"
	testCluster  = "default"
	testLocalImg = "busybox:1.36" // no registry host: used as Docker has it
)

// ---------------------------------------------------------------- harness

// harness runs an Agent on the fakes until the test ends.
type harness struct {
	t    *testing.T
	ctx  context.Context // ends at the test's deadline
	d    *fakeDocker
	p    *fakePlane
	a    *Agent
	logs *syncBuffer
}

// newHarness starts an agent and waits until it is ready. before, if not
// nil, runs on the fake Docker before the agent starts.
func newHarness(t *testing.T, before func(*fakeDocker)) *harness {
	t.Helper()
	return newHarnessWith(t, before, nil)
}

// newHarnessWith is newHarness with configure, if not nil, changing the
// agent's configuration before it starts.
func newHarnessWith(t *testing.T, before func(*fakeDocker), configure func(*Config)) *harness {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	h := &harness{t: t, ctx: ctx, d: newFakeDocker(t), p: newFakePlane(), logs: &syncBuffer{}}
	if before != nil {
		before(h.d)
	}
	log := slog.New(slog.NewTextHandler(h.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	cfg := Config{ID: testAgentID, CPU: 4096, MemoryMiB: 8192, PollInterval: testPoll, Version: "test", Log: log}
	if configure != nil {
		configure(&cfg)
	}
	h.a = New(h.d, h.p, cfg)
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- h.a.Run(runCtx) }()
	t.Cleanup(func() {
		stop()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Errorf("the agent did not stop within 5 s of its context ending")
		}
		cancel()
		if t.Failed() {
			t.Logf("agent log:\n%s", h.logs.String())
		}
	})
	select {
	case <-h.a.Ready():
	case err := <-done:
		t.Fatalf("the agent stopped before it was ready: %v", err)
	case <-ctx.Done():
		t.Fatal("the agent did not become ready")
	}
	return h
}

// waitStatus waits until the task is want or STOPPED and fails unless it
// is want.
func (h *harness) waitStatus(key string, want ecs.TaskStatus) ecs.Task {
	h.t.Helper()
	task, err := h.p.WaitFor(h.ctx, key, func(t ecs.Task) bool {
		return t.LastStatus == want || t.LastStatus == ecs.TaskStopped
	})
	if err != nil || task.LastStatus != want {
		h.t.Fatalf("waiting for %s: task is %s (stopCode %q, reason %q), history %v, err %v",
			want, task.LastStatus, task.StopCode, task.StoppedReason, h.p.Statuses(key), err)
	}
	return task
}

// waitUntil polls cond until it holds or the test's deadline passes.
func (h *harness) waitUntil(what string, cond func() bool) {
	h.t.Helper()
	for !cond() {
		select {
		case <-h.ctx.Done():
			h.t.Fatalf("timed out waiting until %s", what)
		case <-time.After(5 * time.Millisecond):
		}
	}
}

// runners is how many task runners the agent has.
func (h *harness) runners() int {
	h.a.mu.Lock()
	defer h.a.mu.Unlock()
	return len(h.a.runners)
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// ---------------------------------------------------------------- fixtures

// fargateDef is an awsvpc Fargate task definition "web:3".
func fargateDef(cs ...ecs.ContainerDefinition) ecs.TaskDefinition {
	return ecs.TaskDefinition{
		ARN:    fmt.Sprintf("arn:aws:ecs:%s:%s:task-definition/web:3", testRegion, testAccount),
		Family: "web", Revision: 3, NetworkMode: ecs.NetworkModeAWSVPC,
		RequiresCompatibilities: []ecs.Compatibility{ecs.CompatibilityFargate},
		CPU:                     "256", Memory: "512", ContainerDefinitions: cs,
	}
}

// newAssignment is a task of def as RunTask records it: PROVISIONING,
// desired RUNNING, its containers PENDING and, for awsvpc, an ENI
// attachment PRECREATED. The launch type follows the definition.
func newAssignment(id string, def ecs.TaskDefinition) Assignment {
	arn := ecs.TaskARN(testRegion, testAccount, testCluster, id)
	t := ecs.Task{
		ARN: arn, ID: id, ClusterARN: fmt.Sprintf("arn:aws:ecs:%s:%s:cluster/%s", testRegion, testAccount, testCluster),
		TaskDefinitionARN:    def.ARN,
		ContainerInstanceARN: ecs.ContainerInstanceARN(testRegion, testAccount, testCluster, testAgentID),
		LastStatus:           ecs.TaskProvisioning, DesiredStatus: ecs.TaskRunning, HealthStatus: ecs.HealthUnknown,
		CreatedAt: time.Now().UTC(), LaunchType: ecs.LaunchTypeEC2, Group: "family:web", Version: 1,
		CPU: def.CPU, Memory: def.Memory,
	}
	if slices.Contains(def.RequiresCompatibilities, ecs.CompatibilityFargate) {
		t.LaunchType = ecs.LaunchTypeFargate
	}
	attachment := ""
	if def.NetworkMode == ecs.NetworkModeAWSVPC {
		attachment = "a0b1c2d3-0000-4000-8000-" + id[:12]
		eni := ecs.ElasticNetworkInterface{SubnetID: "subnet-0123456789abcdef0", NetworkInterfaceID: "eni-0123456789abcdef0"}
		t.Attachments = []ecs.Attachment{eni.Attachment(attachment, ecs.AttachmentPrecreated)}
	}
	for i, cd := range def.ContainerDefinitions {
		c := ecs.Container{ARN: ecs.ContainerARN(testRegion, testAccount, testCluster, id, fmt.Sprintf("c0000000-0000-4000-8000-%012d", i)),
			TaskARN: arn, Name: cd.Name, Image: cd.Image, LastStatus: ecs.ContainerPending, CPU: "0"}
		if attachment != "" {
			c.NetworkInterfaces = []ecs.NetworkInterface{{AttachmentID: attachment}}
		}
		t.Containers = append(t.Containers, c)
	}
	key := strings.Join([]string{testRegion, testAccount, testCluster, id}, "/")
	return Assignment{Key: key, Region: testRegion, Account: testAccount, Cluster: testCluster, Task: t, TaskDef: def}
}

// taskID makes a 32-hex-digit task ID from a short name.
func taskID(name string) string { return hexSum("task " + name)[:32] }

// transitions is the sequence of statuses a task went through: from,
// then each stored LastStatus that differs from the one before.
func transitions(from ecs.TaskStatus, history []ecs.TaskStatus) []ecs.TaskStatus {
	out := []ecs.TaskStatus{from}
	for _, s := range history {
		if s != out[len(out)-1] {
			out = append(out, s)
		}
	}
	return out
}

// checkForward fails unless every reported status is at or after the
// one before it.
func checkForward(t *testing.T, history []ecs.TaskStatus) {
	t.Helper()
	for i := 1; i < len(history); i++ {
		if history[i].Rank() < history[i-1].Rank() {
			t.Errorf("status moved backwards: %s after %s (history %v)", history[i], history[i-1], history)
		}
	}
}

func container(t *testing.T, task ecs.Task, name string) ecs.Container {
	t.Helper()
	c, ok := task.Container(name)
	if !ok {
		t.Fatalf("task has no container %q", name)
	}
	return *c
}

func exitCode(c ecs.Container) string {
	if c.ExitCode == nil {
		return "<nil>"
	}
	return fmt.Sprint(*c.ExitCode)
}

// ---------------------------------------------------------------- lifecycle

// TestRunnerLifecycleFargate drives an awsvpc Fargate task from
// PROVISIONING to RUNNING and, after StopTask, to STOPPED.
func TestRunnerLifecycleFargate(t *testing.T) {
	h := newHarness(t, nil)
	const registryImg = "public.ecr.aws/nginx/nginx:1.27"
	h.d.RegisterImage(testLocalImg, "")
	h.d.IgnoreSIGTERM("sidecar")
	def := fargateDef(
		ecs.ContainerDefinition{Name: "app", Image: registryImg, Essential: true,
			DependsOn:   []ecs.ContainerDependency{{ContainerName: "sidecar", Condition: ecs.ConditionStart}},
			MountPoints: []ecs.MountPoint{{SourceVolume: "scratch", ContainerPath: "/scratch"}}},
		ecs.ContainerDefinition{Name: "sidecar", Image: testLocalImg, Essential: false, StopTimeout: 2 * time.Second},
	)
	def.Volumes = []ecs.Volume{{Name: "scratch"}} // a task-scoped Docker volume
	as := newAssignment(taskID("lifecycle"), def)
	h.p.Assign(as)

	// ---- up to RUNNING
	task := h.waitStatus(as.Key, ecs.TaskRunning)
	want := []ecs.TaskStatus{ecs.TaskProvisioning, ecs.TaskPending, ecs.TaskActivating, ecs.TaskRunning}
	if got := transitions(ecs.TaskProvisioning, h.p.Statuses(as.Key)); !slices.Equal(got, want) {
		t.Errorf("statuses up to RUNNING = %v, want %v", got, want)
	}
	if task.PullStartedAt.IsZero() || task.PullStoppedAt.Before(task.PullStartedAt) || task.StartedAt.Before(task.PullStoppedAt) {
		t.Errorf("want 0 < pullStartedAt <= pullStoppedAt <= startedAt, got %v, %v, %v", task.PullStartedAt, task.PullStoppedAt, task.StartedAt)
	}
	if task.Connectivity != ecs.Connected || task.ConnectivityAt.IsZero() {
		t.Errorf("connectivity = %q at %v, want CONNECTED with a time", task.Connectivity, task.ConnectivityAt)
	}
	if task.DesiredStatus != ecs.TaskRunning || task.StopCode != "" {
		t.Errorf("desired %s, stopCode %q: want RUNNING and none", task.DesiredStatus, task.StopCode)
	}

	// The pause container holds the task's address on the task network.
	pause, ok := h.d.Pause()
	if !ok {
		t.Fatal("no pause container")
	}
	ep := pause.NetworkSettings.Networks[TaskNetwork]
	if ep == nil || ep.IPAddress == "" || pause.HostConfig.NetworkMode != TaskNetwork || pause.Config.Image != PauseImage {
		t.Fatalf("pause container: image %s, network mode %s, endpoint %+v", pause.Config.Image, pause.HostConfig.NetworkMode, ep)
	}
	if len(task.Attachments) != 1 {
		t.Fatalf("attachments = %+v, want the ENI", task.Attachments)
	}
	eni := task.Attachments[0]
	if eni.Status != ecs.AttachmentAttached {
		t.Errorf("ENI status = %s, want ATTACHED", eni.Status)
	}
	for name, want := range map[string]string{
		ecs.DetailPrivateIPv4Address: ep.IPAddress, ecs.DetailMACAddress: ep.MacAddress,
		ecs.DetailPrivateDNSName: "ip-" + strings.ReplaceAll(ep.IPAddress, ".", "-") + ".ec2.internal",
		ecs.DetailSubnetID:       "subnet-0123456789abcdef0",
	} {
		if got, _ := eni.Detail(name); got != want {
			t.Errorf("ENI detail %s = %q, want %q", name, got, want)
		}
	}

	// Containers: running, joined to the pause container, labelled.
	pulled, _ := h.d.ImageInspect(h.ctx, registryImg)
	local, _ := h.d.ImageInspect(h.ctx, testLocalImg)
	digests := map[string]string{"app": pulled.RepoDigests[0][strings.IndexByte(pulled.RepoDigests[0], '@')+1:], "sidecar": local.ID}
	for _, name := range []string{"app", "sidecar"} {
		c := container(t, task, name)
		dc, ok := h.d.Container(name)
		if !ok {
			t.Fatalf("no Docker container for %s", name)
		}
		if c.LastStatus != ecs.ContainerRunning || c.RuntimeID != dc.ID {
			t.Errorf("%s: lastStatus %s runtimeId %s, want RUNNING %s", name, c.LastStatus, c.RuntimeID, dc.ID)
		}
		if len(c.NetworkInterfaces) != 1 || c.NetworkInterfaces[0].PrivateIPv4Address != ep.IPAddress || c.NetworkInterfaces[0].AttachmentID != eni.ID {
			t.Errorf("%s: network interfaces %+v, want the ENI with %s", name, c.NetworkInterfaces, ep.IPAddress)
		}
		if c.ImageDigest != digests[name] {
			t.Errorf("%s: imageDigest %q, want %q", name, c.ImageDigest, digests[name])
		}
		if dc.HostConfig.NetworkMode != "container:"+pause.ID {
			t.Errorf("%s: network mode %q, want the pause container's namespace", name, dc.HostConfig.NetworkMode)
		}
		wantName := "/ecs-web-3-" + name + "-" + as.Task.ID
		if dc.Name != wantName {
			t.Errorf("%s: Docker name %q, want %q", name, dc.Name, wantName)
		}
		for k, v := range map[string]string{LabelManaged: "true", LabelAgent: testAgentID, LabelRole: "container",
			LabelTaskKey: as.Key, LabelTaskARN: as.Task.ARN, LabelContainerName: name, LabelCluster: as.Task.ClusterARN,
			LabelFamily: "web", LabelRevision: "3"} {
			if dc.Config.Labels[k] != v {
				t.Errorf("%s: label %s = %q, want %q", name, k, dc.Config.Labels[k], v)
			}
		}
	}
	if task.HealthStatus != ecs.HealthUnknown {
		t.Errorf("task health = %s, want UNKNOWN (no health checks)", task.HealthStatus)
	}
	if got := h.d.Pulls(); !slices.Equal(got, []string{registryImg}) {
		t.Errorf("pulls = %v, want only the registry image (the local one is used as it is)", got)
	}
	wantStarts := []string{"ecs-web-3-internalecspause-" + as.Task.ID, "ecs-web-3-sidecar-" + as.Task.ID, "ecs-web-3-app-" + as.Task.ID}
	if got := h.d.Starts(); !slices.Equal(got, wantStarts) {
		t.Errorf("start order = %v, want %v (dependencies first)", got, wantStarts)
	}
	scratch := "quayside-task-" + as.Task.ID + "-scratch"
	if got := h.d.Volumes(); !slices.Equal(got, []string{scratch}) {
		t.Errorf("volumes = %v, want [%s]", got, scratch)
	}

	// The agent built the pause image and registered its instance.
	builds := h.d.Builds()
	if len(builds) != 1 || !slices.Equal(builds[0].Opts.Tags, []string{PauseImage}) {
		t.Fatalf("builds = %+v, want one of %s", builds, PauseImage)
	}
	if df := string(builds[0].Files["Dockerfile"]); !strings.HasPrefix(df, "FROM scratch\n") {
		t.Errorf("pause Dockerfile = %q", df)
	}
	if _, err := elf.NewFile(bytes.NewReader(builds[0].Files["pause"])); err != nil {
		t.Errorf("the pause program is not an ELF file: %v", err)
	}
	if ins := h.p.Instances(); len(ins) != 1 || ins[0].ID != testAgentID || ins[0].TaskSubnet != "192.0.2.0/24" ||
		ins[0].DockerVersion != "DockerVersion: 27.0.0-fake" || ins[0].RegisteredAt.IsZero() {
		t.Errorf("registered instances = %+v", ins)
	}

	// ---- StopTask
	h.p.Stop(as, "Task stopped by the test")
	task = h.waitStatus(as.Key, ecs.TaskStopped)
	history := h.p.Statuses(as.Key)
	if got := transitions(ecs.TaskProvisioning, history); !slices.Equal(got, ecs.TaskLifecycle) {
		t.Errorf("statuses = %v, want each of %v once, in order", got, ecs.TaskLifecycle)
	}
	checkForward(t, history)
	if task.StoppingAt.IsZero() || task.ExecutionStoppedAt.Before(task.StoppingAt) || task.StoppedAt.Before(task.ExecutionStoppedAt) ||
		task.StoppingAt.Before(task.StartedAt) {
		t.Errorf("want startedAt <= stoppingAt <= executionStoppedAt <= stoppedAt, got %v, %v, %v, %v",
			task.StartedAt, task.StoppingAt, task.ExecutionStoppedAt, task.StoppedAt)
	}
	if task.StopCode != ecs.StopUserInitiated || task.StoppedReason != "Task stopped by the test" || task.DesiredStatus != ecs.TaskStopped {
		t.Errorf("stop: desired %s, code %q, reason %q; want the StopTask's", task.DesiredStatus, task.StopCode, task.StoppedReason)
	}
	if task.Attachments[0].Status != ecs.AttachmentDeleted {
		t.Errorf("ENI status after stop = %s, want DELETED", task.Attachments[0].Status)
	}
	for name, code := range map[string]string{"app": "0", "sidecar": "137"} {
		if c := container(t, task, name); c.LastStatus != ecs.ContainerStopped || exitCode(c) != code {
			t.Errorf("%s: %s exit %s, want STOPPED exit %s", name, c.LastStatus, exitCode(c), code)
		}
	}
	// Dependents stop first, each with its stopTimeout (30 s by default).
	wantStops := []fakeStop{{Name: "app", Timeout: 30 * time.Second}, {Name: "sidecar", Timeout: 2 * time.Second}}
	gotStops := h.d.Stops()
	for i := range gotStops {
		gotStops[i].ID = ""
	}
	if !slices.Equal(gotStops, wantStops) {
		t.Errorf("stops = %+v, want %+v", gotStops, wantStops)
	}
	if cs := h.d.Containers(); len(cs) != 0 {
		t.Errorf("containers left after STOPPED: %d (%s...)", len(cs), cs[0].Name)
	}
	if vs := h.d.Volumes(); len(vs) != 0 {
		t.Errorf("volumes left after STOPPED: %v", vs)
	}
	h.waitUntil("the runner has exited", func() bool { return h.runners() == 0 })
}

// TestRunnerDockerUnreachable: a Docker that cannot be reached delays the
// task but never fails it, and what happened meanwhile is reported once
// Docker is back.
func TestRunnerDockerUnreachable(t *testing.T) {
	h := newHarness(t, nil)
	h.d.RegisterImage(testLocalImg, "")
	def := fargateDef(ecs.ContainerDefinition{Name: "app", Image: testLocalImg, Essential: true})
	as := newAssignment(taskID("unreachable"), def)

	h.d.SetUnreachable(true)
	began := time.Now()
	h.p.Assign(as)
	h.waitUntil("the runner has tried Docker twice", func() bool { return h.d.Calls("ContainerList") >= 2 })
	time.Sleep(time.Until(began.Add(time.Second)))
	if task := h.p.Task(as.Key); task.LastStatus != ecs.TaskProvisioning || task.DesiredStatus != ecs.TaskRunning || task.StopCode != "" {
		t.Fatalf("while Docker is unreachable: %s desired %s stopCode %q, want it left PROVISIONING", task.LastStatus, task.DesiredStatus, task.StopCode)
	}
	h.d.SetUnreachable(false)
	task := h.waitStatus(as.Key, ecs.TaskRunning)
	if c := container(t, task, "app"); c.LastStatus != ecs.ContainerRunning {
		t.Fatalf("app is %s, want RUNNING", c.LastStatus)
	}

	// Docker goes away again; meanwhile the essential container exits.
	h.d.SetUnreachable(true)
	inspects := h.d.Calls("ContainerInspect")
	h.d.Exit("app", 3)
	h.waitUntil("the runner has failed to inspect twice", func() bool { return h.d.Calls("ContainerInspect") >= inspects+2 })
	time.Sleep(500 * time.Millisecond)
	if task := h.p.Task(as.Key); task.LastStatus != ecs.TaskRunning || task.DesiredStatus != ecs.TaskRunning {
		t.Fatalf("while Docker is unreachable: %s desired %s, want it left RUNNING", task.LastStatus, task.DesiredStatus)
	}
	h.d.SetUnreachable(false)

	task = h.waitStatus(as.Key, ecs.TaskStopped)
	if c := container(t, task, "app"); c.LastStatus != ecs.ContainerStopped || exitCode(c) != "3" {
		t.Errorf("app is %s exit %s, want STOPPED exit 3", c.LastStatus, exitCode(c))
	}
	if task.StopCode != ecs.StopEssentialContainerExited || task.StoppedReason != "Essential container in task exited" {
		t.Errorf("stopCode %q reason %q, want EssentialContainerExited", task.StopCode, task.StoppedReason)
	}
	history := h.p.Statuses(as.Key)
	if got := transitions(ecs.TaskProvisioning, history); !slices.Equal(got, ecs.TaskLifecycle) {
		t.Errorf("statuses = %v, want %v", got, ecs.TaskLifecycle)
	}
	checkForward(t, history)
	if cs := h.d.Containers(); len(cs) != 0 {
		t.Errorf("%d containers left after STOPPED", len(cs))
	}
}

// TestRunnerAgentWaitsForDocker: an agent started while Docker is down
// waits for it instead of failing.
func TestRunnerAgentWaitsForDocker(t *testing.T) {
	d := newFakeDocker(t)
	d.SetUnreachable(true)
	a := New(d, newFakePlane(), Config{ID: testAgentID, CPU: 1024, MemoryMiB: 1024, PollInterval: testPoll})
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	select {
	case <-a.Ready():
		t.Fatal("ready while Docker is unreachable")
	case err := <-done:
		t.Fatalf("Run returned while Docker is unreachable: %v", err)
	case <-time.After(300 * time.Millisecond):
	}
	d.SetUnreachable(false)
	select {
	case <-a.Ready():
	case err := <-done:
		t.Fatalf("Run returned: %v", err)
	case <-time.After(5 * time.Second):
		t.Fatal("not ready 5 s after Docker came back")
	}
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after its context ended")
	}
}

// TestRunnerFailedStart: a task that cannot start is cleaned up and
// STOPPED with TaskFailedToStart and ECS's reason.
func TestRunnerFailedStart(t *testing.T) {
	const img = "registry.example.com/team/app:1"
	manifestUnknown := &docker.Error{StatusCode: http.StatusNotFound,
		Message: "manifest for " + img + " not found: manifest unknown: manifest unknown"}
	tests := []struct {
		name  string
		setup func(*fakeDocker, *ecs.TaskDefinition)
		// want is the final status; for STOPPED, the stop reason's prefix
		// and a part it must contain.
		want           ecs.TaskStatus
		prefix, detail string
	}{{
		name:   "pull fails, no cached copy",
		setup:  func(d *fakeDocker, _ *ecs.TaskDefinition) { d.FailPull(img, manifestUnknown) },
		want:   ecs.TaskStopped,
		prefix: "CannotPullContainerError: ", detail: manifestUnknown.Error(),
	}, {
		name: "pull fails, cached copy used",
		setup: func(d *fakeDocker, _ *ecs.TaskDefinition) {
			d.RegisterImage(img, "registry.example.com/team/app@sha256:cached")
			d.FailPull(img, manifestUnknown)
		},
		want: ecs.TaskRunning,
	}, {
		name: "local image missing",
		setup: func(d *fakeDocker, def *ecs.TaskDefinition) {
			def.ContainerDefinitions[0].Image = "nosuchimage:1"
			d.FailPull("nosuchimage:1", &docker.Error{StatusCode: http.StatusNotFound,
				Message: "pull access denied for nosuchimage, repository does not exist or may require 'docker login'"})
		},
		want:   ecs.TaskStopped,
		prefix: "CannotPullContainerError: ", detail: "pull access denied",
	}, {
		name: "container cannot be created",
		setup: func(d *fakeDocker, _ *ecs.TaskDefinition) {
			d.FailCreate("app", &docker.Error{StatusCode: http.StatusBadRequest, Message: "invalid mount config"})
		},
		want:   ecs.TaskStopped,
		prefix: "CannotCreateContainerError: ", detail: "invalid mount config",
	}, {
		name: "SUCCESS dependency exits non-zero",
		setup: func(d *fakeDocker, def *ecs.TaskDefinition) {
			d.RegisterImage(testLocalImg, "")
			d.ExitOnStart("init", 2)
			def.ContainerDefinitions[0].DependsOn = []ecs.ContainerDependency{{ContainerName: "init", Condition: ecs.ConditionSuccess}}
			def.ContainerDefinitions = append(def.ContainerDefinitions, ecs.ContainerDefinition{Name: "init", Image: testLocalImg})
		},
		want:   ecs.TaskStopped,
		prefix: "CannotStartContainerError: ", detail: "dependency init of container app exited with code 2",
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, nil)
			def := fargateDef(ecs.ContainerDefinition{Name: "app", Image: img, Essential: true})
			tc.setup(h.d, &def)
			as := newAssignment(taskID(tc.name), def)
			h.p.Assign(as)
			task := h.waitStatus(as.Key, tc.want)
			checkForward(t, h.p.Statuses(as.Key))
			if tc.want == ecs.TaskRunning {
				if c := container(t, task, "app"); c.ImageDigest != "sha256:cached" {
					t.Errorf("imageDigest = %q, want the cached image's", c.ImageDigest)
				}
				return
			}
			if task.StopCode != ecs.StopTaskFailedToStart || !strings.HasPrefix(task.StoppedReason, tc.prefix) ||
				!strings.Contains(task.StoppedReason, tc.detail) {
				t.Errorf("stopCode %q reason %q, want TaskFailedToStart and %q...%q", task.StopCode, task.StoppedReason, tc.prefix, tc.detail)
			}
			if slices.Contains(h.p.Statuses(as.Key), ecs.TaskRunning) {
				t.Errorf("a task that failed to start was RUNNING: %v", h.p.Statuses(as.Key))
			}
			if task.DesiredStatus != ecs.TaskStopped || task.StoppedAt.IsZero() || task.ExecutionStoppedAt.IsZero() {
				t.Errorf("desired %s stoppedAt %v executionStoppedAt %v", task.DesiredStatus, task.StoppedAt, task.ExecutionStoppedAt)
			}
			if task.Attachments[0].Status != ecs.AttachmentDeleted {
				t.Errorf("ENI status = %s, want DELETED", task.Attachments[0].Status)
			}
			for _, c := range task.Containers {
				if c.LastStatus != ecs.ContainerStopped {
					t.Errorf("container %s is %s, want STOPPED", c.Name, c.LastStatus)
				}
			}
			h.waitUntil("the runner has exited", func() bool { return h.runners() == 0 })
			if cs := h.d.Containers(); len(cs) != 0 {
				t.Errorf("containers left after a failed start: %v", containerNames(cs))
			}
		})
	}
}

func containerNames(cs []docker.Container) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Name+" ("+c.State.Status+")")
	}
	return out
}

// TestRunnerFailedCreateLeavesNothing: when a bridge task fails before
// all its containers exist, the containers after the failure must not be
// created once the task is STOPPED: nothing would ever remove them.
func TestRunnerFailedCreateLeavesNothing(t *testing.T) {
	tests := []struct {
		name   string
		setup  func(*fakeDocker, *ecs.TaskDefinition)
		reason string
	}{{
		name: "create fails",
		setup: func(d *fakeDocker, _ *ecs.TaskDefinition) {
			d.FailCreate("app", &docker.Error{StatusCode: http.StatusBadRequest, Message: "invalid mount config"})
		},
		reason: "CannotCreateContainerError: Error response from daemon: invalid mount config",
	}, {
		name: "shared volume missing",
		setup: func(_ *fakeDocker, def *ecs.TaskDefinition) {
			def.Volumes = []ecs.Volume{{Name: "data", DockerVolumeConfiguration: &ecs.DockerVolumeConfiguration{Scope: ecs.ScopeShared}}}
			def.ContainerDefinitions[0].MountPoints = []ecs.MountPoint{{SourceVolume: "data", ContainerPath: "/data"}}
		},
		reason: `CannotCreateContainerError: the shared Docker volume "data" does not exist and autoprovision is false`,
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, nil)
			h.d.RegisterImage(testLocalImg, "")
			def := ecs.TaskDefinition{ARN: fmt.Sprintf("arn:aws:ecs:%s:%s:task-definition/web:3", testRegion, testAccount),
				Family: "web", Revision: 3, NetworkMode: ecs.NetworkModeBridge, ContainerDefinitions: []ecs.ContainerDefinition{
					{Name: "app", Image: testLocalImg, Essential: true, Memory: 128},
					{Name: "sidecar", Image: testLocalImg, Essential: false, Memory: 128},
				}}
			tc.setup(h.d, &def)
			as := newAssignment(taskID("create-leak "+tc.name), def)
			h.p.Assign(as)
			task := h.waitStatus(as.Key, ecs.TaskStopped)
			if task.StopCode != ecs.StopTaskFailedToStart || task.StoppedReason != tc.reason {
				t.Errorf("stopCode %q reason %q, want TaskFailedToStart %q", task.StopCode, task.StoppedReason, tc.reason)
			}
			h.waitUntil("the runner has exited", func() bool { return h.runners() == 0 })
			if cs := h.d.Containers(); len(cs) != 0 {
				t.Errorf("containers left after a failed start: %v", containerNames(cs))
			}
		})
	}
}

// TestRunnerStopWhilePending: StopTask before the task runs stops it
// without it ever being RUNNING, and removes its containers.
func TestRunnerStopWhilePending(t *testing.T) {
	h := newHarness(t, nil)
	h.d.RegisterImage(testLocalImg, "")
	def := fargateDef(
		ecs.ContainerDefinition{Name: "app", Image: testLocalImg, Essential: true,
			DependsOn: []ecs.ContainerDependency{{ContainerName: "db", Condition: ecs.ConditionHealthy}}},
		ecs.ContainerDefinition{Name: "db", Image: testLocalImg, Essential: true,
			HealthCheck: &ecs.HealthCheck{Command: []string{ecs.HealthCheckCmdShell, "pg_isready"}}},
	)
	as := newAssignment(taskID("stop-pending"), def)
	h.p.Assign(as)
	// db runs but never becomes healthy, so app waits: the task is PENDING.
	h.waitUntil("db runs and app waits", func() bool {
		db, ok1 := h.d.Container("db")
		app, ok2 := h.d.Container("app")
		return ok1 && ok2 && db.State.Running && app.State.Status == "created"
	})
	if task := h.p.Task(as.Key); task.LastStatus != ecs.TaskPending {
		t.Fatalf("task is %s, want PENDING", task.LastStatus)
	}
	h.p.Stop(as, "Scaled in")
	task := h.waitStatus(as.Key, ecs.TaskStopped)
	history := h.p.Statuses(as.Key)
	t.Logf("statuses: %v", transitions(ecs.TaskProvisioning, history))
	checkForward(t, history)
	if slices.Contains(history, ecs.TaskRunning) {
		t.Errorf("a task stopped while PENDING was RUNNING: %v", history)
	}
	if task.StopCode != ecs.StopUserInitiated || task.StoppedReason != "Scaled in" {
		t.Errorf("stopCode %q reason %q, want StopTask's", task.StopCode, task.StoppedReason)
	}
	if task.StoppedAt.IsZero() || task.Attachments[0].Status != ecs.AttachmentDeleted {
		t.Errorf("stoppedAt %v, ENI %s", task.StoppedAt, task.Attachments[0].Status)
	}
	for _, name := range h.d.Starts() {
		if strings.Contains(name, "-app-") {
			t.Errorf("app was started after all")
		}
	}
	h.waitUntil("the runner has exited", func() bool { return h.runners() == 0 })
	if cs := h.d.Containers(); len(cs) != 0 {
		t.Errorf("containers left: %v", containerNames(cs))
	}
}

// TestRunnerAdoption: a runner for a task whose containers exist (an
// agent restarted) adopts them instead of creating new ones.
func TestRunnerAdoption(t *testing.T) {
	tests := []struct {
		status  ecs.TaskStatus // the record's lastStatus when the agent starts
		desired ecs.TaskStatus
	}{
		{ecs.TaskRunning, ecs.TaskRunning},
		{ecs.TaskPending, ecs.TaskRunning},    // the old agent died during start-up
		{ecs.TaskActivating, ecs.TaskRunning}, // ... or just after
		{ecs.TaskStopping, ecs.TaskStopped},   // ... or while stopping
	}
	for _, tc := range tests {
		t.Run(string(tc.status), func(t *testing.T) {
			h := newHarness(t, nil)
			h.d.RegisterImage(testLocalImg, "")
			def := fargateDef(ecs.ContainerDefinition{Name: "app", Image: testLocalImg, Essential: true})
			as := newAssignment(taskID("adopt "+string(tc.status)), def)

			// What the previous agent left: a pause container and app, running.
			labeller := newRunner(h.a, as)
			pauseID := h.d.AddContainer("ecs-web-3-internalecspause-"+as.Task.ID,
				docker.ContainerConfig{Image: PauseImage, Labels: labeller.labels("pause", "")},
				docker.HostConfig{NetworkMode: TaskNetwork}, true)
			appID := h.d.AddContainer("ecs-web-3-app-"+as.Task.ID,
				docker.ContainerConfig{Image: testLocalImg, Labels: labeller.labels("container", "app")},
				docker.HostConfig{NetworkMode: "container:" + pauseID}, true)
			pause, _ := h.d.Container(pauseID)
			ip := pause.NetworkSettings.Networks[TaskNetwork].IPAddress

			now := time.Now().UTC()
			rec := &as.Task
			rec.LastStatus, rec.DesiredStatus = tc.status, tc.desired
			rec.PullStartedAt, rec.PullStoppedAt, rec.Connectivity, rec.ConnectivityAt = now, now, ecs.Connected, now
			rec.Attachments[0].Status = ecs.AttachmentAttached
			setDetail(&rec.Attachments[0], ecs.DetailPrivateIPv4Address, ip)
			rec.Containers[0].RuntimeID, rec.Containers[0].LastStatus = appID, ecs.ContainerRunning
			rec.Containers[0].HealthStatus = ecs.HealthUnknown
			rec.Containers[0].NetworkInterfaces[0].PrivateIPv4Address = ip
			if tc.status.Rank() >= ecs.TaskRunning.Rank() {
				rec.StartedAt = now
			}
			if tc.desired == ecs.TaskStopped {
				rec.StopCode, rec.StoppedReason, rec.StoppingAt = ecs.StopUserInitiated, "stopping when the agent died", now
			}
			h.p.Assign(as)

			if tc.desired == ecs.TaskRunning {
				h.waitStatus(as.Key, ecs.TaskRunning)
				inspects := h.d.Calls("ContainerInspect")
				h.waitUntil("the runner has watched the containers a while", func() bool { return h.d.Calls("ContainerInspect") >= inspects+5 })
				if task := h.p.Task(as.Key); task.LastStatus != ecs.TaskRunning || container(t, task, "app").RuntimeID != appID {
					t.Fatalf("task %s, app runtimeId %s; want RUNNING with the adopted %s", task.LastStatus, container(t, task, "app").RuntimeID, appID)
				}
				if n := h.d.Calls("ContainerCreate") + h.d.Calls("ContainerStart"); n != 0 {
					t.Fatalf("%d ContainerCreate/ContainerStart calls, want 0: the containers exist", n)
				}
				h.d.Exit("app", 0) // the adopted container is the one watched
			}
			task := h.waitStatus(as.Key, ecs.TaskStopped)
			checkForward(t, h.p.Statuses(as.Key))
			if n := h.d.Calls("ContainerCreate"); n != 0 {
				t.Errorf("ContainerCreate called %d times, want 0", n)
			}
			wantCode := ecs.StopEssentialContainerExited
			if tc.desired == ecs.TaskStopped {
				wantCode = ecs.StopUserInitiated
			}
			if task.StopCode != wantCode {
				t.Errorf("stopCode %q, want %q", task.StopCode, wantCode)
			}
			h.waitUntil("the runner has exited", func() bool { return h.runners() == 0 })
			if cs := h.d.Containers(); len(cs) != 0 {
				t.Errorf("adopted containers left after STOPPED: %v", containerNames(cs))
			}
		})
	}
}

// TestRunnerKeepsDesiredStatus: the server's desired state, written while
// the runner reports, survives the runner's next report, and the runner
// acts on it.
func TestRunnerKeepsDesiredStatus(t *testing.T) {
	// at is the stored lastStatus when the server's write lands.
	for _, at := range []ecs.TaskStatus{ecs.TaskProvisioning, ecs.TaskPending, ecs.TaskActivating} {
		t.Run(string(at), func(t *testing.T) {
			h := newHarness(t, nil)
			h.d.RegisterImage(testLocalImg, "")
			def := fargateDef(ecs.ContainerDefinition{Name: "app", Image: testLocalImg, Essential: true})
			as := newAssignment(taskID("desired "+string(at)), def)
			var mu sync.Mutex
			injected := int64(-1) // the version of the record the write landed on
			h.p.SetBeforeReport(func(_ string, stored *ecs.Task) {
				mu.Lock()
				defer mu.Unlock()
				if injected < 0 && stored.LastStatus == at {
					stored.DesiredStatus, stored.StopCode, stored.StoppedReason = ecs.TaskStopped, ecs.StopUserInitiated, "stopped meanwhile"
					injected = stored.Version
				}
			})
			h.p.Assign(as)
			task := h.waitStatus(as.Key, ecs.TaskStopped)
			mu.Lock()
			v := injected
			mu.Unlock()
			if v < 0 {
				t.Fatalf("no report while the task was %s: %v", at, h.p.Statuses(as.Key))
			}
			for _, rec := range h.p.History(as.Key) {
				if rec.Version > v && (rec.DesiredStatus != ecs.TaskStopped || rec.StopCode != ecs.StopUserInitiated || rec.StoppedReason != "stopped meanwhile") {
					t.Errorf("report v%d (%s) overwrote the server's write: desired %s, stopCode %q, reason %q",
						rec.Version, rec.LastStatus, rec.DesiredStatus, rec.StopCode, rec.StoppedReason)
				}
			}
			if task.StopCode != ecs.StopUserInitiated {
				t.Errorf("final stopCode %q", task.StopCode)
			}
			checkForward(t, h.p.Statuses(as.Key))
			h.waitUntil("the runner has exited", func() bool { return h.runners() == 0 })
			if cs := h.d.Containers(); len(cs) != 0 {
				t.Errorf("containers left: %v", containerNames(cs))
			}
		})
	}
}

// TestRunnerStopTaskDuringReport: a StopTask that the watch delivers
// while the runner is between storing a report and taking in its result
// must not be lost. StopTask does not change the record's version, so the
// runner's own, older view has the same version as the stopped record.
func TestRunnerStopTaskDuringReport(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	p := newFakePlane()
	a := New(newFakeDocker(t), p, Config{ID: testAgentID, CPU: 1024, MemoryMiB: 1024, PollInterval: testPoll})
	as := newAssignment(taskID("stop during report"), fargateDef(ecs.ContainerDefinition{Name: "app", Image: testLocalImg, Essential: true}))
	p.Assign(as)
	r := newRunner(a, as)
	p.afterReport = func(key string, _ ecs.Task) {
		p.afterReport = nil
		p.Stop(as, "stopped while the agent reported")
		stopped := as
		stopped.Task = p.Task(key)
		r.update(stopped) // what Agent.Run does when the watch delivers it
	}
	if err := r.transition(ctx, ecs.TaskPending, nil); err != nil {
		t.Fatal(err)
	}
	if got := r.desired(); got != ecs.TaskStopped {
		t.Errorf("after StopTask, the runner's desired status is %s, want STOPPED", got)
	}
}

// ---------------------------------------------------------------- helpers

func TestStopLayers(t *testing.T) {
	dep := func(name string, on ...string) ecs.ContainerDefinition {
		c := ecs.ContainerDefinition{Name: name}
		for _, o := range on {
			c.DependsOn = append(c.DependsOn, ecs.ContainerDependency{ContainerName: o, Condition: ecs.ConditionStart})
		}
		return c
	}
	tests := []struct {
		name string
		defs []ecs.ContainerDefinition
		want [][]string
	}{
		{"none", nil, nil},
		{"independent", []ecs.ContainerDefinition{dep("a"), dep("b"), dep("c")}, [][]string{{"a", "b", "c"}}},
		{"chain", []ecs.ContainerDefinition{dep("c"), dep("b", "c"), dep("a", "b")}, [][]string{{"a"}, {"b"}, {"c"}}},
		{"diamond", []ecs.ContainerDefinition{dep("init"), dep("db", "init"), dep("cache"), dep("app", "db", "cache")},
			[][]string{{"app"}, {"db", "cache"}, {"init"}}},
		{"shared dependency", []ecs.ContainerDefinition{dep("log"), dep("a", "log"), dep("b", "log")},
			[][]string{{"a", "b"}, {"log"}}},
		{"unknown dependency", []ecs.ContainerDefinition{dep("a", "ghost")}, [][]string{{"a"}}},
		{"cycle stops together", []ecs.ContainerDefinition{dep("a", "b"), dep("b", "a"), dep("c")}, [][]string{{"c"}, {"a", "b"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got [][]string
			for _, layer := range stopLayers(tc.defs) {
				var names []string
				for _, c := range layer {
					names = append(names, c.Name)
				}
				got = append(got, names)
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("stopLayers = %v, want %v", got, tc.want)
			}
			// Every container appears once, before what it depends on.
			layerOf := map[string]int{}
			for i, l := range got {
				for _, n := range l {
					if _, dup := layerOf[n]; dup {
						t.Errorf("%s appears twice", n)
					}
					layerOf[n] = i
				}
			}
			if len(layerOf) != len(tc.defs) {
				t.Errorf("%d containers in layers, want %d", len(layerOf), len(tc.defs))
			}
		})
	}
}

func TestTaskHealth(t *testing.T) {
	def := ecs.TaskDefinition{ContainerDefinitions: []ecs.ContainerDefinition{
		{Name: "e1", Essential: true}, {Name: "e2", Essential: true}, {Name: "side", Essential: false},
	}}
	c := func(name string, h ecs.HealthStatus) ecs.Container { return ecs.Container{Name: name, HealthStatus: h} }
	const (
		H = ecs.HealthHealthy
		U = ecs.HealthUnhealthy
		K = ecs.HealthUnknown
	)
	tests := []struct {
		name string
		cs   []ecs.Container
		want ecs.HealthStatus
	}{
		{"all essential healthy", []ecs.Container{c("e1", H), c("e2", H)}, H},
		{"an essential unhealthy", []ecs.Container{c("e1", H), c("e2", U)}, U},
		{"unhealthy wins over unknown", []ecs.Container{c("e1", K), c("e2", U)}, U},
		{"unhealthy wins, in either order", []ecs.Container{c("e1", U), c("e2", K)}, U},
		{"an essential unknown", []ecs.Container{c("e1", H), c("e2", K)}, K},
		{"no health yet counts as unknown", []ecs.Container{c("e1", H), c("e2", "")}, K},
		{"non-essential unhealthy ignored", []ecs.Container{c("e1", H), c("e2", H), c("side", U)}, H},
		{"non-essential unknown ignored", []ecs.Container{c("e1", H), c("e2", H), c("side", K)}, H},
		{"containers not in the definition ignored", []ecs.Container{c("e1", H), c("ghost", U)}, H},
		{"no containers", nil, H},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := taskHealth(def, tc.cs); got != tc.want {
				t.Errorf("taskHealth = %s, want %s", got, tc.want)
			}
		})
	}
}

func TestHasRegistry(t *testing.T) {
	tests := []struct {
		ref  string
		want bool
	}{
		{"nginx", false},
		{"nginx:1.27", false},
		{"nginx@sha256:0123", false},
		{"library/nginx", false},
		{"user/app:1.0", false}, // the dot is in the tag, not a host
		{"quayside/pause:1", false},
		{"app.v2", false}, // one component: a name, never a host
		{"docker.io/library/nginx", true},
		{"public.ecr.aws/nginx/nginx:1.27", true},
		{"123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1", true},
		{"localhost/app", true},
		{"localhost:5000/app", true},
		{"registry:5000/app", true},
		{"[::1]:5000/app", true},
	}
	for _, tc := range tests {
		if got := hasRegistry(tc.ref); got != tc.want {
			t.Errorf("hasRegistry(%q) = %v, want %v", tc.ref, got, tc.want)
		}
	}
}

func TestImageDigest(t *testing.T) {
	tests := []struct {
		name string
		img  docker.Image
		want string
	}{
		{"pulled", docker.Image{ID: "sha256:id", RepoDigests: []string{"nginx@sha256:d1"}}, "sha256:d1"},
		{"several registries: the first", docker.Image{ID: "sha256:id", RepoDigests: []string{"a/x@sha256:d1", "b/x@sha256:d2"}}, "sha256:d1"},
		{"malformed entry skipped", docker.Image{ID: "sha256:id", RepoDigests: []string{"garbage", "a/x@sha256:d2"}}, "sha256:d2"},
		{"built locally: the ID", docker.Image{ID: "sha256:id"}, "sha256:id"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := imageDigest(&tc.img); got != tc.want {
				t.Errorf("imageDigest = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestPauseProgram(t *testing.T) {
	tests := []struct {
		arch    string
		machine elf.Machine
		first   []byte // the first instruction at the entry point
	}{
		{"amd64", elf.EM_X86_64, []byte{0xb8, 0x22, 0x00, 0x00, 0x00}},               // mov eax, 34
		{"arm64", elf.EM_AARCH64, binary.LittleEndian.AppendUint32(nil, 0xd2800000)}, // mov x0, #0
	}
	for _, tc := range tests {
		t.Run(tc.arch, func(t *testing.T) {
			prog, err := pauseProgram(tc.arch)
			if err != nil {
				t.Fatal(err)
			}
			f, err := elf.NewFile(bytes.NewReader(prog))
			if err != nil {
				t.Fatalf("not a valid ELF file: %v", err)
			}
			defer f.Close()
			if f.Class != elf.ELFCLASS64 || f.Data != elf.ELFDATA2LSB || f.Type != elf.ET_EXEC || f.Machine != tc.machine ||
				f.OSABI != elf.ELFOSABI_NONE || f.Version != elf.EV_CURRENT {
				t.Errorf("header: class %v data %v type %v machine %v abi %v version %v", f.Class, f.Data, f.Type, f.Machine, f.OSABI, f.Version)
			}
			le := binary.LittleEndian
			if eh, ph, phnum := le.Uint16(prog[52:]), le.Uint16(prog[54:]), le.Uint16(prog[56:]); eh != 64 || ph != 56 || phnum != 1 {
				t.Errorf("e_ehsize %d e_phentsize %d e_phnum %d, want 64 56 1", eh, ph, phnum)
			}
			if len(f.Progs) != 1 {
				t.Fatalf("%d program headers, want 1", len(f.Progs))
			}
			p := f.Progs[0]
			if p.Type != elf.PT_LOAD || p.Flags != elf.PF_R|elf.PF_X || p.Off != 0 || p.Filesz != uint64(len(prog)) ||
				p.Memsz < p.Filesz || p.Vaddr%p.Align != 0 {
				t.Errorf("program header %+v: want one R+X LOAD of the whole %d-byte file", p.ProgHeader, len(prog))
			}
			if f.Entry < p.Vaddr || f.Entry >= p.Vaddr+p.Filesz {
				t.Fatalf("entry %#x outside the loaded segment [%#x, %#x)", f.Entry, p.Vaddr, p.Vaddr+p.Filesz)
			}
			if code := prog[f.Entry-p.Vaddr:]; !bytes.HasPrefix(code, tc.first) {
				t.Errorf("code at the entry point starts % x, want % x", code[:min(len(code), 8)], tc.first)
			}
			if len(f.Sections) != 0 {
				t.Errorf("%d sections, want none", len(f.Sections))
			}
		})
	}
	for _, arch := range []string{"386", "arm", "riscv64", "s390x", ""} {
		if prog, err := pauseProgram(arch); err == nil || prog != nil || !strings.Contains(err.Error(), "amd64 and arm64") {
			t.Errorf("pauseProgram(%q) = %d bytes, %v; want an error naming the supported architectures", arch, len(prog), err)
		}
	}
}

// TestPauseImageBuiltOnce: ensurePauseImage builds the image only when
// Docker does not have it, and passes on Docker's failures.
func TestPauseImageBuiltOnce(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	d := newFakeDocker(t)
	for range 2 {
		if err := ensurePauseImage(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	if b := d.Builds(); len(b) != 1 || b[0].Opts.Labels[LabelManaged] != "true" {
		t.Fatalf("builds = %+v, want one, labelled managed", b)
	}
	d2 := newFakeDocker(t)
	d2.SetUnreachable(true)
	if err := ensurePauseImage(ctx, d2); !docker.IsUnreachable(err) {
		t.Errorf("with Docker unreachable: %v, want an unreachable error", err)
	}
}

// ---------------------------------------------------------------- the fakes

// TestFakeDockerUnreachable: in unreachable mode every method fails with
// an error docker.IsUnreachable recognises, and the state is kept.
func TestFakeDockerUnreachable(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	d := newFakeDocker(t)
	d.RegisterImage(testLocalImg, "")
	id, err := d.ContainerCreate(ctx, "c1", &docker.ContainerConfig{Image: testLocalImg}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	d.SetUnreachable(true)
	calls := map[string]func() error{
		"Ping":         func() error { return d.Ping(ctx) },
		"Version":      func() error { _, err := d.Version(ctx); return err },
		"ImageInspect": func() error { _, err := d.ImageInspect(ctx, testLocalImg); return err },
		"ImagePull":    func() error { return d.ImagePull(ctx, testLocalImg, nil) },
		"ImageBuild":   func() error { _, err := d.ImageBuild(ctx, strings.NewReader(""), docker.BuildOptions{}); return err },
		"ContainerCreate": func() error {
			_, err := d.ContainerCreate(ctx, "c2", &docker.ContainerConfig{Image: testLocalImg}, nil, nil)
			return err
		},
		"ContainerStart":   func() error { return d.ContainerStart(ctx, id) },
		"ContainerStop":    func() error { return d.ContainerStop(ctx, id, time.Second) },
		"ContainerKill":    func() error { return d.ContainerKill(ctx, id, "KILL") },
		"ContainerRemove":  func() error { return d.ContainerRemove(ctx, id, docker.ContainerRemoveOptions{Force: true}) },
		"ContainerInspect": func() error { _, err := d.ContainerInspect(ctx, id); return err },
		"ContainerList":    func() error { _, err := d.ContainerList(ctx, docker.ContainerListOptions{All: true}); return err },
		"ContainerStats":   func() error { _, err := d.ContainerStats(ctx, id); return err },
		"NetworkCreate":    func() error { _, err := d.NetworkCreate(ctx, docker.NetworkCreateOptions{Name: "n"}); return err },
		"NetworkInspect":   func() error { _, err := d.NetworkInspect(ctx, "bridge"); return err },
		"VolumeCreate":     func() error { _, err := d.VolumeCreate(ctx, docker.VolumeCreateOptions{Name: "v"}); return err },
		"VolumeRemove":     func() error { return d.VolumeRemove(ctx, "v", true) },
		"VolumeList":       func() error { _, err := d.VolumeList(ctx, nil); return err },
		"Events":           func() error { _, err := d.Events(ctx, docker.EventsOptions{}); return err },
	}
	for name, call := range calls {
		if err := call(); !docker.IsUnreachable(err) || docker.IsNotFound(err) || docker.IsConflict(err) {
			t.Errorf("%s while unreachable: %v, want an unreachable error", name, err)
		}
		if d.Calls(name) == 0 {
			t.Errorf("%s was not counted", name)
		}
	}
	d.SetUnreachable(false)
	if c, err := d.ContainerInspect(ctx, id); err != nil || c.State.Status != "created" {
		t.Errorf("after Docker came back: %v, %+v", err, c)
	}
	// Back to normal: Docker's status codes.
	if _, err := d.ContainerInspect(ctx, "nosuch"); !docker.IsNotFound(err) {
		t.Errorf("inspect of a missing container: %v, want 404", err)
	}
	if _, err := d.ContainerCreate(ctx, "c1", &docker.ContainerConfig{Image: testLocalImg}, nil, nil); !docker.IsConflict(err) {
		t.Errorf("create with a name in use: %v, want 409", err)
	}
	if _, err := d.ContainerCreate(ctx, "c3", &docker.ContainerConfig{Image: "nosuch:1"}, nil, nil); !docker.IsNotFound(err) {
		t.Errorf("create from a missing image: %v, want 404", err)
	}
	if err := d.ContainerStart(ctx, id); err != nil {
		t.Fatal(err)
	}
	if err := d.ContainerRemove(ctx, id, docker.ContainerRemoveOptions{}); !docker.IsConflict(err) {
		t.Errorf("remove of a running container without force: %v, want 409", err)
	}
}

// TestFakeDockerContainers covers states, stop, kill, labels and stats.
func TestFakeDockerContainers(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	d := newFakeDocker(t)
	d.RegisterImage(testLocalImg, "")
	if _, err := d.NetworkCreate(ctx, docker.NetworkCreateOptions{Name: TaskNetwork, Subnet: "10.77.0.0/24"}); err != nil {
		t.Fatal(err)
	}
	mk := func(name, task string, host docker.HostConfig) string {
		id, err := d.ContainerCreate(ctx, name, &docker.ContainerConfig{Image: testLocalImg,
			Labels: map[string]string{LabelTaskKey: task, LabelContainerName: name}}, &host, nil)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	a := mk("a", "t1", docker.HostConfig{NetworkMode: TaskNetwork})
	b := mk("b", "t1", docker.HostConfig{PortBindings: map[string][]docker.PortBinding{"80/tcp": {{}}}})
	c := mk("c", "t2", docker.HostConfig{})
	d.IgnoreSIGTERM("b")

	list, err := d.ContainerList(ctx, docker.ContainerListOptions{All: true, Filters: docker.Filters{"label": {LabelTaskKey + "=t1"}}})
	if err != nil || len(list) != 2 || list[0].ID != a || list[1].ID != b {
		t.Fatalf("list by label: %+v, %v", list, err)
	}
	if list, _ := d.ContainerList(ctx, docker.ContainerListOptions{}); len(list) != 0 {
		t.Errorf("running containers before any start: %d", len(list))
	}
	for _, id := range []string{a, b, c} {
		if err := d.ContainerStart(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	ca, _ := d.ContainerInspect(ctx, a)
	if ep := ca.NetworkSettings.Networks[TaskNetwork]; !ca.State.Running || ep == nil || !strings.HasPrefix(ep.IPAddress, "10.77.0.") || ep.Gateway != "10.77.0.1" {
		t.Errorf("a: running %v, endpoint %+v", ca.State.Running, ep)
	}
	cb, _ := d.ContainerInspect(ctx, b)
	if ports := cb.NetworkSettings.Ports["80/tcp"]; len(ports) != 1 || ports[0].HostPort == "" {
		t.Errorf("b: ports %+v, want a dynamic host port", cb.NetworkSettings.Ports)
	}
	if s, err := d.ContainerStats(ctx, a); err != nil || s.ID != a || len(s.Raw) == 0 {
		t.Errorf("stats: %+v, %v", s, err)
	}

	for _, id := range []string{a, b} {
		if err := d.ContainerStop(ctx, id, 7*time.Second); err != nil {
			t.Fatal(err)
		}
	}
	ca, _ = d.ContainerInspect(ctx, a)
	cb, _ = d.ContainerInspect(ctx, b)
	if ca.State.Status != "exited" || ca.State.ExitCode != 0 || cb.State.ExitCode != 137 {
		t.Errorf("after stop: a %s/%d, b %s/%d; want exited 0 and 137 (ignores SIGTERM)", ca.State.Status, ca.State.ExitCode, cb.State.Status, cb.State.ExitCode)
	}
	if got := d.Stops(); len(got) != 2 || got[0].Name != "a" || got[0].Timeout != 7*time.Second {
		t.Errorf("stops = %+v", got)
	}
	if err := d.ContainerKill(ctx, a, "KILL"); !docker.IsConflict(err) {
		t.Errorf("kill of a stopped container: %v, want 409", err)
	}
	if err := d.ContainerKill(ctx, c, "SIGTERM"); err != nil {
		t.Fatal(err)
	}
	if cc, _ := d.ContainerInspect(ctx, c); cc.State.ExitCode != 143 {
		t.Errorf("c after SIGTERM: exit %d, want 143", cc.State.ExitCode)
	}
	for _, id := range []string{a, b, c} {
		if err := d.ContainerRemove(ctx, id, docker.ContainerRemoveOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	if err := d.ContainerRemove(ctx, a, docker.ContainerRemoveOptions{}); !docker.IsNotFound(err) {
		t.Errorf("second remove: %v, want 404", err)
	}
}

// TestFakeDockerEvents: the event stream delivers pushed and emitted
// events that match its filters, ends with ctx, and breaks when Docker
// goes away.
func TestFakeDockerEvents(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	d := newFakeDocker(t)
	sctx, scancel := context.WithCancel(ctx)
	s, err := d.Events(sctx, docker.EventsOptions{Filters: docker.Filters{"type": {"container"}, "label": {"team=a"}}})
	if err != nil {
		t.Fatal(err)
	}
	d.Push(docker.Event{Type: "container", Action: "start", Actor: docker.EventActor{ID: "x", Attributes: map[string]string{"team": "b"}}})
	d.Push(docker.Event{Type: "network", Action: "create", Actor: docker.EventActor{ID: "n", Attributes: map[string]string{"team": "a"}}})
	d.Push(docker.Event{Type: "container", Action: "die", Actor: docker.EventActor{ID: "y", Attributes: map[string]string{"team": "a", "exitCode": "1"}}})
	ev, err := s.Next()
	if err != nil || ev.Actor.ID != "y" || ev.Action != "die" {
		t.Fatalf("Next = %+v, %v; want the one matching event", ev, err)
	}
	next := make(chan error, 1)
	go func() { _, err := s.Next(); next <- err }()
	select {
	case err := <-next:
		t.Fatalf("Next returned %v with no event", err)
	case <-time.After(50 * time.Millisecond):
	}
	scancel()
	select {
	case err := <-next:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Next after ctx ended: %v, want context.Canceled", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Next did not return after ctx ended")
	}
	s.Close()

	// Emitted events: a container's life.
	d.RegisterImage(testLocalImg, "")
	s, err = d.Events(ctx, docker.EventsOptions{Filters: docker.Filters{"event": {"start", "die"}}})
	if err != nil {
		t.Fatal(err)
	}
	id, _ := d.ContainerCreate(ctx, "c", &docker.ContainerConfig{Image: testLocalImg, Labels: map[string]string{LabelTaskKey: "k"}}, nil, nil)
	d.ContainerStart(ctx, id)
	d.Exit("c", 1)
	for _, want := range []string{"start", "die"} {
		ev, err := s.Next()
		if err != nil || ev.Action != want || ev.Actor.ID != id || ev.Actor.Attributes[LabelTaskKey] != "k" {
			t.Fatalf("Next = %+v, %v; want %s of c with its labels", ev, err, want)
		}
	}
	go func() { _, err := s.Next(); next <- err }()
	d.SetUnreachable(true)
	select {
	case err := <-next:
		if !errors.Is(err, io.EOF) {
			t.Errorf("Next when Docker went away: %v, want io.EOF", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the stream did not break when Docker went away")
	}
	s.Close()
}

// TestFakePlane: Report applies the update to the stored record and
// records it; Watch forwards what the test feeds and closes with ctx.
func TestFakePlane(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	p := newFakePlane()
	as := newAssignment(taskID("plane"), fargateDef(ecs.ContainerDefinition{Name: "app", Image: testLocalImg}))
	wctx, wcancel := context.WithCancel(ctx)
	ch, err := p.Watch(wctx, testAgentID)
	if err != nil {
		t.Fatal(err)
	}
	p.Assign(as)
	if b := <-ch; len(b) != 1 || b[0].Key != as.Key || b[0].Task.LastStatus != ecs.TaskProvisioning {
		t.Fatalf("watch sent %+v", b)
	}
	got, err := p.Report(ctx, as.Key, func(t *ecs.Task) error { t.LastStatus = ecs.TaskPending; t.Version++; return nil })
	if err != nil || got.LastStatus != ecs.TaskPending || got.Version != 2 {
		t.Fatalf("Report = %s v%d, %v", got.LastStatus, got.Version, err)
	}
	got.Containers[0].Name = "mutated" // the caller's copy is its own
	if p.Task(as.Key).Containers[0].Name != "app" {
		t.Error("Report returned the stored record itself")
	}
	if _, err := p.Report(ctx, as.Key, func(*ecs.Task) error { return errors.New("refused") }); err == nil {
		t.Error("Report ignored the update's error")
	}
	if _, err := p.Report(ctx, "nosuch", func(*ecs.Task) error { return nil }); err == nil {
		t.Error("Report of an unknown task succeeded")
	}
	p.Stop(as, "bye")
	if b := <-ch; b[0].Task.DesiredStatus != ecs.TaskStopped || b[0].Task.StopCode != ecs.StopUserInitiated {
		t.Errorf("watch after Stop sent %+v", b[0].Task)
	}
	if s := p.Statuses(as.Key); !slices.Equal(s, []ecs.TaskStatus{ecs.TaskPending}) {
		t.Errorf("statuses = %v", s)
	}
	wcancel()
	select {
	case _, ok := <-ch:
		if ok {
			t.Error("watch sent after ctx ended")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("watch did not close after ctx ended")
	}
}

// TestRunnerStopWhileDockerUnreachable: a task stopped while Docker cannot
// be reached must not be reported STOPPED until its containers are gone.
func TestRunnerStopWhileDockerUnreachable(t *testing.T) {
	h := newHarness(t, nil)
	h.d.RegisterImage(testLocalImg, "")
	def := fargateDef(
		ecs.ContainerDefinition{Name: "app", Image: testLocalImg, Essential: true,
			DependsOn: []ecs.ContainerDependency{{ContainerName: "db", Condition: ecs.ConditionHealthy}}},
		ecs.ContainerDefinition{Name: "db", Image: testLocalImg, Essential: true,
			HealthCheck: &ecs.HealthCheck{Command: []string{ecs.HealthCheckCmdShell, "pg_isready"}}},
	)
	as := newAssignment(taskID("stop unreachable"), def)
	h.p.Assign(as)
	h.waitUntil("db runs and app waits", func() bool {
		db, ok1 := h.d.Container("db")
		app, ok2 := h.d.Container("app")
		return ok1 && ok2 && db.State.Running && app.State.Status == "created"
	})
	h.d.SetUnreachable(true)
	h.p.Stop(as, "Scaled in")
	time.Sleep(500 * time.Millisecond)
	if task := h.p.Task(as.Key); task.LastStatus == ecs.TaskStopped {
		t.Errorf("reported STOPPED while its containers could not be removed: %v", containerNames(h.d.Containers()))
	}
	h.d.SetUnreachable(false)
	h.waitStatus(as.Key, ecs.TaskStopped)
	h.waitUntil("the runner has exited", func() bool { return h.runners() == 0 })
	if cs := h.d.Containers(); len(cs) != 0 {
		t.Errorf("containers left: %v", containerNames(cs))
	}
}
