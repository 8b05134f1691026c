package ecsapi

import (
	"github.com/quayside/quayside/internal/ecs"
	"github.com/quayside/quayside/internal/ecs/ecsdb"
	"github.com/quayside/quayside/internal/store"
)

// taskTally counts a cluster's live tasks by group (service:<name>) and
// by startedBy (the deployment ID of a service's task), so that
// DescribeServices can show running and pending counts without storing
// them.
type taskTally struct {
	byGroup, byStartedBy map[string][2]int // running, pending
}

func tallyTasks(tx store.ReadTx, s ecsdb.Scope, cluster string) (taskTally, error) {
	t := taskTally{byGroup: map[string][2]int{}, byStartedBy: map[string][2]int{}}
	err := ecsdb.ScanTasks(tx, s, cluster, "", func(task ecs.Task) error {
		i := -1
		switch {
		case task.LastStatus == ecs.TaskRunning:
			i = 0
		case task.LastStatus.Rank() >= 0 && task.LastStatus.Rank() < ecs.TaskRunning.Rank():
			i = 1
		}
		if i < 0 {
			return nil
		}
		g := t.byGroup[task.Group]
		g[i]++
		t.byGroup[task.Group] = g
		if task.StartedBy != "" {
			d := t.byStartedBy[task.StartedBy]
			d[i]++
			t.byStartedBy[task.StartedBy] = d
		}
		return nil
	})
	return t, err
}

// of returns the counts of one service and its deployments.
func (t taskTally) of(svc ecs.Service) serviceCounts {
	g := t.byGroup[serviceGroup(svc.Name)]
	n := serviceCounts{running: g[0], pending: g[1], deployments: map[string][2]int{}}
	for _, d := range svc.Deployments {
		n.deployments[d.ID] = t.byStartedBy[d.ID]
	}
	return n
}

// serviceGroup is the task group of a service's tasks.
func serviceGroup(name string) string { return "service:" + name }
