package ecs

import "time"

// TaskStatus is a task's lastStatus or desiredStatus. See the package
// documentation for the lifecycle.
type TaskStatus string

// Task statuses, in lifecycle order.
const (
	TaskProvisioning   TaskStatus = "PROVISIONING"
	TaskPending        TaskStatus = "PENDING"
	TaskActivating     TaskStatus = "ACTIVATING"
	TaskRunning        TaskStatus = "RUNNING"
	TaskDeactivating   TaskStatus = "DEACTIVATING"
	TaskStopping       TaskStatus = "STOPPING"
	TaskDeprovisioning TaskStatus = "DEPROVISIONING"
	TaskStopped        TaskStatus = "STOPPED"
)

// TaskLifecycle lists the task statuses in the order a task moves
// through them.
var TaskLifecycle = []TaskStatus{
	TaskProvisioning, TaskPending, TaskActivating, TaskRunning,
	TaskDeactivating, TaskStopping, TaskDeprovisioning, TaskStopped,
}

// Rank is the status's position in the lifecycle, or -1 for an unknown
// status.
func (s TaskStatus) Rank() int {
	for i, t := range TaskLifecycle {
		if t == s {
			return i
		}
	}
	return -1
}

// CanMoveTo reports whether a task may go from s to next: states only
// move forward, and any later state may be reached directly (a task that
// fails early jumps to STOPPED).
func (s TaskStatus) CanMoveTo(next TaskStatus) bool {
	a, b := s.Rank(), next.Rank()
	return a >= 0 && b > a
}

// Desired statuses a task may have, and the ListTasks desiredStatus
// filter values (which add PENDING).
var (
	DesiredStatuses       = []TaskStatus{TaskRunning, TaskStopped}
	DesiredStatusFilters  = []TaskStatus{TaskRunning, TaskPending, TaskStopped}
	StoppedTaskVisibility = time.Hour // stopped tasks stay listed at least this long
)

// StopCode says why a task stopped.
type StopCode string

// Stop codes.
const (
	StopTaskFailedToStart         StopCode = "TaskFailedToStart"
	StopEssentialContainerExited  StopCode = "EssentialContainerExited"
	StopUserInitiated             StopCode = "UserInitiated"
	StopServiceSchedulerInitiated StopCode = "ServiceSchedulerInitiated"
	StopSpotInterruption          StopCode = "SpotInterruption"
	StopTerminationNotice         StopCode = "TerminationNotice"
	// StopInfrastructureHealth is reported by ECS but is not (yet) in the
	// botocore model's enum.
	StopInfrastructureHealth StopCode = "InfrastructureHealth"
)

// HealthStatus is the health of a container or task.
type HealthStatus string

// Health statuses.
const (
	HealthHealthy   HealthStatus = "HEALTHY"
	HealthUnhealthy HealthStatus = "UNHEALTHY"
	HealthUnknown   HealthStatus = "UNKNOWN"
)

// LaunchType is where a task runs.
type LaunchType string

// Launch types.
const (
	LaunchTypeEC2              LaunchType = "EC2"
	LaunchTypeFargate          LaunchType = "FARGATE"
	LaunchTypeExternal         LaunchType = "EXTERNAL"
	LaunchTypeManagedInstances LaunchType = "MANAGED_INSTANCES"
)

// Connectivity is whether a task's agent is connected.
type Connectivity string

// Connectivity values.
const (
	Connected    Connectivity = "CONNECTED"
	Disconnected Connectivity = "DISCONNECTED"
)

// Task is a running (or stopped) instantiation of a task definition. The
// server writes DesiredStatus; the agent writes LastStatus, the
// timestamps, and the containers' observed fields.
type Task struct {
	ARN                  string `json:"taskArn"`
	ID                   string `json:"id"`
	ClusterARN           string `json:"clusterArn"`
	TaskDefinitionARN    string `json:"taskDefinitionArn"`
	ContainerInstanceARN string `json:"containerInstanceArn,omitempty"`

	LastStatus    TaskStatus   `json:"lastStatus"`
	DesiredStatus TaskStatus   `json:"desiredStatus"`
	HealthStatus  HealthStatus `json:"healthStatus,omitempty"`
	StopCode      StopCode     `json:"stopCode,omitempty"`
	StoppedReason string       `json:"stoppedReason,omitempty"`

	CreatedAt          time.Time `json:"createdAt,omitzero"`
	PullStartedAt      time.Time `json:"pullStartedAt,omitzero"`
	PullStoppedAt      time.Time `json:"pullStoppedAt,omitzero"`
	StartedAt          time.Time `json:"startedAt,omitzero"`
	StoppingAt         time.Time `json:"stoppingAt,omitzero"`
	ExecutionStoppedAt time.Time `json:"executionStoppedAt,omitzero"`
	StoppedAt          time.Time `json:"stoppedAt,omitzero"`
	ConnectivityAt     time.Time `json:"connectivityAt,omitzero"`

	Containers  []Container  `json:"containers,omitempty"`
	Attachments []Attachment `json:"attachments,omitempty"`
	Attributes  []Attribute  `json:"attributes,omitempty"`
	Overrides   TaskOverride `json:"overrides,omitzero"`

	// Group is "service:<name>" for service tasks, "family:<family>" by
	// default for standalone tasks.
	Group     string `json:"group,omitempty"`
	StartedBy string `json:"startedBy,omitempty"`
	Tags      []Tag  `json:"tags,omitempty"`

	LaunchType           LaunchType `json:"launchType,omitempty"`
	PlatformVersion      string     `json:"platformVersion,omitempty"`
	PlatformFamily       string     `json:"platformFamily,omitempty"`
	CapacityProviderName string     `json:"capacityProviderName,omitempty"`

	// CPU and Memory are the task's size as ECS shows it: strings of CPU
	// units and MiB.
	CPU                   string                 `json:"cpu,omitempty"`
	Memory                string                 `json:"memory,omitempty"`
	EphemeralStorageGiB   int                    `json:"ephemeralStorageGiB,omitempty"`
	InferenceAccelerators []InferenceAccelerator `json:"inferenceAccelerators,omitempty"`

	EnableExecuteCommand bool         `json:"enableExecuteCommand,omitempty"`
	AvailabilityZone     string       `json:"availabilityZone,omitempty"`
	Connectivity         Connectivity `json:"connectivity,omitempty"`
	// Version grows by one with every change of the task's observed state.
	Version int64 `json:"version"`

	// NetworkConfiguration is the awsvpc configuration the task was started
	// with (subnets, security groups, public IP); ECS does not show it on
	// the task, but its network interface does.
	NetworkConfiguration *NetworkConfiguration `json:"networkConfiguration,omitempty"`

	// HoldActivation and HoldDeactivation are set by the server for a
	// service task behind a load balancer: the agent keeps the task
	// ACTIVATING until its targets are registered, and DEACTIVATING until
	// they have drained. Internal; never shown by the API.
	HoldActivation   bool `json:"holdActivation,omitempty"`
	HoldDeactivation bool `json:"holdDeactivation,omitempty"`
	// LBTargets are the targets the service scheduler registered for the
	// task, and LBDeregistered says it has deregistered them (they drain).
	// Internal; never shown by the API.
	LBTargets      []LBTarget `json:"lbTargets,omitempty"`
	LBDeregistered bool       `json:"lbDeregistered,omitempty"`

	// LogCursors is the agent's awslogs position per container name: the
	// Docker timestamp of the newest line shipped to CloudWatch Logs, so
	// that a restarted agent resumes without loss or duplicates. Internal;
	// never shown by the API. Only the log shippers write it, and only
	// forward.
	LogCursors map[string]time.Time `json:"logCursors,omitempty"`
}

// Container returns the task's container with the given name.
func (t *Task) Container(name string) (*Container, bool) {
	for i := range t.Containers {
		if t.Containers[i].Name == name {
			return &t.Containers[i], true
		}
	}
	return nil, false
}

// ContainerStatus is a container's lastStatus.
type ContainerStatus string

// Container statuses.
const (
	ContainerPending ContainerStatus = "PENDING"
	ContainerRunning ContainerStatus = "RUNNING"
	ContainerStopped ContainerStatus = "STOPPED"
)

// Container is the observed state of one container of a task.
type Container struct {
	ARN         string          `json:"containerArn"`
	TaskARN     string          `json:"taskArn"`
	Name        string          `json:"name"`
	Image       string          `json:"image,omitempty"`
	ImageDigest string          `json:"imageDigest,omitempty"`
	RuntimeID   string          `json:"runtimeId,omitempty"`
	LastStatus  ContainerStatus `json:"lastStatus,omitempty"`
	// ExitCode is set once the container has exited.
	ExitCode *int `json:"exitCode,omitempty"`
	// Reason explains a stop, for example "OutOfMemoryError: ...".
	Reason            string             `json:"reason,omitempty"`
	NetworkBindings   []NetworkBinding   `json:"networkBindings,omitempty"`
	NetworkInterfaces []NetworkInterface `json:"networkInterfaces,omitempty"`
	HealthStatus      HealthStatus       `json:"healthStatus,omitempty"`
	ManagedAgents     []ManagedAgent     `json:"managedAgents,omitempty"`
	// CPU, Memory and MemoryReservation are shown as strings, as ECS does.
	CPU               string   `json:"cpu,omitempty"`
	Memory            string   `json:"memory,omitempty"`
	MemoryReservation string   `json:"memoryReservation,omitempty"`
	GPUIDs            []string `json:"gpuIds,omitempty"`
}

// NetworkBinding is a port published on the host.
type NetworkBinding struct {
	BindIP             string            `json:"bindIP,omitempty"`
	ContainerPort      int               `json:"containerPort,omitempty"`
	HostPort           int               `json:"hostPort,omitempty"`
	Protocol           TransportProtocol `json:"protocol,omitempty"`
	ContainerPortRange string            `json:"containerPortRange,omitempty"`
	HostPortRange      string            `json:"hostPortRange,omitempty"`
}

// NetworkInterface is a container's view of the task's ENI.
type NetworkInterface struct {
	AttachmentID       string `json:"attachmentId,omitempty"`
	PrivateIPv4Address string `json:"privateIpv4Address,omitempty"`
	IPv6Address        string `json:"ipv6Address,omitempty"`
}

// ManagedAgent is an agent ECS runs in a container (ECS Exec).
type ManagedAgent struct {
	Name          string    `json:"name"`
	LastStatus    string    `json:"lastStatus,omitempty"`
	Reason        string    `json:"reason,omitempty"`
	LastStartedAt time.Time `json:"lastStartedAt,omitzero"`
}

// TaskOverride changes a task's definition at run time.
type TaskOverride struct {
	ContainerOverrides            []ContainerOverride            `json:"containerOverrides,omitempty"`
	CPU                           string                         `json:"cpu,omitempty"`
	Memory                        string                         `json:"memory,omitempty"`
	ExecutionRoleARN              string                         `json:"executionRoleArn,omitempty"`
	TaskRoleARN                   string                         `json:"taskRoleArn,omitempty"`
	EphemeralStorageGiB           int                            `json:"ephemeralStorageGiB,omitempty"`
	InferenceAcceleratorOverrides []InferenceAcceleratorOverride `json:"inferenceAcceleratorOverrides,omitempty"`
}

// ContainerOverride changes one container at run time. Nil sizes leave
// the definition's values.
type ContainerOverride struct {
	Name                 string                `json:"name"`
	Command              []string              `json:"command,omitempty"`
	Environment          []KeyValuePair        `json:"environment,omitempty"`
	EnvironmentFiles     []EnvironmentFile     `json:"environmentFiles,omitempty"`
	CPU                  *int                  `json:"cpu,omitempty"`
	Memory               *int                  `json:"memory,omitempty"`
	MemoryReservation    *int                  `json:"memoryReservation,omitempty"`
	ResourceRequirements []ResourceRequirement `json:"resourceRequirements,omitempty"`
}

// InferenceAcceleratorOverride changes an inference accelerator at run time.
type InferenceAcceleratorOverride struct {
	DeviceName string `json:"deviceName,omitempty"`
	DeviceType string `json:"deviceType,omitempty"`
}

// LBTarget is one target a service task is registered as in an ELBv2
// target group: its IP address (ip target groups) or EC2 instance ID
// (instance target groups), and port.
type LBTarget struct {
	TargetGroupARN string `json:"targetGroupArn"`
	ID             string `json:"id"`
	Port           int    `json:"port"`
}

// PrivateIPv4 is the private IPv4 address of the task's network
// interface (awsvpc), or "".
func (t *Task) PrivateIPv4() string {
	for i := range t.Attachments {
		if t.Attachments[i].Type != AttachmentTypeENI {
			continue
		}
		if ip, ok := t.Attachments[i].Detail(DetailPrivateIPv4Address); ok {
			return ip
		}
	}
	return ""
}

// EC2InstanceID is the EC2 instance ID Quayside shows for a container
// instance: "i-" and the first 17 hex digits of its ID. Instance target
// groups name container instances by it.
func EC2InstanceID(containerInstanceID string) string {
	if len(containerInstanceID) > 17 {
		containerInstanceID = containerInstanceID[:17]
	}
	return "i-" + containerInstanceID
}
