package ec2api_test

import (
	"context"
	"errors"
	"sort"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/smithy-go"

	"github.com/quayside/quayside/internal/servertest"
)

var ctx = context.Background()

func newClient(t *testing.T) (*ec2.Client, *servertest.Server) {
	t.Helper()
	srv := servertest.Start(t)
	return ec2.NewFromConfig(srv.AWSConfig("us-east-1")), srv
}

func wantErr(t *testing.T, err error, code, msg string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("err = %v, want %s", err, code)
	}
	if ae.ErrorCode() != code || msg != "" && ae.ErrorMessage() != msg {
		t.Fatalf("error = %s %q, want %s %q", ae.ErrorCode(), ae.ErrorMessage(), code, msg)
	}
}

func filter(name string, values ...string) types.Filter {
	return types.Filter{Name: aws.String(name), Values: values}
}

// defaults returns the default VPC, its subnets and its default group.
func defaults(t *testing.T, c *ec2.Client) (string, []types.Subnet, string) {
	t.Helper()
	vpcs, err := c.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{Filters: []types.Filter{filter("is-default", "true")}})
	if err != nil || len(vpcs.Vpcs) != 1 {
		t.Fatalf("default VPC: %v %+v", err, vpcs)
	}
	vpc := aws.ToString(vpcs.Vpcs[0].VpcId)
	subnets, err := c.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{Filters: []types.Filter{filter("default-for-az", "true")}})
	if err != nil {
		t.Fatal(err)
	}
	groups, err := c.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{Filters: []types.Filter{filter("group-name", "default"), filter("vpc-id", vpc)}})
	if err != nil || len(groups.SecurityGroups) != 1 {
		t.Fatalf("default group: %v %+v", err, groups)
	}
	// Subnets come in ID order; the tests want them by zone.
	sort.Slice(subnets.Subnets, func(i, j int) bool {
		return aws.ToString(subnets.Subnets[i].AvailabilityZone) < aws.ToString(subnets.Subnets[j].AvailabilityZone)
	})
	return vpc, subnets.Subnets, aws.ToString(groups.SecurityGroups[0].GroupId)
}
