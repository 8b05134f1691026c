package iamapi

import (
	"context"

	"github.com/quayside/quayside/internal/wire"
	"github.com/quayside/quayside/internal/wire/iamwire"
)

func (a *API) putRolePolicy(ctx context.Context, in *iamwire.PutRolePolicyRequest) (*empty, error) {
	return nil, a.svc.PutRolePolicy(ctx, account(ctx), str(in.RoleName), str(in.PolicyName), str(in.PolicyDocument))
}

func (a *API) getRolePolicy(ctx context.Context, in *iamwire.GetRolePolicyRequest) (*iamwire.GetRolePolicyResponse, error) {
	p, err := a.svc.GetRolePolicy(ctx, account(ctx), str(in.RoleName), str(in.PolicyName))
	if err != nil {
		return nil, err
	}
	return &iamwire.GetRolePolicyResponse{RoleName: wire.String(p.RoleName), PolicyName: wire.String(p.Name), PolicyDocument: encodeDocument(p.Document)}, nil
}

func (a *API) listRolePolicies(ctx context.Context, in *iamwire.ListRolePoliciesRequest) (*iamwire.ListRolePoliciesResponse, error) {
	names, next, err := a.svc.ListRolePolicies(ctx, account(ctx), str(in.RoleName), str(in.Marker), maxItems(in.MaxItems))
	if err != nil {
		return nil, err
	}
	out := &iamwire.ListRolePoliciesResponse{PolicyNames: append([]string{}, names...)}
	out.IsTruncated, out.Marker = marker(next)
	return out, nil
}

func (a *API) deleteRolePolicy(ctx context.Context, in *iamwire.DeleteRolePolicyRequest) (*empty, error) {
	return nil, a.svc.DeleteRolePolicy(ctx, account(ctx), str(in.RoleName), str(in.PolicyName))
}
