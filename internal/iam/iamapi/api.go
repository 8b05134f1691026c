// Package iamapi serves IAM over the AWS Query protocol (API version
// 2010-05-08): it turns iamwire requests into calls on iam.Service and
// the results back into iamwire responses.
//
// Handlers per concern: roles.go (roles and their tags), policies.go
// (managed policies, versions, attachments), inline.go (inline role
// policies). Conversions live in convert.go. Policy documents travel
// URL-encoded in responses, as IAM sends them. Errors are fault errors;
// awserr maps them to IAM's codes in the Query XML error shape.
package iamapi

import (
	"context"

	"github.com/quayside/quayside/internal/awsctx"
	"github.com/quayside/quayside/internal/iam"
	"github.com/quayside/quayside/internal/protocol/awsquery"
	"github.com/quayside/quayside/internal/wire/iamwire"
)

// API serves IAM.
type API struct {
	svc *iam.Service
}

// New returns the API over an IAM service.
func New(svc *iam.Service) *API { return &API{svc: svc} }

// Service returns the Query service with every supported operation.
func (a *API) Service() *awsquery.Service {
	s := awsquery.NewService("iam", iamwire.APIVersion, iamwire.XMLNamespace, false, iamwire.Operations)
	awsquery.Handle(s, "CreateRole", a.createRole)
	awsquery.Handle(s, "GetRole", a.getRole)
	awsquery.Handle(s, "ListRoles", a.listRoles)
	awsquery.Handle(s, "DeleteRole", a.deleteRole)
	awsquery.Handle(s, "UpdateAssumeRolePolicy", a.updateAssumeRolePolicy)
	awsquery.Handle(s, "UpdateRole", a.updateRole)
	awsquery.Handle(s, "UpdateRoleDescription", a.updateRoleDescription)
	awsquery.Handle(s, "TagRole", a.tagRole)
	awsquery.Handle(s, "UntagRole", a.untagRole)
	awsquery.Handle(s, "ListRoleTags", a.listRoleTags)

	awsquery.Handle(s, "CreatePolicy", a.createPolicy)
	awsquery.Handle(s, "GetPolicy", a.getPolicy)
	awsquery.Handle(s, "ListPolicies", a.listPolicies)
	awsquery.Handle(s, "DeletePolicy", a.deletePolicy)
	awsquery.Handle(s, "CreatePolicyVersion", a.createPolicyVersion)
	awsquery.Handle(s, "GetPolicyVersion", a.getPolicyVersion)
	awsquery.Handle(s, "ListPolicyVersions", a.listPolicyVersions)
	awsquery.Handle(s, "DeletePolicyVersion", a.deletePolicyVersion)
	awsquery.Handle(s, "SetDefaultPolicyVersion", a.setDefaultPolicyVersion)
	awsquery.Handle(s, "AttachRolePolicy", a.attachRolePolicy)
	awsquery.Handle(s, "DetachRolePolicy", a.detachRolePolicy)
	awsquery.Handle(s, "ListAttachedRolePolicies", a.listAttachedRolePolicies)

	awsquery.Handle(s, "PutRolePolicy", a.putRolePolicy)
	awsquery.Handle(s, "GetRolePolicy", a.getRolePolicy)
	awsquery.Handle(s, "ListRolePolicies", a.listRolePolicies)
	awsquery.Handle(s, "DeleteRolePolicy", a.deleteRolePolicy)
	return s
}

// account is the account the request acts in.
func account(ctx context.Context) string { return awsctx.From(ctx).Account }

// empty is the output of operations whose model has none.
type empty struct{}

func maxItems(p *int64) int {
	if p == nil {
		return 100
	}
	return int(*p)
}
