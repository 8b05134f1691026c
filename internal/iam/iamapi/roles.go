package iamapi

import (
	"context"

	"github.com/quayside/quayside/internal/iam"
	"github.com/quayside/quayside/internal/wire/iamwire"
)

func (a *API) createRole(ctx context.Context, in *iamwire.CreateRoleRequest) (*iamwire.CreateRoleResponse, error) {
	r, err := a.svc.CreateRole(ctx, account(ctx), iam.CreateRoleInput{
		Name: str(in.RoleName), Path: str(in.Path), TrustPolicy: str(in.AssumeRolePolicyDocument),
		Description: str(in.Description), PermissionsBoundary: str(in.PermissionsBoundary),
		MaxSessionDuration: int(ptrInt(in.MaxSessionDuration)), Tags: tagsIn(in.Tags),
	})
	if err != nil {
		return nil, err
	}
	out := roleOut(r, false)
	out.RoleLastUsed = nil
	return &iamwire.CreateRoleResponse{Role: &out}, nil
}

func ptrInt(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

func (a *API) getRole(ctx context.Context, in *iamwire.GetRoleRequest) (*iamwire.GetRoleResponse, error) {
	r, err := a.svc.GetRole(ctx, account(ctx), str(in.RoleName))
	if err != nil {
		return nil, err
	}
	out := roleOut(r, false)
	return &iamwire.GetRoleResponse{Role: &out}, nil
}

func (a *API) listRoles(ctx context.Context, in *iamwire.ListRolesRequest) (*iamwire.ListRolesResponse, error) {
	roles, next, err := a.svc.ListRoles(ctx, account(ctx), str(in.PathPrefix), str(in.Marker), maxItems(in.MaxItems))
	if err != nil {
		return nil, err
	}
	out := &iamwire.ListRolesResponse{Roles: []iamwire.Role{}}
	for _, r := range roles {
		out.Roles = append(out.Roles, roleOut(r, true))
	}
	out.IsTruncated, out.Marker = marker(next)
	return out, nil
}

func (a *API) deleteRole(ctx context.Context, in *iamwire.DeleteRoleRequest) (*empty, error) {
	return nil, a.svc.DeleteRole(ctx, account(ctx), str(in.RoleName))
}

func (a *API) updateAssumeRolePolicy(ctx context.Context, in *iamwire.UpdateAssumeRolePolicyRequest) (*empty, error) {
	return nil, a.svc.UpdateAssumeRolePolicy(ctx, account(ctx), str(in.RoleName), str(in.PolicyDocument))
}

func (a *API) updateRole(ctx context.Context, in *iamwire.UpdateRoleRequest) (*iamwire.UpdateRoleResponse, error) {
	var max *int
	if in.MaxSessionDuration != nil {
		m := int(*in.MaxSessionDuration)
		max = &m
	}
	return &iamwire.UpdateRoleResponse{}, a.svc.UpdateRole(ctx, account(ctx), str(in.RoleName), in.Description, max)
}

func (a *API) updateRoleDescription(ctx context.Context, in *iamwire.UpdateRoleDescriptionRequest) (*iamwire.UpdateRoleDescriptionResponse, error) {
	acct := account(ctx)
	if err := a.svc.UpdateRole(ctx, acct, str(in.RoleName), in.Description, nil); err != nil {
		return nil, err
	}
	r, err := a.svc.GetRole(ctx, acct, str(in.RoleName))
	if err != nil {
		return nil, err
	}
	out := roleOut(r, false)
	return &iamwire.UpdateRoleDescriptionResponse{Role: &out}, nil
}

func (a *API) tagRole(ctx context.Context, in *iamwire.TagRoleRequest) (*empty, error) {
	return nil, a.svc.TagRole(ctx, account(ctx), str(in.RoleName), tagsIn(in.Tags))
}

func (a *API) untagRole(ctx context.Context, in *iamwire.UntagRoleRequest) (*empty, error) {
	return nil, a.svc.UntagRole(ctx, account(ctx), str(in.RoleName), in.TagKeys)
}

func (a *API) listRoleTags(ctx context.Context, in *iamwire.ListRoleTagsRequest) (*iamwire.ListRoleTagsResponse, error) {
	tags, next, err := a.svc.ListRoleTags(ctx, account(ctx), str(in.RoleName), str(in.Marker), maxItems(in.MaxItems))
	if err != nil {
		return nil, err
	}
	out := &iamwire.ListRoleTagsResponse{Tags: tagsOut(tags)}
	out.IsTruncated, out.Marker = marker(next)
	return out, nil
}
