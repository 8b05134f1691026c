package ecsapi

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/quayside/quayside/internal/ecs"
	"github.com/quayside/quayside/internal/ecs/ecsdb"
	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/wire/ecswire"
)

// taskSpec is what RunTask and StartTask share: everything the tasks of
// one call have in common.
type taskSpec struct {
	cluster   ecs.Cluster
	td        ecs.TaskDefinition
	launch    launch
	network   *ecs.NetworkConfiguration
	overrides ecs.TaskOverride
	group     string
	startedBy string
	tags      []ecs.Tag
	exec      bool
	// cpu and memory are the task size as ECS shows it, overrides applied.
	cpu, memory string
	ephemeral   int
}

// newTaskSpec validates the overrides and the rest of what the tasks
// need against the task definition and launch.
func newTaskSpec(c ecs.Cluster, td ecs.TaskDefinition, l launch, rawOverrides *ecswire.TaskOverride, network *ecs.NetworkConfiguration) (taskSpec, error) {
	sp := taskSpec{cluster: c, td: td, launch: l, network: network, group: "family:" + td.Family}
	if err := ecs.CheckNetworkMode(td.NetworkMode, network); err != nil {
		return sp, err
	}
	if rawOverrides != nil {
		if b, err := json.Marshal(rawOverrides); err == nil && len(b) > ecs.MaxOverridesLength {
			return sp, fault.New(ecs.ErrInvalidParameter, ecs.MsgOverridesTooLong)
		}
	}
	o := taskOverrideFromWire(rawOverrides)
	seen := map[string]bool{}
	for _, co := range o.ContainerOverrides {
		if _, ok := td.Container(co.Name); !ok {
			return sp, fault.Newf(ecs.ErrInvalidParameter, "Override for container named %s is not a container in the TaskDefinition.", co.Name)
		}
		if seen[co.Name] {
			return sp, fault.Newf(ecs.ErrInvalidParameter, "Duplicate container override for container named %s.", co.Name) // message not confirmed
		}
		seen[co.Name] = true
		if co.Memory != nil && co.MemoryReservation != nil && *co.Memory < *co.MemoryReservation {
			// message written like the task definition rule's; not confirmed
			return sp, fault.Newf(ecs.ErrClient, "Invalid setting for container '%s'. 'memory' must be greater than or equal to 'memoryReservation'.", co.Name)
		}
	}
	// ECS echoes one container override per container, in definition
	// order, with the given overrides merged in.
	var echoed []ecs.ContainerOverride
	for _, cd := range td.ContainerDefinitions {
		co := ecs.ContainerOverride{Name: cd.Name}
		for _, given := range o.ContainerOverrides {
			if given.Name == cd.Name {
				co = given
			}
		}
		echoed = append(echoed, co)
	}
	o.ContainerOverrides = echoed
	sp.overrides = o
	return sp, sp.size()
}

// size resolves the task's CPU, memory and ephemeral storage: the
// overrides if given, else the task definition's. On Fargate the pair
// must be one Fargate offers.
func (sp *taskSpec) size() error {
	cpu, mem := sp.td.CPUUnits, sp.td.MemoryMiB
	if sp.overrides.CPU != "" {
		n, err := ecs.ParseCPU(sp.overrides.CPU)
		if err != nil {
			return err
		}
		cpu = n
	}
	if sp.overrides.Memory != "" {
		n, err := ecs.ParseMemory(sp.overrides.Memory)
		if err != nil {
			return err
		}
		mem = n
	}
	fargate := sp.launch.launchType == ecs.LaunchTypeFargate
	if fargate && (sp.overrides.CPU != "" || sp.overrides.Memory != "") && !ecs.FargateSizeValid(cpu, mem, sp.td.IsWindows()) {
		return fault.New(ecs.ErrClient, "No Fargate configuration exists for given values.")
	}
	if cpu > 0 {
		sp.cpu = strconv.Itoa(cpu)
	}
	if mem > 0 {
		sp.memory = strconv.Itoa(mem)
	}
	if g := sp.overrides.EphemeralStorageGiB; g != 0 {
		if !fargate || g < ecs.MinEphemeralStorageGiB || g > ecs.MaxEphemeralStorageGiB {
			// message not confirmed
			return fault.Newf(ecs.ErrInvalidParameter, "The ephemeral storage size must be between %d and %d GiB, and is only supported on Fargate.", ecs.MinEphemeralStorageGiB, ecs.MaxEphemeralStorageGiB)
		}
		sp.ephemeral = g
	} else if fargate {
		sp.ephemeral = max(sp.td.EphemeralStorageGiB, ecs.DefaultEphemeralStorageGiB)
	}
	return nil
}

// checkExec applies ECS Exec's rule: the task needs a task role, from the
// task definition or an override.
func (sp *taskSpec) checkExec() error {
	if sp.exec && sp.td.TaskRoleARN == "" && sp.overrides.TaskRoleARN == "" {
		// message not confirmed
		return fault.New(ecs.ErrInvalidParameter, "The task definition does not have a task role. ECS Exec requires a task role in the task definition or in the overrides.")
	}
	return nil
}

// taskTags resolves a task's tags: the task definition's when
// propagateTags is TASK_DEFINITION, then the request's (which win on
// equal keys), then the ECS managed tag when asked for.
func taskTags(td ecs.TaskDefinition, propagate string, given []ecs.Tag, managed bool, cluster string) []ecs.Tag {
	var out []ecs.Tag
	if ecs.PropagateTags(propagate) == ecs.PropagateTaskDefinition {
		out = append(out, td.Tags...)
	}
	for _, t := range given {
		replaced := false
		for i := range out {
			if out[i].Key == t.Key {
				out[i], replaced = t, true
			}
		}
		if !replaced {
			out = append(out, t)
		}
	}
	if managed {
		out = append(out, ecs.Tag{Key: "aws:ecs:clusterName", Value: cluster})
	}
	return out
}

// buildTask makes one task record as RunTask or StartTask records it:
// desiredStatus RUNNING, lastStatus PROVISIONING, its containers PENDING
// and, with awsvpc, an ENI attachment in PRECREATED whose address the
// agent fills in. index spreads tasks over the subnets.
func (a *API) buildTask(s ecsdb.Scope, sp taskSpec, index int, instanceARN string, now time.Time) ecs.Task {
	id := a.ids.TaskID()
	t := ecs.Task{
		ARN: ecs.TaskARN(s.Region, s.Account, sp.cluster.Name, id), ID: id,
		ClusterARN: sp.cluster.ARN, TaskDefinitionARN: sp.td.ARN, ContainerInstanceARN: instanceARN,
		LastStatus: ecs.TaskProvisioning, DesiredStatus: ecs.TaskRunning, HealthStatus: ecs.HealthUnknown,
		CreatedAt: now, Overrides: sp.overrides, Group: sp.group, StartedBy: sp.startedBy, Tags: sp.tags,
		LaunchType: sp.launch.launchType, PlatformVersion: sp.launch.resolved, PlatformFamily: sp.launch.platformFamily,
		CapacityProviderName: sp.launch.provider(),
		CPU:                  sp.cpu, Memory: sp.memory, EphemeralStorageGiB: sp.ephemeral,
		InferenceAccelerators: sp.td.InferenceAccelerators, EnableExecuteCommand: sp.exec,
		AvailabilityZone: ecs.DefaultAvailabilityZone(s.Region), Version: 1,
	}
	if sp.launch.launchType == ecs.LaunchTypeFargate {
		arch := strings.ToLower(string(sp.td.RuntimePlatform.CPUArchitecture))
		if arch == "" {
			arch = "x86_64"
		}
		t.Attributes = []ecs.Attribute{{Name: "ecs.cpu-architecture", Value: arch}}
	}
	attachmentID := ""
	if sp.network != nil && sp.td.NetworkMode == ecs.NetworkModeAWSVPC {
		attachmentID = a.ids.UUID()
		eni := ecs.ElasticNetworkInterface{SubnetID: sp.network.Subnets[index%len(sp.network.Subnets)], NetworkInterfaceID: a.ids.ENIID()}
		network := *sp.network
		t.NetworkConfiguration = &network
		t.Attachments = []ecs.Attachment{eni.Attachment(attachmentID, ecs.AttachmentPrecreated)}
	}
	for _, cd := range sp.td.ContainerDefinitions {
		c := ecs.Container{
			ARN:  ecs.ContainerARN(s.Region, s.Account, sp.cluster.Name, id, a.ids.UUID()),
			Name: cd.Name, TaskARN: t.ARN, Image: cd.Image, LastStatus: ecs.ContainerPending,
			CPU: strconv.Itoa(cd.CPU),
		}
		mem, res := cd.Memory, cd.MemoryReservation
		for _, co := range sp.overrides.ContainerOverrides {
			if co.Name != cd.Name {
				continue
			}
			if co.CPU != nil {
				c.CPU = strconv.Itoa(*co.CPU)
			}
			if co.Memory != nil {
				mem = *co.Memory
			}
			if co.MemoryReservation != nil {
				res = *co.MemoryReservation
			}
		}
		if mem > 0 {
			c.Memory = strconv.Itoa(mem)
		}
		if res > 0 {
			c.MemoryReservation = strconv.Itoa(res)
		}
		if cd.HealthCheck != nil {
			c.HealthStatus = ecs.HealthUnknown
		}
		if attachmentID != "" {
			c.NetworkInterfaces = []ecs.NetworkInterface{{AttachmentID: attachmentID}}
		}
		t.Containers = append(t.Containers, c)
	}
	return t
}
