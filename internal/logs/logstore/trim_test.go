package logstore

import (
	"os"
	"path/filepath"
	"testing"
)

func segFiles(t *testing.T, s *Store, id StreamID) []string {
	t.Helper()
	m, _ := filepath.Glob(filepath.Join(s.streamDir(id), "*.seg"))
	return m
}

func dirBytes(t *testing.T, dir string) int64 {
	t.Helper()
	var n int64
	_ = filepath.Walk(dir, func(_ string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			n += info.Size()
		}
		return nil
	})
	return n
}

func TestTrim(t *testing.T) {
	dir := t.TempDir()
	o := Options{SegmentBytes: 2 << 10, BlockBytes: 256}
	s := open(t, dir, o)
	for i := 0; i < 1000; i += 100 {
		appendN(t, s, sid, i, 100) // timestamps 1000..1999
	}
	before := dirBytes(t, dir)
	nsegs := len(segFiles(t, s, sid))
	gb := s.GroupBytes(sid.Group)

	// Cut in the middle of a segment: whole segments go, one is rewritten.
	removed, err := s.Trim(sid, 1437)
	if err != nil || removed != 437 {
		t.Fatalf("Trim = %d, %v", removed, err)
	}
	checkAll(t, s, sid, 437, 1000)
	if after := dirBytes(t, dir); after >= before*6/10 {
		t.Fatalf("disk use %d → %d: expired data not reclaimed", before, after)
	}
	if n := len(segFiles(t, s, sid)); n >= nsegs {
		t.Fatalf("%d segments before, %d after", nsegs, n)
	}
	if s.GroupBytes(sid.Group) >= gb {
		t.Fatal("GroupBytes did not shrink")
	}
	rewritten, _ := filepath.Glob(filepath.Join(s.streamDir(sid), "*.1.seg"))
	if len(rewritten) != 1 {
		t.Fatalf("want one rewritten segment, got %v", rewritten)
	}
	// Idempotent; appends continue after the trim.
	if removed, _ := s.Trim(sid, 1437); removed != 0 {
		t.Fatalf("second trim removed %d", removed)
	}
	first, _, err := s.Append(sid, inputs(1000, 10), 5)
	if err != nil || first != 1001 {
		t.Fatalf("append after trim: %d, %v", first, err)
	}
	checkAll(t, s, sid, 437, 1010)

	// Survives a restart, and a trim of everything keeps the sequence.
	s.Close()
	s = open(t, dir, o)
	checkAll(t, s, sid, 437, 1010)
	if removed, err := s.Trim(sid, 1<<40); err != nil || removed != 573 {
		t.Fatalf("trim all = %d, %v", removed, err)
	}
	if n := len(segFiles(t, s, sid)); n != 0 {
		t.Fatalf("%d segments left after everything expired", n)
	}
	s.Close()
	s = open(t, dir, o)
	if st, _ := s.Stats(sid); st.Count != 0 || st.LastSeq != 1010 {
		t.Fatalf("after trimming everything and reopening: %+v", st)
	}
	first, _, err = s.Append(sid, inputs(0, 1), 5)
	if err != nil || first != 1011 {
		t.Fatalf("sequence reused after trimming everything: first %d, %v", first, err)
	}
}

// A trim may not lose events appended while it runs, nor break readers
// holding an older snapshot.
func TestTrimWhileReading(t *testing.T) {
	s := open(t, t.TempDir(), Options{SegmentBytes: 1 << 10, BlockBytes: 128})
	appendN(t, s, sid, 0, 200)
	c, err := s.Forward(sid, Everything())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, ok := c.Next(); !ok {
		t.Fatal("no first event")
	}
	if _, err := s.Trim(sid, 1100); err != nil {
		t.Fatal(err)
	}
	n := 1
	for {
		_, ok := c.Next()
		if !ok {
			break
		}
		n++
	}
	if c.Err() != nil {
		t.Fatalf("cursor error after a concurrent trim: %v", c.Err())
	}
	if n < 100 {
		t.Fatalf("an old cursor read only %d events", n)
	}
	checkAll(t, s, sid, 100, 200)
}
