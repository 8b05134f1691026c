package scheduler

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"time"

	"github.com/quayside/quayside/internal/ecs"
)

// dropFinished removes older deployments whose every task has stopped:
// ECS shows only the PRIMARY and the ACTIVE deployments that still run.
func (d *decider) dropFinished() {
	kept := d.svc.Deployments[:0]
	for _, dep := range d.svc.Deployments {
		if dep.Status != ecs.DeploymentPrimary && !d.hasTasks(dep.ID) {
			continue
		}
		kept = append(kept, dep)
	}
	d.svc.Deployments = kept
}

// hasTasks reports whether a deployment has tasks that are not STOPPED
// or that this plan starts.
func (d *decider) hasTasks(id string) bool {
	for _, v := range d.byDep[id] {
		if v.task.LastStatus != ecs.TaskStopped {
			return true
		}
	}
	for _, l := range d.plan.Launch {
		if l.DeploymentID == id {
			return true
		}
	}
	return false
}

// count sets each deployment's desired, running and pending counts as
// they will be once the plan is applied.
func (d *decider) count() {
	want := d.desired()
	for i := range d.svc.Deployments {
		dep := &d.svc.Deployments[i]
		running, pending, live := 0, 0, 0
		for _, v := range d.byDep[dep.ID] {
			if v.task.LastStatus == ecs.TaskStopped {
				continue
			}
			if v.task.LastStatus == ecs.TaskRunning {
				running++
			} else if v.task.LastStatus.Rank() < ecs.TaskRunning.Rank() {
				pending++
			}
			if v.live && !d.stopped[v.task.ID] {
				live++
			}
		}
		desired := live
		if dep.Status == ecs.DeploymentPrimary {
			desired = want
		}
		if dep.DesiredCount != desired || dep.RunningCount != running || dep.PendingCount != pending {
			dep.DesiredCount, dep.RunningCount, dep.PendingCount = desired, running, pending
			dep.UpdatedAt = d.in.Now
		}
	}
}

// complete marks the PRIMARY COMPLETED once it runs the desired count of
// healthy tasks and nothing else runs.
func (d *decider) complete() {
	p := d.primary()
	if p == nil || p.RolloutState != ecs.RolloutInProgress || len(d.svc.Deployments) != 1 ||
		len(d.plan.Launch) > 0 || len(d.plan.Stop) > 0 {
		return
	}
	live, healthy := 0, 0
	for _, v := range d.byDep[p.ID] {
		if v.task.LastStatus != ecs.TaskStopped {
			live++
		}
		if v.healthy {
			healthy++
		}
	}
	want := d.desired()
	if live != want || healthy != want {
		return
	}
	p.RolloutState = ecs.RolloutCompleted
	p.RolloutStateReason = fmt.Sprintf("ECS deployment %s completed.", p.ID)
	p.UpdatedAt = d.in.Now
	done := *p
	done.Counted, done.SeenHealthy = nil, nil
	d.svc.LastCompleted = &done
	d.event(ecs.EventDeploymentCompleted(d.svc.Name, p.ID))
}

// steady posts the steady-state event when the service becomes steady,
// and again every SteadyEvery while it stays so.
func (d *decider) steady() {
	p := d.primary()
	steady := p != nil && len(d.svc.Deployments) == 1 && p.RolloutState == ecs.RolloutCompleted &&
		p.RunningCount == d.desired() && p.PendingCount == 0 && len(d.plan.Launch) == 0 && len(d.plan.Stop) == 0
	if !steady || d.svc.Status != ecs.ServiceActive {
		d.svc.SteadyEventAt = time.Time{}
		return
	}
	if d.svc.SteadyEventAt.IsZero() || !d.in.Now.Before(d.svc.SteadyEventAt.Add(d.in.SteadyEvery)) {
		d.event(ecs.EventSteadyState(d.svc.Name))
		d.svc.SteadyEventAt = d.in.Now
	}
	d.wake(d.svc.SteadyEventAt.Add(d.in.SteadyEvery))
}

// drain finishes a deleted service: once its tasks have stopped it is
// INACTIVE.
func (d *decider) drain() {
	if d.svc.Status != ecs.ServiceDraining {
		return
	}
	for _, views := range d.byDep {
		for _, v := range views {
			if v.task.LastStatus != ecs.TaskStopped {
				return
			}
		}
	}
	d.svc.Status = ecs.ServiceInactive
}

// cloneService copies what Decide changes in a service (its deployments
// and their books, and the last completed deployment), so that Decide
// never changes its input.
func cloneService(s ecs.Service) ecs.Service {
	out := s
	out.Deployments = make([]ecs.Deployment, len(s.Deployments))
	for i, d := range s.Deployments {
		d.Counted, d.SeenHealthy = slices.Clone(d.Counted), slices.Clone(d.SeenHealthy)
		out.Deployments[i] = d
	}
	if s.LastCompleted != nil {
		lc := *s.LastCompleted
		out.LastCompleted = &lc
	}
	return out
}

func equalService(a, b ecs.Service) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return reflect.DeepEqual(ja, jb)
}
