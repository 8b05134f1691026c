package controlplane

import (
	"context"

	"github.com/quayside/quayside/internal/agent"
	"github.com/quayside/quayside/internal/ecs"
	"github.com/quayside/quayside/internal/ecs/ecsapi"
	"github.com/quayside/quayside/internal/ecs/ecsdb"
	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/store"
)

// Placer places RunTask's tasks on registered agents by the CPU and
// memory they have left, as ECS places tasks on container instances.
type Placer struct{}

var _ ecsapi.Placer = Placer{}

// demand is what one task reserves on an instance.
type demand struct {
	cpu, memory int
	ports       []int // fixed host ports (host and bridge modes)
}

// capacity is what an agent has left.
type capacity struct {
	inst        agent.Instance
	cpu, memory int
	ports       map[int]bool
}

// taskDemand is the task-level size when there is one (Fargate), else
// the sum of the containers' reservations.
func taskDemand(t ecs.Task, td ecs.TaskDefinition) demand {
	var d demand
	cpu, cerr := ecs.ParseCPU(t.CPU)
	mem, merr := ecs.ParseMemory(t.Memory)
	for _, c := range td.ContainerDefinitions {
		if cerr != nil || t.CPU == "" {
			d.cpu += c.CPU
		}
		if merr != nil || t.Memory == "" {
			m := c.Memory
			if m == 0 {
				m = c.MemoryReservation
			}
			d.memory += m
		}
		if td.NetworkMode.Effective() != ecs.NetworkModeAWSVPC {
			for _, p := range c.PortMappings {
				if p.HostPort > 0 {
					d.ports = append(d.ports, p.HostPort)
				}
			}
		}
	}
	if cerr == nil && t.CPU != "" {
		d.cpu = cpu
	}
	if merr == nil && t.Memory != "" {
		d.memory = mem
	}
	return d
}

// Place implements ecsapi.Placer.
func (Placer) Place(ctx context.Context, tx store.ReadTx, req ecsapi.PlacementRequest) ([]ecs.Task, []ecsapi.PlacementFailure, error) {
	caps, err := capacities(tx)
	if err != nil {
		return nil, nil, err
	}
	if len(caps) == 0 {
		return nil, nil, fault.New(ecs.ErrInvalidParameter, "No Container Instances were found in your cluster. Quayside's agent has not registered: check that Docker is running and see the quayside up log.")
	}
	var placed []ecs.Task
	var failures []ecsapi.PlacementFailure
	for _, t := range req.Tasks {
		d := taskDemand(t, req.TaskDefinition)
		best, reason := choose(caps, d, req.Strategy)
		if best == nil {
			failures = append(failures, ecsapi.PlacementFailure{
				ARN:    ecs.ContainerInstanceARN(req.Scope.Region, req.Scope.Account, req.Cluster.Name, caps[0].inst.ID),
				Reason: reason,
			})
			continue
		}
		best.cpu -= d.cpu
		best.memory -= d.memory
		for _, p := range d.ports {
			best.ports[p] = true
		}
		t.ContainerInstanceARN = ecs.ContainerInstanceARN(req.Scope.Region, req.Scope.Account, req.Cluster.Name, best.inst.ID)
		if t.AvailabilityZone == "" {
			t.AvailabilityZone = req.Scope.Region + "a"
		}
		placed = append(placed, t)
	}
	return placed, failures, nil
}

// choose picks the instance for one task: with a binpack strategy the
// one with the least of the field left, otherwise the one with the most.
func choose(caps []*capacity, d demand, strategy []ecs.PlacementStrategy) (*capacity, string) {
	var best *capacity
	reason := ""
	binpack := len(strategy) > 0 && strategy[0].Type == ecs.PlacementBinpack
	for _, c := range caps {
		switch {
		case c.memory < d.memory:
			reason = "RESOURCE:MEMORY"
			continue
		case c.cpu < d.cpu:
			reason = "RESOURCE:CPU"
			continue
		case portsTaken(c, d.ports):
			reason = "RESOURCE:PORTS"
			continue
		}
		if best == nil || (binpack && c.memory < best.memory) || (!binpack && c.memory > best.memory) {
			best = c
		}
	}
	return best, reason
}

func portsTaken(c *capacity, ports []int) bool {
	for _, p := range ports {
		if c.ports[p] {
			return true
		}
	}
	return false
}

// capacities is what each agent has left after the tasks placed on it
// that have not stopped.
func capacities(tx store.ReadTx) ([]*capacity, error) {
	insts, err := Instances(tx)
	if err != nil {
		return nil, err
	}
	byID := map[string]*capacity{}
	var out []*capacity
	for _, in := range insts {
		c := &capacity{inst: in, cpu: in.CPU, memory: in.MemoryMiB, ports: map[int]bool{}}
		byID[in.ID] = c
		out = append(out, c)
	}
	defs := map[string]ecs.TaskDefinition{}
	err = tx.Scan(ecsdb.Tasks, "", "", func(key string, b []byte) error {
		t, err := decodeTask(b)
		if err != nil {
			return err
		}
		c := byID[InstanceID(t.ContainerInstanceARN)]
		if c == nil || t.LastStatus == ecs.TaskStopped {
			return nil
		}
		td, ok := defs[t.TaskDefinitionARN]
		if !ok {
			s, _, _ := ecsdb.ParseKey(key)
			fam, rev, err := familyRevision(t.TaskDefinitionARN)
			if err == nil {
				td, _ = ecsdb.GetTaskDefinition(tx, s, fam, rev)
			}
			defs[t.TaskDefinitionARN] = td
		}
		d := taskDemand(t, td)
		c.cpu -= d.cpu
		c.memory -= d.memory
		for _, p := range d.ports {
			c.ports[p] = true
		}
		return nil
	})
	return out, err
}
