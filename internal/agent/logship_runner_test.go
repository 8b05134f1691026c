package agent

// The awslogs driver in the runner, on the fakes: streams prepared before
// the containers exist, lines shipped until the container exits and
// before it is removed, and resumed by a restarted agent.

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/quayside/quayside/internal/docker"
	"github.com/quayside/quayside/internal/ecs"
)

// dockerWithLogs is the fake Docker with container logs.
type dockerWithLogs struct {
	*fakeDocker
	logs *fakeLogs
}

func (d dockerWithLogs) ContainerLogs(ctx context.Context, id string, opts docker.LogsOptions) (io.ReadCloser, error) {
	return d.logs.ContainerLogs(ctx, id, opts)
}

// logHarness is a harness whose agent ships awslogs to sink, and which
// can restart the agent on the same fakes.
type logHarness struct {
	*harness
	dl   dockerWithLogs
	sink *fakeSink
	stop func() // stops the running agent and waits for it
}

func newLogHarness(t *testing.T, sink *fakeSink) *logHarness {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	t.Cleanup(cancel)
	d := newFakeDocker(t)
	d.RegisterImage(testLocalImg, "")
	fl := newFakeLogs()
	fl.running = func(id string) bool {
		c, err := d.ContainerInspect(context.Background(), id)
		return err == nil && c.State.Running
	}
	h := &logHarness{harness: &harness{t: t, ctx: ctx, d: d, p: newFakePlane(), logs: &syncBuffer{}},
		dl: dockerWithLogs{d, fl}, sink: sink}
	h.start()
	t.Cleanup(func() {
		h.stop()
		if t.Failed() {
			t.Logf("agent log:\n%s", h.logs.String())
		}
	})
	return h
}

// start runs a new agent on the harness's fakes.
func (h *logHarness) start() {
	log := slog.New(slog.NewTextHandler(h.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	h.a = New(h.dl, h.p, Config{ID: testAgentID, CPU: 4096, MemoryMiB: 8192, PollInterval: testPoll,
		Version: "test", Log: log, Logs: h.sink})
	runCtx, stop := context.WithCancel(h.ctx)
	done := make(chan error, 1)
	go func() { done <- h.a.Run(runCtx) }()
	h.stop = func() {
		stop()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			h.t.Errorf("the agent did not stop within 5 s of its context ending")
		}
	}
	select {
	case <-h.a.Ready():
	case <-h.ctx.Done():
		h.t.Fatal("the agent did not become ready")
	}
}

// write has container name of the task log n lines, numbered from first.
func (h *logHarness) write(name string, first, n int) {
	h.t.Helper()
	c, ok := h.d.Container(name)
	if !ok {
		h.t.Fatalf("no container %s", name)
	}
	for i := first; i < first+n; i++ {
		h.dl.logs.Write(c.ID, docker.Stdout, lineText(i), logBase.Add(time.Duration(i)*time.Millisecond))
	}
}

func awslogsDef(opts map[string]string) ecs.TaskDefinition {
	return fargateDef(ecs.ContainerDefinition{Name: "app", Image: testLocalImg, Essential: true,
		LogConfiguration: &ecs.LogConfiguration{LogDriver: ecs.LogDriverAWSLogs, Options: opts}})
}

// TestRunnerAWSLogsMissingGroup: without awslogs-create-group, a missing
// group stops the task before any container is created, with ECS's
// reason.
func TestRunnerAWSLogsMissingGroup(t *testing.T) {
	h := newLogHarness(t, newFakeSink())
	as := newAssignment(taskID("nogroup"), awslogsDef(map[string]string{
		"awslogs-group": "/ecs/missing", "awslogs-region": testRegion, "awslogs-stream-prefix": "web"}))
	h.p.Assign(as)
	task := h.waitStatus(as.Key, ecs.TaskStopped)
	want := "ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log stream: ResourceNotFoundException: The specified log group does not exist. : exit status 1"
	if task.StopCode != ecs.StopTaskFailedToStart || task.StoppedReason != want {
		t.Errorf("stopped with %s %q\nwant %s %q", task.StopCode, task.StoppedReason, ecs.StopTaskFailedToStart, want)
	}
	if n := h.d.Calls("ContainerCreate"); n != 1 { // the pause container only
		t.Errorf("%d ContainerCreate calls, want only the pause container's", n)
	}
	if cs := h.d.Containers(); len(cs) != 0 {
		t.Errorf("containers left: %v", containerNames(cs))
	}
}

// TestRunnerAWSLogsBadOptions: options Docker's driver refuses fail the
// task start with them in the reason.
func TestRunnerAWSLogsBadOptions(t *testing.T) {
	h := newLogHarness(t, newFakeSink("/ecs/web"))
	as := newAssignment(taskID("badopts"), awslogsDef(map[string]string{
		"awslogs-group": "/ecs/web", "awslogs-stream-prefix": "web", "mode": "sometimes"}))
	h.p.Assign(as)
	task := h.waitStatus(as.Key, ecs.TaskStopped)
	want := "ResourceInitializationError: failed to validate logger args: logger: logging mode not supported: sometimes : exit status 1"
	if task.StoppedReason != want {
		t.Errorf("reason %q\nwant %q", task.StoppedReason, want)
	}
}

// TestRunnerAWSLogsShipsUntilRemoval: every line a container logs before
// it crashes is stored, with the group created, before the task is
// STOPPED; the cursor is saved in the task record.
func TestRunnerAWSLogsShipsUntilRemoval(t *testing.T) {
	sink := newFakeSink()
	sink.delay = 20 * time.Millisecond // a slow store: the removal must wait for it
	h := newLogHarness(t, sink)
	as := newAssignment(taskID("ships"), awslogsDef(map[string]string{
		"awslogs-group": "/ecs/web", "awslogs-stream-prefix": "web", "awslogs-create-group": "true"}))
	h.p.Assign(as)
	h.waitStatus(as.Key, ecs.TaskRunning)
	stream := "web/app/" + as.Task.ID
	if got := sink.Streams(); len(got) != 1 || got[0] != "/ecs/web|"+stream {
		t.Fatalf("streams %v, want /ecs/web|%s", got, stream)
	}
	for i := 0; i < 20; i++ {
		h.write("app", i*100+1, 100)
		time.Sleep(time.Millisecond)
	}
	h.d.Exit("app", 2) // right after its last line
	task := h.waitStatus(as.Key, ecs.TaskStopped)
	got := sink.Messages("/ecs/web", stream)
	if len(got) != 2000 || got[0] != lineText(1) || got[1999] != lineText(2000) {
		t.Fatalf("%d lines stored by STOPPED (first %q), want all 2,000", len(got), got[:min(1, len(got))])
	}
	if cur := task.LogCursors["app"]; !cur.Equal(logBase.Add(2000 * time.Millisecond)) {
		t.Errorf("stored cursor %v, want the last line's time", cur)
	}
	h.waitUntil("the runner has exited", func() bool { return h.runners() == 0 })
}

// TestRunnerAWSLogsResumesAfterRestart: lines logged while no agent ran
// are shipped by the next one, and none twice.
func TestRunnerAWSLogsResumesAfterRestart(t *testing.T) {
	sink := newFakeSink("/ecs/web")
	h := newLogHarness(t, sink)
	as := newAssignment(taskID("resume"), awslogsDef(map[string]string{"awslogs-group": "/ecs/web", "awslogs-stream-prefix": "web"}))
	h.p.Assign(as)
	h.waitStatus(as.Key, ecs.TaskRunning)
	stream := "web/app/" + as.Task.ID
	h.write("app", 1, 300)
	h.waitUntil("300 lines are stored", func() bool { return len(sink.Events("/ecs/web", stream)) == 300 })
	h.write("app", 301, 200) // maybe shipped, maybe not, when the agent stops
	h.stop()
	if cur := h.p.Task(as.Key).LogCursors["app"]; cur.IsZero() {
		t.Fatal("no cursor saved when the agent stopped")
	}

	h.write("app", 501, 500) // while no agent runs
	h.start()
	as.Task = h.p.Task(as.Key)
	h.p.Assign(as)
	h.write("app", 1001, 100)
	h.waitUntil("1,100 lines are stored", func() bool { return len(sink.Events("/ecs/web", stream)) >= 1100 })
	h.d.Exit("app", 0)
	h.waitStatus(as.Key, ecs.TaskStopped)
	got := sink.Messages("/ecs/web", stream)
	if len(got) != 1100 {
		t.Fatalf("%d lines stored, want 1,100", len(got))
	}
	for i, m := range got {
		if m != lineText(i+1) {
			t.Fatalf("line %d is %q, want %q: lost or duplicated", i, m, lineText(i+1))
		}
	}
}

// TestRunnerAWSLogsContainerIDStream: on EC2 without a stream prefix the
// stream is named by the Docker container ID, as Docker names it.
func TestRunnerAWSLogsContainerIDStream(t *testing.T) {
	sink := newFakeSink("/ecs/web")
	h := newLogHarness(t, sink)
	def := awslogsDef(map[string]string{"awslogs-group": "/ecs/web"})
	def.RequiresCompatibilities, def.NetworkMode = []ecs.Compatibility{ecs.CompatibilityEC2}, ecs.NetworkModeBridge
	as := newAssignment(taskID("byid"), def)
	h.p.Assign(as)
	h.waitStatus(as.Key, ecs.TaskRunning)
	c, _ := h.d.Container("app")
	h.write("app", 1, 3)
	h.waitUntil("3 lines are stored", func() bool { return len(sink.Events("/ecs/web", c.ID)) == 3 })
	h.d.Exit("app", 0)
	h.waitStatus(as.Key, ecs.TaskStopped)
}
