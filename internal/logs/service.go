package logs

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/quayside/quayside/internal/logs/logstore"
	"github.com/quayside/quayside/internal/store"
)

// Options configure the service. Zero values take the defaults.
type Options struct {
	Now           func() time.Time // default time.Now; retention and the PutLogEvents windows use it
	SweepInterval time.Duration    // retention sweeps (default 10 minutes)
	// FilterBudget bounds the time one FilterLogEvents call scans before
	// it answers with the events found so far and a nextToken, as AWS
	// does (default 2 s).
	FilterBudget time.Duration
	Store        logstore.Options
	Log          *slog.Logger
}

// Service is CloudWatch Logs: metadata in the store, events in the log
// store. Lifecycle: Open, Run(ctx) for the retention sweeps, Close.
type Service struct {
	meta   store.Store
	events *logstore.Store
	now    func() time.Time
	opts   Options
	log    *slog.Logger

	mu  sync.Mutex
	ids map[string]ids // sink cache: group/stream names → store IDs
}

type ids struct {
	stream        logstore.StreamID
	retentionDays int
}

// Open opens the log store in dir (conventionally <data dir>/logs).
func Open(meta store.Store, dir string, o Options) (*Service, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.SweepInterval <= 0 {
		o.SweepInterval = 10 * time.Minute
	}
	if o.FilterBudget <= 0 {
		o.FilterBudget = 2 * time.Second
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.Store.Now == nil {
		o.Store.Now = o.Now
	}
	ev, err := logstore.Open(dir, o.Store)
	if err != nil {
		return nil, err
	}
	return &Service{meta: meta, events: ev, now: o.Now, opts: o, log: o.Log, ids: map[string]ids{}}, nil
}

// Events exposes the event store (benchmarks and tools).
func (s *Service) Events() *logstore.Store { return s.events }

// Close closes the log store.
func (s *Service) Close() error { return s.events.Close() }

// Run sweeps until ctx ends: retention (deleting expired events) and
// files left behind by an interrupted delete.
func (s *Service) Run(ctx context.Context) error {
	t := time.NewTicker(s.opts.SweepInterval)
	defer t.Stop()
	for {
		if err := s.Sweep(ctx); err != nil && ctx.Err() == nil {
			s.log.Error("log retention sweep failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}

func (s *Service) nowMS() int64 { return s.now().UnixMilli() }

// Sweep makes one retention pass: for every group with a retention
// policy it deletes the events older than the policy, reclaiming their
// disk, and it deletes event files whose group or stream no longer exists
// (a delete interrupted by a crash).
func (s *Service) Sweep(ctx context.Context) error {
	// List the disk before the metadata: a directory seen here was
	// created after its metadata, so metadata read afterwards has it
	// unless it was deleted.
	onDisk, err := s.events.Groups()
	if err != nil {
		return err
	}
	groups := map[uint64]Group{}
	streams := map[uint64]map[uint64]bool{}
	err = s.meta.View(ctx, func(tx store.ReadTx) error {
		if err := tx.Scan(tableGroups, "", "", func(_ string, v []byte) error {
			g, err := decode[Group](v)
			groups[g.ID] = g
			return err
		}); err != nil {
			return err
		}
		return tx.Scan(tableStreams, "", "", func(_ string, v []byte) error {
			st, err := decode[Stream](v)
			if streams[st.GroupID] == nil {
				streams[st.GroupID] = map[uint64]bool{}
			}
			streams[st.GroupID][st.ID] = true
			return err
		})
	})
	if err != nil {
		return err
	}
	now := s.nowMS()
	var errs []error
	for _, gid := range onDisk {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		g, ok := groups[gid]
		if !ok {
			errs = append(errs, s.events.DeleteGroup(gid))
			continue
		}
		ids, err := s.events.Streams(gid)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		for _, sid := range ids {
			id := logstore.StreamID{Group: gid, Stream: sid}
			switch {
			case !streams[gid][sid]:
				errs = append(errs, s.events.DeleteStream(id))
			case g.RetentionDays > 0:
				n, err := s.events.Trim(id, now-int64(g.RetentionDays)*dayMS)
				if n > 0 {
					s.log.Debug("retention deleted events", "group", g.Name, "events", n)
				}
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

const dayMS = int64(24 * time.Hour / time.Millisecond)

// forget drops cached IDs of a group (stream "") or one stream.
func (s *Service) forget(sc Scope, group, stream string) {
	prefix := cacheKey(sc, group, stream)
	s.mu.Lock()
	for k := range s.ids {
		if k == prefix || (stream == "" && strings.HasPrefix(k, prefix)) {
			delete(s.ids, k)
		}
	}
	s.mu.Unlock()
}

func cacheKey(sc Scope, group, stream string) string {
	return groupKey(sc, group) + ":" + stream
}
