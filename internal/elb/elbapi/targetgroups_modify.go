package elbapi

import (
	"context"

	"github.com/quayside/quayside/internal/elb"
	"github.com/quayside/quayside/internal/elb/elbdb"
	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/store"
	"github.com/quayside/quayside/internal/wire/elbv2wire"
)

func (a *API) modifyTargetGroup(ctx context.Context, in *elbv2wire.ModifyTargetGroupInput) (*elbv2wire.ModifyTargetGroupOutput, error) {
	s := scope(ctx)
	var tg elb.TargetGroup
	var lbs []string
	err := a.st.Update(ctx, func(tx store.Tx) error {
		var err error
		if tg, err = mustTargetGroup(tx, s, deref(in.TargetGroupArn)); err != nil {
			return err
		}
		tg.HealthCheck, err = healthCheckIn(tg.HealthCheck, healthCheckFields{
			in.HealthCheckEnabled, in.HealthCheckProtocol, in.HealthCheckPort, in.HealthCheckPath, in.HealthCheckIntervalSeconds,
			in.HealthCheckTimeoutSeconds, in.HealthyThresholdCount, in.UnhealthyThresholdCount, in.Matcher}, tg.TargetType)
		if err != nil {
			return err
		}
		use, err := elbdb.Usage(tx, s)
		lbs = use[tg.ARN]
		if err != nil {
			return err
		}
		return elbdb.PutTargetGroup(tx, s, tg)
	})
	if err != nil {
		return nil, err
	}
	return &elbv2wire.ModifyTargetGroupOutput{TargetGroups: []elbv2wire.TargetGroup{tgOut(tg, lbs)}}, nil
}

func (a *API) deleteTargetGroup(ctx context.Context, in *elbv2wire.DeleteTargetGroupInput) (*elbv2wire.DeleteTargetGroupOutput, error) {
	s := scope(ctx)
	arn := deref(in.TargetGroupArn)
	err := a.st.Update(ctx, func(tx store.Tx) error {
		if _, err := mustTargetGroup(tx, s, arn); err != nil {
			return err
		}
		use, err := elbdb.Usage(tx, s)
		if err != nil {
			return err
		}
		if len(use[arn]) > 0 {
			return fault.Newf(elb.ErrResourceInUse, "Target group '%s' is currently in use by a listener or a rule", arn)
		}
		ta, _ := elb.ParseKind(arn, elb.KindTargetGroup)
		return elbdb.DeleteTargetGroup(tx, ta)
	})
	return &elbv2wire.DeleteTargetGroupOutput{}, err
}

func (a *API) modifyTargetGroupAttributes(ctx context.Context, in *elbv2wire.ModifyTargetGroupAttributesInput) (*elbv2wire.ModifyTargetGroupAttributesOutput, error) {
	s := scope(ctx)
	changes := map[string]string{}
	for _, at := range in.Attributes {
		k, v := deref(at.Key), deref(at.Value)
		if err := elb.ValidateTargetGroupAttribute(k, v); err != nil {
			return nil, err
		}
		changes[k] = v
	}
	var tg elb.TargetGroup
	err := a.st.Update(ctx, func(tx store.Tx) error {
		var err error
		if tg, err = mustTargetGroup(tx, s, deref(in.TargetGroupArn)); err != nil {
			return err
		}
		tg.Attributes = elb.MergeAttributes(tg.Attributes, changes)
		if tg.Attribute(elb.AttrStickinessType) == "app_cookie" && tg.Attribute(elb.AttrStickinessEnabled) == "true" &&
			tg.Attribute(elb.AttrAppCookieName) == "" {
			return fault.New(elb.ErrValidation, "An application cookie name must be specified for 'app_cookie' stickiness")
		}
		return elbdb.PutTargetGroup(tx, s, tg)
	})
	if err != nil {
		return nil, err
	}
	return &elbv2wire.ModifyTargetGroupAttributesOutput{Attributes: tgAttrsOut(tg)}, nil
}

func (a *API) describeTargetGroupAttributes(ctx context.Context, in *elbv2wire.DescribeTargetGroupAttributesInput) (*elbv2wire.DescribeTargetGroupAttributesOutput, error) {
	var tg elb.TargetGroup
	err := a.st.View(ctx, func(tx store.ReadTx) error {
		var err error
		tg, err = mustTargetGroup(tx, scope(ctx), deref(in.TargetGroupArn))
		return err
	})
	if err != nil {
		return nil, err
	}
	return &elbv2wire.DescribeTargetGroupAttributesOutput{Attributes: tgAttrsOut(tg)}, nil
}

func tgAttrsOut(tg elb.TargetGroup) []elbv2wire.TargetGroupAttribute {
	var out []elbv2wire.TargetGroupAttribute
	for _, kv := range elb.AllAttributes(elb.TargetGroupAttributeDefaults, tg.Attributes) {
		out = append(out, elbv2wire.TargetGroupAttribute{Key: ptr(kv[0]), Value: ptr(kv[1])})
	}
	return out
}
