package ec2api

import (
	"context"

	"github.com/quayside/quayside/internal/ec2"
	"github.com/quayside/quayside/internal/wire"
	"github.com/quayside/quayside/internal/wire/ec2wire"
)

func (a *API) describeNetworkInterfaces(ctx context.Context, in *ec2wire.DescribeNetworkInterfacesRequest) (*ec2wire.DescribeNetworkInterfacesResult, error) {
	if err := dryRun(in.DryRun); err != nil {
		return nil, err
	}
	sc := scope(ctx)
	enis, next, err := a.svc.DescribeNetworkInterfaces(ctx, sc, query(in.NetworkInterfaceIds, in.Filters, in.NextToken, in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &ec2wire.DescribeNetworkInterfacesResult{NetworkInterfaces: []ec2wire.NetworkInterface{}, NextToken: optString(next)}
	for _, n := range enis {
		out.NetworkInterfaces = append(out.NetworkInterfaces, interfaceOut(sc, n))
	}
	return out, nil
}

// interfaceOut presents a task's interface as Fargate's look: requester
// managed, attached to no instance, described by its ECS attachment.
func interfaceOut(sc ec2.Scope, n ec2.NetworkInterface) ec2wire.NetworkInterface {
	out := ec2wire.NetworkInterface{
		NetworkInterfaceId: wire.String(n.ID), SubnetId: wire.String(n.SubnetID), VpcId: optString(n.VpcID),
		AvailabilityZone: wire.String(n.AvailabilityZone), Description: wire.String(n.Description),
		InterfaceType: wire.String("interface"), MacAddress: optString(n.MACAddress), OwnerId: wire.String(sc.Account),
		RequesterId: wire.String(sc.Account), RequesterManaged: wire.Bool(true), SourceDestCheck: wire.Bool(true),
		Status: wire.String(n.Status), PrivateIpAddress: optString(n.PrivateIP), Groups: []ec2wire.GroupIdentifier{},
		TagSet: []ec2wire.Tag{}, Ipv6Addresses: []ec2wire.NetworkInterfaceIpv6Address{},
		Attachment: &ec2wire.NetworkInterfaceAttachment{
			AttachmentId: wire.String(n.AttachmentID), AttachTime: wire.NewTime(n.AttachTime), DeleteOnTermination: wire.Bool(false),
			DeviceIndex: wire.Int64(1), NetworkCardIndex: wire.Int64(0), InstanceOwnerId: wire.String("amazon-aws"), Status: wire.String("attached"),
		},
	}
	for _, z := range ec2.Zones(sc.Region) {
		if z.Name == n.AvailabilityZone {
			out.AvailabilityZoneId = wire.String(z.ID)
		}
	}
	if n.PrivateIP != "" {
		out.PrivateDnsName = wire.String(privateDNSName(sc.Region, n.PrivateIP))
	}
	for _, g := range n.Groups {
		out.Groups = append(out.Groups, ec2wire.GroupIdentifier{GroupId: wire.String(g.ID), GroupName: optString(g.Name)})
	}
	var assoc *ec2wire.NetworkInterfaceAssociation
	if n.PublicIP != "" {
		assoc = &ec2wire.NetworkInterfaceAssociation{PublicIp: wire.String(n.PublicIP), IpOwnerId: wire.String("amazon"), PublicDnsName: wire.String("")}
		out.Association = assoc
	}
	if n.PrivateIP != "" {
		out.PrivateIpAddresses = []ec2wire.NetworkInterfacePrivateIpAddress{{
			Primary: wire.Bool(true), PrivateIpAddress: wire.String(n.PrivateIP), PrivateDnsName: out.PrivateDnsName, Association: assoc,
		}}
	}
	return out
}

// privateDNSName is EC2's internal host name of an address:
// ip-10-0-1-5.ec2.internal in us-east-1, ip-10-0-1-5.eu-west-1.compute.internal elsewhere.
func privateDNSName(region, ip string) string {
	host := "ip-"
	for _, c := range ip {
		if c == '.' {
			host += "-"
		} else {
			host += string(c)
		}
	}
	if region == "us-east-1" {
		return host + ".ec2.internal"
	}
	return host + "." + region + ".compute.internal"
}
