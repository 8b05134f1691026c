package ecrapi

import (
	"context"
	"strings"

	"github.com/quayside/quayside/internal/ecr"
	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/protocol/awsjson"
	"github.com/quayside/quayside/internal/wire/ecrwire"
)

type (
	tagResourceIn struct {
		ecrwire.TagResourceRequest
		unchecked
	}
	untagResourceIn struct {
		ecrwire.UntagResourceRequest
		unchecked
	}
	listTagsForResourceIn struct {
		ecrwire.ListTagsForResourceRequest
		unchecked
	}
)

// Messages of the tag exceptions: the model's descriptions of them.
const (
	msgTooManyTags         = "The list of tags on the repository is over the limit. The maximum number of tags that can be applied to a repository is 50."
	msgInvalidTagParameter = "An invalid parameter has been specified. Tag keys can have a maximum character length of 128 characters, and tag values can have a maximum length of 256 characters."
)

func (a *API) mountTags(s *awsjson.Service) {
	handle(a, s, "TagResource", a.tagResource)
	handle(a, s, "UntagResource", a.untagResource)
	handle(a, s, "ListTagsForResource", a.listTagsForResource)
}

// resource reads a repository ARN: arn:aws:ecr:<region>:<account>:repository/<name>.
// The call then acts in the ARN's region.
func (c *call) resource(arn string) (string, error) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "ecr" || !strings.HasPrefix(parts[5], "repository/") {
		return "", ecr.InvalidParameter("resourceArn", "Invalid ARN: must be the ARN of an ECR repository, arn:aws:ecr:<region>:<account>:repository/<name>")
	}
	if err := c.checkRegistry(parts[4]); err != nil {
		return "", err
	}
	c.scope.Region = parts[3]
	return strings.TrimPrefix(parts[5], "repository/"), nil
}

func (a *API) tagResource(ctx context.Context, c *call, in *tagResourceIn) (*ecrwire.TagResourceResponse, error) {
	name, err := c.resource(str(in.ResourceArn))
	if err != nil {
		return nil, err
	}
	_, err = a.updateRepository(ctx, c, name, func(r *ecr.Repository) (err error) {
		r.Tags, err = mergeTags(r.Tags, tagsIn(in.Tags))
		return err
	})
	if err != nil {
		return nil, err
	}
	return &ecrwire.TagResourceResponse{}, nil
}

func (a *API) untagResource(ctx context.Context, c *call, in *untagResourceIn) (*ecrwire.UntagResourceResponse, error) {
	name, err := c.resource(str(in.ResourceArn))
	if err != nil {
		return nil, err
	}
	_, err = a.updateRepository(ctx, c, name, func(r *ecr.Repository) error {
		kept := r.Tags[:0]
		for _, t := range r.Tags {
			if !contains(in.TagKeys, t.Key) {
				kept = append(kept, t)
			}
		}
		r.Tags = kept
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &ecrwire.UntagResourceResponse{}, nil
}

func (a *API) listTagsForResource(ctx context.Context, c *call, in *listTagsForResourceIn) (*ecrwire.ListTagsForResourceResponse, error) {
	name, err := c.resource(str(in.ResourceArn))
	if err != nil {
		return nil, err
	}
	r, err := a.repository(ctx, c, name)
	if err != nil {
		return nil, err
	}
	return &ecrwire.ListTagsForResourceResponse{Tags: tagsOut(r.Tags)}, nil
}

// mergeTags adds tags to a repository's, replacing the values of keys it
// has, and enforces ECR's limits: keys of 1 to 128 characters not
// starting with "aws:", values of at most 256, at most 50 tags.
func mergeTags(have, add []ecr.Tag) ([]ecr.Tag, error) {
	out := append([]ecr.Tag(nil), have...)
	for _, t := range add {
		if t.Key == "" || len(t.Key) > 128 || len(t.Value) > 256 || strings.HasPrefix(strings.ToLower(t.Key), "aws:") {
			return nil, fault.New(ecr.ErrInvalidTagParameter, msgInvalidTagParameter)
		}
		replaced := false
		for i := range out {
			if out[i].Key == t.Key {
				out[i].Value, replaced = t.Value, true
			}
		}
		if !replaced {
			out = append(out, t)
		}
	}
	if len(out) > ecr.MaxResourceTags {
		return nil, fault.New(ecr.ErrTooManyTags, msgTooManyTags)
	}
	return out, nil
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}
