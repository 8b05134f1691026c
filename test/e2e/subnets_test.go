package e2e

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/smithy-go"
)

// wantRefused checks that a call failed with the AWS error code and
// message.
func wantRefused(t *testing.T, err error, code, message string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != code || ae.ErrorMessage() != message {
		t.Fatalf("error = %v, want %s %q", err, code, message)
	}
}

// Tasks live in EC2's network: an unknown subnet or security group is
// refused with ECS's error, and a task in the default subnet of the second
// zone runs in that zone, its network interface in that subnet. A
// service's tasks follow their subnet too.
func TestAwsvpcTasksFollowTheirSubnet(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	ec2c := ec2.NewFromConfig(e.srv.AWSConfig("us-east-1"))
	subnets, err := ec2c.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{Filters: []ec2types.Filter{
		{Name: aws.String("default-for-az"), Values: []string{"true"}}, {Name: aws.String("availability-zone"), Values: []string{"us-east-1b"}}}})
	if err != nil || len(subnets.Subnets) != 1 {
		t.Fatalf("default subnet of us-east-1b: %v %+v", err, subnets)
	}
	subnet := aws.ToString(subnets.Subnets[0].SubnetId)
	groups, err := ec2c.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{Filters: []ec2types.Filter{
		{Name: aws.String("group-name"), Values: []string{"default"}}}})
	if err != nil || len(groups.SecurityGroups) != 1 {
		t.Fatalf("default security group: %v %+v", err, groups)
	}
	group := aws.ToString(groups.SecurityGroups[0].GroupId)
	td := e.register(webTask("zoned", e.testapp))
	network := func(subnet, group string) *types.NetworkConfiguration {
		return &types.NetworkConfiguration{AwsvpcConfiguration: &types.AwsVpcConfiguration{Subnets: []string{subnet}, SecurityGroups: []string{group}}}
	}
	run := func(n *types.NetworkConfiguration) (*ecs.RunTaskOutput, error) {
		return e.ecs.RunTask(ctx, &ecs.RunTaskInput{Cluster: aws.String(e.cluster), TaskDefinition: aws.String(td),
			LaunchType: types.LaunchTypeFargate, NetworkConfiguration: n})
	}

	_, err = run(network("subnet-0a1b2c3d", group))
	wantRefused(t, err, "InvalidParameterException",
		"Error retrieving subnet information for [subnet-0a1b2c3d]: The subnet ID 'subnet-0a1b2c3d' does not exist (ErrorCode: InvalidSubnetID.NotFound)")
	_, err = run(network(subnet, "sg-0123456789abcdef0"))
	wantRefused(t, err, "InvalidParameterException",
		"Error retrieving security group information for [sg-0123456789abcdef0]: The security group 'sg-0123456789abcdef0' does not exist (ErrorCode: InvalidGroup.NotFound)")

	out, err := run(network(subnet, group))
	if err != nil || len(out.Tasks) != 1 {
		t.Fatalf("run task: %v %+v", err, out)
	}
	arn := aws.ToString(out.Tasks[0].TaskArn)
	task := e.waitStatus(arn, "RUNNING", 30*time.Second)
	eni, eniSubnet := "", ""
	for _, d := range task.Attachments[0].Details {
		switch aws.ToString(d.Name) {
		case "networkInterfaceId":
			eni = aws.ToString(d.Value)
		case "subnetId":
			eniSubnet = aws.ToString(d.Value)
		}
	}
	if aws.ToString(task.AvailabilityZone) != "us-east-1b" || eniSubnet != subnet {
		t.Errorf("task in %s, ENI subnet %s; want us-east-1b, %s", aws.ToString(task.AvailabilityZone), eniSubnet, subnet)
	}
	nis, err := ec2c.DescribeNetworkInterfaces(ctx, &ec2.DescribeNetworkInterfacesInput{NetworkInterfaceIds: []string{eni}})
	if err != nil || len(nis.NetworkInterfaces) != 1 {
		t.Fatalf("describe network interface %s: %v", eni, err)
	}
	if ni := nis.NetworkInterfaces[0]; aws.ToString(ni.SubnetId) != subnet || aws.ToString(ni.AvailabilityZone) != "us-east-1b" ||
		len(ni.Groups) != 1 || aws.ToString(ni.Groups[0].GroupId) != group {
		t.Errorf("network interface: subnet %s zone %s groups %+v", aws.ToString(ni.SubnetId), aws.ToString(ni.AvailabilityZone), ni.Groups)
	}
	e.stop(arn)
	e.waitStatus(arn, "STOPPED", 60*time.Second)

	if _, err := e.ecs.CreateService(ctx, &ecs.CreateServiceInput{Cluster: aws.String(e.cluster), ServiceName: aws.String("zoned"),
		TaskDefinition: aws.String(td), DesiredCount: aws.Int32(1), LaunchType: types.LaunchTypeFargate, NetworkConfiguration: network(subnet, group)}); err != nil {
		t.Fatal(err)
	}
	e.waitStable("zoned", 60*time.Second)
	tasks := e.serviceTasks("zoned")
	if len(tasks) != 1 || aws.ToString(tasks[0].AvailabilityZone) != "us-east-1b" {
		t.Errorf("service tasks %d, zone %s; want 1 in us-east-1b", len(tasks), aws.ToString(tasks[0].AvailabilityZone))
	}
	e.deleteService("zoned")
}
