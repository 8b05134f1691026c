package ecsapi_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsecs "github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/quayside/quayside/internal/ec2"
	"github.com/quayside/quayside/internal/ecs"
	"github.com/quayside/quayside/internal/ecs/ecsapi"
	"github.com/quayside/quayside/internal/ecs/ecsdb"
	"github.com/quayside/quayside/internal/store"
)

// The default VPC of the tests' account in us-east-1, as EC2 describes it
// (TestDefaultNetwork checks): the subnets of zones a and b and the
// default security group. awsvpc tests use them, as the ECS lab does.
const (
	defaultSubnetA = "subnet-11555cce4374f4422"
	defaultSubnetB = "subnet-8cbb94ac96865c51d"
	defaultGroup   = "sg-21e5f8cdf63c0cd10"
)

var ec2Scope = ec2.Scope{Region: "us-east-1", Account: testAccount}

func TestDefaultNetwork(t *testing.T) {
	srv := startAPI(t, apiOptions{})
	svc, ctx := ec2.New(srv.Store, ec2.Options{}), context.Background()
	subnets, _, err := svc.DescribeSubnets(ctx, ec2Scope, ec2.Query{Filters: []ec2.Filter{{Name: "default-for-az", Values: []string{"true"}}}})
	if err != nil {
		t.Fatal(err)
	}
	zones := map[string]string{}
	for _, sn := range subnets {
		zones[sn.ID] = sn.AvailabilityZone
	}
	if zones[defaultSubnetA] != "us-east-1a" || zones[defaultSubnetB] != "us-east-1b" {
		t.Fatalf("default subnets = %v", zones)
	}
	groups, _, err := svc.DescribeSecurityGroups(ctx, ec2Scope, ec2.GroupQuery{Query: ec2.Query{IDs: []string{defaultGroup}}})
	if err != nil || len(groups) != 1 || groups[0].Name != "default" {
		t.Fatalf("default group = %+v %v", groups, err)
	}
}

// createSubnet records a subnet of the default VPC in a zone, as
// CreateSubnet would.
func createSubnet(t *testing.T, srv *apiServer, cidr, zone string) ec2.Subnet {
	t.Helper()
	svc, ctx := ec2.New(srv.Store, ec2.Options{}), context.Background()
	vpcs, _, err := svc.DescribeVpcs(ctx, ec2Scope, ec2.Query{Filters: []ec2.Filter{{Name: "is-default", Values: []string{"true"}}}})
	if err != nil || len(vpcs) != 1 {
		t.Fatalf("default VPC: %v %v", vpcs, err)
	}
	sn, err := svc.CreateSubnet(ctx, ec2Scope, ec2.CreateSubnetInput{VpcID: vpcs[0].ID, CidrBlock: cidr, AvailabilityZone: zone})
	if err != nil {
		t.Fatal(err)
	}
	return sn
}

func TestAwsvpcSubnetsAndGroupsMustExist(t *testing.T) {
	srv := startAPI(t, apiOptions{})
	c, ctx := srv.Client, context.Background()
	mustCreateCluster(t, c, "prod")
	mustRegister(t, c, fargateWeb("web"))
	mustCreateService(t, c, fargateService("prod", "api", "web"))
	other, err := ec2.New(srv.Store, ec2.Options{}).CreateVpc(ctx, ec2Scope, "10.0.0.0/16", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	foreign, err := ec2.New(srv.Store, ec2.Options{}).CreateSecurityGroup(ctx, ec2Scope, "elsewhere", "another VPC's", other.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	network := func(subnets, groups []string) *types.NetworkConfiguration {
		return &types.NetworkConfiguration{AwsvpcConfiguration: &types.AwsVpcConfiguration{Subnets: subnets, SecurityGroups: groups}}
	}
	const (
		subnetMissing = "Error retrieving subnet information for [subnet-0a1b2c3d]: The subnet ID 'subnet-0a1b2c3d' does not exist (ErrorCode: InvalidSubnetID.NotFound)"
		groupMissing  = "Error retrieving security group information for [sg-0123456789abcdef0]: The security group 'sg-0123456789abcdef0' does not exist (ErrorCode: InvalidGroup.NotFound)"
	)
	cases := []struct {
		name    string
		network *types.NetworkConfiguration
		message string
	}{
		{"unknown subnet", network([]string{"subnet-0a1b2c3d"}, nil), subnetMissing},
		{"unknown subnet after a known one", network([]string{defaultSubnetA, "subnet-0a1b2c3d"}, nil),
			"Error retrieving subnet information for [" + defaultSubnetA + ", subnet-0a1b2c3d]: The subnet ID 'subnet-0a1b2c3d' does not exist (ErrorCode: InvalidSubnetID.NotFound)"},
		{"unknown security group", network([]string{defaultSubnetA}, []string{"sg-0123456789abcdef0"}), groupMissing},
		{"security group of another VPC", network([]string{defaultSubnetA}, []string{foreign.ID}),
			"Security group " + foreign.ID + " does not appear to belong to the same VPC as the input subnets."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.RunTask(ctx, &awsecs.RunTaskInput{Cluster: aws.String("prod"), TaskDefinition: aws.String("web"),
				LaunchType: types.LaunchTypeFargate, NetworkConfiguration: tc.network})
			wantAPIError(t, err, "InvalidParameterException", tc.message)
			in := fargateService("prod", "other", "web")
			in.NetworkConfiguration = tc.network
			_, err = c.CreateService(ctx, in)
			wantAPIError(t, err, "InvalidParameterException", tc.message)
			_, err = c.UpdateService(ctx, &awsecs.UpdateServiceInput{Cluster: aws.String("prod"), Service: aws.String("api"), NetworkConfiguration: tc.network})
			wantAPIError(t, err, "InvalidParameterException", tc.message)
		})
	}

	// Nothing was recorded: no task, no second service, api unchanged.
	tasks, err := c.ListTasks(ctx, &awsecs.ListTasksInput{Cluster: aws.String("prod")})
	if err != nil || len(tasks.TaskArns) != 0 {
		t.Fatalf("tasks = %v %v", tasks, err)
	}
	out, err := c.DescribeServices(ctx, &awsecs.DescribeServicesInput{Cluster: aws.String("prod"), Services: []string{"api", "other"}})
	if err != nil || len(out.Services) != 1 || len(out.Services[0].Deployments) != 1 ||
		out.Services[0].NetworkConfiguration.AwsvpcConfiguration.Subnets[0] != defaultSubnetA {
		t.Fatalf("services = %+v %v", out, err)
	}

	// subnet-local names the first default subnet; the default group
	// and a created subnet of the default VPC are accepted.
	created := createSubnet(t, srv, "172.31.64.0/20", "us-east-1c")
	for _, subnets := range [][]string{{ec2.LocalSubnet}, {created.ID, defaultSubnetB}} {
		if _, err := c.RunTask(ctx, &awsecs.RunTaskInput{Cluster: aws.String("prod"), TaskDefinition: aws.String("web"),
			LaunchType: types.LaunchTypeFargate, NetworkConfiguration: network(subnets, []string{defaultGroup})}); err != nil {
			t.Errorf("RunTask in %v: %v", subnets, err)
		}
	}
	if _, err := c.UpdateService(ctx, &awsecs.UpdateServiceInput{Cluster: aws.String("prod"), Service: aws.String("api"),
		NetworkConfiguration: network([]string{created.ID}, nil)}); err != nil {
		t.Errorf("UpdateService into %s: %v", created.ID, err)
	}
}

// zonePlacer records the zones of the tasks it is asked to place and
// accepts them all.
type zonePlacer struct{ zones []string }

func (p *zonePlacer) Place(_ context.Context, _ store.ReadTx, req ecsapi.PlacementRequest) ([]ecs.Task, []ecsapi.PlacementFailure, error) {
	for _, t := range req.Tasks {
		p.zones = append(p.zones, t.AvailabilityZone)
	}
	return req.Tasks, nil, nil
}

func TestTaskZoneFollowsSubnet(t *testing.T) {
	p := &zonePlacer{}
	srv := startAPI(t, apiOptions{Placer: p})
	c, ctx := srv.Client, context.Background()
	mustCreateCluster(t, c, "prod")
	mustRegister(t, c, fargateWeb("web"))
	zoneC := createSubnet(t, srv, "172.31.64.0/20", "us-east-1c")

	// RunTask: the task and its ENI are in the subnet's zone, and the
	// placer already sees that zone.
	task := runFargate(t, c, func(in *awsecs.RunTaskInput) { in.NetworkConfiguration = awsvpcConfig(zoneC.ID) }).Tasks[0]
	if aws.ToString(task.AvailabilityZone) != "us-east-1c" || detail(task.Attachments[0], "subnetId") != zoneC.ID {
		t.Errorf("task in %s, ENI subnet %s; want us-east-1c, %s", aws.ToString(task.AvailabilityZone), detail(task.Attachments[0], "subnetId"), zoneC.ID)
	}
	if len(p.zones) != 1 || p.zones[0] != "us-east-1c" {
		t.Errorf("the placer saw zones %v", p.zones)
	}
	eni, _, err := ec2.New(srv.Store, ec2.Options{}).DescribeNetworkInterfaces(ctx, ec2Scope, ec2.Query{IDs: []string{detail(task.Attachments[0], "networkInterfaceId")}})
	if err != nil || len(eni) != 1 || eni[0].SubnetID != zoneC.ID || eni[0].AvailabilityZone != "us-east-1c" {
		t.Errorf("network interface = %+v %v", eni, err)
	}
	local := runFargate(t, c, func(in *awsecs.RunTaskInput) { in.NetworkConfiguration = awsvpcConfig(ec2.LocalSubnet) }).Tasks[0]
	if aws.ToString(local.AvailabilityZone) != "us-east-1a" {
		t.Errorf("subnet-local task in %s, want us-east-1a", aws.ToString(local.AvailabilityZone))
	}

	// StartTask: an awsvpc task on an instance is in its subnet's zone.
	ec2Web := bridgeTask("ec2-web")
	ec2Web.NetworkMode = types.NetworkModeAwsvpc
	mustRegister(t, c, ec2Web)
	putInstance(t, srv, "prod", instanceID, ecs.InstanceActive) // in us-east-1c
	started, err := c.StartTask(ctx, &awsecs.StartTaskInput{Cluster: aws.String("prod"), TaskDefinition: aws.String("ec2-web"),
		ContainerInstances: []string{instanceID}, NetworkConfiguration: awsvpcConfig(defaultSubnetB)})
	if err != nil || len(started.Tasks) != 1 {
		t.Fatalf("StartTask: %v %v", started, err)
	}
	if az := aws.ToString(started.Tasks[0].AvailabilityZone); az != "us-east-1b" {
		t.Errorf("started task in %s, want us-east-1b", az)
	}
	_, err = c.StartTask(ctx, &awsecs.StartTaskInput{Cluster: aws.String("prod"), TaskDefinition: aws.String("ec2-web"),
		ContainerInstances: []string{instanceID}, NetworkConfiguration: awsvpcConfig("subnet-0a1b2c3d")})
	wantAPIError(t, err, "InvalidParameterException",
		"Error retrieving subnet information for [subnet-0a1b2c3d]: The subnet ID 'subnet-0a1b2c3d' does not exist (ErrorCode: InvalidSubnetID.NotFound)")

	// A service's tasks, as the scheduler builds them, spread over its
	// subnets, each in its subnet's zone.
	in := fargateService("prod", "api", "web")
	in.NetworkConfiguration = awsvpcConfig(zoneC.ID, defaultSubnetA)
	mustCreateService(t, c, in)
	sc := ecsdb.Scope{Region: "us-east-1", Account: testAccount}
	var zones []string
	err = srv.Store.View(ctx, func(tx store.ReadTx) error {
		svc, err := ecsdb.GetService(tx, sc, "prod", "api")
		if err != nil {
			return err
		}
		tasks, _, err := srv.API.ServiceTasks(ctx, tx, sc, svc, svc.Deployments[0], 2, testEpoch)
		for _, t := range tasks {
			zones = append(zones, t.AvailabilityZone)
		}
		return err
	})
	if err != nil || len(zones) != 2 || zones[0] != "us-east-1c" || zones[1] != "us-east-1a" {
		t.Errorf("service task zones = %v %v", zones, err)
	}
}
