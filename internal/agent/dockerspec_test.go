package agent

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/quayside/quayside/internal/docker"
	"github.com/quayside/quayside/internal/ecs"
)

// specOut is what ContainerSpec returns.
type specOut struct {
	Cfg  *docker.ContainerConfig
	Host *docker.HostConfig
	Netw *docker.NetworkingConfig
}

// specBaseInput is a minimal awsvpc container on EC2; each case edits it.
func specBaseInput() SpecInput {
	return SpecInput{
		Task:        ecs.Task{ARN: "arn:aws:ecs:us-east-1:000000000000:task/c/0123", LaunchType: ecs.LaunchTypeEC2},
		TaskDef:     ecs.TaskDefinition{Family: "web", Revision: 1, NetworkMode: ecs.NetworkModeAWSVPC},
		Container:   ecs.ContainerDefinition{Name: "app", Image: "nginx:1.27", Essential: true, Memory: 512},
		NetworkMode: ecs.NetworkModeAWSVPC,
		PauseID:     "pause0",
		Name:        "quayside-web-1-app",
	}
}

// specBaseOut is what specBaseInput gives; each case edits it.
func specBaseOut() specOut {
	stop, init := 30, false
	return specOut{
		Cfg: &docker.ContainerConfig{
			Image:       "nginx:1.27",
			Healthcheck: &docker.HealthConfig{Test: []string{"NONE"}},
			StopTimeout: &stop,
		},
		Host: &docker.HostConfig{
			NetworkMode:   "container:pause0",
			Memory:        512 << 20,
			CPUShares:     2,
			Init:          &init,
			RestartPolicy: &docker.RestartPolicy{Name: "no"},
		},
	}
}

func specPtr[T any](v T) *T { return &v }

// specBridge switches an input to bridge mode on Docker's bridge network.
func specBridge(in *SpecInput) {
	in.NetworkMode, in.TaskDef.NetworkMode, in.PauseID, in.BridgeNetwork = ecs.NetworkModeBridge, ecs.NetworkModeBridge, "", "bridge"
}

// specBridgeOut is specBridge's effect on the output.
func specBridgeOut(o *specOut) {
	o.Host.NetworkMode = "bridge"
	o.Netw = &docker.NetworkingConfig{EndpointsConfig: map[string]*docker.EndpointSettings{"bridge": {}}}
}

// specLinuxParams returns the container's linuxParameters, creating them.
func specLinuxParams(in *SpecInput) *ecs.LinuxParameters {
	if in.Container.LinuxParameters == nil {
		in.Container.LinuxParameters = &ecs.LinuxParameters{}
	}
	return in.Container.LinuxParameters
}

type specCase struct {
	name string
	in   func(*SpecInput)
	want func(*specOut)
}

func TestContainerSpecMapping(t *testing.T) {
	for _, group := range [][]specCase{specBasicCases, specEnvCases, specResourceCases, specLinuxCases, specNetworkCases, specMountCases} {
		for _, tc := range group {
			t.Run(tc.name, func(t *testing.T) {
				in, want := specBaseInput(), specBaseOut()
				tc.in(&in)
				tc.want(&want)
				cfg, host, netw, err := ContainerSpec(in)
				if err != nil {
					t.Fatalf("ContainerSpec: %v", err)
				}
				if diff := cmp.Diff(want, specOut{cfg, host, netw}, cmpopts.EquateEmpty()); diff != "" {
					t.Errorf("ContainerSpec (-want +got):\n%s", diff)
				}
			})
		}
	}
}

var specBasicCases = []specCase{
	{"defaults", func(*SpecInput) {}, func(*specOut) {}},
	{"image", func(in *SpecInput) { in.Container.Image = "127.0.0.1:4566/app@sha256:abc" },
		func(o *specOut) { o.Cfg.Image = "127.0.0.1:4566/app@sha256:abc" }},
	{"entryPoint", func(in *SpecInput) { in.Container.EntryPoint = []string{"/bin/sh", "-c"} },
		func(o *specOut) { o.Cfg.Entrypoint = []string{"/bin/sh", "-c"} }},
	{"command", func(in *SpecInput) { in.Container.Command = []string{"serve", "--port", "80"} },
		func(o *specOut) { o.Cfg.Cmd = []string{"serve", "--port", "80"} }},
	{"command override wins", func(in *SpecInput) {
		in.Container.Command = []string{"serve"}
		in.Override = &ecs.ContainerOverride{Name: "app", Command: []string{"migrate", "up"}}
	}, func(o *specOut) { o.Cfg.Cmd = []string{"migrate", "up"} }},
	{"override without command keeps the definition's", func(in *SpecInput) {
		in.Container.Command = []string{"serve"}
		in.Override = &ecs.ContainerOverride{Name: "app"}
	}, func(o *specOut) { o.Cfg.Cmd = []string{"serve"} }},
	{"workingDirectory", func(in *SpecInput) { in.Container.WorkingDirectory = "/srv" },
		func(o *specOut) { o.Cfg.WorkingDir = "/srv" }},
	{"user", func(in *SpecInput) { in.Container.User = "1000:1000" },
		func(o *specOut) { o.Cfg.User = "1000:1000" }},
	{"essential has no Docker field", func(in *SpecInput) { in.Container.Essential = false }, func(*specOut) {}},
	{"dockerLabels and agent labels, agent wins", func(in *SpecInput) {
		in.Container.DockerLabels = map[string]string{"team": "web", "com.quayside.task-arn": "spoofed"}
		in.Labels = map[string]string{"com.quayside.task-arn": "arn:real", "com.quayside.managed": "true"}
	}, func(o *specOut) {
		o.Cfg.Labels = map[string]string{"team": "web", "com.quayside.task-arn": "arn:real", "com.quayside.managed": "true"}
	}},
	{"readonlyRootFilesystem", func(in *SpecInput) { in.Container.ReadonlyRootFilesystem = true },
		func(o *specOut) { o.Host.ReadonlyRootfs = true }},
	{"privileged", func(in *SpecInput) { in.Container.Privileged = true },
		func(o *specOut) { o.Host.Privileged = true }},
	{"interactive and pseudoTerminal", func(in *SpecInput) { in.Container.Interactive, in.Container.PseudoTerminal = true, true },
		func(o *specOut) { o.Cfg.OpenStdin, o.Cfg.Tty = true, true }},
	{"ulimits", func(in *SpecInput) {
		in.Container.Ulimits = []ecs.Ulimit{{Name: "nofile", SoftLimit: 1024, HardLimit: 65536}, {Name: "core", SoftLimit: 0, HardLimit: 0}}
	}, func(o *specOut) {
		o.Host.Ulimits = []docker.Ulimit{{Name: "nofile", Soft: 1024, Hard: 65536}, {Name: "core"}}
	}},
	{"dockerSecurityOptions", func(in *SpecInput) {
		in.Container.DockerSecurityOptions = []string{"no-new-privileges", "apparmor:docker-default"}
	}, func(o *specOut) { o.Host.SecurityOpt = []string{"no-new-privileges", "apparmor:docker-default"} }},
	{"no healthCheck disables the image's HEALTHCHECK", func(in *SpecInput) { in.Container.HealthCheck = nil },
		func(o *specOut) { o.Cfg.Healthcheck = &docker.HealthConfig{Test: []string{"NONE"}} }},
	{"healthCheck CMD", func(in *SpecInput) {
		in.Container.HealthCheck = &ecs.HealthCheck{Command: []string{"CMD", "/bin/check", "--fast"},
			Interval: 10 * time.Second, Timeout: 2 * time.Second, Retries: 5, StartPeriod: 60 * time.Second}
	}, func(o *specOut) {
		o.Cfg.Healthcheck = &docker.HealthConfig{Test: []string{"CMD", "/bin/check", "--fast"},
			Interval: 10 * time.Second, Timeout: 2 * time.Second, Retries: 5, StartPeriod: 60 * time.Second}
	}},
	{"healthCheck CMD-SHELL with ECS defaults", func(in *SpecInput) {
		in.Container.HealthCheck = &ecs.HealthCheck{Command: []string{"CMD-SHELL", "curl -f http://localhost/ || exit 1"}}
	}, func(o *specOut) {
		o.Cfg.Healthcheck = &docker.HealthConfig{Test: []string{"CMD-SHELL", "curl -f http://localhost/ || exit 1"},
			Interval: 30 * time.Second, Timeout: 5 * time.Second, Retries: 3}
	}},
	{"healthCheck CMD-SHELL in several words is one shell command", func(in *SpecInput) {
		in.Container.HealthCheck = &ecs.HealthCheck{Command: []string{"CMD-SHELL", "test", "-f", "/ready"}}
	}, func(o *specOut) {
		o.Cfg.Healthcheck = &docker.HealthConfig{Test: []string{"CMD-SHELL", "test -f /ready"},
			Interval: 30 * time.Second, Timeout: 5 * time.Second, Retries: 3}
	}},
	{"stopTimeout", func(in *SpecInput) { in.Container.StopTimeout = 90 * time.Second },
		func(o *specOut) { o.Cfg.StopTimeout = specPtr(90) }},
	{"stopTimeout rounds up to whole seconds", func(in *SpecInput) { in.Container.StopTimeout = 2500 * time.Millisecond },
		func(o *specOut) { o.Cfg.StopTimeout = specPtr(3) }},
	{"logConfiguration keeps Docker's default logging", func(in *SpecInput) {
		in.Container.LogConfiguration = &ecs.LogConfiguration{LogDriver: ecs.LogDriverAWSLogs,
			Options: map[string]string{ecs.AWSLogsGroup: "/ecs/web", ecs.AWSLogsStreamPrefix: "web"}}
	}, func(*specOut) {}},
	{"restartPolicy is the agent's; Docker's stays no", func(in *SpecInput) {
		in.Container.RestartPolicy = &ecs.RestartPolicy{Enabled: true, IgnoredExitCodes: []int{0}}
	}, func(*specOut) {}},
	{"firelensConfiguration is ignored", func(in *SpecInput) {
		in.Container.FirelensConfiguration = &ecs.FirelensConfiguration{Type: ecs.FirelensFluentbit}
	}, func(*specOut) {}},
	{"GPU count 0 asks for nothing", func(in *SpecInput) {
		in.Container.ResourceRequirements = []ecs.ResourceRequirement{{Type: ecs.ResourceTypeGPU, Value: "0"}}
	}, func(*specOut) {}},
}

var specEnvCases = []specCase{
	{"environment sorted by name", func(in *SpecInput) {
		in.Container.Environment = []ecs.KeyValuePair{{Name: "ZED", Value: "z"}, {Name: "ALPHA", Value: "a"}, {Name: "", Value: "dropped"}}
	}, func(o *specOut) { o.Cfg.Env = []string{"ALPHA=a", "ZED=z"} }},
	{"override environment merges over the definition's by name", func(in *SpecInput) {
		in.Container.Environment = []ecs.KeyValuePair{{Name: "MODE", Value: "prod"}, {Name: "KEEP", Value: "1"}}
		in.Override = &ecs.ContainerOverride{Name: "app", Environment: []ecs.KeyValuePair{{Name: "MODE", Value: "debug"}, {Name: "NEW", Value: "x"}}}
	}, func(o *specOut) { o.Cfg.Env = []string{"KEEP=1", "MODE=debug", "NEW=x"} }},
	{"environment files in order, environment wins", func(in *SpecInput) {
		in.EnvFiles = []ecs.KeyValuePair{{Name: "A", Value: "file1"}, {Name: "B", Value: "file1"}, {Name: "A", Value: "file2"}}
		in.Container.Environment = []ecs.KeyValuePair{{Name: "B", Value: "env"}}
	}, func(o *specOut) { o.Cfg.Env = []string{"A=file2", "B=env"} }},
	{"secrets win over environment", func(in *SpecInput) {
		in.Container.Environment = []ecs.KeyValuePair{{Name: "DB_PASSWORD", Value: "plain"}}
		in.Secrets = map[string]string{"DB_PASSWORD": "s3cret", "API_KEY": "k"}
	}, func(o *specOut) { o.Cfg.Env = []string{"API_KEY=k", "DB_PASSWORD=s3cret"} }},
	{"agent variables: ECS_ and AWS_CONTAINER_ win, others are defaults", func(in *SpecInput) {
		in.Env = []ecs.KeyValuePair{
			{Name: "AWS_REGION", Value: "us-east-1"}, {Name: "AWS_DEFAULT_REGION", Value: "us-east-1"},
			{Name: "ECS_CONTAINER_METADATA_URI_V4", Value: "http://169.254.170.2/v4/x"},
			{Name: "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", Value: "/v2/credentials/u"},
		}
		in.Container.Environment = []ecs.KeyValuePair{
			{Name: "AWS_REGION", Value: "eu-west-1"}, {Name: "ECS_CONTAINER_METADATA_URI_V4", Value: "user"},
		}
		in.Secrets = map[string]string{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "secret"}
	}, func(o *specOut) {
		o.Cfg.Env = []string{
			"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI=/v2/credentials/u", "AWS_DEFAULT_REGION=us-east-1",
			"AWS_REGION=eu-west-1", "ECS_CONTAINER_METADATA_URI_V4=http://169.254.170.2/v4/x",
		}
	}},
	{"override precedence across every layer", func(in *SpecInput) {
		in.Env = []ecs.KeyValuePair{{Name: "V", Value: "agent"}}
		in.EnvFiles = []ecs.KeyValuePair{{Name: "V", Value: "file"}, {Name: "F", Value: "file"}}
		in.Container.Environment = []ecs.KeyValuePair{{Name: "V", Value: "def"}, {Name: "D", Value: "def"}}
		in.Override = &ecs.ContainerOverride{Name: "app", Environment: []ecs.KeyValuePair{{Name: "V", Value: "override"}}}
	}, func(o *specOut) { o.Cfg.Env = []string{"D=def", "F=file", "V=override"} }},
}

var specResourceCases = []specCase{
	{"memory is the hard limit in bytes", func(in *SpecInput) { in.Container.Memory = 300 },
		func(o *specOut) { o.Host.Memory = 300 << 20 }},
	{"memoryReservation is the soft limit", func(in *SpecInput) { in.Container.Memory, in.Container.MemoryReservation = 0, 128 },
		func(o *specOut) { o.Host.Memory, o.Host.MemoryReservation = 0, 128<<20 }},
	{"memory and memoryReservation", func(in *SpecInput) { in.Container.Memory, in.Container.MemoryReservation = 1024, 256 },
		func(o *specOut) { o.Host.Memory, o.Host.MemoryReservation = 1024<<20, 256<<20 }},
	{"task memory caps a container without its own", func(in *SpecInput) {
		in.Container.Memory = 0
		in.TaskDef.Memory, in.TaskDef.MemoryMiB = "2 GB", 2048
	}, func(o *specOut) { o.Host.Memory = 2048 << 20 }},
	{"task memory caps a container with only a reservation", func(in *SpecInput) {
		in.Container.Memory, in.Container.MemoryReservation = 0, 256
		in.TaskDef.Memory, in.TaskDef.MemoryMiB = "1024", 1024
	}, func(o *specOut) { o.Host.Memory, o.Host.MemoryReservation = 1024<<20, 256<<20 }},
	{"container memory wins over task memory", func(in *SpecInput) { in.TaskDef.Memory, in.TaskDef.MemoryMiB = "1024", 1024 },
		func(*specOut) {}},
	{"task override memory", func(in *SpecInput) {
		in.Container.Memory = 0
		in.TaskDef.Memory, in.TaskDef.MemoryMiB = "1024", 1024
		in.Task.Overrides.Memory = "4096"
	}, func(o *specOut) { o.Host.Memory = 4096 << 20 }},
	{"container memory override", func(in *SpecInput) {
		in.Container.MemoryReservation = 128
		in.Override = &ecs.ContainerOverride{Name: "app", Memory: specPtr(768), MemoryReservation: specPtr(384)}
	}, func(o *specOut) { o.Host.Memory, o.Host.MemoryReservation = 768<<20, 384<<20 }},
	{"cpu units are CPU shares", func(in *SpecInput) { in.Container.CPU = 512 },
		func(o *specOut) { o.Host.CPUShares = 512 }},
	{"cpu 1 is 2 shares", func(in *SpecInput) { in.Container.CPU = 1 },
		func(o *specOut) { o.Host.CPUShares = 2 }},
	{"cpu above 256 vCPU is 262144 shares", func(in *SpecInput) { in.Container.CPU = 300000 },
		func(o *specOut) { o.Host.CPUShares = 262144 }},
	{"cpu override", func(in *SpecInput) {
		in.Container.CPU = 256
		in.Override = &ecs.ContainerOverride{Name: "app", CPU: specPtr(1024)}
	}, func(o *specOut) { o.Host.CPUShares = 1024 }},
	{"task cpu is NanoCPUs on each container", func(in *SpecInput) { in.TaskDef.CPU, in.TaskDef.CPUUnits = "512", 512 },
		func(o *specOut) { o.Host.NanoCPUs = 500_000_000 }},
	{"task cpu in vCPU without parsed units", func(in *SpecInput) { in.TaskDef.CPU = "0.25 vCPU" },
		func(o *specOut) { o.Host.NanoCPUs = 250_000_000 }},
	{"task override cpu", func(in *SpecInput) {
		in.TaskDef.CPU, in.TaskDef.CPUUnits = "256", 256
		in.Task.Overrides.CPU = "2048"
	}, func(o *specOut) { o.Host.NanoCPUs = 2_000_000_000 }},
	{"task cpu is capped at the host's CPUs", func(in *SpecInput) {
		in.TaskDef.CPU, in.TaskDef.CPUUnits = "4096", 4096
		in.HostCPUs = 2
	}, func(o *specOut) { o.Host.NanoCPUs = 2_000_000_000 }},
	{"Fargate has no swap", func(in *SpecInput) { in.Task.LaunchType = ecs.LaunchTypeFargate },
		func(o *specOut) { o.Host.MemorySwap = 512 << 20 }},
	{"maxSwap adds to memory, swappiness defaults to 60", func(in *SpecInput) { specLinuxParams(in).MaxSwap = specPtr(256) },
		func(o *specOut) { o.Host.MemorySwap, o.Host.MemorySwappiness = 768<<20, specPtr[int64](60) }},
	{"maxSwap 0 means no swap", func(in *SpecInput) {
		lp := specLinuxParams(in)
		lp.MaxSwap, lp.Swappiness = specPtr(0), specPtr(0)
	}, func(o *specOut) { o.Host.MemorySwap, o.Host.MemorySwappiness = 512<<20, specPtr[int64](0) }},
	{"swappiness without maxSwap is ignored", func(in *SpecInput) { specLinuxParams(in).Swappiness = specPtr(10) },
		func(*specOut) {}},
	{"maxSwap without a hard limit keeps the host's swap", func(in *SpecInput) {
		in.Container.Memory, in.Container.MemoryReservation = 0, 128
		lp := specLinuxParams(in)
		lp.MaxSwap, lp.Swappiness = specPtr(64), specPtr(30)
	}, func(o *specOut) {
		o.Host.Memory, o.Host.MemoryReservation, o.Host.MemorySwappiness = 0, 128<<20, specPtr[int64](30)
	}},
}

var specLinuxCases = []specCase{
	{"initProcessEnabled", func(in *SpecInput) { specLinuxParams(in).InitProcessEnabled = true },
		func(o *specOut) { o.Host.Init = specPtr(true) }},
	{"devices with permissions", func(in *SpecInput) {
		specLinuxParams(in).Devices = []ecs.Device{{HostPath: "/dev/fuse", ContainerPath: "/dev/f", Permissions: []ecs.DeviceCgroupPermission{"read", "write"}}, {HostPath: "/dev/null"}}
	}, func(o *specOut) {
		o.Host.Devices = []docker.DeviceMapping{{PathOnHost: "/dev/fuse", PathInContainer: "/dev/f", CgroupPermissions: "rw"}, {PathOnHost: "/dev/null", PathInContainer: "/dev/null", CgroupPermissions: "rwm"}}
	}},
	{"links in bridge mode", func(in *SpecInput) {
		specBridge(in)
		in.Container.Links = []string{"db:database", "cache"}
		in.ContainerIDs = map[string]string{"db": "id-db", "cache": "id-cache"}
	}, func(o *specOut) { specBridgeOut(o); o.Host.Links = []string{"id-db:database", "id-cache:cache"} }},
	{"capabilities with or without CAP_", func(in *SpecInput) {
		specLinuxParams(in).Capabilities = ecs.KernelCapabilities{Add: []string{"NET_ADMIN", "CAP_SYS_PTRACE"}, Drop: []string{"ALL"}}
	}, func(o *specOut) { o.Host.CapAdd, o.Host.CapDrop = []string{"NET_ADMIN", "SYS_PTRACE"}, []string{"ALL"} }},
	{"sharedMemorySize in MiB", func(in *SpecInput) { specLinuxParams(in).SharedMemorySize = 256 },
		func(o *specOut) { o.Host.ShmSize = 256 << 20 }},
	{"tmpfs", func(in *SpecInput) {
		specLinuxParams(in).Tmpfs = []ecs.Tmpfs{
			{ContainerPath: "/run", Size: 64, MountOptions: []string{"rw", "noexec"}},
			{ContainerPath: "/scratch", Size: 1024},
		}
	}, func(o *specOut) {
		o.Host.Tmpfs = map[string]string{"/run": "rw,noexec,size=64m", "/scratch": "size=1024m"}
	}},
	{"systemControls outside awsvpc", func(in *SpecInput) {
		specBridge(in)
		in.Container.SystemControls = []ecs.SystemControl{{Namespace: "net.core.somaxconn", Value: "1024"}, {Namespace: "kernel.shmmax", Value: "68719476736"}}
	}, func(o *specOut) {
		specBridgeOut(o)
		o.Host.Sysctls = map[string]string{"net.core.somaxconn": "1024", "kernel.shmmax": "68719476736"}
	}},
	{"systemControls with awsvpc: only namespaced ones", func(in *SpecInput) {
		in.Container.SystemControls = []ecs.SystemControl{
			{Namespace: "net.ipv4.tcp_keepalive_time", Value: "60"}, {Namespace: "fs.mqueue.msg_max", Value: "20"},
			{Namespace: "kernel.sem", Value: "250 32000 32 128"}, {Namespace: "vm.swappiness", Value: "1"},
		}
	}, func(o *specOut) {
		o.Host.Sysctls = map[string]string{"net.ipv4.tcp_keepalive_time": "60", "fs.mqueue.msg_max": "20", "kernel.sem": "250 32000 32 128"}
	}},
	{"pidMode and ipcMode host", func(in *SpecInput) { in.TaskDef.PIDMode, in.TaskDef.IPCMode = ecs.PIDModeHost, ecs.IPCModeHost },
		func(o *specOut) { o.Host.PidMode, o.Host.IpcMode = "host", "host" }},
	{"pidMode and ipcMode task share the pause container's", func(in *SpecInput) {
		in.TaskDef.PIDMode, in.TaskDef.IPCMode = ecs.PIDModeTask, ecs.IPCModeTask
	}, func(o *specOut) { o.Host.PidMode, o.Host.IpcMode = "container:pause0", "container:pause0" }},
	{"ipcMode none", func(in *SpecInput) { in.TaskDef.IPCMode = ecs.IPCModeNone },
		func(o *specOut) { o.Host.IpcMode = "none" }},
}

var specNetworkCases = []specCase{
	{"awsvpc joins the pause container", func(*SpecInput) {}, func(o *specOut) { o.Host.NetworkMode = "container:pause0" }},
	{"bridge", specBridge, specBridgeOut},
	{"bridge on a named network", func(in *SpecInput) { specBridge(in); in.BridgeNetwork = "quayside-bridge" }, func(o *specOut) {
		o.Host.NetworkMode = "quayside-bridge"
		o.Netw = &docker.NetworkingConfig{EndpointsConfig: map[string]*docker.EndpointSettings{"quayside-bridge": {}}}
	}},
	{"empty network mode is bridge", func(in *SpecInput) { specBridge(in); in.NetworkMode, in.BridgeNetwork = "", "" }, specBridgeOut},
	{"host", func(in *SpecInput) { in.NetworkMode, in.PauseID = ecs.NetworkModeHost, "" },
		func(o *specOut) { o.Host.NetworkMode = "host" }},
	{"none", func(in *SpecInput) { in.NetworkMode, in.PauseID = ecs.NetworkModeNone, "" },
		func(o *specOut) { o.Host.NetworkMode = "none" }},
	{"disableNetworking", func(in *SpecInput) {
		specBridge(in)
		in.Container.DisableNetworking = true
		in.Container.PortMappings = []ecs.PortMapping{{ContainerPort: 80}}
	}, func(o *specOut) { o.Host.NetworkMode = "none" }},
	{"hostname with bridge", func(in *SpecInput) { specBridge(in); in.Container.Hostname = "web-1" },
		func(o *specOut) { specBridgeOut(o); o.Cfg.Hostname = "web-1" }},
	{"hostname not with awsvpc", func(in *SpecInput) { in.Container.Hostname = "web-1" }, func(*specOut) {}},
	{"hostname not with host", func(in *SpecInput) { in.NetworkMode, in.Container.Hostname = ecs.NetworkModeHost, "web-1" },
		func(o *specOut) { o.Host.NetworkMode = "host" }},
	{"extraHosts, dnsServers and dnsSearchDomains with bridge", func(in *SpecInput) {
		specBridge(in)
		in.Container.ExtraHosts = []ecs.HostEntry{{Hostname: "db", IPAddress: "10.0.0.5"}, {Hostname: "v6", IPAddress: "fd00::1"}}
		in.Container.DNSServers = []string{"10.0.0.2"}
		in.Container.DNSSearchDomains = []string{"svc.local"}
	}, func(o *specOut) {
		specBridgeOut(o)
		o.Host.ExtraHosts = []string{"db:10.0.0.5", "v6:fd00::1"}
		o.Host.DNS, o.Host.DNSSearch = []string{"10.0.0.2"}, []string{"svc.local"}
	}},
	{"extraHosts and DNS not with awsvpc: the pause container's netns has them", func(in *SpecInput) {
		in.Container.ExtraHosts = []ecs.HostEntry{{Hostname: "db", IPAddress: "10.0.0.5"}}
		in.Container.DNSServers = []string{"10.0.0.2"}
		in.Container.DNSSearchDomains = []string{"svc.local"}
	}, func(*specOut) {}},
	{"portMappings with bridge: fixed, dynamic and udp", func(in *SpecInput) {
		specBridge(in)
		in.Container.PortMappings = []ecs.PortMapping{
			{ContainerPort: 80, HostPort: 8080, Protocol: ecs.ProtocolTCP},
			{ContainerPort: 443},
			{ContainerPort: 53, HostPort: 0, Protocol: ecs.ProtocolUDP},
		}
	}, func(o *specOut) {
		specBridgeOut(o)
		o.Cfg.ExposedPorts = map[string]struct{}{"80/tcp": {}, "443/tcp": {}, "53/udp": {}}
		o.Host.PortBindings = map[string][]docker.PortBinding{
			"80/tcp": {{HostPort: "8080"}}, "443/tcp": {{HostPort: ""}}, "53/udp": {{HostPort: ""}},
		}
	}},
	{"containerPortRange with bridge: a dynamic host port each", func(in *SpecInput) {
		specBridge(in)
		in.Container.PortMappings = []ecs.PortMapping{{ContainerPortRange: "9000-9002", Protocol: ecs.ProtocolUDP}}
	}, func(o *specOut) {
		specBridgeOut(o)
		o.Cfg.ExposedPorts = map[string]struct{}{"9000/udp": {}, "9001/udp": {}, "9002/udp": {}}
		o.Host.PortBindings = map[string][]docker.PortBinding{
			"9000/udp": {{}}, "9001/udp": {{}}, "9002/udp": {{}},
		}
	}},
	{"portMappings with host: exposed, not published", func(in *SpecInput) {
		in.NetworkMode, in.PauseID = ecs.NetworkModeHost, ""
		in.Container.PortMappings = []ecs.PortMapping{{ContainerPort: 8080, HostPort: 8080}}
	}, func(o *specOut) {
		o.Host.NetworkMode = "host"
		o.Cfg.ExposedPorts = map[string]struct{}{"8080/tcp": {}}
	}},
	{"portMappings with awsvpc: the netns's own, not exposed", func(in *SpecInput) {
		in.Container.PortMappings = []ecs.PortMapping{{ContainerPort: 8080, HostPort: 8080}, {ContainerPortRange: "9000-9010"}}
	}, func(*specOut) {}},
	{"links are ignored outside bridge", func(in *SpecInput) { in.Container.Links = []string{"db:database"} }, func(*specOut) {}},
}

var specMountCases = []specCase{
	{"mountPoints on bind, volume and tmpfs volumes", func(in *SpecInput) {
		in.Volumes = map[string]VolumeSource{
			"data":  {Kind: "bind", Source: "/var/lib/quayside/volumes/t/data"},
			"cache": {Kind: "volume", Source: "quayside-t-cache"},
			"tmp":   {Kind: "tmpfs"},
		}
		in.Container.MountPoints = []ecs.MountPoint{
			{SourceVolume: "data", ContainerPath: "/data", ReadOnly: true},
			{SourceVolume: "cache", ContainerPath: "/cache"},
			{SourceVolume: "tmp", ContainerPath: "/tmp"},
		}
	}, func(o *specOut) {
		o.Host.Mounts = []docker.Mount{
			{Type: "bind", Source: "/var/lib/quayside/volumes/t/data", Target: "/data", ReadOnly: true},
			{Type: "volume", Source: "quayside-t-cache", Target: "/cache"},
			{Type: "tmpfs", Target: "/tmp"},
		}
	}},
	{"volumesFrom", func(in *SpecInput) {
		in.ContainerIDs = map[string]string{"seed": "id-seed", "conf": "id-conf"}
		in.Container.VolumesFrom = []ecs.VolumeFrom{{SourceContainer: "seed"}, {SourceContainer: "conf", ReadOnly: true}}
	}, func(o *specOut) { o.Host.VolumesFrom = []string{"id-seed", "id-conf:ro"} }},
}
