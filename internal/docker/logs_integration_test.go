package docker_test

import (
	"context"
	"errors"
	"io"
	"slices"
	"testing"
	"time"

	"github.com/quayside/quayside/internal/docker"
)

// TestLogsAndDieEvent runs a short shell script and checks its output,
// split by stream and by line, and the die event with its exit code.
func TestLogsAndDieEvent(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	image := e.busybox()
	events, err := e.c.Events(e.ctx, docker.EventsOptions{Filters: docker.Filters{
		"type": {"container"}, "label": {runLabel + "=" + e.run}, "event": {"die"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer events.Close()
	before := time.Now().Add(-time.Second)
	id := e.create("script", &docker.ContainerConfig{
		Image: image,
		Cmd:   []string{"sh", "-c", "echo out1; echo err1 >&2; echo out2; printf tail; exit 3"},
	}, nil, nil)
	e.start(id)
	if code := e.wait(id); code != 3 {
		t.Errorf("exit code %d, want 3", code)
	}
	ev := e.nextEvent(events, 10*time.Second, func(ev docker.Event) bool { return ev.Actor.ID == id })
	if ev.Action != "die" || ev.Actor.Attributes["exitCode"] != "3" || ev.Time().Before(before) {
		t.Errorf("event = %+v, want die with exitCode 3", ev)
	}

	rc, err := e.c.ContainerLogs(e.ctx, id, docker.LogsOptions{Timestamps: true})
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	lr := docker.NewLogReader(rc, true)
	got := map[docker.Stream][]string{}
	for {
		l, err := lr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if l.Time.Before(before) || l.Time.After(time.Now()) {
			t.Errorf("line %q has time %v", l.Text, l.Time)
		}
		if l.Partial != (l.Text == "tail") {
			t.Errorf("line %q: Partial = %v", l.Text, l.Partial)
		}
		got[l.Stream] = append(got[l.Stream], l.Text)
	}
	if want := []string{"out1", "out2", "tail"}; !slices.Equal(got[docker.Stdout], want) {
		t.Errorf("stdout lines %q, want %q", got[docker.Stdout], want)
	}
	if want := []string{"err1"}; !slices.Equal(got[docker.Stderr], want) {
		t.Errorf("stderr lines %q, want %q", got[docker.Stderr], want)
	}

	rc, err = e.c.ContainerLogs(e.ctx, id, docker.LogsOptions{Stderr: true, Since: time.Now().Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := io.ReadAll(rc); len(b) != 0 {
		t.Errorf("logs since an hour ahead = %q, want none", b)
	}
	rc.Close()
}

// TestFollowLogs follows a running container's output: the stream stays
// open and delivers lines as they are written.
func TestFollowLogs(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id := e.create("chatty", &docker.ContainerConfig{
		Image: e.testApp(),
		Env:   []string{"TESTAPP_LOG_RATE=20", "TESTAPP_LOG_COUNT=5", "TESTAPP_LOG_STDERR=true"},
	}, nil, nil)
	e.start(id)
	ctx, cancel := context.WithTimeout(e.ctx, 15*time.Second)
	defer cancel()
	rc, err := e.c.ContainerLogs(ctx, id, docker.LogsOptions{Follow: true})
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	lr := docker.NewLogReader(rc, false)
	var stdout, stderr []string
	for len(stdout) < 6 || len(stderr) < 5 { // "listening" and five numbered lines
		l, err := lr.Next()
		if err != nil {
			t.Fatalf("after %q and %q: %v", stdout, stderr, err)
		}
		if l.Stream == docker.Stdout {
			stdout = append(stdout, l.Text)
		} else {
			stderr = append(stderr, l.Text)
		}
	}
	if stdout[5] != "testapp stdout line 5" || stderr[4] != "testapp stderr line 5" {
		t.Errorf("stdout %q, stderr %q", stdout, stderr)
	}
	// Once the logging stops, the followed stream stays open until ctx ends.
	cancel()
	if _, err := lr.Next(); err == nil {
		t.Error("stream continued after its context ended")
	}
}
