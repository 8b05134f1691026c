package registry

import (
	"context"
	"errors"
	"io"

	"github.com/quayside/quayside/internal/ecr"
	"github.com/quayside/quayside/internal/ecr/ecrdb"
	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/registry/blobstore"
	"github.com/quayside/quayside/internal/store"
)

// Chunk is a piece of an upload's content.
type Chunk struct {
	Body io.Reader
	// Start is where the client says the chunk goes (Content-Range); -1
	// appends wherever the upload stands.
	Start int64
	// Length is how many bytes the chunk has (Content-Length or
	// Content-Range); -1 reads the body to its end.
	Length int64
}

// StartUpload begins an upload into a repository.
func (r *Registry) StartUpload(ctx context.Context, s ecrdb.Scope, repo string) (ecr.Upload, error) {
	if _, err := r.Repository(ctx, s, repo); err != nil {
		return ecr.Upload{}, err
	}
	now := r.Now()
	u := ecr.Upload{ID: r.newID(), Repository: repo, StartedAt: now, UpdatedAt: now}
	if err := r.blobs.CreateUpload(u.ID); err != nil {
		return u, err
	}
	err := r.st.Update(ctx, func(tx store.Tx) error {
		if _, err := ecrdb.Repository(tx, s, repo); err != nil {
			return err
		}
		return ecrdb.PutUpload(tx, s, u)
	})
	if err != nil {
		_ = r.blobs.RemoveUpload(u.ID)
	}
	return u, err
}

// Upload returns an upload in progress, or ErrUploadNotFound.
func (r *Registry) Upload(ctx context.Context, s ecrdb.Scope, repo, id string) (u ecr.Upload, err error) {
	err = r.st.View(ctx, func(tx store.ReadTx) error {
		u, err = ecrdb.Upload(tx, s, repo, id)
		return err
	})
	return u, err
}

// AppendUpload adds a chunk to an upload. A chunk that does not start
// where the upload stands is ErrInvalidLayerPart and changes nothing. A
// body that ends before Length is ErrSizeInvalid, but the bytes that came
// are kept: the client may ask where the upload stands and resume. The
// upload as it now stands is returned in every case.
func (r *Registry) AppendUpload(ctx context.Context, s ecrdb.Scope, repo, id string, c Chunk) (ecr.Upload, error) {
	unlock := r.uploadLocks.Lock(id)
	defer unlock()
	return r.appendLocked(ctx, s, repo, id, c)
}

func (r *Registry) appendLocked(ctx context.Context, s ecrdb.Scope, repo, id string, c Chunk) (ecr.Upload, error) {
	u, err := r.Upload(ctx, s, repo, id)
	if err != nil {
		return u, err
	}
	if c.Start >= 0 && c.Start != u.Offset {
		return u, fault.Newf(ecr.ErrInvalidLayerPart, "chunk starts at byte %d; the upload has %d bytes, so the next chunk starts at %d", c.Start, u.Offset, u.Offset)
	}
	body := c.Body
	if c.Length >= 0 {
		body = io.LimitReader(body, c.Length)
	}
	start := u.Offset
	st, aerr := r.blobs.Append(id, blobstore.State{Offset: u.Offset, Hash: u.HashState}, body)
	var rerr *blobstore.ReadError
	if aerr != nil && !errors.As(aerr, &rerr) {
		if errors.Is(aerr, blobstore.ErrNotFound) {
			return u, fault.Newf(ecr.ErrUploadNotFound, "upload %s has lost its data; start a new upload", id)
		}
		return u, aerr
	}
	if st.Offset != u.Offset {
		// The bytes are on disk: record them even if the client has gone
		// (its request context is then cancelled), so that it can resume.
		u.Offset, u.HashState, u.UpdatedAt = st.Offset, st.Hash, r.Now()
		err := r.st.Update(context.WithoutCancel(ctx), func(tx store.Tx) error {
			if _, err := ecrdb.Upload(tx, s, repo, id); err != nil {
				return err
			}
			return ecrdb.PutUpload(tx, s, u)
		})
		if err != nil {
			return u, err
		}
	}
	got := st.Offset - start
	switch {
	case rerr != nil:
		return u, fault.Wrap(ecr.ErrSizeInvalid, rerr, "the upload body ended early; the upload keeps the bytes received: resume from the upload's range")
	case c.Length >= 0 && got != c.Length:
		return u, fault.Newf(ecr.ErrSizeInvalid, "the chunk had %d bytes, not the %d announced; the upload keeps the bytes received", got, c.Length)
	}
	return u, nil
}

// CompleteUpload adds an optional last chunk, checks that the upload's
// content has digest d, and makes it a blob of the repository. A digest
// mismatch is ErrInvalidLayer and cancels the upload; an out-of-order
// last chunk is ErrInvalidLayerPart and leaves it as it was.
func (r *Registry) CompleteUpload(ctx context.Context, s ecrdb.Scope, repo, id string, d ecr.Digest, last *Chunk) (ecr.BlobLink, error) {
	unlock := r.uploadLocks.Lock(id)
	defer unlock()
	u, err := r.Upload(ctx, s, repo, id)
	if err != nil {
		return ecr.BlobLink{}, err
	}
	if last != nil {
		if u, err = r.appendLocked(ctx, s, repo, id, *last); err != nil {
			return ecr.BlobLink{}, err
		}
	}
	unlockDigest := r.digestLocks.Lock(string(d))
	defer unlockDigest()
	info, err := r.blobs.Commit(id, blobstore.State{Offset: u.Offset, Hash: u.HashState}, d)
	if errors.Is(err, blobstore.ErrNotFound) {
		// A completion that committed the file and crashed before its
		// transaction: the blob is there if it matches.
		if info, err = r.blobs.Stat(d); err == nil && info.Size != u.Offset {
			err = blobstore.ErrDigestMismatch
		}
	}
	if errors.Is(err, blobstore.ErrDigestMismatch) {
		_ = r.cancel(ctx, s, repo, id)
		return ecr.BlobLink{}, fault.Newf(ecr.ErrInvalidLayer, "the uploaded content does not match digest %s; the upload is cancelled", d)
	} else if err != nil {
		return ecr.BlobLink{}, err
	}
	// The blob is in place: link it even if the client has gone.
	var link ecr.BlobLink
	err = r.st.Update(context.WithoutCancel(ctx), func(tx store.Tx) error {
		if _, err := ecrdb.Repository(tx, s, repo); err != nil {
			return err
		}
		l, err := ecrdb.LinkBlob(tx, s, repo, d, info.Size, r.Now())
		link = l
		if err != nil {
			return err
		}
		return ecrdb.DeleteUpload(tx, s, id)
	})
	return link, err
}

// CancelUpload abandons an upload.
func (r *Registry) CancelUpload(ctx context.Context, s ecrdb.Scope, repo, id string) error {
	unlock := r.uploadLocks.Lock(id)
	defer unlock()
	if _, err := r.Upload(ctx, s, repo, id); err != nil {
		return err
	}
	return r.cancel(ctx, s, repo, id)
}

func (r *Registry) cancel(ctx context.Context, s ecrdb.Scope, repo, id string) error {
	err := r.st.Update(ctx, func(tx store.Tx) error { return ecrdb.DeleteUpload(tx, s, id) })
	if err != nil {
		return err
	}
	return r.blobs.RemoveUpload(id)
}

// PutBlob uploads a whole blob in one request (a monolithic upload).
func (r *Registry) PutBlob(ctx context.Context, s ecrdb.Scope, repo string, d ecr.Digest, c Chunk) (ecr.BlobLink, error) {
	if _, err := r.Repository(ctx, s, repo); err != nil {
		return ecr.BlobLink{}, err
	}
	id := r.newID()
	if err := r.blobs.CreateUpload(id); err != nil {
		return ecr.BlobLink{}, err
	}
	defer r.blobs.RemoveUpload(id)
	body := c.Body
	if c.Length >= 0 {
		body = io.LimitReader(body, c.Length)
	}
	st, err := r.blobs.Append(id, blobstore.State{}, body)
	var rerr *blobstore.ReadError
	if errors.As(err, &rerr) || (err == nil && c.Length >= 0 && st.Offset != c.Length) {
		return ecr.BlobLink{}, fault.Wrap(ecr.ErrSizeInvalid, err, "the blob body ended early")
	} else if err != nil {
		return ecr.BlobLink{}, err
	}
	unlock := r.digestLocks.Lock(string(d))
	defer unlock()
	info, err := r.blobs.Commit(id, st, d)
	if errors.Is(err, blobstore.ErrDigestMismatch) {
		return ecr.BlobLink{}, fault.Newf(ecr.ErrInvalidLayer, "the uploaded content does not match digest %s", d)
	} else if err != nil {
		return ecr.BlobLink{}, err
	}
	var link ecr.BlobLink
	err = r.st.Update(context.WithoutCancel(ctx), func(tx store.Tx) error {
		if _, err := ecrdb.Repository(tx, s, repo); err != nil {
			return err
		}
		link, err = ecrdb.LinkBlob(tx, s, repo, d, info.Size, r.Now())
		return err
	})
	return link, err
}

// MountBlob links a blob that another repository of the scope holds into
// repo. With from empty, any repository of the scope will do. ok is false
// when no such repository holds it (the caller then starts an upload).
func (r *Registry) MountBlob(ctx context.Context, s ecrdb.Scope, repo, from string, d ecr.Digest) (link ecr.BlobLink, ok bool, err error) {
	unlock := r.digestLocks.Lock(string(d))
	defer unlock()
	info, err := r.blobs.Stat(d)
	if errors.Is(err, blobstore.ErrNotFound) {
		return link, false, r.checkRepository(ctx, s, repo)
	} else if err != nil {
		return link, false, err
	}
	err = r.st.Update(ctx, func(tx store.Tx) error {
		ok = false
		if _, err := ecrdb.Repository(tx, s, repo); err != nil {
			return err
		}
		if from != "" {
			if _, err := ecrdb.GetBlobLink(tx, s, from, d); ecrdb.IsNotFound(err) {
				return nil
			} else if err != nil {
				return err
			}
		} else if hs, err := ecrdb.BlobHolders(tx, d, s); err != nil || len(hs) == 0 {
			return err
		}
		ok = true
		link, err = ecrdb.LinkBlob(tx, s, repo, d, info.Size, r.Now())
		return err
	})
	return link, ok, err
}

func (r *Registry) checkRepository(ctx context.Context, s ecrdb.Scope, repo string) error {
	_, err := r.Repository(ctx, s, repo)
	return err
}
