package ecs

import (
	"time"

	"github.com/quayside/quayside/internal/fault"
)

// fargateSize is one row of the Fargate size table: a CPU value and the
// memory values (MiB) allowed with it.
type fargateSize struct {
	cpu                int
	memMin, memMax     int
	memStep            int
	linuxOnly          bool
	explicitMemoryList []int
}

// fargateSizes is the Fargate task size table.
var fargateSizes = []fargateSize{
	{cpu: 256, explicitMemoryList: []int{512, 1024, 2048}, linuxOnly: true},
	{cpu: 512, memMin: 1024, memMax: 4096, memStep: 1024, linuxOnly: true},
	{cpu: 1024, memMin: 2048, memMax: 8192, memStep: 1024},
	{cpu: 2048, memMin: 4096, memMax: 16384, memStep: 1024},
	{cpu: 4096, memMin: 8192, memMax: 30720, memStep: 1024},
	{cpu: 8192, memMin: 16384, memMax: 61440, memStep: 4096, linuxOnly: true},
	{cpu: 16384, memMin: 32768, memMax: 122880, memStep: 8192, linuxOnly: true},
}

// FargateSizeValid reports whether Fargate offers a task of cpu units and
// memory MiB. Windows tasks need at least 1 vCPU and cannot use the 8 and
// 16 vCPU sizes.
func FargateSizeValid(cpu, memory int, windows bool) bool {
	for _, s := range fargateSizes {
		if s.cpu != cpu {
			continue
		}
		if windows && s.linuxOnly {
			return false
		}
		if s.explicitMemoryList != nil {
			for _, m := range s.explicitMemoryList {
				if m == memory {
					return true
				}
			}
			return false
		}
		return memory >= s.memMin && memory <= s.memMax && (memory-s.memMin)%s.memStep == 0
	}
	return false
}

// FargateMemoryValues returns the memory values (MiB) Fargate allows with
// cpu units on Linux, or nil when cpu is not a Fargate size.
func FargateMemoryValues(cpu int) []int {
	for _, s := range fargateSizes {
		if s.cpu != cpu {
			continue
		}
		if s.explicitMemoryList != nil {
			return append([]int(nil), s.explicitMemoryList...)
		}
		var out []int
		for m := s.memMin; m <= s.memMax; m += s.memStep {
			out = append(out, m)
		}
		return out
	}
	return nil
}

// Fargate's supported log drivers.
var fargateLogDrivers = []LogDriver{LogDriverAWSLogs, LogDriverSplunk, LogDriverAWSFirelens}

// fargateCapability is the one capability Fargate tasks may add.
const fargateCapability = "SYS_PTRACE"

// Messages of the Fargate rules. The first four and the ipcMode and
// sourcePath messages are ECS's; the rest are written in the same voice
// (messages not confirmed).
const (
	msgFargateNetworkMode = "Fargate only supports network mode 'awsvpc'."
	msgFargateCPU         = "Fargate requires that 'cpu' be defined at the task level."
	msgFargateMemory      = "Fargate requires that 'memory' be defined at the task level."
	msgFargateSize        = "No Fargate configuration exists for given values."
	msgFargateIPCMode     = "Tasks using the Fargate launch type do not support ipcMode."
	msgFargateSourcePath  = "Fargate compatible task definitions do not support sourcePath"
)

func fargateUnsupported(what string) error {
	return fault.Newf(ErrClient, "Tasks using the Fargate launch type do not support %s.", what)
}

// checkFargate applies every Fargate rule and returns the first broken
// one: the task-level rules, then each container's, then the volumes'.
func (td *TaskDefinition) checkFargate() error {
	if err := td.checkFargateTask(); err != nil {
		return err
	}
	for i := range td.ContainerDefinitions {
		if err := checkFargateContainer(&td.ContainerDefinitions[i]); err != nil {
			return err
		}
	}
	return td.checkFargateVolumes()
}

// checkFargateTask applies the task-level Fargate rules.
func (td *TaskDefinition) checkFargateTask() error {
	if td.NetworkMode != NetworkModeAWSVPC {
		return fault.New(ErrClient, msgFargateNetworkMode)
	}
	if td.CPU == "" {
		return fault.New(ErrClient, msgFargateCPU)
	}
	if td.Memory == "" {
		return fault.New(ErrClient, msgFargateMemory)
	}
	cpu, err := ParseCPU(td.CPU)
	if err != nil {
		return err
	}
	mem, err := ParseMemory(td.Memory)
	if err != nil {
		return err
	}
	if !FargateSizeValid(cpu, mem, td.IsWindows()) {
		return fault.New(ErrClient, msgFargateSize)
	}
	if td.PIDMode == PIDModeHost {
		return fargateUnsupported("pidMode 'host'")
	}
	if td.IPCMode != "" {
		return fault.New(ErrClient, msgFargateIPCMode)
	}
	if len(td.PlacementConstraints) > 0 {
		return fargateUnsupported("placementConstraints")
	}
	if len(td.InferenceAccelerators) > 0 {
		return fargateUnsupported("inferenceAccelerators")
	}
	return nil
}

// checkFargateContainer applies the container-level Fargate rules.
func checkFargateContainer(c *ContainerDefinition) error {
	if c.Privileged {
		return fargateUnsupported("privileged containers")
	}
	if len(c.DockerSecurityOptions) > 0 {
		return fargateUnsupported("dockerSecurityOptions")
	}
	if lp := c.LinuxParameters; lp != nil {
		switch {
		case len(lp.Devices) > 0:
			return fargateUnsupported("devices")
		case lp.SharedMemorySize > 0:
			return fargateUnsupported("sharedMemorySize")
		case len(lp.Tmpfs) > 0:
			return fargateUnsupported("tmpfs")
		case lp.MaxSwap != nil:
			return fargateUnsupported("maxSwap")
		case lp.Swappiness != nil:
			return fargateUnsupported("swappiness")
		}
		for _, capability := range lp.Capabilities.Add {
			if capability != fargateCapability {
				// message not confirmed
				return fault.Newf(ErrClient, "Tasks using the Fargate launch type only support adding the %s kernel capability.", fargateCapability)
			}
		}
	}
	if lc := c.LogConfiguration; lc != nil && !containsValue(fargateLogDrivers, lc.LogDriver) {
		// message not confirmed
		return fault.Newf(ErrClient, "Tasks using the Fargate launch type do not support log driver '%s'. Use awslogs, splunk or awsfirelens.", lc.LogDriver)
	}
	if lc := c.LogConfiguration; lc != nil && lc.LogDriver == LogDriverAWSLogs && lc.Options[AWSLogsStreamPrefix] == "" {
		// ECS's message, as CloudFormation relays it (aws/aws-cdk#1422):
		// a Fargate task's streams are always named prefix/container/task-id.
		return fault.Newf(ErrClient, "Fargate requires log configuration options to include %s to support log driver awslogs.", AWSLogsStreamPrefix)
	}
	if err := checkFargateTimeout(c, "startTimeout", c.StartTimeout); err != nil {
		return err
	}
	if err := checkFargateTimeout(c, "stopTimeout", c.StopTimeout); err != nil {
		return err
	}
	for _, r := range c.ResourceRequirements {
		if r.Type == ResourceTypeGPU {
			return fargateUnsupported("GPU resource requirements")
		}
	}
	return nil
}

// checkFargateTimeout checks a container timeout against Fargate's
// 2-120 s range; zero means unset.
func checkFargateTimeout(c *ContainerDefinition, field string, d time.Duration) error {
	if d != 0 && (d < MinFargateTimeout || d > MaxFargateTimeout) {
		// message not confirmed
		return fault.Newf(ErrClient, "Invalid '%s' setting for container '%s'. Fargate supports values between %d and %d seconds.",
			field, c.Name, int(MinFargateTimeout/time.Second), int(MaxFargateTimeout/time.Second))
	}
	return nil
}

// checkFargateVolumes applies the volume-level Fargate rules.
func (td *TaskDefinition) checkFargateVolumes() error {
	for _, v := range td.Volumes {
		if v.Host != nil && v.Host.SourcePath != "" {
			return fault.New(ErrClient, msgFargateSourcePath)
		}
		if v.DockerVolumeConfiguration != nil {
			// message not confirmed (written like the sourcePath message)
			return fault.New(ErrClient, "Fargate compatible task definitions do not support dockerVolumeConfiguration")
		}
	}
	return nil
}

func containsValue[T comparable](list []T, v T) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
