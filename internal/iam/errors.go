package iam

import (
	"fmt"

	"github.com/quayside/quayside/internal/fault"
)

// Error kinds; awserr maps them to IAM's (and STS's) error codes.
var (
	ErrNoSuchEntity        = fault.NewKind("iam no such entity", fault.NotFound)
	ErrEntityAlreadyExists = fault.NewKind("iam entity already exists", fault.AlreadyExists)
	ErrMalformedPolicy     = fault.NewKind("malformed policy document", fault.Invalid)
	ErrDeleteConflict      = fault.NewKind("iam delete conflict", fault.Conflict)
	ErrLimitExceeded       = fault.NewKind("iam limit exceeded", fault.LimitExceeded)
	ErrInvalidInput        = fault.NewKind("iam invalid input", fault.Invalid)
	ErrValidation          = fault.NewKind("iam validation", fault.Invalid)
	ErrAccessDenied        = fault.NewKind("iam access denied", fault.AccessDenied)
)

// Quotas IAM applies by default.
const (
	MaxTrustPolicySize    = 2048  // ACLSizePerRole, characters without whitespace
	MaxManagedPolicySize  = 6144  // PolicySize
	MaxInlinePolicySize   = 10240 // all of a role's inline policies together
	MaxPoliciesPerRole    = 10    // PoliciesPerRole (managed policies attached)
	MaxPolicyVersions     = 5
	MaxTagsPerRole        = 50
	DefaultSessionSeconds = 3600
)

func noSuchRole(name string) error {
	return fault.Newf(ErrNoSuchEntity, "The role with name %s cannot be found.", name)
}

func noSuchRolePolicy(role, name string) error {
	return fault.Newf(ErrNoSuchEntity, "The role policy with name %s cannot be found.", name)
}

func noSuchPolicy(arn string) error {
	return fault.Newf(ErrNoSuchEntity, "Policy %s was not found.", arn)
}

func notAttachable(arn string) error {
	return fault.Newf(ErrNoSuchEntity, "Policy %s does not exist or is not attachable.", arn)
}

func invalidARN(arn string) error {
	return fault.Newf(ErrInvalidInput, "ARN %s is not valid.", arn)
}

func quota(name string, limit int) error {
	return fault.Newf(ErrLimitExceeded, "Cannot exceed quota for %s: %d", name, limit)
}

func invalidPath() error {
	return fault.New(ErrValidation, "The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.")
}

func malformed(err error) error {
	return fault.Wrap(ErrMalformedPolicy, err, err.Error())
}

func accessDenied(caller, action, resource string) error {
	return fault.New(ErrAccessDenied, fmt.Sprintf("User: %s is not authorized to perform: %s on resource: %s", caller, action, resource))
}
