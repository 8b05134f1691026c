package elbdb

import (
	"context"
	"time"

	"github.com/quayside/quayside/internal/elb"
	"github.com/quayside/quayside/internal/store"
)

// TargetRegistry registers, deregisters and reads targets in-process, for
// ECS: a service's tasks are registered when they reach ACTIVATING and
// deregistered in DEACTIVATING. Inside a transaction of one's own, use
// RegisterTargets, DeregisterTargets and DescribeTargetHealth directly.
//
//	reg := elbdb.NewTargetRegistry(store)
//	err := reg.RegisterTargets(ctx, region, account, tgARN, []elb.Target{{ID: "172.18.0.5", Port: 8080}})
//	h, err := reg.Health(ctx, region, account, tgARN, elb.Target{ID: "172.18.0.5", Port: 8080})
//	// h.State: initial → healthy; after DeregisterTargets: draining, until h.DrainUntil
//	err = reg.WaitDrained(ctx, region, account, tgARN, target) // returns once removed
//
// Watch the Targets and Health tables to learn of changes without polling.
type TargetRegistry struct {
	Store store.Store
	Now   func() time.Time // default time.Now
}

// NewTargetRegistry returns a registry over the store.
func NewTargetRegistry(st store.Store) *TargetRegistry {
	return &TargetRegistry{Store: st, Now: time.Now}
}

func (r *TargetRegistry) now() time.Time {
	if r.Now == nil {
		return time.Now()
	}
	return r.Now()
}

// TargetGroupInfo is what ECS needs to validate a service's load balancer
// configuration: the target group, with its target type, port, protocol
// and health check, and the load balancers whose listeners forward to it.
type TargetGroupInfo struct {
	elb.TargetGroup
	LoadBalancerARNs []string
}

// TargetGroup reads a target group by ARN. The error is an
// elb.ErrTargetGroupNotFound fault when there is none in the scope.
func (r *TargetRegistry) TargetGroup(ctx context.Context, region, account, tgARN string) (TargetGroupInfo, error) {
	var info TargetGroupInfo
	s := elb.Scope{Region: region, Account: account}
	err := r.Store.View(ctx, func(tx store.ReadTx) error {
		_, tg, err := mustTargetGroup(tx, s, tgARN)
		if err != nil {
			return err
		}
		use, err := Usage(tx, s)
		info = TargetGroupInfo{TargetGroup: tg, LoadBalancerARNs: use[tgARN]}
		return err
	})
	return info, err
}

// RegisterTargets registers targets (Port 0: the target group's port).
func (r *TargetRegistry) RegisterTargets(ctx context.Context, region, account, tgARN string, targets []elb.Target) error {
	now := r.now()
	return r.Store.Update(ctx, func(tx store.Tx) error {
		return RegisterTargets(tx, elb.Scope{Region: region, Account: account}, tgARN, targets, now)
	})
}

// DeregisterTargets starts draining targets; they are removed after the
// target group's deregistration delay.
func (r *TargetRegistry) DeregisterTargets(ctx context.Context, region, account, tgARN string, targets []elb.Target) error {
	now := r.now()
	return r.Store.Update(ctx, func(tx store.Tx) error {
		return DeregisterTargets(tx, elb.Scope{Region: region, Account: account}, tgARN, targets, now)
	})
}

// Health reports a target's health as DescribeTargetHealth would: State,
// Reason and Description, Since, and for a draining target DrainUntil. A
// target that is not (or no longer) registered is unused with
// Target.NotRegistered.
func (r *TargetRegistry) Health(ctx context.Context, region, account, tgARN string, t elb.Target) (elb.Health, error) {
	var h elb.Health
	err := r.Store.View(ctx, func(tx store.ReadTx) error {
		rows, err := DescribeTargetHealth(tx, elb.Scope{Region: region, Account: account}, tgARN, []elb.Target{t})
		if err == nil {
			h = rows[0].Health
		}
		return err
	})
	return h, err
}

// TargetHealth is Health as three strings.
func (r *TargetRegistry) TargetHealth(ctx context.Context, region, account, tgARN string, t elb.Target) (state, reason, description string, err error) {
	h, err := r.Health(ctx, region, account, tgARN, t)
	return h.State, h.Reason, h.Description, err
}

// Drained reports whether a deregistered target is fully drained: its
// deregistration delay has passed and it is no longer registered.
func (r *TargetRegistry) Drained(ctx context.Context, region, account, tgARN string, t elb.Target) (bool, error) {
	h, err := r.Health(ctx, region, account, tgARN, t)
	return err == nil && h.Reason == elb.ReasonNotRegistered, err
}

// WaitDrained blocks until the target is no longer registered (see
// Drained), ctx ends, or the target group is deleted (then it returns the
// not-found error).
func (r *TargetRegistry) WaitDrained(ctx context.Context, region, account, tgARN string, t elb.Target) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	changes := r.Store.Watch(ctx, Targets, TargetGroups)
	for {
		done, err := r.Drained(ctx, region, account, tgARN, t)
		if err != nil || done {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case _, ok := <-changes:
			if !ok {
				return ctx.Err()
			}
		}
	}
}
