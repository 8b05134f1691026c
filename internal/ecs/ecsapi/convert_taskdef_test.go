package ecsapi

import (
	"encoding/json"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/quayside/quayside/internal/ecs"
	"github.com/quayside/quayside/internal/wire"
	"github.com/quayside/quayside/internal/wire/ecswire"
)

// Short constructors for the request literal below.
var (
	tdStr = wire.String
	tdNum = wire.Int64
	tdYes = wire.Bool(true)
)

// tdFullRegisterRequest sets every member of RegisterTaskDefinitionRequest
// and of the shapes under it, with values that survive a round trip
// (true booleans, non-zero numbers, cpu and memory as numbers).
func tdFullRegisterRequest() *ecswire.RegisterTaskDefinitionRequest {
	secretARN := "arn:aws:secretsmanager:us-east-1:000000000000:secret:db-AbCdEf"
	return &ecswire.RegisterTaskDefinitionRequest{
		Family:           tdStr("web"),
		TaskRoleArn:      tdStr("arn:aws:iam::000000000000:role/task"),
		ExecutionRoleArn: tdStr("arn:aws:iam::000000000000:role/exec"),
		NetworkMode:      tdStr("awsvpc"),
		ContainerDefinitions: []ecswire.ContainerDefinition{{
			Name:                  tdStr("app"),
			Image:                 tdStr("000000000000.dkr.ecr.us-east-1.amazonaws.com/app:1"),
			RepositoryCredentials: &ecswire.RepositoryCredentials{CredentialsParameter: tdStr(secretARN)},
			Cpu:                   tdNum(256),
			Memory:                tdNum(1024),
			MemoryReservation:     tdNum(512),
			Links:                 []string{"db:database"},
			PortMappings: []ecswire.PortMapping{
				{ContainerPort: tdNum(80), HostPort: tdNum(80), Protocol: tdStr("tcp"), Name: tdStr("web"), AppProtocol: tdStr("http")},
				{ContainerPortRange: tdStr("9000-9010"), Protocol: tdStr("udp")},
			},
			Essential:        tdYes,
			RestartPolicy:    &ecswire.ContainerRestartPolicy{Enabled: tdYes, IgnoredExitCodes: []int64{0, 137}, RestartAttemptPeriod: tdNum(120)},
			EntryPoint:       []string{"/bin/sh", "-c"},
			Command:          []string{"exec app"},
			Environment:      []ecswire.KeyValuePair{{Name: tdStr("MODE"), Value: tdStr("prod")}},
			EnvironmentFiles: []ecswire.EnvironmentFile{{Value: tdStr("arn:aws:s3:::bucket/app.env"), Type: tdStr("s3")}},
			MountPoints:      []ecswire.MountPoint{{SourceVolume: tdStr("data"), ContainerPath: tdStr("/data"), ReadOnly: tdYes}},
			VolumesFrom:      []ecswire.VolumeFrom{{SourceContainer: tdStr("db"), ReadOnly: tdYes}},
			LinuxParameters: &ecswire.LinuxParameters{
				Capabilities:       &ecswire.KernelCapabilities{Add: []string{"SYS_PTRACE"}, Drop: []string{"NET_RAW"}},
				Devices:            []ecswire.Device{{HostPath: tdStr("/dev/fuse"), ContainerPath: tdStr("/dev/fuse"), Permissions: []string{"read", "write"}}},
				InitProcessEnabled: tdYes,
				SharedMemorySize:   tdNum(64),
				Tmpfs:              []ecswire.Tmpfs{{ContainerPath: tdStr("/run"), Size: tdNum(16), MountOptions: []string{"noexec"}}},
				MaxSwap:            tdNum(512),
				Swappiness:         tdNum(10),
			},
			Secrets:                []ecswire.Secret{{Name: tdStr("DB_PASSWORD"), ValueFrom: tdStr(secretARN + ":password::")}},
			DependsOn:              []ecswire.ContainerDependency{{ContainerName: tdStr("db"), Condition: tdStr("HEALTHY")}},
			StartTimeout:           tdNum(30),
			StopTimeout:            tdNum(60),
			VersionConsistency:     tdStr("disabled"),
			Hostname:               tdStr("app"),
			User:                   tdStr("1000:1000"),
			WorkingDirectory:       tdStr("/srv"),
			DisableNetworking:      tdYes,
			Privileged:             tdYes,
			ReadonlyRootFilesystem: tdYes,
			DnsServers:             []string{"10.0.0.2"},
			DnsSearchDomains:       []string{"internal"},
			ExtraHosts:             []ecswire.HostEntry{{Hostname: tdStr("db"), IpAddress: tdStr("10.0.0.9")}},
			DockerSecurityOptions:  []string{"no-new-privileges"},
			Interactive:            tdYes,
			PseudoTerminal:         tdYes,
			DockerLabels:           map[string]string{"team": "core"},
			Ulimits:                []ecswire.Ulimit{{Name: tdStr("nofile"), SoftLimit: tdNum(1024), HardLimit: tdNum(4096)}},
			LogConfiguration: &ecswire.LogConfiguration{LogDriver: tdStr("awslogs"),
				Options:       map[string]string{"awslogs-group": "/ecs/web", "awslogs-region": "us-east-1"},
				SecretOptions: []ecswire.Secret{{Name: tdStr("token"), ValueFrom: tdStr("/prod/token")}}},
			HealthCheck:           &ecswire.HealthCheck{Command: []string{"CMD-SHELL", "curl -f http://localhost/"}, Interval: tdNum(10), Timeout: tdNum(3), Retries: tdNum(2), StartPeriod: tdNum(15)},
			SystemControls:        []ecswire.SystemControl{{Namespace: tdStr("net.core.somaxconn"), Value: tdStr("1024")}},
			ResourceRequirements:  []ecswire.ResourceRequirement{{Value: tdStr("1"), Type: tdStr("GPU")}},
			FirelensConfiguration: &ecswire.FirelensConfiguration{Type: tdStr("fluentbit"), Options: map[string]string{"enable-ecs-log-metadata": "true"}},
			CredentialSpecs:       []string{"credentialspec:arn:aws:s3:::bucket/spec.json"},
		}},
		Volumes: []ecswire.Volume{
			{Name: tdStr("data"), Host: &ecswire.HostVolumeProperties{SourcePath: tdStr("/srv/data")}},
			{Name: tdStr("docker"), DockerVolumeConfiguration: &ecswire.DockerVolumeConfiguration{Scope: tdStr("shared"), Autoprovision: tdYes,
				Driver: tdStr("local"), DriverOpts: map[string]string{"type": "tmpfs"}, Labels: map[string]string{"app": "web"}}},
			{Name: tdStr("efs"), EfsVolumeConfiguration: &ecswire.EFSVolumeConfiguration{FileSystemId: tdStr("fs-1"), RootDirectory: tdStr("/"),
				TransitEncryption: tdStr("ENABLED"), TransitEncryptionPort: tdNum(2049),
				AuthorizationConfig: &ecswire.EFSAuthorizationConfig{AccessPointId: tdStr("fsap-1"), Iam: tdStr("ENABLED")}}},
			{Name: tdStr("s3"), S3filesVolumeConfiguration: &ecswire.S3FilesVolumeConfiguration{FileSystemArn: tdStr("arn:aws:s3files:us-east-1:000000000000:file-system/fs-1"),
				RootDirectory: tdStr("/"), TransitEncryptionPort: tdNum(2050), AccessPointArn: tdStr("arn:aws:s3files:us-east-1:000000000000:access-point/ap-1")}},
			{Name: tdStr("fsx"), FsxWindowsFileServerVolumeConfiguration: &ecswire.FSxWindowsFileServerVolumeConfiguration{FileSystemId: tdStr("fs-2"),
				RootDirectory: tdStr("\\share"), AuthorizationConfig: &ecswire.FSxWindowsFileServerAuthorizationConfig{CredentialsParameter: tdStr(secretARN), Domain: tdStr("corp.example.com")}}},
			{Name: tdStr("ebs"), ConfiguredAtLaunch: tdYes},
		},
		PlacementConstraints:    []ecswire.TaskDefinitionPlacementConstraint{{Type: tdStr("memberOf"), Expression: tdStr("attribute:ecs.cpu-architecture == arm64")}},
		RequiresCompatibilities: []string{"EC2", "FARGATE"},
		Cpu:                     tdStr("1024"),
		Memory:                  tdStr("2048"),
		Tags:                    []ecswire.Tag{{Key: tdStr("team"), Value: tdStr("core")}},
		PidMode:                 tdStr("task"),
		IpcMode:                 tdStr("task"),
		ProxyConfiguration: &ecswire.ProxyConfiguration{Type: tdStr("APPMESH"), ContainerName: tdStr("envoy"),
			Properties: []ecswire.KeyValuePair{{Name: tdStr("IgnoredUID"), Value: tdStr("1337")}}},
		InferenceAccelerators: []ecswire.InferenceAccelerator{{DeviceName: tdStr("d1"), DeviceType: tdStr("eia2.medium")}},
		EphemeralStorage:      &ecswire.EphemeralStorage{SizeInGiB: tdNum(30)},
		RuntimePlatform:       &ecswire.RuntimePlatform{CpuArchitecture: tdStr("ARM64"), OperatingSystemFamily: tdStr("LINUX")},
		EnableFaultInjection:  tdYes,
	}
}

// tdFieldPaths lists the JSON paths of every member of typ and the shapes
// under it ("containerDefinitions[].healthCheck.interval").
func tdFieldPaths(typ reflect.Type, prefix string, out map[string]bool) {
	for typ.Kind() == reflect.Pointer || typ.Kind() == reflect.Slice {
		typ = typ.Elem()
	}
	if typ.Kind() != reflect.Struct || typ == reflect.TypeOf(wire.Time{}) {
		return
	}
	for i := 0; i < typ.NumField(); i++ {
		f := typ.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		p := prefix + name
		if f.Type.Kind() == reflect.Slice {
			p += "[]"
		}
		out[p] = true
		tdFieldPaths(f.Type, p+".", out)
	}
}

// tdSetPaths lists the JSON paths that are set (non-nil, non-empty,
// non-zero) somewhere in v.
func tdSetPaths(v reflect.Value, prefix string, out map[string]bool) {
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return
	}
	for i := 0; i < v.NumField(); i++ {
		f, fv := v.Type().Field(i), v.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		p := prefix + name
		if fv.Kind() == reflect.Slice {
			p += "[]"
			for j := 0; j < fv.Len(); j++ {
				tdSetPaths(fv.Index(j), p+".", out)
			}
		}
		if !fv.IsZero() && (fv.Kind() != reflect.Slice && fv.Kind() != reflect.Map || fv.Len() > 0) {
			out[p] = true
		}
		tdSetPaths(fv, p+".", out)
	}
}

func TestFullRequestSetsEveryMember(t *testing.T) {
	want, got := map[string]bool{}, map[string]bool{}
	tdFieldPaths(reflect.TypeOf(ecswire.RegisterTaskDefinitionRequest{}), "", want)
	tdSetPaths(reflect.ValueOf(tdFullRegisterRequest()), "", got)
	var missing []string
	for p := range want {
		if !got[p] {
			missing = append(missing, p)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Fatalf("tdFullRegisterRequest leaves members unset (update it when the model grows):\n%s", strings.Join(missing, "\n"))
	}
}

func tdJSONMap(t *testing.T, v any) map[string]any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestTaskDefinitionRoundTrip proves no member of a register request is
// lost: every member of the request appears, equal, in the task
// definition that DescribeTaskDefinition would show (tags, which that
// shape lacks, are compared on the domain value).
func TestTaskDefinitionRoundTrip(t *testing.T) {
	req := tdFullRegisterRequest()
	td := taskDefinitionFromWire(req)

	// The domain value survives the store's JSON encoding too.
	b, err := json.Marshal(td)
	if err != nil {
		t.Fatal(err)
	}
	var stored ecs.TaskDefinition
	if err := json.Unmarshal(b, &stored); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(stored, td) {
		t.Fatalf("store round trip changed the task definition:\n%+v\n%+v", td, stored)
	}

	in, out := tdJSONMap(t, req), tdJSONMap(t, taskDefinitionToWire(stored))
	for k, v := range in {
		if k == "tags" {
			continue
		}
		if !reflect.DeepEqual(out[k], v) {
			a, _ := json.Marshal(v)
			b, _ := json.Marshal(out[k])
			t.Errorf("%s lost in the round trip:\n in: %s\nout: %s", k, a, b)
		}
	}
	if len(stored.Tags) != 1 || stored.Tags[0] != (ecs.Tag{Key: "team", Value: "core"}) {
		t.Errorf("tags = %+v", stored.Tags)
	}
}

func TestTaskDefinitionDefaults(t *testing.T) {
	req := &ecswire.RegisterTaskDefinitionRequest{
		Family:      tdStr("web"),
		NetworkMode: tdStr("awsvpc"),
		Cpu:         tdStr("1 vCPU"),
		Memory:      tdStr("2 GB"),
		ContainerDefinitions: []ecswire.ContainerDefinition{{
			Name:         tdStr("app"),
			Image:        tdStr("nginx"),
			PortMappings: []ecswire.PortMapping{{ContainerPort: tdNum(80)}},
			HealthCheck:  &ecswire.HealthCheck{Command: []string{"CMD-SHELL", "true"}},
		}},
		RequiresCompatibilities: []string{"FARGATE"},
	}
	td := taskDefinitionFromWire(req)
	if err := td.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	c := td.ContainerDefinitions[0]
	if !c.Essential || c.CPU != 0 || c.PortMappings[0].HostPort != 80 || c.PortMappings[0].Protocol != ecs.ProtocolTCP {
		t.Errorf("container defaults not resolved: %+v", c)
	}
	if hc := c.HealthCheck; hc.Interval != 30*time.Second || hc.Timeout != 5*time.Second || hc.Retries != 3 || hc.StartPeriod != 0 {
		t.Errorf("health check defaults not resolved: %+v", hc)
	}
	if td.CPUUnits != 1024 || td.MemoryMiB != 2048 {
		t.Errorf("sizes = %d, %d", td.CPUUnits, td.MemoryMiB)
	}

	td.ARN, td.Revision, td.Status = ecs.TaskDefinitionARN("us-east-1", "000000000000", "web", 1), 1, ecs.TaskDefinitionActive
	got := tdJSONMap(t, taskDefinitionToWire(td))
	want := map[string]any{
		"taskDefinitionArn": "arn:aws:ecs:us-east-1:000000000000:task-definition/web:1",
		"family":            "web",
		"revision":          1.0,
		"status":            "ACTIVE",
		"networkMode":       "awsvpc",
		"cpu":               "1024",
		"memory":            "2048",
		"containerDefinitions": []any{map[string]any{
			"name": "app", "image": "nginx", "cpu": 0.0, "essential": true,
			"portMappings": []any{map[string]any{"containerPort": 80.0, "hostPort": 80.0, "protocol": "tcp"}},
			"environment":  []any{}, "mountPoints": []any{}, "volumesFrom": []any{}, "systemControls": []any{},
			"healthCheck": map[string]any{"command": []any{"CMD-SHELL", "true"}, "interval": 30.0, "timeout": 5.0, "retries": 3.0},
		}},
		"volumes":                 []any{},
		"placementConstraints":    []any{},
		"requiresAttributes":      []any{},
		"compatibilities":         []any{"EC2", "FARGATE"},
		"requiresCompatibilities": []any{"FARGATE"},
	}
	if !reflect.DeepEqual(got, want) {
		a, _ := json.MarshalIndent(got, "", " ")
		b, _ := json.MarshalIndent(want, "", " ")
		t.Errorf("DescribeTaskDefinition shape\n got %s\nwant %s", a, b)
	}
}

func TestBridgeHostPortDefault(t *testing.T) {
	c := containerFromWire(ecswire.ContainerDefinition{Name: tdStr("a"), Essential: wire.Bool(false),
		PortMappings: []ecswire.PortMapping{{ContainerPort: tdNum(80)}, {ContainerPortRange: tdStr("9000-9001")}}}, ecs.NetworkModeBridge)
	if c.Essential || c.PortMappings[0].HostPort != 0 || c.PortMappings[1].HostPort != 0 {
		t.Errorf("bridge defaults: %+v", c)
	}
	w := containerToWire(c)
	if w.PortMappings[0].HostPort == nil || *w.PortMappings[0].HostPort != 0 || w.PortMappings[1].HostPort != nil {
		t.Errorf("bridge port mappings on the wire: %+v", w.PortMappings)
	}
	host := containerFromWire(ecswire.ContainerDefinition{PortMappings: []ecswire.PortMapping{{ContainerPort: tdNum(8080)}}}, ecs.NetworkModeHost)
	if host.PortMappings[0].HostPort != 8080 {
		t.Errorf("host mode host port = %d", host.PortMappings[0].HostPort)
	}
}

func TestWireSecondsSaturate(t *testing.T) {
	huge := int64(1) << 62
	if d := tdSeconds(&huge); d <= 0 || d < 300*time.Second {
		t.Errorf("tdSeconds(2^62) = %v, want a large positive duration", d)
	}
	neg := -huge
	if d := tdSeconds(&neg); d >= 0 {
		t.Errorf("tdSeconds(-2^62) = %v", d)
	}
	c := containerFromWire(ecswire.ContainerDefinition{Name: tdStr("a"), Image: tdStr("x"), Memory: tdNum(64),
		HealthCheck: &ecswire.HealthCheck{Command: []string{"CMD", "x"}, Interval: &huge}}, "")
	td := ecs.TaskDefinition{Family: "f", ContainerDefinitions: []ecs.ContainerDefinition{c}}
	if err := td.Validate(); err == nil {
		t.Error("an interval of 2^62 seconds validated")
	}
}

// TestDomainEnumsMatchModel keeps the domain's enum lists in step with
// the generated model's.
func TestDomainEnumsMatchModel(t *testing.T) {
	str := func(xs any) []string {
		v := reflect.ValueOf(xs)
		out := make([]string, v.Len())
		for i := range out {
			out[i] = v.Index(i).String()
		}
		return out
	}
	for _, tc := range []struct {
		name         string
		domain, wire []string
	}{
		{"UlimitName", str(ecs.UlimitNames), ecswire.UlimitNameValues},
		{"LogDriver", str(ecs.LogDrivers), ecswire.LogDriverValues},
		{"OSFamily", str(ecs.OSFamilies), ecswire.OSFamilyValues},
		{"SettingName", str(ecs.SettingNames), ecswire.SettingNameValues},
		{"TaskDefinitionStatus", str([]ecs.TaskDefinitionStatus{ecs.TaskDefinitionActive, ecs.TaskDefinitionInactive, ecs.TaskDefinitionDeleteInProgress}), ecswire.TaskDefinitionStatusValues},
		{"NetworkMode", str([]ecs.NetworkMode{ecs.NetworkModeBridge, ecs.NetworkModeHost, ecs.NetworkModeAWSVPC, ecs.NetworkModeNone}), ecswire.NetworkModeValues},
		{"Compatibility", str([]ecs.Compatibility{ecs.CompatibilityEC2, ecs.CompatibilityFargate, ecs.CompatibilityExternal, ecs.CompatibilityManagedInstances}), ecswire.CompatibilityValues},
		{"LaunchType", str([]ecs.LaunchType{ecs.LaunchTypeEC2, ecs.LaunchTypeFargate, ecs.LaunchTypeExternal, ecs.LaunchTypeManagedInstances}), ecswire.LaunchTypeValues},
		{"HealthStatus", str([]ecs.HealthStatus{ecs.HealthHealthy, ecs.HealthUnhealthy, ecs.HealthUnknown}), ecswire.HealthStatusValues},
		{"DesiredStatus", str(ecs.DesiredStatusFilters), ecswire.DesiredStatusValues},
		{"DeploymentRolloutState", str([]ecs.RolloutState{ecs.RolloutCompleted, ecs.RolloutFailed, ecs.RolloutInProgress}), ecswire.DeploymentRolloutStateValues},
		{"ContainerCondition", str([]ecs.ContainerCondition{ecs.ConditionStart, ecs.ConditionComplete, ecs.ConditionSuccess, ecs.ConditionHealthy}), ecswire.ContainerConditionValues},
		{"DeviceCgroupPermission", str([]ecs.DeviceCgroupPermission{ecs.DevicePermissionRead, ecs.DevicePermissionWrite, ecs.DevicePermissionMknod}), ecswire.DeviceCgroupPermissionValues},
		{"CapacityProviderStatus", str([]ecs.CapacityProviderStatus{ecs.CapacityProviderProvisioning, ecs.CapacityProviderActive, ecs.CapacityProviderDeprovisioning, ecs.CapacityProviderInactive}), ecswire.CapacityProviderStatusValues},
	} {
		d, w := slices.Clone(tc.domain), slices.Clone(tc.wire)
		slices.Sort(d)
		slices.Sort(w)
		if !slices.Equal(d, w) {
			t.Errorf("%s: domain %v, model %v", tc.name, tc.domain, tc.wire)
		}
	}
	// The stop codes ECS reports include one the model does not list yet.
	for _, code := range ecswire.TaskStopCodeValues {
		if !slices.Contains([]ecs.StopCode{ecs.StopTaskFailedToStart, ecs.StopEssentialContainerExited, ecs.StopUserInitiated,
			ecs.StopServiceSchedulerInitiated, ecs.StopSpotInterruption, ecs.StopTerminationNotice}, ecs.StopCode(code)) {
			t.Errorf("stop code %s missing from the domain", code)
		}
	}
}

// TestTaskDefinitionToWireShowsEveryMember checks that a registered task
// definition fills every member of the TaskDefinition shape.
func TestTaskDefinitionToWireShowsEveryMember(t *testing.T) {
	td := taskDefinitionFromWire(tdFullRegisterRequest())
	at := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	td.ARN, td.Revision, td.Status = ecs.TaskDefinitionARN("us-east-1", "000000000000", "web", 2), 2, ecs.TaskDefinitionDeleteInProgress
	td.RegisteredAt, td.DeregisteredAt, td.DeleteRequestedAt = at, at.Add(time.Hour), at.Add(2*time.Hour)
	td.RegisteredBy = "arn:aws:iam::000000000000:root"
	td.RequiresAttributes = []ecs.Attribute{{Name: "ecs.capability.task-eni", Value: "x", TargetType: "container-instance", TargetID: "i-1"}}
	td.Compatibilities = []ecs.Compatibility{ecs.CompatibilityEC2}

	got := map[string]bool{}
	tdSetPaths(reflect.ValueOf(taskDefinitionToWire(td)), "", got)
	want := map[string]bool{}
	tdFieldPaths(reflect.TypeOf(ecswire.TaskDefinition{}), "", want)
	var missing []string
	for p := range want {
		if !got[p] {
			missing = append(missing, p)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("taskDefinitionToWire leaves members unset:\n%s", strings.Join(missing, "\n"))
	}
	w := tdJSONMap(t, taskDefinitionToWire(td))
	if w["registeredAt"] != 1714564800.0 || w["revision"] != 2.0 || w["status"] != "DELETE_IN_PROGRESS" {
		t.Errorf("identity members: %v %v %v", w["registeredAt"], w["revision"], w["status"])
	}
}
