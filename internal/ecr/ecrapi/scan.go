package ecrapi

import (
	"context"

	"github.com/quayside/quayside/internal/ecr"
	"github.com/quayside/quayside/internal/ecr/ecrdb"
	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/protocol/awsjson"
	"github.com/quayside/quayside/internal/store"
	"github.com/quayside/quayside/internal/wire"
	"github.com/quayside/quayside/internal/wire/ecrwire"
)

// Scanning, honestly: Quayside has no vulnerability scanner yet. Scans
// (StartImageScan, or scanOnPush at push time) are accepted and recorded
// with status UNSUPPORTED_IMAGE, the model's status for an image the
// scanner cannot scan, and a description that says why. No findings,
// severity counts or completion time are ever returned, and the status is
// never COMPLETE, so no answer can be mistaken for a clean scan.

type (
	startImageScanIn struct {
		ecrwire.StartImageScanRequest
		unchecked
	}
	describeImageScanFindingsIn struct {
		ecrwire.DescribeImageScanFindingsRequest
		unchecked
	}
)

func (a *API) mountScan(s *awsjson.Service) {
	handle(a, s, "StartImageScan", a.startImageScan)
	handle(a, s, "DescribeImageScanFindings", a.describeImageScanFindings)
}

func (a *API) startImageScan(ctx context.Context, c *call, in *startImageScanIn) (*ecrwire.StartImageScanResponse, error) {
	repo, id := str(in.RepositoryName), *in.ImageId
	var im ecr.Image
	err := a.st.Update(ctx, func(tx store.Tx) error {
		if _, err := ecrdb.Repository(tx, c.scope, repo); err != nil {
			return err
		}
		found, f := resolveID(tx, c.scope, repo, id)
		if f != nil {
			return f.exception(c, repo, id)
		}
		var err error
		im, err = ecrdb.SetImageScan(tx, c.scope, repo, found.Digest, ecr.NewScan(a.now(), false))
		return err
	})
	if err != nil {
		return nil, err
	}
	out := imageID(im.Digest, str(id.ImageTag))
	return &ecrwire.StartImageScanResponse{
		RegistryId: c.registryID(), RepositoryName: wire.String(repo), ImageId: &out, ImageScanStatus: scanStatus(im.Scan),
	}, nil
}

func (a *API) describeImageScanFindings(ctx context.Context, c *call, in *describeImageScanFindingsIn) (*ecrwire.DescribeImageScanFindingsResponse, error) {
	repo, id := str(in.RepositoryName), *in.ImageId
	var im ecr.Image
	err := a.st.View(ctx, func(tx store.ReadTx) error {
		if _, err := ecrdb.Repository(tx, c.scope, repo); err != nil {
			return err
		}
		var f *failure
		if im, f = resolveID(tx, c.scope, repo, id); f != nil {
			return f.exception(c, repo, id)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if im.Scan == nil {
		return nil, fault.Newf(ecr.ErrScanNotFound, ecr.MsgScanNotFound,
			ecr.FormatImageID(ecr.Digest(str(id.ImageDigest)), str(id.ImageTag)), repo, c.scope.Account)
	}
	out := imageID(im.Digest, str(id.ImageTag))
	return &ecrwire.DescribeImageScanFindingsResponse{
		RegistryId: c.registryID(), RepositoryName: wire.String(repo), ImageId: &out, ImageScanStatus: scanStatus(im.Scan),
		// An empty object: no findings, no severity counts, no completion
		// time. The aws CLI's text output needs the object to be there.
		ImageScanFindings: &ecrwire.ImageScanFindings{},
	}, nil
}
