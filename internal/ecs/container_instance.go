package ecs

import "time"

// ContainerInstanceStatus is a container instance's status.
type ContainerInstanceStatus string

// Container instance statuses.
const (
	InstanceActive             ContainerInstanceStatus = "ACTIVE"
	InstanceDraining           ContainerInstanceStatus = "DRAINING"
	InstanceRegistering        ContainerInstanceStatus = "REGISTERING"
	InstanceDeregistering      ContainerInstanceStatus = "DEREGISTERING"
	InstanceRegistrationFailed ContainerInstanceStatus = "REGISTRATION_FAILED"
	InstanceInactive           ContainerInstanceStatus = "INACTIVE"
)

// ContainerInstance is a host running the Quayside agent, registered
// with a cluster. The running and pending task counts are derived from
// the tasks and are not stored.
type ContainerInstance struct {
	ARN                  string `json:"containerInstanceArn"`
	ID                   string `json:"id"`
	ClusterARN           string `json:"clusterArn"`
	EC2InstanceID        string `json:"ec2InstanceId,omitempty"`
	CapacityProviderName string `json:"capacityProviderName,omitempty"`

	// Version grows by one with every change of the instance's state.
	Version     int64       `json:"version"`
	VersionInfo VersionInfo `json:"versionInfo,omitzero"`

	RegisteredResources []Resource `json:"registeredResources,omitempty"`
	RemainingResources  []Resource `json:"remainingResources,omitempty"`

	Status            ContainerInstanceStatus `json:"status"`
	StatusReason      string                  `json:"statusReason,omitempty"`
	AgentConnected    bool                    `json:"agentConnected"`
	AgentUpdateStatus string                  `json:"agentUpdateStatus,omitempty"`

	Attributes   []Attribute  `json:"attributes,omitempty"`
	RegisteredAt time.Time    `json:"registeredAt,omitzero"`
	Attachments  []Attachment `json:"attachments,omitempty"`
	Tags         []Tag        `json:"tags,omitempty"`
}

// VersionInfo is the agent and Docker versions of a container instance.
type VersionInfo struct {
	AgentVersion  string `json:"agentVersion,omitempty"`
	AgentHash     string `json:"agentHash,omitempty"`
	DockerVersion string `json:"dockerVersion,omitempty"`
}

// Resource is an amount of a resource on a container instance: CPU
// (INTEGER, units), MEMORY (INTEGER, MiB), PORTS and PORTS_UDP
// (STRINGSET), GPU (STRINGSET of IDs).
type Resource struct {
	Name           string   `json:"name"`
	Type           string   `json:"type"`
	DoubleValue    float64  `json:"doubleValue,omitempty"`
	LongValue      int64    `json:"longValue,omitempty"`
	IntegerValue   int      `json:"integerValue,omitempty"`
	StringSetValue []string `json:"stringSetValue,omitempty"`
}

// Resource names and types of container instances.
const (
	ResourceCPU      = "CPU"
	ResourceMemory   = "MEMORY"
	ResourcePorts    = "PORTS"
	ResourcePortsUDP = "PORTS_UDP"
	ResourceGPU      = "GPU"

	ResourceTypeInteger   = "INTEGER"
	ResourceTypeLong      = "LONG"
	ResourceTypeDouble    = "DOUBLE"
	ResourceTypeStringSet = "STRINGSET"
)
