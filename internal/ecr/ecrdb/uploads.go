package ecrdb

import (
	"strings"

	"github.com/quayside/quayside/internal/ecr"
	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/store"
)

// GetUpload returns an upload, or store.ErrNotFound.
func GetUpload(tx store.ReadTx, s Scope, id string) (ecr.Upload, error) {
	return store.Get[ecr.Upload](tx, Uploads, s.Prefix()+id)
}

// Upload returns an upload of the repository, or ErrUploadNotFound when
// there is none or it belongs to another repository.
func Upload(tx store.ReadTx, s Scope, repo, id string) (ecr.Upload, error) {
	u, err := GetUpload(tx, s, id)
	if (err == nil && u.Repository != repo) || IsNotFound(err) {
		return ecr.Upload{}, fault.Newf(ecr.ErrUploadNotFound, "upload %s is not in progress in repository '%s'", id, repo)
	}
	return u, err
}

// PutUpload writes an upload.
func PutUpload(tx store.Tx, s Scope, u ecr.Upload) error {
	return store.Put(tx, Uploads, s.Prefix()+u.ID, u)
}

// DeleteUpload removes an upload record.
func DeleteUpload(tx store.Tx, s Scope, id string) error {
	return tx.Delete(Uploads, s.Prefix()+id)
}

// ListUploads returns the scope's uploads in ID order.
func ListUploads(tx store.ReadTx, s Scope) ([]ecr.Upload, error) {
	return store.List[ecr.Upload](tx, Uploads, s.Prefix(), "", 0)
}

// ScanUploads calls fn for every upload of every scope.
func ScanUploads(tx store.ReadTx, fn func(s Scope, u ecr.Upload) error) error {
	return tx.Scan(Uploads, "", "", func(k string, b []byte) error {
		parts := strings.SplitN(k, "/", 3)
		if len(parts) != 3 {
			return nil
		}
		u, err := decode[ecr.Upload](b)
		if err != nil {
			return err
		}
		return fn(Scope{Region: parts[0], Account: parts[1]}, u)
	})
}
