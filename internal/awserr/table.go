package awserr

import (
	"net/http"

	"github.com/quayside/quayside/internal/ecs"
	"github.com/quayside/quayside/internal/fault"
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

	// ---- generic fallbacks ----
	{"", ErrValidation, "ValidationException", http.StatusBadRequest, ""},
	{"", fault.AccessDenied, "AccessDeniedException", http.StatusBadRequest, "Access denied."},
	{"", fault.Unsupported, "UnsupportedFeatureException", http.StatusBadRequest, ""},
	{"", fault.Invalid, "ValidationException", http.StatusBadRequest, ""},
}
