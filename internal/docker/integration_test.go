package docker_test

// These tests run against the real daemon. Without one they fail: a
// Docker client whose tests skip proves nothing. Every object a test
// creates carries a label unique to the test, and the test removes
// everything with that label when it ends.

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/quayside/quayside/internal/docker"
	"github.com/quayside/quayside/internal/testimage"
)

// runLabel is the label key that marks objects made by these tests.
const runLabel = "quayside.test.run"

// env is one test's view of the daemon.
type env struct {
	t      *testing.T
	c      *docker.Client
	ctx    context.Context
	run    string            // unique value of runLabel
	labels map[string]string // to put on every object
}

func newEnv(t *testing.T) *env {
	t.Helper()
	c, err := docker.FromEnv()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	if err := c.Ping(ctx); err != nil {
		t.Fatalf("these tests need Docker: %v", err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	e := &env{t: t, c: c, ctx: ctx, run: hex.EncodeToString(b)}
	e.labels = map[string]string{runLabel: e.run}
	t.Cleanup(e.cleanup)
	return e
}

// cleanup removes every container, network and volume with the test's
// label, in that order.
func (e *env) cleanup() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	f := docker.Filters{"label": {runLabel + "=" + e.run}}
	cs, err := e.c.ContainerList(ctx, docker.ContainerListOptions{All: true, Filters: f})
	if err != nil {
		e.t.Errorf("cleanup: %v", err)
	}
	for _, ctr := range cs {
		if err := e.c.ContainerRemove(ctx, ctr.ID, docker.ContainerRemoveOptions{Force: true, RemoveVolumes: true}); err != nil && !docker.IsNotFound(err) {
			e.t.Errorf("cleanup: %v", err)
		}
	}
	ns, err := e.c.NetworkList(ctx, f)
	if err != nil {
		e.t.Errorf("cleanup: %v", err)
	}
	for _, n := range ns {
		if err := e.c.NetworkRemove(ctx, n.ID); err != nil && !docker.IsNotFound(err) {
			e.t.Errorf("cleanup: %v", err)
		}
	}
	vs, err := e.c.VolumeList(ctx, f)
	if err != nil {
		e.t.Errorf("cleanup: %v", err)
	}
	for _, v := range vs {
		if err := e.c.VolumeRemove(ctx, v.Name, false); err != nil && !docker.IsNotFound(err) {
			e.t.Errorf("cleanup: %v", err)
		}
	}
	e.c.Close()
}

func (e *env) testApp() string {
	e.t.Helper()
	ref, err := testimage.EnsureTestApp(e.ctx, e.c)
	if err != nil {
		e.t.Fatal(err)
	}
	return ref
}

func (e *env) busybox() string {
	e.t.Helper()
	ref, err := testimage.EnsureBusybox(e.ctx, e.c)
	if err != nil {
		e.t.Fatal(err)
	}
	return ref
}

// create makes a container with the test's label and a name derived
// from it.
func (e *env) create(name string, cfg *docker.ContainerConfig, host *docker.HostConfig, net *docker.NetworkingConfig) string {
	e.t.Helper()
	cfg.Labels = e.labels
	id, err := e.c.ContainerCreate(e.ctx, "quayside-test-"+e.run+"-"+name, cfg, host, net)
	if err != nil {
		e.t.Fatalf("creating %s: %v", name, err)
	}
	return id
}

func (e *env) start(id string) {
	e.t.Helper()
	if err := e.c.ContainerStart(e.ctx, id); err != nil {
		e.t.Fatal(err)
	}
}

func (e *env) inspect(id string) *docker.Container {
	e.t.Helper()
	ctr, err := e.c.ContainerInspect(e.ctx, id)
	if err != nil {
		e.t.Fatal(err)
	}
	return ctr
}

// wait waits for the container to exit and returns its exit code.
func (e *env) wait(id string) int {
	e.t.Helper()
	code, err := e.c.ContainerWait(e.ctx, id, docker.WaitNotRunning)
	if err != nil {
		e.t.Fatal(err)
	}
	return code
}

// logs returns the container's output, stdout and stderr apart.
func (e *env) logs(id string) (stdout, stderr string) {
	e.t.Helper()
	rc, err := e.c.ContainerLogs(e.ctx, id, docker.LogsOptions{})
	if err != nil {
		e.t.Fatal(err)
	}
	defer rc.Close()
	var o, s strings.Builder
	if err := docker.Demux(&o, &s, rc); err != nil {
		e.t.Fatal(err)
	}
	return o.String(), s.String()
}

// eventually retries check until it succeeds or the deadline passes.
func (e *env) eventually(what string, timeout time.Duration, check func() error) {
	e.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		err := check()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("%s: %v", what, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// httpGet returns the body of a 200 reply to url.
func httpGet(url string) (string, error) {
	client := &http.Client{Timeout: 2 * time.Second}
	resp, err := client.Get(url)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusOK {
		return string(b), fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return string(b), nil
}

// nextEvent returns the next event of the stream for which match is
// true, failing the test if none comes within the timeout.
func (e *env) nextEvent(s *docker.EventStream, timeout time.Duration, match func(docker.Event) bool) docker.Event {
	e.t.Helper()
	timer := time.AfterFunc(timeout, func() { s.Close() })
	defer timer.Stop()
	for {
		ev, err := s.Next()
		if err != nil {
			e.t.Fatalf("waiting for an event: %v", err)
		}
		if match(ev) {
			return ev
		}
	}
}
