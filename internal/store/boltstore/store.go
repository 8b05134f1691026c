package boltstore

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"github.com/quayside/quayside/internal/store"
)

var _ store.Store = (*Store)(nil)

// ErrInUse is returned by Open when another process holds the data file.
var ErrInUse = errors.New("data dir is in use by another quayside process")

// Defaults for Options.
const (
	DefaultWatchBuffer = 256
	DefaultLockTimeout = time.Second
	// Deprecated: see Options.MaxBatchDelay.
	DefaultMaxBatchDelay = time.Millisecond
)

// Options tune a Store. The zero value is ready to use.
type Options struct {
	// Logger receives migration and watcher messages. Default: discard.
	Logger *slog.Logger
	// WatchBuffer is how many batches a watcher may fall behind before it
	// is told to resync. Default: DefaultWatchBuffer.
	WatchBuffer int
	// LockTimeout is how long Open waits for another process to release
	// the file. Default: DefaultLockTimeout.
	LockTimeout time.Duration
	// MaxBatchDelay is ignored: writers no longer wait for others to
	// share their commit. A lone writer commits at once, and the writers
	// that arrive while a commit is being written share the next one
	// (see commit.go).
	//
	// Deprecated: kept so that existing configurations still compile.
	MaxBatchDelay time.Duration
}

func (o Options) withDefaults() Options {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.WatchBuffer <= 0 {
		o.WatchBuffer = DefaultWatchBuffer
	}
	if o.LockTimeout <= 0 {
		o.LockTimeout = DefaultLockTimeout
	}
	return o
}

// Store is a store.Store kept in one bbolt file.
type Store struct {
	db      *bolt.DB
	hub     *hub
	commits *committer

	mu     sync.RWMutex // guards closed and wg.Add
	closed bool
	wg     sync.WaitGroup // transactions in flight
}

// Open opens or creates the store file at path and brings its layout up to
// date. It fails with ErrInUse if another process has the file open, and
// with ErrSchemaTooNew if a newer Quayside wrote it.
func Open(path string, opts Options) (*Store, error) {
	return open(path, opts, migrations)
}

func open(path string, opts Options, list []migration) (*Store, error) {
	opts = opts.withDefaults()
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: opts.LockTimeout})
	if errors.Is(err, berrors.ErrTimeout) {
		return nil, fmt.Errorf("open store %s: %w", path, ErrInUse)
	}
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}

	var from, to uint64
	var rev int64
	err = db.Update(func(tx *bolt.Tx) error {
		var err error
		if from, to, err = migrate(tx, list); err != nil {
			return err
		}
		rev = readRevision(tx)
		return nil
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	if from != to {
		opts.Logger.Info("store schema migrated", "path", path, "from", from, "to", to)
	}
	return &Store{db: db, hub: newHub(opts.Logger, opts.WatchBuffer, rev), commits: newCommitter(db)}, nil
}

// begin admits one operation, or refuses it if ctx is done or the store is
// closed. The caller must call s.end when an admitted operation ends.
func (s *Store) begin(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return store.ErrClosed
	}
	s.wg.Add(1)
	return nil
}

// end ends an operation that begin admitted.
func (s *Store) end() { s.wg.Done() }

// View runs fn in a read-only bbolt transaction.
func (s *Store) View(ctx context.Context, fn func(store.ReadTx) error) error {
	if err := s.begin(ctx); err != nil {
		return err
	}
	defer s.end()
	return s.db.View(func(tx *bolt.Tx) error {
		return fn(&readTx{tx: tx})
	})
}

// Update runs fn in a write transaction that may share its commit with
// other writers (commit.go). It returns once the commit is on disk.
func (s *Store) Update(ctx context.Context, fn func(store.Tx) error) error {
	if err := s.begin(ctx); err != nil {
		return err
	}
	defer s.end()
	return s.commits.do(func(tx *bolt.Tx) error {
		rev, err := bumpRevision(tx)
		if err != nil {
			return err
		}
		wtx := &writeTx{readTx: readTx{tx: tx, rev: rev}}
		if err := fn(wtx); err != nil {
			return err
		}
		// Registered per run: a run that is rolled back and retried drops
		// its handler with its transaction.
		events := wtx.events
		tx.OnCommit(func() { s.hub.publish(rev, events) })
		return nil
	})
}

// Watch streams the batches committed after the call.
func (s *Store) Watch(ctx context.Context, tables ...string) <-chan store.Batch {
	if err := s.begin(ctx); err != nil {
		return closedChan()
	}
	defer s.end()
	return s.hub.watch(ctx, tables, func() (rev int64, err error) {
		err = s.db.View(func(tx *bolt.Tx) error {
			rev = readRevision(tx)
			return nil
		})
		return rev, err
	})
}

// Close waits for transactions in flight, closes every watcher and the
// file. Calling Close again returns nil.
func (s *Store) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	s.mu.Unlock()

	s.wg.Wait()
	s.commits.stop()
	s.hub.close()
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("close store: %w", err)
	}
	return nil
}
