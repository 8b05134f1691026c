package agent

// Fakes for the awslogs driver's tests: Docker's log streams (the
// multiplexed format with timestamps, honouring since and follow) and
// CloudWatch Logs' sink.

import (
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/quayside/quayside/internal/docker"
	"github.com/quayside/quayside/internal/logs"
)

// fakeLogs holds containers' output by Docker ID and serves it as
// ContainerLogs does. A follow stream ends once running says the
// container has stopped (by default, once Stop was called).
type fakeLogs struct {
	running func(id string) bool

	mu      sync.Mutex
	lines   map[string][]docker.LogLine
	stopped map[string]bool
	changed chan struct{}  // closed and replaced on every change
	served  map[string]int // lines written to streams, by ID
	opens   []docker.LogsOptions
	// cut, if set for an ID, ends follow streams of the stopped container
	// after that many lines, as Docker's json-file follower can.
	cut map[string]int
	// tty, if set for an ID, serves its log as raw text, as Docker serves
	// the log of a container with a TTY.
	tty map[string]bool
}

func newFakeLogs() *fakeLogs {
	f := &fakeLogs{lines: map[string][]docker.LogLine{}, stopped: map[string]bool{},
		changed: make(chan struct{}), served: map[string]int{}, cut: map[string]int{}, tty: map[string]bool{}}
	f.running = func(id string) bool {
		f.mu.Lock()
		defer f.mu.Unlock()
		return !f.stopped[id]
	}
	return f
}

func (f *fakeLogs) notifyLocked() {
	close(f.changed)
	f.changed = make(chan struct{})
}

// Write appends a line the container wrote at t.
func (f *fakeLogs) Write(id string, s docker.Stream, text string, t time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.lines[id] = append(f.lines[id], docker.LogLine{Stream: s, Text: text, Time: t.UTC()})
	f.notifyLocked()
}

// Stop marks the container stopped: follow streams end.
func (f *fakeLogs) Stop(id string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.stopped[id] = true
	f.notifyLocked()
}

// Served is how many lines of id were written to streams.
func (f *fakeLogs) Served(id string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.served[id]
}

// Opens returns the options of every stream opened.
func (f *fakeLogs) Opens() []docker.LogsOptions {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]docker.LogsOptions(nil), f.opens...)
}

func (f *fakeLogs) ContainerInspect(_ context.Context, id string) (*docker.Container, error) {
	c := &docker.Container{ID: id}
	c.State.Running = f.running(id)
	return c, nil
}

func (f *fakeLogs) ContainerLogs(ctx context.Context, id string, opts docker.LogsOptions) (io.ReadCloser, error) {
	f.mu.Lock()
	f.opens = append(f.opens, opts)
	f.mu.Unlock()
	pr, pw := io.Pipe()
	go func() {
		next, sent := 0, 0
		if n, err := strconv.Atoi(opts.Tail); err == nil {
			f.mu.Lock()
			next = max(0, len(f.lines[id])-n)
			f.mu.Unlock()
		}
		for {
			f.mu.Lock()
			lines, changed, cut := f.lines[id], f.changed, f.cut[id]
			f.mu.Unlock()
			for ; next < len(lines); next++ {
				l := lines[next]
				if !opts.Since.IsZero() && l.Time.Before(opts.Since) {
					continue
				}
				if opts.Follow && cut > 0 && sent == cut && !f.running(id) {
					pw.Close()
					return
				}
				sent++
				frame := logFrame(l)
				if f.tty[id] {
					frame = []byte(l.Time.Format("2006-01-02T15:04:05.000000000Z07:00") + " " + l.Text + "\r\n")
				}
				if _, err := pw.Write(frame); err != nil {
					return
				}
				f.mu.Lock()
				f.served[id]++
				f.mu.Unlock()
			}
			if !opts.Follow || !f.running(id) {
				// Lines written just before the stop are still sent.
				f.mu.Lock()
				more := len(f.lines[id]) > next
				f.mu.Unlock()
				if !more {
					pw.Close()
					return
				}
				continue
			}
			select {
			case <-changed:
			case <-time.After(5 * time.Millisecond): // the container may have stopped
			case <-ctx.Done():
				pw.CloseWithError(ctx.Err())
				return
			}
		}
	}()
	return pr, nil
}

// logFrame is one line in Docker's multiplexed format, with its
// timestamp as Docker writes it.
func logFrame(l docker.LogLine) []byte {
	payload := l.Time.Format("2006-01-02T15:04:05.000000000Z07:00") + " " + l.Text + "\n"
	b := make([]byte, 8, 8+len(payload))
	b[0] = byte(l.Stream)
	binary.BigEndian.PutUint32(b[4:], uint32(len(payload)))
	return append(b, payload...)
}

// fakeSink is CloudWatch Logs as the sink shows it: groups, streams and
// their events, in the order stored.
type fakeSink struct {
	mu       sync.Mutex
	groups   map[string]bool
	streams  map[string][]logs.Event // by "group|stream"
	puts     []int                   // events per Put
	fail     int                     // the next fail Puts answer ServiceUnavailableException
	delay    time.Duration           // each Put takes this long
	block    chan struct{}           // if set, Puts wait until it is closed
	afterPut func(n int)             // called after each stored Put with the count of Puts
}

func newFakeSink(groups ...string) *fakeSink {
	s := &fakeSink{groups: map[string]bool{}, streams: map[string][]logs.Event{}}
	for _, g := range groups {
		s.groups[g] = true
	}
	return s
}

var groupMissing = &logs.SinkError{Code: "ResourceNotFoundException", Message: "The specified log group does not exist."}

func (s *fakeSink) Prepare(_ context.Context, _, _, group, stream string, create bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.groups[group] {
		if !create {
			return groupMissing
		}
		s.groups[group] = true
	}
	if _, ok := s.streams[group+"|"+stream]; !ok {
		s.streams[group+"|"+stream] = nil
	}
	return nil
}

func (s *fakeSink) Put(ctx context.Context, region, account, group, stream string, events []logs.Event, create bool) error {
	s.mu.Lock()
	block, delay := s.block, s.delay
	s.mu.Unlock()
	if block != nil {
		<-block
	}
	time.Sleep(delay)
	s.mu.Lock()
	if s.fail > 0 {
		s.fail--
		s.mu.Unlock()
		return &logs.SinkError{Code: "ServiceUnavailableException", Message: "The log store is out of disk space."}
	}
	if !s.groups[group] && !create {
		s.mu.Unlock()
		return groupMissing
	}
	s.groups[group] = true
	for _, e := range events {
		if e.Message != "" {
			s.streams[group+"|"+stream] = append(s.streams[group+"|"+stream], e)
		}
	}
	s.puts = append(s.puts, len(events))
	n, after := len(s.puts), s.afterPut
	s.mu.Unlock()
	if after != nil {
		after(n)
	}
	return nil
}

// Events returns the stored events of a stream.
func (s *fakeSink) Events(group, stream string) []logs.Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]logs.Event(nil), s.streams[group+"|"+stream]...)
}

// Messages returns the stored messages of a stream.
func (s *fakeSink) Messages(group, stream string) []string {
	var out []string
	for _, e := range s.Events(group, stream) {
		out = append(out, e.Message)
	}
	return out
}

// Streams returns the names of every stream, "group|stream".
func (s *fakeSink) Streams() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for k := range s.streams {
		out = append(out, k)
	}
	return out
}

// Puts returns the number of events of each stored Put.
func (s *fakeSink) Puts() []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]int(nil), s.puts...)
}

var (
	_ logSource = (*fakeLogs)(nil)
	_ LogSink   = (*fakeSink)(nil)
)

// testShipper returns a shipper of container "app" (Docker ID "id-app")
// with quick timings, whose saved cursors are sent on saves.
func testShipper(t *testing.T, cfg awslogsConfig, src logSource, sink LogSink, cursor time.Time) (*shipper, *cursorLog) {
	t.Helper()
	saves := &cursorLog{}
	if cfg.Group == "" {
		cfg.Group = "/ecs/test"
	}
	if cfg.Stream == "" {
		cfg.Stream = "web/app/0123"
	}
	s := newShipper("app", "id-app", cfg, src, sink, cursor, saves.save, time.Now, slog.New(slog.DiscardHandler))
	s.timing = shipTiming{batchLines: 5000, batchWait: 5 * time.Millisecond, saveEvery: 20 * time.Millisecond,
		joinWait: 100 * time.Millisecond, retryMax: 20 * time.Millisecond}
	return s, saves
}

// cursorLog records the cursors a shipper saved.
type cursorLog struct {
	mu    sync.Mutex
	saved []time.Time
}

func (c *cursorLog) save(_ context.Context, at time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.saved = append(c.saved, at)
	return nil
}

func (c *cursorLog) last() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.saved) == 0 {
		return time.Time{}
	}
	return c.saved[len(c.saved)-1]
}

// lineText is the text of test line i.
func lineText(i int) string { return fmt.Sprintf("line %06d", i) }
