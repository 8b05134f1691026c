package ec2api

import (
	"context"

	"github.com/quayside/quayside/internal/ec2"
	"github.com/quayside/quayside/internal/wire"
	"github.com/quayside/quayside/internal/wire/ec2wire"
)

func (a *API) describeSecurityGroups(ctx context.Context, in *ec2wire.DescribeSecurityGroupsRequest) (*ec2wire.DescribeSecurityGroupsResult, error) {
	if err := dryRun(in.DryRun); err != nil {
		return nil, err
	}
	sc := scope(ctx)
	q := ec2.GroupQuery{Query: query(in.GroupIds, in.Filters, in.NextToken, in.MaxResults), Names: in.GroupNames}
	groups, next, err := a.svc.DescribeSecurityGroups(ctx, sc, q)
	if err != nil {
		return nil, err
	}
	out := &ec2wire.DescribeSecurityGroupsResult{SecurityGroups: []ec2wire.SecurityGroup{}, NextToken: optString(next)}
	for _, g := range groups {
		out.SecurityGroups = append(out.SecurityGroups, groupOut(sc, g))
	}
	return out, nil
}

func (a *API) createSecurityGroup(ctx context.Context, in *ec2wire.CreateSecurityGroupRequest) (*ec2wire.CreateSecurityGroupResult, error) {
	if err := dryRun(in.DryRun); err != nil {
		return nil, err
	}
	sc := scope(ctx)
	g, err := a.svc.CreateSecurityGroup(ctx, sc, str(in.GroupName), str(in.Description), str(in.VpcId), specsIn(in.TagSpecifications))
	if err != nil {
		return nil, err
	}
	return &ec2wire.CreateSecurityGroupResult{GroupId: wire.String(g.ID), SecurityGroupArn: wire.String(ec2.GroupARN(sc, g.ID)), Tags: tagsOut(g.Tags)}, nil
}

func (a *API) deleteSecurityGroup(ctx context.Context, in *ec2wire.DeleteSecurityGroupRequest) (*ec2wire.DeleteSecurityGroupResult, error) {
	if err := dryRun(in.DryRun); err != nil {
		return nil, err
	}
	id, err := a.svc.DeleteSecurityGroup(ctx, scope(ctx), str(in.GroupId), str(in.GroupName))
	if err != nil {
		return nil, err
	}
	return &ec2wire.DeleteSecurityGroupResult{Return: wire.Bool(true), GroupId: wire.String(id)}, nil
}

func (a *API) authorize(ctx context.Context, groupID, groupName string, egress bool, perms []ec2.Permission) ([]ec2wire.SecurityGroupRule, error) {
	sc := scope(ctx)
	rules, err := a.svc.Authorize(ctx, sc, groupID, groupName, egress, perms)
	if err != nil {
		return nil, err
	}
	out := []ec2wire.SecurityGroupRule{}
	for _, r := range rules {
		out = append(out, ruleOut(sc, groupID, r))
	}
	return out, nil
}

func (a *API) authorizeIngress(ctx context.Context, in *ec2wire.AuthorizeSecurityGroupIngressRequest) (*ec2wire.AuthorizeSecurityGroupIngressResult, error) {
	if err := dryRun(in.DryRun); err != nil {
		return nil, err
	}
	perms := append(permissionsIn(in.IpPermissions), legacyPermission(in.IpProtocol, in.CidrIp, in.SourceSecurityGroupName, in.FromPort, in.ToPort)...)
	rules, err := a.authorize(ctx, a.groupID(ctx, in.GroupId, in.GroupName), str(in.GroupName), false, perms)
	if err != nil {
		return nil, err
	}
	return &ec2wire.AuthorizeSecurityGroupIngressResult{Return: wire.Bool(true), SecurityGroupRules: rules}, nil
}

func (a *API) authorizeEgress(ctx context.Context, in *ec2wire.AuthorizeSecurityGroupEgressRequest) (*ec2wire.AuthorizeSecurityGroupEgressResult, error) {
	if err := dryRun(in.DryRun); err != nil {
		return nil, err
	}
	perms := append(permissionsIn(in.IpPermissions), legacyPermission(in.IpProtocol, in.CidrIp, in.SourceSecurityGroupName, in.FromPort, in.ToPort)...)
	rules, err := a.authorize(ctx, str(in.GroupId), "", true, perms)
	if err != nil {
		return nil, err
	}
	return &ec2wire.AuthorizeSecurityGroupEgressResult{Return: wire.Bool(true), SecurityGroupRules: rules}, nil
}

// groupID resolves a group named in the default VPC to its ID, so that
// the rules returned name it; errors surface from the call that follows.
func (a *API) groupID(ctx context.Context, id, name *string) string {
	if id != nil || name == nil {
		return str(id)
	}
	gs, _, err := a.svc.DescribeSecurityGroups(ctx, scope(ctx), ec2.GroupQuery{Names: []string{*name}})
	if err != nil || len(gs) == 0 {
		return ""
	}
	return gs[0].ID
}

func revokedOut(groupID string, rules []ec2.Rule) []ec2wire.RevokedSecurityGroupRule {
	out := []ec2wire.RevokedSecurityGroupRule{}
	for _, r := range rules {
		out = append(out, ec2wire.RevokedSecurityGroupRule{
			SecurityGroupRuleId: wire.String(r.ID), GroupId: wire.String(groupID), IsEgress: wire.Bool(r.Egress),
			IpProtocol: wire.String(r.Protocol), FromPort: port(r.FromPort), ToPort: port(r.ToPort),
			CidrIpv4: optString(r.CidrIPv4), CidrIpv6: optString(r.CidrIPv6), PrefixListId: optString(r.PrefixList),
			ReferencedGroupId: optString(r.GroupID), Description: optString(r.Description),
		})
	}
	return out
}

func (a *API) revokeIngress(ctx context.Context, in *ec2wire.RevokeSecurityGroupIngressRequest) (*ec2wire.RevokeSecurityGroupIngressResult, error) {
	if err := dryRun(in.DryRun); err != nil {
		return nil, err
	}
	perms := append(permissionsIn(in.IpPermissions), legacyPermission(in.IpProtocol, in.CidrIp, in.SourceSecurityGroupName, in.FromPort, in.ToPort)...)
	id := a.groupID(ctx, in.GroupId, in.GroupName)
	rules, err := a.svc.Revoke(ctx, scope(ctx), id, str(in.GroupName), false, in.SecurityGroupRuleIds, perms)
	if err != nil {
		return nil, err
	}
	return &ec2wire.RevokeSecurityGroupIngressResult{Return: wire.Bool(true), RevokedSecurityGroupRules: revokedOut(id, rules)}, nil
}

func (a *API) revokeEgress(ctx context.Context, in *ec2wire.RevokeSecurityGroupEgressRequest) (*ec2wire.RevokeSecurityGroupEgressResult, error) {
	if err := dryRun(in.DryRun); err != nil {
		return nil, err
	}
	perms := append(permissionsIn(in.IpPermissions), legacyPermission(in.IpProtocol, in.CidrIp, in.SourceSecurityGroupName, in.FromPort, in.ToPort)...)
	rules, err := a.svc.Revoke(ctx, scope(ctx), str(in.GroupId), "", true, in.SecurityGroupRuleIds, perms)
	if err != nil {
		return nil, err
	}
	return &ec2wire.RevokeSecurityGroupEgressResult{Return: wire.Bool(true), RevokedSecurityGroupRules: revokedOut(str(in.GroupId), rules)}, nil
}

func (a *API) describeSecurityGroupRules(ctx context.Context, in *ec2wire.DescribeSecurityGroupRulesRequest) (*ec2wire.DescribeSecurityGroupRulesResult, error) {
	if err := dryRun(in.DryRun); err != nil {
		return nil, err
	}
	sc := scope(ctx)
	rules, next, err := a.svc.DescribeSecurityGroupRules(ctx, sc, query(in.SecurityGroupRuleIds, in.Filters, in.NextToken, in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &ec2wire.DescribeSecurityGroupRulesResult{SecurityGroupRules: []ec2wire.SecurityGroupRule{}, NextToken: optString(next)}
	for _, r := range rules {
		out.SecurityGroupRules = append(out.SecurityGroupRules, ruleOut(sc, r.GroupID, r.Rule))
	}
	return out, nil
}
