package ecrdb

import (
	"github.com/quayside/quayside/internal/ecr"
	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/store"
)

// GetRepository returns a repository, or store.ErrNotFound.
func GetRepository(tx store.ReadTx, s Scope, name string) (ecr.Repository, error) {
	return store.Get[ecr.Repository](tx, Repositories, s.repoKey(name))
}

// Repository returns a repository, or ErrRepositoryNotFound with ECR's
// message.
func Repository(tx store.ReadTx, s Scope, name string) (ecr.Repository, error) {
	r, err := GetRepository(tx, s, name)
	if IsNotFound(err) {
		return r, RepositoryNotFound(s, name)
	}
	return r, err
}

// RepositoryNotFound is ECR's error for a missing repository.
func RepositoryNotFound(s Scope, name string) error {
	return fault.Newf(ecr.ErrRepositoryNotFound, ecr.MsgRepositoryNotFound, name, s.Account)
}

// PutRepository writes a repository record (creating or updating it).
func PutRepository(tx store.Tx, s Scope, r ecr.Repository) error {
	return store.Put(tx, Repositories, s.repoKey(r.Name), r)
}

// CreateRepository writes a new repository, or fails with
// ErrRepositoryAlreadyExists.
func CreateRepository(tx store.Tx, s Scope, r ecr.Repository) error {
	if _, err := GetRepository(tx, s, r.Name); err == nil {
		return fault.Newf(ecr.ErrRepositoryAlreadyExists,
			"The repository with name '%s' already exists in the registry with id '%s'", r.Name, s.Account)
	} else if !IsNotFound(err) {
		return err
	}
	return PutRepository(tx, s, r)
}

// ListRepositories returns the scope's repositories in name order after
// the named one, at most limit (0: all).
func ListRepositories(tx store.ReadTx, s Scope, afterName string, limit int) ([]ecr.Repository, error) {
	return store.List[ecr.Repository](tx, Repositories, s.Prefix(), after(s.Prefix(), afterName), limit)
}

// DeleteRepository removes a repository with its images, tags, referrers,
// blob links and uploads. Without force, a repository that has images is
// refused with ErrRepositoryNotEmpty. Blob files are left to the garbage
// collector; upload files too (it removes upload files with no record).
func DeleteRepository(tx store.Tx, s Scope, name string, force bool) (ecr.Repository, error) {
	r, err := Repository(tx, s, name)
	if err != nil {
		return r, err
	}
	var digests []ecr.Digest
	err = tx.Scan(Images, s.digestKey(name, ""), "", func(k string, _ []byte) error {
		digests = append(digests, ecr.Digest(trimPrefix(k, s.digestKey(name, ""))))
		return nil
	})
	if err != nil {
		return r, err
	}
	if len(digests) > 0 && !force {
		return r, fault.Newf(ecr.ErrRepositoryNotEmpty,
			"The repository with name '%s' in registry with id '%s' cannot be deleted because it still contains images", name, s.Account)
	}
	for _, d := range digests {
		if _, err := DeleteImage(tx, s, name, d); err != nil {
			return r, err
		}
	}
	links, err := ListBlobLinks(tx, s, name)
	if err != nil {
		return r, err
	}
	for _, l := range links {
		if err := deleteLink(tx, s, name, l.Digest); err != nil {
			return r, err
		}
	}
	if err := deleteByPrefix(tx, Referrers, s.digestKey(name, "")); err != nil {
		return r, err
	}
	ups, err := ListUploads(tx, s)
	if err != nil {
		return r, err
	}
	for _, u := range ups {
		if u.Repository == name {
			if err := DeleteUpload(tx, s, u.ID); err != nil {
				return r, err
			}
		}
	}
	if err := DeleteLifecyclePreview(tx, s, name); err != nil {
		return r, err
	}
	return r, tx.Delete(Repositories, s.repoKey(name))
}

func deleteByPrefix(tx store.Tx, table, prefix string) error {
	var keys []string
	if err := tx.Scan(table, prefix, "", func(k string, _ []byte) error {
		keys = append(keys, k)
		return nil
	}); err != nil {
		return err
	}
	for _, k := range keys {
		if err := tx.Delete(table, k); err != nil {
			return err
		}
	}
	return nil
}
