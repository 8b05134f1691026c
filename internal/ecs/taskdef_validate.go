package ecs

import (
	"fmt"
	"strings"

	"github.com/quayside/quayside/internal/ecs/cql"
	"github.com/quayside/quayside/internal/fault"
)

// Validate checks the task definition against ECS's registration rules
// and returns the first rule it breaks. Errors are ClientExceptions
// (ErrClient) unless a rule says otherwise; malformed enum values are
// InvalidParameterExceptions (ErrInvalidParameter). Messages are ECS's
// where they are known; the others are written in ECS's voice and marked
// "message not confirmed" where they are raised.
//
// Validate reads CPU and Memory (the strings as given), not CPUUnits and
// MemoryMiB, and does not modify td.
func (td *TaskDefinition) Validate() error {
	v := &tdValidator{td: td}
	for _, check := range []func() error{
		v.family,
		v.containerList,
		v.enums,
		v.size,
		v.fargateTask,
		v.volumes,
		v.containerNames,
		v.containers,
		v.essential,
		v.resourceSums,
		v.hostPorts,
		v.dependencyCycles,
		v.linkCycles,
		v.placementConstraints,
		v.proxy,
		v.inferenceAccelerators,
		v.ephemeralStorage,
		func() error { return ValidateTags(td.Tags) },
	} {
		if err := check(); err != nil {
			return err
		}
	}
	return nil
}

// tdValidator carries what the checks learn about the task definition.
type tdValidator struct {
	td              *TaskDefinition
	fargate         bool
	cpu, mem        int // parsed task size; 0 when absent
	volumeByName    map[string]*Volume
	containerByName map[string]*ContainerDefinition
}

func clientErr(format string, args ...any) error { return fault.Newf(ErrClient, format, args...) }

// enumErr reports a value outside an enum the way AWS reports model
// constraint violations.
func enumErr[T ~string](path string, allowed []T) error {
	names := make([]string, len(allowed))
	for i, a := range allowed {
		names[i] = string(a)
	}
	return fault.Newf(ErrInvalidParameter, "Value at '%s' failed to satisfy constraint: Member must satisfy enum value set: [%s]",
		path, strings.Join(names, ", "))
}

func containerPath(i int, field string) string {
	return fmt.Sprintf("containerDefinitions.%d.%s", i+1, field)
}

func (v *tdValidator) family() error {
	switch f := v.td.Family; {
	case f == "":
		return clientErr("Family can not be blank.")
	case len(f) > MaxNameLength:
		return clientErr("Family can be at most %d characters long.", MaxNameLength) // message not confirmed
	case !ValidName(f):
		return clientErr("Family contains invalid characters.")
	}
	return nil
}

func (v *tdValidator) containerList() error {
	switch n := len(v.td.ContainerDefinitions); {
	case n == 0:
		return clientErr("Container list cannot be empty.")
	case n > MaxContainersPerTaskDefinition:
		return clientErr("Too many containers.")
	}
	return nil
}

var (
	networkModes     = []NetworkMode{NetworkModeBridge, NetworkModeHost, NetworkModeAWSVPC, NetworkModeNone}
	compatibilities  = []Compatibility{CompatibilityEC2, CompatibilityFargate, CompatibilityExternal, CompatibilityManagedInstances}
	pidModes         = []PIDMode{PIDModeHost, PIDModeTask}
	ipcModes         = []IPCMode{IPCModeHost, IPCModeTask, IPCModeNone}
	cpuArchitectures = []CPUArchitecture{CPUArchitectureX86_64, CPUArchitectureARM64}
)

func (v *tdValidator) enums() error {
	td := v.td
	if td.NetworkMode != "" && !containsValue(networkModes, td.NetworkMode) {
		return enumErr("networkMode", networkModes)
	}
	for i, c := range td.RequiresCompatibilities {
		if !containsValue(compatibilities, c) {
			return enumErr(fmt.Sprintf("requiresCompatibilities.%d", i+1), compatibilities)
		}
	}
	if td.PIDMode != "" && !containsValue(pidModes, td.PIDMode) {
		return enumErr("pidMode", pidModes)
	}
	if td.IPCMode != "" && !containsValue(ipcModes, td.IPCMode) {
		return enumErr("ipcMode", ipcModes)
	}
	if a := td.RuntimePlatform.CPUArchitecture; a != "" && !containsValue(cpuArchitectures, a) {
		return enumErr("runtimePlatform.cpuArchitecture", cpuArchitectures)
	}
	if f := td.RuntimePlatform.OperatingSystemFamily; f != "" && !containsValue(OSFamilies, f) {
		return enumErr("runtimePlatform.operatingSystemFamily", OSFamilies)
	}
	v.fargate = td.Requires(CompatibilityFargate)
	return nil
}

func (v *tdValidator) size() error {
	if v.td.CPU != "" {
		n, err := ParseCPU(v.td.CPU)
		if err != nil {
			return err
		}
		if n < MinTaskCPU || n > MaxTaskCPU {
			return clientErr("Invalid 'cpu' setting for task.")
		}
		v.cpu = n
	}
	if v.td.Memory != "" {
		n, err := ParseMemory(v.td.Memory)
		if err != nil {
			return err
		}
		v.mem = n
	}
	return nil
}

func (v *tdValidator) fargateTask() error {
	if !v.fargate {
		return nil
	}
	return v.td.checkFargateTask()
}

func (v *tdValidator) essential() error {
	for i := range v.td.ContainerDefinitions {
		if v.td.ContainerDefinitions[i].Essential {
			return nil
		}
	}
	return clientErr("Task definition doesn't have any essential container.")
}

// resourceSums checks the containers' CPU and memory reservations
// against the task's size.
func (v *tdValidator) resourceSums() error {
	var cpu, reserved int
	anyReservation := false
	for i := range v.td.ContainerDefinitions {
		c := &v.td.ContainerDefinitions[i]
		cpu = satAdd(cpu, c.CPU)
		reserved = satAdd(reserved, c.ReservedMemory())
		anyReservation = anyReservation || c.MemoryReservation > 0
	}
	if v.cpu > 0 && cpu > v.cpu {
		return clientErr("The sum of all container 'cpu' values cannot be greater than the value of the task 'cpu'.")
	}
	if v.mem > 0 && reserved > v.mem {
		if anyReservation {
			return clientErr("The sum of all container 'memoryReservation' values cannot be greater than the value of the task 'memory'.")
		}
		// message not confirmed (written like the memoryReservation message)
		return clientErr("The sum of all container 'memory' values cannot be greater than the value of the task 'memory'.")
	}
	return nil
}

// satAdd adds non-negative sizes without overflowing.
func satAdd(a, b int) int {
	if b > 0 && a > maxUnits-b {
		return maxUnits + 1
	}
	return a + max(b, 0)
}

func (v *tdValidator) placementConstraints() error {
	pcs := v.td.PlacementConstraints
	if len(pcs) > MaxPlacementConstraints {
		// message not confirmed
		return clientErr("Too many placement constraints: a task can have at most %d.", MaxPlacementConstraints)
	}
	for i, pc := range pcs {
		if pc.Type != "" && pc.Type != PlacementConstraintMemberOf {
			return enumErr(fmt.Sprintf("placementConstraints.%d.type", i+1), []PlacementConstraintType{PlacementConstraintMemberOf})
		}
		if strings.TrimSpace(pc.Expression) == "" {
			// message not confirmed
			return clientErr("A memberOf placement constraint requires an expression.")
		}
		if _, err := cql.Parse(pc.Expression); err != nil {
			// message not confirmed
			return clientErr(msgInvalidExpression, err)
		}
	}
	return nil
}

func (v *tdValidator) proxy() error {
	p := v.td.ProxyConfiguration
	if p == nil {
		return nil
	}
	if p.Type != "" && p.Type != ProxyConfigurationAppMesh {
		return enumErr("proxyConfiguration.type", []ProxyConfigurationType{ProxyConfigurationAppMesh})
	}
	if _, ok := v.containerByName[p.ContainerName]; !ok {
		// message not confirmed
		return clientErr("The proxy configuration names container '%s', which is not defined in the task definition.", p.ContainerName)
	}
	return nil
}

func (v *tdValidator) inferenceAccelerators() error {
	seen := map[string]bool{}
	for _, a := range v.td.InferenceAccelerators {
		if a.DeviceName == "" || a.DeviceType == "" {
			// message not confirmed
			return clientErr("Inference accelerators require a deviceName and a deviceType.")
		}
		if seen[a.DeviceName] {
			// message not confirmed
			return clientErr("Inference accelerator device names must be unique within a Task Definition.")
		}
		seen[a.DeviceName] = true
	}
	return nil
}

func (v *tdValidator) ephemeralStorage() error {
	if n := v.td.EphemeralStorageGiB; n != 0 && (n < MinEphemeralStorageGiB || n > MaxEphemeralStorageGiB) {
		// message not confirmed
		return clientErr("The ephemeral storage size must be between %d and %d GiB.", MinEphemeralStorageGiB, MaxEphemeralStorageGiB)
	}
	return nil
}
