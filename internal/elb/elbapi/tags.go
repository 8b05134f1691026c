package elbapi

import (
	"context"

	"github.com/quayside/quayside/internal/elb"
	"github.com/quayside/quayside/internal/elb/elbdb"
	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/store"
	"github.com/quayside/quayside/internal/wire/elbv2wire"
)

// tagged is a resource's tags and a way to write them back.
type tagged struct {
	tags []elb.Tag
	save func(tx store.Tx, tags []elb.Tag) error
}

// loadTagged reads the tags of the resource an ARN names.
func loadTagged(tx store.ReadTx, s elb.Scope, arn string) (tagged, error) {
	a, ok := elb.ParseARN(arn)
	if !ok {
		return tagged{}, fault.Newf(elb.ErrValidation, "'%s' is not a valid resource ARN", arn)
	}
	switch a.Kind {
	case elb.KindLoadBalancer:
		lb, err := mustLoadBalancer(tx, s, arn)
		return tagged{lb.Tags, func(tx store.Tx, t []elb.Tag) error { lb.Tags = t; return elbdb.PutLoadBalancer(tx, s, lb) }}, err
	case elb.KindTargetGroup:
		tg, err := mustTargetGroup(tx, s, arn)
		return tagged{tg.Tags, func(tx store.Tx, t []elb.Tag) error { tg.Tags = t; return elbdb.PutTargetGroup(tx, s, tg) }}, err
	case elb.KindListener:
		l, err := mustListener(tx, s, arn)
		return tagged{l.Tags, func(tx store.Tx, t []elb.Tag) error { l.Tags = t; return elbdb.PutListener(tx, l) }}, err
	default:
		ref, err := mustRule(tx, s, arn)
		if err == nil && ref.isDefault {
			err = fault.New(elb.ErrOperationNotPermitted, "Default rules cannot be tagged")
		}
		r := ref.rule
		return tagged{r.Tags, func(tx store.Tx, t []elb.Tag) error { r.Tags = t; return elbdb.PutRule(tx, r) }}, err
	}
}

func (a *API) addTags(ctx context.Context, in *elbv2wire.AddTagsInput) (*elbv2wire.AddTagsOutput, error) {
	add := tagsIn(in.Tags)
	if err := elb.ValidateNewTags(add); err != nil {
		return nil, err
	}
	err := a.st.Update(ctx, func(tx store.Tx) error {
		for _, arn := range in.ResourceArns {
			r, err := loadTagged(tx, scope(ctx), arn)
			if err != nil {
				return err
			}
			tags, err := elb.MergeTags(r.tags, add)
			if err != nil {
				return err
			}
			if err := r.save(tx, tags); err != nil {
				return err
			}
		}
		return nil
	})
	return &elbv2wire.AddTagsOutput{}, err
}

func (a *API) removeTags(ctx context.Context, in *elbv2wire.RemoveTagsInput) (*elbv2wire.RemoveTagsOutput, error) {
	err := a.st.Update(ctx, func(tx store.Tx) error {
		for _, arn := range in.ResourceArns {
			r, err := loadTagged(tx, scope(ctx), arn)
			if err != nil {
				return err
			}
			if err := r.save(tx, elb.RemoveTags(r.tags, in.TagKeys)); err != nil {
				return err
			}
		}
		return nil
	})
	return &elbv2wire.RemoveTagsOutput{}, err
}

func (a *API) describeTags(ctx context.Context, in *elbv2wire.DescribeTagsInput) (*elbv2wire.DescribeTagsOutput, error) {
	out := &elbv2wire.DescribeTagsOutput{TagDescriptions: []elbv2wire.TagDescription{}}
	err := a.st.View(ctx, func(tx store.ReadTx) error {
		for _, arn := range in.ResourceArns {
			r, err := loadTagged(tx, scope(ctx), arn)
			if err != nil {
				return err
			}
			out.TagDescriptions = append(out.TagDescriptions, elbv2wire.TagDescription{ResourceArn: ptr(arn), Tags: tagsOut(r.tags)})
		}
		return nil
	})
	return out, err
}
