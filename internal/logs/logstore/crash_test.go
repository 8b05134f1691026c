package logstore

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// lastSegment returns the path of the stream's active segment file.
func lastSegment(t *testing.T, s *Store, id StreamID) string {
	t.Helper()
	m, _ := filepath.Glob(filepath.Join(s.streamDir(id), "*.seg"))
	sort.Strings(m)
	if len(m) == 0 {
		t.Fatal("no segment files")
	}
	return m[len(m)-1]
}

func TestTornTail(t *testing.T) {
	cases := []struct {
		name   string
		damage func(t *testing.T, seg string)
		keep   int // events that must survive of 100
	}{
		{"cut inside the last record", func(t *testing.T, seg string) { truncateBy(t, seg, 3) }, 99},
		{"cut inside the last header", func(t *testing.T, seg string) { truncateBy(t, seg, RecordSize(len("event 99"))-4) }, 99},
		{"garbage after the last record", func(t *testing.T, seg string) { appendBytes(t, seg, []byte("\x10\x00\x00\x00garbage!")) }, 100},
		{"zeros after the last record", func(t *testing.T, seg string) { appendBytes(t, seg, make([]byte, 4096)) }, 100},
		{"flipped byte in the last record", func(t *testing.T, seg string) { flipByte(t, seg, -2) }, 99},
		{"flipped byte in the last header", func(t *testing.T, seg string) { flipByte(t, seg, -RecordSize(len("event 99"))+1) }, 99},
		{"index deleted", func(t *testing.T, seg string) { os.Remove(seg[:len(seg)-3] + "idx") }, 100},
		{"index corrupt", func(t *testing.T, seg string) { flipByte(t, seg[:len(seg)-3]+"idx", 10) }, 100},
		{"index garbage tail", func(t *testing.T, seg string) { appendBytes(t, seg[:len(seg)-3]+"idx", []byte("xyz")) }, 100},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			o := Options{BlockBytes: 256}
			s := open(t, dir, o)
			for i := 0; i < 100; i += 10 {
				appendN(t, s, sid, i, 10)
			}
			seg := lastSegment(t, s, sid)
			crash(s) // no clean close: the last block has no index entry
			c.damage(t, seg)

			s = open(t, dir, o)
			checkAll(t, s, sid, 0, c.keep)
			first, _, err := s.Append(sid, inputs(c.keep, 1), 5)
			if err != nil || first != uint64(c.keep+1) {
				t.Fatalf("append after recovery: first %d, %v", first, err)
			}
			checkAll(t, s, sid, 0, c.keep+1)
			s.Close()
			// Recovery is stable: a third open sees the same.
			s = open(t, dir, o)
			checkAll(t, s, sid, 0, c.keep+1)
		})
	}
}

// crash abandons a store as a killed process would: files closed by the
// kernel, nothing sealed, the lock released.
func crash(s *Store) {
	s.mu.Lock()
	s.closed = true
	for _, st := range s.open {
		if st.f != nil {
			st.f.Close()
			st.idx.Close()
		}
	}
	s.mu.Unlock()
	unlockDir(s.lock)
}

// TestBitRot damages a record the index already covers: readers skip it
// and go on.
func TestBitRot(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir, Options{BlockBytes: 256})
	appendN(t, s, sid, 0, 50)
	seg := lastSegment(t, s, sid)
	s.Close()
	// Damage the message of event 10.
	off := headerLen + 10*RecordSize(len("event 9")) + recOverhead + 1
	flipByte(t, seg, off)
	s = open(t, dir, Options{BlockBytes: 256})
	for _, tail := range []bool{false, true} {
		var evs []Event
		var err error
		if tail {
			evs, _, err = s.Tail(sid, Everything(), 100, 1<<20)
		} else {
			evs, _, err = s.Head(sid, Everything(), 100, 1<<20)
		}
		if err != nil || len(evs) != 49 {
			t.Fatalf("tail=%v: %d events, %v", tail, len(evs), err)
		}
		for _, e := range evs {
			if e.Seq == 11 {
				t.Fatal("the damaged event was returned")
			}
		}
	}
	// A damaged length in an indexed block loses the rest of that block
	// only.
	s.Close()
	flipByte(t, seg, headerLen+30*RecordSize(len("event 30"))-10*(RecordSize(8)-RecordSize(7))+2)
	s = open(t, dir, Options{BlockBytes: 256})
	if evs, _, err := s.Head(sid, Everything(), 100, 1<<20); err != nil || len(evs) < 35 || len(evs) > 48 {
		t.Fatalf("after a damaged length: %d events, %v", len(evs), err)
	}
	if n, err := s.Trim(sid, 0); n != 0 || err != nil {
		t.Fatalf("Trim(0) = %d, %v", n, err)
	}
	if n, err := s.Trim(sid, 1005); n != 5 || err != nil {
		t.Fatalf("Trim = %d, %v", n, err)
	}
	if st, _ := s.Stats(sid); st.Count != 45 || st.LastSeq != 50 {
		t.Fatalf("after trim: %+v", st)
	}
}

func TestTruncatedHeader(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir, Options{})
	appendN(t, s, sid, 0, 1)
	seg := lastSegment(t, s, sid)
	s.Close()
	if err := os.Truncate(seg, 3); err != nil {
		t.Fatal(err)
	}
	s = open(t, dir, Options{})
	checkAll(t, s, sid, 0, 0)
	appendN(t, s, sid, 0, 2)
	checkAll(t, s, sid, 0, 2)
}

// TestKill9 appends from a child process, kills it with SIGKILL mid-way,
// and checks that what survives is a gap-free prefix of what was written,
// including every batch the child saw acknowledged.
func TestKill9(t *testing.T) {
	if dir := os.Getenv("LOGSTORE_CRASH_CHILD"); dir != "" {
		crashChild(dir)
		return
	}
	if testing.Short() {
		t.Skip("spawns a child process")
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestKill9$")
	cmd.Env = append(os.Environ(), "LOGSTORE_CRASH_CHILD="+dir)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ack := filepath.Join(dir, "acked")
	deadline := time.Now().Add(20 * time.Second)
	for {
		b, _ := os.ReadFile(ack)
		if n, _ := strconv.Atoi(string(b)); n >= 2000 || time.Now().After(deadline) {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	_ = cmd.Process.Signal(syscall.SIGKILL)
	_ = cmd.Wait()
	b, _ := os.ReadFile(ack)
	acked, _ := strconv.Atoi(string(b))
	if acked == 0 {
		t.Fatal("the child acknowledged nothing")
	}

	s := open(t, filepath.Join(dir, "store"), Options{BlockBytes: 512, SegmentBytes: 64 << 10})
	evs, _, err := s.Head(sid, Everything(), 1<<30, 1<<40)
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) < acked {
		t.Fatalf("%d events survive, but %d were acknowledged", len(evs), acked)
	}
	for i, e := range evs {
		if want := fmt.Sprintf("event %d", i); e.Seq != uint64(i+1) || string(e.Message) != want {
			t.Fatalf("event %d: seq %d %q, want %q", i, e.Seq, e.Message, want)
		}
	}
	t.Logf("%d acknowledged, %d survived the kill", acked, len(evs))
}

func crashChild(dir string) {
	s, err := Open(filepath.Join(dir, "store"), Options{BlockBytes: 512, SegmentBytes: 64 << 10})
	if err != nil {
		os.Exit(2)
	}
	for i := 0; ; i += 7 {
		if _, _, err := s.Append(sid, inputs(i, 7), 5); err != nil {
			os.Exit(3)
		}
		// Record the acknowledgement only after Append returned.
		_ = os.WriteFile(filepath.Join(dir, "acked.tmp"), []byte(strconv.Itoa(i+7)), 0o600)
		_ = os.Rename(filepath.Join(dir, "acked.tmp"), filepath.Join(dir, "acked"))
	}
}

func truncateBy(t *testing.T, path string, n int64) {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(path, st.Size()-n); err != nil {
		t.Fatal(err)
	}
}

func appendBytes(t *testing.T, path string, b []byte) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.Write(b); err != nil {
		t.Fatal(err)
	}
}

// flipByte inverts the byte at off (negative: from the end).
func flipByte(t *testing.T, path string, off int64) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if off < 0 {
		off += int64(len(b))
	}
	b[off] ^= 0xff
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}
