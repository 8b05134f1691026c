package logstore

import (
	"container/list"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// Errors callers distinguish with errors.Is.
var (
	// ErrNoSpace is a write that failed because the disk is full. The
	// failed batch left nothing behind; earlier data is intact.
	ErrNoSpace = errors.New("no space left on the device holding the log store")
	// ErrClosed is any call after Close.
	ErrClosed = errors.New("logstore: closed")

	errStreamClosed = errors.New("logstore: stream closed while in use")
)

// StreamID names a stream's directory: its group's and its own number.
type StreamID struct{ Group, Stream uint64 }

func (id StreamID) String() string { return fmt.Sprintf("%016x/%016x", id.Group, id.Stream) }

// Options tune a Store. Zero values take the defaults.
type Options struct {
	SegmentBytes   int64         // seal a segment at this size (64 MiB)
	SegmentAge     time.Duration // or after this long active (1 h)
	BlockBytes     int64         // index granularity (64 KiB)
	MaxOpenStreams int           // streams kept open (1024)
	Now            func() time.Time
	LockTimeout    time.Duration // wait for another user of the directory (10 s)
	// Fault, when set, runs before every write ("write") and fsync
	// ("sync"); an error it returns fails that operation. Tests use it to
	// simulate a full disk.
	Fault func(op string) error
}

// Store is the log event store under one directory.
type Store struct {
	dir  string
	opts Options
	lock *os.File

	mu         sync.Mutex
	closed     bool
	open       map[StreamID]*stream
	lru        *list.List // of *stream, most recent first
	groupBytes map[uint64]int64

	bufs sync.Pool
}

type lruElem = list.Element

// Open opens (creating if needed) the store in dir.
func Open(dir string, o Options) (*Store, error) {
	if o.SegmentBytes <= 0 {
		o.SegmentBytes = 64 << 20
	}
	if o.SegmentAge <= 0 {
		o.SegmentAge = time.Hour
	}
	if o.BlockBytes <= 0 {
		o.BlockBytes = 64 << 10
	}
	if o.MaxOpenStreams <= 0 {
		o.MaxOpenStreams = 1024
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.LockTimeout <= 0 {
		o.LockTimeout = 10 * time.Second
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("logstore: create %s: %w", dir, err)
	}
	lock, err := lockDir(filepath.Join(dir, "LOCK"), o.LockTimeout)
	if err != nil {
		return nil, err
	}
	s := &Store{dir: dir, opts: o, lock: lock, open: map[StreamID]*stream{}, lru: list.New(), groupBytes: map[uint64]int64{}}
	s.bufs.New = func() any { b := make([]byte, 0, 256<<10); return &b }
	return s, nil
}

// Dir is the store's directory.
func (s *Store) Dir() string { return s.dir }

// Close closes every open stream and releases the directory. Appends in
// flight finish first.
func (s *Store) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	streams := make([]*stream, 0, len(s.open))
	for _, st := range s.open {
		streams = append(streams, st)
	}
	s.open = map[StreamID]*stream{}
	s.lru.Init()
	s.mu.Unlock()
	for _, st := range streams {
		<-st.ready
		st.writeMu.Lock()
		st.seal()
		st.closeLocked()
		st.writeMu.Unlock()
	}
	return unlockDir(s.lock)
}

func (s *Store) groupDir(g uint64) string { return filepath.Join(s.dir, fmt.Sprintf("%016x", g)) }
func (s *Store) streamDir(id StreamID) string {
	return filepath.Join(s.groupDir(id.Group), fmt.Sprintf("%016x", id.Stream))
}

// acquire returns the open stream, loading it if needed. Call release.
func (s *Store) acquire(id StreamID) (*stream, error) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil, ErrClosed
	}
	if st := s.open[id]; st != nil {
		st.users++
		s.lru.MoveToFront(st.elem)
		s.mu.Unlock()
		<-st.ready
		if st.err != nil {
			s.release(st)
			return nil, st.err
		}
		return st, nil
	}
	st := &stream{id: id, dir: s.streamDir(id), s: s, users: 1, ready: make(chan struct{})}
	s.open[id] = st
	st.elem = s.lru.PushFront(st)
	s.mu.Unlock()

	err := st.load()
	s.mu.Lock()
	if err != nil {
		st.err = fmt.Errorf("logstore: open stream %s: %w", id, err)
		s.dropLocked(st)
	}
	close(st.ready)
	s.mu.Unlock()
	if err != nil {
		s.release(st)
		return nil, st.err
	}
	return st, nil
}

func (s *Store) release(st *stream) {
	s.mu.Lock()
	st.users--
	s.evictLocked()
	s.mu.Unlock()
}

// evictLocked closes idle streams beyond MaxOpenStreams.
func (s *Store) evictLocked() {
	for e := s.lru.Back(); e != nil && len(s.open) > s.opts.MaxOpenStreams; {
		prev := e.Prev()
		st := e.Value.(*stream)
		if st.users == 0 {
			s.dropLocked(st)
			st.writeMu.Lock() // free: nobody uses the stream
			st.seal()
			st.closeLocked()
			st.writeMu.Unlock()
		}
		e = prev
	}
}

func (s *Store) dropLocked(st *stream) {
	if s.open[st.id] == st {
		delete(s.open, st.id)
	}
	if st.elem != nil {
		s.lru.Remove(st.elem)
		st.elem = nil
	}
}

// forget drops a stream whose state is uncertain, so that the next use
// reopens it from disk.
func (s *Store) forget(st *stream) {
	s.mu.Lock()
	s.dropLocked(st)
	delete(s.groupBytes, st.id.Group)
	s.mu.Unlock()
}

// Append writes events to a stream, in order, with sequence numbers
// following the stream's last, all with ingestion time ing. It returns
// once the events are durable. The stream's directory is created on
// first use.
func (s *Store) Append(id StreamID, evs []Input, ing int64) (first, last uint64, err error) {
	for attempt := 0; ; attempt++ {
		st, err := s.acquire(id)
		if err != nil {
			return 0, 0, err
		}
		st.writeMu.Lock()
		first, last, err = st.appendBatch(evs, ing)
		st.writeMu.Unlock()
		s.release(st)
		if errors.Is(err, errStreamClosed) && attempt < 3 {
			continue
		}
		return first, last, err
	}
}

// Stats summarizes a stream's stored events.
type Stats struct {
	Count     uint64 // events stored
	FirstSeq  uint64 // of the oldest stored event (0 when none)
	LastSeq   uint64 // the last sequence number handed out (0 when none)
	MinTS     int64  // smallest timestamp (when Count > 0)
	MaxTS     int64  // largest timestamp (when Count > 0)
	MaxIngest int64  // latest ingestion time (when Count > 0)
	Bytes     int64  // bytes of segment files
	MsgBytes  int64  // bytes of messages
}

// Stats returns a stream's summary; a stream never written has zero Stats.
func (s *Store) Stats(id StreamID) (Stats, error) {
	st, err := s.acquire(id)
	if err != nil {
		return Stats{}, err
	}
	segs, last := st.snapshot()
	s.release(st)
	sum := emptyBlock(0)
	var bytes int64
	for _, seg := range segs {
		sum.merge(seg.sum)
		bytes += seg.size
	}
	out := Stats{Count: uint64(sum.Count), LastSeq: last, Bytes: bytes, MsgBytes: sum.MsgBytes}
	if sum.Count > 0 {
		out.FirstSeq, out.MinTS, out.MaxTS, out.MaxIngest = sum.FirstSeq, sum.MinTS, sum.MaxTS, sum.MaxIngest
	}
	return out, nil
}

// DeleteStream removes a stream and its files.
func (s *Store) DeleteStream(id StreamID) error {
	s.closeStreams(id.Group, func(o StreamID) bool { return o == id })
	if err := os.RemoveAll(s.streamDir(id)); err != nil {
		return s.ioErr("delete stream "+id.String(), err)
	}
	return nil
}

// DeleteGroup removes every stream of a group and the group's directory.
func (s *Store) DeleteGroup(g uint64) error {
	s.closeStreams(g, func(o StreamID) bool { return o.Group == g })
	if err := os.RemoveAll(s.groupDir(g)); err != nil {
		return s.ioErr(fmt.Sprintf("delete group %016x", g), err)
	}
	return nil
}

// closeStreams closes and forgets the open streams that match, marking
// them deleted so that appends in flight on them fail.
func (s *Store) closeStreams(group uint64, match func(StreamID) bool) {
	s.mu.Lock()
	var hit []*stream
	for id, st := range s.open {
		if match(id) {
			hit = append(hit, st)
			s.dropLocked(st)
		}
	}
	delete(s.groupBytes, group)
	s.mu.Unlock()
	for _, st := range hit {
		<-st.ready
		st.writeMu.Lock()
		st.deleted = true
		st.closeLocked()
		st.writeMu.Unlock()
	}
}

// Groups lists the group directories on disk.
func (s *Store) Groups() ([]uint64, error) { return listHex(s.dir) }

// Streams lists a group's stream directories on disk.
func (s *Store) Streams(g uint64) ([]uint64, error) { return listHex(s.groupDir(g)) }

func listHex(dir string) ([]uint64, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []uint64
	for _, e := range entries {
		if !e.IsDir() || len(e.Name()) != 16 {
			continue
		}
		if n, err := strconv.ParseUint(e.Name(), 16, 64); err == nil {
			out = append(out, n)
		}
	}
	return out, nil
}

// GroupBytes is the size of a group's segment files.
func (s *Store) GroupBytes(g uint64) int64 {
	s.mu.Lock()
	n, ok := s.groupBytes[g]
	s.mu.Unlock()
	if ok {
		return n
	}
	var total int64
	_ = filepath.WalkDir(s.groupDir(g), func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && filepath.Ext(path) == ".seg" {
			if info, err := d.Info(); err == nil {
				total += info.Size()
			}
		}
		return nil
	})
	s.mu.Lock()
	s.groupBytes[g] = total
	s.mu.Unlock()
	return total
}

func (s *Store) addGroupBytes(g uint64, n int64) {
	s.mu.Lock()
	if cur, ok := s.groupBytes[g]; ok {
		s.groupBytes[g] = cur + n
	}
	s.mu.Unlock()
}

func (s *Store) fault(op string) error {
	if s.opts.Fault != nil {
		return s.opts.Fault(op)
	}
	return nil
}

// ioErr wraps a file-system error, marking a full disk with ErrNoSpace.
func (s *Store) ioErr(what string, err error) error {
	if errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) {
		return fmt.Errorf("logstore: %s: %w (%w)", what, ErrNoSpace, err)
	}
	return fmt.Errorf("logstore: %s: %w", what, err)
}

func (s *Store) getBuf() *[]byte { return s.bufs.Get().(*[]byte) }
func (s *Store) putBuf(b *[]byte) {
	if cap(*b) > 4<<20 {
		return
	}
	*b = (*b)[:0]
	s.bufs.Put(b)
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
