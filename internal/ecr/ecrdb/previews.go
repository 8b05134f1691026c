package ecrdb

import (
	"strings"

	"github.com/quayside/quayside/internal/ecr"
	"github.com/quayside/quayside/internal/store"
)

// LifecyclePreviews holds each repository's last lifecycle policy
// preview (StartLifecyclePolicyPreview), keyed like ecr.repositories.
const LifecyclePreviews = "ecr.lifecyclepreviews"

// GetLifecyclePreview returns a repository's last preview, or
// store.ErrNotFound.
func GetLifecyclePreview(tx store.ReadTx, s Scope, repo string) (ecr.LifecyclePreview, error) {
	return store.Get[ecr.LifecyclePreview](tx, LifecyclePreviews, s.repoKey(repo))
}

// PutLifecyclePreview replaces a repository's preview.
func PutLifecyclePreview(tx store.Tx, s Scope, repo string, p ecr.LifecyclePreview) error {
	return store.Put(tx, LifecyclePreviews, s.repoKey(repo), p)
}

// DeleteLifecyclePreview removes a repository's preview, if any.
func DeleteLifecyclePreview(tx store.Tx, s Scope, repo string) error {
	return tx.Delete(LifecyclePreviews, s.repoKey(repo))
}

// ScanRepositories calls fn for every repository of every scope, in key
// order. fn may return store.ErrStop to end early.
func ScanRepositories(tx store.ReadTx, fn func(s Scope, r ecr.Repository) error) error {
	return tx.Scan(Repositories, "", "", func(k string, b []byte) error {
		parts := strings.SplitN(k, "/", 3)
		if len(parts) != 3 {
			return nil
		}
		r, err := decode[ecr.Repository](b)
		if err != nil {
			return err
		}
		return fn(Scope{Region: parts[0], Account: parts[1]}, r)
	})
}
