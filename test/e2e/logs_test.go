package e2e

// The awslogs log driver end to end: containers' output read back with
// the CloudWatch Logs SDK client, as a user reads it after a crash.

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// logTask is a Fargate task definition of one essential container
// shipping to group with the awslogs driver, stream prefix "app".
func logTask(family, image string, group string, createGroup bool, c types.ContainerDefinition) *ecs.RegisterTaskDefinitionInput {
	opts := map[string]string{"awslogs-group": group, "awslogs-region": "us-east-1", "awslogs-stream-prefix": "app"}
	if createGroup {
		opts["awslogs-create-group"] = "true"
	}
	c.Name, c.Image, c.Essential = aws.String("main"), aws.String(image), aws.Bool(true)
	c.LogConfiguration = &types.LogConfiguration{LogDriver: types.LogDriverAwslogs, Options: opts}
	return &ecs.RegisterTaskDefinitionInput{
		Family: aws.String(family), NetworkMode: types.NetworkModeAwsvpc,
		RequiresCompatibilities: []types.Compatibility{types.CompatibilityFargate},
		Cpu:                     aws.String("256"), Memory: aws.String("512"),
		ContainerDefinitions: []types.ContainerDefinition{c},
	}
}

// taskStream is the awslogs stream of the task's "main" container.
func taskStream(taskARN string) string {
	return "app/main/" + taskARN[strings.LastIndexByte(taskARN, '/')+1:]
}

// logEvents reads a whole stream from its start with GetLogEvents,
// following nextForwardToken until it repeats, as the CLI does.
func logEvents(t *testing.T, cw *cloudwatchlogs.Client, group, stream string) []cwtypes.OutputLogEvent {
	t.Helper()
	var out []cwtypes.OutputLogEvent
	in := &cloudwatchlogs.GetLogEventsInput{LogGroupName: aws.String(group), LogStreamName: aws.String(stream), StartFromHead: aws.Bool(true)}
	for {
		page, err := cw.GetLogEvents(context.Background(), in)
		if err != nil {
			t.Fatalf("GetLogEvents %s %s: %v", group, stream, err)
		}
		out = append(out, page.Events...)
		if aws.ToString(page.NextForwardToken) == aws.ToString(in.NextToken) {
			return out
		}
		in.NextToken = page.NextForwardToken
	}
}

// waitEvents polls the stream until cond holds for its events.
func waitEvents(t *testing.T, cw *cloudwatchlogs.Client, group, stream string, timeout time.Duration, what string, cond func([]cwtypes.OutputLogEvent) bool) []cwtypes.OutputLogEvent {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		evs := logEventsIfAny(t, cw, group, stream)
		if cond(evs) {
			return evs
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %s; the stream has %d events", what, timeout, len(evs))
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// logEventsIfAny is logEvents, with no events for a stream not created yet.
func logEventsIfAny(t *testing.T, cw *cloudwatchlogs.Client, group, stream string) []cwtypes.OutputLogEvent {
	t.Helper()
	_, err := cw.GetLogEvents(context.Background(), &cloudwatchlogs.GetLogEventsInput{LogGroupName: aws.String(group), LogStreamName: aws.String(stream), Limit: aws.Int32(1)})
	if err != nil {
		if strings.Contains(err.Error(), "ResourceNotFoundException") {
			return nil
		}
		t.Fatalf("GetLogEvents: %v", err)
	}
	return logEvents(t, cw, group, stream)
}

// TestAWSLogsCrash: every line a container writes before it crashes is in
// its stream, stdout and stderr, with the group created for it.
func TestAWSLogsCrash(t *testing.T) {
	e := newEnv(t)
	cw := cloudwatchlogs.NewFromConfig(e.srv.AWSConfig("us-east-1"))
	const n = 3000
	script := fmt.Sprintf(`i=1; while [ $i -le %d ]; do echo "line $i"; i=$((i+1)); done; echo "fatal: out of cheese" >&2; exit 3`, n)
	arn := e.runFargate(e.register(logTask("logs-crash", e.busybox, "/ecs/e2e-crash", true,
		types.ContainerDefinition{Command: []string{"sh", "-c", script}})))
	task := e.waitStatus(arn, "STOPPED", 60*time.Second)
	if aws.ToInt32(task.Containers[0].ExitCode) != 3 || aws.ToString(task.StoppedReason) != "Essential container in task exited" {
		t.Fatalf("task stopped with %q, containers %s", aws.ToString(task.StoppedReason), containersText(task))
	}

	// Everything is stored by the time the task is STOPPED.
	evs := logEvents(t, cw, "/ecs/e2e-crash", taskStream(arn))
	if len(evs) != n+1 {
		t.Fatalf("%d events, want %d", len(evs), n+1)
	}
	// Events are in the order of Docker's timestamps, which Docker takes
	// per stream as it reads the container's pipes: stdout's lines are in
	// order, and stderr's one falls where Docker read it.
	next, crash := 1, -1
	for i, ev := range evs {
		switch msg := aws.ToString(ev.Message); msg {
		case "line " + strconv.Itoa(next):
			next++
		case "fatal: out of cheese":
			crash = i
		default:
			t.Fatalf("event %d is %q, want line %d", i, msg, next)
		}
	}
	if next != n+1 || crash < 0 {
		t.Fatalf("%d stdout lines, crash message at %d: want %d and the message", next-1, crash, n)
	}
	started := aws.ToTime(task.StartedAt)
	for _, ev := range []cwtypes.OutputLogEvent{evs[0], evs[n], evs[crash]} {
		ts := time.UnixMilli(aws.ToInt64(ev.Timestamp))
		if ts.Before(started.Add(-time.Minute)) || ts.After(aws.ToTime(task.StoppedAt)) {
			t.Errorf("event %q at %v: want the time Docker saw it, within the task's run (%v to %v)", aws.ToString(ev.Message), ts, started, aws.ToTime(task.StoppedAt))
		}
	}
}

// TestAWSLogsMissingGroup: without awslogs-create-group, a missing group
// stops the task before it runs, with ECS's reason.
func TestAWSLogsMissingGroup(t *testing.T) {
	e := newEnv(t)
	arn := e.runFargate(e.register(logTask("logs-nogroup", e.testapp, "/ecs/e2e-no-such-group", false, types.ContainerDefinition{})))
	task := e.waitStatus(arn, "STOPPED", 60*time.Second)
	want := "ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log stream: ResourceNotFoundException: The specified log group does not exist. : exit status 1"
	if task.StopCode != types.TaskStopCodeTaskFailedToStart || aws.ToString(task.StoppedReason) != want {
		t.Fatalf("stopped with %s %q\nwant %s %q", task.StopCode, aws.ToString(task.StoppedReason), types.TaskStopCodeTaskFailedToStart, want)
	}
	if task.StartedAt != nil {
		t.Errorf("the task started (at %v)", aws.ToTime(task.StartedAt))
	}
}

// TestAWSLogsAgentRestart: lines logged before, during and after an agent
// restart are all stored, each once, in order.
func TestAWSLogsAgentRestart(t *testing.T) {
	dir := t.TempDir()
	e := newEnv(t, serverOptions(dir))
	cw := cloudwatchlogs.NewFromConfig(e.srv.AWSConfig("us-east-1"))
	const n = 4000
	arn := e.runFargate(e.register(logTask("logs-restart", e.testapp, "/ecs/e2e-restart", true, types.ContainerDefinition{
		Environment: []types.KeyValuePair{{Name: aws.String("TESTAPP_LOG_RATE"), Value: aws.String("1000")},
			{Name: aws.String("TESTAPP_LOG_COUNT"), Value: aws.String(strconv.Itoa(n))}},
	})))
	stream := taskStream(arn)
	e.waitStatus(arn, "RUNNING", 30*time.Second)
	waitEvents(t, cw, "/ecs/e2e-restart", stream, 30*time.Second, "500 lines stored", func(evs []cwtypes.OutputLogEvent) bool {
		return countLines(evs) >= 500
	})
	e.srv.Stop()
	time.Sleep(time.Second) // the app logs on, into Docker only

	e2 := newEnv(t, serverOptions(dir))
	cw = cloudwatchlogs.NewFromConfig(e2.srv.AWSConfig("us-east-1"))
	evs := waitEvents(t, cw, "/ecs/e2e-restart", stream, 60*time.Second, "all lines stored", func(evs []cwtypes.OutputLogEvent) bool {
		return countLines(evs) >= n
	})
	time.Sleep(500 * time.Millisecond) // any duplicate would land by now
	evs = logEvents(t, cw, "/ecs/e2e-restart", stream)
	next := 1
	for _, ev := range evs {
		msg := aws.ToString(ev.Message)
		i, ok := lineNumber(msg)
		if !ok {
			continue // the app's other output
		}
		if i != next {
			t.Fatalf("line %d where line %d was due: lost or duplicated across the restart (%d events)", i, next, len(evs))
		}
		next++
	}
	if next != n+1 {
		t.Fatalf("%d lines, want %d", next-1, n)
	}
	e2.stop(arn)
	e2.waitStatus(arn, "STOPPED", 60*time.Second)
}

// TestAWSLogsRestartOverRotatedFiles: lines a container writes while
// Quayside is down, enough for Docker to rotate its log file twice, and
// the container's exit, are all stored once, in order, by the next
// agent, which reads on from its cursor through the rotated files.
func TestAWSLogsRestartOverRotatedFiles(t *testing.T) {
	dir := t.TempDir()
	e := newEnv(t, serverOptions(dir))
	cw := cloudwatchlogs.NewFromConfig(e.srv.AWSConfig("us-east-1"))
	const n = 250_000 // ~24 MB of json-file: Docker keeps 3 files of 10 MB
	script := fmt.Sprintf(`echo start; sleep 4; seq 1 %d | sed 's/^/burst line /'; echo END`, n)
	arn := e.runFargate(e.register(logTask("logs-rotated", e.busybox, "/ecs/e2e-rotated", true,
		types.ContainerDefinition{Command: []string{"sh", "-c", script}})))
	stream := taskStream(arn)
	waitEvents(t, cw, "/ecs/e2e-rotated", stream, 30*time.Second, "the first line stored", func(evs []cwtypes.OutputLogEvent) bool {
		return len(evs) == 1
	})
	e.srv.Stop()                // saves the cursor after "start"
	time.Sleep(8 * time.Second) // the container writes its lines and exits meanwhile

	e2 := newEnv(t, serverOptions(dir))
	cw = cloudwatchlogs.NewFromConfig(e2.srv.AWSConfig("us-east-1"))
	task := e2.waitStatus(arn, "STOPPED", 90*time.Second)
	if aws.ToInt32(task.Containers[0].ExitCode) != 0 {
		t.Fatalf("task stopped with %q, containers %s", aws.ToString(task.StoppedReason), containersText(task))
	}
	evs := logEvents(t, cw, "/ecs/e2e-rotated", stream)
	if len(evs) != n+2 {
		t.Fatalf("%d events stored, want %d: lost or duplicated across the restart", len(evs), n+2)
	}
	for i, ev := range evs {
		want := "burst line " + strconv.Itoa(i)
		switch i {
		case 0:
			want = "start"
		case n + 1:
			want = "END"
		}
		if msg := aws.ToString(ev.Message); msg != want {
			t.Fatalf("event %d is %q, want %q", i, msg, want)
		}
	}
}

// lineNumber reads testapp's "testapp stdout line <i>".
func lineNumber(msg string) (int, bool) {
	rest, ok := strings.CutPrefix(msg, "testapp stdout line ")
	if !ok {
		return 0, false
	}
	i, err := strconv.Atoi(rest)
	return i, err == nil
}

func countLines(evs []cwtypes.OutputLogEvent) int {
	n := 0
	for _, ev := range evs {
		if _, ok := lineNumber(aws.ToString(ev.Message)); ok {
			n++
		}
	}
	return n
}

// TestAWSLogsIngestRate measures how fast lines go from a container
// through Docker and the driver into the store, and reports it with the
// CPU time this process (Quayside, in process, and the test's polling)
// and the Docker daemon spent per line; it fails only if lines are lost.
// testapp's logging mode tops out at 1,000 lines a second, so a busybox
// seq writes as fast as Docker takes it.
func TestAWSLogsIngestRate(t *testing.T) {
	e := newEnv(t)
	cw := cloudwatchlogs.NewFromConfig(e.srv.AWSConfig("us-east-1"))
	const n = 200_000
	dockerd := dockerdPID()
	cpu0, dcpu0 := selfCPU(), processCPU(dockerd)
	// The test app's logging mode, as fast as it goes: n lines, then idle.
	lastLine := fmt.Sprintf("testapp stdout line %d", n)
	td := logTask("logs-rate", e.testapp, "/ecs/e2e-rate", true,
		types.ContainerDefinition{Command: []string{"-log-rate", "1000000", "-log-count", strconv.Itoa(n)}})
	td.Cpu, td.Memory = aws.String("1024"), aws.String("2048") // one vCPU, so that the app is not the limit
	arn := e.runFargate(e.register(td))
	stream := taskStream(arn)
	var done time.Time
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		out, err := cw.GetLogEvents(context.Background(), &cloudwatchlogs.GetLogEventsInput{
			LogGroupName: aws.String("/ecs/e2e-rate"), LogStreamName: aws.String(stream), Limit: aws.Int32(1)})
		if err == nil && len(out.Events) == 1 && aws.ToString(out.Events[0].Message) == lastLine {
			done = time.Now()
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	cpu, dcpu := selfCPU()-cpu0, processCPU(dockerd)-dcpu0
	if done.IsZero() {
		evs := logEventsIfAny(t, cw, "/ecs/e2e-rate", stream)
		last := "none"
		if len(evs) > 0 {
			last = aws.ToString(evs[len(evs)-1].Message)
		}
		t.Fatalf("the last line was not stored within 2 minutes: %d events, the newest %q; task %s", len(evs), last, containersText(e.describe(arn)))
	}
	e.stop(arn)
	e.waitStatus(arn, "STOPPED", 60*time.Second)
	evs := logEvents(t, cw, "/ecs/e2e-rate", stream)
	// The app's own lines (listening, SIGTERM) come before and after.
	for len(evs) > 0 && aws.ToString(evs[0].Message) != "testapp stdout line 1" {
		evs = evs[1:]
	}
	if len(evs) < n || aws.ToString(evs[n-1].Message) != lastLine {
		t.Fatalf("%d events stored from the first line, want the %d lines in order", len(evs), n)
	}
	for i := range n {
		if want := fmt.Sprintf("testapp stdout line %d", i+1); aws.ToString(evs[i].Message) != want {
			t.Fatalf("event %d is %q, want %q", i, aws.ToString(evs[i].Message), want)
		}
	}
	// Docker's timestamps of the first and last lines: when the container
	// began and finished writing (Docker and the test share the clock).
	first := time.UnixMilli(aws.ToInt64(evs[0].Timestamp))
	last := time.UnixMilli(aws.ToInt64(evs[n-1].Timestamp))
	total := done.Sub(first)
	cpuText := ""
	if dockerd != 0 {
		cpuText = fmt.Sprintf("; CPU per line from the task's start: this process %.2f µs, dockerd %.2f µs",
			float64(cpu.Nanoseconds())/1e3/n, float64(dcpu.Nanoseconds())/1e3/n)
	}
	t.Logf("ingest: %d lines from the container's first line to its last stored in %v: %.0f lines/s end to end%s",
		n, total.Round(time.Millisecond), float64(n)/total.Seconds(), cpuText)
	t.Logf("the container wrote them into Docker in %v (%.0f lines/s); the last was stored %v after it was written",
		last.Sub(first).Round(time.Millisecond), float64(n)/last.Sub(first).Seconds(), done.Sub(last).Round(time.Millisecond))
}

func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// processCPU is the user and system time of process pid, from /proc.
func processCPU(pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if pid == 0 || err != nil {
		return 0
	}
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:])) // after the command
	if len(f) < 13 {
		return 0
	}
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(ut+st) * time.Second / 100 // USER_HZ
}

// dockerdPID finds the Docker daemon's process on this machine, or 0.
func dockerdPID() int {
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		if comm, err := os.ReadFile("/proc/" + e.Name() + "/comm"); err == nil && string(bytes.TrimSpace(comm)) == "dockerd" {
			pid, _ := strconv.Atoi(e.Name())
			return pid
		}
	}
	return 0
}
