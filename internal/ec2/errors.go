package ec2

import (
	"fmt"

	"github.com/quayside/quayside/internal/fault"
)

// Error kinds; awserr maps them to EC2's codes. The kind's name is the
// code EC2 returns.
var (
	ErrInvalidParameterValue   = fault.NewKind("InvalidParameterValue", fault.Invalid)
	ErrInvalidParameter        = fault.NewKind("InvalidParameter", fault.Invalid)
	ErrMissingParameter        = fault.NewKind("MissingParameter", fault.Invalid)
	ErrInvalidSubnetNotFound   = fault.NewKind("InvalidSubnetID.NotFound", fault.NotFound)
	ErrInvalidVpcNotFound      = fault.NewKind("InvalidVpcID.NotFound", fault.NotFound)
	ErrInvalidGroupNotFound    = fault.NewKind("InvalidGroup.NotFound", fault.NotFound)
	ErrInvalidENINotFound      = fault.NewKind("InvalidNetworkInterfaceID.NotFound", fault.NotFound)
	ErrInvalidRuleNotFound     = fault.NewKind("InvalidSecurityGroupRuleId.NotFound", fault.NotFound)
	ErrInvalidPermNotFound     = fault.NewKind("InvalidPermission.NotFound", fault.NotFound)
	ErrInvalidGroupDuplicate   = fault.NewKind("InvalidGroup.Duplicate", fault.AlreadyExists)
	ErrInvalidPermDuplicate    = fault.NewKind("InvalidPermission.Duplicate", fault.AlreadyExists)
	ErrInvalidGroupReserved    = fault.NewKind("InvalidGroup.Reserved", fault.Invalid)
	ErrInvalidSubnetRange      = fault.NewKind("InvalidSubnet.Range", fault.Invalid)
	ErrInvalidSubnetConflict   = fault.NewKind("InvalidSubnet.Conflict", fault.Conflict)
	ErrInvalidVpcRange         = fault.NewKind("InvalidVpc.Range", fault.Invalid)
	ErrInvalidID               = fault.NewKind("InvalidID", fault.Invalid)
	ErrInvalidNextToken        = fault.NewKind("InvalidNextToken", fault.Invalid)
	ErrCannotDelete            = fault.NewKind("CannotDelete", fault.Conflict)
	ErrDependencyViolation     = fault.NewKind("DependencyViolation", fault.Conflict)
	ErrTagLimitExceeded        = fault.NewKind("TagLimitExceeded", fault.LimitExceeded)
	ErrVPCIDNotSpecified       = fault.NewKind("VPCIdNotSpecified", fault.Invalid)
	ErrInvalidAvailabilityZone = fault.NewKind("InvalidAvailabilityZone", fault.Invalid)
	ErrDryRun                  = fault.NewKind("DryRunOperation", fault.Invalid)
)

func subnetNotFound(id string) error {
	return fault.Newf(ErrInvalidSubnetNotFound, "The subnet ID '%s' does not exist", id)
}

func vpcNotFound(id string) error {
	return fault.Newf(ErrInvalidVpcNotFound, "The vpc ID '%s' does not exist", id)
}

func groupNotFound(id string) error {
	return fault.Newf(ErrInvalidGroupNotFound, "The security group '%s' does not exist", id)
}

func groupNameNotFound(name, vpc string) error {
	return fault.Newf(ErrInvalidGroupNotFound, "The security group '%s' does not exist in default VPC '%s'", name, vpc)
}

func eniNotFound(id string) error {
	return fault.Newf(ErrInvalidENINotFound, "The networkInterface ID '%s' does not exist", id)
}

func invalidValue(value, param, why string) error {
	return fault.Newf(ErrInvalidParameterValue, "Value (%s) for parameter %s is invalid. %s", value, param, why)
}

// InvalidFilter is the error for a filter name EC2 does not know.
func InvalidFilter(name string) error {
	return fault.Newf(ErrInvalidParameterValue, "The filter '%s' is invalid", name)
}

func dependency(kind, id string) error {
	return fault.New(ErrDependencyViolation, fmt.Sprintf("The %s '%s' has dependencies and cannot be deleted.", kind, id))
}

// DryRun returns the error EC2 answers a request with DryRun set.
func DryRun() error {
	return fault.New(ErrDryRun, "Request would have succeeded, but DryRun flag is set.")
}
