package ecs

import "time"

// ContainerDefinition describes one container of a task definition. It
// has every field of the ECS model's ContainerDefinition. Defaults that
// ECS fills in at registration are resolved: Essential is true unless the
// request said false; a health check has its interval, timeout and
// retries. Zero means "not set" for Memory, MemoryReservation,
// StartTimeout and StopTimeout.
type ContainerDefinition struct {
	Name                  string                 `json:"name"`
	Image                 string                 `json:"image"`
	RepositoryCredentials *RepositoryCredentials `json:"repositoryCredentials,omitempty"`

	// CPU is the container's CPU units (0 when not reserved).
	CPU int `json:"cpu"`
	// Memory is the hard limit in MiB; MemoryReservation the soft limit.
	Memory            int `json:"memory,omitempty"`
	MemoryReservation int `json:"memoryReservation,omitempty"`

	Links        []string      `json:"links,omitempty"`
	PortMappings []PortMapping `json:"portMappings,omitempty"`
	Essential    bool          `json:"essential"`

	RestartPolicy *RestartPolicy `json:"restartPolicy,omitempty"`
	EntryPoint    []string       `json:"entryPoint,omitempty"`
	Command       []string       `json:"command,omitempty"`

	Environment      []KeyValuePair    `json:"environment,omitempty"`
	EnvironmentFiles []EnvironmentFile `json:"environmentFiles,omitempty"`
	MountPoints      []MountPoint      `json:"mountPoints,omitempty"`
	VolumesFrom      []VolumeFrom      `json:"volumesFrom,omitempty"`
	LinuxParameters  *LinuxParameters  `json:"linuxParameters,omitempty"`
	Secrets          []Secret          `json:"secrets,omitempty"`

	DependsOn []ContainerDependency `json:"dependsOn,omitempty"`
	// StartTimeout is how long to wait for dependencies to resolve;
	// StopTimeout how long to wait before killing the container. Zero
	// means the default (the agent's, or 30 s on Fargate).
	StartTimeout time.Duration `json:"startTimeout,omitempty"`
	StopTimeout  time.Duration `json:"stopTimeout,omitempty"`

	VersionConsistency VersionConsistency `json:"versionConsistency,omitempty"`

	Hostname               string            `json:"hostname,omitempty"`
	User                   string            `json:"user,omitempty"`
	WorkingDirectory       string            `json:"workingDirectory,omitempty"`
	DisableNetworking      bool              `json:"disableNetworking,omitempty"`
	Privileged             bool              `json:"privileged,omitempty"`
	ReadonlyRootFilesystem bool              `json:"readonlyRootFilesystem,omitempty"`
	DNSServers             []string          `json:"dnsServers,omitempty"`
	DNSSearchDomains       []string          `json:"dnsSearchDomains,omitempty"`
	ExtraHosts             []HostEntry       `json:"extraHosts,omitempty"`
	DockerSecurityOptions  []string          `json:"dockerSecurityOptions,omitempty"`
	Interactive            bool              `json:"interactive,omitempty"`
	PseudoTerminal         bool              `json:"pseudoTerminal,omitempty"`
	DockerLabels           map[string]string `json:"dockerLabels,omitempty"`
	Ulimits                []Ulimit          `json:"ulimits,omitempty"`

	LogConfiguration      *LogConfiguration      `json:"logConfiguration,omitempty"`
	HealthCheck           *HealthCheck           `json:"healthCheck,omitempty"`
	SystemControls        []SystemControl        `json:"systemControls,omitempty"`
	ResourceRequirements  []ResourceRequirement  `json:"resourceRequirements,omitempty"`
	FirelensConfiguration *FirelensConfiguration `json:"firelensConfiguration,omitempty"`
	CredentialSpecs       []string               `json:"credentialSpecs,omitempty"`
}

// ReservedMemory is the memory the container reserves on its instance:
// MemoryReservation when set, otherwise Memory.
func (c *ContainerDefinition) ReservedMemory() int {
	if c.MemoryReservation > 0 {
		return c.MemoryReservation
	}
	return c.Memory
}

// RepositoryCredentials names the secret holding private registry
// credentials.
type RepositoryCredentials struct {
	CredentialsParameter string `json:"credentialsParameter"`
}

// TransportProtocol is a port mapping's protocol.
type TransportProtocol string

// Transport protocols.
const (
	ProtocolTCP TransportProtocol = "tcp"
	ProtocolUDP TransportProtocol = "udp"
)

// ApplicationProtocol is a port mapping's application protocol, used by
// Service Connect.
type ApplicationProtocol string

// Application protocols.
const (
	AppProtocolHTTP  ApplicationProtocol = "http"
	AppProtocolHTTP2 ApplicationProtocol = "http2"
	AppProtocolGRPC  ApplicationProtocol = "grpc"
)

// PortMapping maps a container port (or range) to a host port. HostPort
// is resolved: with awsvpc and host networking it equals ContainerPort
// unless the request gave another value; with bridge networking 0 means
// a dynamic port. A mapping with a ContainerPortRange has neither port.
type PortMapping struct {
	ContainerPort      int                 `json:"containerPort,omitempty"`
	HostPort           int                 `json:"hostPort,omitempty"`
	Protocol           TransportProtocol   `json:"protocol,omitempty"`
	Name               string              `json:"name,omitempty"`
	AppProtocol        ApplicationProtocol `json:"appProtocol,omitempty"`
	ContainerPortRange string              `json:"containerPortRange,omitempty"`
}

// DefaultHostPort is the host port ECS records for a mapping that gives
// none: the container port with awsvpc or host networking, 0 (dynamic)
// with bridge.
func DefaultHostPort(mode NetworkMode, containerPort int) int {
	switch mode {
	case NetworkModeAWSVPC, NetworkModeHost:
		return containerPort
	}
	return 0
}

// RestartPolicy lets ECS restart a container that exits, in place.
type RestartPolicy struct {
	Enabled          bool  `json:"enabled"`
	IgnoredExitCodes []int `json:"ignoredExitCodes,omitempty"`
	// RestartAttemptPeriod is how long the container must run before a
	// restart is attempted; zero means the default (300 s).
	RestartAttemptPeriod time.Duration `json:"restartAttemptPeriod,omitempty"`
}

// Restart policy limits.
const (
	MaxIgnoredExitCodes         = 50
	MinRestartAttemptPeriod     = 60 * time.Second
	MaxRestartAttemptPeriod     = 1800 * time.Second
	DefaultRestartAttemptPeriod = 300 * time.Second
)

// KeyValuePair is a name and a value: an environment variable, a proxy
// property, an attachment detail.
type KeyValuePair struct {
	Name  string `json:"name,omitempty"`
	Value string `json:"value,omitempty"`
}

// EnvironmentFileType is the kind of an environment file.
type EnvironmentFileType string

// EnvironmentFileS3 is the only environment file type.
const EnvironmentFileS3 EnvironmentFileType = "s3"

// EnvironmentFile is an S3 object of VARIABLE=VALUE lines.
type EnvironmentFile struct {
	Value string              `json:"value"`
	Type  EnvironmentFileType `json:"type"`
}

// MaxEnvironmentFiles is the most environment files per container.
const MaxEnvironmentFiles = 10

// MountPoint mounts a task volume into a container.
type MountPoint struct {
	SourceVolume  string `json:"sourceVolume,omitempty"`
	ContainerPath string `json:"containerPath,omitempty"`
	ReadOnly      bool   `json:"readOnly,omitempty"`
}

// VolumeFrom mounts the volumes of another container of the task.
type VolumeFrom struct {
	SourceContainer string `json:"sourceContainer,omitempty"`
	ReadOnly        bool   `json:"readOnly,omitempty"`
}

// LinuxParameters are Linux-specific container settings. MaxSwap and
// Swappiness are pointers because 0 is a meaningful setting for both
// (no swap; swap only when necessary) and absence means the instance's
// setting.
type LinuxParameters struct {
	Capabilities       KernelCapabilities `json:"capabilities,omitzero"`
	Devices            []Device           `json:"devices,omitempty"`
	InitProcessEnabled bool               `json:"initProcessEnabled,omitempty"`
	SharedMemorySize   int                `json:"sharedMemorySize,omitempty"` // MiB
	Tmpfs              []Tmpfs            `json:"tmpfs,omitempty"`
	MaxSwap            *int               `json:"maxSwap,omitempty"` // MiB
	Swappiness         *int               `json:"swappiness,omitempty"`
}

// KernelCapabilities are the Linux capabilities added to and dropped
// from Docker's default set.
type KernelCapabilities struct {
	Add  []string `json:"add,omitempty"`
	Drop []string `json:"drop,omitempty"`
}

// DeviceCgroupPermission is a permission on a host device.
type DeviceCgroupPermission string

// Device permissions.
const (
	DevicePermissionRead  DeviceCgroupPermission = "read"
	DevicePermissionWrite DeviceCgroupPermission = "write"
	DevicePermissionMknod DeviceCgroupPermission = "mknod"
)

// Device exposes a host device to the container.
type Device struct {
	HostPath      string                   `json:"hostPath"`
	ContainerPath string                   `json:"containerPath,omitempty"`
	Permissions   []DeviceCgroupPermission `json:"permissions,omitempty"`
}

// Tmpfs is a tmpfs mount.
type Tmpfs struct {
	ContainerPath string   `json:"containerPath"`
	Size          int      `json:"size"` // MiB
	MountOptions  []string `json:"mountOptions,omitempty"`
}

// Secret injects a value from SSM Parameter Store or Secrets Manager:
// into the environment (container secrets) or into the log driver's
// options (secretOptions). See ParseSecretSource for ValueFrom's forms.
type Secret struct {
	Name      string `json:"name"`
	ValueFrom string `json:"valueFrom"`
}

// ContainerCondition is the state a dependency must reach.
type ContainerCondition string

// Dependency conditions.
const (
	ConditionStart    ContainerCondition = "START"
	ConditionComplete ContainerCondition = "COMPLETE"
	ConditionSuccess  ContainerCondition = "SUCCESS"
	ConditionHealthy  ContainerCondition = "HEALTHY"
)

// ContainerDependency makes a container wait for another to reach a
// condition before it starts.
type ContainerDependency struct {
	ContainerName string             `json:"containerName"`
	Condition     ContainerCondition `json:"condition"`
}

// VersionConsistency says whether ECS pins an image tag to its digest.
type VersionConsistency string

// Version consistency settings; empty means enabled.
const (
	VersionConsistencyEnabled  VersionConsistency = "enabled"
	VersionConsistencyDisabled VersionConsistency = "disabled"
)

// HostEntry is a line appended to the container's /etc/hosts.
type HostEntry struct {
	Hostname  string `json:"hostname"`
	IPAddress string `json:"ipAddress"`
}

// UlimitName is the resource a ulimit limits.
type UlimitName string

// UlimitNames lists the ulimit names ECS accepts, as the model does.
var UlimitNames = []UlimitName{
	"core", "cpu", "data", "fsize", "locks", "memlock", "msgqueue", "nice",
	"nofile", "nproc", "rss", "rtprio", "rttime", "sigpending", "stack",
}

// Ulimit is a resource limit of the container.
type Ulimit struct {
	Name      UlimitName `json:"name"`
	SoftLimit int        `json:"softLimit"`
	HardLimit int        `json:"hardLimit"`
}

// LogDriver is a Docker logging driver ECS supports.
type LogDriver string

// Log drivers.
const (
	LogDriverJSONFile    LogDriver = "json-file"
	LogDriverSyslog      LogDriver = "syslog"
	LogDriverJournald    LogDriver = "journald"
	LogDriverGELF        LogDriver = "gelf"
	LogDriverFluentd     LogDriver = "fluentd"
	LogDriverAWSLogs     LogDriver = "awslogs"
	LogDriverSplunk      LogDriver = "splunk"
	LogDriverAWSFirelens LogDriver = "awsfirelens"
)

// LogDrivers lists every log driver, as the model does.
var LogDrivers = []LogDriver{
	LogDriverJSONFile, LogDriverSyslog, LogDriverJournald, LogDriverGELF,
	LogDriverFluentd, LogDriverAWSLogs, LogDriverSplunk, LogDriverAWSFirelens,
}

// awslogs options.
const (
	AWSLogsGroup        = "awslogs-group"
	AWSLogsRegion       = "awslogs-region"
	AWSLogsStreamPrefix = "awslogs-stream-prefix"
	AWSLogsCreateGroup  = "awslogs-create-group"
)

// LogConfiguration is the container's log driver and its options.
type LogConfiguration struct {
	LogDriver     LogDriver         `json:"logDriver"`
	Options       map[string]string `json:"options,omitempty"`
	SecretOptions []Secret          `json:"secretOptions,omitempty"`
}

// HealthCheck is a container health check, with defaults resolved.
type HealthCheck struct {
	// Command starts with CMD or CMD-SHELL.
	Command  []string      `json:"command"`
	Interval time.Duration `json:"interval"`
	Timeout  time.Duration `json:"timeout"`
	Retries  int           `json:"retries"`
	// StartPeriod is the grace period after start; zero means none.
	StartPeriod time.Duration `json:"startPeriod,omitempty"`
}

// Health check defaults and bounds.
const (
	DefaultHealthCheckInterval = 30 * time.Second
	DefaultHealthCheckTimeout  = 5 * time.Second
	DefaultHealthCheckRetries  = 3

	MinHealthCheckInterval    = 5 * time.Second
	MaxHealthCheckInterval    = 300 * time.Second
	MinHealthCheckTimeout     = 2 * time.Second
	MaxHealthCheckTimeout     = 60 * time.Second
	MinHealthCheckRetries     = 1
	MaxHealthCheckRetries     = 10
	MaxHealthCheckStartPeriod = 300 * time.Second
)

// Health check command prefixes.
const (
	HealthCheckCmd      = "CMD"
	HealthCheckCmdShell = "CMD-SHELL"
)

// SystemControl is a namespaced kernel parameter (sysctl).
type SystemControl struct {
	Namespace string `json:"namespace,omitempty"`
	Value     string `json:"value,omitempty"`
}

// ResourceType is the kind of a container resource requirement.
type ResourceType string

// Resource types.
const (
	ResourceTypeGPU                  ResourceType = "GPU"
	ResourceTypeInferenceAccelerator ResourceType = "InferenceAccelerator"
)

// ResourceRequirement assigns GPUs or an inference accelerator.
type ResourceRequirement struct {
	Value string       `json:"value"`
	Type  ResourceType `json:"type"`
}

// FirelensConfigurationType is the log router of a FireLens container.
type FirelensConfigurationType string

// FireLens log routers.
const (
	FirelensFluentd   FirelensConfigurationType = "fluentd"
	FirelensFluentbit FirelensConfigurationType = "fluentbit"
)

// FirelensConfiguration makes the container a FireLens log router.
type FirelensConfiguration struct {
	Type    FirelensConfigurationType `json:"type"`
	Options map[string]string         `json:"options,omitempty"`
}

// Fargate limits on container timeouts.
const (
	MinFargateTimeout         = 2 * time.Second
	MaxFargateTimeout         = 120 * time.Second
	DefaultFargateStopTimeout = 30 * time.Second
)

// MaxContainersPerTaskDefinition is ECS's quota on container
// definitions per task definition.
const MaxContainersPerTaskDefinition = 10
