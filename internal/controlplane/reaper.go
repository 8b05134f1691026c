package controlplane

import (
	"context"
	"log/slog"
	"time"

	"github.com/quayside/quayside/internal/ecs"
	"github.com/quayside/quayside/internal/ecs/ecsdb"
	"github.com/quayside/quayside/internal/store"
)

// Reaper deletes the records of tasks that stopped long enough ago. ECS
// keeps stopped tasks visible for at least an hour; so does Quayside.
type Reaper struct {
	Store    store.Store
	TTL      time.Duration // how long a stopped task stays; default ecs.StoppedTaskVisibility
	Interval time.Duration // how often to look; default 1 minute
	Now      func() time.Time
	Log      *slog.Logger
}

// Expired reports whether a task's record may be deleted at now.
func Expired(t ecs.Task, now time.Time, ttl time.Duration) bool {
	if t.LastStatus != ecs.TaskStopped {
		return false
	}
	stopped := t.StoppedAt
	if stopped.IsZero() {
		stopped = t.ExecutionStoppedAt
	}
	return !stopped.IsZero() && now.Sub(stopped) >= ttl
}

// Run sweeps until ctx ends.
func (r *Reaper) Run(ctx context.Context) {
	if r.TTL <= 0 {
		r.TTL = ecs.StoppedTaskVisibility
	}
	if r.Interval <= 0 {
		r.Interval = time.Minute
	}
	if r.Now == nil {
		r.Now = time.Now
	}
	if r.Log == nil {
		r.Log = slog.New(slog.DiscardHandler)
	}
	t := time.NewTicker(r.Interval)
	defer t.Stop()
	for {
		if n, err := r.Sweep(ctx); err != nil {
			r.Log.Error("reap stopped tasks", "err", err)
		} else if n > 0 {
			r.Log.Debug("reaped stopped tasks", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Sweep deletes every expired task record and returns how many it deleted.
func (r *Reaper) Sweep(ctx context.Context) (int, error) {
	now := r.Now()
	var keys []string
	err := r.Store.View(ctx, func(tx store.ReadTx) error {
		return tx.Scan(ecsdb.Tasks, "", "", func(key string, b []byte) error {
			t, err := decodeTask(b)
			if err == nil && Expired(t, now, r.TTL) {
				keys = append(keys, key)
			}
			return err
		})
	})
	if err != nil || len(keys) == 0 {
		return 0, err
	}
	deleted := 0
	err = r.Store.Update(ctx, func(tx store.Tx) error {
		deleted = 0
		for _, k := range keys {
			b, err := tx.Get(ecsdb.Tasks, k)
			if err != nil {
				continue // already gone
			}
			if t, err := decodeTask(b); err == nil && Expired(t, now, r.TTL) {
				if err := tx.Delete(ecsdb.Tasks, k); err != nil {
					return err
				}
				deleted++
			}
		}
		return nil
	})
	return deleted, err
}
