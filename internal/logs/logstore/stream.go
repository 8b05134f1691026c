package logstore

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"sync"
	"time"
)

// stream is one open log stream. writeMu serializes appends, rotation,
// trims and close; viewMu guards the published segment list that readers
// snapshot.
type stream struct {
	id  StreamID
	dir string
	s   *Store

	writeMu  sync.Mutex
	f        *os.File // active segment, open for appending (writeMu)
	idx      *os.File // active segment's index (writeMu)
	started  time.Time
	nextBase uint64 // segment numbers are never reused while readers may hold old names
	closed   bool
	deleted  bool

	viewMu  sync.RWMutex
	segs    []*segment // published; the last is active
	lastSeq uint64

	// Store bookkeeping, under Store.mu.
	users int
	ready chan struct{}
	err   error
	elem  *lruElem
}

// load opens a stream directory that may not exist yet.
func (st *stream) load() error {
	segs, err := listSegments(st.dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	st.lastSeq = readLastSeq(st.dir) // a floor once retention removed everything
	var next uint64
	for _, seg := range segs {
		added, err := seg.load(st.dir, st.s.opts.BlockBytes, next)
		if err != nil {
			return err
		}
		if err := writeIndex(seg, len(seg.blocks)-len(added), added, st.dir); err != nil {
			return err
		}
		if seg.sum.Count > 0 {
			next = seg.sum.FirstSeq + uint64(seg.sum.Count)
			st.lastSeq = max(st.lastSeq, next-1)
		}
		st.nextBase = seg.base + 1
	}
	st.segs = segs
	return nil
}

// writeIndex makes a segment's .idx hold its first `valid` entries
// followed by added.
func writeIndex(seg *segment, valid int, added []block, dir string) error {
	if len(added) == 0 {
		return nil
	}
	f, err := os.OpenFile(seg.idxPath(dir), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := f.Truncate(int64(valid) * idxEntryLen); err != nil {
		return err
	}
	buf := make([]byte, 0, len(added)*idxEntryLen)
	for _, b := range added {
		buf = append(buf, encodeBlock(b)...)
	}
	_, err = f.WriteAt(buf, int64(valid)*idxEntryLen)
	return err
}

// snapshot returns the published segments and last sequence number.
func (st *stream) snapshot() ([]*segment, uint64) {
	st.viewMu.RLock()
	defer st.viewMu.RUnlock()
	return st.segs, st.lastSeq
}

// publish replaces the active segment's view with seg.
func (st *stream) publish(segs []*segment, lastSeq uint64) {
	st.viewMu.Lock()
	st.segs, st.lastSeq = segs, lastSeq
	st.viewMu.Unlock()
}

// openActive opens the last segment for appending, starting a new one
// when there is none or the last is full.
func (st *stream) openActive() error {
	if st.f != nil {
		return nil
	}
	segs, last := st.snapshot()
	if n := len(segs); n > 0 && segs[n-1].size < st.s.opts.SegmentBytes {
		seg := segs[n-1]
		f, err := os.OpenFile(seg.path(st.dir), os.O_RDWR, 0)
		if err != nil {
			return err
		}
		idx, err := os.OpenFile(seg.idxPath(st.dir), os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
		if err != nil {
			f.Close()
			return err
		}
		st.f, st.idx, st.started = f, idx, st.s.opts.Now()
		return nil
	}
	return st.startSegment(segs, last)
}

// startSegment creates the next segment file and makes it active.
func (st *stream) startSegment(segs []*segment, last uint64) error {
	if err := os.MkdirAll(st.dir, 0o700); err != nil {
		return st.s.ioErr("create stream directory", err)
	}
	base := max(st.nextBase, 1)
	if n := len(segs); n > 0 {
		base = max(base, segs[n-1].base+1)
	}
	st.nextBase = base + 1
	seg := &segment{base: base, size: headerLen, tail: emptyBlock(headerLen), sum: emptyBlock(0)}
	f, err := os.OpenFile(seg.path(st.dir), os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return st.s.ioErr("create segment", err)
	}
	if err := st.s.fault("write"); err != nil {
		f.Close()
		os.Remove(seg.path(st.dir))
		return st.s.ioErr("write segment header", err)
	}
	if _, err := f.Write([]byte(magic)); err != nil {
		f.Close()
		os.Remove(seg.path(st.dir))
		return st.s.ioErr("write segment header", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return st.s.ioErr("sync segment", err)
	}
	if err := syncDir(st.dir); err != nil {
		f.Close()
		return st.s.ioErr("sync stream directory", err)
	}
	idx, err := os.OpenFile(seg.idxPath(st.dir), os.O_WRONLY|os.O_CREATE|os.O_TRUNC|os.O_APPEND, 0o600)
	if err != nil {
		f.Close()
		return st.s.ioErr("create index", err)
	}
	st.f, st.idx, st.started = f, idx, st.s.opts.Now()
	st.s.addGroupBytes(st.id.Group, headerLen)
	st.publish(append(append([]*segment(nil), segs...), seg), last)
	return nil
}

// seal closes the active segment: its tail becomes a closed block.
func (st *stream) seal() {
	if st.f == nil {
		return
	}
	segs, last := st.snapshot()
	if n := len(segs); n > 0 && segs[n-1].tail.Count > 0 {
		seg := *segs[n-1]
		_, _ = st.idx.Write(encodeBlock(seg.tail))
		seg.blocks = append(seg.blocks[:len(seg.blocks):len(seg.blocks)], seg.tail)
		seg.tail = emptyBlock(seg.size)
		segs = append(append([]*segment(nil), segs[:n-1]...), &seg)
		st.publish(segs, last)
	}
	st.f.Close()
	st.idx.Close()
	st.f, st.idx = nil, nil
}

// appendBatch writes events durably and publishes them. ing is the
// ingestion time of every event.
func (st *stream) appendBatch(evs []Input, ing int64) (first, last uint64, err error) {
	if st.closed || st.deleted {
		return 0, 0, errStreamClosed
	}
	segs, lastSeq := st.snapshot()
	if len(evs) == 0 {
		return lastSeq + 1, lastSeq, nil
	}
	if n := len(segs); st.f != nil && n > 0 &&
		(segs[n-1].size >= st.s.opts.SegmentBytes || st.s.opts.Now().Sub(st.started) >= st.s.opts.SegmentAge) {
		st.seal()
		segs, lastSeq = st.snapshot()
		if err := st.startSegment(segs, lastSeq); err != nil {
			return 0, 0, err
		}
	}
	if err := st.openActive(); err != nil {
		return 0, 0, err
	}
	segs, lastSeq = st.snapshot()
	old := segs[len(segs)-1]
	seg := *old
	var closedNow []block
	buf := st.s.getBuf()
	defer st.s.putBuf(buf)
	need := 0
	for i := range evs {
		need += recOverhead + len(evs[i].Message)
	}
	b := slices.Grow((*buf)[:0], need)
	first = lastSeq + 1
	seq := lastSeq
	for _, e := range evs {
		seq++
		b = appendRecord(b, seq, e.Timestamp, ing, e.Message)
		seg.tail.add(seq, e.Timestamp, ing, len(e.Message))
		seg.sum.add(seq, e.Timestamp, ing, len(e.Message))
		if seg.tail.Len >= st.s.opts.BlockBytes {
			closedNow = append(closedNow, seg.tail)
			seg.tail = emptyBlock(seg.tail.end())
		}
	}
	*buf = b
	if err := st.write(b, old.size); err != nil {
		return 0, 0, err
	}
	seg.size += int64(len(b))
	if len(closedNow) > 0 {
		seg.blocks = append(seg.blocks[:len(seg.blocks):len(seg.blocks)], closedNow...)
		ib := make([]byte, 0, len(closedNow)*idxEntryLen)
		for _, c := range closedNow {
			ib = append(ib, encodeBlock(c)...)
		}
		_, _ = st.idx.Write(ib) // a lost entry is rebuilt on open
	}
	segs = append(append([]*segment(nil), segs[:len(segs)-1]...), &seg)
	st.publish(segs, seq)
	st.s.addGroupBytes(st.id.Group, int64(len(b)))
	return first, seq, nil
}

// write appends b at off and fsyncs. On failure the file is cut back to
// off, so a failed batch leaves nothing behind.
func (st *stream) write(b []byte, off int64) error {
	err := st.s.fault("write")
	if err == nil {
		_, err = st.f.WriteAt(b, off)
	}
	if err == nil {
		if err = st.s.fault("sync"); err == nil {
			err = st.f.Sync()
		}
	}
	if err == nil {
		return nil
	}
	if terr := st.f.Truncate(off); terr != nil {
		// The file's state is unknown: close the stream so that the next
		// use reopens it and re-checks the tail.
		st.closeLocked()
		st.s.forget(st)
	}
	return st.s.ioErr(fmt.Sprintf("append to stream %s", st.id), err)
}

// closeLocked closes the files; writeMu must be held.
func (st *stream) closeLocked() {
	if st.f != nil {
		st.f.Close()
		st.idx.Close()
		st.f, st.idx = nil, nil
	}
	st.closed = true
}
