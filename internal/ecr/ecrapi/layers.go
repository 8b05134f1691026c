package ecrapi

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"

	"github.com/quayside/quayside/internal/ecr"
	"github.com/quayside/quayside/internal/ecr/ecrauth"
	"github.com/quayside/quayside/internal/ecr/ecrdb"
	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/protocol/awsjson"
	"github.com/quayside/quayside/internal/registry"
	"github.com/quayside/quayside/internal/store"
	"github.com/quayside/quayside/internal/wire"
	"github.com/quayside/quayside/internal/wire/ecrwire"
)

// PartSize is the part size InitiateLayerUpload recommends (ECR's).
// Parts may be of any size up to what one API request carries: the edge
// caps request bodies at 16 MiB, so about 12 MiB of base64-encoded part.
const PartSize = 10 << 20

// Layer media type BatchCheckLayerAvailability reports for blobs whose
// type the repository does not know (ECR reports this one for layers
// uploaded with the layer API).
const defaultLayerMediaType = "application/vnd.docker.container.image.rootfs.diff+x-gtar"

type (
	initiateLayerUploadIn struct {
		ecrwire.InitiateLayerUploadRequest
		unchecked
	}
	uploadLayerPartIn struct {
		ecrwire.UploadLayerPartRequest
		unchecked
	}
	completeLayerUploadIn struct {
		ecrwire.CompleteLayerUploadRequest
		unchecked
	}
	batchCheckLayerAvailabilityIn struct {
		ecrwire.BatchCheckLayerAvailabilityRequest
		unchecked
	}
	getDownloadURLForLayerIn struct {
		ecrwire.GetDownloadUrlForLayerRequest
		unchecked
	}
)

func (a *API) mountLayers(s *awsjson.Service) {
	handle(a, s, "InitiateLayerUpload", a.initiateLayerUpload)
	handle(a, s, "UploadLayerPart", a.uploadLayerPart)
	handle(a, s, "CompleteLayerUpload", a.completeLayerUpload)
	handle(a, s, "BatchCheckLayerAvailability", a.batchCheckLayerAvailability)
	handle(a, s, "GetDownloadUrlForLayer", a.getDownloadURLForLayer)
}

func (a *API) initiateLayerUpload(ctx context.Context, c *call, in *initiateLayerUploadIn) (*ecrwire.InitiateLayerUploadResponse, error) {
	u, err := a.reg.StartUpload(ctx, c.scope, str(in.RepositoryName))
	if err != nil {
		return nil, err
	}
	return &ecrwire.InitiateLayerUploadResponse{UploadId: wire.String(u.ID), PartSize: wire.Int64(PartSize)}, nil
}

// uploadLayerPart appends a part: it must start at the byte after the
// last one received (partFirstByte) and hold exactly partLastByte -
// partFirstByte + 1 bytes.
func (a *API) uploadLayerPart(ctx context.Context, c *call, in *uploadLayerPartIn) (*ecrwire.UploadLayerPartResponse, error) {
	repo, id := str(in.RepositoryName), str(in.UploadId)
	if _, err := a.repository(ctx, c, repo); err != nil {
		return nil, err
	}
	first, last := wire.ToInt64(in.PartFirstByte), wire.ToInt64(in.PartLastByte)
	n := int64(len(in.LayerPartBlob))
	if n == 0 || last < first || last-first+1 != n {
		return nil, fault.New(ecr.ErrInvalidLayerPart, ecr.MsgInvalidLayerPart)
	}
	u, err := a.reg.AppendUpload(ctx, c.scope, repo, id, registry.Chunk{Body: bytes.NewReader(in.LayerPartBlob), Start: first, Length: n})
	if err != nil {
		return nil, a.uploadError(err, c, repo, id)
	}
	return &ecrwire.UploadLayerPartResponse{
		RegistryId: c.registryID(), RepositoryName: wire.String(repo), UploadId: wire.String(id),
		LastByteReceived: wire.Int64(u.Offset - 1),
	}, nil
}

// completeLayerUpload verifies the upload's digest and makes it a layer
// of the repository.
func (a *API) completeLayerUpload(ctx context.Context, c *call, in *completeLayerUploadIn) (*ecrwire.CompleteLayerUploadResponse, error) {
	repo, id := str(in.RepositoryName), str(in.UploadId)
	if _, err := a.repository(ctx, c, repo); err != nil {
		return nil, err
	}
	u, err := a.reg.Upload(ctx, c.scope, repo, id)
	if err != nil {
		return nil, a.uploadError(err, c, repo, id)
	}
	if len(in.LayerDigests) == 0 {
		return nil, ecr.InvalidParameter("layerDigests", "Member must have length greater than or equal to 1")
	}
	d, err := ecr.ParseDigest(in.LayerDigests[0])
	if err != nil {
		return nil, fault.Wrap(ecr.ErrInvalidLayer, err, ecr.MsgInvalidLayer)
	}
	if u.Offset == 0 {
		return nil, fault.New(ecr.ErrEmptyUpload, ecr.MsgEmptyUpload)
	}
	if _, err := a.blobLink(ctx, c, repo, d); err == nil {
		_ = a.reg.CancelUpload(ctx, c.scope, repo, id)
		return nil, fault.Newf(ecr.ErrLayerAlreadyExists, ecr.MsgLayerAlreadyExists, d, repo, c.scope.Account)
	} else if !ecrdb.IsNotFound(err) {
		return nil, err
	}
	if _, err := a.reg.CompleteUpload(ctx, c.scope, repo, id, d, nil); err != nil {
		return nil, a.uploadError(err, c, repo, id)
	}
	return &ecrwire.CompleteLayerUploadResponse{
		RegistryId: c.registryID(), RepositoryName: wire.String(repo), UploadId: wire.String(id), LayerDigest: wire.String(string(d)),
	}, nil
}

// uploadError rewords the registry's upload errors as ECR's API does.
func (a *API) uploadError(err error, c *call, repo, id string) error {
	switch {
	case errors.Is(err, ecr.ErrUploadNotFound):
		return fault.Wrap(ecr.ErrUploadNotFound, err, fmt.Sprintf(ecr.MsgUploadNotFound, id, repo, c.scope.Account))
	case errors.Is(err, ecr.ErrInvalidLayerPart), errors.Is(err, ecr.ErrSizeInvalid):
		return fault.Wrap(ecr.ErrInvalidLayerPart, err, ecr.MsgInvalidLayerPart)
	case errors.Is(err, ecr.ErrInvalidLayer):
		return fault.Wrap(ecr.ErrInvalidLayer, err, ecr.MsgInvalidLayer)
	}
	return err
}

func (a *API) blobLink(ctx context.Context, c *call, repo string, d ecr.Digest) (l ecr.BlobLink, err error) {
	err = a.st.View(ctx, func(tx store.ReadTx) error {
		l, err = ecrdb.GetBlobLink(tx, c.scope, repo, d)
		return err
	})
	return l, err
}

func (a *API) batchCheckLayerAvailability(ctx context.Context, c *call, in *batchCheckLayerAvailabilityIn) (*ecrwire.BatchCheckLayerAvailabilityResponse, error) {
	repo := str(in.RepositoryName)
	out := &ecrwire.BatchCheckLayerAvailabilityResponse{Layers: []ecrwire.Layer{}, Failures: []ecrwire.LayerFailure{}}
	err := a.st.View(ctx, func(tx store.ReadTx) error {
		if _, err := ecrdb.Repository(tx, c.scope, repo); err != nil {
			return err
		}
		for _, ds := range in.LayerDigests {
			d, err := ecr.ParseDigest(ds)
			if err != nil {
				out.Failures = append(out.Failures, layerFailure(ds, "InvalidLayerDigest", "Invalid layer digest"))
				continue
			}
			l, err := ecrdb.GetBlobLink(tx, c.scope, repo, d)
			if ecrdb.IsNotFound(err) {
				out.Failures = append(out.Failures, layerFailure(ds, "MissingLayerDigest", "Could not find layer"))
				continue
			} else if err != nil {
				return err
			}
			mt := l.MediaType
			if mt == "" {
				mt = defaultLayerMediaType
			}
			out.Layers = append(out.Layers, ecrwire.Layer{
				LayerDigest: wire.String(ds), LayerAvailability: wire.String("AVAILABLE"),
				LayerSize: wire.Int64(l.Size), MediaType: wire.String(mt),
			})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func layerFailure(d, code, reason string) ecrwire.LayerFailure {
	return ecrwire.LayerFailure{LayerDigest: wire.String(d), FailureCode: wire.String(code), FailureReason: wire.String(reason)}
}

// getDownloadURLForLayer returns the registry's URL of the blob with a
// signed layer token in its query: it downloads the layer without
// docker login for an hour (ecrauth.LayerURLValidity).
func (a *API) getDownloadURLForLayer(ctx context.Context, c *call, in *getDownloadURLForLayerIn) (*ecrwire.GetDownloadUrlForLayerResponse, error) {
	repo := str(in.RepositoryName)
	if _, err := a.repository(ctx, c, repo); err != nil {
		return nil, err
	}
	d, err := ecr.ParseDigest(str(in.LayerDigest))
	if err != nil {
		return nil, err
	}
	if _, err := a.blobLink(ctx, c, repo, d); ecrdb.IsNotFound(err) {
		return nil, fault.Newf(ecr.ErrLayersNotFound,
			"The layer with digest '%s' does not exist in the repository with name '%s' in the registry with id '%s'", d, repo, c.scope.Account)
	} else if err != nil {
		return nil, err
	}
	tok, _ := a.reg.Auth().NewLayerToken(c.scope.Account, c.scope.Region, repo, string(d), a.now())
	u := "http://" + a.host() + "/v2/" + repo + "/blobs/" + string(d) + "?" + ecrauth.LayerTokenParam + "=" + url.QueryEscape(tok)
	return &ecrwire.GetDownloadUrlForLayerResponse{DownloadUrl: wire.String(u), LayerDigest: wire.String(string(d))}, nil
}
