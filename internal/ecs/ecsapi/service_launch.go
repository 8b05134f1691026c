package ecsapi

import (
	"context"
	"time"

	"github.com/quayside/quayside/internal/ecs"
	"github.com/quayside/quayside/internal/ecs/ecsdb"
	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/store"
)

// ServiceTasks builds count tasks of a service's deployment, exactly as
// RunTask builds tasks (group "service:<name>", startedBy the deployment
// ID, tags as the service propagates them), and places them. It writes
// nothing: the service scheduler records the tasks in its own
// transaction. Failures are the tasks placement rejected.
func (a *API) ServiceTasks(ctx context.Context, tx store.ReadTx, s ecsdb.Scope, svc ecs.Service, dep ecs.Deployment, count int, now time.Time) ([]ecs.Task, []PlacementFailure, error) {
	ref0, err := ecs.ParseClusterRef(svc.ClusterARN)
	if err != nil {
		return nil, nil, err
	}
	cluster, err := activeCluster(tx, s, ref0.Name)
	if err != nil {
		return nil, nil, err
	}
	ref, err := ecs.ParseTaskDefinitionRef(dep.TaskDefinition)
	if err != nil {
		return nil, nil, err
	}
	td, err := ecsdb.GetTaskDefinition(tx, s, ref.Family, ref.Revision)
	if ecsdb.IsNotFound(err) {
		return nil, nil, fault.New(ecs.ErrTaskDefinitionNotFound, "Unable to describe task definition.")
	}
	if err != nil {
		return nil, nil, err
	}
	l := launchOf(ecs.Service{LaunchType: dep.LaunchType, CapacityProviderStrategy: dep.CapacityProviderStrategy,
		PlatformVersion: dep.PlatformVersion, PlatformFamily: dep.PlatformFamily})
	sp, err := newTaskSpec(cluster, td, l, nil, dep.NetworkConfiguration)
	if err != nil {
		return nil, nil, err
	}
	sp.group, sp.startedBy, sp.exec = "service:"+svc.Name, dep.ID, svc.EnableExecuteCommand
	sp.tags = serviceTaskTags(svc, td, cluster.Name)
	tasks := make([]ecs.Task, 0, count)
	lb := hasTargetGroups(svc.LoadBalancers)
	for i := range count {
		t := a.buildTask(s, sp, i, "", now)
		// Behind a target group the agent waits at ACTIVATING until the
		// scheduler has registered the task, and at DEACTIVATING until
		// its targets have drained.
		t.HoldActivation, t.HoldDeactivation = lb, lb
		tasks = append(tasks, t)
	}
	if a.placer == nil {
		return tasks, nil, nil
	}
	return a.placer.Place(ctx, tx, PlacementRequest{Scope: s, Cluster: cluster, TaskDefinition: td, Tasks: tasks,
		Constraints: svc.PlacementConstraints, Strategy: svc.PlacementStrategy, CapacityProviderStrategy: l.strategy})
}

// serviceTaskTags are a service task's tags: the service's or the task
// definition's as propagateTags says, and ECS's managed tags when asked.
func serviceTaskTags(svc ecs.Service, td ecs.TaskDefinition, cluster string) []ecs.Tag {
	var tags []ecs.Tag
	switch svc.PropagateTags {
	case ecs.PropagateService:
		tags = append(tags, svc.Tags...)
	case ecs.PropagateTaskDefinition:
		tags = append(tags, td.Tags...)
	}
	if svc.EnableECSManagedTags {
		tags = append(tags, ecs.Tag{Key: "aws:ecs:clusterName", Value: cluster}, ecs.Tag{Key: "aws:ecs:serviceName", Value: svc.Name})
	}
	return tags
}

// hasTargetGroups reports whether a service registers its tasks with
// ELBv2 target groups.
func hasTargetGroups(lbs []ecs.LoadBalancer) bool {
	for _, lb := range lbs {
		if lb.TargetGroupARN != "" {
			return true
		}
	}
	return false
}
