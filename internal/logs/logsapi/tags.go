package logsapi

import (
	"context"
	"errors"

	"github.com/quayside/quayside/internal/logs"
	"github.com/quayside/quayside/internal/protocol/awsjson"
	"github.com/quayside/quayside/internal/wire/logswire"
)

func (a *API) mountTags(s *awsjson.Service) {
	handle(a, s, "TagResource", a.tagResource)
	handle(a, s, "UntagResource", a.untagResource)
	handle(a, s, "ListTagsForResource", a.listTagsForResource)
	handle(a, s, "TagLogGroup", a.tagLogGroup)
	handle(a, s, "UntagLogGroup", a.untagLogGroup)
	handle(a, s, "ListTagsLogGroup", a.listTagsLogGroup)
}

// arnGroup resolves a tagging ARN to a log group of the request's region
// and account: log groups are the only taggable resource Quayside has.
func arnGroup(sc logs.Scope, arn string) (string, error) {
	asc, name, err := logs.ParseGroupARN(arn)
	if err != nil {
		return "", err
	}
	if asc != sc {
		return "", logs.GroupNotFound()
	}
	return name, nil
}

func (a *API) tagResource(ctx context.Context, sc logs.Scope, in *logswire.TagResourceRequest) (*none, error) {
	name, err := arnGroup(sc, str(in.ResourceArn))
	if err != nil {
		return nil, err
	}
	return nil, a.svc.TagGroup(ctx, sc, name, in.Tags)
}

func (a *API) untagResource(ctx context.Context, sc logs.Scope, in *logswire.UntagResourceRequest) (*none, error) {
	name, err := arnGroup(sc, str(in.ResourceArn))
	if err != nil {
		return nil, err
	}
	return nil, a.svc.UntagGroup(ctx, sc, name, in.TagKeys)
}

func (a *API) listTagsForResource(ctx context.Context, sc logs.Scope, in *logswire.ListTagsForResourceRequest) (*logswire.ListTagsForResourceResponse, error) {
	name, err := arnGroup(sc, str(in.ResourceArn))
	if err != nil {
		return nil, err
	}
	tags, err := a.tags(ctx, sc, name)
	return &logswire.ListTagsForResourceResponse{Tags: tags}, err
}

// tagLogGroup is the deprecated form of TagResource. It has no
// TooManyTagsException; too many tags are an InvalidParameterException.
func (a *API) tagLogGroup(ctx context.Context, sc logs.Scope, in *logswire.TagLogGroupRequest) (*none, error) {
	err := a.svc.TagGroup(ctx, sc, str(in.LogGroupName), in.Tags)
	if errors.Is(err, logs.ErrTooManyTags) {
		return nil, logs.InvalidParameter("A resource can have no more than 50 tags.")
	}
	return nil, err
}

func (a *API) untagLogGroup(ctx context.Context, sc logs.Scope, in *logswire.UntagLogGroupRequest) (*none, error) {
	return nil, a.svc.UntagGroup(ctx, sc, str(in.LogGroupName), in.Tags)
}

func (a *API) listTagsLogGroup(ctx context.Context, sc logs.Scope, in *logswire.ListTagsLogGroupRequest) (*logswire.ListTagsLogGroupResponse, error) {
	tags, err := a.tags(ctx, sc, str(in.LogGroupName))
	return &logswire.ListTagsLogGroupResponse{Tags: tags}, err
}

func (a *API) tags(ctx context.Context, sc logs.Scope, name string) (map[string]string, error) {
	g, err := a.svc.GetGroup(ctx, sc, name)
	if err != nil {
		return nil, err
	}
	tags := map[string]string{}
	for k, v := range g.Tags {
		tags[k] = v
	}
	return tags, nil
}
