package scheduler

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/quayside/quayside/internal/ecs"
	"github.com/quayside/quayside/internal/ecs/ecsapi"
	"github.com/quayside/quayside/internal/ecs/ecsdb"
	"github.com/quayside/quayside/internal/elb/elbdb"
	"github.com/quayside/quayside/internal/store"
)

// Launcher builds and places new tasks of a deployment, as RunTask would;
// *ecsapi.API is the one Quayside uses.
type Launcher interface {
	ServiceTasks(ctx context.Context, tx store.ReadTx, s ecsdb.Scope, svc ecs.Service, dep ecs.Deployment, count int, now time.Time) ([]ecs.Task, []ecsapi.PlacementFailure, error)
}

// Config configures a Scheduler.
type Config struct {
	Store    store.Store
	Launcher Launcher
	// Instances counts the container instances, for DAEMON services.
	Instances func(tx store.ReadTx) int
	Now       func() time.Time
	Rand      io.Reader
	Log       *slog.Logger
	Options
}

// Scheduler runs Decide for every service that needs it and applies the
// plans.
type Scheduler struct {
	cfg   Config
	ids   *ecs.IDs
	wakes map[serviceKey]time.Time
}

// serviceKey names one service.
type serviceKey struct {
	scope         ecsdb.Scope
	cluster, name string
}

// New returns a scheduler; Run starts it.
func New(cfg Config) *Scheduler {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Rand == nil {
		cfg.Rand = rand.Reader
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.Instances == nil {
		cfg.Instances = func(store.ReadTx) int { return 1 }
	}
	cfg.Log = cfg.Log.With("component", "scheduler")
	return &Scheduler{cfg: cfg, ids: ecs.NewIDs(cfg.Rand), wakes: map[serviceKey]time.Time{}}
}

// Run reconciles services until ctx ends: every service at start, then
// each one whose record or tasks change, or whose timer fires.
func (s *Scheduler) Run(ctx context.Context) {
	changes := s.cfg.Store.Watch(ctx, ecsdb.Services, ecsdb.Tasks, elbdb.Targets, elbdb.Health)
	dirty := map[serviceKey]bool{}
	s.all(ctx, dirty, false)
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		for k := range dirty {
			delete(dirty, k)
			if err := s.reconcile(ctx, k); err != nil && ctx.Err() == nil {
				s.cfg.Log.Error("reconcile service", "service", k.name, "cluster", k.cluster, "err", err)
				s.wakes[k] = s.cfg.Now().Add(time.Second)
			}
		}
		timer.Reset(s.nextWake())
		select {
		case <-ctx.Done():
			return
		case b, ok := <-changes:
			if !ok {
				return
			}
			s.collect(ctx, b, dirty)
			// Take every batch already waiting, so a burst is one pass.
			for more := true; more; {
				select {
				case b, ok := <-changes:
					if !ok {
						return
					}
					s.collect(ctx, b, dirty)
				default:
					more = false
				}
			}
		case <-timer.C:
		}
		now := s.cfg.Now()
		for k, at := range s.wakes {
			if !now.Before(at) {
				delete(s.wakes, k)
				dirty[k] = true
			}
		}
	}
}

func (s *Scheduler) nextWake() time.Duration {
	next := time.Hour
	now := s.cfg.Now()
	for _, at := range s.wakes {
		if d := at.Sub(now); d < next {
			next = max(d, time.Millisecond)
		}
	}
	return next
}

// collect marks the services a batch of changes concerns.
func (s *Scheduler) collect(ctx context.Context, b store.Batch, dirty map[serviceKey]bool) {
	if b.Resync {
		s.all(ctx, dirty, false)
		return
	}
	targets := false
	for _, ev := range b.Events {
		if ev.Table == elbdb.Targets || ev.Table == elbdb.Health {
			targets = true
			continue
		}
		scope, parts, ok := ecsdb.ParseKey(ev.Key)
		if !ok || len(parts) != 2 {
			continue
		}
		switch ev.Table {
		case ecsdb.Services:
			dirty[serviceKey{scope, parts[0], parts[1]}] = true
		case ecsdb.Tasks:
			if ev.Deleted {
				continue
			}
			var t struct {
				Group string `json:"group"`
			}
			if json.Unmarshal(ev.Value, &t) == nil {
				if name, ok := strings.CutPrefix(t.Group, "service:"); ok {
					dirty[serviceKey{scope, parts[0], name}] = true
				}
			}
		}
	}
	if targets {
		// A target's health or registration changed: every service
		// behind a load balancer looks again (they are few, and Decide
		// is cheap).
		s.all(ctx, dirty, true)
	}
}

// all marks every service that is not INACTIVE; with balanced, only
// those with load balancers.
func (s *Scheduler) all(ctx context.Context, dirty map[serviceKey]bool, balanced bool) {
	err := s.cfg.Store.View(ctx, func(tx store.ReadTx) error {
		return tx.Scan(ecsdb.Services, "", "", func(key string, b []byte) error {
			scope, parts, ok := ecsdb.ParseKey(key)
			if !ok || len(parts) != 2 {
				return nil
			}
			var svc struct {
				Status        ecs.ServiceStatus  `json:"status"`
				LoadBalancers []ecs.LoadBalancer `json:"loadBalancers"`
			}
			if json.Unmarshal(b, &svc) == nil && svc.Status != ecs.ServiceInactive && (!balanced || len(svc.LoadBalancers) > 0) {
				dirty[serviceKey{scope, parts[0], parts[1]}] = true
			}
			return nil
		})
	})
	if err != nil {
		s.cfg.Log.Error("list services", "err", err)
	}
}
