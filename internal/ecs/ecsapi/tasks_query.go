package ecsapi

import (
	"context"
	"strings"

	"github.com/quayside/quayside/internal/ecs"
	"github.com/quayside/quayside/internal/ecs/ecsdb"
	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/store"
	"github.com/quayside/quayside/internal/wire"
	"github.com/quayside/quayside/internal/wire/ecswire"
)

// Limits of DescribeTasks and ListTasks.
const (
	maxDescribeTasks = 100
	defaultListTasks = 100
	maxListTasks     = 100
)

// ReasonStoppedByUser is the stoppedReason of a task StopTask stops
// without a reason.
const ReasonStoppedByUser = "Task stopped by user"

// taskByRef resolves a task ID or ARN within a cluster. ok is false when
// the reference is malformed, names another cluster or region, or the
// task does not exist.
func taskByRef(tx store.ReadTx, s ecsdb.Scope, cluster, ref string) (ecs.Task, bool, error) {
	r, err := ecs.ParseTaskRef(ref)
	if err != nil || r.Check(s.Region, s.Account) != nil || r.Cluster != "" && r.Cluster != cluster {
		return ecs.Task{}, false, nil
	}
	t, err := ecsdb.GetTask(tx, s, cluster, r.ID)
	if ecsdb.IsNotFound(err) {
		return t, false, nil
	}
	return t, err == nil, err
}

func (a *API) stopTask(ctx context.Context, in *ecswire.StopTaskRequest) (*ecswire.StopTaskResponse, error) {
	cluster, err := clusterName(ctx, in.Cluster)
	if err != nil {
		return nil, err
	}
	reason := wire.ToString(in.Reason)
	if reason == "" {
		reason = ReasonStoppedByUser
	}
	s := scope(ctx)
	var out ecs.Task
	err = a.store.Update(ctx, func(tx store.Tx) error {
		if _, err := activeCluster(tx, s, cluster); err != nil {
			return err
		}
		t, ok, err := taskByRef(tx, s, cluster, wire.ToString(in.Task))
		if err != nil {
			return err
		}
		if !ok {
			return fault.New(ecs.ErrInvalidParameter, ecs.MsgTaskNotFound)
		}
		out = t
		if t.DesiredStatus == ecs.TaskStopped {
			return nil // already stopping or stopped: unchanged
		}
		t.DesiredStatus, t.StopCode, t.StoppedReason, t.StoppingAt = ecs.TaskStopped, ecs.StopUserInitiated, reason, a.now()
		t.Version++ // every change of a task bumps its version, so the agent never takes it for stale
		out = t
		return ecsdb.PutTask(tx, s, cluster, t)
	})
	if err != nil {
		return nil, err
	}
	w := taskToWire(out, false)
	return &ecswire.StopTaskResponse{Task: &w}, nil
}

func (a *API) describeTasks(ctx context.Context, in *ecswire.DescribeTasksRequest) (*ecswire.DescribeTasksResponse, error) {
	switch {
	case len(in.Tasks) == 0:
		return nil, fault.New(ecs.ErrInvalidParameter, ecs.MsgTasksEmpty)
	case len(in.Tasks) > maxDescribeTasks:
		return nil, fault.Newf(ecs.ErrInvalidParameter, "tasks can have at most %d items.", maxDescribeTasks) // message not confirmed
	}
	cluster, err := clusterName(ctx, in.Cluster)
	if err != nil {
		return nil, err
	}
	withTags := false
	for _, f := range in.Include {
		withTags = withTags || f == ecswire.TaskFieldTags
	}
	s := scope(ctx)
	out := &ecswire.DescribeTasksResponse{Tasks: []ecswire.Task{}, Failures: []ecswire.Failure{}}
	err = a.store.View(ctx, func(tx store.ReadTx) error {
		if _, err := activeCluster(tx, s, cluster); err != nil {
			return err
		}
		for _, ref := range in.Tasks {
			t, ok, err := taskByRef(tx, s, cluster, ref)
			if err != nil {
				return err
			}
			if !ok {
				out.Failures = append(out.Failures, missing(taskARNOf(s, cluster, ref)))
				continue
			}
			out.Tasks = append(out.Tasks, taskToWire(t, withTags))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// taskARNOf is the ARN a failure names for a task reference.
func taskARNOf(s ecsdb.Scope, cluster, ref string) string {
	if ecs.IsARN(ref) {
		return ref
	}
	return ecs.TaskARN(s.Region, s.Account, cluster, ref)
}

// taskFilter is ListTasks's filters.
type taskFilter struct {
	instanceID, family, startedBy, group string
	desired                              ecs.TaskStatus
	launchType                           ecs.LaunchType
	none                                 bool // a filter nothing can match
}

func (f taskFilter) match(t ecs.Task) bool {
	switch {
	case f.none, t.DesiredStatus != f.desired:
		return false
	case f.instanceID != "" && !strings.HasSuffix(t.ContainerInstanceARN, "/"+f.instanceID):
		return false
	case f.family != "" && taskFamily(t.TaskDefinitionARN) != f.family:
		return false
	case f.startedBy != "" && t.StartedBy != f.startedBy:
		return false
	case f.group != "" && t.Group != f.group:
		return false
	case f.launchType != "" && t.LaunchType != f.launchType:
		return false
	}
	return true
}

// taskFamily is the family of a task definition ARN.
func taskFamily(tdARN string) string {
	_, rest, _ := strings.Cut(tdARN, ":task-definition/")
	family, _, _ := strings.Cut(rest, ":")
	return family
}

func (a *API) listTasks(ctx context.Context, in *ecswire.ListTasksRequest) (*ecswire.ListTasksResponse, error) {
	limit, err := pageSize(in.MaxResults, defaultListTasks, maxListTasks)
	if err != nil {
		return nil, err
	}
	after, err := decodeToken(in.NextToken)
	if err != nil {
		return nil, err
	}
	cluster, err := clusterName(ctx, in.Cluster)
	if err != nil {
		return nil, err
	}
	f := taskFilter{family: wire.ToString(in.Family), startedBy: wire.ToString(in.StartedBy),
		desired: ecs.TaskStatus(wire.ToString(in.DesiredStatus)), launchType: ecs.LaunchType(wire.ToString(in.LaunchType))}
	switch f.desired {
	case "":
		f.desired = ecs.TaskRunning
	case ecs.TaskPending:
		f.none = true // ECS never sets a desired status of PENDING
	}
	if in.DaemonName != nil {
		f.none = true // Quayside has no daemons
	}
	s := scope(ctx)
	if ref := wire.ToString(in.ContainerInstance); ref != "" {
		r, err := ecs.ParseContainerInstanceRef(ref)
		if err != nil {
			return nil, err
		}
		f.instanceID = r.ID
	}
	out := &ecswire.ListTasksResponse{TaskArns: []string{}}
	err = a.store.View(ctx, func(tx store.ReadTx) error {
		if _, err := activeCluster(tx, s, cluster); err != nil {
			return err
		}
		if in.ServiceName != nil {
			svcCluster, name, err := serviceName(ctx, in.Cluster, in.ServiceName)
			if err != nil {
				return err
			}
			if _, err := ecsdb.GetService(tx, s, svcCluster, name); ecsdb.IsNotFound(err) {
				return fault.New(ecs.ErrServiceNotFound, ecs.MsgServiceNotFound)
			} else if err != nil {
				return err
			}
			f.group = serviceGroup(name)
		}
		last := ""
		return ecsdb.ScanTasks(tx, s, cluster, after, func(t ecs.Task) error {
			if len(out.TaskArns) == limit {
				out.NextToken = encodeToken(last)
				return store.ErrStop
			}
			last = t.ID
			if f.match(t) {
				out.TaskArns = append(out.TaskArns, t.ARN)
			}
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
