package registry

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"log/slog"
	"path/filepath"
	"sync"
	"time"

	"github.com/quayside/quayside/internal/ecr"
	"github.com/quayside/quayside/internal/ecr/ecrauth"
	"github.com/quayside/quayside/internal/ecr/ecrdb"
	"github.com/quayside/quayside/internal/registry/blobstore"
	"github.com/quayside/quayside/internal/store"
)

// Defaults of Config.
const (
	DefaultGCInterval         = time.Hour
	DefaultGCGrace            = 24 * time.Hour
	DefaultUploadTTL          = 24 * time.Hour
	DefaultPullRecordInterval = time.Minute
)

// Config configures a Registry.
type Config struct {
	DataDir string
	Log     *slog.Logger
	Now     func() time.Time // default time.Now
	Rand    io.Reader        // upload IDs; default crypto/rand

	// GCInterval is how often Run collects garbage (negative: never).
	GCInterval time.Duration
	// GCGrace keeps unreferenced blobs this long after their last upload,
	// mount or read.
	GCGrace time.Duration
	// UploadTTL cancels uploads idle this long.
	UploadTTL time.Duration
	// PullRecordInterval is the least time between two writes of one
	// image's lastRecordedPullTime.
	PullRecordInterval time.Duration
}

func (c *Config) defaults() {
	if c.Log == nil {
		c.Log = slog.New(slog.DiscardHandler)
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Rand == nil {
		c.Rand = rand.Reader
	}
	if c.GCInterval == 0 {
		c.GCInterval = DefaultGCInterval
	}
	if c.GCGrace == 0 {
		c.GCGrace = DefaultGCGrace
	}
	if c.UploadTTL == 0 {
		c.UploadTTL = DefaultUploadTTL
	}
	if c.PullRecordInterval == 0 {
		c.PullRecordInterval = DefaultPullRecordInterval
	}
}

// Registry is the ECR data plane over a store and a data dir.
type Registry struct {
	cfg   Config
	log   *slog.Logger
	st    store.Store
	blobs *blobstore.Store
	auth  *ecrauth.Auth
	*shared
}

// shared is the in-memory coordination of one data dir: the locks that
// make blob removal safe, recent reads and pull times. Every Registry
// opened on the same data dir in a process shares it, so that (say) the
// OCI handler and the ECR API may each Open one.
type shared struct {
	digestLocks keyedMutex
	uploadLocks keyedMutex
	reads       accessLog
	pulls       pullRecorder
	gcMu        sync.Mutex
}

var (
	sharedMu sync.Mutex
	sharedBy = map[string]*shared{}
)

func sharedFor(dataDir string, pullEvery time.Duration) *shared {
	key, err := filepath.Abs(dataDir)
	if err != nil {
		key = filepath.Clean(dataDir)
	}
	sharedMu.Lock()
	defer sharedMu.Unlock()
	sh := sharedBy[key]
	if sh == nil {
		sh = &shared{}
		sh.pulls.every = pullEvery
		sharedBy[key] = sh
	}
	return sh
}

// Open prepares the blob store and the token key under cfg.DataDir.
// Registries opened on one data dir in one process coordinate with each
// other; two processes must not share a data dir (the store's file lock
// prevents it).
func Open(st store.Store, cfg Config) (*Registry, error) {
	cfg.defaults()
	bs, err := blobstore.Open(cfg.DataDir)
	if err != nil {
		return nil, err
	}
	auth, err := ecrauth.Open(cfg.DataDir)
	if err != nil {
		return nil, err
	}
	return &Registry{cfg: cfg, log: cfg.Log, st: st, blobs: bs, auth: auth, shared: sharedFor(cfg.DataDir, cfg.PullRecordInterval)}, nil
}

// Auth is the token signer and checker.
func (r *Registry) Auth() *ecrauth.Auth { return r.auth }

// Now is the registry's clock.
func (r *Registry) Now() time.Time { return r.cfg.Now().UTC() }

// Run collects garbage every GCInterval until ctx ends.
func (r *Registry) Run(ctx context.Context) error {
	if r.cfg.GCInterval < 0 {
		<-ctx.Done()
		return ctx.Err()
	}
	t := time.NewTicker(r.cfg.GCInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
			rep, err := r.CollectGarbage(ctx)
			if err != nil && ctx.Err() == nil {
				r.log.Error("registry garbage collection failed", "err", err)
				continue
			}
			r.log.Info("registry garbage collection", "blobs_deleted", rep.BlobsDeleted, "bytes_freed", rep.BytesFreed,
				"links_dropped", rep.LinksDropped, "uploads_expired", rep.UploadsExpired)
		}
	}
}

// Repository returns a repository of the scope, or ErrRepositoryNotFound.
func (r *Registry) Repository(ctx context.Context, s ecrdb.Scope, name string) (repo ecr.Repository, err error) {
	err = r.st.View(ctx, func(tx store.ReadTx) error {
		repo, err = ecrdb.Repository(tx, s, name)
		return err
	})
	return repo, err
}

// CreateRepository creates a repository (for tests and embedding; the
// ECR API has its own CreateRepository over the same accessors).
func (r *Registry) CreateRepository(ctx context.Context, n ecr.NewRepository) (ecr.Repository, error) {
	repo, err := n.Build(r.Now())
	if err != nil {
		return repo, err
	}
	s := ecrdb.Scope{Region: n.Region, Account: n.Account}
	return repo, r.st.Update(ctx, func(tx store.Tx) error { return ecrdb.CreateRepository(tx, s, repo) })
}

func (r *Registry) newID() string {
	var b [16]byte
	_, _ = io.ReadFull(r.cfg.Rand, b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// accessLog remembers when blobs were last read, so that the collector
// spares blobs a pusher has just checked.
type accessLog struct {
	mu   sync.Mutex
	last map[ecr.Digest]time.Time
}

func (a *accessLog) touch(d ecr.Digest, now time.Time) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.last == nil {
		a.last = map[ecr.Digest]time.Time{}
	}
	a.last[d] = now
}

// recent reports whether d was read after since, forgetting reads before
// it.
func (a *accessLog) recent(d ecr.Digest, since time.Time) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	t, ok := a.last[d]
	if ok && !t.After(since) {
		delete(a.last, d)
		return false
	}
	return ok
}
