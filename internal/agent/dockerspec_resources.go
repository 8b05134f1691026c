// This file maps a container's CPU, memory, Linux parameters, kernel
// parameters and namespaces for ContainerSpec.
//
// Docker has no task-level cgroup, so task-level sizes (required on
// Fargate) are applied to each container:
//
//   - memory: a container without a hard limit of its own gets the task's
//     memory as its hard limit, so no container can use more than the
//     whole task. The task's containers together may still use up to
//     n × the task's memory, where Fargate would stop them at 1 ×.
//   - cpu: each container gets NanoCPUs = task cpu / 1024 CPUs, a quota
//     on the container rather than on the task; together they may use
//     up to n × the task's CPU. Container cpu units still become
//     CpuShares (at least 2, at most 262144, as the ECS agent passes
//     them), a weight relative to every container on the host rather
//     than to the task's other containers.
//   - swap: Fargate has no swap, so a FARGATE task's containers get
//     MemorySwap = Memory unless linuxParameters.maxSwap says otherwise.

package agent

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/quayside/quayside/internal/docker"
	"github.com/quayside/quayside/internal/ecs"
	"github.com/quayside/quayside/internal/fault"
)

// CPU share bounds of the Linux kernel, which the ECS agent applies to
// container cpu units.
const (
	specMinCPUShares = 2
	specMaxCPUShares = 262144
)

// specDefaultSwappiness is the swappiness ECS uses when maxSwap is set
// and swappiness is not.
const specDefaultSwappiness = 60

// specIPCSysctls are the IPC-namespace kernel parameters, besides those
// under fs.mqueue.
var specIPCSysctls = []string{
	"kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem",
	"kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced",
}

// specCheckResources rejects resource requirements this host cannot
// meet: there are no GPUs or inference accelerators here.
func specCheckResources(c *ecs.ContainerDefinition, o *ecs.ContainerOverride) error {
	reqs := c.ResourceRequirements
	if o != nil && len(o.ResourceRequirements) > 0 {
		reqs = o.ResourceRequirements
	}
	for _, r := range reqs {
		switch r.Type {
		case ecs.ResourceTypeGPU:
			if r.Value == "0" {
				continue
			}
			return fault.Newf(ecs.ErrUnsupportedFeature,
				"Container '%s' requires %s GPU(s), but Quayside container instances have no GPUs.", c.Name, r.Value)
		case ecs.ResourceTypeInferenceAccelerator:
			return fault.Newf(ecs.ErrUnsupportedFeature,
				"Container '%s' requires inference accelerator '%s', but Quayside container instances have none.", c.Name, r.Value)
		}
	}
	return nil
}

// specResources sets the container's memory, CPU and swap limits.
func specResources(in SpecInput, host *docker.HostConfig) {
	c := &in.Container
	mem, res, cpu := c.Memory, c.MemoryReservation, c.CPU
	if o := in.Override; o != nil {
		if o.Memory != nil {
			mem = *o.Memory
		}
		if o.MemoryReservation != nil {
			res = *o.MemoryReservation
		}
		if o.CPU != nil {
			cpu = *o.CPU
		}
	}
	if mem <= 0 {
		mem = specTaskMemory(in)
	}
	host.Memory = specMiB(mem)
	host.MemoryReservation = specMiB(res)
	host.CPUShares = int64(min(max(cpu, specMinCPUShares), specMaxCPUShares))
	if units := specTaskCPU(in); units > 0 {
		nano := int64(units) * 1e9 / ecs.CPUUnitsPerVCPU
		if in.HostCPUs > 0 {
			nano = min(nano, int64(in.HostCPUs)*1e9)
		}
		host.NanoCPUs = nano
	}
	lp := c.LinuxParameters
	switch {
	case lp != nil && lp.MaxSwap != nil:
		// Docker's MemorySwap is memory plus swap, and needs a hard
		// limit; a container with only a reservation keeps the host's
		// swap setting.
		if host.Memory > 0 {
			host.MemorySwap = host.Memory + specMiB(*lp.MaxSwap)
		}
		swappiness := int64(specDefaultSwappiness)
		if lp.Swappiness != nil {
			swappiness = int64(min(max(*lp.Swappiness, 0), 100))
		}
		host.MemorySwappiness = &swappiness
	case in.Task.LaunchType == ecs.LaunchTypeFargate && host.Memory > 0:
		host.MemorySwap = host.Memory
	}
}

// specTaskMemory is the task's memory in MiB (the task override's, else
// the definition's), or 0 when the task has no task-level memory.
func specTaskMemory(in SpecInput) int {
	if n, err := ecs.ParseMemory(in.Task.Overrides.Memory); err == nil {
		return n
	}
	if in.TaskDef.MemoryMiB > 0 {
		return in.TaskDef.MemoryMiB
	}
	if n, err := ecs.ParseMemory(in.TaskDef.Memory); err == nil {
		return n
	}
	return 0
}

// specTaskCPU is the task's CPU units (the task override's, else the
// definition's), or 0 when the task has no task-level cpu.
func specTaskCPU(in SpecInput) int {
	if n, err := ecs.ParseCPU(in.Task.Overrides.CPU); err == nil {
		return n
	}
	if in.TaskDef.CPUUnits > 0 {
		return min(in.TaskDef.CPUUnits, math.MaxInt32)
	}
	if n, err := ecs.ParseCPU(in.TaskDef.CPU); err == nil {
		return n
	}
	return 0
}

// specMiB converts MiB to bytes; 0 for unset (or negative) sizes.
func specMiB(n int) int64 {
	if n <= 0 {
		return 0
	}
	return min(int64(n), math.MaxInt64>>20) << 20
}

// specLinux maps linuxParameters and systemControls.
func specLinux(in SpecInput, host *docker.HostConfig) error {
	c := &in.Container
	host.Sysctls = specSysctls(c.SystemControls, in.NetworkMode.Effective())
	lp := c.LinuxParameters
	// Init is always explicit, so that a daemon configured with
	// "init": true does not add one that ECS would not.
	init := lp != nil && lp.InitProcessEnabled
	host.Init = &init
	if lp == nil {
		return nil
	}
	for _, d := range lp.Devices {
		perms := ""
		for _, p := range d.Permissions {
			perms += map[ecs.DeviceCgroupPermission]string{"read": "r", "write": "w", "mknod": "m"}[p]
		}
		if perms == "" {
			perms = "rwm"
		}
		target := d.ContainerPath
		if target == "" {
			target = d.HostPath
		}
		host.Devices = append(host.Devices, docker.DeviceMapping{PathOnHost: d.HostPath, PathInContainer: target, CgroupPermissions: perms})
	}
	host.CapAdd = specCapabilities(lp.Capabilities.Add)
	host.CapDrop = specCapabilities(lp.Capabilities.Drop)
	host.ShmSize = specMiB(lp.SharedMemorySize)
	for _, t := range lp.Tmpfs {
		if t.ContainerPath == "" {
			return fault.Newf(ecs.ErrClient,
				"Invalid 'linuxParameters.tmpfs' setting for container '%s'. Each tmpfs mount needs a containerPath.", c.Name)
		}
		opts := slices.Clone(t.MountOptions)
		if t.Size > 0 {
			opts = append(opts, fmt.Sprintf("size=%dm", t.Size))
		}
		if host.Tmpfs == nil {
			host.Tmpfs = map[string]string{}
		}
		host.Tmpfs[t.ContainerPath] = strings.Join(opts, ",")
	}
	return nil
}

// specCapabilities writes capabilities as every Docker version accepts
// them: upper case without the CAP_ prefix (Docker 20.10 and later also
// take CAP_NET_ADMIN; older versions only NET_ADMIN).
func specCapabilities(caps []string) []string {
	var out []string
	for _, c := range caps {
		c = strings.ToUpper(strings.TrimSpace(c))
		c = strings.TrimPrefix(c, "CAP_")
		if c != "" {
			out = append(out, c)
		}
	}
	return out
}

// specSysctls maps systemControls. With awsvpc only namespaced kernel
// parameters apply: net.* ones land in the task's shared network
// namespace (so the container started last wins, as ECS documents) and
// IPC ones in the container's IPC namespace; anything else would change
// the host, and is dropped. Other modes pass them as given; the
// definition was validated at registration.
func specSysctls(scs []ecs.SystemControl, mode ecs.NetworkMode) map[string]string {
	var out map[string]string
	for _, sc := range scs {
		if sc.Namespace == "" || mode == ecs.NetworkModeAWSVPC && !specNamespacedSysctl(sc.Namespace) {
			continue
		}
		if out == nil {
			out = map[string]string{}
		}
		out[sc.Namespace] = sc.Value
	}
	return out
}

// specNamespacedSysctl reports whether a kernel parameter belongs to a
// network or IPC namespace.
func specNamespacedSysctl(name string) bool {
	return strings.HasPrefix(name, "net.") || strings.HasPrefix(name, "fs.mqueue.") || slices.Contains(specIPCSysctls, name)
}

// specNamespaces maps the task's pidMode and ipcMode. "task" shares the
// pause container's namespace, which for IPC the pause container must
// have created with IpcMode "shareable".
func specNamespaces(in SpecInput, host *docker.HostConfig) error {
	shared := func(param string) (string, error) {
		if in.PauseID == "" {
			return "", fault.Newf(fault.Internal, "%s 'task' needs the task's pause container, and there is none", param)
		}
		return "container:" + in.PauseID, nil
	}
	var err error
	switch in.TaskDef.PIDMode {
	case ecs.PIDModeHost:
		host.PidMode = "host"
	case ecs.PIDModeTask:
		if host.PidMode, err = shared("pidMode"); err != nil {
			return err
		}
	}
	switch in.TaskDef.IPCMode {
	case ecs.IPCModeHost:
		host.IpcMode = "host"
	case ecs.IPCModeNone:
		host.IpcMode = "none"
	case ecs.IPCModeTask:
		if host.IpcMode, err = shared("ipcMode"); err != nil {
			return err
		}
	}
	return nil
}
