package iamapi

import (
	"context"

	"github.com/quayside/quayside/internal/iam"
	"github.com/quayside/quayside/internal/wire"
	"github.com/quayside/quayside/internal/wire/iamwire"
)

func (a *API) createPolicy(ctx context.Context, in *iamwire.CreatePolicyRequest) (*iamwire.CreatePolicyResponse, error) {
	p, err := a.svc.CreatePolicy(ctx, account(ctx), iam.CreatePolicyInput{
		Name: str(in.PolicyName), Path: str(in.Path), Document: str(in.PolicyDocument),
		Description: str(in.Description), Tags: tagsIn(in.Tags),
	})
	if err != nil {
		return nil, err
	}
	out := policyOut(p, false)
	return &iamwire.CreatePolicyResponse{Policy: &out}, nil
}

func (a *API) getPolicy(ctx context.Context, in *iamwire.GetPolicyRequest) (*iamwire.GetPolicyResponse, error) {
	p, err := a.svc.GetPolicy(ctx, account(ctx), str(in.PolicyArn))
	if err != nil {
		return nil, err
	}
	out := policyOut(p, false)
	return &iamwire.GetPolicyResponse{Policy: &out}, nil
}

func (a *API) listPolicies(ctx context.Context, in *iamwire.ListPoliciesRequest) (*iamwire.ListPoliciesResponse, error) {
	ps, next, err := a.svc.ListPolicies(ctx, account(ctx), iam.ListPoliciesInput{
		Scope: str(in.Scope), OnlyAttached: in.OnlyAttached != nil && *in.OnlyAttached, PathPrefix: str(in.PathPrefix),
		Marker: str(in.Marker), MaxItems: maxItems(in.MaxItems),
	})
	if err != nil {
		return nil, err
	}
	out := &iamwire.ListPoliciesResponse{Policies: []iamwire.Policy{}}
	for _, p := range ps {
		out.Policies = append(out.Policies, policyOut(p, true))
	}
	out.IsTruncated, out.Marker = marker(next)
	return out, nil
}

func (a *API) deletePolicy(ctx context.Context, in *iamwire.DeletePolicyRequest) (*empty, error) {
	return nil, a.svc.DeletePolicy(ctx, account(ctx), str(in.PolicyArn))
}

func (a *API) createPolicyVersion(ctx context.Context, in *iamwire.CreatePolicyVersionRequest) (*iamwire.CreatePolicyVersionResponse, error) {
	setDefault := in.SetAsDefault != nil && *in.SetAsDefault
	v, err := a.svc.CreatePolicyVersion(ctx, account(ctx), str(in.PolicyArn), str(in.PolicyDocument), setDefault)
	if err != nil {
		return nil, err
	}
	return &iamwire.CreatePolicyVersionResponse{PolicyVersion: versionOut(v, setDefault, false)}, nil
}

func (a *API) getPolicyVersion(ctx context.Context, in *iamwire.GetPolicyVersionRequest) (*iamwire.GetPolicyVersionResponse, error) {
	v, isDefault, err := a.svc.GetPolicyVersion(ctx, account(ctx), str(in.PolicyArn), str(in.VersionId))
	if err != nil {
		return nil, err
	}
	return &iamwire.GetPolicyVersionResponse{PolicyVersion: versionOut(v, isDefault, true)}, nil
}

func (a *API) listPolicyVersions(ctx context.Context, in *iamwire.ListPolicyVersionsRequest) (*iamwire.ListPolicyVersionsResponse, error) {
	p, err := a.svc.ListPolicyVersions(ctx, account(ctx), str(in.PolicyArn))
	if err != nil {
		return nil, err
	}
	out := &iamwire.ListPolicyVersionsResponse{Versions: []iamwire.PolicyVersion{}, IsTruncated: wire.Bool(false)}
	for _, v := range p.Versions {
		out.Versions = append(out.Versions, *versionOut(v, v.ID == p.DefaultVersion, false))
	}
	return out, nil
}

func (a *API) deletePolicyVersion(ctx context.Context, in *iamwire.DeletePolicyVersionRequest) (*empty, error) {
	return nil, a.svc.DeletePolicyVersion(ctx, account(ctx), str(in.PolicyArn), str(in.VersionId))
}

func (a *API) setDefaultPolicyVersion(ctx context.Context, in *iamwire.SetDefaultPolicyVersionRequest) (*empty, error) {
	return nil, a.svc.SetDefaultPolicyVersion(ctx, account(ctx), str(in.PolicyArn), str(in.VersionId))
}

func (a *API) attachRolePolicy(ctx context.Context, in *iamwire.AttachRolePolicyRequest) (*empty, error) {
	return nil, a.svc.AttachRolePolicy(ctx, account(ctx), str(in.RoleName), str(in.PolicyArn))
}

func (a *API) detachRolePolicy(ctx context.Context, in *iamwire.DetachRolePolicyRequest) (*empty, error) {
	return nil, a.svc.DetachRolePolicy(ctx, account(ctx), str(in.RoleName), str(in.PolicyArn))
}

func (a *API) listAttachedRolePolicies(ctx context.Context, in *iamwire.ListAttachedRolePoliciesRequest) (*iamwire.ListAttachedRolePoliciesResponse, error) {
	ps, next, err := a.svc.ListAttachedRolePolicies(ctx, account(ctx), str(in.RoleName), str(in.PathPrefix), str(in.Marker), maxItems(in.MaxItems))
	if err != nil {
		return nil, err
	}
	out := &iamwire.ListAttachedRolePoliciesResponse{AttachedPolicies: []iamwire.AttachedPolicy{}}
	for _, p := range ps {
		out.AttachedPolicies = append(out.AttachedPolicies, iamwire.AttachedPolicy{PolicyName: wire.String(p.Name), PolicyArn: wire.String(p.ARN)})
	}
	out.IsTruncated, out.Marker = marker(next)
	return out, nil
}
