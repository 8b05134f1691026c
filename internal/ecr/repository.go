package ecr

import (
	"time"

	"github.com/quayside/quayside/internal/fault"
)

// TagMutability is a repository's imageTagMutability.
type TagMutability string

// Tag mutability settings, as in the botocore model.
const (
	Mutable                = TagMutability("MUTABLE")
	Immutable              = TagMutability("IMMUTABLE")
	ImmutableWithExclusion = TagMutability("IMMUTABLE_WITH_EXCLUSION")
	MutableWithExclusion   = TagMutability("MUTABLE_WITH_EXCLUSION")
)

// Valid reports whether m is a known setting.
func (m TagMutability) Valid() bool {
	switch m {
	case Mutable, Immutable, ImmutableWithExclusion, MutableWithExclusion:
		return true
	}
	return false
}

// ExclusionFilter excludes matching tags from the repository's mutability
// setting (imageTagMutabilityExclusionFilters). FilterType is WILDCARD;
// Filter is a tag pattern in which '*' matches any run of characters.
type ExclusionFilter struct {
	FilterType string `json:"filterType"`
	Filter     string `json:"filter"`
}

// ScanningConfiguration is imageScanningConfiguration.
type ScanningConfiguration struct {
	ScanOnPush bool `json:"scanOnPush"`
}

// Encryption types.
const (
	EncryptionAES256  = "AES256"
	EncryptionKMS     = "KMS"
	EncryptionKMSDSSE = "KMS_DSSE"
)

// EncryptionConfiguration is encryptionConfiguration. Quayside records it;
// blobs are stored unencrypted in the data dir.
type EncryptionConfiguration struct {
	EncryptionType string `json:"encryptionType"`
	KMSKey         string `json:"kmsKey,omitempty"`
}

// Tag is a resource tag (not an image tag).
type Tag struct {
	Key   string `json:"Key"`
	Value string `json:"Value"`
}

// Repository is an ECR repository.
type Repository struct {
	Name       string    `json:"repositoryName"`
	RegistryID string    `json:"registryId"` // the account
	Region     string    `json:"region"`
	ARN        string    `json:"repositoryArn"`
	CreatedAt  time.Time `json:"createdAt"`

	ImageTagMutability                 TagMutability           `json:"imageTagMutability"`
	ImageTagMutabilityExclusionFilters []ExclusionFilter       `json:"imageTagMutabilityExclusionFilters,omitempty"`
	ImageScanningConfiguration         ScanningConfiguration   `json:"imageScanningConfiguration"`
	EncryptionConfiguration            EncryptionConfiguration `json:"encryptionConfiguration"`
	Tags                               []Tag                   `json:"tags,omitempty"`

	// PolicyText is the repository policy (SetRepositoryPolicy), JSON.
	PolicyText string `json:"policyText,omitempty"`
	// LifecyclePolicyText is the lifecycle policy, JSON.
	LifecyclePolicyText      string     `json:"lifecyclePolicyText,omitempty"`
	LifecyclePolicyUpdatedAt *time.Time `json:"lifecyclePolicyUpdatedAt,omitempty"`
	// LifecyclePolicyEvaluatedAt is when the policy last ran (lastEvaluatedAt).
	LifecyclePolicyEvaluatedAt *time.Time `json:"lifecyclePolicyEvaluatedAt,omitempty"`
}

// RepositoryARN is arn:aws:ecr:<region>:<account>:repository/<name>.
func RepositoryARN(region, account, name string) string {
	return "arn:aws:ecr:" + region + ":" + account + ":repository/" + name
}

// URI is the repository URI for a registry host (see RegistryHost).
func (r Repository) URI(registryHost string) string { return RepositoryURI(registryHost, r.Name) }

// NewRepository is what CreateRepository is given.
type NewRepository struct {
	Region, Account string
	Name            string
	// The rest are optional; zero values take ECR's defaults (MUTABLE,
	// scanOnPush false, AES256).
	ImageTagMutability                 TagMutability
	ImageTagMutabilityExclusionFilters []ExclusionFilter
	ImageScanningConfiguration         ScanningConfiguration
	EncryptionConfiguration            EncryptionConfiguration
	Tags                               []Tag
}

// Build validates the request and returns the repository with defaults
// resolved.
func (n NewRepository) Build(now time.Time) (Repository, error) {
	if err := ValidateRepositoryName(n.Name); err != nil {
		return Repository{}, err
	}
	r := Repository{
		Name: n.Name, RegistryID: n.Account, Region: n.Region,
		ARN: RepositoryARN(n.Region, n.Account, n.Name), CreatedAt: now.UTC(),
		ImageTagMutability:                 n.ImageTagMutability,
		ImageTagMutabilityExclusionFilters: n.ImageTagMutabilityExclusionFilters,
		ImageScanningConfiguration:         n.ImageScanningConfiguration,
		EncryptionConfiguration:            n.EncryptionConfiguration,
		Tags:                               n.Tags,
	}
	if r.ImageTagMutability == "" {
		r.ImageTagMutability = Mutable
	}
	if r.EncryptionConfiguration.EncryptionType == "" {
		r.EncryptionConfiguration.EncryptionType = EncryptionAES256
	}
	if err := r.validateSettings(); err != nil {
		return Repository{}, err
	}
	return r, nil
}

func (r Repository) validateSettings() error {
	if !r.ImageTagMutability.Valid() {
		return fault.Newf(ErrInvalidParameter, "Invalid parameter at 'imageTagMutability' failed to satisfy constraint: 'Member must satisfy enum value set: [MUTABLE, IMMUTABLE, IMMUTABLE_WITH_EXCLUSION, MUTABLE_WITH_EXCLUSION]'")
	}
	if err := ValidateExclusionFilters(r.ImageTagMutability, r.ImageTagMutabilityExclusionFilters); err != nil {
		return err
	}
	switch r.EncryptionConfiguration.EncryptionType {
	case EncryptionAES256:
		if r.EncryptionConfiguration.KMSKey != "" {
			return fault.New(ErrInvalidParameter, "Invalid parameter: kmsKey may only be given with encryptionType KMS or KMS_DSSE")
		}
	case EncryptionKMS, EncryptionKMSDSSE:
	default:
		return fault.New(ErrInvalidParameter, "Invalid parameter at 'encryptionType' failed to satisfy constraint: 'Member must satisfy enum value set: [AES256, KMS, KMS_DSSE]'")
	}
	return nil
}
