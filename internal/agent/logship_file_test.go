package agent

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/quayside/quayside/internal/docker"
)

// waitStored waits until the test stream holds n events.
func waitStored(t *testing.T, sink *fakeSink, n int) {
	t.Helper()
	deadline := time.Now().Add(testTimeout)
	for len(sink.Events("/ecs/test", "web/app/0123")) < n {
		if time.Now().After(deadline) {
			t.Fatalf("%d events stored, want %d", len(sink.Events("/ecs/test", "web/app/0123")), n)
		}
		time.Sleep(time.Millisecond)
	}
}

// waitDone waits until the shipper running s is done.
func waitDone(t *testing.T, s *shipper) {
	t.Helper()
	select {
	case <-s.done:
	case <-time.After(testTimeout):
		t.Fatal("the shipper did not finish after the container stopped")
	}
}

// noEndpoint fails the test if the shipper read the logs endpoint.
func noEndpoint(t *testing.T, api *fakeLogs) {
	t.Helper()
	if o := api.Opens(); len(o) > 0 {
		t.Errorf("the logs endpoint was read (%+v); want the files only", o)
	}
}

// TestFileShipperFollowsRotations: lines written while the shipper
// follows the files, across rotations, up to the container's stop, are
// all stored once, in order, without the logs endpoint.
func TestFileShipperFollowsRotations(t *testing.T) {
	api, sink := newFakeLogs(), newFakeSink("/ecs/test")
	l := newFakeJSONLog(t, 3, api)
	s := fileShipper(t, l, sink, time.Time{})
	go s.run(context.Background())
	for i := 1; i <= 20; i++ {
		l.writeLines(logBase, i*100-99, i*100)
		waitStored(t, sink, i*100-50) // the shipper stays within the files kept
		if i%3 == 0 {
			l.Rotate()
		}
	}
	l.writeLines(logBase, 2001, 2003) // the crash report
	l.Stop()
	waitDone(t, s)
	wantLines(t, sink, logBase, 1, 2003)
	noEndpoint(t, api)
}

// TestFileShipperCatchesUpOverRotatedFiles: a shipper that fell two
// rotations behind (its store was slow) reads on from the file it had
// open through the files rotated since, then the current one.
func TestFileShipperCatchesUpOverRotatedFiles(t *testing.T) {
	api, sink := newFakeLogs(), newFakeSink("/ecs/test")
	sink.block = make(chan struct{})
	l := newFakeJSONLog(t, 4, api)
	s := fileShipper(t, l, sink, time.Time{})
	go s.run(context.Background())
	long := strings.Repeat("x", 1000) // the shipper stalls after ~5,000 lines
	for i := 1; i <= 10000; i++ {
		l.Write(docker.Stdout, long, logBase.Add(time.Duration(i)*time.Microsecond))
	}
	l.Rotate()
	for i := 10001; i <= 10100; i++ {
		l.Write(docker.Stderr, long, logBase.Add(time.Duration(i)*time.Microsecond))
	}
	l.Rotate()
	for i := 10101; i <= 10200; i++ {
		l.Write(docker.Stdout, long, logBase.Add(time.Duration(i)*time.Microsecond))
	}
	l.Stop()
	close(sink.block)
	waitDone(t, s)
	evs := sink.Events("/ecs/test", "web/app/0123")
	if len(evs) != 10200 {
		t.Fatalf("%d events stored, want 10200", len(evs))
	}
	for i, e := range evs {
		if !e.Timestamp.Equal(logBase.Add(time.Duration(i+1) * time.Microsecond)) {
			t.Fatalf("event %d at %v: lost, repeated or out of order", i, e.Timestamp)
		}
	}
	noEndpoint(t, api)
}

// TestFileShipperResumesAfterTheCursor: a shipper started from a saved
// cursor (an agent restart) reads the files Docker kept, rotated ones
// included, and ships exactly the lines after the cursor.
func TestFileShipperResumesAfterTheCursor(t *testing.T) {
	api, sink := newFakeLogs(), newFakeSink("/ecs/test")
	l := newFakeJSONLog(t, 4, api)
	for i := 0; i < 4; i++ {
		l.writeLines(logBase, i*300+1, i*300+300)
		if i < 3 {
			l.Rotate()
		}
	}
	cursor := logBase.Add(450 * time.Microsecond) // line 450 was stored
	s := fileShipper(t, l, sink, cursor)
	go s.run(context.Background())
	waitStored(t, sink, 750)
	l.writeLines(logBase, 1201, 1250) // logged after the restart
	l.Stop()
	waitDone(t, s)
	wantLines(t, sink, logBase, 451, 1250)
	noEndpoint(t, api)
}

// TestFileShipperHandsOverToTheEndpoint: when the file the shipper had
// open was rotated away with the ones after it before it got to them,
// the logs endpoint takes over from the last line read: nothing lost,
// nothing repeated.
func TestFileShipperHandsOverToTheEndpoint(t *testing.T) {
	api, sink := newFakeLogs(), newFakeSink("/ecs/test")
	sink.block = make(chan struct{})
	l := newFakeJSONLog(t, 2, api)
	s := fileShipper(t, l, sink, time.Time{})
	go s.run(context.Background())
	long := strings.Repeat("y", 1000)
	n := 0
	write := func(lines int) {
		for range lines {
			n++
			l.Write(docker.Stdout, long, logBase.Add(time.Duration(n)*time.Microsecond))
		}
	}
	write(10000)  // the shipper stalls after ~5,000 lines
	for range 3 { // the file the shipper reads, and the next, are deleted
		l.Rotate()
		write(100)
	}
	l.Stop()
	close(sink.block)
	waitDone(t, s)
	evs := sink.Events("/ecs/test", "web/app/0123")
	if len(evs) != n {
		t.Fatalf("%d events stored, want %d", len(evs), n)
	}
	for i, e := range evs {
		if !e.Timestamp.Equal(logBase.Add(time.Duration(i+1) * time.Microsecond)) {
			t.Fatalf("event %d at %v: lost, repeated or out of order", i, e.Timestamp)
		}
	}
	o := api.Opens()
	if len(o) == 0 || o[0].Since.IsZero() {
		t.Errorf("endpoint reads %+v: want one from the last line read", o)
	}
}

// TestFileShipperWithoutFilesUsesTheEndpoint: a container whose log
// cannot be read from disk (another driver; a daemon on another host, or
// whose files the agent cannot see) is shipped through the logs
// endpoint.
func TestFileShipperWithoutFilesUsesTheEndpoint(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(l *fakeJSONLog)
	}{
		{"another driver", func(l *fakeJSONLog) {
			l.locateErr = errors.New(`the container logs through Docker's "journald" driver, not json-file`)
		}},
		{"no such file here", func(l *fakeJSONLog) { l.path = "/nonexistent/id-app/id-app-json.log" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			api, sink := newFakeLogs(), newFakeSink("/ecs/test")
			l := newFakeJSONLog(t, 1, api)
			tc.setup(l)
			writeLines(api, logBase, 1, 500)
			api.Stop("id-app")
			s := fileShipper(t, l, sink, time.Time{})
			runShipper(t, context.Background(), s)
			wantLines(t, sink, logBase, 1, 500)
		})
	}
}

// TestFileShipperTruncatedInPlace: with max-file 1 the driver truncates
// its one file when it is full; the shipper reads the new lines from the
// top.
func TestFileShipperTruncatedInPlace(t *testing.T) {
	api, sink := newFakeLogs(), newFakeSink("/ecs/test")
	l := newFakeJSONLog(t, 1, api)
	s := fileShipper(t, l, sink, time.Time{})
	go s.run(context.Background())
	l.writeLines(logBase, 1, 100)
	waitStored(t, sink, 100)
	l.Rotate()
	l.writeLines(logBase, 101, 150)
	l.Stop()
	waitDone(t, s)
	wantLines(t, sink, logBase, 1, 150)
	noEndpoint(t, api)
}

// TestFileShipperTTY: a TTY's lines end "\r\n" in the file; the events
// hold the line alone, as through the endpoint.
func TestFileShipperTTY(t *testing.T) {
	api, sink := newFakeLogs(), newFakeSink("/ecs/test")
	l := newFakeJSONLog(t, 1, api)
	l.Write(docker.Stdout, "$ ls\r", logBase)
	l.Write(docker.Stdout, "bin  etc\r", logBase.Add(time.Microsecond))
	l.Stop()
	s, _ := testShipper(t, awslogsConfig{TTY: true}, api, sink, time.Time{})
	s.files = l
	runShipper(t, context.Background(), s)
	if got := sink.Messages("/ecs/test", "web/app/0123"); len(got) != 2 || got[0] != "$ ls" || got[1] != "bin  etc" {
		t.Errorf("messages %q, want the two lines without their carriage returns", got)
	}
}

// TestJSONLogOf: only a json-file log with plain rotated files is read
// from disk.
func TestJSONLogOf(t *testing.T) {
	for _, tc := range []struct {
		name string
		path string
		lc   docker.LogConfig
		want jsonLog
		err  string
	}{
		{name: "daemon defaults", path: "/d/c-json.log", lc: docker.LogConfig{Type: "json-file", Config: map[string]string{"max-size": "10m", "max-file": "3"}},
			want: jsonLog{path: "/d/c-json.log", maxFiles: 3}},
		{name: "no rotation", path: "/d/c-json.log", lc: docker.LogConfig{Type: "json-file"}, want: jsonLog{path: "/d/c-json.log", maxFiles: 1}},
		{name: "local driver", path: "/d/container.log", lc: docker.LogConfig{Type: "local"}, err: `Docker's "local" driver`},
		{name: "compressed", path: "/d/c-json.log", lc: docker.LogConfig{Type: "json-file", Config: map[string]string{"compress": "true"}}, err: "compresses"},
		{name: "no path", lc: docker.LogConfig{Type: "json-file"}, err: "no log file"},
		{name: "bad max-file", path: "/d/c-json.log", lc: docker.LogConfig{Type: "json-file", Config: map[string]string{"max-file": "x"}}, err: "max-file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := jsonLogOf(tc.path, tc.lc)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want one saying %q", err, tc.err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("got %+v, %v; want %+v", got, err, tc.want)
			}
		})
	}
}

// TestFileShipperRotationStress: a container logging as fast as it can,
// its log rotated every 300 lines with two files kept, while the store
// is slow: whether the shipper keeps up through the files or has to hand
// over to the logs endpoint, every line is stored once, in order.
func TestFileShipperRotationStress(t *testing.T) {
	api, sink := newFakeLogs(), newFakeSink("/ecs/test")
	sink.delay = 3 * time.Millisecond
	l := newFakeJSONLog(t, 2, api)
	s := fileShipper(t, l, sink, time.Time{})
	go s.run(context.Background())
	const n = 12000
	for i := 1; i <= n; i += 300 {
		l.writeLines(logBase, i, i+299)
		l.Rotate()
	}
	l.Stop()
	waitDone(t, s)
	wantLines(t, sink, logBase, 1, n)
}
