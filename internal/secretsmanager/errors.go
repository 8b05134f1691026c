package secretsmanager

import "github.com/quayside/quayside/internal/fault"

// Error kinds; awserr maps them to Secrets Manager's exceptions.
var (
	ErrResourceNotFound = fault.NewKind("secret not found", fault.NotFound)
	ErrResourceExists   = fault.NewKind("secret exists", fault.AlreadyExists)
	ErrInvalidParameter = fault.NewKind("invalid parameter", fault.Invalid)
	ErrInvalidRequest   = fault.NewKind("invalid request", fault.Conflict)
	ErrLimitExceeded    = fault.NewKind("limit exceeded", fault.LimitExceeded)
	ErrValidation       = fault.NewKind("secretsmanager validation", fault.Invalid)
	ErrInvalidNextToken = fault.NewKind("invalid next token", fault.Invalid)
	ErrEncryption       = fault.NewKind("encryption failure", fault.Internal)
	ErrDecryption       = fault.NewKind("decryption failure", fault.Internal)
)

// Messages AWS returns, where they are known.
const (
	msgNotFound        = "Secrets Manager can't find the specified secret."
	msgMarkedDeleted   = "You can't perform this operation on the secret because it was marked for deletion."
	msgScheduled       = "You can't create this secret because a secret with this name is already scheduled for deletion."
	msgBadName         = "Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!"
	msgBothValues      = "You can't specify both a binary secret value and a string secret value in the same secret."
	msgNoValue         = "You must provide either SecretString or SecretBinary."
	msgVersionExists   = "You can't modify an existing version, you can only create a new version."
	msgWindow          = "The RecoveryWindowInDays value must be between 7 and 30 days (inclusive)."
	msgForceAndWindow  = "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays."
	msgNotDeleted      = "You can't perform this operation on the secret because it isn't marked for deletion."
	msgStageMismatch   = "You provided a VersionStage that is not associated to the provided VersionId."
	msgIdsAndFilters   = "Either SecretIdList or Filters must be specified, but not both."
	msgMaxWithIds      = "MaxResults can only be used with Filters, not with SecretIdList."
	msgInvalidToken    = "The NextToken value is invalid."
	msgDecryption      = "Secrets Manager can't decrypt the protected secret text using the provided KMS key."
	msgEncryption      = "Secrets Manager can't encrypt the protected secret text using the provided KMS key."
	msgTooManyStages   = "A version of a secret can have at most 20 staging labels."
	msgRemoveCurrent   = "You can't remove the staging label AWSCURRENT from a version without moving it to another version with MoveToVersionId."
	msgStageRequired   = "You must specify MoveToVersionId, RemoveFromVersionId or both."
	msgPasswordTypes   = "The password length is too short to include every required character type."
	msgPasswordNoChars = "The combination of parameters excludes every character; no password can be generated."
)

func notFound() error { return fault.New(ErrResourceNotFound, msgNotFound) }

func markedDeleted() error { return fault.New(ErrInvalidRequest, msgMarkedDeleted) }

func exists(name string) error {
	return fault.Newf(ErrResourceExists, "The operation failed because the secret %s already exists.", name)
}

func noStage(stage string) error {
	return fault.Newf(ErrResourceNotFound, "Secrets Manager can't find the specified secret value for staging label: %s", stage)
}

func noVersion(id string) error {
	return fault.Newf(ErrResourceNotFound, "Secrets Manager can't find the specified secret value for VersionId: %s", id)
}

func mustRemoveFrom(stage, holder string) error {
	return fault.Newf(ErrInvalidParameter, "The parameter RemoveFromVersionId can't be empty. Staging label %s is currently attached "+
		"to version %s, so you must explicitly reference that version in RemoveFromVersionId.", stage, holder)
}

func notOnVersion(stage, version string) error {
	return fault.Newf(ErrInvalidParameter, "The staging label %s is not attached to version %s; check RemoveFromVersionId.", stage, version)
}
