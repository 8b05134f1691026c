package agent

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/quayside/quayside/internal/docker"
)

// fakeJSONLog is a container's json-file log in a temp dir, written and
// rotated as Docker's json-file driver does, and the container's life as
// the shipper's logFiles see it. Every line is also written to api, the
// logs endpoint's fake, so that either path can serve it.
type fakeJSONLog struct {
	t        *testing.T
	path     string
	maxFiles int
	api      *fakeLogs

	mu        sync.Mutex
	f         *os.File
	stopped   chan struct{}
	locateErr error
}

func newFakeJSONLog(t *testing.T, maxFiles int, api *fakeLogs) *fakeJSONLog {
	t.Helper()
	l := &fakeJSONLog{t: t, path: filepath.Join(t.TempDir(), "id-app-json.log"), maxFiles: maxFiles, api: api,
		stopped: make(chan struct{})}
	f, err := os.Create(l.path)
	if err != nil {
		t.Fatal(err)
	}
	l.f = f
	t.Cleanup(func() { l.f.Close() })
	return l
}

// entry is a json-file entry as Docker's driver writes it (encoding/json
// escapes as the daemon does, and formats the time the same way).
func entry(s docker.Stream, msg string, t time.Time) []byte {
	b, err := json.Marshal(struct {
		Log    string    `json:"log"`
		Stream string    `json:"stream"`
		Time   time.Time `json:"time"`
	}{msg, s.String(), t.UTC()})
	if err != nil {
		panic(err)
	}
	return append(b, '\n')
}

// Write appends a line the container wrote at t.
func (l *fakeJSONLog) Write(s docker.Stream, text string, t time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, err := l.f.Write(entry(s, text+"\n", t)); err != nil {
		l.t.Error(err)
	}
	if l.api != nil {
		l.api.Write("id-app", s, text, t)
	}
}

// writeLines writes lines from..to as the package's writeLines does.
func (l *fakeJSONLog) writeLines(base time.Time, from, to int) {
	for i := from; i <= to; i++ {
		stream := docker.Stdout
		if i%3 == 0 {
			stream = docker.Stderr
		}
		l.Write(stream, lineText(i), base.Add(time.Duration(i)*time.Microsecond))
	}
}

// Rotate rotates the log as the driver does once the file is full: the
// oldest file goes, each other moves one up, and a new file starts; with
// max-file 1 the file is truncated instead.
func (l *fakeJSONLog) Rotate() {
	l.mu.Lock()
	defer l.mu.Unlock()
	jl := jsonLog{path: l.path, maxFiles: l.maxFiles}
	if l.maxFiles < 2 {
		if err := l.f.Truncate(0); err != nil {
			l.t.Error(err)
		}
		if _, err := l.f.Seek(0, 0); err != nil {
			l.t.Error(err)
		}
		return
	}
	l.f.Close()
	os.Remove(jl.name(l.maxFiles - 1))
	for k := l.maxFiles - 1; k > 1; k-- {
		os.Rename(jl.name(k-1), jl.name(k))
	}
	if err := os.Rename(l.path, jl.name(1)); err != nil {
		l.t.Error(err)
	}
	f, err := os.Create(l.path)
	if err != nil {
		l.t.Error(err)
		return
	}
	l.f = f
}

// Stop marks the container stopped, for both paths.
func (l *fakeJSONLog) Stop() {
	close(l.stopped)
	if l.api != nil {
		l.api.Stop("id-app")
	}
}

func (l *fakeJSONLog) locate(context.Context, string) (jsonLog, error) {
	if l.locateErr != nil {
		return jsonLog{}, l.locateErr
	}
	return jsonLog{path: l.path, maxFiles: l.maxFiles}, nil
}

func (l *fakeJSONLog) waitStopped(ctx context.Context, _ string) error {
	select {
	case <-l.stopped:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

var _ logFiles = (*fakeJSONLog)(nil)

// fileShipper is testShipper reading the log from l's files.
func fileShipper(t *testing.T, l *fakeJSONLog, sink LogSink, cursor time.Time) *shipper {
	t.Helper()
	s, _ := testShipper(t, awslogsConfig{}, l.api, sink, cursor)
	s.files = l
	return s
}
