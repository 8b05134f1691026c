package ecsapi

import (
	"strconv"

	"github.com/quayside/quayside/internal/ecs"
	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/wire"
	"github.com/quayside/quayside/internal/wire/ecswire"
)

// clusterInclude says which optional parts DescribeClusters shows.
type clusterInclude struct{ attachments, configurations, settings, statistics, tags bool }

var allClusterFields = clusterInclude{true, true, true, false, true}

func clusterFields(include []string) clusterInclude {
	var c clusterInclude
	for _, f := range include {
		switch f {
		case ecswire.ClusterFieldAttachments:
			c.attachments = true
		case ecswire.ClusterFieldConfigurations:
			c.configurations = true
		case ecswire.ClusterFieldSettings:
			c.settings = true
		case ecswire.ClusterFieldStatistics:
			c.statistics = true
		case ecswire.ClusterFieldTags:
			c.tags = true
		}
	}
	return c
}

func clusterToWire(c ecs.Cluster, st clusterStats, inc clusterInclude) *ecswire.Cluster {
	w := &ecswire.Cluster{
		ClusterArn:                        wire.String(c.ARN),
		ClusterName:                       wire.String(c.Name),
		Status:                            wire.String(string(c.Status)),
		RegisteredContainerInstancesCount: wire.Int64(int64(st.instances)),
		RunningTasksCount:                 wire.Int64(int64(st.runningTasks)),
		PendingTasksCount:                 wire.Int64(int64(st.pendingTasks)),
		ActiveServicesCount:               wire.Int64(int64(st.activeServices)),
		Statistics:                        []ecswire.KeyValuePair{},
		Tags:                              []ecswire.Tag{},
		// ECS shows settings as [] unless asked for them.
		Settings:                        []ecswire.ClusterSetting{},
		CapacityProviders:               append([]string{}, c.CapacityProviders...),
		DefaultCapacityProviderStrategy: strategyToWire(c.DefaultCapacityProviderStrategy),
	}
	if inc.settings {
		for _, s := range c.Settings {
			w.Settings = append(w.Settings, ecswire.ClusterSetting{Name: wire.String(string(s.Name)), Value: wire.String(s.Value)})
		}
	}
	if inc.tags {
		w.Tags = tagsToWire(c.Tags)
	}
	if inc.configurations && (c.Configuration.ExecuteCommand != nil || c.Configuration.ManagedStorage != nil) {
		w.Configuration = clusterConfigToWire(c.Configuration)
	}
	if inc.attachments && len(c.Attachments) > 0 {
		w.Attachments = attachmentsToWire(c.Attachments)
		if c.AttachmentsStatus != "" {
			w.AttachmentsStatus = wire.String(c.AttachmentsStatus)
		}
	}
	if inc.statistics {
		w.Statistics = []ecswire.KeyValuePair{
			{Name: wire.String("runningEC2TasksCount"), Value: wire.String("0")},
			{Name: wire.String("runningFargateTasksCount"), Value: wire.String(itoa(st.runningTasks))},
			{Name: wire.String("pendingEC2TasksCount"), Value: wire.String("0")},
			{Name: wire.String("pendingFargateTasksCount"), Value: wire.String(itoa(st.pendingTasks))},
			{Name: wire.String("activeEC2ServiceCount"), Value: wire.String("0")},
			{Name: wire.String("activeFargateServiceCount"), Value: wire.String(itoa(st.activeServices))},
			{Name: wire.String("drainingEC2ServiceCount"), Value: wire.String("0")},
			{Name: wire.String("drainingFargateServiceCount"), Value: wire.String(itoa(st.drainingServices))},
		}
	}
	if c.ServiceConnectDefaults != nil {
		w.ServiceConnectDefaults = &ecswire.ClusterServiceConnectDefaults{Namespace: wire.String(c.ServiceConnectDefaults.Namespace)}
	}
	return w
}

func clusterSettingsFromWire(in []ecswire.ClusterSetting) ([]ecs.ClusterSetting, error) {
	var out []ecs.ClusterSetting
	for _, s := range in {
		name, value := wire.ToString(s.Name), wire.ToString(s.Value)
		if ecs.ClusterSettingName(name) != ecs.ClusterSettingContainerInsights {
			return nil, fault.Newf(ecs.ErrInvalidParameter, "Invalid cluster setting name %q: the only setting is containerInsights.", name)
		}
		switch value {
		case ecs.ContainerInsightsEnabled, ecs.ContainerInsightsEnhanced, ecs.ContainerInsightsDisabled:
		default:
			return nil, fault.Newf(ecs.ErrInvalidParameter, "Invalid value %q for containerInsights: use enabled, enhanced or disabled.", value)
		}
		out = append(out, ecs.ClusterSetting{Name: ecs.ClusterSettingName(name), Value: value})
	}
	return out, nil
}

func clusterConfigFromWire(in *ecswire.ClusterConfiguration) ecs.ClusterConfiguration {
	var c ecs.ClusterConfiguration
	if in == nil {
		return c
	}
	if e := in.ExecuteCommandConfiguration; e != nil {
		c.ExecuteCommand = &ecs.ExecuteCommandConfiguration{KMSKeyID: wire.ToString(e.KmsKeyId), Logging: ecs.ExecuteCommandLogging(wire.ToString(e.Logging))}
		if l := e.LogConfiguration; l != nil {
			c.ExecuteCommand.LogConfiguration = &ecs.ExecuteCommandLogConfiguration{
				CloudWatchLogGroupName: wire.ToString(l.CloudWatchLogGroupName), CloudWatchEncryptionEnabled: wire.ToBool(l.CloudWatchEncryptionEnabled),
				S3BucketName: wire.ToString(l.S3BucketName), S3EncryptionEnabled: wire.ToBool(l.S3EncryptionEnabled), S3KeyPrefix: wire.ToString(l.S3KeyPrefix),
			}
		}
	}
	if m := in.ManagedStorageConfiguration; m != nil {
		c.ManagedStorage = &ecs.ManagedStorageConfiguration{KMSKeyID: wire.ToString(m.KmsKeyId), FargateEphemeralStorageKMSKeyID: wire.ToString(m.FargateEphemeralStorageKmsKeyId)}
	}
	return c
}

func clusterConfigToWire(c ecs.ClusterConfiguration) *ecswire.ClusterConfiguration {
	w := &ecswire.ClusterConfiguration{}
	if e := c.ExecuteCommand; e != nil {
		w.ExecuteCommandConfiguration = &ecswire.ExecuteCommandConfiguration{KmsKeyId: optString(e.KMSKeyID), Logging: optString(string(e.Logging))}
		if l := e.LogConfiguration; l != nil {
			w.ExecuteCommandConfiguration.LogConfiguration = &ecswire.ExecuteCommandLogConfiguration{
				CloudWatchLogGroupName: optString(l.CloudWatchLogGroupName), CloudWatchEncryptionEnabled: wire.Bool(l.CloudWatchEncryptionEnabled),
				S3BucketName: optString(l.S3BucketName), S3EncryptionEnabled: wire.Bool(l.S3EncryptionEnabled), S3KeyPrefix: optString(l.S3KeyPrefix),
			}
		}
	}
	if m := c.ManagedStorage; m != nil {
		w.ManagedStorageConfiguration = &ecswire.ManagedStorageConfiguration{KmsKeyId: optString(m.KMSKeyID), FargateEphemeralStorageKmsKeyId: optString(m.FargateEphemeralStorageKMSKeyID)}
	}
	return w
}

func serviceConnectDefaultsFromWire(in *ecswire.ClusterServiceConnectDefaultsRequest) *ecs.ServiceConnectDefaults {
	if in == nil || in.Namespace == nil {
		return nil
	}
	return &ecs.ServiceConnectDefaults{Namespace: *in.Namespace}
}

// capacityFromWire validates a cluster's capacity providers and default
// strategy. Only the built-in FARGATE and FARGATE_SPOT exist so far.
func capacityFromWire(providers []string, strategy []ecswire.CapacityProviderStrategyItem) ([]string, []ecs.CapacityProviderStrategyItem, error) {
	seen := map[string]bool{}
	for _, p := range providers {
		if !ecs.IsBuiltinCapacityProvider(p) {
			return nil, nil, fault.Newf(ecs.ErrInvalidParameter, "The specified capacity provider '%s' is not in an ACTIVE state. Specify a valid capacity provider and try again.", p)
		}
		if seen[p] {
			return nil, nil, fault.Newf(ecs.ErrInvalidParameter, "The specified capacity providers contain a duplicate: %s.", p)
		}
		seen[p] = true
	}
	out, err := strategyFromWire(strategy)
	if err != nil {
		return nil, nil, err
	}
	for _, s := range out {
		if !seen[s.CapacityProvider] {
			return nil, nil, fault.Newf(ecs.ErrInvalidParameter, "The specified capacity provider strategy cannot contain a capacity provider that is not associated with the cluster. Associate the capacity provider with the cluster or specify a valid capacity provider and try again. Capacity provider: %s", s.CapacityProvider)
		}
	}
	return append([]string{}, providers...), out, nil
}

func strategyFromWire(in []ecswire.CapacityProviderStrategyItem) ([]ecs.CapacityProviderStrategyItem, error) {
	var out []ecs.CapacityProviderStrategyItem
	bases := 0
	for _, s := range in {
		item := ecs.CapacityProviderStrategyItem{CapacityProvider: wire.ToString(s.CapacityProvider), Weight: int(wire.ToInt64(s.Weight)), Base: int(wire.ToInt64(s.Base))}
		if item.Base > 0 {
			bases++
		}
		out = append(out, item)
	}
	if bases > 1 {
		return nil, fault.New(ecs.ErrInvalidParameter, "You can specify a base value for only one capacity provider in a capacity provider strategy.")
	}
	return out, nil
}

func strategyToWire(in []ecs.CapacityProviderStrategyItem) []ecswire.CapacityProviderStrategyItem {
	out := []ecswire.CapacityProviderStrategyItem{}
	for _, s := range in {
		out = append(out, ecswire.CapacityProviderStrategyItem{CapacityProvider: wire.String(s.CapacityProvider), Weight: wire.Int64(int64(s.Weight)), Base: wire.Int64(int64(s.Base))})
	}
	return out
}

func tagsFromWire(in []ecswire.Tag) []ecs.Tag {
	var out []ecs.Tag
	for _, t := range in {
		out = append(out, ecs.Tag{Key: wire.ToString(t.Key), Value: wire.ToString(t.Value)})
	}
	return out
}

func tagsToWire(in []ecs.Tag) []ecswire.Tag {
	out := []ecswire.Tag{}
	for _, t := range in {
		out = append(out, ecswire.Tag{Key: wire.String(t.Key), Value: wire.String(t.Value)})
	}
	return out
}

func attachmentsToWire(in []ecs.Attachment) []ecswire.Attachment {
	out := []ecswire.Attachment{}
	for _, a := range in {
		w := ecswire.Attachment{Id: wire.String(a.ID), Type: wire.String(a.Type), Status: wire.String(a.Status), Details: []ecswire.KeyValuePair{}}
		for _, d := range a.Details {
			w.Details = append(w.Details, ecswire.KeyValuePair{Name: wire.String(d.Name), Value: wire.String(d.Value)})
		}
		out = append(out, w)
	}
	return out
}

// optString is nil for "", so that empty optional members are omitted.
func optString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func itoa(n int) string { return strconv.Itoa(n) }
