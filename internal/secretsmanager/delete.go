package secretsmanager

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/store"
)

// Deleted says when a deleted secret goes for good.
type Deleted struct {
	ARN, Name    string
	DeletionDate time.Time
}

// Delete schedules a secret for deletion after a recovery window (nil:
// 30 days), or with force deletes it at once. A secret already scheduled
// can only be force-deleted.
func (m *Manager) Delete(ctx context.Context, s Scope, secretID string, windowDays *int64, force bool) (Deleted, error) {
	if force && windowDays != nil {
		return Deleted{}, fault.New(ErrInvalidParameter, msgForceAndWindow)
	}
	days := int64(DefaultRecoveryDay)
	if windowDays != nil {
		days = *windowDays
	}
	if days < MinRecoveryDays || days > MaxRecoveryDays {
		return Deleted{}, fault.New(ErrInvalidParameter, msgWindow)
	}
	var d Deleted
	err := m.st.Update(ctx, func(tx store.Tx) error {
		sec, err := m.find(tx, s, secretID)
		if err != nil {
			return err
		}
		now := m.now()
		d = Deleted{ARN: sec.ARN, Name: sec.Name, DeletionDate: now}
		if force {
			return purge(tx, s, &sec)
		}
		if sec.Scheduled() {
			return markedDeleted()
		}
		sec.Deleted = now
		sec.DeletionDate = now.Add(time.Duration(days) * 24 * time.Hour)
		d.DeletionDate = sec.DeletionDate
		if err := tx.Put(Deletions, deletionKey(s, sec.Name, sec.DeletionDate), nil); err != nil {
			return err
		}
		return store.Put(tx, Secrets, secretKey(s, sec.Name), sec)
	})
	return d, err
}

// Restore cancels a scheduled deletion.
func (m *Manager) Restore(ctx context.Context, s Scope, secretID string) (Secret, error) {
	var out Secret
	err := m.st.Update(ctx, func(tx store.Tx) error {
		sec, err := m.find(tx, s, secretID)
		if err != nil {
			return err
		}
		if !sec.Scheduled() {
			return fault.New(ErrInvalidRequest, msgNotDeleted)
		}
		if err := tx.Delete(Deletions, deletionKey(s, sec.Name, sec.DeletionDate)); err != nil {
			return err
		}
		sec.Deleted, sec.DeletionDate = time.Time{}, time.Time{}
		out = sec
		return store.Put(tx, Secrets, secretKey(s, sec.Name), sec)
	})
	return out, err
}

// purge removes a secret, its values and its deletion index entry.
func purge(tx store.Tx, s Scope, sec *Secret) error {
	var ids []string
	for id := range sec.Versions {
		ids = append(ids, id)
	}
	if err := deleteValues(tx, s, sec, ids); err != nil {
		return err
	}
	if sec.Scheduled() {
		if err := tx.Delete(Deletions, deletionKey(s, sec.Name, sec.DeletionDate)); err != nil {
			return err
		}
	}
	return tx.Delete(Secrets, secretKey(s, sec.Name))
}

// Purge removes every secret, in every region and account, whose
// recovery window has ended, and returns how many it removed.
func (m *Manager) Purge(ctx context.Context) (int, error) {
	now := m.now()
	nowKey := deletionKey(Scope{}, "", now)
	nowKey = nowKey[:strings.IndexByte(nowKey, '/')]
	n := 0
	err := m.st.Update(ctx, func(tx store.Tx) error {
		n = 0
		var due []string
		err := tx.Scan(Deletions, "", "", func(k string, _ []byte) error {
			if i := strings.IndexByte(k, '/'); i < 0 || k[:i] > nowKey {
				return store.ErrStop
			}
			due = append(due, k)
			return nil
		})
		if err != nil {
			return err
		}
		for _, k := range due {
			if err := tx.Delete(Deletions, k); err != nil {
				return err
			}
			// <time>/<region>/<account>/<name>
			parts := strings.SplitN(k, "/", 4)
			if len(parts) != 4 {
				continue
			}
			s := Scope{Region: parts[1], Account: parts[2]}
			sec, ok, err := getSecret(tx, s, parts[3])
			if err != nil {
				return err
			}
			if ok && sec.Scheduled() && !now.Before(sec.DeletionDate) {
				if err := purge(tx, s, &sec); err != nil {
					return err
				}
				n++
			}
		}
		return nil
	})
	return n, err
}

// PurgeInterval is how often Run sweeps.
const PurgeInterval = time.Minute

// Run sweeps for secrets past their recovery window every PurgeInterval
// until ctx ends. It is the server's controller for deletions.
func (m *Manager) Run(ctx context.Context) {
	t := time.NewTicker(PurgeInterval)
	defer t.Stop()
	for {
		if _, err := m.Purge(ctx); err != nil && ctx.Err() == nil && !errors.Is(err, store.ErrClosed) {
			// The next sweep retries; reads already hide expired secrets.
			m.log.Warn("purge of deleted secrets failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
