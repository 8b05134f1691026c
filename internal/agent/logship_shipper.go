package agent

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/quayside/quayside/internal/docker"
	"github.com/quayside/quayside/internal/logs"
)

// Shipping tunables; tests shrink them.
type shipTiming struct {
	batchLines int           // a batch is sent once it has this many lines,
	batchWait  time.Duration // or once its first line has waited this long
	saveEvery  time.Duration // the durable cursor is written at most this often
	joinWait   time.Duration // a multi-line event still open is sent after this long
	retryMax   time.Duration // longest wait between attempts to store a batch
}

var defaultShipTiming = shipTiming{batchLines: maxBatchEvents, batchWait: 100 * time.Millisecond,
	saveEvery: time.Second, joinWait: 5 * time.Second, retryMax: 5 * time.Second}

// blockingQueueBytes bounds the lines read ahead of the sender in
// blocking mode.
const blockingQueueBytes = 2 << 20

// shipper ships one container's output to its log stream. Its goroutines
// are run's: a reader follows Docker's log from the cursor and queues
// lines; the sender joins them into events, stores them in batches, and
// moves the cursor. The stream ends when the container stops; the
// shipper then sends what is left, saves the cursor and closes done.
type shipper struct {
	container string // the ECS container name
	id        string // the Docker container ID
	cfg       awslogsConfig
	src       logSource
	files     logFiles // if set, the log is read from Docker's files when it can be
	sink      LogSink
	// save writes the cursor durably (the task record's LogCursors).
	save   func(ctx context.Context, cursor time.Time) error
	now    func() time.Time
	log    *slog.Logger
	timing shipTiming

	done   chan struct{}
	cancel context.CancelFunc
	putBuf []logs.Event // the sender's, reused for each batch

	mu      sync.Mutex
	cursor  time.Time // the newest Docker timestamp stored; lines at or before it are skipped
	saved   time.Time // the cursor as last saved
	shipped int       // events stored (or rejected for good by the store)
	dropped int       // lines dropped (non-blocking mode)
}

// newShipper returns a shipper that resumes after cursor.
func newShipper(container, id string, cfg awslogsConfig, src logSource, sink LogSink, cursor time.Time,
	save func(context.Context, time.Time) error, now func() time.Time, log *slog.Logger) *shipper {
	return &shipper{container: container, id: id, cfg: cfg, src: src, sink: sink, save: save, now: now,
		log: log.With("container", container, "log_group", cfg.Group, "log_stream", cfg.Stream), timing: defaultShipTiming,
		done: make(chan struct{}), cursor: cursor, saved: cursor}
}

// run ships until the container's log ends or ctx does.
func (s *shipper) run(ctx context.Context) {
	defer close(s.done)
	limit := blockingQueueBytes
	if s.cfg.NonBlocking {
		limit = s.cfg.MaxBuffer
	}
	q := newLineQueue(limit, s.cfg.NonBlocking)
	s.mu.Lock()
	from := s.cursor
	s.mu.Unlock()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer q.close()
		s.read(ctx, q, from)
	}()
	s.send(ctx, q)
	wg.Wait()
	// The final save, also when ctx ended: what was stored stays stored.
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	s.saveCursor(sctx, true)
}

// state returns the shipper's cursor and counters.
func (s *shipper) state() (cursor time.Time, shipped, dropped int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cursor, s.shipped, s.dropped
}

// send takes lines from q until it closes (or ctx ends), and stores them.
func (s *shipper) send(ctx context.Context, q *lineQueue) {
	j := newJoiner(s.cfg.Multiline)
	var lines []docker.LogLine
	var events []shipEvent
	lastSave := s.now()
	var lastDropLog time.Time
	unreported := 0 // lines dropped and not yet logged
	for {
		var dropped int
		var closed bool
		lines, dropped, closed = q.take(ctx, lines[:0], s.timing.batchLines, s.timing.batchWait, s.timing.saveEvery, s.now)
		if ctx.Err() != nil {
			return // what was not stored is read again by the next shipper
		}
		now := s.now()
		events = j.add(events[:0], lines, now)
		if since, ok := j.pendingSince(); ok && (closed || now.Sub(since) >= s.timing.joinWait) {
			events = j.flush(events)
		}
		if dropped > 0 {
			s.mu.Lock()
			s.dropped += dropped
			s.mu.Unlock()
			unreported += dropped
		}
		if unreported > 0 && (closed || now.Sub(lastDropLog) >= 10*time.Second) {
			s.log.Warn("awslogs buffer full: lines dropped (mode non-blocking)", "dropped", unreported, "max_buffer_size", s.cfg.MaxBuffer)
			unreported, lastDropLog = 0, now
		}
		if len(lines) == 0 && !closed && cap(lines) > idleQueueLines {
			lines, events, s.putBuf = nil, nil, nil // idle: let a burst's arrays go
		}
		for rest := events; len(rest) > 0; {
			n := min(nextBatch(rest), s.timing.batchLines)
			if err := s.put(ctx, rest[:n]); err != nil {
				return
			}
			rest = rest[n:]
		}
		clear(events) // keep the array, not the messages
		if closed {
			return
		}
		if now.Sub(lastSave) >= s.timing.saveEvery {
			lastSave = now
			s.saveCursor(ctx, false)
		}
	}
}

// put stores one batch and moves the cursor past it, retrying while the
// log store is unavailable. A batch the store rejects (its group was
// deleted, a bad name) is dropped, as Docker's driver drops it. It
// returns an error only when ctx ends.
func (s *shipper) put(ctx context.Context, batch []shipEvent) error {
	evs := s.putBuf[:0]
	newest := time.Time{}
	for i := range batch {
		evs = append(evs, batch[i].Event)
		if batch[i].last.After(newest) {
			newest = batch[i].last
		}
	}
	backoff := 100 * time.Millisecond
	for attempt := 0; ; attempt++ {
		err := s.sink.Put(ctx, s.cfg.Region, s.cfg.Account, s.cfg.Group, s.cfg.Stream, evs, s.cfg.CreateGroup)
		if err == nil {
			break
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		var se *logs.SinkError
		if errors.As(err, &se) && se.Code != "ServiceUnavailableException" {
			s.log.Error("CloudWatch Logs rejected a batch; dropping it", "err", err, "events", len(evs))
			break
		}
		if attempt == 0 || backoff >= s.timing.retryMax {
			s.log.Warn("cannot store log events; retrying", "err", err, "events", len(evs))
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, s.timing.retryMax)
	}
	s.mu.Lock()
	if newest.After(s.cursor) {
		s.cursor = newest
	}
	s.shipped += len(evs)
	s.mu.Unlock()
	clear(evs)
	s.putBuf = evs[:0]
	return nil
}

// saveCursor writes the cursor if it moved since the last save. A failed
// save is retried at the next one; only the final one is worth a log.
func (s *shipper) saveCursor(ctx context.Context, final bool) {
	s.mu.Lock()
	cur, saved := s.cursor, s.saved
	s.mu.Unlock()
	if !cur.After(saved) {
		return
	}
	if err := s.save(ctx, cur); err != nil {
		if final {
			s.log.Warn("cannot save the awslogs cursor; a restarted agent may ship some lines again", "err", err)
		}
		return
	}
	s.mu.Lock()
	s.saved = cur
	s.mu.Unlock()
}
