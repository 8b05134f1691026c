package ssm

import (
	"fmt"

	"github.com/quayside/quayside/internal/fault"
)

// Error kinds; awserr maps them to SSM's exceptions.
var (
	ErrValidation                = fault.NewKind("ssm validation", fault.Invalid)
	ErrParameterNotFound         = fault.NewKind("parameter not found", fault.NotFound)
	ErrParameterAlreadyExists    = fault.NewKind("parameter already exists", fault.AlreadyExists)
	ErrParameterVersionNotFound  = fault.NewKind("parameter version not found", fault.NotFound)
	ErrMaxVersionLimitExceeded   = fault.NewKind("parameter max version limit exceeded", fault.LimitExceeded)
	ErrHierarchyLevelLimit       = fault.NewKind("hierarchy level limit exceeded", fault.Invalid)
	ErrParameterPatternMismatch  = fault.NewKind("parameter pattern mismatch", fault.Invalid)
	ErrUnsupportedParameterType  = fault.NewKind("unsupported parameter type", fault.Invalid)
	ErrTooManyTags               = fault.NewKind("too many tags", fault.LimitExceeded)
	ErrInvalidResourceID         = fault.NewKind("invalid resource id", fault.NotFound)
	ErrInvalidResourceType       = fault.NewKind("invalid resource type", fault.Invalid)
	ErrVersionLabelLimitExceeded = fault.NewKind("parameter version label limit exceeded", fault.LimitExceeded)
	ErrInvalidFilterKey          = fault.NewKind("invalid filter key", fault.Invalid)
	ErrInvalidFilterOption       = fault.NewKind("invalid filter option", fault.Invalid)
	ErrInvalidFilterValue        = fault.NewKind("invalid filter value", fault.Invalid)
	ErrInvalidNextToken          = fault.NewKind("invalid next token", fault.Invalid)
	ErrInvalidAllowedPattern     = fault.NewKind("invalid allowed pattern", fault.Invalid)
	ErrInvalidPolicyType         = fault.NewKind("invalid policy type", fault.Invalid)
)

// Messages AWS returns, where they are known.
const (
	msgAlreadyExists = "The parameter already exists. To overwrite this value, set the overwrite option in the request to true."
	msgHierarchy     = "A hierarchy can have a maximum of 15 levels. For more information, see Requirements and constraints " +
		"for parameter names in the Amazon Web Services Systems Manager User Guide."
	msgReservedName = `Parameter name: can't be prefixed with "aws" or "ssm" (case-insensitive).`
	msgBadName      = `Parameter name: can't be prefixed with "aws" or "ssm" (case-insensitive). If formed as a path, it can ` +
		`consist of sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, numbers and the following 3 symbols .-_`
	msgBadPath = `The parameter doesn't meet the parameter name requirements. The parameter name must begin with a forward slash "/". ` +
		`It can't be prefixed with "aws" or "ssm" (case-insensitive). It must use only letters, numbers, or the following symbols: . ` +
		`(period), - (hyphen), _ (underscore). Special characters are not allowed. All sub-paths, if specified, must use the forward ` +
		`slash symbol "/". Valid example: /get/parameters2-/by1./path0_.`
	msgTagsWithOverwrite = "Invalid request: tags and overwrite can't be used together. To create a parameter with tags, please " +
		"remove overwrite flag. To update tags for an existing parameter, please use AddTagsToResource or RemoveTagsFromResource."
	msgStandardTooLarge = "Standard tier parameters support a maximum parameter value of 4096 characters. To create a larger " +
		"parameter value, upgrade the parameter to use the advanced-parameter tier. For more information, see " +
		"https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html"
	msgAdvancedTooLarge = "The specified parameter value is too large. Advanced-tier parameters support a maximum parameter value of 8192 characters."
	msgDowngrade        = "This parameter uses the advanced-parameter tier. You can't downgrade a parameter from the advanced-parameter " +
		"tier to the standard-parameter tier. If necessary, you can delete the advanced parameter and recreate it as a standard parameter."
	msgTypeRequired   = "A parameter type is required when you create a parameter."
	msgLabelLimit     = "A parameter version can have maximum 10 labels.Move one or more labels to another version and try again."
	msgFilterOption   = "The specified filter option isn't valid. Valid options are Equals and BeginsWith. For Path filter, valid options are Recursive and OneLevel."
	msgFiltersBoth    = "You can use either Filters or ParameterFilters in a single request."
	msgInvalidToken   = "The specified token isn't valid."
	msgTooManyTags    = "A resource can have a maximum of 50 tags. Remove one or more tags and try again."
	msgBadPattern     = "The request doesn't meet the regular expression requirement."
	msgPoliciesOnStd  = "Parameter policies are supported only for the advanced-parameter tier. Use the advanced-parameter tier or remove the policies."
	msgBadPolicies    = "The policy type isn't supported. Parameter Store supports the following policy types: Expiration, ExpirationNotification, and NoChangeNotification."
	msgInvalidAMI     = "The parameter value isn't a valid Amazon Machine Image (AMI) ID for the aws:ec2:image data type. Use the format ami-12345678 or ami-1234567890abcdef0."
	msgAMINotString   = "The aws:ec2:image data type is supported only for String parameters."
	msgNameTooLong    = "Parameter name: can't exceed 1011 characters, including the full length of the parameter ARN."
	msgSelectorFormat = "Parameter name: the selector is not valid. Use name:version or name:label."
)

func versionNotFound(version, name string) error {
	return fault.Newf(ErrParameterVersionNotFound, "Systems Manager could not find version %s of %s. Verify the version and try again.", version, name)
}

func maxVersions(name string, oldest int64) error {
	return fault.Newf(ErrMaxVersionLimitExceeded, "You attempted to create a new version of %s by calling the PutParameter API "+
		"with the overwrite flag. Version %d, the oldest version, can't be deleted because it has a label associated with it. "+
		"Move the label to another version of the parameter, and try again.", name, oldest)
}

func patternMismatch(pattern string) error {
	return fault.Newf(ErrParameterPatternMismatch, "Parameter value, cannot be validated against allowedPattern: %s", pattern)
}

func unsupportedDataType(dt string) error {
	return fault.Newf(ErrValidation, "The following data type is not supported: %s (Data type names are all lowercase.)", dt)
}

func invalidFilterKey(key string, valid string) error {
	return fault.Newf(ErrInvalidFilterKey, "The following filter key is not valid: %s. Valid filter keys include: [%s].", key, valid)
}

func invalidFilterValue(key, value string) error {
	return fault.New(ErrInvalidFilterValue, fmt.Sprintf("The following filter value is not valid: %s. Verify the value for filter %s and try again.", value, key))
}
