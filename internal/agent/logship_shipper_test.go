package agent

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/quayside/quayside/internal/docker"
)

// runShipper runs s until it is done, failing the test after testTimeout.
func runShipper(t *testing.T, ctx context.Context, s *shipper) {
	t.Helper()
	go s.run(ctx)
	select {
	case <-s.done:
	case <-time.After(testTimeout):
		t.Fatal("the shipper did not finish")
	}
}

// writeLines writes lines from..to (inclusive) to the container "id-app",
// a microsecond apart from base, alternating stdout and stderr.
func writeLines(src *fakeLogs, base time.Time, from, to int) {
	for i := from; i <= to; i++ {
		stream := docker.Stdout
		if i%3 == 0 {
			stream = docker.Stderr
		}
		src.Write("id-app", stream, lineText(i), base.Add(time.Duration(i)*time.Microsecond))
	}
}

// wantLines checks that the stream holds exactly lines from..to, in
// order, each with its own Docker timestamp.
func wantLines(t *testing.T, sink *fakeSink, base time.Time, from, to int) {
	t.Helper()
	evs := sink.Events("/ecs/test", "web/app/0123")
	if len(evs) != to-from+1 {
		t.Fatalf("%d events stored, want %d", len(evs), to-from+1)
	}
	for i, e := range evs {
		n := from + i
		if e.Message != lineText(n) || !e.Timestamp.Equal(base.Add(time.Duration(n)*time.Microsecond)) {
			t.Fatalf("event %d is %q at %v, want %q at %v", i, e.Message, e.Timestamp, lineText(n), base.Add(time.Duration(n)*time.Microsecond))
		}
	}
}

var logBase = time.Date(2024, 2, 29, 12, 0, 0, 0, time.UTC)

// TestShipperShipsEverythingInBatches: a container that logged 12,345
// lines and stopped has every line stored, with its timestamp, in batches
// of at most 5,000, and the cursor saved at the last line.
func TestShipperShipsEverythingInBatches(t *testing.T) {
	src, sink := newFakeLogs(), newFakeSink("/ecs/test")
	writeLines(src, logBase, 1, 12345)
	src.Stop("id-app")
	s, saves := testShipper(t, awslogsConfig{}, src, sink, time.Time{})
	runShipper(t, context.Background(), s)

	wantLines(t, sink, logBase, 1, 12345)
	puts := sink.Puts()
	if slices.Max(puts) > 5000 || len(puts) < 3 {
		t.Errorf("batches %v: want at least 3, none over 5,000", puts)
	}
	last := logBase.Add(12345 * time.Microsecond)
	if cur, shipped, _ := s.state(); !cur.Equal(last) || shipped != 12345 {
		t.Errorf("cursor %v, %d shipped; want %v, 12345", cur, shipped, last)
	}
	if !saves.last().Equal(last) {
		t.Errorf("saved cursor %v, want %v", saves.last(), last)
	}
	if o := src.Opens(); len(o) != 2 || !o[0].Follow || !o[0].Timestamps || !o[0].Since.IsZero() || o[1].Tail != "1000" {
		t.Errorf("streams opened %+v, want one following with timestamps from the start, then its tail", o)
	}
}

// TestShipperShipsTheLastLinesBeforeExit: lines written while the
// shipper follows, up to the moment the container stops, are all stored
// before the shipper is done.
func TestShipperShipsTheLastLinesBeforeExit(t *testing.T) {
	src, sink := newFakeLogs(), newFakeSink("/ecs/test")
	sink.delay = 2 * time.Millisecond
	s, _ := testShipper(t, awslogsConfig{}, src, sink, time.Time{})
	go s.run(context.Background())
	for i := 1; i <= 50; i++ {
		writeLines(src, logBase, i*100-99, i*100)
		time.Sleep(time.Millisecond)
	}
	writeLines(src, logBase, 5001, 5003) // the crash report
	src.Stop("id-app")
	select {
	case <-s.done:
	case <-time.After(testTimeout):
		t.Fatal("the shipper did not finish after the container stopped")
	}
	wantLines(t, sink, logBase, 1, 5003)
}

// TestShipperResumesWithoutDuplicates: a shipper stopped after its first
// batch (an agent restart) saves its cursor; the next one, started from
// it, ships the rest: every line once.
func TestShipperResumesWithoutDuplicates(t *testing.T) {
	src, sink := newFakeLogs(), newFakeSink("/ecs/test")
	writeLines(src, logBase, 1, 12000)
	ctx, stop := context.WithCancel(context.Background())
	sink.afterPut = func(n int) {
		if n == 1 {
			stop() // the agent stops while the container keeps logging
		}
	}
	first, saves := testShipper(t, awslogsConfig{}, src, sink, time.Time{})
	runShipper(t, ctx, first)
	cursor := saves.last()
	stored := len(sink.Events("/ecs/test", "web/app/0123"))
	if stored == 0 || stored == 12000 || !cursor.Equal(logBase.Add(time.Duration(stored)*time.Microsecond)) {
		t.Fatalf("after the stop: %d stored, cursor %v; want some, with the cursor at the last", stored, cursor)
	}

	sink.afterPut = nil
	writeLines(src, logBase, 12001, 13000) // logged while no agent ran
	src.Stop("id-app")
	opened := len(src.Opens())
	second, _ := testShipper(t, awslogsConfig{}, src, sink, cursor)
	runShipper(t, context.Background(), second)
	wantLines(t, sink, logBase, 1, 13000)
	if o := src.Opens()[opened]; !o.Since.Equal(cursor) {
		t.Errorf("the second shipper read since %v, want the cursor %v", o.Since, cursor)
	}
}

// TestShipperSkipsLinesAtTheCursor: Docker's since includes lines at that
// very time; the line the cursor names was shipped and is not sent again.
func TestShipperSkipsLinesAtTheCursor(t *testing.T) {
	src, sink := newFakeLogs(), newFakeSink("/ecs/test")
	writeLines(src, logBase, 1, 10)
	src.Stop("id-app")
	s, _ := testShipper(t, awslogsConfig{}, src, sink, logBase.Add(4*time.Microsecond))
	runShipper(t, context.Background(), s)
	wantLines(t, sink, logBase, 5, 10)
}

// TestShipperJoinsMultilineEvents: with a multiline pattern, a stack
// trace is one event; the event still open when the container stops is
// sent too.
func TestShipperJoinsMultilineEvents(t *testing.T) {
	src, sink := newFakeLogs(), newFakeSink("/ecs/test")
	texts := []string{"2024-02-29 12:00:00 start", "2024-02-29 12:00:01 panic: boom", "goroutine 1 [running]:", "main.main()", "2024-02-29 12:00:02 restarting", "  at the end"}
	for i, s := range texts {
		src.Write("id-app", docker.Stderr, s, logBase.Add(time.Duration(i)*time.Second))
	}
	src.Stop("id-app")
	re, err := multilinePattern(map[string]string{awslogsDatetimeFormat: "%Y-%m-%d %H:%M:%S"})
	if err != nil {
		t.Fatal(err)
	}
	s, saves := testShipper(t, awslogsConfig{Multiline: re}, src, sink, time.Time{})
	runShipper(t, context.Background(), s)
	want := []string{"2024-02-29 12:00:00 start\n", "2024-02-29 12:00:01 panic: boom\ngoroutine 1 [running]:\nmain.main()\n", "2024-02-29 12:00:02 restarting\n  at the end\n"}
	evs := sink.Events("/ecs/test", "web/app/0123")
	if got := sink.Messages("/ecs/test", "web/app/0123"); !slices.Equal(got, want) {
		t.Fatalf("events %q, want %q", got, want)
	}
	for i, first := range []int{0, 1, 4} {
		if !evs[i].Timestamp.Equal(logBase.Add(time.Duration(first) * time.Second)) {
			t.Errorf("event %d at %v, want its first line's time", i, evs[i].Timestamp)
		}
	}
	if !saves.last().Equal(logBase.Add(5 * time.Second)) {
		t.Errorf("saved cursor %v, want the last line's", saves.last())
	}
}

// TestShipperSendsAnOpenMultilineEventAfterAWhile: a multi-line event
// with nothing after it is sent once it has waited, while the container
// runs; the cursor does not pass lines of an event not yet sent.
func TestShipperSendsAnOpenMultilineEventAfterAWhile(t *testing.T) {
	src, sink := newFakeLogs(), newFakeSink("/ecs/test")
	s, saves := testShipper(t, awslogsConfig{Multiline: regexp.MustCompile(`^\S`)}, src, sink, time.Time{})
	ctx, stop := context.WithCancel(context.Background())
	defer func() { stop(); <-s.done }()
	go s.run(ctx)
	src.Write("id-app", docker.Stdout, "first", logBase)
	src.Write("id-app", docker.Stdout, "second", logBase.Add(time.Second))
	src.Write("id-app", docker.Stdout, "  continued", logBase.Add(2*time.Second))
	deadline := time.Now().Add(testTimeout)
	for len(sink.Events("/ecs/test", "web/app/0123")) < 1 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if got := sink.Messages("/ecs/test", "web/app/0123"); !slices.Equal(got, []string{"first\n"}) {
		t.Fatalf("first events %q, want [first]", got)
	}
	time.Sleep(40 * time.Millisecond) // a few saves
	cur := saves.last()
	if n := len(sink.Events("/ecs/test", "web/app/0123")); cur.After(logBase) && n < 2 {
		t.Errorf("cursor %v while \"second\" waits unsent, want at most %v", cur, logBase)
	}
	for len(sink.Events("/ecs/test", "web/app/0123")) < 2 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if got := sink.Messages("/ecs/test", "web/app/0123"); !slices.Equal(got, []string{"first\n", "second\n  continued\n"}) {
		t.Fatalf("events %q: the open event was not sent after joinWait", got)
	}
}

// TestShipperNonBlockingDrops: in non-blocking mode a stalled log store
// never holds the reader back: lines beyond max-buffer-size are dropped
// and counted, the rest are stored.
func TestShipperNonBlockingDrops(t *testing.T) {
	src, sink := newFakeLogs(), newFakeSink("/ecs/test")
	writeLines(src, logBase, 1, 10000)
	src.Stop("id-app")
	sink.block = make(chan struct{})
	s, _ := testShipper(t, awslogsConfig{NonBlocking: true, MaxBuffer: 4 << 10}, src, sink, time.Time{})
	go s.run(context.Background())
	deadline := time.Now().Add(testTimeout)
	for src.Served("id-app") < 10000 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if n := src.Served("id-app"); n < 10000 {
		t.Fatalf("the reader took %d of 10,000 lines while the store was stalled: it blocked", n)
	}
	close(sink.block)
	select {
	case <-s.done:
	case <-time.After(testTimeout):
		t.Fatal("the shipper did not finish")
	}
	_, shipped, dropped := s.state()
	stored := len(sink.Events("/ecs/test", "web/app/0123"))
	if dropped == 0 || shipped != stored || shipped+dropped != 10000 {
		t.Errorf("%d shipped (%d stored) + %d dropped, want some dropped and 10,000 in all", shipped, stored, dropped)
	}
}

// TestShipperBlockingModeKeepsUp: in blocking mode a stalled log store
// holds the reader back (Docker keeps the lines) and nothing is lost.
func TestShipperBlockingModeKeepsUp(t *testing.T) {
	src, sink := newFakeLogs(), newFakeSink("/ecs/test")
	writeLines(src, logBase, 1, 20000)
	src.Stop("id-app")
	sink.fail = 3 // the store is briefly unavailable
	s, _ := testShipper(t, awslogsConfig{}, src, sink, time.Time{})
	runShipper(t, context.Background(), s)
	wantLines(t, sink, logBase, 1, 20000)
}

// TestShipperDropsRejectedBatches: a batch the store rejects for good (its
// group was deleted) is dropped, as Docker's driver drops it, and
// shipping goes on.
func TestShipperDropsRejectedBatches(t *testing.T) {
	src, sink := newFakeLogs(), newFakeSink() // no group, and no create-group
	writeLines(src, logBase, 1, 10)
	src.Stop("id-app")
	s, _ := testShipper(t, awslogsConfig{}, src, sink, time.Time{})
	runShipper(t, context.Background(), s)
	if cur, shipped, _ := s.state(); !cur.Equal(logBase.Add(10*time.Microsecond)) || shipped != 10 {
		t.Errorf("cursor %v, %d shipped: want past the dropped batch", cur, shipped)
	}
}

// TestShipperStopsWithItsContext: a shipper of a running container ends
// when its context does.
func TestShipperStopsWithItsContext(t *testing.T) {
	src, sink := newFakeLogs(), newFakeSink("/ecs/test")
	writeLines(src, logBase, 1, 3)
	s, saves := testShipper(t, awslogsConfig{}, src, sink, time.Time{})
	ctx, stop := context.WithCancel(context.Background())
	go s.run(ctx)
	deadline := time.Now().Add(testTimeout)
	for len(sink.Events("/ecs/test", "web/app/0123")) < 3 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	stop()
	select {
	case <-s.done:
	case <-time.After(testTimeout):
		t.Fatal("the shipper did not stop with its context")
	}
	if !saves.last().Equal(logBase.Add(3 * time.Microsecond)) {
		t.Errorf("saved cursor %v, want the third line's", saves.last())
	}
}

// TestShipperCatchesUpAfterAShortStream: when Docker's follow stream ends
// with the container before its last lines (a json-file rotation), they
// are read again: from the tail when it overlaps what was read, else from
// the cursor.
func TestShipperCatchesUpAfterAShortStream(t *testing.T) {
	for _, cut := range []int{2500, 1200, 1} {
		t.Run(fmt.Sprint(cut), func(t *testing.T) {
			src, sink := newFakeLogs(), newFakeSink("/ecs/test")
			writeLines(src, logBase, 1, 3000)
			src.Stop("id-app")
			src.cut["id-app"] = cut
			s, _ := testShipper(t, awslogsConfig{}, src, sink, time.Time{})
			runShipper(t, context.Background(), s)
			wantLines(t, sink, logBase, 1, 3000)
		})
	}
}

// TestShipperKeepsLinesStampedOutOfOrder: Docker stamps stdout and
// stderr as it reads each pipe, so a line can follow, in the log, lines
// stamped after it. It is shipped all the same, also when the follow
// stream ends just before it.
func TestShipperKeepsLinesStampedOutOfOrder(t *testing.T) {
	for _, cut := range []int{0, 100} {
		t.Run(fmt.Sprint(cut), func(t *testing.T) {
			src, sink := newFakeLogs(), newFakeSink("/ecs/test")
			writeLines(src, logBase, 1, 100)
			src.Write("id-app", docker.Stderr, "fatal: crashed", logBase.Add(50*time.Microsecond+time.Nanosecond))
			src.Stop("id-app")
			src.cut["id-app"] = cut
			s, _ := testShipper(t, awslogsConfig{}, src, sink, time.Time{})
			runShipper(t, context.Background(), s)
			got := sink.Messages("/ecs/test", "web/app/0123")
			if len(got) != 101 || !slices.Contains(got, "fatal: crashed") {
				t.Fatalf("%d events (crash line kept: %v), want 101 with it", len(got), slices.Contains(got, "fatal: crashed"))
			}
		})
	}
}

// TestShipperReadsTTYLogs: a container with a pseudo-terminal has its log
// as raw text; its lines are shipped all the same.
func TestShipperReadsTTYLogs(t *testing.T) {
	src, sink := newFakeLogs(), newFakeSink("/ecs/test")
	src.tty["id-app"] = true
	writeLines(src, logBase, 1, 2000)
	src.Stop("id-app")
	s, _ := testShipper(t, awslogsConfig{TTY: true}, src, sink, time.Time{})
	runShipper(t, context.Background(), s)
	wantLines(t, sink, logBase, 1, 2000)
}
