package registry

import (
	"context"
	"errors"
	"time"

	"github.com/quayside/quayside/internal/ecr"
	"github.com/quayside/quayside/internal/ecr/ecrdb"
	"github.com/quayside/quayside/internal/registry/blobstore"
	"github.com/quayside/quayside/internal/store"
)

// GCReport says what a collection did.
type GCReport struct {
	BlobsDeleted   int
	BytesFreed     int64
	LinksDropped   int
	UploadsExpired int
}

// errKeep aborts the collector's transaction for a blob that must stay.
var errKeep = errors.New("registry: blob in use")

// CollectGarbage removes blobs that no image references and that have not
// been uploaded, mounted or read within GCGrace, and uploads idle for
// UploadTTL. It is safe while pushes and pulls run (see the package doc);
// one collection runs at a time.
func (r *Registry) CollectGarbage(ctx context.Context) (GCReport, error) {
	r.gcMu.Lock()
	defer r.gcMu.Unlock()
	var rep GCReport
	if err := r.expireUploads(ctx, &rep); err != nil {
		return rep, err
	}
	cutoff := r.Now().Add(-r.cfg.GCGrace)
	var candidates []blobstore.Info
	err := r.blobs.Walk(func(b blobstore.Info) error {
		if b.ModTime.Before(cutoff) && !r.reads.recent(b.Digest, cutoff) {
			candidates = append(candidates, b)
		}
		return ctx.Err()
	})
	if err != nil {
		return rep, err
	}
	for _, b := range candidates {
		if err := r.collectBlob(ctx, b, cutoff, &rep); err != nil {
			return rep, err
		}
	}
	return rep, nil
}

// collectBlob drops a blob's links and file if nothing keeps it.
func (r *Registry) collectBlob(ctx context.Context, b blobstore.Info, cutoff time.Time, rep *GCReport) error {
	unlock := r.digestLocks.Lock(string(b.Digest))
	defer unlock()
	if r.reads.recent(b.Digest, cutoff) {
		return nil
	}
	dropped := 0
	err := r.st.Update(ctx, func(tx store.Tx) error {
		dropped = 0
		holders, err := ecrdb.BlobHolders(tx, b.Digest, ecrdb.Scope{})
		if err != nil {
			return err
		}
		for _, h := range holders {
			l, err := ecrdb.GetBlobLink(tx, h.Scope, h.Repository, b.Digest)
			if ecrdb.IsNotFound(err) {
				continue
			} else if err != nil {
				return err
			}
			if l.Refs > 0 || l.LinkedAt.After(cutoff) {
				return errKeep
			}
		}
		for _, h := range holders {
			if err := ecrdb.DropBlobLink(tx, h.Scope, h.Repository, b.Digest); err != nil {
				return err
			}
			dropped++
		}
		return nil
	})
	if errors.Is(err, errKeep) {
		return nil
	} else if err != nil {
		return err
	}
	if err := r.blobs.Delete(b.Digest); err != nil {
		return err
	}
	rep.BlobsDeleted++
	rep.BytesFreed += b.Size
	rep.LinksDropped += dropped
	r.log.Debug("registry blob collected", "digest", b.Digest, "size", b.Size, "links", dropped)
	return nil
}

// expireUploads cancels uploads idle for UploadTTL and removes upload
// files that have no record and have not been written to for as long.
// An upload busy with a request is left alone.
func (r *Registry) expireUploads(ctx context.Context, rep *GCReport) error {
	cutoff := r.Now().Add(-r.cfg.UploadTTL)
	type rec struct {
		s ecrdb.Scope
		u ecr.Upload
	}
	var all []rec
	err := r.st.View(ctx, func(tx store.ReadTx) error {
		all = all[:0]
		return ecrdb.ScanUploads(tx, func(s ecrdb.Scope, u ecr.Upload) error {
			all = append(all, rec{s, u})
			return nil
		})
	})
	if err != nil {
		return err
	}
	known := map[string]bool{}
	for _, x := range all {
		known[x.u.ID] = true
		if !x.u.UpdatedAt.Before(cutoff) {
			continue
		}
		unlock, ok := r.uploadLocks.TryLock(x.u.ID)
		if !ok {
			continue
		}
		err := r.st.Update(ctx, func(tx store.Tx) error {
			u, err := ecrdb.GetUpload(tx, x.s, x.u.ID)
			if ecrdb.IsNotFound(err) || (err == nil && !u.UpdatedAt.Before(cutoff)) {
				return errKeep
			} else if err != nil {
				return err
			}
			return ecrdb.DeleteUpload(tx, x.s, x.u.ID)
		})
		if err == nil {
			err = r.blobs.RemoveUpload(x.u.ID)
			rep.UploadsExpired++
		}
		unlock()
		if err != nil && !errors.Is(err, errKeep) {
			return err
		}
	}
	return r.blobs.WalkUploads(func(id string, mod time.Time) error {
		if known[id] || !mod.Before(cutoff) {
			return nil
		}
		unlock, ok := r.uploadLocks.TryLock(id)
		if !ok {
			return nil
		}
		defer unlock()
		return r.blobs.RemoveUpload(id)
	})
}
