package ec2api_test

import (
	"regexp"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

func TestDefaultSecurityGroup(t *testing.T) {
	c, _ := newClient(t)
	vpc, _, sg := defaults(t, c)
	out, err := c.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{GroupNames: []string{"default"}})
	if err != nil || len(out.SecurityGroups) != 1 {
		t.Fatalf("%v %+v", err, out)
	}
	g := out.SecurityGroups[0]
	if aws.ToString(g.GroupId) != sg || aws.ToString(g.VpcId) != vpc || aws.ToString(g.Description) != "default VPC security group" {
		t.Errorf("group = %+v", g)
	}
	// In from the group itself, out to anywhere.
	if len(g.IpPermissions) != 1 || aws.ToString(g.IpPermissions[0].IpProtocol) != "-1" || aws.ToString(g.IpPermissions[0].UserIdGroupPairs[0].GroupId) != sg {
		t.Errorf("ingress = %+v", g.IpPermissions)
	}
	if len(g.IpPermissionsEgress) != 1 || aws.ToString(g.IpPermissionsEgress[0].IpRanges[0].CidrIp) != "0.0.0.0/0" {
		t.Errorf("egress = %+v", g.IpPermissionsEgress)
	}
	_, err = c.DeleteSecurityGroup(ctx, &ec2.DeleteSecurityGroupInput{GroupId: aws.String(sg)})
	wantErr(t, err, "CannotDelete", `the specified group: "`+sg+`" name: "default" cannot be deleted by a user`)
	_, err = c.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{GroupNames: []string{"nope"}})
	wantErr(t, err, "InvalidGroup.NotFound", "The security group 'nope' does not exist in default VPC '"+vpc+"'")
}

func TestSecurityGroupRules(t *testing.T) {
	c, _ := newClient(t)
	vpc, _, def := defaults(t, c)
	created, err := c.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("web"), Description: aws.String("web tier"),
		TagSpecifications: []types.TagSpecification{{ResourceType: types.ResourceTypeSecurityGroup, Tags: []types.Tag{{Key: aws.String("app"), Value: aws.String("shop")}}}}})
	if err != nil {
		t.Fatal(err)
	}
	sg := aws.ToString(created.GroupId)
	if !regexp.MustCompile(`^sg-[0-9a-f]{17}$`).MatchString(sg) || len(created.Tags) != 1 {
		t.Fatalf("created = %+v", created)
	}
	_, err = c.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("web"), Description: aws.String("again")})
	wantErr(t, err, "InvalidGroup.Duplicate", "The security group 'web' already exists for VPC '"+vpc+"'")
	_, err = c.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("x"), Description: aws.String("x"), VpcId: aws.String("vpc-nope")})
	wantErr(t, err, "InvalidVpcID.NotFound", "The vpc ID 'vpc-nope' does not exist")
	_, err = c.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("sg-1"), Description: aws.String("x")})
	wantErr(t, err, "InvalidParameterValue", "Group names may not be in the format sg-*.")

	// Ingress: HTTP from anywhere, and everything from the default group.
	in, err := c.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: aws.String(sg), IpPermissions: []types.IpPermission{
		{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(80), ToPort: aws.Int32(80), IpRanges: []types.IpRange{{CidrIp: aws.String("0.0.0.0/0"), Description: aws.String("http")}}},
		{IpProtocol: aws.String("-1"), UserIdGroupPairs: []types.UserIdGroupPair{{GroupId: aws.String(def)}}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if len(in.SecurityGroupRules) != 2 || !regexp.MustCompile(`^sgr-[0-9a-f]{17}$`).MatchString(aws.ToString(in.SecurityGroupRules[0].SecurityGroupRuleId)) ||
		aws.ToString(in.SecurityGroupRules[0].CidrIpv4) != "0.0.0.0/0" || aws.ToString(in.SecurityGroupRules[1].ReferencedGroupInfo.GroupId) != def {
		t.Fatalf("rules = %+v", in.SecurityGroupRules)
	}
	// The flat parameters the aws CLI's --protocol/--port/--cidr send.
	if _, err := c.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupName: aws.String("web"), IpProtocol: aws.String("tcp"),
		FromPort: aws.Int32(443), ToPort: aws.Int32(443), CidrIp: aws.String("10.0.0.0/8")}); err != nil {
		t.Fatal(err)
	}
	_, err = c.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: aws.String(sg), IpProtocol: aws.String("tcp"),
		FromPort: aws.Int32(80), ToPort: aws.Int32(80), CidrIp: aws.String("0.0.0.0/0")})
	wantErr(t, err, "InvalidPermission.Duplicate", `the specified rule "peer: 0.0.0.0/0, TCP, from port: 80, to port: 80, ALLOW" already exists`)
	_, err = c.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: aws.String(sg), IpProtocol: aws.String("tcp"), CidrIp: aws.String("0.0.0.0/0")})
	wantErr(t, err, "InvalidParameterValue", "")
	_, err = c.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: aws.String("sg-nope"), IpProtocol: aws.String("-1"), CidrIp: aws.String("0.0.0.0/0")})
	wantErr(t, err, "InvalidGroup.NotFound", "The security group 'sg-nope' does not exist")

	eg, err := c.AuthorizeSecurityGroupEgress(ctx, &ec2.AuthorizeSecurityGroupEgressInput{GroupId: aws.String(sg), IpPermissions: []types.IpPermission{
		{IpProtocol: aws.String("udp"), FromPort: aws.Int32(53), ToPort: aws.Int32(53), IpRanges: []types.IpRange{{CidrIp: aws.String("10.0.0.2/32")}}}}})
	if err != nil || len(eg.SecurityGroupRules) != 1 || !aws.ToBool(eg.SecurityGroupRules[0].IsEgress) {
		t.Fatalf("egress: %v %+v", err, eg)
	}

	got, err := c.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{GroupIds: []string{sg}})
	if err != nil {
		t.Fatal(err)
	}
	g := got.SecurityGroups[0]
	if len(g.IpPermissions) != 3 || len(g.IpPermissionsEgress) != 2 || aws.ToString(g.IpPermissions[0].IpRanges[0].Description) != "http" {
		t.Fatalf("permissions = %+v / %+v", g.IpPermissions, g.IpPermissionsEgress)
	}
	byPort, _ := c.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{Filters: []types.Filter{filter("ip-permission.from-port", "443")}})
	if len(byPort.SecurityGroups) != 1 {
		t.Errorf("ip-permission filter: %d groups", len(byPort.SecurityGroups))
	}
	rules, err := c.DescribeSecurityGroupRules(ctx, &ec2.DescribeSecurityGroupRulesInput{Filters: []types.Filter{filter("group-id", sg)}})
	if err != nil || len(rules.SecurityGroupRules) != 5 {
		t.Fatalf("DescribeSecurityGroupRules: %v %d", err, len(rules.SecurityGroupRules))
	}

	// The default group is referenced by web's rules: it stays; web can go
	// once nothing uses it.
	if _, err := c.RevokeSecurityGroupIngress(ctx, &ec2.RevokeSecurityGroupIngressInput{GroupId: aws.String(sg),
		SecurityGroupRuleIds: []string{aws.ToString(in.SecurityGroupRules[1].SecurityGroupRuleId)}}); err != nil {
		t.Fatal(err)
	}
	rv, err := c.RevokeSecurityGroupIngress(ctx, &ec2.RevokeSecurityGroupIngressInput{GroupId: aws.String(sg), IpProtocol: aws.String("tcp"),
		FromPort: aws.Int32(443), ToPort: aws.Int32(443), CidrIp: aws.String("10.0.0.0/8")})
	if err != nil || len(rv.RevokedSecurityGroupRules) != 1 {
		t.Fatalf("revoke: %v %+v", err, rv)
	}
	_, err = c.RevokeSecurityGroupIngress(ctx, &ec2.RevokeSecurityGroupIngressInput{GroupId: aws.String(sg), IpProtocol: aws.String("tcp"),
		FromPort: aws.Int32(443), ToPort: aws.Int32(443), CidrIp: aws.String("10.0.0.0/8")})
	wantErr(t, err, "InvalidPermission.NotFound", "The specified rule does not exist in this security group.")
	_, err = c.RevokeSecurityGroupEgress(ctx, &ec2.RevokeSecurityGroupEgressInput{GroupId: aws.String(sg), SecurityGroupRuleIds: []string{"sgr-nope"}})
	wantErr(t, err, "InvalidSecurityGroupRuleId.NotFound", "The security group rule ID 'sgr-nope' does not exist")

	other, _ := c.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("db"), Description: aws.String("db")})
	if _, err := c.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: other.GroupId, IpPermissions: []types.IpPermission{
		{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(5432), ToPort: aws.Int32(5432), UserIdGroupPairs: []types.UserIdGroupPair{{GroupId: aws.String(sg)}}}}}); err != nil {
		t.Fatal(err)
	}
	_, err = c.DeleteSecurityGroup(ctx, &ec2.DeleteSecurityGroupInput{GroupId: aws.String(sg)})
	wantErr(t, err, "DependencyViolation", "resource "+sg+" has a dependent object")
	if _, err := c.DeleteSecurityGroup(ctx, &ec2.DeleteSecurityGroupInput{GroupId: other.GroupId}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DeleteSecurityGroup(ctx, &ec2.DeleteSecurityGroupInput{GroupName: aws.String("web")}); err != nil {
		t.Fatal(err)
	}
	_, err = c.DeleteSecurityGroup(ctx, &ec2.DeleteSecurityGroupInput{GroupId: aws.String(sg)})
	wantErr(t, err, "InvalidGroup.NotFound", "The security group '"+sg+"' does not exist")
}
