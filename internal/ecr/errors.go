package ecr

import "github.com/quayside/quayside/internal/fault"

// Error kinds of the ECR domain. Each refines a generic fault kind. The
// comment names the ECR API exception and, after "registry:", the OCI
// distribution error code that each becomes. Build errors with
// fault.New(kind, message); match them with errors.Is.
var (
	// ErrInvalidParameter becomes InvalidParameterException.
	ErrInvalidParameter = fault.NewKind("invalid parameter", fault.Invalid)

	// ErrInvalidRepositoryName: InvalidParameterException; registry: NAME_INVALID.
	ErrInvalidRepositoryName = fault.NewKind("invalid repository name", ErrInvalidParameter)

	// ErrInvalidTag: InvalidParameterException; registry: TAG_INVALID.
	ErrInvalidTag = fault.NewKind("invalid tag", ErrInvalidParameter)

	// ErrInvalidDigest: InvalidParameterException; registry: DIGEST_INVALID.
	ErrInvalidDigest = fault.NewKind("invalid digest", ErrInvalidParameter)

	// ErrInvalidManifest: InvalidParameterException; registry: MANIFEST_INVALID.
	ErrInvalidManifest = fault.NewKind("invalid manifest", ErrInvalidParameter)

	// ErrManifestTooLarge: InvalidParameterException; registry: SIZE_INVALID (413).
	ErrManifestTooLarge = fault.NewKind("manifest too large", ErrInvalidManifest)

	// ErrUnsupportedImageType: UnsupportedImageTypeException; registry:
	// MANIFEST_INVALID. Docker schema 1 and unknown manifest media types.
	ErrUnsupportedImageType = fault.NewKind("unsupported image type", ErrInvalidManifest)

	// ErrRepositoryNotFound: RepositoryNotFoundException; registry: NAME_UNKNOWN.
	ErrRepositoryNotFound = fault.NewKind("repository not found", fault.NotFound)

	// ErrRepositoryAlreadyExists: RepositoryAlreadyExistsException.
	ErrRepositoryAlreadyExists = fault.NewKind("repository already exists", fault.AlreadyExists)

	// ErrRepositoryNotEmpty: RepositoryNotEmptyException.
	ErrRepositoryNotEmpty = fault.NewKind("repository not empty", fault.Conflict)

	// ErrImageNotFound: ImageNotFoundException; registry: MANIFEST_UNKNOWN.
	ErrImageNotFound = fault.NewKind("image not found", fault.NotFound)

	// ErrImageTagAlreadyExists: ImageTagAlreadyExistsException; registry:
	// TAG_INVALID (400), with MsgImageTagImmutable.
	ErrImageTagAlreadyExists = fault.NewKind("image tag already exists", fault.Conflict)

	// ErrImageDigestDoesNotMatch: ImageDigestDoesNotMatchException;
	// registry: DIGEST_INVALID. A manifest pushed by digest hashes otherwise.
	ErrImageDigestDoesNotMatch = fault.NewKind("image digest does not match", fault.Invalid)

	// ErrLayersNotFound: LayersNotFoundException; registry:
	// MANIFEST_BLOB_UNKNOWN when a manifest names a missing blob,
	// BLOB_UNKNOWN when a blob is fetched.
	ErrLayersNotFound = fault.NewKind("layers not found", fault.NotFound)

	// ErrReferencedImagesNotFound: ReferencedImagesNotFoundException;
	// registry: MANIFEST_BLOB_UNKNOWN. An index names a missing manifest.
	ErrReferencedImagesNotFound = fault.NewKind("referenced images not found", fault.NotFound)

	// ErrLayerInUse: registry: UNSUPPORTED (405). Deleting a blob that an
	// image of the repository still references.
	ErrLayerInUse = fault.NewKind("layer in use", fault.Conflict)

	// ErrUploadNotFound: UploadNotFoundException; registry: BLOB_UPLOAD_UNKNOWN.
	ErrUploadNotFound = fault.NewKind("upload not found", fault.NotFound)

	// ErrInvalidLayer: InvalidLayerException; registry: DIGEST_INVALID.
	// The uploaded bytes do not hash to the digest given.
	ErrInvalidLayer = fault.NewKind("invalid layer", fault.Invalid)

	// ErrInvalidLayerPart: InvalidLayerPartException; registry:
	// BLOB_UPLOAD_INVALID with 416. A chunk does not start where the
	// upload stands.
	ErrInvalidLayerPart = fault.NewKind("invalid layer part", fault.Invalid)

	// ErrSizeInvalid: registry: SIZE_INVALID. The body is shorter or longer
	// than its declared length (a truncated upload).
	ErrSizeInvalid = fault.NewKind("size invalid", fault.Invalid)
)

// Messages that ECR returns word for word.
const (
	// MsgRepositoryNotFound takes the repository name and the registry ID
	// (account).
	MsgRepositoryNotFound = "The repository with name '%s' does not exist in the registry with id '%s'"
	// MsgImageNotFound is the registry's MANIFEST_UNKNOWN message.
	MsgImageNotFound = "Requested image not found"
	// MsgImageTagImmutable takes the tag and the repository name. ECR's
	// registry has said "... because the repository is immutable." until
	// 2025 and "... because the tag is immutable." since tag mutability
	// exclusion filters exist; Quayside uses the current wording.
	MsgImageTagImmutable = "The image tag '%s' already exists in the '%s' repository and cannot be overwritten because the tag is immutable."
)
