package scheduler

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/quayside/quayside/internal/ecs"
	"github.com/quayside/quayside/internal/ecs/ecsdb"
	"github.com/quayside/quayside/internal/elb"
	"github.com/quayside/quayside/internal/elb/elbdb"
	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/store"
)

// This file is the store side of load balancing: reading the health of
// tasks' targets for Decide, and carrying out a plan's Register,
// Deregister and Release in the scheduler's transaction, so that a task's
// record and its targets in ELBv2 never disagree.

func elbScope(s ecsdb.Scope) elb.Scope { return elb.Scope{Region: s.Region, Account: s.Account} }

// loadTargets reads the health of every registered target of the tasks,
// with one DescribeTargetHealth per target group (each one scans the
// scope's listeners and rules). A target group that no longer exists
// reads as its targets gone.
func loadTargets(tx store.ReadTx, s ecsdb.Scope, tasks []ecs.Task) (map[string][]TargetStatus, error) {
	out := map[string][]TargetStatus{}
	type slot struct {
		task string
		i    int
	}
	byGroup := map[string][]slot{}
	var groups []string
	for _, t := range tasks {
		if len(t.LBTargets) == 0 || t.LastStatus == ecs.TaskStopped {
			continue
		}
		sts := make([]TargetStatus, len(t.LBTargets))
		for i, lt := range t.LBTargets {
			sts[i] = TargetStatus{LBTarget: lt, State: elb.StateUnused, Reason: elb.ReasonNotRegistered}
			if _, seen := byGroup[lt.TargetGroupARN]; !seen {
				groups = append(groups, lt.TargetGroupARN)
			}
			byGroup[lt.TargetGroupARN] = append(byGroup[lt.TargetGroupARN], slot{t.ID, i})
		}
		out[t.ID] = sts
	}
	for _, tg := range groups {
		slots := byGroup[tg]
		targets := make([]elb.Target, len(slots))
		for k, sl := range slots {
			lt := out[sl.task][sl.i].LBTarget
			targets[k] = elb.Target{ID: lt.ID, Port: lt.Port}
		}
		rows, err := elbdb.DescribeTargetHealth(tx, elbScope(s), tg, targets)
		if errors.Is(err, elb.ErrTargetGroupNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		for k, sl := range slots {
			h := rows[k].Health
			st := &out[sl.task][sl.i]
			st.State, st.Reason, st.Description = h.State, h.Reason, h.Description
		}
	}
	return out, nil
}

// targetEvents gathers, per target group in first-seen order, how many
// targets one step registered or deregistered.
type targetEvents struct {
	order []string
	count map[string]int
}

func (e *targetEvents) add(tg string) {
	if e.count == nil {
		e.count = map[string]int{}
	}
	if _, ok := e.count[tg]; !ok {
		e.order = append(e.order, tg)
	}
	e.count[tg]++
}

// applyTargets carries out a plan's Register, Deregister and Release and
// returns the service events they make.
func (s *Scheduler) applyTargets(tx store.Tx, k serviceKey, svc ecs.Service, p Plan, now time.Time) ([]string, error) {
	var events []string
	var reg, dereg targetEvents
	draining := 0
	edit := func(id string, change func(t *ecs.Task) error) error {
		t, err := ecsdb.GetTask(tx, k.scope, k.cluster, id)
		if ecsdb.IsNotFound(err) {
			return nil // reaped meanwhile
		}
		if err != nil {
			return err
		}
		if err := change(&t); err != nil {
			return err
		}
		t.Version++ // the agent reads the holds from the newest version
		return ecsdb.PutTask(tx, k.scope, k.cluster, t)
	}
	for _, id := range p.Register {
		err := edit(id, func(t *ecs.Task) error {
			if !t.HoldActivation {
				return nil
			}
			for _, lb := range svc.LoadBalancers {
				if lb.TargetGroupARN == "" {
					continue
				}
				target, err := s.targetOf(tx, k, *t, lb)
				if err == nil {
					err = elbdb.RegisterTargets(tx, elbScope(k.scope), lb.TargetGroupARN, []elb.Target{{ID: target.ID, Port: target.Port}}, now)
				}
				if msg, ok := fault.Message(err); ok {
					events = append(events, fmt.Sprintf("(service %s) failed to register targets in (target-group %s) with (error %s)",
						svc.Name, lb.TargetGroupARN, msg))
					continue
				}
				if err != nil {
					return err
				}
				t.LBTargets = append(t.LBTargets, target)
				reg.add(lb.TargetGroupARN)
			}
			t.HoldActivation = false
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	for _, id := range p.Deregister {
		err := edit(id, func(t *ecs.Task) error {
			if t.LBDeregistered {
				return nil
			}
			for _, lt := range t.LBTargets {
				target := elb.Target{ID: lt.ID, Port: lt.Port}
				rows, err := elbdb.DescribeTargetHealth(tx, elbScope(k.scope), lt.TargetGroupARN, []elb.Target{target})
				if errors.Is(err, elb.ErrTargetGroupNotFound) {
					continue
				}
				if err != nil {
					return err
				}
				if h := rows[0].Health; h.Reason == elb.ReasonNotRegistered || h.State == elb.StateDraining {
					continue
				}
				if err := elbdb.DeregisterTargets(tx, elbScope(k.scope), lt.TargetGroupARN, []elb.Target{target}, now); err != nil {
					return err
				}
				dereg.add(lt.TargetGroupARN)
			}
			t.LBDeregistered = true
			if t.LastStatus != ecs.TaskStopped {
				draining++
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	for _, id := range p.Release {
		if err := edit(id, func(t *ecs.Task) error { t.HoldDeactivation = false; return nil }); err != nil {
			return nil, err
		}
	}
	for _, tg := range reg.order {
		events = append(events, ecs.EventRegisteredTargets(svc.Name, reg.count[tg], tg))
	}
	if draining > 0 {
		events = append(events, ecs.EventDraining(svc.Name, draining))
	}
	for _, tg := range dereg.order {
		events = append(events, ecs.EventDeregisteredTargets(svc.Name, dereg.count[tg], tg))
	}
	return events, nil
}

// targetOf is the target a task is in a target group: its awsvpc address
// and the container port for ip target groups; its container instance and
// the host port the container port is published on for instance ones.
func (s *Scheduler) targetOf(tx store.ReadTx, k serviceKey, t ecs.Task, lb ecs.LoadBalancer) (ecs.LBTarget, error) {
	tg, ok, err := elbdb.TargetGroupByARN(tx, mustARN(lb.TargetGroupARN))
	if err != nil {
		return ecs.LBTarget{}, err
	}
	if !ok {
		return ecs.LBTarget{}, fault.New(elb.ErrTargetGroupNotFound, "One or more target groups not found")
	}
	out := ecs.LBTarget{TargetGroupARN: lb.TargetGroupARN}
	if tg.TargetType == elb.TargetTypeIP {
		out.ID, out.Port = t.PrivateIPv4(), lb.ContainerPort
		if out.ID == "" {
			return out, fault.New(elb.ErrInvalidTarget, "The task has no private IP address: target groups of type ip need the awsvpc network mode")
		}
		return out, nil
	}
	ref, err := ecs.ParseContainerInstanceRef(t.ContainerInstanceARN)
	if err != nil {
		return out, fault.New(elb.ErrInvalidTarget, "The task has no container instance")
	}
	out.ID = ecs.EC2InstanceID(ref.ID)
	if c, ok := t.Container(lb.ContainerName); ok {
		i := slices.IndexFunc(c.NetworkBindings, func(b ecs.NetworkBinding) bool { return b.ContainerPort == lb.ContainerPort })
		if i >= 0 {
			out.Port = c.NetworkBindings[i].HostPort
		}
	}
	if out.Port == 0 {
		return out, fault.Newf(elb.ErrInvalidTarget, "The container %s publishes no host port for container port %d", lb.ContainerName, lb.ContainerPort)
	}
	return out, nil
}

// mustARN parses a target group ARN; one that does not parse finds no
// target group.
func mustARN(s string) elb.ARN {
	a, _ := elb.ParseKind(s, elb.KindTargetGroup)
	return a
}
