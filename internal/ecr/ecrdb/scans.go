package ecrdb

import (
	"github.com/quayside/quayside/internal/ecr"
	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/store"
)

// SetImageScan records an image's scan. A missing image is
// ErrImageNotFound.
func SetImageScan(tx store.Tx, s Scope, repo string, d ecr.Digest, scan *ecr.ScanRecord) (ecr.Image, error) {
	im, err := GetImage(tx, s, repo, d)
	if IsNotFound(err) {
		return im, fault.New(ecr.ErrImageNotFound, ecr.MsgImageNotFound)
	} else if err != nil {
		return im, err
	}
	im.Scan = scan
	return im, store.Put(tx, Images, s.digestKey(repo, d), im)
}
