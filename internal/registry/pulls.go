package registry

import (
	"context"
	"sync"
	"time"

	"github.com/quayside/quayside/internal/ecr"
	"github.com/quayside/quayside/internal/ecr/ecrdb"
	"github.com/quayside/quayside/internal/store"
)

// pullRecorder coalesces lastRecordedPullTime writes: at most one per
// image per interval, so that a burst of pulls costs one transaction.
type pullRecorder struct {
	mu    sync.Mutex
	every time.Duration
	last  map[string]time.Time
}

// due reports whether a pull of key at now should be written, and if so
// notes it as written.
func (p *pullRecorder) due(key string, now time.Time) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.last == nil {
		p.last = map[string]time.Time{}
	}
	if t, ok := p.last[key]; ok && now.Sub(t) < p.every {
		return false
	}
	if len(p.last) > 10000 {
		for k, t := range p.last {
			if now.Sub(t) >= p.every {
				delete(p.last, k)
			}
		}
	}
	p.last[key] = now
	return true
}

func (r *Registry) recordPull(ctx context.Context, s ecrdb.Scope, repo string, d ecr.Digest) {
	now := r.Now()
	if !r.pulls.due(s.Prefix()+repo+"@"+string(d), now) {
		return
	}
	err := r.st.Update(ctx, func(tx store.Tx) error { return ecrdb.RecordPull(tx, s, repo, d, now) })
	if err != nil {
		r.log.Warn("recording image pull", "repository", repo, "digest", d, "err", err)
	}
}
