package ecrapi

import (
	"github.com/quayside/quayside/internal/ecr"
	"github.com/quayside/quayside/internal/ecr/ecrdb"
	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/store"
	"github.com/quayside/quayside/internal/wire"
	"github.com/quayside/quayside/internal/wire/ecrwire"
)

// Failure codes and reasons of the batch image operations. The codes are
// the model's ImageFailureCode values; the reasons are ECR's where known.
const (
	failImageNotFound         = "ImageNotFound"
	failInvalidImageDigest    = "InvalidImageDigest"
	failMissingDigestAndTag   = "MissingDigestAndTag"
	failTagDoesNotMatchDigest = "ImageTagDoesNotMatchDigest"
	failReferencedByList      = "ImageReferencedByManifestList"

	reasonImageNotFound       = "Requested image not found"
	reasonInvalidImageDigest  = "Invalid request parameters: image digest should satisfy the regex '[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+'"
	reasonMissingDigestAndTag = "Invalid request parameters: both tag and digest cannot be null"
	// Not confirmed against AWS.
	reasonTagDoesNotMatchDigest = "Invalid request parameters: given tag and digest do not match"
	reasonReferencedByList      = "Requested image referenced by manifest list: "
)

// failure is why an image ID names no image.
type failure struct{ code, reason string }

func (f *failure) out(id ecrwire.ImageIdentifier) ecrwire.ImageFailure {
	return ecrwire.ImageFailure{ImageId: &id, FailureCode: wire.String(f.code), FailureReason: wire.String(f.reason)}
}

// exception is the failure as the exception of an operation that takes
// one image ID (DescribeImages, StartImageScan, ...).
func (f *failure) exception(c *call, repo string, id ecrwire.ImageIdentifier) error {
	switch f.code {
	case failImageNotFound:
		return fault.Newf(ecr.ErrImageNotFound, ecr.MsgImageIDNotFound,
			ecr.FormatImageID(ecr.Digest(str(id.ImageDigest)), str(id.ImageTag)), repo, c.scope.Account)
	case failInvalidImageDigest:
		return ecr.InvalidParameter("imageDigest", "must satisfy regular expression '[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+'")
	}
	return fault.New(ecr.ErrInvalidParameter, f.reason)
}

// resolveID finds the image an ID names: by digest, by tag, or by both
// when they agree.
func resolveID(tx store.ReadTx, s ecrdb.Scope, repo string, id ecrwire.ImageIdentifier) (ecr.Image, *failure) {
	digest, tag := str(id.ImageDigest), str(id.ImageTag)
	if digest == "" && tag == "" {
		return ecr.Image{}, &failure{failMissingDigestAndTag, reasonMissingDigestAndTag}
	}
	ref := tag
	if digest != "" {
		if _, err := ecr.ParseDigest(digest); err != nil {
			return ecr.Image{}, &failure{failInvalidImageDigest, reasonInvalidImageDigest}
		}
		ref = digest
	}
	im, err := ecrdb.ResolveImage(tx, s, repo, ref)
	if err != nil {
		return im, &failure{failImageNotFound, reasonImageNotFound}
	}
	if digest != "" && tag != "" && !hasTag(im, tag) {
		return im, &failure{failTagDoesNotMatchDigest, reasonTagDoesNotMatchDigest}
	}
	return im, nil
}

func hasTag(im ecr.Image, tag string) bool {
	for _, t := range im.Tags {
		if t == tag {
			return true
		}
	}
	return false
}
