package awserr

import (
	"net/http"

	"github.com/quayside/quayside/internal/ec2"
	"github.com/quayside/quayside/internal/ecr"
	"github.com/quayside/quayside/internal/ecs"
	"github.com/quayside/quayside/internal/elb"
	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/iam"
	"github.com/quayside/quayside/internal/logs"
	"github.com/quayside/quayside/internal/secretsmanager"
	"github.com/quayside/quayside/internal/ssm"
)

// table maps error kinds to AWS codes. Rows are tried in order: first
// each service's specific kinds, then the protocol kinds every service
// shares, then each service's fallbacks for generic kinds, then the
// generic fallbacks. TestEveryRowReachable keeps the order honest. Messages here are
// defaults for errors that carry none.
var table = []entry{
	// ---- ECS ----
	{"ecs", ecs.ErrClusterNotFound, "ClusterNotFoundException", http.StatusBadRequest, "Cluster not found."},
	{"ecs", ecs.ErrServiceNotFound, "ServiceNotFoundException", http.StatusBadRequest, "Service not found."},
	{"ecs", ecs.ErrServiceNotActive, "ServiceNotActiveException", http.StatusBadRequest, "Service was not ACTIVE."},
	{"ecs", ecs.ErrTaskSetNotFound, "TaskSetNotFoundException", http.StatusBadRequest, "The specified task set wasn't found."},
	{"ecs", ecs.ErrClusterContainsServices, "ClusterContainsServicesException", http.StatusBadRequest, "The Cluster cannot be deleted while Services are active."},
	{"ecs", ecs.ErrClusterContainsTasks, "ClusterContainsTasksException", http.StatusBadRequest, "The Cluster cannot be deleted while Tasks are active."},
	{"ecs", ecs.ErrClusterContainsContainerInstances, "ClusterContainsContainerInstancesException", http.StatusBadRequest, "The Cluster cannot be deleted while Container Instances are active."},
	{"ecs", ecs.ErrClusterContainsCapacityProvider, "ClusterContainsCapacityProviderException", http.StatusBadRequest, "The cluster contains one or more capacity providers that prevent the requested operation."},
	{"ecs", ecs.ErrServiceDeploymentNotFound, "ServiceDeploymentNotFoundException", http.StatusBadRequest, "The service deployment does not exist."},
	{"ecs", ecs.ErrNamespaceNotFound, "NamespaceNotFoundException", http.StatusBadRequest, "The specified namespace wasn't found."},
	{"ecs", ecs.ErrTargetNotFound, "TargetNotFoundException", http.StatusBadRequest, "The specified target wasn't found."},
	{"ecs", ecs.ErrTargetNotConnected, "TargetNotConnectedException", http.StatusBadRequest, "The execute command cannot run."},
	{"ecs", ecs.ErrResourceNotFound, "ResourceNotFoundException", http.StatusBadRequest, "The specified resource wasn't found."},
	{"ecs", ecs.ErrResourceInUse, "ResourceInUseException", http.StatusBadRequest, "The specified resource is in-use and can't be removed."},
	{"ecs", ecs.ErrUpdateInProgress, "UpdateInProgressException", http.StatusBadRequest, "There's already a current update in progress."},
	{"ecs", ecs.ErrConflict, "ConflictException", http.StatusBadRequest, "The request could not be processed because of conflict in the current state of the resource."},
	{"ecs", ecs.ErrUnsupportedFeature, "UnsupportedFeatureException", http.StatusBadRequest, "The specified task isn't supported in this Region."},
	{"ecs", ecs.ErrPlatformUnknown, "PlatformUnknownException", http.StatusBadRequest, "The specified platform version doesn't exist."},
	{"ecs", ecs.ErrPlatformTaskDefinitionIncompatibility, "PlatformTaskDefinitionIncompatibilityException", http.StatusBadRequest, "The specified platform version doesn't satisfy the required capabilities of the task definition."},
	{"ecs", ecs.ErrAccessDenied, "AccessDeniedException", http.StatusBadRequest, "You don't have authorization to perform the requested action."},
	{"ecs", ecs.ErrAttributeLimitExceeded, "AttributeLimitExceededException", http.StatusBadRequest, "You can apply up to 10 custom attributes for each resource."},
	{"ecs", ecs.ErrLimitExceeded, "LimitExceededException", http.StatusBadRequest, "The limit for the resource was exceeded."},
	{"ecs", ecs.ErrInvalidParameter, "InvalidParameterException", http.StatusBadRequest, ""},
	{"ecs", ecs.ErrClient, "ClientException", http.StatusBadRequest, ""},
	{"ecs", ErrValidation, "InvalidParameterException", http.StatusBadRequest, ""},

	// ---- ECR (kinds of package ecr; refined kinds before their parents) ----
	{"ecr", ecr.ErrUnsupportedImageType, "UnsupportedImageTypeException", http.StatusBadRequest, "The image is of a type that cannot be scanned."},
	{"ecr", ecr.ErrImageTagAlreadyExists, "ImageTagAlreadyExistsException", http.StatusBadRequest, "The specified image is tagged with a tag that already exists. The repository is configured for tag immutability."},
	{"ecr", ecr.ErrImageAlreadyExists, "ImageAlreadyExistsException", http.StatusBadRequest, "The specified image has already been pushed, and there were no changes to the manifest or image tag after the last push."},
	{"ecr", ecr.ErrImageDigestDoesNotMatch, "ImageDigestDoesNotMatchException", http.StatusBadRequest, "The specified image digest does not match the digest that Amazon ECR calculated for the image."},
	{"ecr", ecr.ErrRepositoryNotFound, "RepositoryNotFoundException", http.StatusBadRequest, "The specified repository could not be found."},
	{"ecr", ecr.ErrRepositoryAlreadyExists, "RepositoryAlreadyExistsException", http.StatusBadRequest, "The specified repository already exists in the specified registry."},
	{"ecr", ecr.ErrRepositoryNotEmpty, "RepositoryNotEmptyException", http.StatusBadRequest, "The specified repository contains images."},
	{"ecr", ecr.ErrRepositoryPolicyNotFound, "RepositoryPolicyNotFoundException", http.StatusBadRequest, "The specified repository and registry combination does not have an associated repository policy."},
	{"ecr", ecr.ErrLifecyclePolicyNotFound, "LifecyclePolicyNotFoundException", http.StatusBadRequest, "The lifecycle policy could not be found, and no policy is set to the repository."},
	{"ecr", ecr.ErrLifecyclePolicyPreviewNotFound, "LifecyclePolicyPreviewNotFoundException", http.StatusBadRequest, "There is no dry run for this repository."},
	{"ecr", ecr.ErrImageNotFound, "ImageNotFoundException", http.StatusBadRequest, "The image requested does not exist in the specified repository."},
	{"ecr", ecr.ErrLayersNotFound, "LayersNotFoundException", http.StatusBadRequest, "The specified layers could not be found, or the specified layer is not valid for this repository."},
	{"ecr", ecr.ErrReferencedImagesNotFound, "ReferencedImagesNotFoundException", http.StatusBadRequest, "The manifest list is referencing an image that does not exist."},
	{"ecr", ecr.ErrUploadNotFound, "UploadNotFoundException", http.StatusBadRequest, "The upload could not be found, or the specified upload ID is not valid for this repository."},
	{"ecr", ecr.ErrInvalidLayer, "InvalidLayerException", http.StatusBadRequest, "The layer digest calculation performed by Amazon ECR upon receipt of the image layer does not match the digest specified."},
	{"ecr", ecr.ErrInvalidLayerPart, "InvalidLayerPartException", http.StatusBadRequest, "The layer part size is not valid, or the first byte specified is not consecutive to the last byte of a previous layer part upload."},
	{"ecr", ecr.ErrEmptyUpload, "EmptyUploadException", http.StatusBadRequest, "The specified layer upload does not contain any layer parts."},
	{"ecr", ecr.ErrLayerAlreadyExists, "LayerAlreadyExistsException", http.StatusBadRequest, "The image layer already exists in the associated repository."},
	{"ecr", ecr.ErrLayerInaccessible, "LayerInaccessibleException", http.StatusBadRequest, "The specified layer is not available because it is not associated with an image. Unassociated image layers may be cleaned up at any time."},
	{"ecr", ecr.ErrScanNotFound, "ScanNotFoundException", http.StatusBadRequest, "The specified image scan could not be found."},
	{"ecr", ecr.ErrTooManyTags, "TooManyTagsException", http.StatusBadRequest, "The list of tags on the repository is over the limit. The maximum number of tags that can be applied to a repository is 50."},
	{"ecr", ecr.ErrInvalidTagParameter, "InvalidTagParameterException", http.StatusBadRequest, "An invalid parameter has been specified. Tag keys can have a maximum character length of 128 characters, and tag values can have a maximum length of 256 characters."},
	{"ecr", ecr.ErrInvalidParameter, "InvalidParameterException", http.StatusBadRequest, "The specified parameter is invalid. Review the available parameters for the API request."},
	{"ecr", ErrValidation, "InvalidParameterException", http.StatusBadRequest, ""},

	// ---- Elastic Load Balancing v2 (codes carry no Exception suffix) ----
	{"elasticloadbalancing", elb.ErrLoadBalancerNotFound, "LoadBalancerNotFound", http.StatusBadRequest, "One or more load balancers not found"},
	{"elasticloadbalancing", elb.ErrTargetGroupNotFound, "TargetGroupNotFound", http.StatusBadRequest, "One or more target groups not found"},
	{"elasticloadbalancing", elb.ErrListenerNotFound, "ListenerNotFound", http.StatusBadRequest, "One or more listeners not found"},
	{"elasticloadbalancing", elb.ErrRuleNotFound, "RuleNotFound", http.StatusBadRequest, "One or more rules not found"},
	{"elasticloadbalancing", elb.ErrDuplicateLoadBalancerName, "DuplicateLoadBalancerName", http.StatusBadRequest, ""},
	{"elasticloadbalancing", elb.ErrDuplicateTargetGroupName, "DuplicateTargetGroupName", http.StatusBadRequest, ""},
	{"elasticloadbalancing", elb.ErrDuplicateListener, "DuplicateListener", http.StatusBadRequest, "A listener already exists on this port for this load balancer"},
	{"elasticloadbalancing", elb.ErrDuplicateTagKeys, "DuplicateTagKeys", http.StatusBadRequest, ""},
	{"elasticloadbalancing", elb.ErrPriorityInUse, "PriorityInUse", http.StatusBadRequest, ""},
	{"elasticloadbalancing", elb.ErrResourceInUse, "ResourceInUse", http.StatusBadRequest, ""},
	{"elasticloadbalancing", elb.ErrInvalidConfiguration, "InvalidConfigurationRequest", http.StatusBadRequest, ""},
	{"elasticloadbalancing", elb.ErrInvalidTarget, "InvalidTarget", http.StatusBadRequest, ""},
	{"elasticloadbalancing", elb.ErrInvalidLoadBalancerAction, "InvalidLoadBalancerAction", http.StatusBadRequest, ""},
	{"elasticloadbalancing", elb.ErrOperationNotPermitted, "OperationNotPermitted", http.StatusBadRequest, ""},
	{"elasticloadbalancing", elb.ErrIncompatibleProtocols, "IncompatibleProtocols", http.StatusBadRequest, ""},
	{"elasticloadbalancing", elb.ErrUnsupportedProtocol, "UnsupportedProtocol", http.StatusBadRequest, ""},
	{"elasticloadbalancing", elb.ErrSSLPolicyNotFound, "SSLPolicyNotFound", http.StatusBadRequest, ""},
	{"elasticloadbalancing", elb.ErrCertificateNotFound, "CertificateNotFound", http.StatusBadRequest, ""},
	{"elasticloadbalancing", elb.ErrInvalidScheme, "InvalidScheme", http.StatusBadRequest, ""},
	{"elasticloadbalancing", elb.ErrInvalidSubnet, "InvalidSubnet", http.StatusBadRequest, ""},
	{"elasticloadbalancing", elb.ErrTargetGroupAssociation, "TargetGroupAssociationLimit", http.StatusBadRequest, ""},
	{"elasticloadbalancing", elb.ErrTooManyLoadBalancers, "TooManyLoadBalancers", http.StatusBadRequest, ""},
	{"elasticloadbalancing", elb.ErrTooManyTargetGroups, "TooManyTargetGroups", http.StatusBadRequest, ""},
	{"elasticloadbalancing", elb.ErrTooManyListeners, "TooManyListeners", http.StatusBadRequest, ""},
	{"elasticloadbalancing", elb.ErrTooManyRules, "TooManyRules", http.StatusBadRequest, ""},
	{"elasticloadbalancing", elb.ErrTooManyTargets, "TooManyTargets", http.StatusBadRequest, ""},
	{"elasticloadbalancing", elb.ErrTooManyTags, "TooManyTags", http.StatusBadRequest, ""},
	{"elasticloadbalancing", elb.ErrTooManyActions, "TooManyActions", http.StatusBadRequest, ""},
	{"elasticloadbalancing", elb.ErrTooManyCertificates, "TooManyCertificates", http.StatusBadRequest, ""},
	{"elasticloadbalancing", elb.ErrTooManyRegistrationsForTgt, "TooManyRegistrationsForTargetId", http.StatusBadRequest, ""},
	{"elasticloadbalancing", elb.ErrValidation, "ValidationError", http.StatusBadRequest, ""},

	// ---- SSM Parameter Store ----
	{"ssm", ssm.ErrParameterNotFound, "ParameterNotFound", http.StatusBadRequest, ""},
	{"ssm", ssm.ErrParameterAlreadyExists, "ParameterAlreadyExists", http.StatusBadRequest, "The parameter already exists. To overwrite this value, set the overwrite option in the request to true."},
	{"ssm", ssm.ErrParameterVersionNotFound, "ParameterVersionNotFound", http.StatusBadRequest, "The specified parameter version wasn't found."},
	{"ssm", ssm.ErrMaxVersionLimitExceeded, "ParameterMaxVersionLimitExceeded", http.StatusBadRequest, ""},
	{"ssm", ssm.ErrHierarchyLevelLimit, "HierarchyLevelLimitExceededException", http.StatusBadRequest, ""},
	{"ssm", ssm.ErrParameterPatternMismatch, "ParameterPatternMismatchException", http.StatusBadRequest, ""},
	{"ssm", ssm.ErrUnsupportedParameterType, "UnsupportedParameterType", http.StatusBadRequest, ""},
	{"ssm", ssm.ErrTooManyTags, "TooManyTagsError", http.StatusBadRequest, ""},
	{"ssm", ssm.ErrInvalidResourceID, "InvalidResourceId", http.StatusBadRequest, ""},
	{"ssm", ssm.ErrInvalidResourceType, "InvalidResourceType", http.StatusBadRequest, ""},
	{"ssm", ssm.ErrVersionLabelLimitExceeded, "ParameterVersionLabelLimitExceeded", http.StatusBadRequest, ""},
	{"ssm", ssm.ErrInvalidFilterKey, "InvalidFilterKey", http.StatusBadRequest, ""},
	{"ssm", ssm.ErrInvalidFilterOption, "InvalidFilterOption", http.StatusBadRequest, ""},
	{"ssm", ssm.ErrInvalidFilterValue, "InvalidFilterValue", http.StatusBadRequest, ""},
	{"ssm", ssm.ErrInvalidNextToken, "InvalidNextToken", http.StatusBadRequest, "The specified token isn't valid."},
	{"ssm", ssm.ErrInvalidAllowedPattern, "InvalidAllowedPatternException", http.StatusBadRequest, ""},
	{"ssm", ssm.ErrInvalidPolicyType, "InvalidPolicyTypeException", http.StatusBadRequest, ""},
	{"ssm", ssm.ErrValidation, "ValidationException", http.StatusBadRequest, ""},

	// ---- Secrets Manager ----
	{"secretsmanager", secretsmanager.ErrResourceNotFound, "ResourceNotFoundException", http.StatusBadRequest, "Secrets Manager can't find the specified secret."},
	{"secretsmanager", secretsmanager.ErrResourceExists, "ResourceExistsException", http.StatusBadRequest, ""},
	{"secretsmanager", secretsmanager.ErrInvalidParameter, "InvalidParameterException", http.StatusBadRequest, ""},
	{"secretsmanager", secretsmanager.ErrInvalidRequest, "InvalidRequestException", http.StatusBadRequest, ""},
	{"secretsmanager", secretsmanager.ErrLimitExceeded, "LimitExceededException", http.StatusBadRequest, ""},
	{"secretsmanager", secretsmanager.ErrInvalidNextToken, "InvalidNextTokenException", http.StatusBadRequest, "The NextToken value is invalid."},
	{"secretsmanager", secretsmanager.ErrEncryption, "EncryptionFailure", http.StatusBadRequest, ""},
	{"secretsmanager", secretsmanager.ErrDecryption, "DecryptionFailure", http.StatusBadRequest, ""},
	{"secretsmanager", secretsmanager.ErrValidation, "ValidationException", http.StatusBadRequest, ""},

	// ---- CloudWatch Logs ----
	{"logs", logs.ErrGroupNotFound, "ResourceNotFoundException", http.StatusBadRequest, "The specified log group does not exist."},
	{"logs", logs.ErrStreamNotFound, "ResourceNotFoundException", http.StatusBadRequest, "The specified log stream does not exist."},
	{"logs", logs.ErrResourceNotFound, "ResourceNotFoundException", http.StatusBadRequest, "The specified resource does not exist."},
	{"logs", logs.ErrAlreadyExists, "ResourceAlreadyExistsException", http.StatusBadRequest, "The specified resource already exists."},
	{"logs", logs.ErrInvalidParameter, "InvalidParameterException", http.StatusBadRequest, ""},
	{"logs", logs.ErrDeletionProtected, "ValidationException", http.StatusBadRequest, ""},
	{"logs", logs.ErrTooManyTags, "TooManyTagsException", http.StatusBadRequest, "A resource can have no more than 50 tags."},
	{"logs", logs.ErrLimitExceeded, "LimitExceededException", http.StatusBadRequest, "Resource limit exceeded."},
	{"logs", logs.ErrDataAlreadyAccepted, "DataAlreadyAcceptedException", http.StatusBadRequest, "The given batch of log events has already been accepted."},
	{"logs", logs.ErrUnavailable, "ServiceUnavailableException", http.StatusInternalServerError, "The service cannot complete the request."},
	{"logs", ErrValidation, "InvalidParameterException", http.StatusBadRequest, ""},

	// ---- IAM and STS (kinds of package iam) ----
	{"iam", iam.ErrNoSuchEntity, "NoSuchEntity", http.StatusNotFound, ""},
	{"iam", iam.ErrEntityAlreadyExists, "EntityAlreadyExists", http.StatusConflict, ""},
	{"iam", iam.ErrMalformedPolicy, "MalformedPolicyDocument", http.StatusBadRequest, ""},
	{"iam", iam.ErrDeleteConflict, "DeleteConflict", http.StatusConflict, ""},
	{"iam", iam.ErrLimitExceeded, "LimitExceeded", http.StatusConflict, ""},
	{"iam", iam.ErrInvalidInput, "InvalidInput", http.StatusBadRequest, ""},
	{"iam", iam.ErrValidation, "ValidationError", http.StatusBadRequest, ""},
	{"iam", iam.ErrAccessDenied, "AccessDenied", http.StatusForbidden, ""},
	{"sts", iam.ErrAccessDenied, "AccessDenied", http.StatusForbidden, ""},
	{"sts", iam.ErrMalformedPolicy, "MalformedPolicyDocument", http.StatusBadRequest, ""},
	{"sts", iam.ErrValidation, "ValidationError", http.StatusBadRequest, ""},

	// ---- EC2 (kinds of package ec2) ----
	{"ec2", ec2.ErrInvalidParameterValue, "InvalidParameterValue", http.StatusBadRequest, ""},
	{"ec2", ec2.ErrInvalidParameter, "InvalidParameter", http.StatusBadRequest, ""},
	{"ec2", ec2.ErrMissingParameter, "MissingParameter", http.StatusBadRequest, ""},
	{"ec2", ec2.ErrInvalidSubnetNotFound, "InvalidSubnetID.NotFound", http.StatusBadRequest, ""},
	{"ec2", ec2.ErrInvalidVpcNotFound, "InvalidVpcID.NotFound", http.StatusBadRequest, ""},
	{"ec2", ec2.ErrInvalidGroupNotFound, "InvalidGroup.NotFound", http.StatusBadRequest, ""},
	{"ec2", ec2.ErrInvalidENINotFound, "InvalidNetworkInterfaceID.NotFound", http.StatusBadRequest, ""},
	{"ec2", ec2.ErrInvalidRuleNotFound, "InvalidSecurityGroupRuleId.NotFound", http.StatusBadRequest, ""},
	{"ec2", ec2.ErrInvalidPermNotFound, "InvalidPermission.NotFound", http.StatusBadRequest, ""},
	{"ec2", ec2.ErrInvalidGroupDuplicate, "InvalidGroup.Duplicate", http.StatusBadRequest, ""},
	{"ec2", ec2.ErrInvalidPermDuplicate, "InvalidPermission.Duplicate", http.StatusBadRequest, ""},
	{"ec2", ec2.ErrInvalidGroupReserved, "InvalidGroup.Reserved", http.StatusBadRequest, ""},
	{"ec2", ec2.ErrInvalidSubnetRange, "InvalidSubnet.Range", http.StatusBadRequest, ""},
	{"ec2", ec2.ErrInvalidSubnetConflict, "InvalidSubnet.Conflict", http.StatusBadRequest, ""},
	{"ec2", ec2.ErrInvalidVpcRange, "InvalidVpc.Range", http.StatusBadRequest, ""},
	{"ec2", ec2.ErrInvalidID, "InvalidID", http.StatusBadRequest, ""},
	{"ec2", ec2.ErrInvalidNextToken, "InvalidNextToken", http.StatusBadRequest, ""},
	{"ec2", ec2.ErrCannotDelete, "CannotDelete", http.StatusBadRequest, ""},
	{"ec2", ec2.ErrDependencyViolation, "DependencyViolation", http.StatusBadRequest, ""},
	{"ec2", ec2.ErrTagLimitExceeded, "TagLimitExceeded", http.StatusBadRequest, ""},
	{"ec2", ec2.ErrVPCIDNotSpecified, "VPCIdNotSpecified", http.StatusBadRequest, ""},
	{"ec2", ec2.ErrInvalidAvailabilityZone, "InvalidAvailabilityZone", http.StatusBadRequest, ""},
	{"ec2", ec2.ErrDryRun, "DryRunOperation", http.StatusPreconditionFailed, ""},

	// ---- Query protocol services ----
	{"sts", ErrValidation, "ValidationError", http.StatusBadRequest, ""},
	{"iam", ErrValidation, "ValidationError", http.StatusBadRequest, ""},
	{"elasticloadbalancing", ErrValidation, "ValidationError", http.StatusBadRequest, ""},
	{"ec2", ErrValidation, "InvalidParameterValue", http.StatusBadRequest, ""},
	{"ec2", ErrUnknownOperation, "InvalidAction", http.StatusBadRequest, ""},
	{"sts", ErrUnknownOperation, "InvalidAction", http.StatusBadRequest, ""},
	{"iam", ErrUnknownOperation, "InvalidAction", http.StatusBadRequest, ""},
	{"elasticloadbalancing", ErrUnknownOperation, "InvalidAction", http.StatusBadRequest, ""},

	// ---- protocol errors, every service ----
	{"", ErrSerialization, "SerializationException", http.StatusBadRequest, "The request body could not be read."},
	{"", ErrUnknownOperation, "UnknownOperationException", http.StatusBadRequest, "The operation is not known to this service."},
	{"", ErrNotImplemented, "NotImplementedException", http.StatusNotImplemented, "This operation is not supported by Quayside yet."},
	{"", ErrTooLarge, "RequestEntityTooLargeException", http.StatusRequestEntityTooLarge, "The request is too large."},
	{"", ErrMissingAction, "MissingAction", http.StatusBadRequest, "The request must contain the parameter Action."},
	{"", ErrUnknownService, "UnknownServiceException", http.StatusBadRequest, "The request does not name a service Quayside serves."},

	// ---- per-service fallbacks for generic kinds ----
	{"ecs", fault.Invalid, "ClientException", http.StatusBadRequest, ""},
	{"logs", fault.Invalid, "InvalidParameterException", http.StatusBadRequest, ""},
	{"ecr", fault.Invalid, "InvalidParameterException", http.StatusBadRequest, ""},

	{"ssm", fault.Internal, "InternalServerError", http.StatusInternalServerError, "An error occurred on the server side."},
	{"secretsmanager", fault.Internal, "InternalServiceError", http.StatusInternalServerError, "An error occurred on the server side."},

	// ---- generic fallbacks ----
	{"", ErrValidation, "ValidationException", http.StatusBadRequest, ""},
	{"", fault.AccessDenied, "AccessDeniedException", http.StatusBadRequest, "Access denied."},
	{"", fault.Unsupported, "UnsupportedFeatureException", http.StatusBadRequest, ""},
	{"", fault.Invalid, "ValidationException", http.StatusBadRequest, ""},
}
