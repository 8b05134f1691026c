package lifecycle

import (
	"context"
	"log/slog"
	"time"

	"github.com/quayside/quayside/internal/ecr"
	"github.com/quayside/quayside/internal/ecr/ecrdb"
	"github.com/quayside/quayside/internal/store"
)

// DefaultInterval is how often a repository's policy runs: ECR says
// images are expired "within 24 hours" of a policy being set.
const DefaultInterval = 24 * time.Hour

// Config configures a Runner.
type Config struct {
	Store store.Store
	Log   *slog.Logger
	// Interval is the time between two runs of one repository's policy,
	// counted from the policy's last run or last change (default
	// DefaultInterval). Negative: never run on a schedule.
	Interval time.Duration
	Now      func() time.Time // default time.Now
}

// Runner runs every repository's lifecycle policy on a schedule.
type Runner struct {
	cfg Config
}

// NewRunner returns a runner; Run starts it.
func NewRunner(cfg Config) *Runner {
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.Interval == 0 {
		cfg.Interval = DefaultInterval
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Runner{cfg: cfg}
}

// Report says what one round did.
type Report struct {
	Repositories int // policies run
	Expired      int // images deleted
	Kept         int // images kept by Quayside's guards
}

// Run checks for due policies until ctx ends: every minute, or every
// Interval if that is shorter. The schedule survives restarts, because
// each repository records when its policy last ran.
func (r *Runner) Run(ctx context.Context) {
	if r.cfg.Interval < 0 {
		<-ctx.Done()
		return
	}
	t := time.NewTicker(min(r.cfg.Interval, time.Minute))
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			rep, err := r.RunOnce(ctx)
			if err != nil && ctx.Err() == nil {
				r.cfg.Log.Error("ECR lifecycle policies failed", "err", err)
			} else if rep.Repositories > 0 {
				r.cfg.Log.Info("ECR lifecycle policies ran", "repositories", rep.Repositories, "images_expired", rep.Expired, "images_kept_in_use", rep.Kept)
			}
		}
	}
}

type due struct {
	scope ecrdb.Scope
	name  string
}

// RunOnce runs the policies that are due now.
func (r *Runner) RunOnce(ctx context.Context) (Report, error) {
	now := r.cfg.Now().UTC()
	var list []due
	err := r.cfg.Store.View(ctx, func(tx store.ReadTx) error {
		list = list[:0]
		return ecrdb.ScanRepositories(tx, func(s ecrdb.Scope, repo ecr.Repository) error {
			if r.isDue(repo, now) {
				list = append(list, due{s, repo.Name})
			}
			return nil
		})
	})
	var rep Report
	if err != nil {
		return rep, err
	}
	for _, d := range list {
		if err := r.runRepository(ctx, d, now, &rep); err != nil {
			return rep, err
		}
	}
	return rep, nil
}

func (r *Runner) isDue(repo ecr.Repository, now time.Time) bool {
	if repo.LifecyclePolicyText == "" {
		return false
	}
	var last time.Time
	for _, t := range []*time.Time{repo.LifecyclePolicyUpdatedAt, repo.LifecyclePolicyEvaluatedAt} {
		if t != nil && t.After(last) {
			last = *t
		}
	}
	return !now.Before(last.Add(r.cfg.Interval))
}

// runRepository runs one policy in one transaction: the images, the ECS
// references and the deletions are one consistent step.
func (r *Runner) runRepository(ctx context.Context, d due, now time.Time, rep *Report) error {
	var res Result
	var gone []ecr.Digest
	var parseErr error
	ran := false
	err := r.cfg.Store.Update(ctx, func(tx store.Tx) error {
		res, gone, ran, parseErr = Result{}, nil, false, nil
		repo, err := ecrdb.GetRepository(tx, d.scope, d.name)
		if ecrdb.IsNotFound(err) {
			return nil
		} else if err != nil {
			return err
		}
		if !r.isDue(repo, now) {
			return nil // changed since the scan
		}
		// Stored policies were validated; one that no longer parses is
		// left alone rather than guessed at.
		var p Policy
		p, parseErr = Parse(repo.LifecyclePolicyText)
		if parseErr == nil {
			if res, err = Plan(tx, d.scope, d.name, p, now); err != nil {
				return err
			}
			if gone, err = Expire(tx, d.scope, d.name, res); err != nil {
				return err
			}
		}
		repo.LifecyclePolicyEvaluatedAt = &now
		ran = true
		return ecrdb.PutRepository(tx, d.scope, repo)
	})
	if err != nil || !ran {
		return err
	}
	if parseErr != nil {
		r.cfg.Log.Warn("ECR lifecycle policy does not parse; skipped", "repository", d.name, "region", d.scope.Region, "err", parseErr)
	}
	rep.Repositories++
	rep.Expired += len(gone)
	rep.Kept += len(res.Kept)
	for _, k := range res.Kept {
		r.cfg.Log.Info("ECR lifecycle policy kept an image", "repository", d.name, "digest", k.Digest, "rule", k.RulePriority, "reason", k.Reason)
	}
	if len(gone) > 0 {
		r.cfg.Log.Info("ECR lifecycle policy expired images", "repository", d.name, "region", d.scope.Region, "count", len(gone))
	}
	return nil
}
