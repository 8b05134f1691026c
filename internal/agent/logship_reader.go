package agent

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"strconv"
	"time"

	"github.com/quayside/quayside/internal/docker"
)

// logSource is what a shipper needs of Docker: the container's log
// stream, and whether the container still runs when the stream ends.
// *docker.Client has both; the agent's Docker interface is asserted to
// it, so that a Docker without logs (a test fake) simply ships nothing.
type logSource interface {
	ContainerLogs(ctx context.Context, id string, opts docker.LogsOptions) (io.ReadCloser, error)
	ContainerInspect(ctx context.Context, id string) (*docker.Container, error)
}

// read follows the container's log into q, from the lines after from,
// until the log ends with the container or ctx ends. A broken stream is
// resumed after the newest line read.
func (s *shipper) read(ctx context.Context, q *lineQueue, from time.Time) {
	last := from
	recent := &recentLines{}
	if s.files != nil {
		err := s.followFile(ctx, q, &last, recent)
		if err == nil || ctx.Err() != nil {
			return
		}
		if errors.Is(err, errLogGap) {
			s.log.Warn("cannot follow the container's log files; reading its log through Docker", "err", err, "after", last)
		} else {
			s.log.Debug("reading the container's log through Docker", "reason", err)
		}
	}
	backoff := 200 * time.Millisecond
	for ctx.Err() == nil {
		err := s.readStream(ctx, q, &last, recent)
		if ctx.Err() != nil {
			return
		}
		if err == nil {
			// The stream ends when the container stops. If it still runs
			// (the daemon closed the stream for its own reasons), resume.
			c, ierr := s.src.ContainerInspect(ctx, s.id)
			if ierr == nil && c.State.Running {
				continue
			}
			if ierr == nil {
				err = s.catchUp(ctx, q, from, last, recent)
				if err == nil || docker.IsNotFound(err) || ctx.Err() != nil {
					return
				}
			} else {
				err = ierr
			}
		}
		if docker.IsNotFound(err) {
			return // removed behind our back: nothing more to read
		}
		var refused *docker.Error
		if errors.As(err, &refused) {
			// The daemon will not serve this log (a logging driver it
			// cannot read, say): asking again will not help.
			s.log.Error("Docker cannot serve the container's log; its output is not shipped", "err", err)
			return
		}
		s.log.Warn("container log stream broke; resuming", "err", err, "in", backoff)
		select {
		case <-ctx.Done():
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 5*time.Second)
	}
}

// readStream follows the container's log from Docker: every line after
// *last (lines at or before it were read or shipped already), moving
// *last to the newest line queued. It returns nil when the stream ends.
// Lines keep the order Docker sends them in, which is not quite the
// order of their timestamps: Docker stamps stdout and stderr apart.
func (s *shipper) readStream(ctx context.Context, q *lineQueue, last *time.Time, recent *recentLines) error {
	skip := *last
	return s.readLog(ctx, docker.LogsOptions{Follow: true, Since: skip}, func(l docker.LogLine) bool {
		if !l.Time.IsZero() && !l.Time.After(skip) {
			return true
		}
		if !q.put(ctx, l, s.now()) {
			return false
		}
		recent.add(l)
		if l.Time.After(*last) {
			*last = l.Time
		}
		return true
	})
}

// catchUpTail is how many of the last lines catchUp reads first.
const catchUpTail = 1000

// catchUp queues the lines a follow stream ending with the container did
// not send. Docker's json-file follower can stop short when the container
// exits while it is behind, at a log rotation: the last lines of a crash
// must not be lost to it. The tail of the log usually holds the last line
// read, which says where the stream stopped; a tail that does not is the
// whole log if it is short (then the lines after from, the shipper's
// starting cursor, are new), or else the log is read again after last.
func (s *shipper) catchUp(ctx context.Context, q *lineQueue, from, last time.Time, recent *recentLines) error {
	var tail []docker.LogLine
	err := s.readLog(ctx, docker.LogsOptions{Tail: strconv.Itoa(catchUpTail)}, func(l docker.LogLine) bool {
		tail = append(tail, l)
		return true
	})
	if err != nil {
		return err
	}
	seen := recent.set()
	var missed []docker.LogLine
	switch at := lastSeen(tail, seen); {
	case at >= 0:
		missed = tail[at+1:]
	case len(tail) < catchUpTail:
		for _, l := range tail {
			if l.Time.IsZero() || l.Time.After(from) {
				missed = append(missed, l)
			}
		}
	default:
		s.log.Warn("Docker's log stream ended early; reading the log again from the cursor", "after", last)
		return s.readLog(ctx, docker.LogsOptions{Since: last}, func(l docker.LogLine) bool {
			if !l.Time.IsZero() && !l.Time.After(last) {
				return true
			}
			return q.put(ctx, l, s.now())
		})
	}
	if len(missed) > 0 {
		s.log.Warn("Docker's log stream ended early; its last lines were read again", "lines", len(missed))
	}
	for _, l := range missed {
		if _, dup := seen[keyOf(l)]; dup {
			continue
		}
		if !q.put(ctx, l, s.now()) {
			return ctx.Err()
		}
	}
	return nil
}

// lastSeen is the index of the last line of tail that was read, or -1.
func lastSeen(tail []docker.LogLine, seen map[lineKey]bool) int {
	for i := len(tail) - 1; i >= 0; i-- {
		if seen[keyOf(tail[i])] {
			return i
		}
	}
	return -1
}

// readLog reads one log stream of the container, with timestamps, and
// hands each line to fn until fn returns false (it then returns
// ctx.Err()) or the stream ends (nil).
func (s *shipper) readLog(ctx context.Context, opts docker.LogsOptions, fn func(docker.LogLine) bool) error {
	opts.Timestamps = true
	rc, err := s.src.ContainerLogs(ctx, s.id, opts)
	if err != nil {
		return err
	}
	defer rc.Close()
	br := bufio.NewReaderSize(rc, 256<<10)
	next := docker.NewLogReader(br, true).Next
	if s.cfg.TTY {
		next = rawLines(br)
	}
	for {
		l, err := next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if !fn(l) {
			return ctx.Err()
		}
	}
}

// rawLines reads the log of a container with a TTY, which Docker sends as
// text, each line after its timestamp and a space, ending "\r\n".
func rawLines(r *bufio.Reader) func() (docker.LogLine, error) {
	var buf []byte
	return func() (docker.LogLine, error) {
		for {
			chunk, err := r.ReadSlice('\n')
			buf = append(buf, chunk...)
			if errors.Is(err, bufio.ErrBufferFull) && len(buf) < docker.MaxLogLine {
				continue
			}
			if len(buf) == 0 && err != nil {
				return docker.LogLine{}, err
			}
			line := bytes.TrimRight(buf, "\r\n")
			l := docker.LogLine{Stream: docker.Stdout, Partial: err != nil}
			if ts, text, ok := bytes.Cut(line, []byte(" ")); ok {
				if t, perr := time.Parse(time.RFC3339Nano, string(ts)); perr == nil {
					l.Time, line = t, text
				}
			}
			l.Text = string(line)
			buf = buf[:0]
			return l, nil
		}
	}
}

// recentLines remembers the last lines read, to find where a log read
// again overlaps them. A line is known by its timestamp, stream and text.
type recentLines struct {
	ring [catchUpTail]docker.LogLine
	n    int // lines added
}

type lineKey struct {
	t    int64
	s    docker.Stream
	text string
}

func keyOf(l docker.LogLine) lineKey { return lineKey{l.Time.UnixNano(), l.Stream, l.Text} }

func (r *recentLines) add(l docker.LogLine) {
	r.ring[r.n%len(r.ring)] = l
	r.n++
}

func (r *recentLines) set() map[lineKey]bool {
	m := make(map[lineKey]bool, min(r.n, len(r.ring)))
	for i := range min(r.n, len(r.ring)) {
		m[keyOf(r.ring[i])] = true
	}
	return m
}

var _ logSource = (*docker.Client)(nil)
