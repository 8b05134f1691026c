package ecs

import "time"

// ClusterStatus is a cluster's status.
type ClusterStatus string

// Cluster statuses.
const (
	ClusterActive         ClusterStatus = "ACTIVE"
	ClusterProvisioning   ClusterStatus = "PROVISIONING"
	ClusterDeprovisioning ClusterStatus = "DEPROVISIONING"
	ClusterFailed         ClusterStatus = "FAILED"
	ClusterInactive       ClusterStatus = "INACTIVE"
)

// Cluster is a logical group of tasks, services and container
// instances. The registered, running, pending and active counts are
// derived from those resources and are not stored.
type Cluster struct {
	ARN    string        `json:"clusterArn"`
	Name   string        `json:"clusterName"`
	Status ClusterStatus `json:"status"`

	Settings      []ClusterSetting     `json:"settings,omitempty"`
	Configuration ClusterConfiguration `json:"configuration,omitzero"`

	CapacityProviders               []string                       `json:"capacityProviders,omitempty"`
	DefaultCapacityProviderStrategy []CapacityProviderStrategyItem `json:"defaultCapacityProviderStrategy,omitempty"`

	ServiceConnectDefaults *ServiceConnectDefaults `json:"serviceConnectDefaults,omitempty"`
	Attachments            []Attachment            `json:"attachments,omitempty"`
	AttachmentsStatus      string                  `json:"attachmentsStatus,omitempty"`
	Tags                   []Tag                   `json:"tags,omitempty"`

	// CreatedAt is not shown by ECS; Quayside keeps it for ordering.
	CreatedAt time.Time `json:"createdAt,omitzero"`
}

// Setting returns the value of the named cluster setting.
func (c *Cluster) Setting(name ClusterSettingName) (string, bool) {
	for _, s := range c.Settings {
		if s.Name == name {
			return s.Value, true
		}
	}
	return "", false
}

// ContainerInsights returns the containerInsights setting ("enabled",
// "enhanced" or "disabled"), "disabled" when unset.
func (c *Cluster) ContainerInsights() string {
	if v, ok := c.Setting(ClusterSettingContainerInsights); ok {
		return v
	}
	return ContainerInsightsDisabled
}

// ClusterSettingName names a cluster setting.
type ClusterSettingName string

// ClusterSettingContainerInsights is the only cluster setting.
const ClusterSettingContainerInsights ClusterSettingName = "containerInsights"

// containerInsights values.
const (
	ContainerInsightsEnabled  = "enabled"
	ContainerInsightsEnhanced = "enhanced"
	ContainerInsightsDisabled = "disabled"
)

// ClusterSetting is a cluster setting.
type ClusterSetting struct {
	Name  ClusterSettingName `json:"name"`
	Value string             `json:"value"`
}

// ClusterConfiguration holds the ECS Exec and managed storage settings.
type ClusterConfiguration struct {
	ExecuteCommand *ExecuteCommandConfiguration `json:"executeCommandConfiguration,omitempty"`
	ManagedStorage *ManagedStorageConfiguration `json:"managedStorageConfiguration,omitempty"`
}

// ExecuteCommandLogging is where ECS Exec session output goes.
type ExecuteCommandLogging string

// ECS Exec logging settings.
const (
	ExecLoggingNone     ExecuteCommandLogging = "NONE"
	ExecLoggingDefault  ExecuteCommandLogging = "DEFAULT"
	ExecLoggingOverride ExecuteCommandLogging = "OVERRIDE"
)

// ExecuteCommandConfiguration configures ECS Exec for a cluster.
type ExecuteCommandConfiguration struct {
	KMSKeyID         string                          `json:"kmsKeyId,omitempty"`
	Logging          ExecuteCommandLogging           `json:"logging,omitempty"`
	LogConfiguration *ExecuteCommandLogConfiguration `json:"logConfiguration,omitempty"`
}

// ExecuteCommandLogConfiguration is where ECS Exec logs go when Logging
// is OVERRIDE.
type ExecuteCommandLogConfiguration struct {
	CloudWatchLogGroupName      string `json:"cloudWatchLogGroupName,omitempty"`
	CloudWatchEncryptionEnabled bool   `json:"cloudWatchEncryptionEnabled,omitempty"`
	S3BucketName                string `json:"s3BucketName,omitempty"`
	S3EncryptionEnabled         bool   `json:"s3EncryptionEnabled,omitempty"`
	S3KeyPrefix                 string `json:"s3KeyPrefix,omitempty"`
}

// ManagedStorageConfiguration holds the KMS keys for managed storage.
type ManagedStorageConfiguration struct {
	KMSKeyID                        string `json:"kmsKeyId,omitempty"`
	FargateEphemeralStorageKMSKeyID string `json:"fargateEphemeralStorageKmsKeyId,omitempty"`
}

// ServiceConnectDefaults is the cluster's default Cloud Map namespace.
type ServiceConnectDefaults struct {
	Namespace string `json:"namespace"`
}
