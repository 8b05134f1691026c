package ecrapi

import (
	"context"

	"github.com/quayside/quayside/internal/ecr"
	"github.com/quayside/quayside/internal/ecr/ecrdb"
	"github.com/quayside/quayside/internal/ecr/lifecycle"
	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/protocol/awsjson"
	"github.com/quayside/quayside/internal/store"
	"github.com/quayside/quayside/internal/wire"
	"github.com/quayside/quayside/internal/wire/ecrwire"
)

type (
	putLifecyclePolicyIn struct {
		ecrwire.PutLifecyclePolicyRequest
		unchecked
	}
	getLifecyclePolicyIn struct {
		ecrwire.GetLifecyclePolicyRequest
		unchecked
	}
	deleteLifecyclePolicyIn struct {
		ecrwire.DeleteLifecyclePolicyRequest
		unchecked
	}
	startLifecyclePolicyPreviewIn struct {
		ecrwire.StartLifecyclePolicyPreviewRequest
		unchecked
	}
	getLifecyclePolicyPreviewIn struct {
		ecrwire.GetLifecyclePolicyPreviewRequest
		unchecked
	}
)

func (a *API) mountLifecycle(s *awsjson.Service) {
	handle(a, s, "PutLifecyclePolicy", a.putLifecyclePolicy)
	handle(a, s, "GetLifecyclePolicy", a.getLifecyclePolicy)
	handle(a, s, "DeleteLifecyclePolicy", a.deleteLifecyclePolicy)
	handle(a, s, "StartLifecyclePolicyPreview", a.startLifecyclePolicyPreview)
	handle(a, s, "GetLifecyclePolicyPreview", a.getLifecyclePolicyPreview)
}

// putLifecyclePolicy validates and stores a policy, kept as given. The
// lifecycle runner applies it within its interval (24 h by default).
func (a *API) putLifecyclePolicy(ctx context.Context, c *call, in *putLifecyclePolicyIn) (*ecrwire.PutLifecyclePolicyResponse, error) {
	text := str(in.LifecyclePolicyText)
	if _, err := lifecycle.Parse(text); err != nil {
		return nil, err
	}
	now := a.now()
	r, err := a.updateRepository(ctx, c, str(in.RepositoryName), func(r *ecr.Repository) error {
		r.LifecyclePolicyText, r.LifecyclePolicyUpdatedAt = text, &now
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &ecrwire.PutLifecyclePolicyResponse{RegistryId: c.registryID(), RepositoryName: wire.String(r.Name), LifecyclePolicyText: wire.String(text)}, nil
}

func lifecycleNotFound(c *call, repo string) error {
	return fault.Newf(ecr.ErrLifecyclePolicyNotFound, ecr.MsgLifecyclePolicyNotFound, repo, c.scope.Account)
}

func evaluatedAt(r ecr.Repository) *wire.Time {
	if r.LifecyclePolicyEvaluatedAt == nil {
		return nil
	}
	return wire.NewTime(*r.LifecyclePolicyEvaluatedAt)
}

func (a *API) getLifecyclePolicy(ctx context.Context, c *call, in *getLifecyclePolicyIn) (*ecrwire.GetLifecyclePolicyResponse, error) {
	r, err := a.repository(ctx, c, str(in.RepositoryName))
	if err != nil {
		return nil, err
	}
	if r.LifecyclePolicyText == "" {
		return nil, lifecycleNotFound(c, r.Name)
	}
	return &ecrwire.GetLifecyclePolicyResponse{
		RegistryId: c.registryID(), RepositoryName: wire.String(r.Name),
		LifecyclePolicyText: wire.String(r.LifecyclePolicyText), LastEvaluatedAt: evaluatedAt(r),
	}, nil
}

func (a *API) deleteLifecyclePolicy(ctx context.Context, c *call, in *deleteLifecyclePolicyIn) (*ecrwire.DeleteLifecyclePolicyResponse, error) {
	var old ecr.Repository
	_, err := a.updateRepository(ctx, c, str(in.RepositoryName), func(r *ecr.Repository) error {
		if r.LifecyclePolicyText == "" {
			return lifecycleNotFound(c, r.Name)
		}
		old = *r
		r.LifecyclePolicyText, r.LifecyclePolicyUpdatedAt, r.LifecyclePolicyEvaluatedAt = "", nil, nil
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &ecrwire.DeleteLifecyclePolicyResponse{
		RegistryId: c.registryID(), RepositoryName: wire.String(old.Name),
		LifecyclePolicyText: wire.String(old.LifecyclePolicyText), LastEvaluatedAt: evaluatedAt(old),
	}, nil
}

// startLifecyclePolicyPreview evaluates the given policy (or the
// repository's) now, with the same guards as the runner, and records the
// result. ECR runs previews asynchronously and answers IN_PROGRESS;
// Quayside's is done when the call returns, so it answers COMPLETE.
func (a *API) startLifecyclePolicyPreview(ctx context.Context, c *call, in *startLifecyclePolicyPreviewIn) (*ecrwire.StartLifecyclePolicyPreviewResponse, error) {
	repo := str(in.RepositoryName)
	if in.LifecyclePolicyText != nil {
		if _, err := lifecycle.Parse(*in.LifecyclePolicyText); err != nil {
			return nil, err
		}
	}
	var pv ecr.LifecyclePreview
	err := a.st.Update(ctx, func(tx store.Tx) error {
		r, err := ecrdb.Repository(tx, c.scope, repo)
		if err != nil {
			return err
		}
		text := r.LifecyclePolicyText
		if in.LifecyclePolicyText != nil {
			text = *in.LifecyclePolicyText
		}
		if text == "" {
			return lifecycleNotFound(c, repo)
		}
		if pv, err = lifecycle.Preview(tx, c.scope, repo, text, a.now()); err != nil {
			return err
		}
		return ecrdb.PutLifecyclePreview(tx, c.scope, repo, pv)
	})
	if err != nil {
		return nil, err
	}
	return &ecrwire.StartLifecyclePolicyPreviewResponse{
		RegistryId: c.registryID(), RepositoryName: wire.String(repo),
		LifecyclePolicyText: wire.String(pv.PolicyText), Status: wire.String(pv.Status),
	}, nil
}

func (a *API) getLifecyclePolicyPreview(ctx context.Context, c *call, in *getLifecyclePolicyPreviewIn) (*ecrwire.GetLifecyclePolicyPreviewResponse, error) {
	repo := str(in.RepositoryName)
	if len(in.ImageIds) > 0 && (in.MaxResults != nil || in.NextToken != nil) {
		return nil, ecr.InvalidParameter("maxResults", "maxResults and nextToken cannot be used with imageIds")
	}
	after, err := decodeToken(tokPreview, in.NextToken)
	if err != nil {
		return nil, err
	}
	var pv ecr.LifecyclePreview
	err = a.st.View(ctx, func(tx store.ReadTx) (err error) {
		if _, err := ecrdb.Repository(tx, c.scope, repo); err != nil {
			return err
		}
		pv, err = ecrdb.GetLifecyclePreview(tx, c.scope, repo)
		if ecrdb.IsNotFound(err) {
			return fault.Newf(ecr.ErrLifecyclePolicyPreviewNotFound, ecr.MsgLifecyclePolicyPreviewNotFound, repo, c.scope.Account)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	out := &ecrwire.GetLifecyclePolicyPreviewResponse{
		RegistryId: c.registryID(), RepositoryName: wire.String(repo),
		LifecyclePolicyText: wire.String(pv.PolicyText), Status: wire.String(pv.Status),
		PreviewResults: []ecrwire.LifecyclePolicyPreviewResult{},
		Summary:        &ecrwire.LifecyclePolicyPreviewSummary{ExpiringImageTotalCount: wire.Int64(int64(len(pv.Results)))},
	}
	n := pageSize(in.MaxResults)
	skipping := after != ""
	for _, r := range pv.Results {
		if skipping {
			skipping = string(r.Digest) != after
			continue
		}
		if !previewSelected(r, in) {
			continue
		}
		if len(out.PreviewResults) == n {
			last := out.PreviewResults[n-1]
			out.NextToken = encodeToken(tokPreview, str(last.ImageDigest))
			break
		}
		out.PreviewResults = append(out.PreviewResults, ecrwire.LifecyclePolicyPreviewResult{
			ImageTags: r.Tags, ImageDigest: wire.String(string(r.Digest)), ImagePushedAt: wire.NewTime(r.PushedAt),
			Action:              &ecrwire.LifecyclePolicyRuleAction{Type: wire.String(r.Action)},
			AppliedRulePriority: wire.Int64(int64(r.RulePriority)),
		})
	}
	return out, nil
}

// previewSelected applies GetLifecyclePolicyPreview's imageIds and
// tagStatus filter to one result.
func previewSelected(r ecr.LifecyclePreviewResult, in *getLifecyclePolicyPreviewIn) bool {
	if len(in.ImageIds) > 0 {
		found := false
		for _, id := range in.ImageIds {
			if str(id.ImageDigest) == string(r.Digest) || (id.ImageDigest == nil && contains(r.Tags, str(id.ImageTag))) {
				found = true
			}
		}
		if !found {
			return false
		}
	}
	if in.Filter != nil {
		switch str(in.Filter.TagStatus) {
		case "TAGGED":
			return len(r.Tags) > 0
		case "UNTAGGED":
			return len(r.Tags) == 0
		}
	}
	return true
}
