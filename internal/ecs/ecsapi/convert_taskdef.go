package ecsapi

import (
	"math"
	"strconv"
	"time"

	"github.com/quayside/quayside/internal/ecs"
	"github.com/quayside/quayside/internal/wire"
	"github.com/quayside/quayside/internal/wire/ecswire"
)

// Task definition conversions. taskDefinitionFromWire resolves exactly the
// defaults that DescribeTaskDefinition shows after registration and that
// the request may omit:
//
//   - essential: true; a container's cpu: 0
//   - a port mapping's protocol: tcp; its hostPort: the containerPort with
//     awsvpc or host networking, 0 (dynamic) with bridge
//   - a health check's interval 30, timeout 5 and retries 3 (startPeriod
//     stays unset)
//
// taskDefinitionToWire shows, like ECS, a container's portMappings,
// environment, mountPoints, volumesFrom and systemControls and the task's
// volumes, placementConstraints and requiresAttributes as empty lists
// when there are none, and task cpu and memory as the parsed numbers
// ("1 vCPU" registers as "1024"). Everything else appears only when set.

// taskDefinitionFromWire converts a RegisterTaskDefinition request into a
// task definition, ready for Validate. It sets no identity (ARN,
// revision, status, times).
func taskDefinitionFromWire(in *ecswire.RegisterTaskDefinitionRequest) ecs.TaskDefinition {
	td := ecs.TaskDefinition{
		Family:               wire.ToString(in.Family),
		TaskRoleARN:          wire.ToString(in.TaskRoleArn),
		ExecutionRoleARN:     wire.ToString(in.ExecutionRoleArn),
		NetworkMode:          ecs.NetworkMode(wire.ToString(in.NetworkMode)),
		CPU:                  wire.ToString(in.Cpu),
		Memory:               wire.ToString(in.Memory),
		PIDMode:              ecs.PIDMode(wire.ToString(in.PidMode)),
		IPCMode:              ecs.IPCMode(wire.ToString(in.IpcMode)),
		EnableFaultInjection: wire.ToBool(in.EnableFaultInjection),
		Tags:                 tagsFromWire(in.Tags),
	}
	// Parse failures leave 0; Validate reports them.
	td.CPUUnits, _ = ecs.ParseCPU(td.CPU)
	td.MemoryMiB, _ = ecs.ParseMemory(td.Memory)
	for _, c := range in.ContainerDefinitions {
		td.ContainerDefinitions = append(td.ContainerDefinitions, containerFromWire(c, td.NetworkMode))
	}
	for _, v := range in.Volumes {
		td.Volumes = append(td.Volumes, volumeFromWire(v))
	}
	for _, pc := range in.PlacementConstraints {
		td.PlacementConstraints = append(td.PlacementConstraints, ecs.PlacementConstraint{
			Type: ecs.PlacementConstraintType(wire.ToString(pc.Type)), Expression: wire.ToString(pc.Expression)})
	}
	for _, c := range in.RequiresCompatibilities {
		td.RequiresCompatibilities = append(td.RequiresCompatibilities, ecs.Compatibility(c))
	}
	if p := in.ProxyConfiguration; p != nil {
		td.ProxyConfiguration = &ecs.ProxyConfiguration{Type: ecs.ProxyConfigurationType(wire.ToString(p.Type)),
			ContainerName: wire.ToString(p.ContainerName), Properties: tdKeyValuesFromWire(p.Properties)}
	}
	for _, a := range in.InferenceAccelerators {
		td.InferenceAccelerators = append(td.InferenceAccelerators, ecs.InferenceAccelerator{
			DeviceName: wire.ToString(a.DeviceName), DeviceType: wire.ToString(a.DeviceType)})
	}
	if in.EphemeralStorage != nil {
		td.EphemeralStorageGiB = tdInt(in.EphemeralStorage.SizeInGiB)
	}
	if rp := in.RuntimePlatform; rp != nil {
		td.RuntimePlatform = ecs.RuntimePlatform{CPUArchitecture: ecs.CPUArchitecture(wire.ToString(rp.CpuArchitecture)),
			OperatingSystemFamily: ecs.OSFamily(wire.ToString(rp.OperatingSystemFamily))}
	}
	return td
}

// taskDefinitionToWire converts a task definition as DescribeTaskDefinition
// shows it. Tags are not part of the shape; callers add them to the
// response when asked.
func taskDefinitionToWire(td ecs.TaskDefinition) *ecswire.TaskDefinition {
	w := &ecswire.TaskDefinition{
		TaskDefinitionArn:    optString(td.ARN),
		Family:               wire.String(td.Family),
		TaskRoleArn:          optString(td.TaskRoleARN),
		ExecutionRoleArn:     optString(td.ExecutionRoleARN),
		NetworkMode:          optString(string(td.NetworkMode)),
		ContainerDefinitions: []ecswire.ContainerDefinition{},
		Volumes:              []ecswire.Volume{},
		PlacementConstraints: []ecswire.TaskDefinitionPlacementConstraint{},
		RequiresAttributes:   []ecswire.Attribute{},
		Cpu:                  tdSize(td.CPUUnits, td.CPU),
		Memory:               tdSize(td.MemoryMiB, td.Memory),
		PidMode:              optString(string(td.PIDMode)),
		IpcMode:              optString(string(td.IPCMode)),
		RegisteredAt:         wire.NewTime(td.RegisteredAt),
		DeregisteredAt:       wire.NewTime(td.DeregisteredAt),
		DeleteRequestedAt:    wire.NewTime(td.DeleteRequestedAt),
		RegisteredBy:         optString(td.RegisteredBy),
		EnableFaultInjection: tdTrue(td.EnableFaultInjection),
	}
	if td.Revision > 0 {
		w.Revision = wire.Int64(int64(td.Revision))
	}
	if td.Status != "" {
		w.Status = wire.String(string(td.Status))
	}
	for _, c := range td.ContainerDefinitions {
		w.ContainerDefinitions = append(w.ContainerDefinitions, containerToWire(c))
	}
	for _, v := range td.Volumes {
		w.Volumes = append(w.Volumes, volumeToWire(v))
	}
	for _, pc := range td.PlacementConstraints {
		w.PlacementConstraints = append(w.PlacementConstraints, ecswire.TaskDefinitionPlacementConstraint{
			Type: optString(string(pc.Type)), Expression: optString(pc.Expression)})
	}
	for _, a := range td.RequiresAttributes {
		w.RequiresAttributes = append(w.RequiresAttributes, ecswire.Attribute{Name: wire.String(a.Name),
			Value: optString(a.Value), TargetType: optString(a.TargetType), TargetId: optString(a.TargetID)})
	}
	compat := td.Compatibilities
	if len(compat) == 0 {
		compat = td.ComputeCompatibilities()
	}
	for _, c := range compat {
		w.Compatibilities = append(w.Compatibilities, string(c))
	}
	for _, c := range td.RequiresCompatibilities {
		w.RequiresCompatibilities = append(w.RequiresCompatibilities, string(c))
	}
	if rp := td.RuntimePlatform; rp != (ecs.RuntimePlatform{}) {
		w.RuntimePlatform = &ecswire.RuntimePlatform{CpuArchitecture: optString(string(rp.CPUArchitecture)),
			OperatingSystemFamily: optString(string(rp.OperatingSystemFamily))}
	}
	for _, a := range td.InferenceAccelerators {
		w.InferenceAccelerators = append(w.InferenceAccelerators, ecswire.InferenceAccelerator{
			DeviceName: wire.String(a.DeviceName), DeviceType: wire.String(a.DeviceType)})
	}
	if p := td.ProxyConfiguration; p != nil {
		w.ProxyConfiguration = &ecswire.ProxyConfiguration{Type: optString(string(p.Type)),
			ContainerName: wire.String(p.ContainerName), Properties: tdKeyValuesToWire(p.Properties, false)}
	}
	if td.EphemeralStorageGiB > 0 {
		w.EphemeralStorage = &ecswire.EphemeralStorage{SizeInGiB: wire.Int64(int64(td.EphemeralStorageGiB))}
	}
	return w
}

// containerFromWire converts a container definition, resolving the
// defaults ECS fills in (see the top of this file).
func containerFromWire(in ecswire.ContainerDefinition, mode ecs.NetworkMode) ecs.ContainerDefinition {
	c := ecs.ContainerDefinition{
		Name:                   wire.ToString(in.Name),
		Image:                  wire.ToString(in.Image),
		CPU:                    tdInt(in.Cpu),
		Memory:                 tdInt(in.Memory),
		MemoryReservation:      tdInt(in.MemoryReservation),
		Links:                  in.Links,
		Essential:              in.Essential == nil || *in.Essential,
		EntryPoint:             in.EntryPoint,
		Command:                in.Command,
		Environment:            tdKeyValuesFromWire(in.Environment),
		StartTimeout:           tdSeconds(in.StartTimeout),
		StopTimeout:            tdSeconds(in.StopTimeout),
		VersionConsistency:     ecs.VersionConsistency(wire.ToString(in.VersionConsistency)),
		Hostname:               wire.ToString(in.Hostname),
		User:                   wire.ToString(in.User),
		WorkingDirectory:       wire.ToString(in.WorkingDirectory),
		DisableNetworking:      wire.ToBool(in.DisableNetworking),
		Privileged:             wire.ToBool(in.Privileged),
		ReadonlyRootFilesystem: wire.ToBool(in.ReadonlyRootFilesystem),
		DNSServers:             in.DnsServers,
		DNSSearchDomains:       in.DnsSearchDomains,
		DockerSecurityOptions:  in.DockerSecurityOptions,
		Interactive:            wire.ToBool(in.Interactive),
		PseudoTerminal:         wire.ToBool(in.PseudoTerminal),
		DockerLabels:           in.DockerLabels,
		CredentialSpecs:        in.CredentialSpecs,
		Secrets:                tdSecretsFromWire(in.Secrets),
	}
	if rc := in.RepositoryCredentials; rc != nil {
		c.RepositoryCredentials = &ecs.RepositoryCredentials{CredentialsParameter: wire.ToString(rc.CredentialsParameter)}
	}
	for _, p := range in.PortMappings {
		m := ecs.PortMapping{
			ContainerPort:      tdInt(p.ContainerPort),
			Protocol:           ecs.TransportProtocol(wire.ToString(p.Protocol)),
			Name:               wire.ToString(p.Name),
			AppProtocol:        ecs.ApplicationProtocol(wire.ToString(p.AppProtocol)),
			ContainerPortRange: wire.ToString(p.ContainerPortRange),
		}
		if m.Protocol == "" {
			m.Protocol = ecs.ProtocolTCP
		}
		if p.HostPort != nil {
			m.HostPort = tdInt(p.HostPort)
		} else if m.ContainerPortRange == "" {
			m.HostPort = ecs.DefaultHostPort(mode, m.ContainerPort)
		}
		c.PortMappings = append(c.PortMappings, m)
	}
	if rp := in.RestartPolicy; rp != nil {
		c.RestartPolicy = &ecs.RestartPolicy{Enabled: wire.ToBool(rp.Enabled), RestartAttemptPeriod: tdSeconds(rp.RestartAttemptPeriod)}
		for _, code := range rp.IgnoredExitCodes {
			c.RestartPolicy.IgnoredExitCodes = append(c.RestartPolicy.IgnoredExitCodes, tdInt(&code))
		}
	}
	for _, f := range in.EnvironmentFiles {
		c.EnvironmentFiles = append(c.EnvironmentFiles, ecs.EnvironmentFile{Value: wire.ToString(f.Value), Type: ecs.EnvironmentFileType(wire.ToString(f.Type))})
	}
	for _, m := range in.MountPoints {
		c.MountPoints = append(c.MountPoints, ecs.MountPoint{SourceVolume: wire.ToString(m.SourceVolume),
			ContainerPath: wire.ToString(m.ContainerPath), ReadOnly: wire.ToBool(m.ReadOnly)})
	}
	for _, v := range in.VolumesFrom {
		c.VolumesFrom = append(c.VolumesFrom, ecs.VolumeFrom{SourceContainer: wire.ToString(v.SourceContainer), ReadOnly: wire.ToBool(v.ReadOnly)})
	}
	if lp := in.LinuxParameters; lp != nil {
		c.LinuxParameters = linuxParametersFromWire(lp)
	}
	for _, d := range in.DependsOn {
		c.DependsOn = append(c.DependsOn, ecs.ContainerDependency{ContainerName: wire.ToString(d.ContainerName),
			Condition: ecs.ContainerCondition(wire.ToString(d.Condition))})
	}
	for _, h := range in.ExtraHosts {
		c.ExtraHosts = append(c.ExtraHosts, ecs.HostEntry{Hostname: wire.ToString(h.Hostname), IPAddress: wire.ToString(h.IpAddress)})
	}
	for _, u := range in.Ulimits {
		c.Ulimits = append(c.Ulimits, ecs.Ulimit{Name: ecs.UlimitName(wire.ToString(u.Name)), SoftLimit: tdInt(u.SoftLimit), HardLimit: tdInt(u.HardLimit)})
	}
	if lc := in.LogConfiguration; lc != nil {
		c.LogConfiguration = &ecs.LogConfiguration{LogDriver: ecs.LogDriver(wire.ToString(lc.LogDriver)),
			Options: lc.Options, SecretOptions: tdSecretsFromWire(lc.SecretOptions)}
	}
	if hc := in.HealthCheck; hc != nil {
		c.HealthCheck = &ecs.HealthCheck{Command: hc.Command, Interval: ecs.DefaultHealthCheckInterval,
			Timeout: ecs.DefaultHealthCheckTimeout, Retries: ecs.DefaultHealthCheckRetries, StartPeriod: tdSeconds(hc.StartPeriod)}
		if hc.Interval != nil {
			c.HealthCheck.Interval = tdSeconds(hc.Interval)
		}
		if hc.Timeout != nil {
			c.HealthCheck.Timeout = tdSeconds(hc.Timeout)
		}
		if hc.Retries != nil {
			c.HealthCheck.Retries = tdInt(hc.Retries)
		}
	}
	for _, s := range in.SystemControls {
		c.SystemControls = append(c.SystemControls, ecs.SystemControl{Namespace: wire.ToString(s.Namespace), Value: wire.ToString(s.Value)})
	}
	for _, r := range in.ResourceRequirements {
		c.ResourceRequirements = append(c.ResourceRequirements, ecs.ResourceRequirement{Value: wire.ToString(r.Value), Type: ecs.ResourceType(wire.ToString(r.Type))})
	}
	if f := in.FirelensConfiguration; f != nil {
		c.FirelensConfiguration = &ecs.FirelensConfiguration{Type: ecs.FirelensConfigurationType(wire.ToString(f.Type)), Options: f.Options}
	}
	return c
}

// containerToWire converts a container definition as DescribeTaskDefinition
// shows it.
func containerToWire(c ecs.ContainerDefinition) ecswire.ContainerDefinition {
	w := ecswire.ContainerDefinition{
		Name:                   wire.String(c.Name),
		Image:                  wire.String(c.Image),
		Cpu:                    wire.Int64(int64(c.CPU)),
		Memory:                 tdPositive(c.Memory),
		MemoryReservation:      tdPositive(c.MemoryReservation),
		Links:                  c.Links,
		PortMappings:           []ecswire.PortMapping{},
		Essential:              wire.Bool(c.Essential),
		EntryPoint:             c.EntryPoint,
		Command:                c.Command,
		Environment:            tdKeyValuesToWire(c.Environment, true),
		MountPoints:            []ecswire.MountPoint{},
		VolumesFrom:            []ecswire.VolumeFrom{},
		Secrets:                tdSecretsToWire(c.Secrets),
		StartTimeout:           tdSecondsToWire(c.StartTimeout),
		StopTimeout:            tdSecondsToWire(c.StopTimeout),
		VersionConsistency:     optString(string(c.VersionConsistency)),
		Hostname:               optString(c.Hostname),
		User:                   optString(c.User),
		WorkingDirectory:       optString(c.WorkingDirectory),
		DisableNetworking:      tdTrue(c.DisableNetworking),
		Privileged:             tdTrue(c.Privileged),
		ReadonlyRootFilesystem: tdTrue(c.ReadonlyRootFilesystem),
		DnsServers:             c.DNSServers,
		DnsSearchDomains:       c.DNSSearchDomains,
		DockerSecurityOptions:  c.DockerSecurityOptions,
		Interactive:            tdTrue(c.Interactive),
		PseudoTerminal:         tdTrue(c.PseudoTerminal),
		DockerLabels:           c.DockerLabels,
		SystemControls:         []ecswire.SystemControl{},
		CredentialSpecs:        c.CredentialSpecs,
	}
	if rc := c.RepositoryCredentials; rc != nil {
		w.RepositoryCredentials = &ecswire.RepositoryCredentials{CredentialsParameter: wire.String(rc.CredentialsParameter)}
	}
	for _, m := range c.PortMappings {
		p := ecswire.PortMapping{Protocol: wire.String(string(m.EffectiveProtocol())), Name: optString(m.Name),
			AppProtocol: optString(string(m.AppProtocol)), ContainerPortRange: optString(m.ContainerPortRange)}
		if m.ContainerPortRange == "" {
			p.ContainerPort, p.HostPort = wire.Int64(int64(m.ContainerPort)), wire.Int64(int64(m.HostPort))
		}
		w.PortMappings = append(w.PortMappings, p)
	}
	if rp := c.RestartPolicy; rp != nil {
		w.RestartPolicy = &ecswire.ContainerRestartPolicy{Enabled: wire.Bool(rp.Enabled), RestartAttemptPeriod: tdSecondsToWire(rp.RestartAttemptPeriod)}
		for _, code := range rp.IgnoredExitCodes {
			w.RestartPolicy.IgnoredExitCodes = append(w.RestartPolicy.IgnoredExitCodes, int64(code))
		}
	}
	for _, f := range c.EnvironmentFiles {
		w.EnvironmentFiles = append(w.EnvironmentFiles, ecswire.EnvironmentFile{Value: wire.String(f.Value), Type: wire.String(string(f.Type))})
	}
	for _, m := range c.MountPoints {
		w.MountPoints = append(w.MountPoints, ecswire.MountPoint{SourceVolume: optString(m.SourceVolume),
			ContainerPath: optString(m.ContainerPath), ReadOnly: wire.Bool(m.ReadOnly)})
	}
	for _, v := range c.VolumesFrom {
		w.VolumesFrom = append(w.VolumesFrom, ecswire.VolumeFrom{SourceContainer: optString(v.SourceContainer), ReadOnly: wire.Bool(v.ReadOnly)})
	}
	if lp := c.LinuxParameters; lp != nil {
		w.LinuxParameters = linuxParametersToWire(lp)
	}
	for _, d := range c.DependsOn {
		w.DependsOn = append(w.DependsOn, ecswire.ContainerDependency{ContainerName: wire.String(d.ContainerName), Condition: wire.String(string(d.Condition))})
	}
	for _, h := range c.ExtraHosts {
		w.ExtraHosts = append(w.ExtraHosts, ecswire.HostEntry{Hostname: wire.String(h.Hostname), IpAddress: wire.String(h.IPAddress)})
	}
	for _, u := range c.Ulimits {
		w.Ulimits = append(w.Ulimits, ecswire.Ulimit{Name: wire.String(string(u.Name)), SoftLimit: wire.Int64(int64(u.SoftLimit)), HardLimit: wire.Int64(int64(u.HardLimit))})
	}
	if lc := c.LogConfiguration; lc != nil {
		w.LogConfiguration = &ecswire.LogConfiguration{LogDriver: wire.String(string(lc.LogDriver)), Options: lc.Options, SecretOptions: tdSecretsToWire(lc.SecretOptions)}
	}
	if hc := c.HealthCheck; hc != nil {
		w.HealthCheck = &ecswire.HealthCheck{Command: hc.Command, Interval: wire.Int64(int64(hc.Interval / time.Second)),
			Timeout: wire.Int64(int64(hc.Timeout / time.Second)), Retries: wire.Int64(int64(hc.Retries)), StartPeriod: tdSecondsToWire(hc.StartPeriod)}
	}
	for _, s := range c.SystemControls {
		w.SystemControls = append(w.SystemControls, ecswire.SystemControl{Namespace: optString(s.Namespace), Value: optString(s.Value)})
	}
	for _, r := range c.ResourceRequirements {
		w.ResourceRequirements = append(w.ResourceRequirements, ecswire.ResourceRequirement{Value: wire.String(r.Value), Type: wire.String(string(r.Type))})
	}
	if f := c.FirelensConfiguration; f != nil {
		w.FirelensConfiguration = &ecswire.FirelensConfiguration{Type: wire.String(string(f.Type)), Options: f.Options}
	}
	return w
}

func linuxParametersFromWire(lp *ecswire.LinuxParameters) *ecs.LinuxParameters {
	out := &ecs.LinuxParameters{InitProcessEnabled: wire.ToBool(lp.InitProcessEnabled), SharedMemorySize: tdInt(lp.SharedMemorySize)}
	if lp.Capabilities != nil {
		out.Capabilities = ecs.KernelCapabilities{Add: lp.Capabilities.Add, Drop: lp.Capabilities.Drop}
	}
	for _, d := range lp.Devices {
		dev := ecs.Device{HostPath: wire.ToString(d.HostPath), ContainerPath: wire.ToString(d.ContainerPath)}
		for _, p := range d.Permissions {
			dev.Permissions = append(dev.Permissions, ecs.DeviceCgroupPermission(p))
		}
		out.Devices = append(out.Devices, dev)
	}
	for _, t := range lp.Tmpfs {
		out.Tmpfs = append(out.Tmpfs, ecs.Tmpfs{ContainerPath: wire.ToString(t.ContainerPath), Size: tdInt(t.Size), MountOptions: t.MountOptions})
	}
	if lp.MaxSwap != nil {
		n := tdInt(lp.MaxSwap)
		out.MaxSwap = &n
	}
	if lp.Swappiness != nil {
		n := tdInt(lp.Swappiness)
		out.Swappiness = &n
	}
	return out
}

func linuxParametersToWire(lp *ecs.LinuxParameters) *ecswire.LinuxParameters {
	out := &ecswire.LinuxParameters{InitProcessEnabled: tdTrue(lp.InitProcessEnabled), SharedMemorySize: tdPositive(lp.SharedMemorySize)}
	if caps := lp.Capabilities; len(caps.Add) > 0 || len(caps.Drop) > 0 {
		out.Capabilities = &ecswire.KernelCapabilities{Add: caps.Add, Drop: caps.Drop}
	}
	for _, d := range lp.Devices {
		dev := ecswire.Device{HostPath: wire.String(d.HostPath), ContainerPath: optString(d.ContainerPath)}
		for _, p := range d.Permissions {
			dev.Permissions = append(dev.Permissions, string(p))
		}
		out.Devices = append(out.Devices, dev)
	}
	for _, t := range lp.Tmpfs {
		out.Tmpfs = append(out.Tmpfs, ecswire.Tmpfs{ContainerPath: wire.String(t.ContainerPath), Size: wire.Int64(int64(t.Size)), MountOptions: t.MountOptions})
	}
	if lp.MaxSwap != nil {
		out.MaxSwap = wire.Int64(int64(*lp.MaxSwap))
	}
	if lp.Swappiness != nil {
		out.Swappiness = wire.Int64(int64(*lp.Swappiness))
	}
	return out
}

func volumeFromWire(v ecswire.Volume) ecs.Volume {
	out := ecs.Volume{Name: wire.ToString(v.Name), ConfiguredAtLaunch: wire.ToBool(v.ConfiguredAtLaunch)}
	if h := v.Host; h != nil {
		out.Host = &ecs.HostVolume{SourcePath: wire.ToString(h.SourcePath)}
	}
	if d := v.DockerVolumeConfiguration; d != nil {
		out.DockerVolumeConfiguration = &ecs.DockerVolumeConfiguration{Scope: ecs.DockerVolumeScope(wire.ToString(d.Scope)),
			Autoprovision: wire.ToBool(d.Autoprovision), Driver: wire.ToString(d.Driver), DriverOpts: d.DriverOpts, Labels: d.Labels}
	}
	if e := v.EfsVolumeConfiguration; e != nil {
		out.EFSVolumeConfiguration = &ecs.EFSVolumeConfiguration{FileSystemID: wire.ToString(e.FileSystemId), RootDirectory: wire.ToString(e.RootDirectory),
			TransitEncryption: ecs.Switch(wire.ToString(e.TransitEncryption)), TransitEncryptionPort: tdInt(e.TransitEncryptionPort)}
		if a := e.AuthorizationConfig; a != nil {
			out.EFSVolumeConfiguration.AuthorizationConfig = &ecs.EFSAuthorizationConfig{AccessPointID: wire.ToString(a.AccessPointId), IAM: ecs.Switch(wire.ToString(a.Iam))}
		}
	}
	if s := v.S3filesVolumeConfiguration; s != nil {
		out.S3FilesVolumeConfiguration = &ecs.S3FilesVolumeConfiguration{FileSystemARN: wire.ToString(s.FileSystemArn), RootDirectory: wire.ToString(s.RootDirectory),
			TransitEncryptionPort: tdInt(s.TransitEncryptionPort), AccessPointARN: wire.ToString(s.AccessPointArn)}
	}
	if f := v.FsxWindowsFileServerVolumeConfiguration; f != nil {
		out.FSxWindowsFileServerVolumeConfiguration = &ecs.FSxWindowsFileServerVolumeConfiguration{FileSystemID: wire.ToString(f.FileSystemId), RootDirectory: wire.ToString(f.RootDirectory)}
		if a := f.AuthorizationConfig; a != nil {
			out.FSxWindowsFileServerVolumeConfiguration.AuthorizationConfig = ecs.FSxWindowsFileServerAuthorizationConfig{
				CredentialsParameter: wire.ToString(a.CredentialsParameter), Domain: wire.ToString(a.Domain)}
		}
	}
	return out
}

func volumeToWire(v ecs.Volume) ecswire.Volume {
	out := ecswire.Volume{Name: optString(v.Name), ConfiguredAtLaunch: tdTrue(v.ConfiguredAtLaunch)}
	if h := v.Host; h != nil {
		out.Host = &ecswire.HostVolumeProperties{SourcePath: optString(h.SourcePath)}
	}
	if d := v.DockerVolumeConfiguration; d != nil {
		out.DockerVolumeConfiguration = &ecswire.DockerVolumeConfiguration{Scope: optString(string(d.Scope)), Autoprovision: tdTrue(d.Autoprovision),
			Driver: optString(d.Driver), DriverOpts: d.DriverOpts, Labels: d.Labels}
	}
	if e := v.EFSVolumeConfiguration; e != nil {
		out.EfsVolumeConfiguration = &ecswire.EFSVolumeConfiguration{FileSystemId: wire.String(e.FileSystemID), RootDirectory: optString(e.RootDirectory),
			TransitEncryption: optString(string(e.TransitEncryption)), TransitEncryptionPort: tdPositive(e.TransitEncryptionPort)}
		if a := e.AuthorizationConfig; a != nil {
			out.EfsVolumeConfiguration.AuthorizationConfig = &ecswire.EFSAuthorizationConfig{AccessPointId: optString(a.AccessPointID), Iam: optString(string(a.IAM))}
		}
	}
	if s := v.S3FilesVolumeConfiguration; s != nil {
		out.S3filesVolumeConfiguration = &ecswire.S3FilesVolumeConfiguration{FileSystemArn: wire.String(s.FileSystemARN), RootDirectory: optString(s.RootDirectory),
			TransitEncryptionPort: tdPositive(s.TransitEncryptionPort), AccessPointArn: optString(s.AccessPointARN)}
	}
	if f := v.FSxWindowsFileServerVolumeConfiguration; f != nil {
		out.FsxWindowsFileServerVolumeConfiguration = &ecswire.FSxWindowsFileServerVolumeConfiguration{
			FileSystemId: wire.String(f.FileSystemID), RootDirectory: wire.String(f.RootDirectory),
			AuthorizationConfig: &ecswire.FSxWindowsFileServerAuthorizationConfig{
				CredentialsParameter: wire.String(f.AuthorizationConfig.CredentialsParameter), Domain: wire.String(f.AuthorizationConfig.Domain)}}
	}
	return out
}

func tdKeyValuesFromWire(in []ecswire.KeyValuePair) []ecs.KeyValuePair {
	var out []ecs.KeyValuePair
	for _, kv := range in {
		out = append(out, ecs.KeyValuePair{Name: wire.ToString(kv.Name), Value: wire.ToString(kv.Value)})
	}
	return out
}

// tdKeyValuesToWire converts name-value pairs; emptyList makes none an
// empty list rather than absent.
func tdKeyValuesToWire(in []ecs.KeyValuePair, emptyList bool) []ecswire.KeyValuePair {
	var out []ecswire.KeyValuePair
	if emptyList {
		out = []ecswire.KeyValuePair{}
	}
	for _, kv := range in {
		out = append(out, ecswire.KeyValuePair{Name: wire.String(kv.Name), Value: wire.String(kv.Value)})
	}
	return out
}

func tdSecretsFromWire(in []ecswire.Secret) []ecs.Secret {
	var out []ecs.Secret
	for _, s := range in {
		out = append(out, ecs.Secret{Name: wire.ToString(s.Name), ValueFrom: wire.ToString(s.ValueFrom)})
	}
	return out
}

func tdSecretsToWire(in []ecs.Secret) []ecswire.Secret {
	var out []ecswire.Secret
	for _, s := range in {
		out = append(out, ecswire.Secret{Name: wire.String(s.Name), ValueFrom: wire.String(s.ValueFrom)})
	}
	return out
}

// tdSize shows a task size: the parsed number when there is one,
// otherwise the string as given.
func tdSize(parsed int, given string) *string {
	if parsed > 0 {
		return wire.String(strconv.Itoa(parsed))
	}
	return optString(given)
}

// tdInt reads a wire integer, saturating at the bounds of int.
func tdInt(p *int64) int {
	if p == nil {
		return 0
	}
	return int(max(min(*p, math.MaxInt), math.MinInt))
}

// tdSeconds reads a wire number of seconds, saturating instead of
// overflowing so that Validate sees an out-of-range value as one.
func tdSeconds(p *int64) time.Duration {
	if p == nil {
		return 0
	}
	const limit = int64(math.MaxInt64 / time.Second)
	return time.Duration(max(min(*p, limit), -limit)) * time.Second
}

func tdSecondsToWire(d time.Duration) *int64 {
	if d == 0 {
		return nil
	}
	return wire.Int64(int64(d / time.Second))
}

func tdPositive(n int) *int64 {
	if n <= 0 {
		return nil
	}
	return wire.Int64(int64(n))
}

func tdTrue(b bool) *bool {
	if !b {
		return nil
	}
	return wire.Bool(true)
}
