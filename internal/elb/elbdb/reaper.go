package elbdb

import (
	"context"
	"log/slog"
	"time"

	"github.com/quayside/quayside/internal/elb"
	"github.com/quayside/quayside/internal/store"
)

// Reaper removes draining targets once their deregistration delay has
// passed: it deletes their registration and health, which tells the data
// plane to drop them (and cut any request still running on them) and
// tells watchers (ECS) that the target is fully drained.
type Reaper struct {
	Store store.Store
	Now   func() time.Time // default time.Now
	Log   *slog.Logger
}

// Run removes drained targets until ctx ends: at start, and whenever the
// earliest deadline passes or the targets change.
func (r *Reaper) Run(ctx context.Context) {
	r.defaults()
	changes := r.Store.Watch(ctx, Targets)
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case _, ok := <-changes:
			if !ok {
				return
			}
		case <-timer.C:
		}
		next, err := r.Sweep(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			r.Log.Error("remove drained targets", "err", err)
			next = r.Now().Add(time.Second)
		}
		wait := time.Hour
		if !next.IsZero() {
			wait = max(next.Sub(r.Now()), time.Millisecond)
		}
		if !timer.Stop() {
			select {
			case <-timer.C:
			default:
			}
		}
		timer.Reset(wait)
	}
}

// Sweep deletes every target whose drain deadline has passed and returns
// the earliest deadline still ahead (zero if none).
func (r *Reaper) Sweep(ctx context.Context) (next time.Time, err error) {
	r.defaults()
	now := r.Now()
	var expired []string
	err = r.Store.View(ctx, func(tx store.ReadTx) error {
		return tx.Scan(Targets, "", "", func(key string, b []byte) error {
			reg, err := decode[elb.Registration](b)
			if err != nil || !reg.Draining() {
				return err
			}
			if !now.Before(reg.DrainUntil) {
				expired = append(expired, key)
			} else if next.IsZero() || reg.DrainUntil.Before(next) {
				next = reg.DrainUntil
			}
			return nil
		})
	})
	if err != nil || len(expired) == 0 {
		return next, err
	}
	err = r.Store.Update(ctx, func(tx store.Tx) error {
		for _, k := range expired {
			b, err := tx.Get(Targets, k)
			if ok, err := found(err); err != nil || !ok {
				if err != nil {
					return err
				}
				continue
			}
			reg, err := decode[elb.Registration](b)
			if err != nil {
				return err
			}
			if !reg.Draining() || now.Before(reg.DrainUntil) {
				continue // registered again meanwhile
			}
			if err := tx.Delete(Targets, k); err != nil {
				return err
			}
			if err := tx.Delete(Health, k); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil {
		r.Log.Debug("removed drained targets", "count", len(expired))
	}
	return next, err
}

func (r *Reaper) defaults() {
	if r.Now == nil {
		r.Now = time.Now
	}
	if r.Log == nil {
		r.Log = slog.New(slog.DiscardHandler)
	}
}
