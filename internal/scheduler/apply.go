package scheduler

import (
	"context"
	"time"

	"github.com/quayside/quayside/internal/ecs"
	"github.com/quayside/quayside/internal/ecs/ecsdb"
	"github.com/quayside/quayside/internal/store"
)

// placementRetry is how soon a service whose tasks could not be placed
// is looked at again.
const placementRetry = 5 * time.Second

// load gathers Decide's input for a service from a transaction. ok is
// false when the service no longer exists.
func (s *Scheduler) load(tx store.ReadTx, k serviceKey, now time.Time) (in Input, ok bool, err error) {
	svc, err := ecsdb.GetService(tx, k.scope, k.cluster, k.name)
	if ecsdb.IsNotFound(err) {
		return in, false, nil
	}
	if err != nil {
		return in, false, err
	}
	in = Input{Service: svc, TaskDefs: map[string]ecs.TaskDefinition{}, Now: now, Options: s.cfg.Options,
		NewID: s.ids.DeploymentID, Instances: s.cfg.Instances(tx)}
	err = ecsdb.ScanTasks(tx, k.scope, k.cluster, "", func(t ecs.Task) error {
		if t.Group == "service:"+k.name {
			in.Tasks = append(in.Tasks, t)
		}
		return nil
	})
	if err != nil {
		return in, false, err
	}
	if in.Targets, err = loadTargets(tx, k.scope, in.Tasks); err != nil {
		return in, false, err
	}
	arns := []string{}
	for _, d := range svc.Deployments {
		arns = append(arns, d.TaskDefinition)
	}
	if svc.LastCompleted != nil {
		arns = append(arns, svc.LastCompleted.TaskDefinition)
	}
	for _, t := range in.Tasks {
		arns = append(arns, t.TaskDefinitionARN)
	}
	for _, arn := range arns {
		if _, done := in.TaskDefs[arn]; done {
			continue
		}
		ref, err := ecs.ParseTaskDefinitionRef(arn)
		if err != nil {
			continue
		}
		td, err := ecsdb.GetTaskDefinition(tx, k.scope, ref.Family, ref.Revision)
		if err == nil {
			in.TaskDefs[arn] = td
		}
	}
	return in, true, nil
}

// reconcile decides on a service and, when the plan changes anything,
// decides again inside a write transaction and applies that plan.
func (s *Scheduler) reconcile(ctx context.Context, k serviceKey) error {
	now := s.cfg.Now().UTC()
	var plan Plan
	var changed, retry bool
	err := s.cfg.Store.View(ctx, func(tx store.ReadTx) error {
		in, ok, err := s.load(tx, k, now)
		if !ok || err != nil {
			return err
		}
		plan = Decide(in)
		changed = !plan.Empty(in.Service)
		return nil
	})
	if err != nil || !changed {
		s.setWake(k, plan.Wake)
		return err
	}
	err = s.cfg.Store.Update(ctx, func(tx store.Tx) error {
		in, ok, err := s.load(tx, k, now)
		if !ok || err != nil {
			return err
		}
		plan = Decide(in)
		retry, err = s.apply(ctx, tx, k, in, plan, now)
		return err
	})
	if retry && (plan.Wake.IsZero() || plan.Wake.After(now.Add(placementRetry))) {
		plan.Wake = now.Add(placementRetry)
	}
	s.setWake(k, plan.Wake)
	return err
}

func (s *Scheduler) setWake(k serviceKey, at time.Time) {
	if at.IsZero() {
		delete(s.wakes, k)
		return
	}
	s.wakes[k] = at
}

// apply writes a plan: the stops, the new tasks, the events and the
// service record (only if it changed, so that a plan that could not be
// carried out does not wake the scheduler again through its own write).
// retry is set when tasks could not be placed: the service is looked at
// again a little later.
func (s *Scheduler) apply(ctx context.Context, tx store.Tx, k serviceKey, in Input, p Plan, now time.Time) (retry bool, err error) {
	svc := p.Service
	addEvent := func(msg string) {
		svc.AddEvent(ecs.ServiceEvent{ID: s.ids.UUID(), CreatedAt: now, Message: msg})
	}
	for _, msg := range p.Events {
		addEvent(msg)
	}
	if len(p.Stop) > 0 {
		ids := make([]string, 0, len(p.Stop))
		for _, st := range p.Stop {
			t, err := ecsdb.GetTask(tx, k.scope, k.cluster, st.TaskID)
			if err != nil {
				continue // reaped meanwhile
			}
			if t.DesiredStatus == ecs.TaskStopped {
				continue
			}
			t.DesiredStatus, t.StopCode, t.StoppedReason = ecs.TaskStopped, ecs.StopServiceSchedulerInitiated, st.Reason
			t.Version++
			if err := ecsdb.PutTask(tx, k.scope, k.cluster, t); err != nil {
				return false, err
			}
			ids = append(ids, t.ID)
		}
		if len(ids) > 0 {
			addEvent(ecs.EventStoppedTasks(svc.Name, ids))
		}
	}
	lbEvents, err := s.applyTargets(tx, k, svc, p, now)
	if err != nil {
		return false, err
	}
	for _, msg := range lbEvents {
		addEvent(msg)
	}
	for _, l := range p.Launch {
		var dep ecs.Deployment
		for _, d := range svc.Deployments {
			if d.ID == l.DeploymentID {
				dep = d
			}
		}
		tasks, failures, err := s.cfg.Launcher.ServiceTasks(ctx, tx, k.scope, svc, dep, l.Count, now)
		if err != nil {
			// The deployment cannot launch (say, its task definition was
			// deleted); say so and try again later.
			retry = true
			if msg := ecs.EventUnableToPlace(svc.Name) + " " + err.Error(); !lastEventIs(svc, msg) {
				addEvent(msg)
			}
			continue
		}
		if len(failures) > 0 {
			retry = true
			if !lastEventIs(svc, ecs.EventUnableToPlace(svc.Name)) {
				addEvent(ecs.EventUnableToPlace(svc.Name))
			}
		}
		ids := make([]string, 0, len(tasks))
		for _, t := range tasks {
			if err := ecsdb.PutTask(tx, k.scope, k.cluster, t); err != nil {
				return false, err
			}
			ids = append(ids, t.ID)
		}
		if len(ids) > 0 {
			addEvent(ecs.EventStartedTasks(svc.Name, ids))
		}
	}
	if equalService(svc, in.Service) {
		return retry, nil
	}
	if err := ecsdb.RecordServiceDeployments(tx, k.scope, k.cluster, in.Service, svc, now, s.ids.ServiceDeploymentID); err != nil {
		return retry, err
	}
	return retry, ecsdb.PutService(tx, k.scope, k.cluster, svc)
}

func lastEventIs(svc ecs.Service, msg string) bool {
	return len(svc.Events) > 0 && svc.Events[0].Message == msg
}
