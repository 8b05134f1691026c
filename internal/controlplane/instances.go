package controlplane

import (
	"runtime"
	"sort"
	"strconv"

	"github.com/quayside/quayside/internal/ecs"
	"github.com/quayside/quayside/internal/ecs/ecsapi"
	"github.com/quayside/quayside/internal/ecs/ecsdb"
	"github.com/quayside/quayside/internal/store"
)

// InstanceSource shows every registered agent as a container instance of
// every cluster, with the resources it has left, as ECS shows an EC2
// container instance.
type InstanceSource struct{}

var _ ecsapi.InstanceSource = InstanceSource{}

// Instances implements ecsapi.InstanceSource.
func (InstanceSource) Instances(tx store.ReadTx, s ecsdb.Scope, cluster string) ([]ecs.ContainerInstance, error) {
	caps, err := capacities(tx)
	if err != nil {
		return nil, err
	}
	out := make([]ecs.ContainerInstance, 0, len(caps))
	for _, c := range caps {
		in := c.inst
		ports := make([]string, 0, len(c.ports))
		for p := range c.ports {
			ports = append(ports, strconv.Itoa(p))
		}
		sort.Strings(ports)
		out = append(out, ecs.ContainerInstance{
			ARN: ecs.ContainerInstanceARN(s.Region, s.Account, cluster, in.ID), ID: in.ID, EC2InstanceID: ecs.EC2InstanceID(in.ID),
			ClusterARN: ecs.ClusterARN(s.Region, s.Account, cluster),
			Version:    1, VersionInfo: ecs.VersionInfo{AgentVersion: in.AgentVersion, DockerVersion: in.DockerVersion},
			RegisteredResources: resources(in.CPU, in.MemoryMiB, nil),
			RemainingResources:  resources(c.cpu, c.memory, ports),
			Status:              ecs.InstanceActive, AgentConnected: true, RegisteredAt: in.RegisteredAt,
			Attributes: []ecs.Attribute{
				{Name: "ecs.availability-zone", Value: s.Region + "a"},
				{Name: "ecs.os-type", Value: "linux"},
				{Name: "ecs.cpu-architecture", Value: arch()},
				{Name: "ecs.capability.task-eni"},
				{Name: "com.amazonaws.ecs.capability.docker-remote-api.1.41"},
				{Name: "ecs.capability.container-health-check"},
				{Name: "ecs.capability.secrets.ssm.environment-variables"},
				{Name: "ecs.capability.secrets.asm.environment-variables"},
				{Name: "ecs.capability.execution-role-awslogs"},
				{Name: "com.amazonaws.ecs.capability.logging-driver.awslogs"},
			},
		})
	}
	return out, nil
}

func resources(cpu, memory int, ports []string) []ecs.Resource {
	if ports == nil {
		ports = []string{}
	}
	return []ecs.Resource{
		{Name: ecs.ResourceCPU, Type: ecs.ResourceTypeInteger, IntegerValue: cpu},
		{Name: ecs.ResourceMemory, Type: ecs.ResourceTypeInteger, IntegerValue: memory},
		{Name: ecs.ResourcePorts, Type: ecs.ResourceTypeStringSet, StringSetValue: ports},
		{Name: ecs.ResourcePortsUDP, Type: ecs.ResourceTypeStringSet, StringSetValue: []string{}},
	}
}

func arch() string {
	if runtime.GOARCH == "arm64" {
		return "arm64"
	}
	return "x86_64"
}
