package ecsapi

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"

	"github.com/quayside/quayside/internal/ecs"
	"github.com/quayside/quayside/internal/ecs/ecsdb"
	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/protocol/awsjson"
	"github.com/quayside/quayside/internal/store"
	"github.com/quayside/quayside/internal/wire"
	"github.com/quayside/quayside/internal/wire/ecswire"
)

// Tasks. RunTask and StartTask record tasks with desiredStatus RUNNING;
// the agent starts their containers and reports lastStatus. StopTask
// sets desiredStatus STOPPED; the agent stops them.

func (a *API) mountTasks(s *awsjson.Service) {
	awsjson.Handle(s, "RunTask", a.runTask)
	awsjson.Handle(s, "StartTask", a.startTask)
	awsjson.Handle(s, "StopTask", a.stopTask)
	awsjson.Handle(s, "DescribeTasks", a.describeTasks)
	awsjson.Handle(s, "ListTasks", a.listTasks)
}

// maxClientToken is the longest RunTask client token ECS accepts.
const maxClientToken = 64

// launchParams are the members RunTask and StartTask share.
type launchParams struct {
	cluster, taskDefinition *string
	overrides               *ecswire.TaskOverride
	network                 *ecswire.NetworkConfiguration
	group, startedBy        *string
	tags                    []ecswire.Tag
	propagate               *string
	managedTags, exec       *bool
	volumes                 int
	maxStartedBy            int
}

// check validates what needs no store.
func (p launchParams) check() ([]ecs.Tag, error) {
	if p.volumes > 0 {
		return nil, fault.New(ecs.ErrUnsupportedFeature, "volumeConfigurations is not supported by Quayside yet.")
	}
	if err := ecs.ValidateStartedBy(wire.ToString(p.startedBy), p.maxStartedBy); err != nil {
		return nil, err
	}
	if ecs.PropagateTags(wire.ToString(p.propagate)) == ecs.PropagateService {
		// message not confirmed
		return nil, fault.New(ecs.ErrInvalidParameter, "The SERVICE value of propagateTags is only valid for tasks that a service starts.")
	}
	tags := tagsFromWire(p.tags)
	return tags, ecs.ValidateTags(tags)
}

// spec builds the task spec inside the transaction; the awsvpc subnets
// and security groups must exist in EC2.
func (p launchParams) spec(tx store.ReadTx, s ecsdb.Scope, c ecs.Cluster, td ecs.TaskDefinition, l launch, tags []ecs.Tag) (taskSpec, error) {
	sp, err := newTaskSpec(c, td, l, p.overrides, networkConfigFromWire(p.network))
	if err != nil {
		return sp, err
	}
	if err := checkSubnets(tx, s, sp.network); err != nil {
		return sp, err
	}
	if g := wire.ToString(p.group); g != "" {
		sp.group = g
	}
	sp.startedBy, sp.exec = wire.ToString(p.startedBy), wire.ToBool(p.exec)
	sp.tags = taskTags(td, wire.ToString(p.propagate), tags, wire.ToBool(p.managedTags), c.Name)
	return sp, sp.checkExec()
}

func (a *API) runTask(ctx context.Context, in *ecswire.RunTaskRequest) (*ecswire.RunTaskResponse, error) {
	p := launchParams{cluster: in.Cluster, taskDefinition: in.TaskDefinition, overrides: in.Overrides, network: in.NetworkConfiguration,
		group: in.Group, startedBy: in.StartedBy, tags: in.Tags, propagate: in.PropagateTags, managedTags: in.EnableECSManagedTags,
		exec: in.EnableExecuteCommand, volumes: len(in.VolumeConfigurations), maxStartedBy: ecs.MaxStartedByRunTask}
	tags, err := p.check()
	if err != nil {
		return nil, err
	}
	count := 1
	if in.Count != nil {
		count = int(*in.Count)
	}
	if count < 1 || count > ecs.MaxRunTaskCount {
		return nil, fault.Newf(ecs.ErrInvalidParameter, "count must be between 1 and %d.", ecs.MaxRunTaskCount) // message not confirmed
	}
	token := wire.ToString(in.ClientToken)
	if len(token) > maxClientToken || !printableASCII(token) {
		return nil, fault.Newf(ecs.ErrInvalidParameter, "clientToken must be at most %d characters in the range 33-126.", maxClientToken) // message not confirmed
	}
	hash := requestHash(in)
	constraints, strategy := svcConstraintsFromWire(in.PlacementConstraints), svcStrategyFromWire(in.PlacementStrategy)
	cluster, err := clusterName(ctx, in.Cluster)
	if err != nil {
		return nil, err
	}
	s := scope(ctx)
	out := &ecswire.RunTaskResponse{}
	err = a.store.Update(ctx, func(tx store.Tx) error {
		out = &ecswire.RunTaskResponse{Tasks: []ecswire.Task{}, Failures: []ecswire.Failure{}}
		c, err := activeCluster(tx, s, cluster)
		if err != nil {
			return err
		}
		if token != "" {
			done, err := a.replayRunToken(tx, s, cluster, token, hash, out)
			if done || err != nil {
				return err
			}
		}
		td, err := runnableTaskDef(ctx, tx, wire.ToString(in.TaskDefinition))
		if err != nil {
			return err
		}
		l, err := resolveLaunch(c, &td, in.LaunchType, in.CapacityProviderStrategy, in.PlatformVersion)
		if err != nil {
			return err
		}
		if err := ecs.ValidatePlacement(constraints, strategy, len(td.PlacementConstraints)); err != nil {
			return err
		}
		sp, err := p.spec(tx, s, c, td, l, tags)
		if err != nil {
			return err
		}
		now := a.now()
		tasks := make([]ecs.Task, 0, count)
		for i := range count {
			tasks = append(tasks, a.buildTask(s, sp, i, "", now))
		}
		if a.placer != nil {
			var failures []PlacementFailure
			tasks, failures, err = a.placer.Place(ctx, tx, PlacementRequest{Scope: s, Cluster: c, TaskDefinition: td, Tasks: tasks,
				Constraints: constraints, Strategy: strategy, CapacityProviderStrategy: l.strategy})
			if err != nil {
				return err
			}
			for _, f := range failures {
				out.Failures = append(out.Failures, ecswire.Failure{Arn: optString(f.ARN), Reason: wire.String(f.Reason), Detail: optString(f.Detail)})
			}
		}
		ids := make([]string, 0, len(tasks))
		for _, t := range tasks {
			if err := ecsdb.PutTask(tx, s, cluster, t); err != nil {
				return err
			}
			ids = append(ids, t.ID)
			out.Tasks = append(out.Tasks, taskToWire(t, true))
		}
		if token == "" {
			return nil
		}
		return ecsdb.PutRunToken(tx, s, cluster, ecsdb.RunToken{Token: token, RequestHash: hash, TaskIDs: ids, CreatedAt: now})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// replayRunToken answers a RunTask retry: the same token with the same
// parameters returns the tasks the first call started; with other
// parameters it is a ConflictException.
func (a *API) replayRunToken(tx store.ReadTx, s ecsdb.Scope, cluster, token, hash string, out *ecswire.RunTaskResponse) (bool, error) {
	rt, err := ecsdb.GetRunToken(tx, s, cluster, token)
	if ecsdb.IsNotFound(err) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if rt.RequestHash != hash {
		// message not confirmed
		return true, fault.New(ecs.ErrConflict, "The clientToken is already in use with a different RunTask request. Use a unique clientToken, or retry with the original parameters.")
	}
	for _, id := range rt.TaskIDs {
		t, err := ecsdb.GetTask(tx, s, cluster, id)
		if ecsdb.IsNotFound(err) {
			continue // reaped since
		}
		if err != nil {
			return true, err
		}
		out.Tasks = append(out.Tasks, taskToWire(t, true))
	}
	return true, nil
}

// requestHash identifies a RunTask call's parameters, without its token.
func requestHash(in *ecswire.RunTaskRequest) string {
	c := *in
	c.ClientToken = nil
	b, _ := json.Marshal(c)
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 33 || s[i] > 126 {
			return false
		}
	}
	return true
}

func (a *API) startTask(ctx context.Context, in *ecswire.StartTaskRequest) (*ecswire.StartTaskResponse, error) {
	p := launchParams{cluster: in.Cluster, taskDefinition: in.TaskDefinition, overrides: in.Overrides, network: in.NetworkConfiguration,
		group: in.Group, startedBy: in.StartedBy, tags: in.Tags, propagate: in.PropagateTags, managedTags: in.EnableECSManagedTags,
		exec: in.EnableExecuteCommand, volumes: len(in.VolumeConfigurations), maxStartedBy: ecs.MaxStartedByStartTask}
	tags, err := p.check()
	if err != nil {
		return nil, err
	}
	if n := len(in.ContainerInstances); n == 0 || n > ecs.MaxStartTaskInstances {
		return nil, fault.Newf(ecs.ErrInvalidParameter, "containerInstances must contain between 1 and %d container instances.", ecs.MaxStartTaskInstances) // message not confirmed
	}
	cluster, err := clusterName(ctx, in.Cluster)
	if err != nil {
		return nil, err
	}
	s := scope(ctx)
	var out *ecswire.StartTaskResponse
	err = a.store.Update(ctx, func(tx store.Tx) error {
		out = &ecswire.StartTaskResponse{Tasks: []ecswire.Task{}, Failures: []ecswire.Failure{}}
		c, err := activeCluster(tx, s, cluster)
		if err != nil {
			return err
		}
		td, err := runnableTaskDef(ctx, tx, wire.ToString(in.TaskDefinition))
		if err != nil {
			return err
		}
		ec2 := string(ecs.LaunchTypeEC2)
		l, err := resolveLaunch(c, &td, &ec2, nil, nil)
		if err != nil {
			return err
		}
		sp, err := p.spec(tx, s, c, td, l, tags)
		if err != nil {
			return err
		}
		now := a.now()
		for i, ref := range in.ContainerInstances {
			ci, err := a.instanceByRef(tx, s, cluster, ref)
			var fe *fault.Error
			if errors.As(err, &fe) {
				out.Failures = append(out.Failures, missing(instanceARNOf(s, cluster, ref)))
				continue
			}
			if err != nil {
				return err
			}
			t := a.buildTask(s, sp, i, ci.ARN, now)
			if az := instanceAZ(ci); az != "" {
				t.AvailabilityZone = az
			}
			if err := setZone(tx, s, &t, nil); err != nil { // an awsvpc task is in its subnet's zone
				return err
			}
			if err := ecsdb.PutTask(tx, s, cluster, t); err != nil {
				return err
			}
			out.Tasks = append(out.Tasks, taskToWire(t, true))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
