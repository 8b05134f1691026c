package controlplane

import (
	"slices"
	"strconv"
	"strings"

	"github.com/quayside/quayside/internal/ecs"
	"github.com/quayside/quayside/internal/ecs/cql"
	"github.com/quayside/quayside/internal/ecs/ecsdb"
	"github.com/quayside/quayside/internal/store"
)

// candidate is a container instance a task may be placed on, with what
// it has left and the cluster's tasks on it.
type candidate struct {
	ci          ecs.ContainerInstance
	attrs       map[string]string
	cpu, memory int
	ports       map[int]bool
	// stored is set for an instance of the cluster's ecs.instances table,
	// whose remaining resources are counted here from the cluster's tasks;
	// an agent's come from InstanceSource, which counts every cluster's.
	stored bool
	// groups counts the cluster's tasks on the instance that have not
	// stopped, by task group; running counts those RUNNING.
	groups  map[string]int
	running int
}

// candidates are the cluster's ACTIVE stored container instances and the
// agents, as DescribeContainerInstances shows them, in ID order.
func candidates(tx store.ReadTx, s ecsdb.Scope, cluster string) ([]*candidate, error) {
	stored, err := ecsdb.ListInstances(tx, s, cluster, "", 0)
	if err != nil {
		return nil, err
	}
	agents, err := InstanceSource{}.Instances(tx, s, cluster)
	if err != nil {
		return nil, err
	}
	var out []*candidate
	for _, ci := range stored {
		if ci.Status == ecs.InstanceActive {
			c := newCandidate(ci, ci.RegisteredResources)
			c.stored = true
			out = append(out, c)
		}
	}
	for _, ci := range agents {
		out = append(out, newCandidate(ci, ci.RemainingResources))
	}
	slices.SortStableFunc(out, func(a, b *candidate) int { return strings.Compare(a.ci.ID, b.ci.ID) })
	return out, nil
}

func newCandidate(ci ecs.ContainerInstance, resources []ecs.Resource) *candidate {
	c := &candidate{ci: ci, attrs: map[string]string{}, ports: map[int]bool{}, groups: map[string]int{}}
	for _, a := range ci.Attributes {
		c.attrs[a.Name] = a.Value
	}
	for _, r := range resources {
		switch r.Name {
		case ecs.ResourceCPU:
			c.cpu = r.IntegerValue
		case ecs.ResourceMemory:
			c.memory = r.IntegerValue
		case ecs.ResourcePorts:
			for _, p := range r.StringSetValue {
				if n, err := strconv.Atoi(p); err == nil {
					c.ports[n] = true
				}
			}
		}
	}
	return c
}

// observeTasks counts the cluster's tasks that have not stopped on each
// candidate: by group and RUNNING when the rules need them, and as
// reserved resources on stored instances. It does not scan the cluster's
// tasks when neither needs them.
func observeTasks(tx store.ReadTx, s ecsdb.Scope, cluster string, cands []*candidate, forRules bool) error {
	byARN := map[string]*candidate{}
	for _, c := range cands {
		if c.stored || forRules {
			byARN[c.ci.ARN] = c
		}
	}
	if len(byARN) == 0 {
		return nil
	}
	defs := newDefCache(tx)
	return ecsdb.ScanTasks(tx, s, cluster, "", func(t ecs.Task) error {
		c := byARN[t.ContainerInstanceARN]
		if c == nil || t.LastStatus == ecs.TaskStopped {
			return nil
		}
		c.groups[t.Group]++
		if t.LastStatus == ecs.TaskRunning {
			c.running++
		}
		if c.stored {
			c.take(taskDemand(t, defs.get(s, t.TaskDefinitionARN)))
		}
		return nil
	})
}

// take subtracts a task's demand from what the instance has left.
func (c *candidate) take(d demand) {
	c.cpu -= d.cpu
	c.memory -= d.memory
	for _, p := range d.ports {
		c.ports[p] = true
	}
}

// reserve records a task of the group placed on the instance.
func (c *candidate) reserve(d demand, group string) {
	c.take(d)
	c.groups[group]++
}

// zone is the instance's Availability Zone, by default the region's first.
func (c *candidate) zone(region string) string {
	if z := c.attrs["ecs.availability-zone"]; z != "" {
		return z
	}
	return ecs.DefaultAvailabilityZone(region)
}

// view is the instance as a cluster query language expression sees it.
func (c *candidate) view() *cql.Instance {
	groups := make([]string, 0, len(c.groups))
	for g, n := range c.groups {
		if g != "" && n > 0 {
			groups = append(groups, g)
		}
	}
	return &cql.Instance{
		Attributes: c.attrs, EC2InstanceID: c.ci.EC2InstanceID, AgentConnected: c.ci.AgentConnected,
		AgentVersion: c.ci.VersionInfo.AgentVersion, RegisteredAt: c.ci.RegisteredAt,
		RunningTasksCount: c.running, TaskGroups: groups,
	}
}
