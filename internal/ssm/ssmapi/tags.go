package ssmapi

import (
	"context"

	"github.com/quayside/quayside/internal/wire"
	"github.com/quayside/quayside/internal/wire/ssmwire"
)

func (a *API) addTagsToResource(ctx context.Context, in *ssmwire.AddTagsToResourceRequest) (*ssmwire.AddTagsToResourceResult, error) {
	return nil, a.ps.AddTags(ctx, scope(ctx), wire.ToString(in.ResourceType), wire.ToString(in.ResourceId), fromTags(in.Tags))
}

func (a *API) removeTagsFromResource(ctx context.Context, in *ssmwire.RemoveTagsFromResourceRequest) (*ssmwire.RemoveTagsFromResourceResult, error) {
	return nil, a.ps.RemoveTags(ctx, scope(ctx), wire.ToString(in.ResourceType), wire.ToString(in.ResourceId), in.TagKeys)
}

func (a *API) listTagsForResource(ctx context.Context, in *ssmwire.ListTagsForResourceRequest) (*ssmwire.ListTagsForResourceResult, error) {
	tags, err := a.ps.Tags(ctx, scope(ctx), wire.ToString(in.ResourceType), wire.ToString(in.ResourceId))
	if err != nil {
		return nil, err
	}
	return &ssmwire.ListTagsForResourceResult{TagList: toTags(tags)}, nil
}
