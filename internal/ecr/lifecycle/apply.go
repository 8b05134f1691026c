package lifecycle

import (
	"errors"
	"time"

	"github.com/quayside/quayside/internal/ecr"
	"github.com/quayside/quayside/internal/ecr/ecrdb"
	"github.com/quayside/quayside/internal/store"
)

// Plan evaluates a policy against a repository as tx sees it, with the
// ECS references of the same snapshot.
func Plan(tx store.ReadTx, s ecrdb.Scope, repo string, p Policy, now time.Time) (Result, error) {
	stored, err := ecrdb.ListImages(tx, s, repo, "", 0)
	if err != nil {
		return Result{}, err
	}
	images := make([]Image, len(stored))
	for i, im := range stored {
		images[i] = Image{Digest: im.Digest, Tags: im.Tags, PushedAt: im.PushedAt, Children: im.Children, Referrer: im.Subject != nil}
	}
	refs, err := InUse(tx, s, repo)
	if err != nil {
		return Result{}, err
	}
	return Evaluate(p, images, refs, now), nil
}

// Expire deletes the images a plan expires, with their tags and their
// referrers. It must run in the transaction that made the plan, so that
// nothing it did not see is deleted. It returns the digests deleted.
func Expire(tx store.Tx, s ecrdb.Scope, repo string, res Result) ([]ecr.Digest, error) {
	var gone []ecr.Digest
	for _, d := range res.Expire {
		refs, err := ecrdb.ListReferrers(tx, s, repo, d.Digest)
		if err != nil {
			return gone, err
		}
		for _, r := range refs {
			if _, err := ecrdb.DeleteImage(tx, s, repo, r.Digest); err == nil {
				gone = append(gone, r.Digest)
			} else if !isImageNotFound(err) {
				return gone, err
			}
		}
		if _, err := ecrdb.DeleteImage(tx, s, repo, d.Digest); err == nil {
			gone = append(gone, d.Digest)
		} else if !isImageNotFound(err) {
			return gone, err
		}
	}
	return gone, nil
}

// Preview is what StartLifecyclePolicyPreview records: the plan of a
// policy text for a repository, as of now.
func Preview(tx store.ReadTx, s ecrdb.Scope, repo, text string, now time.Time) (ecr.LifecyclePreview, error) {
	p, err := Parse(text)
	if err != nil {
		return ecr.LifecyclePreview{}, err
	}
	res, err := Plan(tx, s, repo, p, now)
	if err != nil {
		return ecr.LifecyclePreview{}, err
	}
	pv := ecr.LifecyclePreview{PolicyText: text, Status: ecr.PreviewComplete, StartedAt: now.UTC()}
	for _, d := range res.Expire {
		pv.Results = append(pv.Results, ecr.LifecyclePreviewResult{
			Digest: d.Digest, Tags: d.Tags, PushedAt: d.PushedAt, Action: "EXPIRE", RulePriority: d.RulePriority,
		})
	}
	return pv, nil
}

func isImageNotFound(err error) bool { return errors.Is(err, ecr.ErrImageNotFound) }
