package boltstore

import (
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// Group commit. Every Update hands its closure to one committer goroutine
// and waits. The committer takes every closure queued at that moment,
// runs them in one bbolt transaction and commits it with one fsync; the
// writers that arrive meanwhile queue up for the next commit:
//
//	writers ──▶ queue ──▶ committer: take all queued ─▶ run each ─▶ commit+fsync ─▶ answer each
//	                          ▲                                                        │
//	                          └────────────────────────────────────────────────────────┘
//
// A lone writer commits at once, and under load a commit serves everyone
// who came while the previous one was being written. (bbolt's own Batch
// closes a batch after a fixed delay, so under load a chain of small
// batches waits on the write lock, each for its own fsync.)
//
// As in bbolt's Batch, when one closure fails the transaction is rolled
// back, that writer reruns its closure alone in its own transaction for a
// definite answer, and the others are run again without it.

// maxBatch bounds the writers sharing one commit.
const maxBatch = 256

// errSolo tells a writer to run its closure alone.
var errSolo = errors.New("boltstore: run alone")

// write is one Update waiting for its commit.
type write struct {
	fn   func(*bolt.Tx) error
	done chan error // buffered: the committer never waits for the writer
}

// committer owns the goroutine that commits queued writes.
type committer struct {
	db      *bolt.DB
	queue   chan *write
	stopped chan struct{}
}

func newCommitter(db *bolt.DB) *committer {
	c := &committer{db: db, queue: make(chan *write, maxBatch), stopped: make(chan struct{})}
	go c.run()
	return c
}

// do commits fn, sharing the commit with other writers, and returns its
// result once the commit is on disk.
func (c *committer) do(fn func(*bolt.Tx) error) error {
	w := &write{fn: fn, done: make(chan error, 1)}
	c.queue <- w
	if err := <-w.done; err != errSolo {
		return err
	}
	return c.db.Update(fn) // a panic here is the writer's own, as in bbolt
}

// stop ends the goroutine once the queue is drained. No do may be running
// or start after it is called.
func (c *committer) stop() {
	close(c.queue)
	<-c.stopped
}

func (c *committer) run() {
	defer close(c.stopped)
	batch := make([]*write, 0, maxBatch)
	for w := range c.queue {
		batch = append(batch[:0], w)
	fill:
		for len(batch) < maxBatch {
			select {
			case w, ok := <-c.queue:
				if !ok {
					break fill
				}
				batch = append(batch, w)
			default:
				break fill
			}
		}
		c.commit(batch)
		clear(batch) // let finished writes be collected
	}
}

// commit runs the batch's closures in one transaction and answers each
// writer.
func (c *committer) commit(batch []*write) {
	for len(batch) > 0 {
		failed := -1
		err := c.db.Update(func(tx *bolt.Tx) error {
			for i, w := range batch {
				if err := safely(w.fn, tx); err != nil {
					failed = i
					return err
				}
			}
			return nil
		})
		if failed < 0 {
			for _, w := range batch {
				w.done <- err // nil, or the commit's own error
			}
			return
		}
		batch[failed].done <- errSolo
		batch = append(batch[:failed], batch[failed+1:]...)
	}
}

// safely calls fn, turning a panic into an error so that one writer's
// bug does not take the committer down with everyone's writes.
func safely(fn func(*bolt.Tx) error, tx *bolt.Tx) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("boltstore: panic in Update: %v", p)
		}
	}()
	return fn(tx)
}
