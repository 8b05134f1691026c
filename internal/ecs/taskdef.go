package ecs

import "time"

// TaskDefinitionStatus is the status of a task definition revision.
type TaskDefinitionStatus string

// Task definition statuses.
const (
	TaskDefinitionActive           TaskDefinitionStatus = "ACTIVE"
	TaskDefinitionInactive         TaskDefinitionStatus = "INACTIVE"
	TaskDefinitionDeleteInProgress TaskDefinitionStatus = "DELETE_IN_PROGRESS"
)

// NetworkMode is the Docker networking mode of a task's containers.
type NetworkMode string

// Network modes. The empty mode means none was given; ECS then uses
// bridge on Linux container instances and echoes nothing.
const (
	NetworkModeBridge NetworkMode = "bridge"
	NetworkModeHost   NetworkMode = "host"
	NetworkModeAWSVPC NetworkMode = "awsvpc"
	NetworkModeNone   NetworkMode = "none"
)

// Effective returns the mode the task runs with: bridge when none was given.
func (m NetworkMode) Effective() NetworkMode {
	if m == "" {
		return NetworkModeBridge
	}
	return m
}

// Compatibility is a launch type a task definition can be validated
// against (requiresCompatibilities) or is found compatible with
// (compatibilities).
type Compatibility string

// Compatibilities.
const (
	CompatibilityEC2              Compatibility = "EC2"
	CompatibilityFargate          Compatibility = "FARGATE"
	CompatibilityExternal         Compatibility = "EXTERNAL"
	CompatibilityManagedInstances Compatibility = "MANAGED_INSTANCES"
)

// PIDMode is the process namespace of a task's containers.
type PIDMode string

// PID modes.
const (
	PIDModeHost PIDMode = "host"
	PIDModeTask PIDMode = "task"
)

// IPCMode is the IPC namespace of a task's containers.
type IPCMode string

// IPC modes.
const (
	IPCModeHost IPCMode = "host"
	IPCModeTask IPCMode = "task"
	IPCModeNone IPCMode = "none"
)

// TaskDefinition is one revision of a task definition family: the
// containers, volumes and resources of a task. A revision never changes
// once registered except for its status and deregistration times.
//
// CPU and Memory keep the strings as given ("1 vCPU", "2 GB", "1024");
// CPUUnits and MemoryMiB hold the parsed values, 0 when absent. ECS shows
// the parsed values, as strings, after registration.
type TaskDefinition struct {
	ARN      string               `json:"taskDefinitionArn,omitempty"`
	Family   string               `json:"family"`
	Revision int                  `json:"revision,omitempty"`
	Status   TaskDefinitionStatus `json:"status,omitempty"`

	TaskRoleARN      string      `json:"taskRoleArn,omitempty"`
	ExecutionRoleARN string      `json:"executionRoleArn,omitempty"`
	NetworkMode      NetworkMode `json:"networkMode,omitempty"`

	ContainerDefinitions []ContainerDefinition `json:"containerDefinitions"`
	Volumes              []Volume              `json:"volumes,omitempty"`
	PlacementConstraints []PlacementConstraint `json:"placementConstraints,omitempty"`

	RequiresCompatibilities []Compatibility `json:"requiresCompatibilities,omitempty"`
	Compatibilities         []Compatibility `json:"compatibilities,omitempty"`
	RuntimePlatform         RuntimePlatform `json:"runtimePlatform,omitzero"`

	CPU       string `json:"cpu,omitempty"`
	Memory    string `json:"memory,omitempty"`
	CPUUnits  int    `json:"cpuUnits,omitempty"`
	MemoryMiB int    `json:"memoryMiB,omitempty"`

	PIDMode               PIDMode                `json:"pidMode,omitempty"`
	IPCMode               IPCMode                `json:"ipcMode,omitempty"`
	ProxyConfiguration    *ProxyConfiguration    `json:"proxyConfiguration,omitempty"`
	InferenceAccelerators []InferenceAccelerator `json:"inferenceAccelerators,omitempty"`
	// EphemeralStorageGiB is the task's ephemeral storage on Fargate; 0
	// means the default (20 GiB).
	EphemeralStorageGiB  int  `json:"ephemeralStorageGiB,omitempty"`
	EnableFaultInjection bool `json:"enableFaultInjection,omitempty"`

	RegisteredAt      time.Time `json:"registeredAt,omitzero"`
	RegisteredBy      string    `json:"registeredBy,omitempty"`
	DeregisteredAt    time.Time `json:"deregisteredAt,omitzero"`
	DeleteRequestedAt time.Time `json:"deleteRequestedAt,omitzero"`

	// RequiresAttributes are the container instance attributes the task
	// definition needs, computed at registration.
	RequiresAttributes []Attribute `json:"requiresAttributes,omitempty"`
	Tags               []Tag       `json:"tags,omitempty"`
}

// Ref returns the family:revision reference of the task definition.
func (td *TaskDefinition) Ref() TaskDefinitionRef {
	return TaskDefinitionRef{Family: td.Family, Revision: td.Revision}
}

// Requires reports whether the task definition was registered requiring c.
func (td *TaskDefinition) Requires(c Compatibility) bool {
	for _, r := range td.RequiresCompatibilities {
		if r == c {
			return true
		}
	}
	return false
}

// Container returns the container definition with the given name.
func (td *TaskDefinition) Container(name string) (*ContainerDefinition, bool) {
	for i := range td.ContainerDefinitions {
		if td.ContainerDefinitions[i].Name == name {
			return &td.ContainerDefinitions[i], true
		}
	}
	return nil, false
}

// Volume returns the volume with the given name.
func (td *TaskDefinition) Volume(name string) (*Volume, bool) {
	for i := range td.Volumes {
		if td.Volumes[i].Name == name {
			return &td.Volumes[i], true
		}
	}
	return nil, false
}

// IsWindows reports whether the runtime platform is a Windows family.
func (td *TaskDefinition) IsWindows() bool {
	return td.RuntimePlatform.OperatingSystemFamily != "" && td.RuntimePlatform.OperatingSystemFamily != OSFamilyLinux
}

// ComputeCompatibilities returns the launch types the task definition is
// compatible with, as ECS reports them: EC2 always, FARGATE when the
// definition passes the Fargate rules, and EXTERNAL or MANAGED_INSTANCES
// when they were required.
func (td *TaskDefinition) ComputeCompatibilities() []Compatibility {
	out := []Compatibility{CompatibilityEC2}
	if td.checkFargate() == nil {
		out = append(out, CompatibilityFargate)
	}
	for _, c := range []Compatibility{CompatibilityExternal, CompatibilityManagedInstances} {
		if td.Requires(c) {
			out = append(out, c)
		}
	}
	return out
}

// PlacementConstraintType is the type of a task definition placement
// constraint.
type PlacementConstraintType string

// Placement constraint types. Task definitions allow only memberOf;
// services and RunTask also allow distinctInstance.
const (
	PlacementConstraintMemberOf         PlacementConstraintType = "memberOf"
	PlacementConstraintDistinctInstance PlacementConstraintType = "distinctInstance"
)

// PlacementConstraint restricts where tasks are placed, with a cluster
// query language expression.
type PlacementConstraint struct {
	Type       PlacementConstraintType `json:"type,omitempty"`
	Expression string                  `json:"expression,omitempty"`
}

// MaxPlacementConstraints is the most placement constraints a task may
// have, counting the task definition's and those given at run time.
const MaxPlacementConstraints = 10

// CPUArchitecture is a runtime platform's CPU architecture.
type CPUArchitecture string

// CPU architectures.
const (
	CPUArchitectureX86_64 CPUArchitecture = "X86_64"
	CPUArchitectureARM64  CPUArchitecture = "ARM64"
)

// OSFamily is a runtime platform's operating system.
type OSFamily string

// Operating system families.
const (
	OSFamilyLinux                 OSFamily = "LINUX"
	OSFamilyWindowsServer2019Full OSFamily = "WINDOWS_SERVER_2019_FULL"
	OSFamilyWindowsServer2019Core OSFamily = "WINDOWS_SERVER_2019_CORE"
	OSFamilyWindowsServer2016Full OSFamily = "WINDOWS_SERVER_2016_FULL"
	OSFamilyWindowsServer2004Core OSFamily = "WINDOWS_SERVER_2004_CORE"
	OSFamilyWindowsServer2022Core OSFamily = "WINDOWS_SERVER_2022_CORE"
	OSFamilyWindowsServer2022Full OSFamily = "WINDOWS_SERVER_2022_FULL"
	OSFamilyWindowsServer2025Core OSFamily = "WINDOWS_SERVER_2025_CORE"
	OSFamilyWindowsServer2025Full OSFamily = "WINDOWS_SERVER_2025_FULL"
	OSFamilyWindowsServer20H2Core OSFamily = "WINDOWS_SERVER_20H2_CORE"
)

// OSFamilies lists every operating system family, as the model does.
var OSFamilies = []OSFamily{
	OSFamilyWindowsServer2019Full, OSFamilyWindowsServer2019Core, OSFamilyWindowsServer2016Full,
	OSFamilyWindowsServer2004Core, OSFamilyWindowsServer2022Core, OSFamilyWindowsServer2022Full,
	OSFamilyWindowsServer2025Core, OSFamilyWindowsServer2025Full, OSFamilyWindowsServer20H2Core,
	OSFamilyLinux,
}

// RuntimePlatform is the operating system and CPU architecture a task
// definition runs on. The zero value means none was given.
type RuntimePlatform struct {
	CPUArchitecture       CPUArchitecture `json:"cpuArchitecture,omitempty"`
	OperatingSystemFamily OSFamily        `json:"operatingSystemFamily,omitempty"`
}

// ProxyConfigurationType is the type of a task's proxy configuration.
type ProxyConfigurationType string

// ProxyConfigurationAppMesh is the only proxy configuration type.
const ProxyConfigurationAppMesh ProxyConfigurationType = "APPMESH"

// ProxyConfiguration is the App Mesh proxy of a task.
type ProxyConfiguration struct {
	Type          ProxyConfigurationType `json:"type,omitempty"`
	ContainerName string                 `json:"containerName"`
	Properties    []KeyValuePair         `json:"properties,omitempty"`
}

// InferenceAccelerator is an Elastic Inference accelerator of a task.
type InferenceAccelerator struct {
	DeviceName string `json:"deviceName"`
	DeviceType string `json:"deviceType"`
}

// Ephemeral storage bounds for Fargate tasks, in GiB.
const (
	MinEphemeralStorageGiB     = 21
	MaxEphemeralStorageGiB     = 200
	DefaultEphemeralStorageGiB = 20
)
