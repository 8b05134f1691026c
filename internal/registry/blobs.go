package registry

import (
	"context"
	"errors"
	"os"

	"github.com/quayside/quayside/internal/ecr"
	"github.com/quayside/quayside/internal/ecr/ecrdb"
	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/registry/blobstore"
	"github.com/quayside/quayside/internal/store"
)

func blobUnknown(repo string, d ecr.Digest) error {
	return fault.Newf(ecr.ErrLayersNotFound, "blob %s is not in repository '%s'", d, repo)
}

// StatBlob returns the repository's link to a blob, or ErrLayersNotFound.
// It counts as a read for the garbage collector's grace period.
func (r *Registry) StatBlob(ctx context.Context, s ecrdb.Scope, repo string, d ecr.Digest) (l ecr.BlobLink, err error) {
	err = r.st.View(ctx, func(tx store.ReadTx) error {
		if _, err := ecrdb.Repository(tx, s, repo); err != nil {
			return err
		}
		l, err = ecrdb.GetBlobLink(tx, s, repo, d)
		if ecrdb.IsNotFound(err) {
			return blobUnknown(repo, d)
		}
		return err
	})
	if err == nil {
		r.reads.touch(d, r.Now())
	}
	return l, err
}

// OpenBlob opens a blob of the repository for reading.
func (r *Registry) OpenBlob(ctx context.Context, s ecrdb.Scope, repo string, d ecr.Digest) (*os.File, ecr.BlobLink, error) {
	l, err := r.StatBlob(ctx, s, repo, d)
	if err != nil {
		return nil, l, err
	}
	f, err := r.blobs.Open(d)
	if errors.Is(err, blobstore.ErrNotFound) {
		return nil, l, blobUnknown(repo, d)
	}
	return f, l, err
}

// DeleteBlob removes a blob from a repository (the file stays until the
// collector finds no repository holding it). A blob that an image of the
// repository references is ErrLayerInUse.
func (r *Registry) DeleteBlob(ctx context.Context, s ecrdb.Scope, repo string, d ecr.Digest) error {
	return r.st.Update(ctx, func(tx store.Tx) error {
		if _, err := ecrdb.Repository(tx, s, repo); err != nil {
			return err
		}
		return ecrdb.UnlinkBlob(tx, s, repo, d)
	})
}
