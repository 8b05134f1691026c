package ec2api

import (
	"context"

	"github.com/quayside/quayside/internal/awsctx"
	"github.com/quayside/quayside/internal/ec2"
	"github.com/quayside/quayside/internal/wire"
	"github.com/quayside/quayside/internal/wire/ec2wire"
)

func (a *API) describeVpcs(ctx context.Context, in *ec2wire.DescribeVpcsRequest) (*ec2wire.DescribeVpcsResult, error) {
	if err := dryRun(in.DryRun); err != nil {
		return nil, err
	}
	sc := scope(ctx)
	vpcs, next, err := a.svc.DescribeVpcs(ctx, sc, query(in.VpcIds, in.Filters, in.NextToken, in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &ec2wire.DescribeVpcsResult{Vpcs: []ec2wire.Vpc{}, NextToken: optString(next)}
	for _, v := range vpcs {
		out.Vpcs = append(out.Vpcs, vpcOut(v, sc.Account))
	}
	return out, nil
}

func (a *API) createVpc(ctx context.Context, in *ec2wire.CreateVpcRequest) (*ec2wire.CreateVpcResult, error) {
	if err := dryRun(in.DryRun); err != nil {
		return nil, err
	}
	sc := scope(ctx)
	v, err := a.svc.CreateVpc(ctx, sc, str(in.CidrBlock), str(in.InstanceTenancy), specsIn(in.TagSpecifications))
	if err != nil {
		return nil, err
	}
	out := vpcOut(v, sc.Account)
	out.State = wire.String("pending")
	return &ec2wire.CreateVpcResult{Vpc: &out}, nil
}

func (a *API) deleteVpc(ctx context.Context, in *ec2wire.DeleteVpcRequest) (*done, error) {
	if err := dryRun(in.DryRun); err != nil {
		return nil, err
	}
	return ok, a.svc.DeleteVpc(ctx, scope(ctx), str(in.VpcId))
}

func (a *API) describeSubnets(ctx context.Context, in *ec2wire.DescribeSubnetsRequest) (*ec2wire.DescribeSubnetsResult, error) {
	if err := dryRun(in.DryRun); err != nil {
		return nil, err
	}
	sc := scope(ctx)
	subnets, next, err := a.svc.DescribeSubnets(ctx, sc, query(in.SubnetIds, in.Filters, in.NextToken, in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &ec2wire.DescribeSubnetsResult{Subnets: []ec2wire.Subnet{}, NextToken: optString(next)}
	for _, sn := range subnets {
		out.Subnets = append(out.Subnets, subnetOut(sc, sn))
	}
	return out, nil
}

func (a *API) createSubnet(ctx context.Context, in *ec2wire.CreateSubnetRequest) (*ec2wire.CreateSubnetResult, error) {
	if err := dryRun(in.DryRun); err != nil {
		return nil, err
	}
	sc := scope(ctx)
	az := str(in.AvailabilityZone)
	if az == "" {
		az = str(in.AvailabilityZoneId)
	}
	sn, err := a.svc.CreateSubnet(ctx, sc, ec2.CreateSubnetInput{VpcID: str(in.VpcId), CidrBlock: str(in.CidrBlock), AvailabilityZone: az, Tags: specsIn(in.TagSpecifications)})
	if err != nil {
		return nil, err
	}
	out := subnetOut(sc, sn)
	out.State = wire.String("pending")
	return &ec2wire.CreateSubnetResult{Subnet: &out}, nil
}

func (a *API) deleteSubnet(ctx context.Context, in *ec2wire.DeleteSubnetRequest) (*done, error) {
	if err := dryRun(in.DryRun); err != nil {
		return nil, err
	}
	return ok, a.svc.DeleteSubnet(ctx, scope(ctx), str(in.SubnetId))
}

func (a *API) describeAvailabilityZones(ctx context.Context, in *ec2wire.DescribeAvailabilityZonesRequest) (*ec2wire.DescribeAvailabilityZonesResult, error) {
	if err := dryRun(in.DryRun); err != nil {
		return nil, err
	}
	zones, err := a.svc.DescribeAvailabilityZones(scope(ctx).Region, in.ZoneNames, in.ZoneIds, filtersIn(in.Filters))
	if err != nil {
		return nil, err
	}
	out := &ec2wire.DescribeAvailabilityZonesResult{AvailabilityZones: []ec2wire.AvailabilityZone{}}
	for _, z := range zones {
		out.AvailabilityZones = append(out.AvailabilityZones, ec2wire.AvailabilityZone{
			ZoneName: wire.String(z.Name), ZoneId: wire.String(z.ID), RegionName: wire.String(z.Region), State: wire.String("available"),
			OptInStatus: wire.String("opt-in-not-required"), GroupName: wire.String(z.Region), NetworkBorderGroup: wire.String(z.Region),
			ZoneType: wire.String("availability-zone"), Messages: []ec2wire.AvailabilityZoneMessage{},
		})
	}
	return out, nil
}

// regions are the commercial regions DescribeRegions lists; Quayside
// serves any of them.
var regions = []string{
	"ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-southeast-1", "ap-southeast-2",
	"ca-central-1", "eu-central-1", "eu-north-1", "eu-west-1", "eu-west-2", "eu-west-3", "sa-east-1",
	"us-east-1", "us-east-2", "us-west-1", "us-west-2",
}

func (a *API) describeRegions(ctx context.Context, in *ec2wire.DescribeRegionsRequest) (*ec2wire.DescribeRegionsResult, error) {
	if err := dryRun(in.DryRun); err != nil {
		return nil, err
	}
	names := append([]string{}, regions...)
	if cur := awsctx.From(ctx).Region; !contains(names, cur) {
		names = append(names, cur)
	}
	out := &ec2wire.DescribeRegionsResult{Regions: []ec2wire.Region{}}
	for _, r := range names {
		if len(in.RegionNames) > 0 && !contains(in.RegionNames, r) {
			continue
		}
		keep := true
		for _, f := range in.Filters {
			switch str(f.Name) {
			case "region-name":
				keep = keep && contains(f.Values, r)
			case "endpoint":
				keep = keep && contains(f.Values, "ec2."+r+".amazonaws.com")
			case "opt-in-status":
				keep = keep && contains(f.Values, "opt-in-not-required")
			default:
				return nil, ec2.InvalidFilter(str(f.Name))
			}
		}
		if keep {
			out.Regions = append(out.Regions, ec2wire.Region{RegionName: wire.String(r), Endpoint: wire.String("ec2." + r + ".amazonaws.com"), OptInStatus: wire.String("opt-in-not-required")})
		}
	}
	return out, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
