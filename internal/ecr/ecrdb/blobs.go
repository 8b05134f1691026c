package ecrdb

import (
	"strings"
	"time"

	"github.com/quayside/quayside/internal/ecr"
	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/store"
)

// GetBlobLink returns a repository's link to a blob, or store.ErrNotFound.
func GetBlobLink(tx store.ReadTx, s Scope, repo string, d ecr.Digest) (ecr.BlobLink, error) {
	return store.Get[ecr.BlobLink](tx, Blobs, s.digestKey(repo, d))
}

// LinkBlob records that the repository holds a blob, or refreshes the
// link's time if it did already. The caller must hold the blob's lock
// and have the blob in the blob store (see package registry).
func LinkBlob(tx store.Tx, s Scope, repo string, d ecr.Digest, size int64, now time.Time) (ecr.BlobLink, error) {
	l, err := GetBlobLink(tx, s, repo, d)
	if IsNotFound(err) {
		l = ecr.BlobLink{Digest: d, Size: size}
		if err := tx.Put(BlobLinks, linkIndexKey(d, s, repo), nil); err != nil {
			return l, err
		}
	} else if err != nil {
		return l, err
	}
	l.LinkedAt = now.UTC()
	return l, store.Put(tx, Blobs, s.digestKey(repo, d), l)
}

// UnlinkBlob removes a repository's link to a blob (DELETE of a blob). A
// missing link is ErrLayersNotFound; a link that an image of the
// repository references is ErrLayerInUse.
func UnlinkBlob(tx store.Tx, s Scope, repo string, d ecr.Digest) error {
	l, err := GetBlobLink(tx, s, repo, d)
	if IsNotFound(err) {
		return fault.Newf(ecr.ErrLayersNotFound, "blob %s is not in repository '%s'", d, repo)
	} else if err != nil {
		return err
	}
	if l.Refs > 0 {
		return fault.Newf(ecr.ErrLayerInUse, "blob %s is referenced by %d image(s) in repository '%s': delete them first", d, l.Refs, repo)
	}
	return deleteLink(tx, s, repo, d)
}

// DropBlobLink removes a link whatever its references (the garbage
// collector, which checked them in the same transaction).
func DropBlobLink(tx store.Tx, s Scope, repo string, d ecr.Digest) error {
	return deleteLink(tx, s, repo, d)
}

func deleteLink(tx store.Tx, s Scope, repo string, d ecr.Digest) error {
	if err := tx.Delete(BlobLinks, linkIndexKey(d, s, repo)); err != nil {
		return err
	}
	return tx.Delete(Blobs, s.digestKey(repo, d))
}

// ListBlobLinks returns a repository's blob links in digest order.
func ListBlobLinks(tx store.ReadTx, s Scope, repo string) ([]ecr.BlobLink, error) {
	return store.List[ecr.BlobLink](tx, Blobs, s.digestKey(repo, ""), "", 0)
}

// Holder is a repository that links a blob.
type Holder struct {
	Scope      Scope
	Repository string
}

// BlobHolders returns every repository, in every scope, that links the
// blob. With a non-zero scope, only that scope's repositories.
func BlobHolders(tx store.ReadTx, d ecr.Digest, in Scope) ([]Holder, error) {
	prefix := string(d) + "/"
	if in != (Scope{}) {
		prefix += in.Prefix()
	}
	var out []Holder
	err := tx.Scan(BlobLinks, prefix, "", func(k string, _ []byte) error {
		parts := strings.SplitN(strings.TrimPrefix(k, string(d)+"/"), "/", 3)
		if len(parts) == 3 {
			out = append(out, Holder{Scope: Scope{Region: parts[0], Account: parts[1]}, Repository: parts[2]})
		}
		return nil
	})
	return out, err
}
