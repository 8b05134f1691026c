package elbapi

import (
	"context"
	"strconv"

	"github.com/quayside/quayside/internal/elb"
	"github.com/quayside/quayside/internal/elb/elbdb"
	"github.com/quayside/quayside/internal/store"
	"github.com/quayside/quayside/internal/wire/elbv2wire"
)

func targetsIn(ws []elbv2wire.TargetDescription) []elb.Target {
	out := make([]elb.Target, 0, len(ws))
	for _, w := range ws {
		out = append(out, elb.Target{ID: deref(w.Id), Port: int(deref(w.Port)), AvailabilityZone: deref(w.AvailabilityZone)})
	}
	return out
}

func (a *API) registerTargets(ctx context.Context, in *elbv2wire.RegisterTargetsInput) (*elbv2wire.RegisterTargetsOutput, error) {
	now := a.now().UTC()
	err := a.st.Update(ctx, func(tx store.Tx) error {
		return elbdb.RegisterTargets(tx, scope(ctx), deref(in.TargetGroupArn), targetsIn(in.Targets), now)
	})
	return &elbv2wire.RegisterTargetsOutput{}, err
}

func (a *API) deregisterTargets(ctx context.Context, in *elbv2wire.DeregisterTargetsInput) (*elbv2wire.DeregisterTargetsOutput, error) {
	now := a.now().UTC()
	err := a.st.Update(ctx, func(tx store.Tx) error {
		return elbdb.DeregisterTargets(tx, scope(ctx), deref(in.TargetGroupArn), targetsIn(in.Targets), now)
	})
	return &elbv2wire.DeregisterTargetsOutput{}, err
}

func (a *API) describeTargetHealth(ctx context.Context, in *elbv2wire.DescribeTargetHealthInput) (*elbv2wire.DescribeTargetHealthOutput, error) {
	var rows []elbdb.TargetHealth
	err := a.st.View(ctx, func(tx store.ReadTx) error {
		var err error
		rows, err = elbdb.DescribeTargetHealth(tx, scope(ctx), deref(in.TargetGroupArn), targetsIn(in.Targets))
		return err
	})
	if err != nil {
		return nil, err
	}
	out := &elbv2wire.DescribeTargetHealthOutput{TargetHealthDescriptions: []elbv2wire.TargetHealthDescription{}}
	for _, r := range rows {
		td := &elbv2wire.TargetDescription{Id: ptr(r.Target.ID), Port: ptr(int64(r.Target.Port))}
		if r.Target.AvailabilityZone != "" {
			td.AvailabilityZone = ptr(r.Target.AvailabilityZone)
		}
		th := &elbv2wire.TargetHealth{State: ptr(r.Health.State)}
		if r.Health.Reason != "" {
			th.Reason, th.Description = ptr(r.Health.Reason), ptr(r.Health.Description)
		}
		out.TargetHealthDescriptions = append(out.TargetHealthDescriptions, elbv2wire.TargetHealthDescription{
			Target: td, HealthCheckPort: ptr(strconv.Itoa(r.HealthCheckPort)), TargetHealth: th})
	}
	return out, nil
}
