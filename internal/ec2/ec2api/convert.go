package ec2api

import (
	"strconv"

	"github.com/quayside/quayside/internal/ec2"
	"github.com/quayside/quayside/internal/wire"
	"github.com/quayside/quayside/internal/wire/ec2wire"
)

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

func maxResults(p *int64) int {
	if p == nil {
		return 0
	}
	return int(*p)
}

func filtersIn(fs []ec2wire.Filter) []ec2.Filter {
	out := make([]ec2.Filter, len(fs))
	for i, f := range fs {
		out[i] = ec2.Filter{Name: str(f.Name), Values: f.Values}
	}
	return out
}

func query(ids []string, fs []ec2wire.Filter, token *string, max *int64) ec2.Query {
	return ec2.Query{IDs: ids, Filters: filtersIn(fs), NextToken: str(token), Max: maxResults(max)}
}

func tagsIn(ts []ec2wire.Tag) []ec2.Tag {
	out := make([]ec2.Tag, len(ts))
	for i, t := range ts {
		out[i] = ec2.Tag{Key: str(t.Key), Value: str(t.Value)}
	}
	return out
}

func tagsOut(ts []ec2.Tag) []ec2wire.Tag {
	out := make([]ec2wire.Tag, len(ts))
	for i, t := range ts {
		out[i] = ec2wire.Tag{Key: wire.String(t.Key), Value: wire.String(t.Value)}
	}
	return out
}

func specsIn(ss []ec2wire.TagSpecification) []ec2.TagSpec {
	out := make([]ec2.TagSpec, len(ss))
	for i, s := range ss {
		out[i] = ec2.TagSpec{ResourceType: str(s.ResourceType), Tags: tagsIn(s.Tags)}
	}
	return out
}

func vpcOut(v ec2.Vpc, account string) ec2wire.Vpc {
	return ec2wire.Vpc{
		VpcId: wire.String(v.ID), State: wire.String("available"), CidrBlock: wire.String(v.CidrBlock),
		DhcpOptionsId: wire.String(v.DhcpOptionsID), InstanceTenancy: wire.String(v.Tenancy), IsDefault: wire.Bool(v.IsDefault),
		OwnerId: wire.String(account), Tags: tagsOut(v.Tags),
		CidrBlockAssociationSet: []ec2wire.VpcCidrBlockAssociation{{
			AssociationId: wire.String(v.AssociationID), CidrBlock: wire.String(v.CidrBlock),
			CidrBlockState: &ec2wire.VpcCidrBlockState{State: wire.String("associated")},
		}},
		BlockPublicAccessStates: &ec2wire.BlockPublicAccessStates{InternetGatewayBlockMode: wire.String("off")},
	}
}

func subnetOut(sc ec2.Scope, sn ec2.Subnet) ec2wire.Subnet {
	zoneID := ""
	for _, z := range ec2.Zones(sc.Region) {
		if z.Name == sn.AvailabilityZone {
			zoneID = z.ID
		}
	}
	return ec2wire.Subnet{
		SubnetId: wire.String(sn.ID), SubnetArn: wire.String(ec2.SubnetARN(sc, sn.ID)), State: wire.String("available"),
		VpcId: wire.String(sn.VpcID), CidrBlock: wire.String(sn.CidrBlock), OwnerId: wire.String(sc.Account),
		AvailableIpAddressCount: wire.Int64(int64(ec2.AvailableAddresses(sn.CidrBlock, sn.Used))),
		AvailabilityZone:        wire.String(sn.AvailabilityZone), AvailabilityZoneId: optString(zoneID),
		DefaultForAz: wire.Bool(sn.DefaultForAz), MapPublicIpOnLaunch: wire.Bool(sn.MapPublicIP),
		MapCustomerOwnedIpOnLaunch: wire.Bool(false), AssignIpv6AddressOnCreation: wire.Bool(false),
		EnableDns64: wire.Bool(false), Ipv6Native: wire.Bool(false), Tags: tagsOut(sn.Tags),
		Ipv6CidrBlockAssociationSet: []ec2wire.SubnetIpv6CidrBlockAssociation{},
		PrivateDnsNameOptionsOnLaunch: &ec2wire.PrivateDnsNameOptionsOnLaunch{
			HostnameType: wire.String("ip-name"), EnableResourceNameDnsARecord: wire.Bool(false), EnableResourceNameDnsAAAARecord: wire.Bool(false),
		},
		BlockPublicAccessStates: &ec2wire.BlockPublicAccessStates{InternetGatewayBlockMode: wire.String("off")},
	}
}

func port(p *int) *int64 {
	if p == nil {
		return nil
	}
	return wire.Int64(int64(*p))
}

func portIn(p *int64) *int {
	if p == nil {
		return nil
	}
	n := int(*p)
	return &n
}

// permissionsOut groups a group's rules of one direction into
// IpPermissions, one per protocol and port range, in rule order.
func permissionsOut(rules []ec2.Rule, egress bool) []ec2wire.IpPermission {
	out := []ec2wire.IpPermission{}
	index := map[string]int{}
	for _, r := range rules {
		if r.Egress != egress {
			continue
		}
		key := r.Protocol + "/" + portKey(r.FromPort) + "/" + portKey(r.ToPort)
		i, ok := index[key]
		if !ok {
			i = len(out)
			index[key] = i
			out = append(out, ec2wire.IpPermission{IpProtocol: wire.String(r.Protocol), FromPort: port(r.FromPort), ToPort: port(r.ToPort),
				IpRanges: []ec2wire.IpRange{}, Ipv6Ranges: []ec2wire.Ipv6Range{}, PrefixListIds: []ec2wire.PrefixListId{}, UserIdGroupPairs: []ec2wire.UserIdGroupPair{}})
		}
		p := &out[i]
		switch {
		case r.CidrIPv4 != "":
			p.IpRanges = append(p.IpRanges, ec2wire.IpRange{CidrIp: wire.String(r.CidrIPv4), Description: optString(r.Description)})
		case r.CidrIPv6 != "":
			p.Ipv6Ranges = append(p.Ipv6Ranges, ec2wire.Ipv6Range{CidrIpv6: wire.String(r.CidrIPv6), Description: optString(r.Description)})
		case r.GroupID != "":
			p.UserIdGroupPairs = append(p.UserIdGroupPairs, ec2wire.UserIdGroupPair{GroupId: wire.String(r.GroupID), UserId: optString(r.GroupOwner), Description: optString(r.Description)})
		case r.PrefixList != "":
			p.PrefixListIds = append(p.PrefixListIds, ec2wire.PrefixListId{PrefixListId: wire.String(r.PrefixList), Description: optString(r.Description)})
		}
	}
	return out
}

func portKey(p *int) string {
	if p == nil {
		return ""
	}
	return strconv.Itoa(*p)
}

func groupOut(sc ec2.Scope, g ec2.SecurityGroup) ec2wire.SecurityGroup {
	return ec2wire.SecurityGroup{
		GroupId: wire.String(g.ID), GroupName: wire.String(g.Name), Description: wire.String(g.Description),
		VpcId: wire.String(g.VpcID), OwnerId: wire.String(sc.Account), SecurityGroupArn: wire.String(ec2.GroupARN(sc, g.ID)),
		IpPermissions: permissionsOut(g.Rules, false), IpPermissionsEgress: permissionsOut(g.Rules, true), Tags: tagsOut(g.Tags),
	}
}

func ruleOut(sc ec2.Scope, groupID string, r ec2.Rule) ec2wire.SecurityGroupRule {
	out := ec2wire.SecurityGroupRule{
		SecurityGroupRuleId: wire.String(r.ID), GroupId: wire.String(groupID), GroupOwnerId: wire.String(sc.Account),
		IsEgress: wire.Bool(r.Egress), IpProtocol: wire.String(r.Protocol), FromPort: port(r.FromPort), ToPort: port(r.ToPort),
		CidrIpv4: optString(r.CidrIPv4), CidrIpv6: optString(r.CidrIPv6), PrefixListId: optString(r.PrefixList),
		Description: optString(r.Description), SecurityGroupRuleArn: wire.String(ec2.RuleARN(sc, r.ID)), Tags: []ec2wire.Tag{},
	}
	if r.FromPort == nil && r.Protocol == "-1" {
		out.FromPort, out.ToPort = wire.Int64(-1), wire.Int64(-1)
	}
	if r.GroupID != "" {
		out.ReferencedGroupInfo = &ec2wire.ReferencedSecurityGroup{GroupId: wire.String(r.GroupID), UserId: optString(r.GroupOwner)}
	}
	return out
}

// permissionsIn converts request IpPermissions.
func permissionsIn(ps []ec2wire.IpPermission) []ec2.Permission {
	out := make([]ec2.Permission, len(ps))
	for i, p := range ps {
		perm := ec2.Permission{Protocol: str(p.IpProtocol), FromPort: portIn(p.FromPort), ToPort: portIn(p.ToPort)}
		for _, r := range p.IpRanges {
			perm.IPv4 = append(perm.IPv4, ec2.Peer{ID: str(r.CidrIp), Description: str(r.Description)})
		}
		for _, r := range p.Ipv6Ranges {
			perm.IPv6 = append(perm.IPv6, ec2.Peer{ID: str(r.CidrIpv6), Description: str(r.Description)})
		}
		for _, g := range p.UserIdGroupPairs {
			perm.Groups = append(perm.Groups, ec2.Peer{ID: str(g.GroupId), Name: str(g.GroupName), Description: str(g.Description)})
		}
		for _, pl := range p.PrefixListIds {
			perm.PrefixLists = append(perm.PrefixLists, ec2.Peer{ID: str(pl.PrefixListId), Description: str(pl.Description)})
		}
		out[i] = perm
	}
	return out
}

// legacyPermission builds the permission of the older flat parameters
// (IpProtocol, FromPort, ToPort, CidrIp, SourceSecurityGroupName).
func legacyPermission(proto, cidr, sourceGroup *string, from, to *int64) []ec2.Permission {
	if proto == nil && cidr == nil && sourceGroup == nil {
		return nil
	}
	p := ec2.Permission{Protocol: str(proto), FromPort: portIn(from), ToPort: portIn(to)}
	if p.Protocol == "" {
		p.Protocol = "-1"
	}
	if cidr != nil {
		p.IPv4 = []ec2.Peer{{ID: *cidr}}
	}
	if sourceGroup != nil {
		p.Groups = []ec2.Peer{{Name: *sourceGroup}}
	}
	return []ec2.Permission{p}
}
