package ecr

import "github.com/quayside/quayside/internal/fault"

// Error kinds that only the ECR JSON API raises (the registry never
// does). As in errors.go, the comment names the ECR exception each
// becomes through awserr's table.
var (
	// ErrImageAlreadyExists: ImageAlreadyExistsException. PutImage of a
	// manifest the repository already holds under the same tag (or
	// untagged).
	ErrImageAlreadyExists = fault.NewKind("image already exists", fault.AlreadyExists)
	// ErrLayerAlreadyExists: LayerAlreadyExistsException.
	ErrLayerAlreadyExists = fault.NewKind("layer already exists", fault.AlreadyExists)
	// ErrEmptyUpload: EmptyUploadException. CompleteLayerUpload of an
	// upload that received no part.
	ErrEmptyUpload = fault.NewKind("empty upload", fault.Invalid)
	// ErrLayerInaccessible: LayerInaccessibleException. A foreign layer,
	// which ECR does not store, asked for by GetDownloadUrlForLayer.
	ErrLayerInaccessible = fault.NewKind("layer inaccessible", fault.Invalid)
	// ErrRepositoryPolicyNotFound: RepositoryPolicyNotFoundException.
	ErrRepositoryPolicyNotFound = fault.NewKind("repository policy not found", fault.NotFound)
	// ErrLifecyclePolicyNotFound: LifecyclePolicyNotFoundException.
	ErrLifecyclePolicyNotFound = fault.NewKind("lifecycle policy not found", fault.NotFound)
	// ErrLifecyclePolicyPreviewNotFound: LifecyclePolicyPreviewNotFoundException.
	ErrLifecyclePolicyPreviewNotFound = fault.NewKind("lifecycle policy preview not found", fault.NotFound)
	// ErrScanNotFound: ScanNotFoundException. The image was never scanned.
	ErrScanNotFound = fault.NewKind("scan not found", fault.NotFound)
	// ErrTooManyTags: TooManyTagsException (more than MaxResourceTags).
	ErrTooManyTags = fault.NewKind("too many tags", fault.LimitExceeded)
	// ErrInvalidTagParameter: InvalidTagParameterException.
	ErrInvalidTagParameter = fault.NewKind("invalid tag parameter", fault.Invalid)
)

// MaxResourceTags is the most resource tags a repository may carry.
const MaxResourceTags = 50

// Messages of the ECR API, word for word where AWS's wording is known.
// Each takes the repository name and the registry ID (account), in that
// order, unless its comment says otherwise.
const (
	MsgRepositoryAlreadyExists  = "The repository with name '%s' already exists in the registry with id '%s'"
	MsgRepositoryNotEmpty       = "The repository with name '%s' in registry with id '%s' cannot be deleted because it still contains images"
	MsgRepositoryPolicyNotFound = "Repository policy does not exist for the repository with name '%s' in the registry with id '%s'"
	MsgLifecyclePolicyNotFound  = "Lifecycle policy does not exist for the repository with name '%s' in the registry with id '%s'"
	// MsgLifecyclePolicyPreviewNotFound: wording not confirmed against AWS.
	MsgLifecyclePolicyPreviewNotFound = "There is no lifecycle policy preview for the repository with name '%s' in the registry with id '%s'"
	// MsgImageIDNotFound takes the image ID as ECR prints it (see
	// FormatImageID), the repository name and the registry ID.
	MsgImageIDNotFound = "The image with imageId %s does not exist within the repository with name '%s' in the registry with id '%s'"
	// MsgScanNotFound takes the image ID (FormatImageID), the repository
	// name and the registry ID.
	MsgScanNotFound = "Image scan does not exist for the image with '%s' in the repository with name '%s' in the registry with id '%s'"
	// MsgImageAlreadyExists takes the digest, the tag ('null' when none),
	// the repository name and the registry ID.
	MsgImageAlreadyExists = "Image with digest '%s' and tag '%s' already exists in the repository with name '%s' in registry with id '%s'"
	// MsgLayersNotFound takes the missing digests as "[d1, d2]", the
	// repository name and the registry ID.
	MsgLayersNotFound = "Layers with digests '%s' required for pushing image into repository with name '%s' in the registry with id '%s' do not exist"
	// MsgReferencedImagesNotFound is MsgLayersNotFound for an index.
	MsgReferencedImagesNotFound = "Images with digests '%s' required for pushing image into repository with name '%s' in the registry with id '%s' do not exist"
	// MsgImageDigestDoesNotMatch is the model's description of the exception.
	MsgImageDigestDoesNotMatch = "The specified image digest does not match the digest that Amazon ECR calculated for the image."
	// MsgInvalidLayer is the model's description of InvalidLayerException.
	MsgInvalidLayer = "The layer digest calculation performed by Amazon ECR upon receipt of the image layer does not match the digest specified."
	// MsgInvalidLayerPart is the model's description of the exception.
	MsgInvalidLayerPart = "The layer part size is not valid, or the first byte specified is not consecutive to the last byte of a previous layer part upload."
	// MsgEmptyUpload is the model's description of the exception.
	MsgEmptyUpload = "The specified layer upload does not contain any layer parts."
	// MsgLayerAlreadyExists takes the digest, the repository name and the
	// registry ID; wording not confirmed against AWS.
	MsgLayerAlreadyExists = "The layer with digest '%s' already exists in the repository with name '%s' in the registry with id '%s'"
	// MsgUploadNotFound takes the upload ID, the repository name and the
	// registry ID; wording not confirmed against AWS.
	MsgUploadNotFound = "The upload with id '%s' does not exist in the repository with name '%s' in the registry with id '%s'"
	// MsgInvalidParameter is ECR's shape for every broken constraint: the
	// member's name and the constraint.
	MsgInvalidParameter = "Invalid parameter at '%s' failed to satisfy constraint: '%s'"
)

// FormatImageID prints an image ID as ECR's messages do:
// {imageDigest:'sha256:…', imageTag:'null'}.
func FormatImageID(d Digest, tag string) string {
	ds, ts := string(d), tag
	if ds == "" {
		ds = "null"
	}
	if ts == "" {
		ts = "null"
	}
	return "{imageDigest:'" + ds + "', imageTag:'" + ts + "'}"
}

// InvalidParameter is ECR's InvalidParameterException for a member that
// breaks a constraint.
func InvalidParameter(member, constraint string) error {
	return fault.Newf(ErrInvalidParameter, MsgInvalidParameter, member, constraint)
}
