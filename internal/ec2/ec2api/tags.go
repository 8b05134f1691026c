package ec2api

import (
	"context"

	"github.com/quayside/quayside/internal/ec2"
	"github.com/quayside/quayside/internal/wire"
	"github.com/quayside/quayside/internal/wire/ec2wire"
)

func (a *API) createTags(ctx context.Context, in *ec2wire.CreateTagsRequest) (*done, error) {
	if err := dryRun(in.DryRun); err != nil {
		return nil, err
	}
	return ok, a.svc.CreateTags(ctx, scope(ctx), in.Resources, tagsIn(in.Tags))
}

func (a *API) deleteTags(ctx context.Context, in *ec2wire.DeleteTagsRequest) (*done, error) {
	if err := dryRun(in.DryRun); err != nil {
		return nil, err
	}
	del := make([]ec2.TagFilter, len(in.Tags))
	for i, t := range in.Tags {
		del[i] = ec2.TagFilter{Key: str(t.Key), Value: t.Value}
	}
	return ok, a.svc.DeleteTags(ctx, scope(ctx), in.Resources, del)
}

func (a *API) describeTags(ctx context.Context, in *ec2wire.DescribeTagsRequest) (*ec2wire.DescribeTagsResult, error) {
	if err := dryRun(in.DryRun); err != nil {
		return nil, err
	}
	tags, next, err := a.svc.DescribeTags(ctx, scope(ctx), filtersIn(in.Filters), str(in.NextToken), maxResults(in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &ec2wire.DescribeTagsResult{Tags: []ec2wire.TagDescription{}, NextToken: optString(next)}
	for _, t := range tags {
		out.Tags = append(out.Tags, ec2wire.TagDescription{
			ResourceId: wire.String(t.ResourceID), ResourceType: wire.String(t.ResourceType), Key: wire.String(t.Key), Value: wire.String(t.Value),
		})
	}
	return out, nil
}
