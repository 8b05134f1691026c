package ecsapi

import (
	"github.com/quayside/quayside/internal/ecs"
	"github.com/quayside/quayside/internal/wire"
	"github.com/quayside/quayside/internal/wire/ecswire"
)

// taskToWire renders a task as ECS shows it. Lists ECS always shows
// (attachments, attributes, containers, overrides) are empty rather
// than absent; tags only when asked for.
func taskToWire(t ecs.Task, withTags bool) ecswire.Task {
	w := ecswire.Task{
		Attachments:          attachmentsToWire(t.Attachments),
		Attributes:           taskAttributesToWire(t.Attributes),
		AvailabilityZone:     optString(t.AvailabilityZone),
		CapacityProviderName: optString(t.CapacityProviderName),
		ClusterArn:           wire.String(t.ClusterARN),
		Connectivity:         optString(string(t.Connectivity)),
		ConnectivityAt:       wire.NewTime(t.ConnectivityAt),
		ContainerInstanceArn: optString(t.ContainerInstanceARN),
		Containers:           []ecswire.Container{},
		Cpu:                  optString(t.CPU),
		CreatedAt:            wire.NewTime(t.CreatedAt),
		DesiredStatus:        wire.String(string(t.DesiredStatus)),
		EnableExecuteCommand: wire.Bool(t.EnableExecuteCommand),
		ExecutionStoppedAt:   wire.NewTime(t.ExecutionStoppedAt),
		Group:                optString(t.Group),
		HealthStatus:         optString(string(t.HealthStatus)),
		LastStatus:           wire.String(string(t.LastStatus)),
		LaunchType:           optString(string(t.LaunchType)),
		Memory:               optString(t.Memory),
		Overrides:            taskOverrideToWire(t.Overrides),
		PlatformVersion:      optString(t.PlatformVersion),
		PlatformFamily:       optString(t.PlatformFamily),
		PullStartedAt:        wire.NewTime(t.PullStartedAt),
		PullStoppedAt:        wire.NewTime(t.PullStoppedAt),
		StartedAt:            wire.NewTime(t.StartedAt),
		StartedBy:            optString(t.StartedBy),
		StopCode:             optString(string(t.StopCode)),
		StoppedAt:            wire.NewTime(t.StoppedAt),
		StoppedReason:        optString(t.StoppedReason),
		StoppingAt:           wire.NewTime(t.StoppingAt),
		TaskArn:              wire.String(t.ARN),
		TaskDefinitionArn:    wire.String(t.TaskDefinitionARN),
		Version:              wire.Int64(t.Version),
	}
	for _, c := range t.Containers {
		w.Containers = append(w.Containers, taskContainerToWire(c))
	}
	for _, ia := range t.InferenceAccelerators {
		w.InferenceAccelerators = append(w.InferenceAccelerators, ecswire.InferenceAccelerator{DeviceName: wire.String(ia.DeviceName), DeviceType: wire.String(ia.DeviceType)})
	}
	if t.EphemeralStorageGiB > 0 {
		w.EphemeralStorage = &ecswire.EphemeralStorage{SizeInGiB: wire.Int64(int64(t.EphemeralStorageGiB))}
	}
	if withTags {
		w.Tags = tagsToWire(t.Tags)
	}
	return w
}

func taskContainerToWire(c ecs.Container) ecswire.Container {
	w := ecswire.Container{
		ContainerArn:      wire.String(c.ARN),
		TaskArn:           wire.String(c.TaskARN),
		Name:              wire.String(c.Name),
		Image:             optString(c.Image),
		ImageDigest:       optString(c.ImageDigest),
		RuntimeId:         optString(c.RuntimeID),
		LastStatus:        optString(string(c.LastStatus)),
		Reason:            optString(c.Reason),
		NetworkBindings:   []ecswire.NetworkBinding{},
		NetworkInterfaces: []ecswire.NetworkInterface{},
		HealthStatus:      optString(string(c.HealthStatus)),
		Cpu:               optString(c.CPU),
		Memory:            optString(c.Memory),
		MemoryReservation: optString(c.MemoryReservation),
	}
	if c.ExitCode != nil {
		w.ExitCode = wire.Int64(int64(*c.ExitCode))
	}
	for _, b := range c.NetworkBindings {
		w.NetworkBindings = append(w.NetworkBindings, ecswire.NetworkBinding{
			BindIP: optString(b.BindIP), ContainerPort: optInt(b.ContainerPort), HostPort: optInt(b.HostPort),
			Protocol: optString(string(b.Protocol)), ContainerPortRange: optString(b.ContainerPortRange), HostPortRange: optString(b.HostPortRange),
		})
	}
	for _, n := range c.NetworkInterfaces {
		w.NetworkInterfaces = append(w.NetworkInterfaces, ecswire.NetworkInterface{
			AttachmentId: optString(n.AttachmentID), PrivateIpv4Address: optString(n.PrivateIPv4Address), Ipv6Address: optString(n.IPv6Address),
		})
	}
	for _, m := range c.ManagedAgents {
		w.ManagedAgents = append(w.ManagedAgents, ecswire.ManagedAgent{
			Name: wire.String(m.Name), LastStatus: optString(m.LastStatus), Reason: optString(m.Reason), LastStartedAt: wire.NewTime(m.LastStartedAt),
		})
	}
	if len(c.GPUIDs) > 0 {
		w.GpuIds = append([]string{}, c.GPUIDs...)
	}
	return w
}

func optInt(n int) *int64 {
	if n == 0 {
		return nil
	}
	return wire.Int64(int64(n))
}

func taskAttributesToWire(in []ecs.Attribute) []ecswire.Attribute {
	out := []ecswire.Attribute{}
	for _, a := range in {
		out = append(out, ecswire.Attribute{Name: wire.String(a.Name), Value: optString(a.Value), TargetType: optString(a.TargetType), TargetId: optString(a.TargetID)})
	}
	return out
}

// taskOverrideFromWire reads RunTask's and StartTask's overrides.
func taskOverrideFromWire(in *ecswire.TaskOverride) ecs.TaskOverride {
	var o ecs.TaskOverride
	if in == nil {
		return o
	}
	o.CPU, o.Memory = wire.ToString(in.Cpu), wire.ToString(in.Memory)
	o.ExecutionRoleARN, o.TaskRoleARN = wire.ToString(in.ExecutionRoleArn), wire.ToString(in.TaskRoleArn)
	if in.EphemeralStorage != nil {
		o.EphemeralStorageGiB = int(wire.ToInt64(in.EphemeralStorage.SizeInGiB))
	}
	for _, ia := range in.InferenceAcceleratorOverrides {
		o.InferenceAcceleratorOverrides = append(o.InferenceAcceleratorOverrides, ecs.InferenceAcceleratorOverride{DeviceName: wire.ToString(ia.DeviceName), DeviceType: wire.ToString(ia.DeviceType)})
	}
	for _, c := range in.ContainerOverrides {
		co := ecs.ContainerOverride{Name: wire.ToString(c.Name), Command: append([]string(nil), c.Command...),
			CPU: ovrInt(c.Cpu), Memory: ovrInt(c.Memory), MemoryReservation: ovrInt(c.MemoryReservation)}
		for _, kv := range c.Environment {
			co.Environment = append(co.Environment, ecs.KeyValuePair{Name: wire.ToString(kv.Name), Value: wire.ToString(kv.Value)})
		}
		for _, f := range c.EnvironmentFiles {
			co.EnvironmentFiles = append(co.EnvironmentFiles, ecs.EnvironmentFile{Value: wire.ToString(f.Value), Type: ecs.EnvironmentFileType(wire.ToString(f.Type))})
		}
		for _, r := range c.ResourceRequirements {
			co.ResourceRequirements = append(co.ResourceRequirements, ecs.ResourceRequirement{Value: wire.ToString(r.Value), Type: ecs.ResourceType(wire.ToString(r.Type))})
		}
		o.ContainerOverrides = append(o.ContainerOverrides, co)
	}
	return o
}

func ovrInt(p *int64) *int {
	if p == nil {
		return nil
	}
	n := int(*p)
	return &n
}

func taskOverrideToWire(o ecs.TaskOverride) *ecswire.TaskOverride {
	w := &ecswire.TaskOverride{
		ContainerOverrides:            []ecswire.ContainerOverride{},
		InferenceAcceleratorOverrides: []ecswire.InferenceAcceleratorOverride{},
		Cpu:                           optString(o.CPU),
		Memory:                        optString(o.Memory),
		ExecutionRoleArn:              optString(o.ExecutionRoleARN),
		TaskRoleArn:                   optString(o.TaskRoleARN),
	}
	if o.EphemeralStorageGiB > 0 {
		w.EphemeralStorage = &ecswire.EphemeralStorage{SizeInGiB: wire.Int64(int64(o.EphemeralStorageGiB))}
	}
	for _, ia := range o.InferenceAcceleratorOverrides {
		w.InferenceAcceleratorOverrides = append(w.InferenceAcceleratorOverrides, ecswire.InferenceAcceleratorOverride{DeviceName: optString(ia.DeviceName), DeviceType: optString(ia.DeviceType)})
	}
	for _, c := range o.ContainerOverrides {
		wc := ecswire.ContainerOverride{Name: wire.String(c.Name)}
		if len(c.Command) > 0 {
			wc.Command = append([]string{}, c.Command...)
		}
		for _, kv := range c.Environment {
			wc.Environment = append(wc.Environment, ecswire.KeyValuePair{Name: wire.String(kv.Name), Value: wire.String(kv.Value)})
		}
		for _, f := range c.EnvironmentFiles {
			wc.EnvironmentFiles = append(wc.EnvironmentFiles, ecswire.EnvironmentFile{Value: wire.String(f.Value), Type: wire.String(string(f.Type))})
		}
		for _, r := range c.ResourceRequirements {
			wc.ResourceRequirements = append(wc.ResourceRequirements, ecswire.ResourceRequirement{Value: wire.String(r.Value), Type: wire.String(string(r.Type))})
		}
		if c.CPU != nil {
			wc.Cpu = wire.Int64(int64(*c.CPU))
		}
		if c.Memory != nil {
			wc.Memory = wire.Int64(int64(*c.Memory))
		}
		if c.MemoryReservation != nil {
			wc.MemoryReservation = wire.Int64(int64(*c.MemoryReservation))
		}
		w.ContainerOverrides = append(w.ContainerOverrides, wc)
	}
	return w
}
