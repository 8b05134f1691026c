package ecs

import (
	"strconv"
	"strings"
)

// LinuxCapabilities lists the capabilities ECS accepts in
// linuxParameters.capabilities, ALL included.
var LinuxCapabilities = []string{
	"ALL", "AUDIT_CONTROL", "AUDIT_WRITE", "BLOCK_SUSPEND", "CHOWN", "DAC_OVERRIDE",
	"DAC_READ_SEARCH", "FOWNER", "FSETID", "IPC_LOCK", "IPC_OWNER", "KILL", "LEASE",
	"LINUX_IMMUTABLE", "MAC_ADMIN", "MAC_OVERRIDE", "MKNOD", "NET_ADMIN",
	"NET_BIND_SERVICE", "NET_BROADCAST", "NET_RAW", "SETFCAP", "SETGID", "SETPCAP",
	"SETUID", "SYS_ADMIN", "SYS_BOOT", "SYS_CHROOT", "SYS_MODULE", "SYS_NICE",
	"SYS_PACCT", "SYS_PTRACE", "SYS_RAWIO", "SYS_RESOURCE", "SYS_TIME",
	"SYS_TTY_CONFIG", "SYSLOG", "WAKE_ALARM",
}

// TmpfsMountOptions lists the tmpfs mount options ECS accepts.
var TmpfsMountOptions = []string{
	"defaults", "ro", "rw", "suid", "nosuid", "dev", "nodev", "exec", "noexec",
	"sync", "async", "dirsync", "remount", "mand", "nomand", "atime", "noatime",
	"diratime", "nodiratime", "bind", "rbind", "unbindable", "runbindable",
	"private", "rprivate", "shared", "rshared", "slave", "rslave", "relatime",
	"norelatime", "strictatime", "nostrictatime", "mode", "uid", "gid",
	"nr_inodes", "nr_blocks", "mpol",
}

var devicePermissions = []DeviceCgroupPermission{DevicePermissionRead, DevicePermissionWrite, DevicePermissionMknod}

func (v *tdValidator) linuxParameters(i int, c *ContainerDefinition) error {
	lp := c.LinuxParameters
	if lp == nil {
		return nil
	}
	for _, list := range [][]string{lp.Capabilities.Add, lp.Capabilities.Drop} {
		for _, capability := range list {
			if !containsValue(LinuxCapabilities, capability) {
				// message not confirmed
				return clientErr("Invalid 'linuxParameters.capabilities' setting for container '%s'. '%s' is not a valid Linux capability.", c.Name, capability)
			}
		}
	}
	for _, d := range lp.Devices {
		if d.HostPath == "" {
			return clientErr("Invalid 'linuxParameters.devices' setting for container '%s'. hostPath should not be null or empty.", c.Name) // message not confirmed
		}
		for _, p := range d.Permissions {
			if !containsValue(devicePermissions, p) {
				return enumErr(containerPath(i, "linuxParameters.devices.permissions"), devicePermissions)
			}
		}
	}
	for _, t := range lp.Tmpfs {
		if t.ContainerPath == "" || t.Size <= 0 {
			// message not confirmed
			return clientErr("Invalid 'linuxParameters.tmpfs' setting for container '%s'. Each tmpfs mount needs a containerPath and a positive size.", c.Name)
		}
		for _, o := range t.MountOptions {
			if !containsValue(TmpfsMountOptions, o) {
				return clientErr("Invalid tmpfs mount option '%s' for container '%s'.", o, c.Name) // message not confirmed
			}
		}
	}
	if lp.SharedMemorySize < 0 {
		return clientErr("Invalid 'linuxParameters.sharedMemorySize' setting for container '%s'.", c.Name) // message not confirmed
	}
	if lp.MaxSwap != nil && *lp.MaxSwap < 0 {
		return clientErr("Invalid 'linuxParameters.maxSwap' setting for container '%s'. The value must be 0 or a positive integer.", c.Name) // message not confirmed
	}
	if lp.Swappiness != nil && (*lp.Swappiness < 0 || *lp.Swappiness > 100) {
		return clientErr("Invalid 'linuxParameters.swappiness' setting for container '%s'. The value must be between 0 and 100.", c.Name) // message not confirmed
	}
	return nil
}

func (v *tdValidator) ulimits(i int, c *ContainerDefinition) error {
	seen := map[UlimitName]bool{}
	for _, u := range c.Ulimits {
		if !containsValue(UlimitNames, u.Name) {
			return enumErr(containerPath(i, "ulimits.name"), UlimitNames)
		}
		if seen[u.Name] {
			return clientErr("Duplicate ulimit '%s' in container '%s'.", u.Name, c.Name) // message not confirmed
		}
		seen[u.Name] = true
		if u.SoftLimit > u.HardLimit {
			// message not confirmed
			return clientErr("Invalid ulimit '%s' in container '%s'. The softLimit cannot be greater than the hardLimit.", u.Name, c.Name)
		}
	}
	return nil
}

// ipcSysctls are the IPC-namespace kernel parameters ECS accepts, besides
// those under fs.mqueue.
var ipcSysctls = []string{
	"kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem",
	"kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced",
}

func (v *tdValidator) systemControls(_ int, c *ContainerDefinition) error {
	for _, sc := range c.SystemControls {
		ipc := containsValue(ipcSysctls, sc.Namespace) || strings.HasPrefix(sc.Namespace, "fs.mqueue.")
		network := strings.HasPrefix(sc.Namespace, "net.")
		switch {
		case !ipc && !network:
			// message not confirmed
			return clientErr("Invalid 'systemControls' setting for container '%s'. '%s' is not a namespaced kernel parameter: use an IPC parameter (kernel.msg*, kernel.sem, kernel.shm*, fs.mqueue.*) or net.*.",
				c.Name, sc.Namespace)
		case network && v.td.NetworkMode == NetworkModeHost:
			// message not confirmed
			return clientErr("Network namespace systemControls are not supported when networkMode=host.")
		case ipc && v.td.IPCMode == IPCModeHost:
			// message not confirmed
			return clientErr("IPC namespace systemControls are not supported when ipcMode=host.")
		}
	}
	return nil
}

var resourceTypes = []ResourceType{ResourceTypeGPU, ResourceTypeInferenceAccelerator}

func (v *tdValidator) resourceRequirements(i int, c *ContainerDefinition) error {
	seen := map[ResourceType]bool{}
	for _, r := range c.ResourceRequirements {
		if !containsValue(resourceTypes, r.Type) {
			return enumErr(containerPath(i, "resourceRequirements.type"), resourceTypes)
		}
		if seen[r.Type] {
			return clientErr("Container '%s' can have only one %s resource requirement.", c.Name, r.Type) // message not confirmed
		}
		seen[r.Type] = true
		switch r.Type {
		case ResourceTypeGPU:
			if n, err := strconv.Atoi(r.Value); err != nil || n < 1 {
				// message not confirmed
				return clientErr("Invalid GPU resource requirement for container '%s'. The value must be a positive number of GPUs.", c.Name)
			}
		case ResourceTypeInferenceAccelerator:
			found := false
			for _, a := range v.td.InferenceAccelerators {
				found = found || a.DeviceName == r.Value
			}
			if !found {
				// message not confirmed
				return clientErr("Container '%s' requires inference accelerator '%s', which is not defined in the task definition.", c.Name, r.Value)
			}
		}
	}
	return nil
}

var (
	versionConsistencies = []VersionConsistency{VersionConsistencyEnabled, VersionConsistencyDisabled}
	firelensTypes        = []FirelensConfigurationType{FirelensFluentd, FirelensFluentbit}
)

// otherOptions checks the remaining container settings.
func (v *tdValidator) otherOptions(i int, c *ContainerDefinition) error {
	if c.VersionConsistency != "" && !containsValue(versionConsistencies, c.VersionConsistency) {
		return enumErr(containerPath(i, "versionConsistency"), versionConsistencies)
	}
	if f := c.FirelensConfiguration; f != nil && !containsValue(firelensTypes, f.Type) {
		return enumErr(containerPath(i, "firelensConfiguration.type"), firelensTypes)
	}
	if len(c.CredentialSpecs) > 1 {
		return clientErr("Container '%s' can have at most one credentialSpecs entry.", c.Name) // message not confirmed
	}
	for _, cs := range c.CredentialSpecs {
		if !strings.HasPrefix(cs, "credentialspec:") && !strings.HasPrefix(cs, "credentialspecdomainless:") {
			// message not confirmed
			return clientErr("Invalid 'credentialSpecs' setting for container '%s'. Use credentialspec:<ARN> or credentialspecdomainless:<ARN>.", c.Name)
		}
	}
	for _, o := range c.DockerSecurityOptions {
		if o != "no-new-privileges" && !strings.HasPrefix(o, "apparmor:") &&
			!strings.HasPrefix(o, "label:") && !strings.HasPrefix(o, "credentialspec:") {
			// message not confirmed
			return clientErr("Invalid 'dockerSecurityOptions' setting for container '%s'. Valid values are no-new-privileges, apparmor:PROFILE, label:value and credentialspec:CredentialSpecFilePath.", c.Name)
		}
	}
	if rp := c.RestartPolicy; rp != nil {
		if len(rp.IgnoredExitCodes) > MaxIgnoredExitCodes {
			return clientErr("Invalid 'restartPolicy' setting for container '%s'. You can specify at most %d ignoredExitCodes.", c.Name, MaxIgnoredExitCodes) // message not confirmed
		}
		if p := rp.RestartAttemptPeriod; p != 0 && (p < MinRestartAttemptPeriod || p > MaxRestartAttemptPeriod) {
			// message not confirmed
			return clientErr("Invalid 'restartPolicy' setting for container '%s'. restartAttemptPeriod must be between 60 and 1800 seconds.", c.Name)
		}
	}
	return nil
}
