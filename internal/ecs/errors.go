package ecs

import "github.com/quayside/quayside/internal/fault"

// Error kinds of the ECS domain. Each refines a generic fault kind, and
// package awserr maps each to the AWS exception named in its comment.
// Build errors with fault.New(kind, message); match them with errors.Is.
var (
	// ErrClient becomes ClientException: the request breaks a rule of the
	// resource (most task definition rules) or names something that
	// cannot be used.
	ErrClient = fault.NewKind("client", fault.Invalid)

	// ErrInvalidParameter becomes InvalidParameterException: a parameter
	// is malformed or out of range, or an idempotent create was repeated
	// with different parameters.
	ErrInvalidParameter = fault.NewKind("invalid parameter", fault.Invalid)

	// ErrTaskDefinitionNotFound becomes ClientException, because that is
	// how ECS answers a reference to a task definition that does not
	// exist ("Unable to describe task definition."). It refines ErrClient.
	ErrTaskDefinitionNotFound = fault.NewKind("task definition not found", ErrClient)

	// ErrClusterNotFound becomes ClusterNotFoundException.
	ErrClusterNotFound = fault.NewKind("cluster not found", fault.NotFound)

	// ErrServiceNotFound becomes ServiceNotFoundException.
	ErrServiceNotFound = fault.NewKind("service not found", fault.NotFound)

	// ErrServiceNotActive becomes ServiceNotActiveException: the service
	// exists but is DRAINING or INACTIVE.
	ErrServiceNotActive = fault.NewKind("service not active", fault.Conflict)

	// ErrTaskSetNotFound becomes TaskSetNotFoundException.
	ErrTaskSetNotFound = fault.NewKind("task set not found", fault.NotFound)

	// ErrClusterContainsServices becomes ClusterContainsServicesException:
	// DeleteCluster on a cluster with ACTIVE or DRAINING services.
	ErrClusterContainsServices = fault.NewKind("cluster contains services", fault.Conflict)

	// ErrClusterContainsTasks becomes ClusterContainsTasksException:
	// DeleteCluster on a cluster with tasks that are not STOPPED.
	ErrClusterContainsTasks = fault.NewKind("cluster contains tasks", fault.Conflict)

	// ErrClusterContainsContainerInstances becomes
	// ClusterContainsContainerInstancesException: DeleteCluster on a
	// cluster with registered container instances.
	ErrClusterContainsContainerInstances = fault.NewKind("cluster contains container instances", fault.Conflict)

	// ErrClusterContainsCapacityProvider becomes
	// ClusterContainsCapacityProviderException.
	ErrClusterContainsCapacityProvider = fault.NewKind("cluster contains capacity provider", fault.Conflict)

	// ErrResourceNotFound becomes ResourceNotFoundException: a resource
	// other than those with their own exception (a capacity provider, a
	// tagged ARN) does not exist.
	ErrResourceNotFound = fault.NewKind("resource not found", fault.NotFound)

	// ErrResourceInUse becomes ResourceInUseException: the resource is in
	// use and cannot be removed (a capacity provider attached to a
	// cluster, say).
	ErrResourceInUse = fault.NewKind("resource in use", fault.Conflict)

	// ErrUnsupportedFeature becomes UnsupportedFeatureException: the
	// feature is valid on AWS but not available here.
	ErrUnsupportedFeature = fault.NewKind("unsupported feature", fault.Unsupported)

	// ErrPlatformUnknown becomes PlatformUnknownException: the requested
	// platform version does not exist.
	ErrPlatformUnknown = fault.NewKind("platform unknown", fault.Invalid)

	// ErrPlatformTaskDefinitionIncompatibility becomes
	// PlatformTaskDefinitionIncompatibilityException: the platform
	// version lacks a capability the task definition needs.
	ErrPlatformTaskDefinitionIncompatibility = fault.NewKind("platform incompatible with task definition", fault.Invalid)

	// ErrAccessDenied becomes AccessDeniedException.
	ErrAccessDenied = fault.NewKind("access denied", fault.AccessDenied)

	// ErrLimitExceeded becomes LimitExceededException: a quota (services
	// per cluster, tasks per call, ...) would be exceeded.
	ErrLimitExceeded = fault.NewKind("limit exceeded", fault.LimitExceeded)

	// ErrAttributeLimitExceeded becomes AttributeLimitExceededException:
	// more than 10 custom attributes on a resource. It refines
	// ErrLimitExceeded.
	ErrAttributeLimitExceeded = fault.NewKind("attribute limit exceeded", ErrLimitExceeded)

	// ErrTargetNotFound becomes TargetNotFoundException: an attribute's
	// target (a container instance) does not exist.
	ErrTargetNotFound = fault.NewKind("target not found", fault.NotFound)

	// ErrTargetNotConnected becomes TargetNotConnectedException: ECS Exec
	// cannot reach the task's agent.
	ErrTargetNotConnected = fault.NewKind("target not connected", fault.Conflict)

	// ErrNamespaceNotFound becomes NamespaceNotFoundException: the Cloud
	// Map namespace given for Service Connect does not exist.
	ErrNamespaceNotFound = fault.NewKind("namespace not found", fault.NotFound)

	// ErrServiceDeploymentNotFound becomes
	// ServiceDeploymentNotFoundException.
	ErrServiceDeploymentNotFound = fault.NewKind("service deployment not found", fault.NotFound)

	// ErrUpdateInProgress becomes UpdateInProgressException: an agent
	// update is already running on the container instance.
	ErrUpdateInProgress = fault.NewKind("update in progress", fault.Conflict)

	// ErrConflict becomes ConflictException: the resource's current state
	// conflicts with the request.
	ErrConflict = fault.NewKind("conflict", fault.Conflict)
)

// Messages that ECS returns word for word, as seen in AWS responses.
const (
	MsgClusterNotFound         = "Cluster not found."
	MsgServiceNotFound         = "Service not found."
	MsgServiceNotActive        = "Service was not ACTIVE."
	MsgServiceNotIdempotent    = "Creation of service was not idempotent." // InvalidParameterException
	MsgTaskDefinitionNotFound  = "Unable to describe task definition."     // DescribeTaskDefinition
	MsgTaskDefinitionMissing   = "TaskDefinition not found."               // ClientException from CreateService/RunTask
	MsgTaskDefinitionInactive  = "TaskDefinition is inactive"              // InvalidParameterException from RunTask; no final period
	MsgClusterContainsServices = "The Cluster cannot be deleted while Services are active."
)

// Messages written by analogy with MsgClusterContainsServices; AWS's exact
// wording is not confirmed.
const (
	MsgClusterContainsTasks     = "The Cluster cannot be deleted while Tasks are active."
	MsgClusterContainsInstances = "The Cluster cannot be deleted while Container Instances are active."
)
