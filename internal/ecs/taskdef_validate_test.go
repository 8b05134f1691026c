package ecs

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/quayside/quayside/internal/fault"
)

const execRole = "arn:aws:iam::000000000000:role/ecsTaskExecutionRole"

// fargateTD is a valid Fargate task definition.
func fargateTD() *TaskDefinition {
	return &TaskDefinition{
		Family:                  "web",
		NetworkMode:             NetworkModeAWSVPC,
		RequiresCompatibilities: []Compatibility{CompatibilityFargate},
		CPU:                     "256",
		Memory:                  "512",
		ExecutionRoleARN:        execRole,
		ContainerDefinitions: []ContainerDefinition{{
			Name:         "app",
			Image:        "nginx:latest",
			Essential:    true,
			PortMappings: []PortMapping{{ContainerPort: 80, HostPort: 80, Protocol: ProtocolTCP}},
		}},
	}
}

// ec2TD is a valid EC2 (bridge mode) task definition.
func ec2TD() *TaskDefinition {
	return &TaskDefinition{
		Family: "svc",
		ContainerDefinitions: []ContainerDefinition{{
			Name: "app", Image: "busybox", Essential: true, Memory: 128,
		}},
	}
}

func healthCheck() *HealthCheck {
	return &HealthCheck{Command: []string{"CMD-SHELL", "true"}, Interval: 30 * time.Second, Timeout: 5 * time.Second, Retries: 3}
}

func intp(n int) *int { return &n }

type validateCase struct {
	name   string
	base   func() *TaskDefinition
	mutate func(td *TaskDefinition)
	kind   *fault.Kind // nil: valid
	msg    string
}

func c0(td *TaskDefinition) *ContainerDefinition { return &td.ContainerDefinitions[0] }

func sidecar(name string) ContainerDefinition {
	return ContainerDefinition{Name: name, Image: "busybox", Memory: 64}
}

func runValidateCases(t *testing.T, cases []validateCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			td := tc.base()
			if tc.mutate != nil {
				tc.mutate(td)
			}
			err := td.Validate()
			if tc.kind == nil {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Validate() = nil, want %v %q", tc.kind, tc.msg)
			}
			if !errors.Is(err, tc.kind) {
				t.Errorf("Validate() kind = %v, want %v", err, tc.kind)
			}
			if msg, _ := fault.Message(err); msg != tc.msg {
				t.Errorf("Validate() message\n got %q\nwant %q", msg, tc.msg)
			}
		})
	}
}

func TestValidateTaskLevel(t *testing.T) {
	runValidateCases(t, []validateCase{
		{name: "valid fargate", base: fargateTD},
		{name: "valid ec2", base: ec2TD},
		{name: "valid vCPU and GB strings", base: fargateTD, mutate: func(td *TaskDefinition) { td.CPU, td.Memory = "1 vCPU", "2 GB" }},
		{name: "family blank", base: ec2TD, mutate: func(td *TaskDefinition) { td.Family = "" },
			kind: ErrClient, msg: "Family can not be blank."},
		{name: "family invalid characters", base: ec2TD, mutate: func(td *TaskDefinition) { td.Family = "my.family" },
			kind: ErrClient, msg: "Family contains invalid characters."},
		{name: "family too long", base: ec2TD, mutate: func(td *TaskDefinition) { td.Family = strings.Repeat("f", 256) },
			kind: ErrClient, msg: "Family can be at most 255 characters long."},
		{name: "family of 255 characters", base: ec2TD, mutate: func(td *TaskDefinition) { td.Family = strings.Repeat("f", 255) }},
		{name: "no containers", base: ec2TD, mutate: func(td *TaskDefinition) { td.ContainerDefinitions = nil },
			kind: ErrClient, msg: "Container list cannot be empty."},
		{name: "ten containers", base: ec2TD, mutate: func(td *TaskDefinition) {
			for i := 1; i < 10; i++ {
				td.ContainerDefinitions = append(td.ContainerDefinitions, sidecar("s"+string(rune('a'+i))))
			}
		}},
		{name: "eleven containers", base: ec2TD, mutate: func(td *TaskDefinition) {
			for i := 1; i < 11; i++ {
				td.ContainerDefinitions = append(td.ContainerDefinitions, sidecar("s"+string(rune('a'+i))))
			}
		}, kind: ErrClient, msg: "Too many containers."},
		{name: "network mode enum", base: ec2TD, mutate: func(td *TaskDefinition) { td.NetworkMode = "overlay" },
			kind: ErrInvalidParameter, msg: "Value at 'networkMode' failed to satisfy constraint: Member must satisfy enum value set: [bridge, host, awsvpc, none]"},
		{name: "requires compatibilities enum", base: ec2TD, mutate: func(td *TaskDefinition) { td.RequiresCompatibilities = []Compatibility{"LAMBDA"} },
			kind: ErrInvalidParameter, msg: "Value at 'requiresCompatibilities.1' failed to satisfy constraint: Member must satisfy enum value set: [EC2, FARGATE, EXTERNAL, MANAGED_INSTANCES]"},
		{name: "pid mode enum", base: ec2TD, mutate: func(td *TaskDefinition) { td.PIDMode = "container" },
			kind: ErrInvalidParameter, msg: "Value at 'pidMode' failed to satisfy constraint: Member must satisfy enum value set: [host, task]"},
		{name: "ipc mode enum", base: ec2TD, mutate: func(td *TaskDefinition) { td.IPCMode = "shareable" },
			kind: ErrInvalidParameter, msg: "Value at 'ipcMode' failed to satisfy constraint: Member must satisfy enum value set: [host, task, none]"},
		{name: "cpu architecture enum", base: ec2TD, mutate: func(td *TaskDefinition) { td.RuntimePlatform.CPUArchitecture = "RISCV" },
			kind: ErrInvalidParameter, msg: "Value at 'runtimePlatform.cpuArchitecture' failed to satisfy constraint: Member must satisfy enum value set: [X86_64, ARM64]"},
		{name: "cpu not a number", base: ec2TD, mutate: func(td *TaskDefinition) { td.CPU = "lots" },
			kind: ErrClient, msg: "Invalid 'cpu' setting for task."},
		{name: "cpu below EC2 minimum", base: ec2TD, mutate: func(td *TaskDefinition) { td.CPU = "64" },
			kind: ErrClient, msg: "Invalid 'cpu' setting for task."},
		{name: "cpu above EC2 maximum", base: ec2TD, mutate: func(td *TaskDefinition) { td.CPU = "196609" },
			kind: ErrClient, msg: "Invalid 'cpu' setting for task."},
		{name: "memory not a number", base: ec2TD, mutate: func(td *TaskDefinition) { td.Memory = "2 TB" },
			kind: ErrClient, msg: "Invalid 'memory' setting for task."},
		{name: "ephemeral storage too small", base: fargateTD, mutate: func(td *TaskDefinition) { td.EphemeralStorageGiB = 20 },
			kind: ErrClient, msg: "The ephemeral storage size must be between 21 and 200 GiB."},
		{name: "ephemeral storage too large", base: fargateTD, mutate: func(td *TaskDefinition) { td.EphemeralStorageGiB = 201 },
			kind: ErrClient, msg: "The ephemeral storage size must be between 21 and 200 GiB."},
		{name: "ephemeral storage bounds", base: fargateTD, mutate: func(td *TaskDefinition) { td.EphemeralStorageGiB = 200 }},
		{name: "placement constraint memberOf", base: ec2TD, mutate: func(td *TaskDefinition) {
			td.PlacementConstraints = []PlacementConstraint{{Type: PlacementConstraintMemberOf, Expression: "attribute:ecs.os-type == linux"}}
		}},
		{name: "placement constraint distinctInstance", base: ec2TD, mutate: func(td *TaskDefinition) {
			td.PlacementConstraints = []PlacementConstraint{{Type: PlacementConstraintDistinctInstance}}
		}, kind: ErrInvalidParameter, msg: "Value at 'placementConstraints.1.type' failed to satisfy constraint: Member must satisfy enum value set: [memberOf]"},
		{name: "placement constraint that does not parse", base: ec2TD, mutate: func(td *TaskDefinition) {
			td.PlacementConstraints = []PlacementConstraint{{Type: PlacementConstraintMemberOf, Expression: "attribute:ecs.os-type == linux and"}}
		}, kind: ErrClient, msg: "The placement constraint expression is invalid: expected a subject but found end of expression at character 35."},
		{name: "placement constraint without expression", base: ec2TD, mutate: func(td *TaskDefinition) {
			td.PlacementConstraints = []PlacementConstraint{{Type: PlacementConstraintMemberOf}}
		}, kind: ErrClient, msg: "A memberOf placement constraint requires an expression."},
		{name: "too many placement constraints", base: ec2TD, mutate: func(td *TaskDefinition) {
			for i := 0; i < 11; i++ {
				td.PlacementConstraints = append(td.PlacementConstraints, PlacementConstraint{Type: PlacementConstraintMemberOf, Expression: "x"})
			}
		}, kind: ErrClient, msg: "Too many placement constraints: a task can have at most 10."},
		{name: "proxy names missing container", base: fargateTD, mutate: func(td *TaskDefinition) {
			td.ProxyConfiguration = &ProxyConfiguration{Type: ProxyConfigurationAppMesh, ContainerName: "envoy"}
		}, kind: ErrClient, msg: "The proxy configuration names container 'envoy', which is not defined in the task definition."},
		{name: "proxy names a container", base: fargateTD, mutate: func(td *TaskDefinition) {
			td.ProxyConfiguration = &ProxyConfiguration{Type: ProxyConfigurationAppMesh, ContainerName: "app"}
		}},
		{name: "inference accelerator incomplete", base: ec2TD, mutate: func(td *TaskDefinition) {
			td.InferenceAccelerators = []InferenceAccelerator{{DeviceName: "d1"}}
		}, kind: ErrClient, msg: "Inference accelerators require a deviceName and a deviceType."},
		{name: "inference accelerator duplicate", base: ec2TD, mutate: func(td *TaskDefinition) {
			td.InferenceAccelerators = []InferenceAccelerator{{DeviceName: "d1", DeviceType: "eia2.medium"}, {DeviceName: "d1", DeviceType: "eia2.medium"}}
		}, kind: ErrClient, msg: "Inference accelerator device names must be unique within a Task Definition."},
		{name: "tag with reserved prefix", base: ec2TD, mutate: func(td *TaskDefinition) { td.Tags = []Tag{{Key: "AWS:owner", Value: "x"}} },
			kind: ErrInvalidParameter, msg: "Tag keys beginning with 'aws:' are reserved for AWS use."},
		{name: "tags fine", base: ec2TD, mutate: func(td *TaskDefinition) { td.Tags = []Tag{{Key: "team", Value: "core"}, {Key: "env"}} }},
	})
}

func TestValidateFargate(t *testing.T) {
	runValidateCases(t, []validateCase{
		{name: "bridge network mode", base: fargateTD, mutate: func(td *TaskDefinition) { td.NetworkMode = NetworkModeBridge },
			kind: ErrClient, msg: "Fargate only supports network mode 'awsvpc'."},
		{name: "default network mode", base: fargateTD, mutate: func(td *TaskDefinition) {
			td.NetworkMode = ""
			c0(td).PortMappings[0].HostPort = 0
		}, kind: ErrClient, msg: "Fargate only supports network mode 'awsvpc'."},
		{name: "no cpu", base: fargateTD, mutate: func(td *TaskDefinition) { td.CPU = "" },
			kind: ErrClient, msg: "Fargate requires that 'cpu' be defined at the task level."},
		{name: "no memory", base: fargateTD, mutate: func(td *TaskDefinition) { td.Memory = "" },
			kind: ErrClient, msg: "Fargate requires that 'memory' be defined at the task level."},
		{name: "size not in table", base: fargateTD, mutate: func(td *TaskDefinition) { td.CPU, td.Memory = "256", "4096" },
			kind: ErrClient, msg: "No Fargate configuration exists for given values."},
		{name: "size in table as strings", base: fargateTD, mutate: func(td *TaskDefinition) { td.CPU, td.Memory = "4 vCPU", "30 GB" }},
		{name: "windows needs one vCPU", base: fargateTD, mutate: func(td *TaskDefinition) {
			td.RuntimePlatform = RuntimePlatform{OperatingSystemFamily: OSFamilyWindowsServer2022Core}
		}, kind: ErrClient, msg: "No Fargate configuration exists for given values."},
		{name: "pid mode host", base: fargateTD, mutate: func(td *TaskDefinition) { td.PIDMode = PIDModeHost },
			kind: ErrClient, msg: "Tasks using the Fargate launch type do not support pidMode 'host'."},
		{name: "pid mode task", base: fargateTD, mutate: func(td *TaskDefinition) { td.PIDMode = PIDModeTask }},
		{name: "ipc mode", base: fargateTD, mutate: func(td *TaskDefinition) { td.IPCMode = IPCModeTask },
			kind: ErrClient, msg: "Tasks using the Fargate launch type do not support ipcMode."},
		{name: "placement constraints", base: fargateTD, mutate: func(td *TaskDefinition) {
			td.PlacementConstraints = []PlacementConstraint{{Type: PlacementConstraintMemberOf, Expression: "x"}}
		}, kind: ErrClient, msg: "Tasks using the Fargate launch type do not support placementConstraints."},
		{name: "privileged", base: fargateTD, mutate: func(td *TaskDefinition) { c0(td).Privileged = true },
			kind: ErrClient, msg: "Tasks using the Fargate launch type do not support privileged containers."},
		{name: "devices", base: fargateTD, mutate: func(td *TaskDefinition) {
			c0(td).LinuxParameters = &LinuxParameters{Devices: []Device{{HostPath: "/dev/fuse"}}}
		}, kind: ErrClient, msg: "Tasks using the Fargate launch type do not support devices."},
		{name: "shared memory size", base: fargateTD, mutate: func(td *TaskDefinition) {
			c0(td).LinuxParameters = &LinuxParameters{SharedMemorySize: 64}
		}, kind: ErrClient, msg: "Tasks using the Fargate launch type do not support sharedMemorySize."},
		{name: "tmpfs", base: fargateTD, mutate: func(td *TaskDefinition) {
			c0(td).LinuxParameters = &LinuxParameters{Tmpfs: []Tmpfs{{ContainerPath: "/tmp", Size: 64}}}
		}, kind: ErrClient, msg: "Tasks using the Fargate launch type do not support tmpfs."},
		{name: "max swap", base: fargateTD, mutate: func(td *TaskDefinition) {
			c0(td).LinuxParameters = &LinuxParameters{MaxSwap: intp(0)}
		}, kind: ErrClient, msg: "Tasks using the Fargate launch type do not support maxSwap."},
		{name: "capability other than SYS_PTRACE", base: fargateTD, mutate: func(td *TaskDefinition) {
			c0(td).LinuxParameters = &LinuxParameters{Capabilities: KernelCapabilities{Add: []string{"NET_ADMIN"}}}
		}, kind: ErrClient, msg: "Tasks using the Fargate launch type only support adding the SYS_PTRACE kernel capability."},
		{name: "SYS_PTRACE and drops", base: fargateTD, mutate: func(td *TaskDefinition) {
			c0(td).LinuxParameters = &LinuxParameters{Capabilities: KernelCapabilities{Add: []string{"SYS_PTRACE"}, Drop: []string{"ALL"}}, InitProcessEnabled: true}
		}},
		{name: "sysctls are allowed", base: fargateTD, mutate: func(td *TaskDefinition) {
			c0(td).SystemControls = []SystemControl{{Namespace: "net.ipv4.tcp_keepalive_time", Value: "500"}}
		}},
		{name: "docker security options", base: fargateTD, mutate: func(td *TaskDefinition) { c0(td).DockerSecurityOptions = []string{"no-new-privileges"} },
			kind: ErrClient, msg: "Tasks using the Fargate launch type do not support dockerSecurityOptions."},
		{name: "log driver", base: fargateTD, mutate: func(td *TaskDefinition) {
			c0(td).LogConfiguration = &LogConfiguration{LogDriver: LogDriverJSONFile}
		}, kind: ErrClient, msg: "Tasks using the Fargate launch type do not support log driver 'json-file'. Use awslogs, splunk or awsfirelens."},
		{name: "stop timeout too long", base: fargateTD, mutate: func(td *TaskDefinition) { c0(td).StopTimeout = 121 * time.Second },
			kind: ErrClient, msg: "Invalid 'stopTimeout' setting for container 'app'. Fargate supports values between 2 and 120 seconds."},
		{name: "stop timeout too short", base: fargateTD, mutate: func(td *TaskDefinition) { c0(td).StopTimeout = time.Second },
			kind: ErrClient, msg: "Invalid 'stopTimeout' setting for container 'app'. Fargate supports values between 2 and 120 seconds."},
		{name: "stop timeout bounds", base: fargateTD, mutate: func(td *TaskDefinition) { c0(td).StopTimeout = 120 * time.Second }},
		{name: "start timeout too long", base: fargateTD, mutate: func(td *TaskDefinition) { c0(td).StartTimeout = 180 * time.Second },
			kind: ErrClient, msg: "Invalid 'startTimeout' setting for container 'app'. Fargate supports values between 2 and 120 seconds."},
		{name: "ec2 allows long stop timeout", base: ec2TD, mutate: func(td *TaskDefinition) { c0(td).StopTimeout = 600 * time.Second }},
		{name: "gpu", base: fargateTD, mutate: func(td *TaskDefinition) {
			c0(td).ResourceRequirements = []ResourceRequirement{{Type: ResourceTypeGPU, Value: "1"}}
		}, kind: ErrClient, msg: "Tasks using the Fargate launch type do not support GPU resource requirements."},
		{name: "host source path", base: fargateTD, mutate: func(td *TaskDefinition) {
			td.Volumes = []Volume{{Name: "data", Host: &HostVolume{SourcePath: "/var/data"}}}
		}, kind: ErrClient, msg: "Fargate compatible task definitions do not support sourcePath"},
		{name: "bind mount without source path", base: fargateTD, mutate: func(td *TaskDefinition) {
			td.Volumes = []Volume{{Name: "scratch", Host: &HostVolume{}}}
			c0(td).MountPoints = []MountPoint{{SourceVolume: "scratch", ContainerPath: "/scratch"}}
		}},
		{name: "docker volume", base: fargateTD, mutate: func(td *TaskDefinition) {
			td.Volumes = []Volume{{Name: "data", DockerVolumeConfiguration: &DockerVolumeConfiguration{Scope: ScopeTask}}}
		}, kind: ErrClient, msg: "Fargate compatible task definitions do not support dockerVolumeConfiguration"},
		{name: "container memory not needed", base: fargateTD, mutate: func(td *TaskDefinition) { c0(td).Memory = 0 }},
	})
}

func TestComputeCompatibilities(t *testing.T) {
	for _, tc := range []struct {
		name string
		td   *TaskDefinition
		want string
	}{
		{"fargate", fargateTD(), "EC2,FARGATE"},
		{"ec2 bridge", ec2TD(), "EC2"},
		{"awsvpc sized for fargate without requiring it", func() *TaskDefinition {
			td := fargateTD()
			td.RequiresCompatibilities = []Compatibility{CompatibilityEC2}
			return td
		}(), "EC2,FARGATE"},
		{"external", func() *TaskDefinition {
			td := ec2TD()
			td.RequiresCompatibilities = []Compatibility{CompatibilityExternal}
			return td
		}(), "EC2,EXTERNAL"},
		{"privileged is not fargate", func() *TaskDefinition {
			td := fargateTD()
			td.RequiresCompatibilities = nil
			c0(td).Privileged = true
			return td
		}(), "EC2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, c := range tc.td.ComputeCompatibilities() {
				got = append(got, string(c))
			}
			if strings.Join(got, ",") != tc.want {
				t.Errorf("ComputeCompatibilities() = %v, want %s", got, tc.want)
			}
		})
	}
}
