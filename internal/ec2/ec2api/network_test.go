package ec2api_test

import (
	"regexp"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/quayside/quayside/internal/servertest"
)

func TestDefaultVPC(t *testing.T) {
	c, srv := newClient(t)
	vpc, subnets, sg := defaults(t, c)
	if !regexp.MustCompile(`^vpc-[0-9a-f]{17}$`).MatchString(vpc) || !regexp.MustCompile(`^sg-[0-9a-f]{17}$`).MatchString(sg) {
		t.Errorf("IDs %s %s", vpc, sg)
	}
	vpcs, _ := c.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{VpcIds: []string{vpc}})
	v := vpcs.Vpcs[0]
	if aws.ToString(v.CidrBlock) != "172.31.0.0/16" || !aws.ToBool(v.IsDefault) || v.State != types.VpcStateAvailable || aws.ToString(v.OwnerId) != "000000000000" {
		t.Errorf("vpc = %+v", v)
	}
	if len(subnets) != 3 {
		t.Fatalf("%d default subnets", len(subnets))
	}
	for i, sn := range subnets {
		az := "us-east-1" + string(rune('a'+i))
		cidr := []string{"172.31.0.0/20", "172.31.16.0/20", "172.31.32.0/20"}[i]
		if aws.ToString(sn.AvailabilityZone) != az || aws.ToString(sn.CidrBlock) != cidr || !aws.ToBool(sn.DefaultForAz) ||
			!aws.ToBool(sn.MapPublicIpOnLaunch) || aws.ToString(sn.VpcId) != vpc || aws.ToInt32(sn.AvailableIpAddressCount) != 4091 {
			t.Errorf("subnet %d = %+v", i, sn)
		}
	}
	// A subnet ID filter and the IDs parameter.
	one := aws.ToString(subnets[1].SubnetId)
	out, err := c.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{SubnetIds: []string{one}})
	if err != nil || len(out.Subnets) != 1 || aws.ToString(out.Subnets[0].AvailabilityZoneId) != "use1-az2" {
		t.Fatalf("by ID: %v %+v", err, out)
	}
	out, err = c.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{Filters: []types.Filter{filter("availability-zone", "us-east-1c"), filter("vpc-id", vpc)}})
	if err != nil || len(out.Subnets) != 1 || aws.ToString(out.Subnets[0].CidrBlock) != "172.31.32.0/20" {
		t.Fatalf("by zone: %v %+v", err, out)
	}
	out, _ = c.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{Filters: []types.Filter{filter("cidr-block", "172.31.1?.0/20")}})
	if len(out.Subnets) != 1 {
		t.Errorf("wildcard filter: %d subnets", len(out.Subnets))
	}

	// The same IDs after a restart on the same data dir, and before any write.
	srv.Stop()
	srv2 := servertest.Start(t, servertest.Options{DataDir: srv.DataDir})
	vpc2, subnets2, sg2 := defaults(t, ec2.NewFromConfig(srv2.AWSConfig("us-east-1")))
	if vpc2 != vpc || sg2 != sg || aws.ToString(subnets2[0].SubnetId) != aws.ToString(subnets[0].SubnetId) {
		t.Errorf("IDs changed across restarts")
	}
	// Another region has its own.
	vpc3, _, _ := defaults(t, ec2.NewFromConfig(srv2.AWSConfig("eu-west-1")))
	if vpc3 == vpc {
		t.Errorf("regions share a default VPC")
	}
}

func TestDescribeErrors(t *testing.T) {
	c, _ := newClient(t)
	_, err := c.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{SubnetIds: []string{"subnet-x"}})
	wantErr(t, err, "InvalidSubnetID.NotFound", "The subnet ID 'subnet-x' does not exist")
	_, err = c.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{VpcIds: []string{"vpc-0123"}})
	wantErr(t, err, "InvalidVpcID.NotFound", "The vpc ID 'vpc-0123' does not exist")
	_, err = c.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{GroupIds: []string{"sg-0123"}})
	wantErr(t, err, "InvalidGroup.NotFound", "The security group 'sg-0123' does not exist")
	_, err = c.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{Filters: []types.Filter{filter("colour", "blue")}})
	wantErr(t, err, "InvalidParameterValue", "The filter 'colour' is invalid")
	_, err = c.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{DryRun: aws.Bool(true)})
	wantErr(t, err, "DryRunOperation", "Request would have succeeded, but DryRun flag is set.")
}

func TestAvailabilityZonesAndRegions(t *testing.T) {
	c, _ := newClient(t)
	out, err := c.DescribeAvailabilityZones(ctx, &ec2.DescribeAvailabilityZonesInput{})
	if err != nil || len(out.AvailabilityZones) != 3 {
		t.Fatalf("%v %+v", err, out)
	}
	z := out.AvailabilityZones[0]
	if aws.ToString(z.ZoneName) != "us-east-1a" || aws.ToString(z.ZoneId) != "use1-az1" || z.State != types.AvailabilityZoneStateAvailable || aws.ToString(z.RegionName) != "us-east-1" {
		t.Errorf("zone = %+v", z)
	}
	out, err = c.DescribeAvailabilityZones(ctx, &ec2.DescribeAvailabilityZonesInput{ZoneIds: []string{"use1-az3"}})
	if err != nil || len(out.AvailabilityZones) != 1 || aws.ToString(out.AvailabilityZones[0].ZoneName) != "us-east-1c" {
		t.Fatalf("by ID: %v %+v", err, out)
	}
	out, _ = c.DescribeAvailabilityZones(ctx, &ec2.DescribeAvailabilityZonesInput{Filters: []types.Filter{filter("zone-name", "us-east-1b")}})
	if len(out.AvailabilityZones) != 1 {
		t.Errorf("filter: %+v", out)
	}
	apse2, err := ec2.NewFromConfig(func() aws.Config { c := servertest.Start(t).AWSConfig("ap-southeast-2"); return c }()).DescribeAvailabilityZones(ctx, &ec2.DescribeAvailabilityZonesInput{})
	if err != nil || aws.ToString(apse2.AvailabilityZones[1].ZoneId) != "apse2-az2" {
		t.Errorf("ap-southeast-2: %v %+v", err, apse2)
	}
	regions, err := c.DescribeRegions(ctx, &ec2.DescribeRegionsInput{RegionNames: []string{"eu-west-1"}})
	if err != nil || len(regions.Regions) != 1 || aws.ToString(regions.Regions[0].Endpoint) != "ec2.eu-west-1.amazonaws.com" {
		t.Errorf("regions: %v %+v", err, regions)
	}
}

func TestCreateVpcAndSubnet(t *testing.T) {
	c, _ := newClient(t)
	v, err := c.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16"), TagSpecifications: []types.TagSpecification{
		{ResourceType: types.ResourceTypeVpc, Tags: []types.Tag{{Key: aws.String("Name"), Value: aws.String("lab")}}}}})
	if err != nil {
		t.Fatal(err)
	}
	vpc := aws.ToString(v.Vpc.VpcId)
	if aws.ToBool(v.Vpc.IsDefault) || len(v.Vpc.Tags) != 1 {
		t.Errorf("vpc = %+v", v.Vpc)
	}
	sn, err := c.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: aws.String(vpc), CidrBlock: aws.String("10.0.1.0/24"), AvailabilityZone: aws.String("us-east-1b")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(sn.Subnet.AvailabilityZone) != "us-east-1b" || aws.ToBool(sn.Subnet.DefaultForAz) || aws.ToInt32(sn.Subnet.AvailableIpAddressCount) != 251 {
		t.Errorf("subnet = %+v", sn.Subnet)
	}
	cases := []struct {
		name          string
		in            *ec2.CreateSubnetInput
		code, message string
	}{
		{"outside the VPC", &ec2.CreateSubnetInput{VpcId: aws.String(vpc), CidrBlock: aws.String("10.1.0.0/24")}, "InvalidSubnet.Range", "The CIDR '10.1.0.0/24' is invalid."},
		{"overlapping", &ec2.CreateSubnetInput{VpcId: aws.String(vpc), CidrBlock: aws.String("10.0.1.128/25")}, "InvalidSubnet.Conflict", "The CIDR '10.0.1.128/25' conflicts with another subnet"},
		{"not a CIDR", &ec2.CreateSubnetInput{VpcId: aws.String(vpc), CidrBlock: aws.String("10.0.2.1/24")}, "InvalidParameterValue", "Value (10.0.2.1/24) for parameter cidrBlock is invalid. This is not a valid CIDR block."},
		{"no such VPC", &ec2.CreateSubnetInput{VpcId: aws.String("vpc-0"), CidrBlock: aws.String("10.0.2.0/24")}, "InvalidVpcID.NotFound", "The vpc ID 'vpc-0' does not exist"},
		{"no such zone", &ec2.CreateSubnetInput{VpcId: aws.String(vpc), CidrBlock: aws.String("10.0.2.0/24"), AvailabilityZone: aws.String("us-east-1z")}, "InvalidParameterValue",
			"Value (us-east-1z) for parameter availabilityZone is invalid. Subnets can currently only be created in the following availability zones: us-east-1a, us-east-1b, us-east-1c."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.CreateSubnet(ctx, tc.in)
			wantErr(t, err, tc.code, tc.message)
		})
	}
	_, err = c.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/8")})
	wantErr(t, err, "InvalidVpc.Range", "The CIDR '10.0.0.0/8' is invalid.")

	// The new VPC has its own default group; it goes with the VPC.
	groups, _ := c.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{Filters: []types.Filter{filter("vpc-id", vpc)}})
	if len(groups.SecurityGroups) != 1 || aws.ToString(groups.SecurityGroups[0].GroupName) != "default" {
		t.Errorf("groups of the new VPC = %+v", groups.SecurityGroups)
	}
	_, err = c.DeleteVpc(ctx, &ec2.DeleteVpcInput{VpcId: aws.String(vpc)})
	wantErr(t, err, "DependencyViolation", "The vpc '"+vpc+"' has dependencies and cannot be deleted.")
	if _, err := c.DeleteSubnet(ctx, &ec2.DeleteSubnetInput{SubnetId: sn.Subnet.SubnetId}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DeleteVpc(ctx, &ec2.DeleteVpcInput{VpcId: aws.String(vpc)}); err != nil {
		t.Fatal(err)
	}
	all, _ := c.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{})
	if len(all.SecurityGroups) != 1 {
		t.Errorf("groups left: %d", len(all.SecurityGroups))
	}
}

func TestPaginationAndTags(t *testing.T) {
	c, _ := newClient(t)
	vpc, _, _ := defaults(t, c)
	for _, cidr := range []string{"172.31.48.0/20", "172.31.64.0/20", "172.31.80.0/20"} {
		if _, err := c.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: aws.String(vpc), CidrBlock: aws.String(cidr)}); err != nil {
			t.Fatal(err)
		}
	}
	var ids []string
	p := ec2.NewDescribeSubnetsPaginator(c, &ec2.DescribeSubnetsInput{MaxResults: aws.Int32(5)})
	pages := 0
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, sn := range out.Subnets {
			ids = append(ids, aws.ToString(sn.SubnetId))
		}
	}
	if len(ids) != 6 || pages != 2 || !slices.IsSorted(ids) {
		t.Fatalf("%d subnets in %d pages: %v", len(ids), pages, ids)
	}

	if _, err := c.CreateTags(ctx, &ec2.CreateTagsInput{Resources: []string{vpc, ids[0]}, Tags: []types.Tag{{Key: aws.String("env"), Value: aws.String("dev")}}}); err != nil {
		t.Fatal(err)
	}
	out, err := c.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{Filters: []types.Filter{filter("tag:env", "dev")}})
	if err != nil || len(out.Subnets) != 1 || aws.ToString(out.Subnets[0].SubnetId) != ids[0] {
		t.Fatalf("tag filter: %v %+v", err, out)
	}
	out, _ = c.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{Filters: []types.Filter{filter("tag-key", "env")}})
	if len(out.Subnets) != 1 {
		t.Errorf("tag-key filter: %d", len(out.Subnets))
	}
	tags, err := c.DescribeTags(ctx, &ec2.DescribeTagsInput{Filters: []types.Filter{filter("resource-type", "vpc")}})
	if err != nil || len(tags.Tags) != 1 || aws.ToString(tags.Tags[0].ResourceId) != vpc {
		t.Fatalf("DescribeTags: %v %+v", err, tags)
	}
	if _, err := c.DeleteTags(ctx, &ec2.DeleteTagsInput{Resources: []string{vpc}, Tags: []types.Tag{{Key: aws.String("env"), Value: aws.String("prod")}}}); err != nil {
		t.Fatal(err)
	}
	tags, _ = c.DescribeTags(ctx, &ec2.DescribeTagsInput{})
	if len(tags.Tags) != 2 {
		t.Errorf("a delete with another value removed a tag: %+v", tags.Tags)
	}
	if _, err := c.DeleteTags(ctx, &ec2.DeleteTagsInput{Resources: []string{vpc}}); err != nil {
		t.Fatal(err)
	}
	tags, _ = c.DescribeTags(ctx, &ec2.DescribeTagsInput{})
	if len(tags.Tags) != 1 {
		t.Errorf("tags left = %+v", tags.Tags)
	}
	_, err = c.CreateTags(ctx, &ec2.CreateTagsInput{Resources: []string{"subnet-nope"}, Tags: []types.Tag{{Key: aws.String("a"), Value: aws.String("b")}}})
	wantErr(t, err, "InvalidSubnetID.NotFound", "The subnet ID 'subnet-nope' does not exist")
	_, err = c.CreateTags(ctx, &ec2.CreateTagsInput{Resources: []string{vpc}, Tags: []types.Tag{{Key: aws.String("aws:x"), Value: aws.String("b")}}})
	wantErr(t, err, "InvalidParameterValue", "")
}
