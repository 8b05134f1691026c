package iamapi

import (
	"net/url"
	"strings"

	"github.com/quayside/quayside/internal/iam"
	"github.com/quayside/quayside/internal/wire"
	"github.com/quayside/quayside/internal/wire/iamwire"
)

// encodeDocument URL-encodes a policy document as IAM returns them
// (RFC 3986 percent-encoding, spaces as %20).
func encodeDocument(doc string) *string {
	return wire.String(strings.ReplaceAll(url.QueryEscape(doc), "+", "%20"))
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func optString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// marker returns the response's IsTruncated and Marker.
func marker(next string) (*bool, *string) {
	return wire.Bool(next != ""), optString(next)
}

func tagsIn(ts []iamwire.Tag) []iam.Tag {
	out := make([]iam.Tag, len(ts))
	for i, t := range ts {
		out[i] = iam.Tag{Key: str(t.Key), Value: str(t.Value)}
	}
	return out
}

func tagsOut(ts []iam.Tag) []iamwire.Tag {
	out := make([]iamwire.Tag, len(ts))
	for i, t := range ts {
		out[i] = iamwire.Tag{Key: wire.String(t.Key), Value: wire.String(t.Value)}
	}
	return out
}

// roleOut is a role as GetRole and CreateRole show it; listed roles
// (brief) leave out tags, the last use and the permissions boundary, as
// ListRoles does.
func roleOut(r iam.Role, brief bool) iamwire.Role {
	out := iamwire.Role{
		Path: wire.String(r.Path), RoleName: wire.String(r.Name), RoleId: wire.String(r.ID), Arn: wire.String(r.ARN),
		CreateDate: wire.NewTime(r.CreateDate), AssumeRolePolicyDocument: encodeDocument(r.TrustPolicy),
		Description: optString(r.Description), MaxSessionDuration: wire.Int64(int64(r.MaxSessionDuration)),
	}
	if brief {
		return out
	}
	if r.PermissionsBoundary != "" {
		out.PermissionsBoundary = &iamwire.AttachedPermissionsBoundary{
			PermissionsBoundaryType: wire.String("PermissionsBoundaryPolicy"), PermissionsBoundaryArn: wire.String(r.PermissionsBoundary),
		}
	}
	if len(r.Tags) > 0 {
		out.Tags = tagsOut(r.Tags)
	}
	out.RoleLastUsed = &iamwire.RoleLastUsed{}
	if !r.LastUsed.IsZero() {
		out.RoleLastUsed.LastUsedDate = wire.NewTime(r.LastUsed)
		out.RoleLastUsed.Region = optString(r.LastUsedRegion)
	}
	return out
}

// policyOut is a managed policy as GetPolicy and CreatePolicy show it;
// listed policies (brief) leave out the description and tags, as
// ListPolicies does.
func policyOut(p iam.ManagedPolicy, brief bool) iamwire.Policy {
	out := iamwire.Policy{
		PolicyName: wire.String(p.Name), PolicyId: wire.String(p.ID), Arn: wire.String(p.ARN), Path: wire.String(p.Path),
		DefaultVersionId: wire.String(p.DefaultVersion), AttachmentCount: wire.Int64(int64(p.AttachmentCount)),
		PermissionsBoundaryUsageCount: wire.Int64(0), IsAttachable: wire.Bool(true),
		CreateDate: wire.NewTime(p.CreateDate), UpdateDate: wire.NewTime(p.UpdateDate),
	}
	if !brief {
		out.Description = optString(p.Description)
		if len(p.Tags) > 0 {
			out.Tags = tagsOut(p.Tags)
		}
	}
	return out
}

// versionOut is a policy version; withDocument includes its (encoded)
// document.
func versionOut(v iam.PolicyVersion, isDefault, withDocument bool) *iamwire.PolicyVersion {
	out := &iamwire.PolicyVersion{VersionId: wire.String(v.ID), IsDefaultVersion: wire.Bool(isDefault), CreateDate: wire.NewTime(v.CreateDate)}
	if withDocument {
		out.Document = encodeDocument(v.Document)
	}
	return out
}
