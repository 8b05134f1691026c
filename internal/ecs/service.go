package ecs

import "time"

// ServiceStatus is a service's status.
type ServiceStatus string

// Service statuses.
const (
	ServiceActive   ServiceStatus = "ACTIVE"
	ServiceDraining ServiceStatus = "DRAINING"
	ServiceInactive ServiceStatus = "INACTIVE"
)

// SchedulingStrategy is how a service places tasks.
type SchedulingStrategy string

// Scheduling strategies.
const (
	SchedulingReplica SchedulingStrategy = "REPLICA"
	SchedulingDaemon  SchedulingStrategy = "DAEMON"
)

// PropagateTags is where a service's tasks take their tags from.
type PropagateTags string

// Tag propagation sources.
const (
	PropagateTaskDefinition PropagateTags = "TASK_DEFINITION"
	PropagateService        PropagateTags = "SERVICE"
	PropagateNone           PropagateTags = "NONE"
)

// DeploymentControllerType is who drives a service's deployments.
type DeploymentControllerType string

// Deployment controllers.
const (
	ControllerECS        DeploymentControllerType = "ECS"
	ControllerCodeDeploy DeploymentControllerType = "CODE_DEPLOY"
	ControllerExternal   DeploymentControllerType = "EXTERNAL"
)

// Service keeps a number of tasks of a task definition running, replacing
// them through deployments. RunningCount and PendingCount are derived
// from the tasks and are not stored.
type Service struct {
	ARN        string        `json:"serviceArn"`
	Name       string        `json:"serviceName"`
	ClusterARN string        `json:"clusterArn"`
	Status     ServiceStatus `json:"status"`

	DesiredCount int `json:"desiredCount"`
	// TaskDefinition is the ARN of the task definition the PRIMARY
	// deployment runs.
	TaskDefinition string `json:"taskDefinition"`

	LaunchType               LaunchType                     `json:"launchType,omitempty"`
	CapacityProviderStrategy []CapacityProviderStrategyItem `json:"capacityProviderStrategy,omitempty"`
	PlatformVersion          string                         `json:"platformVersion,omitempty"`
	PlatformFamily           string                         `json:"platformFamily,omitempty"`

	DeploymentConfiguration DeploymentConfiguration  `json:"deploymentConfiguration"`
	DeploymentController    DeploymentControllerType `json:"deploymentController,omitempty"`
	Deployments             []Deployment             `json:"deployments,omitempty"`

	LoadBalancers     []LoadBalancer    `json:"loadBalancers,omitempty"`
	ServiceRegistries []ServiceRegistry `json:"serviceRegistries,omitempty"`
	RoleARN           string            `json:"roleArn,omitempty"`
	// Events are newest first; at most MaxServiceEvents are kept.
	Events []ServiceEvent `json:"events,omitempty"`

	CreatedAt time.Time `json:"createdAt,omitzero"`
	CreatedBy string    `json:"createdBy,omitempty"`

	PlacementConstraints []PlacementConstraint `json:"placementConstraints,omitempty"`
	PlacementStrategy    []PlacementStrategy   `json:"placementStrategy,omitempty"`
	NetworkConfiguration *NetworkConfiguration `json:"networkConfiguration,omitempty"`
	// HealthCheckGracePeriod ignores ELB and container health checks for
	// this long after a task first starts.
	HealthCheckGracePeriod time.Duration      `json:"healthCheckGracePeriod,omitempty"`
	SchedulingStrategy     SchedulingStrategy `json:"schedulingStrategy"`

	Tags                        []Tag         `json:"tags,omitempty"`
	EnableECSManagedTags        bool          `json:"enableECSManagedTags,omitempty"`
	PropagateTags               PropagateTags `json:"propagateTags,omitempty"`
	EnableExecuteCommand        bool          `json:"enableExecuteCommand,omitempty"`
	AvailabilityZoneRebalancing Switch        `json:"availabilityZoneRebalancing,omitempty"`

	// ClientToken is the idempotency token of the CreateService call.
	ClientToken string `json:"clientToken,omitempty"`

	// Scheduler bookkeeping, never shown by the API: the last deployment
	// that COMPLETED (what a circuit-breaker rollback returns to), and
	// when the steady-state event was last posted.
	LastCompleted *Deployment `json:"lastCompleted,omitempty"`
	SteadyEventAt time.Time   `json:"steadyEventAt,omitzero"`
}

// MaxServiceEvents is how many events DescribeServices returns.
const MaxServiceEvents = 100

// Primary returns the service's PRIMARY deployment.
func (s *Service) Primary() (*Deployment, bool) {
	for i := range s.Deployments {
		if s.Deployments[i].Status == DeploymentPrimary {
			return &s.Deployments[i], true
		}
	}
	return nil, false
}

// AddEvent records an event, newest first, keeping at most
// MaxServiceEvents.
func (s *Service) AddEvent(e ServiceEvent) {
	s.Events = append([]ServiceEvent{e}, s.Events...)
	if len(s.Events) > MaxServiceEvents {
		s.Events = s.Events[:MaxServiceEvents]
	}
}

// Steady reports whether the service is steady as the services-stable
// waiter defines it: exactly one deployment, and the running count equal
// to the desired count.
func (s *Service) Steady(runningCount int) bool {
	return len(s.Deployments) == 1 && runningCount == s.DesiredCount
}

// AssignPublicIP says whether an awsvpc task gets a public IP address.
type AssignPublicIP = Switch

// NetworkConfiguration is the awsvpc configuration of a task or service.
type NetworkConfiguration struct {
	Subnets        []string       `json:"subnets"`
	SecurityGroups []string       `json:"securityGroups,omitempty"`
	AssignPublicIP AssignPublicIP `json:"assignPublicIp,omitempty"`
}

// LoadBalancer registers a service's container port with a target group
// (or a Classic Load Balancer by name).
type LoadBalancer struct {
	TargetGroupARN   string `json:"targetGroupArn,omitempty"`
	LoadBalancerName string `json:"loadBalancerName,omitempty"`
	ContainerName    string `json:"containerName,omitempty"`
	ContainerPort    int    `json:"containerPort,omitempty"`
}

// ServiceRegistry registers a service's tasks with Cloud Map.
type ServiceRegistry struct {
	RegistryARN   string `json:"registryArn,omitempty"`
	Port          int    `json:"port,omitempty"`
	ContainerName string `json:"containerName,omitempty"`
	ContainerPort int    `json:"containerPort,omitempty"`
}

// ServiceEvent is an entry of a service's event stream.
type ServiceEvent struct {
	ID        string    `json:"id"`
	CreatedAt time.Time `json:"createdAt"`
	Message   string    `json:"message"`
}

// PlacementStrategyType is how tasks are spread over instances.
type PlacementStrategyType string

// Placement strategy types.
const (
	PlacementRandom  PlacementStrategyType = "random"
	PlacementSpread  PlacementStrategyType = "spread"
	PlacementBinpack PlacementStrategyType = "binpack"
)

// PlacementStrategy is a task placement strategy.
type PlacementStrategy struct {
	Type  PlacementStrategyType `json:"type,omitempty"`
	Field string                `json:"field,omitempty"`
}
