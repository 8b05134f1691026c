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

// Placer places tasks on the cluster's container instances (the agents,
// and any instances stored for the cluster) as ECS places tasks for
// RunTask and services: it keeps the instances that meet every placement
// constraint (memberOf expressions in the cluster query language,
// distinctInstance) and have the CPU, memory and ports the task needs,
// then applies the placement strategies in order (binpack, spread,
// random). With no strategy it takes the instance with the most memory
// left. Fargate tasks take no constraints or strategies, as on ECS, where
// they do not run on container instances.
type Placer struct {
	// Intn returns a random number in [0, n) for the random strategy;
	// nil uses math/rand/v2.
	Intn func(n int) int
}

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
func (p Placer) Place(ctx context.Context, tx store.ReadTx, req ecsapi.PlacementRequest) ([]ecs.Task, []ecsapi.PlacementFailure, error) {
	cands, err := candidates(tx, req.Scope, req.Cluster.Name)
	if err != nil {
		return nil, nil, err
	}
	if len(cands) == 0 {
		return nil, nil, fault.New(ecs.ErrInvalidParameter, "No Container Instances were found in your cluster. Quayside's agent has not registered: check that Docker is running and see the quayside up log.")
	}
	r, err := newRules(req)
	if err != nil {
		return nil, nil, err
	}
	if err := observeTasks(tx, req.Scope, req.Cluster.Name, cands, r.needsTasks()); err != nil {
		return nil, nil, err
	}
	var placed []ecs.Task
	var failures []ecsapi.PlacementFailure
	for _, t := range req.Tasks {
		tr := r
		if t.LaunchType == ecs.LaunchTypeFargate {
			tr = rules{}
		}
		d := taskDemand(t, req.TaskDefinition)
		best, fail := p.choose(cands, d, t.Group, tr)
		if best == nil {
			failures = append(failures, fail)
			continue
		}
		best.reserve(d, t.Group)
		t.ContainerInstanceARN = best.ci.ARN
		if t.AvailabilityZone == "" {
			t.AvailabilityZone = best.zone(req.Scope.Region)
		}
		placed = append(placed, t)
	}
	return placed, failures, nil
}

func portsTaken(taken map[int]bool, ports []int) bool {
	for _, p := range ports {
		if taken[p] {
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
	defs := newDefCache(tx)
	err = tx.Scan(ecsdb.Tasks, "", "", func(key string, b []byte) error {
		t, err := decodeTask(b)
		if err != nil {
			return err
		}
		c := byID[InstanceID(t.ContainerInstanceARN)]
		if c == nil || t.LastStatus == ecs.TaskStopped {
			return nil
		}
		s, _, _ := ecsdb.ParseKey(key)
		d := taskDemand(t, defs.get(s, t.TaskDefinitionARN))
		c.cpu -= d.cpu
		c.memory -= d.memory
		for _, p := range d.ports {
			c.ports[p] = true
		}
		return nil
	})
	return out, err
}

// defCache loads the task definitions of tasks, each once.
type defCache struct {
	tx   store.ReadTx
	defs map[string]ecs.TaskDefinition
}

func newDefCache(tx store.ReadTx) *defCache {
	return &defCache{tx: tx, defs: map[string]ecs.TaskDefinition{}}
}

// get returns the task definition of an ARN, or an empty one when it is
// gone: the task then reserves what its own size says.
func (c *defCache) get(s ecsdb.Scope, arn string) ecs.TaskDefinition {
	td, ok := c.defs[arn]
	if !ok {
		if fam, rev, err := familyRevision(arn); err == nil {
			td, _ = ecsdb.GetTaskDefinition(c.tx, s, fam, rev)
		}
		c.defs[arn] = td
	}
	return td
}
