package agent

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/quayside/quayside/internal/docker"
	"github.com/quayside/quayside/internal/ecs"
	"github.com/quayside/quayside/internal/fault"
)

func TestContainerSpecErrors(t *testing.T) {
	tests := []struct {
		name string
		in   func(*SpecInput)
		kind error
		msg  string
	}{
		{"GPU", func(in *SpecInput) {
			in.Container.ResourceRequirements = []ecs.ResourceRequirement{{Type: ecs.ResourceTypeGPU, Value: "1"}}
		}, ecs.ErrUnsupportedFeature, "Container 'app' requires 1 GPU(s), but Quayside container instances have no GPUs."},
		{"GPU from the override", func(in *SpecInput) {
			in.Override = &ecs.ContainerOverride{Name: "app", ResourceRequirements: []ecs.ResourceRequirement{{Type: ecs.ResourceTypeGPU, Value: "2"}}}
		}, ecs.ErrUnsupportedFeature, "requires 2 GPU(s)"},
		{"inference accelerator", func(in *SpecInput) {
			in.Container.ResourceRequirements = []ecs.ResourceRequirement{{Type: ecs.ResourceTypeInferenceAccelerator, Value: "dev1"}}
		}, ecs.ErrUnsupportedFeature, "inference accelerator 'dev1'"},
		{"links to a container not created", func(in *SpecInput) { specBridge(in); in.Container.Links = []string{"db"} },
			fault.Internal, "links to 'db', which has not been created"},
		{"healthCheck without CMD or CMD-SHELL", func(in *SpecInput) {
			in.Container.HealthCheck = &ecs.HealthCheck{Command: []string{"curl", "localhost"}}
		}, ecs.ErrClient, "Invalid 'healthCheck' setting for container 'app'."},
		{"healthCheck CMD alone", func(in *SpecInput) {
			in.Container.HealthCheck = &ecs.HealthCheck{Command: []string{"CMD"}}
		}, ecs.ErrClient, "healthCheck"},
		{"awsvpc without a pause container", func(in *SpecInput) { in.PauseID = "" }, fault.Internal, "pause container"},
		{"pidMode task without a pause container", func(in *SpecInput) {
			specBridge(in)
			in.TaskDef.PIDMode = ecs.PIDModeTask
		}, fault.Internal, "pidMode 'task'"},
		{"unprepared volume", func(in *SpecInput) {
			in.Container.MountPoints = []ecs.MountPoint{{SourceVolume: "data", ContainerPath: "/data"}}
		}, fault.Internal, "volume 'data' of container 'app' was not prepared"},
		{"bind volume without a path", func(in *SpecInput) {
			in.Volumes = map[string]VolumeSource{"data": {Kind: "bind"}}
			in.Container.MountPoints = []ecs.MountPoint{{SourceVolume: "data", ContainerPath: "/data"}}
		}, fault.Internal, "no host path"},
		{"volume of unknown kind", func(in *SpecInput) {
			in.Volumes = map[string]VolumeSource{"data": {Kind: "efs", Source: "fs-1"}}
			in.Container.MountPoints = []ecs.MountPoint{{SourceVolume: "data", ContainerPath: "/data"}}
		}, fault.Internal, "unknown kind 'efs'"},
		{"mount point without containerPath", func(in *SpecInput) {
			in.Volumes = map[string]VolumeSource{"data": {Kind: "volume", Source: "v"}}
			in.Container.MountPoints = []ecs.MountPoint{{SourceVolume: "data"}}
		}, ecs.ErrClient, "containerPath"},
		{"volumesFrom a container not created", func(in *SpecInput) {
			in.Container.VolumesFrom = []ecs.VolumeFrom{{SourceContainer: "seed"}}
		}, fault.Internal, "container 'seed', named in volumesFrom of container 'app', has not been created"},
		{"tmpfs without containerPath", func(in *SpecInput) {
			specLinuxParams(in).Tmpfs = []ecs.Tmpfs{{Size: 64}}
		}, ecs.ErrClient, "linuxParameters.tmpfs"},
		{"bad containerPortRange", func(in *SpecInput) {
			specBridge(in)
			in.Container.PortMappings = []ecs.PortMapping{{ContainerPortRange: "9000-"}}
		}, ecs.ErrClient, "containerPortRange"},
		{"port 0", func(in *SpecInput) {
			specBridge(in)
			in.Container.PortMappings = []ecs.PortMapping{{}}
		}, ecs.ErrClient, "Invalid port mapping"},
		{"unknown protocol", func(in *SpecInput) {
			specBridge(in)
			in.Container.PortMappings = []ecs.PortMapping{{ContainerPort: 80, Protocol: "sctp"}}
		}, ecs.ErrClient, "protocol 'sctp'"},
		{"unknown network mode", func(in *SpecInput) { in.NetworkMode = "nat" }, ecs.ErrClient, "Network mode 'nat'"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := specBaseInput()
			tc.in(&in)
			cfg, host, netw, err := ContainerSpec(in)
			if err == nil {
				t.Fatalf("ContainerSpec succeeded, want an error: %+v %+v %+v", cfg, host, netw)
			}
			if !errors.Is(err, tc.kind) {
				t.Errorf("error %q is not of kind %v", err, tc.kind)
			}
			if !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("error %q does not contain %q", err, tc.msg)
			}
			if cfg != nil || host != nil || netw != nil {
				t.Errorf("ContainerSpec returned parameters with its error")
			}
		})
	}
}

// specFullDefinition sets every field of a container definition, except
// resourceRequirements and linuxParameters.devices, which this host
// cannot honour (see TestContainerSpecErrors), and disableNetworking,
// which would turn the networking fields off (see its own case).
func specFullDefinition() ecs.ContainerDefinition {
	return ecs.ContainerDefinition{
		Name: "app", Image: "127.0.0.1:4566/app:v1",
		RepositoryCredentials: &ecs.RepositoryCredentials{CredentialsParameter: "arn:aws:secretsmanager:us-east-1:000000000000:secret:reg"},
		CPU:                   256, Memory: 1024, MemoryReservation: 512,
		Links:         []string{"db:database"},
		PortMappings:  []ecs.PortMapping{{ContainerPort: 80, HostPort: 80, Protocol: ecs.ProtocolTCP, Name: "http", AppProtocol: ecs.AppProtocolHTTP}},
		Essential:     true,
		RestartPolicy: &ecs.RestartPolicy{Enabled: true, IgnoredExitCodes: []int{0}, RestartAttemptPeriod: 60 * time.Second},
		EntryPoint:    []string{"/app"}, Command: []string{"serve"},
		Environment:      []ecs.KeyValuePair{{Name: "MODE", Value: "prod"}},
		EnvironmentFiles: []ecs.EnvironmentFile{{Value: "arn:aws:s3:::bucket/app.env", Type: ecs.EnvironmentFileS3}},
		MountPoints:      []ecs.MountPoint{{SourceVolume: "data", ContainerPath: "/data", ReadOnly: true}},
		VolumesFrom:      []ecs.VolumeFrom{{SourceContainer: "seed", ReadOnly: true}},
		LinuxParameters: &ecs.LinuxParameters{
			Capabilities:       ecs.KernelCapabilities{Add: []string{"NET_ADMIN"}, Drop: []string{"MKNOD"}},
			InitProcessEnabled: true, SharedMemorySize: 128,
			Tmpfs:   []ecs.Tmpfs{{ContainerPath: "/run", Size: 64, MountOptions: []string{"noexec"}}},
			MaxSwap: specPtr(512), Swappiness: specPtr(10),
		},
		Secrets:      []ecs.Secret{{Name: "DB_PASSWORD", ValueFrom: "arn:aws:ssm:us-east-1:000000000000:parameter/db"}},
		DependsOn:    []ecs.ContainerDependency{{ContainerName: "seed", Condition: ecs.ConditionComplete}},
		StartTimeout: 60 * time.Second, StopTimeout: 45 * time.Second,
		VersionConsistency: ecs.VersionConsistencyDisabled,
		Hostname:           "app-1", User: "1000", WorkingDirectory: "/srv",
		DisableNetworking: false, Privileged: true, ReadonlyRootFilesystem: true,
		DNSServers: []string{"10.0.0.2"}, DNSSearchDomains: []string{"svc.local"},
		ExtraHosts:            []ecs.HostEntry{{Hostname: "db", IPAddress: "10.0.0.5"}},
		DockerSecurityOptions: []string{"no-new-privileges"},
		Interactive:           true, PseudoTerminal: true,
		DockerLabels: map[string]string{"team": "web"},
		Ulimits:      []ecs.Ulimit{{Name: "nofile", SoftLimit: 1024, HardLimit: 4096}},
		LogConfiguration: &ecs.LogConfiguration{LogDriver: ecs.LogDriverAWSLogs, Options: map[string]string{ecs.AWSLogsGroup: "/ecs/app"},
			SecretOptions: []ecs.Secret{{Name: "token", ValueFrom: "arn:aws:ssm:us-east-1:000000000000:parameter/t"}}},
		HealthCheck: &ecs.HealthCheck{Command: []string{"CMD-SHELL", "true"}, Interval: 5 * time.Second,
			Timeout: 2 * time.Second, Retries: 1, StartPeriod: time.Second},
		SystemControls:        []ecs.SystemControl{{Namespace: "net.core.somaxconn", Value: "1024"}},
		FirelensConfiguration: &ecs.FirelensConfiguration{Type: ecs.FirelensFluentbit, Options: map[string]string{"enable-ecs-log-metadata": "true"}},
		CredentialSpecs:       []string{"credentialspec:file://gmsa.json"},
	}
}

// specFullInput runs the full definition with everything the agent
// supplies, in the given mode.
func specFullInput(def ecs.ContainerDefinition, mode ecs.NetworkMode) SpecInput {
	in := specBaseInput()
	in.NetworkMode, in.TaskDef.NetworkMode, in.BridgeNetwork = mode, mode, "bridge"
	in.Task.LaunchType = ecs.LaunchTypeFargate
	in.TaskDef.CPU, in.TaskDef.CPUUnits, in.TaskDef.Memory, in.TaskDef.MemoryMiB = "1024", 1024, "2048", 2048
	in.TaskDef.PIDMode, in.TaskDef.IPCMode = ecs.PIDModeTask, ecs.IPCModeTask
	in.Container = def
	in.Override = &ecs.ContainerOverride{Name: def.Name, Command: []string{"serve", "--debug"},
		Environment: []ecs.KeyValuePair{{Name: "MODE", Value: "debug"}}, CPU: specPtr(512)}
	in.Env = []ecs.KeyValuePair{{Name: "AWS_REGION", Value: "us-east-1"}, {Name: "ECS_CONTAINER_METADATA_URI_V4", Value: "http://169.254.170.2/v4/x"}}
	in.Secrets = map[string]string{"DB_PASSWORD": "pw"}
	in.EnvFiles = []ecs.KeyValuePair{{Name: "FROM_FILE", Value: "1"}}
	in.Volumes = map[string]VolumeSource{"data": {Kind: "bind", Source: "/srv/data"}}
	in.ContainerIDs = map[string]string{"seed": "id-seed", "db": "id-db"}
	in.Labels = map[string]string{"com.quayside.task-arn": in.Task.ARN}
	in.HostCPUs = 8
	return in
}

func TestContainerSpecFullDefinition(t *testing.T) {
	def := specFullDefinition()
	v := reflect.ValueOf(def)
	for i := range v.NumField() {
		name := v.Type().Field(i).Name
		if v.Field(i).IsZero() && name != "ResourceRequirements" && name != "DisableNetworking" {
			t.Errorf("specFullDefinition leaves %s unset: set it, and map it in ContainerSpec", name)
		}
	}
	for _, mode := range []ecs.NetworkMode{ecs.NetworkModeAWSVPC, ecs.NetworkModeHost, ecs.NetworkModeNone} {
		t.Run(string(mode), func(t *testing.T) {
			cfg, host, _, err := ContainerSpec(specFullInput(def, mode))
			if err != nil {
				t.Fatalf("ContainerSpec: %v", err)
			}
			want := []string{"AWS_REGION=us-east-1", "DB_PASSWORD=pw", "ECS_CONTAINER_METADATA_URI_V4=http://169.254.170.2/v4/x", "FROM_FILE=1", "MODE=debug"}
			if diff := cmp.Diff(want, cfg.Env); diff != "" {
				t.Errorf("Env (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]string{"serve", "--debug"}, cfg.Cmd); diff != "" {
				t.Errorf("Cmd (-want +got):\n%s", diff)
			}
			if host.Memory != 1024<<20 || host.MemoryReservation != 512<<20 || host.MemorySwap != 1536<<20 ||
				host.CPUShares != 512 || host.NanoCPUs != 1e9 {
				t.Errorf("resources = memory %d, reservation %d, swap %d, shares %d, nano %d",
					host.Memory, host.MemoryReservation, host.MemorySwap, host.CPUShares, host.NanoCPUs)
			}
			if cfg.Healthcheck.Test[0] != "CMD-SHELL" || *cfg.StopTimeout != 45 || host.Init == nil || !*host.Init {
				t.Errorf("health %v, stop timeout %d, init %v", cfg.Healthcheck, *cfg.StopTimeout, host.Init)
			}
		})
	}
	t.Run("links and devices in bridge mode", func(t *testing.T) {
		_, host, _, err := ContainerSpec(specFullInput(def, ecs.NetworkModeBridge))
		if err != nil {
			t.Fatalf("ContainerSpec with links in bridge mode: %v", err)
		}
		if len(host.Links) == 0 || host.Links[0] != "id-db:database" {
			t.Errorf("links = %v, want [id-db:database]", host.Links)
		}
		if len(def.LinuxParameters.Devices) > 0 && len(host.Devices) != len(def.LinuxParameters.Devices) {
			t.Errorf("devices = %v", host.Devices)
		}
	})
}

// FuzzContainerSpec decodes arbitrary JSON into a container definition
// and maps it in every network mode: ContainerSpec must not panic, must
// be deterministic, and what it returns must be creatable by Docker.
func FuzzContainerSpec(f *testing.F) {
	full, err := json.Marshal(specFullDefinition())
	if err != nil {
		f.Fatal(err)
	}
	f.Add(full)
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"name":"a","image":"x","cpu":-5,"memory":-1,"stopTimeout":-1,"healthCheck":{"command":["CMD-SHELL"]}}`))
	f.Add([]byte(`{"portMappings":[{"containerPortRange":"1-3","protocol":"udp"},{"containerPort":70000}],"linuxParameters":{"maxSwap":-3,"swappiness":900}}`))
	f.Add([]byte(`{"mountPoints":[{"sourceVolume":"data"}],"volumesFrom":[{"sourceContainer":""}],"systemControls":[{"namespace":""}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var def ecs.ContainerDefinition
		if json.Unmarshal(data, &def) != nil {
			return
		}
		for _, p := range def.PortMappings {
			if first, last, ok := ecs.ParsePortRange(p.ContainerPortRange); ok && last-first > 1000 {
				return // valid, but slow to check ports one by one
			}
		}
		for _, mode := range []ecs.NetworkMode{ecs.NetworkModeAWSVPC, ecs.NetworkModeBridge, ecs.NetworkModeHost, ecs.NetworkModeNone, ""} {
			in := specFullInput(def, mode)
			in.Override = nil
			cfg, host, netw, err := ContainerSpec(in)
			if err != nil {
				continue
			}
			cfg2, host2, netw2, _ := ContainerSpec(in)
			if diff := cmp.Diff(specOut{cfg, host, netw}, specOut{cfg2, host2, netw2}); diff != "" {
				t.Fatalf("mode %q: two calls differ:\n%s", mode, diff)
			}
			specCheckCreatable(t, mode, cfg, host)
		}
	})
}

// specCheckCreatable checks the rules Docker applies at create.
func specCheckCreatable(t *testing.T, mode ecs.NetworkMode, cfg *docker.ContainerConfig, host *docker.HostConfig) {
	t.Helper()
	if cfg.Healthcheck == nil || len(cfg.Healthcheck.Test) == 0 {
		t.Errorf("mode %q: no health check (an image's HEALTHCHECK would run)", mode)
	}
	if host.RestartPolicy == nil || host.RestartPolicy.Name != "no" {
		t.Errorf("mode %q: restart policy %+v, want no", mode, host.RestartPolicy)
	}
	if host.CPUShares < specMinCPUShares || host.CPUShares > specMaxCPUShares {
		t.Errorf("mode %q: CpuShares %d out of range", mode, host.CPUShares)
	}
	if host.MemorySwap != 0 && host.MemorySwap < host.Memory {
		t.Errorf("mode %q: MemorySwap %d below Memory %d", mode, host.MemorySwap, host.Memory)
	}
	if *cfg.StopTimeout <= 0 {
		t.Errorf("mode %q: StopTimeout %d", mode, *cfg.StopTimeout)
	}
	if strings.HasPrefix(host.NetworkMode, "container:") {
		if cfg.Hostname != "" || len(cfg.ExposedPorts) > 0 || len(host.PortBindings) > 0 || len(host.DNS) > 0 || len(host.ExtraHosts) > 0 {
			t.Errorf("mode %q: sets fields Docker refuses with a container network: %+v %+v", mode, cfg, host)
		}
	}
	if mode != ecs.NetworkModeBridge && mode != "" && len(host.PortBindings) > 0 {
		t.Errorf("mode %q: publishes ports", mode)
	}
}
