package ecs

// CapacityProviderStatus is a capacity provider's status.
type CapacityProviderStatus string

// Capacity provider statuses.
const (
	CapacityProviderProvisioning   CapacityProviderStatus = "PROVISIONING"
	CapacityProviderActive         CapacityProviderStatus = "ACTIVE"
	CapacityProviderDeprovisioning CapacityProviderStatus = "DEPROVISIONING"
	CapacityProviderInactive       CapacityProviderStatus = "INACTIVE"
)

// CapacityProviderType is the kind of capacity a provider supplies.
type CapacityProviderType string

// Capacity provider types.
const (
	CapacityProviderEC2AutoScaling   CapacityProviderType = "EC2_AUTOSCALING"
	CapacityProviderManagedInstances CapacityProviderType = "MANAGED_INSTANCES"
	CapacityProviderFargate          CapacityProviderType = "FARGATE"
	CapacityProviderFargateSpot      CapacityProviderType = "FARGATE_SPOT"
)

// Names of the capacity providers every account has.
const (
	FargateCapacityProvider     = "FARGATE"
	FargateSpotCapacityProvider = "FARGATE_SPOT"
)

// CapacityProvider supplies capacity to a cluster's tasks. FARGATE and
// FARGATE_SPOT are built in; others are created with
// CreateCapacityProvider.
type CapacityProvider struct {
	ARN                string                 `json:"capacityProviderArn"`
	Name               string                 `json:"name"`
	Cluster            string                 `json:"cluster,omitempty"`
	Status             CapacityProviderStatus `json:"status"`
	Type               CapacityProviderType   `json:"type,omitempty"`
	UpdateStatus       string                 `json:"updateStatus,omitempty"`
	UpdateStatusReason string                 `json:"updateStatusReason,omitempty"`
	Tags               []Tag                  `json:"tags,omitempty"`
}

// BuiltinCapacityProviders returns FARGATE and FARGATE_SPOT as they are
// described in the given region and account.
func BuiltinCapacityProviders(region, account string) []CapacityProvider {
	return []CapacityProvider{
		{ARN: CapacityProviderARN(region, account, FargateCapacityProvider), Name: FargateCapacityProvider,
			Status: CapacityProviderActive, Type: CapacityProviderFargate},
		{ARN: CapacityProviderARN(region, account, FargateSpotCapacityProvider), Name: FargateSpotCapacityProvider,
			Status: CapacityProviderActive, Type: CapacityProviderFargateSpot},
	}
}

// IsBuiltinCapacityProvider reports whether name is FARGATE or FARGATE_SPOT.
func IsBuiltinCapacityProvider(name string) bool {
	return name == FargateCapacityProvider || name == FargateSpotCapacityProvider
}
