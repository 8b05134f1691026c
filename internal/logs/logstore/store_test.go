package logstore

import (
	"errors"
	"fmt"
	"os"
	"sync"
	"syscall"
	"testing"
	"time"
)

var sid = StreamID{Group: 1, Stream: 2}

func open(t testing.TB, dir string, o Options) *Store {
	t.Helper()
	s, err := Open(dir, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func inputs(from, n int) []Input {
	out := make([]Input, n)
	for i := range out {
		out[i] = Input{Timestamp: int64(1000 + from + i), Message: []byte(fmt.Sprintf("event %d", from+i))}
	}
	return out
}

func appendN(t testing.TB, s *Store, id StreamID, from, n int) {
	t.Helper()
	if _, _, err := s.Append(id, inputs(from, n), 5); err != nil {
		t.Fatal(err)
	}
}

// checkAll reads the whole stream forward and expects events from..to-1
// (by the numbering inputs uses).
func checkAll(t *testing.T, s *Store, id StreamID, from, to int) {
	t.Helper()
	evs, more, err := s.Head(id, Everything(), 1<<30, 1<<40)
	if err != nil || more {
		t.Fatalf("Head: %v more=%v", err, more)
	}
	if len(evs) != to-from {
		t.Fatalf("got %d events, want %d", len(evs), to-from)
	}
	for i, e := range evs {
		want := fmt.Sprintf("event %d", from+i)
		if string(e.Message) != want || e.Timestamp != int64(1000+from+i) || e.Ingestion != 5 {
			t.Fatalf("event %d = %+v %q, want %q", i, e, e.Message, want)
		}
	}
}

func TestAppendAndRead(t *testing.T) {
	s := open(t, t.TempDir(), Options{SegmentBytes: 4 << 10, BlockBytes: 512})
	first, last, err := s.Append(sid, inputs(0, 50), 5)
	if err != nil || first != 1 || last != 50 {
		t.Fatalf("Append = %d, %d, %v", first, last, err)
	}
	for i := 50; i < 1000; i += 50 {
		appendN(t, s, sid, i, 50)
	}
	checkAll(t, s, sid, 0, 1000)
	st, _ := s.Stats(sid)
	if st.Count != 1000 || st.FirstSeq != 1 || st.LastSeq != 1000 || st.MinTS != 1000 || st.MaxTS != 1999 || st.MaxIngest != 5 {
		t.Fatalf("Stats = %+v", st)
	}
	segs, _ := os.ReadDir(s.streamDir(sid))
	if len(segs) < 6 {
		t.Fatalf("expected several segments at 4 KiB each, got %d files", len(segs))
	}

	cases := []struct {
		name       string
		r          Range
		max        int
		tail       bool
		first, cnt int // inputs numbering
		more       bool
	}{
		{"head 10", Everything(), 10, false, 0, 10, true},
		{"tail 10", Everything(), 10, true, 990, 10, true},
		{"after seq", Range{AfterSeq: 500, Start: -1 << 62, End: 1 << 62}, 3, false, 500, 3, true},
		{"before seq", Range{BeforeSeq: 501, Start: -1 << 62, End: 1 << 62}, 3, true, 497, 3, true},
		{"time window", Range{Start: 1400, End: 1410}, 100, false, 400, 10, false},
		{"time window tail", Range{Start: 1400, End: 1410}, 4, true, 406, 4, true},
		{"empty window", Range{Start: 5000, End: 6000}, 10, false, 0, 0, false},
		{"between seqs", Range{AfterSeq: 10, BeforeSeq: 15, Start: -1 << 62, End: 1 << 62}, 100, false, 10, 4, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var evs []Event
			var more bool
			var err error
			if c.tail {
				evs, more, err = s.Tail(sid, c.r, c.max, 1<<30)
			} else {
				evs, more, err = s.Head(sid, c.r, c.max, 1<<30)
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(evs) != c.cnt || more != c.more {
				t.Fatalf("got %d events more=%v, want %d more=%v", len(evs), more, c.cnt, c.more)
			}
			for i, e := range evs {
				if want := fmt.Sprintf("event %d", c.first+i); string(e.Message) != want || e.Seq != uint64(c.first+i+1) {
					t.Fatalf("event %d = seq %d %q, want %q", i, e.Seq, e.Message, want)
				}
			}
		})
	}
	// Byte limits stop before the event that would pass them.
	evs, more, _ := s.Head(sid, Everything(), 100, 3*(26+len("event 0")))
	if len(evs) != 3 || !more {
		t.Fatalf("byte-limited head: %d events more=%v", len(evs), more)
	}
}

func TestRestartKeepsEventsAndSequence(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir, Options{SegmentBytes: 2 << 10, BlockBytes: 256})
	appendN(t, s, sid, 0, 100)
	s.Close()

	s = open(t, dir, Options{SegmentBytes: 2 << 10, BlockBytes: 256})
	checkAll(t, s, sid, 0, 100)
	first, _, err := s.Append(sid, inputs(100, 10), 5)
	if err != nil || first != 101 {
		t.Fatalf("append after restart: first %d, %v", first, err)
	}
	checkAll(t, s, sid, 0, 110)
}

func TestSegmentAgeRotation(t *testing.T) {
	now := time.Unix(1000, 0)
	clock := func() time.Time { return now }
	s := open(t, t.TempDir(), Options{SegmentAge: time.Minute, Now: clock})
	appendN(t, s, sid, 0, 5)
	now = now.Add(2 * time.Minute)
	appendN(t, s, sid, 5, 5)
	st, _ := s.acquire(sid)
	segs, _ := st.snapshot()
	s.release(st)
	if len(segs) != 2 {
		t.Fatalf("want 2 segments after the age limit, got %d", len(segs))
	}
	checkAll(t, s, sid, 0, 10)
}

func TestDiskFull(t *testing.T) {
	var mu sync.Mutex
	var fail error
	o := Options{Fault: func(op string) error { mu.Lock(); defer mu.Unlock(); return fail }}
	dir := t.TempDir()
	s := open(t, dir, o)
	appendN(t, s, sid, 0, 10)
	for _, op := range []string{"write", "sync"} {
		mu.Lock()
		fail = fmt.Errorf("%s: %w", op, syscall.ENOSPC)
		mu.Unlock()
		_, _, err := s.Append(sid, inputs(10, 10), 5)
		if !errors.Is(err, ErrNoSpace) {
			t.Fatalf("%s fault: err = %v, want ErrNoSpace", op, err)
		}
		mu.Lock()
		fail = nil
		mu.Unlock()
		checkAll(t, s, sid, 0, 10)
	}
	first, _, err := s.Append(sid, inputs(10, 10), 5)
	if err != nil || first != 11 {
		t.Fatalf("append after the disk has room: first %d, %v", first, err)
	}
	checkAll(t, s, sid, 0, 20)
	// A new stream whose first segment cannot be created.
	mu.Lock()
	fail = syscall.ENOSPC
	mu.Unlock()
	if _, _, err := s.Append(StreamID{1, 3}, inputs(0, 1), 5); !errors.Is(err, ErrNoSpace) {
		t.Fatalf("new stream on a full disk: %v", err)
	}
}

func TestEvictionAndConcurrency(t *testing.T) {
	s := open(t, t.TempDir(), Options{MaxOpenStreams: 2, SegmentBytes: 8 << 10, BlockBytes: 1 << 10})
	var wg sync.WaitGroup
	for w := 0; w < 6; w++ {
		wg.Add(2)
		id := StreamID{Group: 1, Stream: uint64(w % 3)}
		go func() {
			defer wg.Done()
			for i := 0; i < 40; i++ {
				if _, _, err := s.Append(id, inputs(i, 5), 5); err != nil {
					t.Error(err)
					return
				}
			}
		}()
		go func() {
			defer wg.Done()
			for i := 0; i < 40; i++ {
				if _, _, err := s.Tail(id, Everything(), 10, 1<<20); err != nil {
					t.Error(err)
					return
				}
				if _, _, err := s.Head(id, Everything(), 10, 1<<20); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	for i := 0; i < 3; i++ {
		st, err := s.Stats(StreamID{Group: 1, Stream: uint64(i)})
		if err != nil || st.Count != 400 || st.LastSeq != 400 {
			t.Fatalf("stream %d: %+v %v", i, st, err)
		}
	}
	if n := len(s.open); n > 2 {
		t.Fatalf("%d streams open, want at most 2", n)
	}
}

func TestDelete(t *testing.T) {
	s := open(t, t.TempDir(), Options{})
	a, b, c := StreamID{1, 1}, StreamID{1, 2}, StreamID{2, 1}
	for _, id := range []StreamID{a, b, c} {
		appendN(t, s, id, 0, 3)
	}
	if s.GroupBytes(1) == 0 {
		t.Fatal("group 1 has no bytes")
	}
	if err := s.DeleteStream(a); err != nil {
		t.Fatal(err)
	}
	if st, _ := s.Stats(a); st.Count != 0 {
		t.Fatalf("deleted stream still has %d events", st.Count)
	}
	if err := s.DeleteGroup(1); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(s.groupDir(1)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("group directory survives: %v", err)
	}
	if s.GroupBytes(1) != 0 {
		t.Fatal("a deleted group still has bytes")
	}
	checkAll(t, s, c, 0, 3)
	groups, _ := s.Groups()
	if len(groups) != 1 || groups[0] != 2 {
		t.Fatalf("Groups = %v", groups)
	}
}

func TestSecondOpenWaitsForLock(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir, Options{})
	if _, err := Open(dir, Options{LockTimeout: 50 * time.Millisecond}); err == nil {
		t.Fatal("a second Open of a locked directory succeeded")
	}
	done := make(chan error, 1)
	go func() {
		s2, err := Open(dir, Options{LockTimeout: 5 * time.Second})
		if err == nil {
			s2.Close()
		}
		done <- err
	}()
	time.Sleep(50 * time.Millisecond)
	s.Close()
	if err := <-done; err != nil {
		t.Fatalf("Open after Close: %v", err)
	}
}
