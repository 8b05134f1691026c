package agent

// The awslogs driver's fast path: the shipper reads the container's log
// from the files of Docker's json-file driver itself, instead of having
// the daemon decode and re-encode every line for its logs endpoint (which
// serves about 90,000 lines a second at best). The lines and their
// timestamps are the very ones the logs endpoint would serve, so the
// cursor means the same on both paths and either can take over from the
// other.
//
// The driver keeps the log in LogPath and, with max-size, rotates it:
//
//	LogPath      the file the daemon writes now
//	LogPath.1    the one before it (renamed, never written again)
//	LogPath.2    ...up to max-file files; the oldest is deleted
//
// A file once open stays readable whatever is renamed or deleted, so
// the shipper opens the files that exist (checking that no rotation came
// in between), reads them oldest first, then follows LogPath: at its end
// it polls, and once LogPath is another file it finishes the one it has
// and opens the next (LogPath.k-1 when its own is now LogPath.k). The
// container has stopped, and its log is complete, when Docker's wait
// endpoint says it no longer runs.
//
// Whatever it cannot follow for sure hands over to the logs endpoint
// from the cursor (read): another log driver or a daemon on another host
// (no file to open), compressed rotations, or a file rotated away before
// it was opened.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/quayside/quayside/internal/docker"
)

// logFiles is how a shipper finds a container's json-file log on this
// host and learns that the container stopped.
type logFiles interface {
	// locate returns where the container's log is, or an error if it
	// cannot be read from disk.
	locate(ctx context.Context, id string) (jsonLog, error)
	// waitStopped returns nil once the container no longer runs (or no
	// longer exists).
	waitStopped(ctx context.Context, id string) error
}

// jsonLog is one container's json-file log.
type jsonLog struct {
	path     string // LogPath
	maxFiles int    // max-file: how many files the driver keeps
}

// name is the path of the file k rotations old (0: the current one).
func (l jsonLog) name(k int) string {
	if k == 0 {
		return l.path
	}
	return l.path + "." + strconv.Itoa(k)
}

// Polling the current file at its end: the wait starts at minPoll after
// lines were read and doubles up to maxPoll while none come.
const (
	minPoll = time.Millisecond
	maxPoll = 100 * time.Millisecond
	// fileChunk is how much of a file is read at once.
	fileChunk = 256 << 10
)

// errLogGap means a file of the log was rotated away, or compressed,
// before the shipper could open it.
var errLogGap = errors.New("json-file log rotated beyond what the shipper can follow")

// followFile ships the container's log from its files, after *last. It
// returns nil once the container has stopped and its whole log is
// queued, ctx.Err() when ctx ends, and any other error when the logs
// endpoint must take over from *last.
func (s *shipper) followFile(ctx context.Context, q *lineQueue, last *time.Time, recent *recentLines) error {
	jl, err := s.files.locate(ctx, s.id)
	if err != nil {
		return err
	}
	stopped := make(chan struct{})
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go s.watchStop(wctx, stopped)

	files, err := openLogFiles(ctx, jl)
	if err != nil {
		return err
	}
	defer func() {
		for _, f := range files {
			if f != nil {
				f.Close()
			}
		}
	}()
	r := &fileReader{skip: *last, last: last, recent: recent, q: q, now: s.now, buf: make([]byte, fileChunk)}
	r.parser.tty = s.cfg.TTY
	for i, f := range files[:len(files)-1] {
		if err := r.readToEnd(ctx, f); err != nil {
			return err
		}
		f.Close()
		files[i] = nil
		r.newFile()
	}
	cur := files[len(files)-1]
	files = files[len(files)-1:]
	wait := minPoll
	for {
		final := isClosed(stopped) // observed before the read: the log was complete then
		before := r.read
		if err := r.readToEnd(ctx, cur); err != nil {
			return err
		}
		next, err := nextLogFile(ctx, jl, cur)
		if err != nil {
			return err
		}
		if next != nil {
			if err := r.readToEnd(ctx, cur); err != nil { // what came before the rotation
				return err
			}
			cur.Close()
			cur, files[0] = next, next
			r.newFile()
			wait = minPoll
			continue
		}
		if st, err := cur.Stat(); err == nil && st.Size() < r.off {
			// Truncated in place (max-file 1): start again at its top.
			s.log.Warn("Docker truncated the container's log file; lines it held that were not read yet are lost", "file", jl.path)
			r.newFile()
			continue
		}
		if final {
			return r.put(ctx, r.parser.flush(nil))
		}
		if r.read > before {
			wait = minPoll
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-stopped:
		case <-time.After(wait):
		}
		wait = min(2*wait, maxPoll)
	}
}

// watchStop closes stopped once the container no longer runs.
func (s *shipper) watchStop(ctx context.Context, stopped chan<- struct{}) {
	backoff := 100 * time.Millisecond
	for {
		err := s.files.waitStopped(ctx, s.id)
		if err == nil {
			close(stopped)
			return
		}
		if ctx.Err() != nil {
			return
		}
		s.log.Warn("cannot wait for the container to stop; retrying", "err", err, "in", backoff)
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 5*time.Second)
	}
}

func isClosed(c <-chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}

// openLogFiles opens every file of the log, oldest first, as one
// consistent set: no rotation came between the first open and the last.
func openLogFiles(ctx context.Context, jl jsonLog) ([]*os.File, error) {
	for attempt := 0; ; attempt++ {
		files, err := openLogSet(jl)
		if err == nil || !errors.Is(err, errRotating) || attempt == 100 {
			return files, err
		}
		if err := pause(ctx, time.Millisecond); err != nil {
			return nil, err
		}
	}
}

// errRotating means the daemon was rotating the log: try again.
var errRotating = errors.New("json-file log is being rotated")

func openLogSet(jl jsonLog) ([]*os.File, error) {
	var files []*os.File
	closeAll := func() {
		for _, f := range files {
			f.Close()
		}
	}
	for k := 0; k < max(jl.maxFiles, 1); k++ {
		f, err := os.Open(jl.name(k))
		if errors.Is(err, os.ErrNotExist) {
			if k == 0 {
				closeAll()
				if _, err := os.Stat(filepath.Dir(jl.path)); err != nil {
					return nil, err // not on this host, or not visible to the agent
				}
				return nil, errRotating // between the rename and the new file
			}
			if _, err := os.Stat(jl.name(k) + ".gz"); err == nil {
				closeAll()
				return nil, fmt.Errorf("%w: %s is compressed", errLogGap, jl.name(k))
			}
			if _, err := os.Stat(jl.name(k + 1)); err == nil {
				closeAll()
				return nil, errRotating // between two renames
			}
			break
		}
		if err != nil {
			closeAll()
			return nil, err
		}
		files = append(files, f)
	}
	for k, f := range files {
		if !sameFile(f, jl.name(k)) {
			closeAll()
			return nil, errRotating
		}
	}
	for i, j := 0, len(files)-1; i < j; i, j = i+1, j-1 {
		files[i], files[j] = files[j], files[i]
	}
	return files, nil
}

// nextLogFile returns the file that followed cur, once the daemon has
// rotated cur away, or nil while cur is the current file.
func nextLogFile(ctx context.Context, jl jsonLog, cur *os.File) (*os.File, error) {
	if sameFile(cur, jl.path) {
		return nil, nil
	}
	for attempt := 0; ; attempt++ {
		next, err := openNext(jl, cur)
		if err == nil || !errors.Is(err, errRotating) {
			return next, err
		}
		if attempt == 1000 {
			return nil, fmt.Errorf("%w: the next file of %s did not appear", errLogGap, jl.path)
		}
		if err := pause(ctx, time.Millisecond); err != nil {
			return nil, err
		}
	}
}

func openNext(jl jsonLog, cur *os.File) (*os.File, error) {
	if sameFile(cur, jl.path) {
		return nil, nil
	}
	for k := 1; k < max(jl.maxFiles, 2)+1; k++ {
		if !sameFile(cur, jl.name(k)) {
			continue
		}
		next, err := os.Open(jl.name(k - 1))
		if errors.Is(err, os.ErrNotExist) {
			return nil, errRotating
		}
		if err != nil {
			return nil, err
		}
		if !sameFile(cur, jl.name(k)) { // rotated again meanwhile
			next.Close()
			return nil, errRotating
		}
		return next, nil
	}
	if _, err := os.Stat(jl.path); errors.Is(err, os.ErrNotExist) {
		if _, err := os.Stat(jl.name(1)); errors.Is(err, os.ErrNotExist) {
			// No file at all: the container was removed.
			return nil, fmt.Errorf("%w: %s was removed", errLogGap, jl.path)
		}
		return nil, errRotating
	}
	return nil, fmt.Errorf("%w: %s was rotated away unread", errLogGap, cur.Name())
}

// sameFile reports whether name is the file f has open.
func sameFile(f *os.File, name string) bool {
	a, err := f.Stat()
	if err != nil {
		return false
	}
	b, err := os.Stat(name)
	return err == nil && os.SameFile(a, b)
}

func pause(ctx context.Context, d time.Duration) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(d):
		return nil
	}
}

// fileReader reads json-file entries from one file after another and
// queues their lines, skipping those at or before skip.
type fileReader struct {
	parser jsonLogParser
	skip   time.Time
	last   *time.Time // the newest line queued
	recent *recentLines
	q      *lineQueue
	now    func() time.Time

	buf        []byte // buf[start:end] is read and not parsed yet
	start, end int
	off        int64 // bytes of the current file consumed
	read       int64 // bytes read in all
	lines      []docker.LogLine
}

// newFile starts on the next file: nothing of the last one is kept but
// its unterminated lines.
func (r *fileReader) newFile() {
	r.start, r.end, r.off = 0, 0, 0
}

// readToEnd reads f from r.off to its end and queues the lines of its
// complete entries.
func (r *fileReader) readToEnd(ctx context.Context, f *os.File) error {
	for {
		if r.end == len(r.buf) {
			if r.start == 0 { // one entry larger than the buffer
				r.buf = append(r.buf, make([]byte, len(r.buf))...)
			} else {
				r.end = copy(r.buf, r.buf[r.start:r.end])
				r.start = 0
			}
		}
		n, err := f.ReadAt(r.buf[r.end:], r.off+int64(r.end-r.start))
		r.end += n
		r.read += int64(n)
		if n > 0 {
			if perr := r.parse(ctx); perr != nil {
				return perr
			}
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// parse queues the lines of the complete entries in the buffer.
func (r *fileReader) parse(ctx context.Context) error {
	lines := r.lines[:0]
	for {
		i := bytes.IndexByte(r.buf[r.start:r.end], '\n')
		if i < 0 {
			break
		}
		var err error
		lines, err = r.parser.entry(lines, r.buf[r.start:r.start+i])
		if err != nil {
			return err
		}
		r.start += i + 1
		r.off += int64(i + 1)
	}
	r.lines = lines
	return r.put(ctx, lines)
}

// put queues lines after skip.
func (r *fileReader) put(ctx context.Context, lines []docker.LogLine) error {
	if len(lines) == 0 {
		return nil
	}
	now := r.now()
	for i := range lines {
		l := &lines[i]
		if !l.Time.IsZero() && !l.Time.After(r.skip) {
			continue
		}
		if !r.q.put(ctx, *l, now) {
			return ctx.Err()
		}
		r.recent.add(*l)
		if l.Time.After(*r.last) {
			*r.last = l.Time
		}
	}
	clear(lines)
	return nil
}
