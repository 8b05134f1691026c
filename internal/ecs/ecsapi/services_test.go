package ecsapi_test

import (
	"context"
	"fmt"
	"regexp"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsecs "github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/quayside/quayside/internal/ecs"
	"github.com/quayside/quayside/internal/ecs/ecsdb"
	"github.com/quayside/quayside/internal/store"
)

var deploymentIDRE = regexp.MustCompile(`^ecs-svc/[1-9][0-9]{18}$`)

func serviceARN(cluster, name string) string {
	return "arn:aws:ecs:us-east-1:" + testAccount + ":service/" + cluster + "/" + name
}

// awsvpcConfig is a network configuration in the default VPC, by default
// in its first subnet.
func awsvpcConfig(subnets ...string) *types.NetworkConfiguration {
	if len(subnets) == 0 {
		subnets = []string{defaultSubnetA}
	}
	return &types.NetworkConfiguration{AwsvpcConfiguration: &types.AwsVpcConfiguration{
		Subnets: subnets, SecurityGroups: []string{defaultGroup}}}
}

// fargateService is a CreateService input for the fargateWeb family.
func fargateService(cluster, name, family string) *awsecs.CreateServiceInput {
	return &awsecs.CreateServiceInput{
		Cluster: aws.String(cluster), ServiceName: aws.String(name), TaskDefinition: aws.String(family),
		DesiredCount: aws.Int32(2), LaunchType: types.LaunchTypeFargate, NetworkConfiguration: awsvpcConfig(),
	}
}

// serviceFixture starts the API with cluster "prod" and the Fargate
// family "web" registered.
func serviceFixture(t *testing.T) (*awsecs.Client, context.Context) {
	t.Helper()
	c := startAPI(t, apiOptions{}).Client
	mustCreateCluster(t, c, "prod")
	mustRegister(t, c, fargateWeb("web"))
	return c, context.Background()
}

func mustCreateService(t *testing.T, c *awsecs.Client, in *awsecs.CreateServiceInput) *types.Service {
	t.Helper()
	out, err := c.CreateService(context.Background(), in)
	if err != nil {
		t.Fatalf("CreateService %s: %v", aws.ToString(in.ServiceName), err)
	}
	return out.Service
}

func TestCreateServiceFargate(t *testing.T) {
	c, _ := serviceFixture(t)
	in := fargateService("prod", "api", "web")
	in.Tags = []types.Tag{{Key: aws.String("team"), Value: aws.String("core")}}
	in.EnableExecuteCommand = true
	in.PropagateTags = types.PropagateTagsService
	svc := mustCreateService(t, c, in)

	checks := []struct {
		name      string
		got, want any
	}{
		{"arn", aws.ToString(svc.ServiceArn), serviceARN("prod", "api")},
		{"cluster", aws.ToString(svc.ClusterArn), clusterARN("prod")},
		{"status", aws.ToString(svc.Status), "ACTIVE"},
		{"desired", svc.DesiredCount, int32(2)},
		{"running", svc.RunningCount, int32(0)},
		{"pending", svc.PendingCount, int32(0)},
		{"launch type", svc.LaunchType, types.LaunchTypeFargate},
		{"platform version", aws.ToString(svc.PlatformVersion), "LATEST"},
		{"platform family", aws.ToString(svc.PlatformFamily), "Linux"},
		{"task definition", aws.ToString(svc.TaskDefinition), tdARN("web", 1)},
		{"max percent", aws.ToInt32(svc.DeploymentConfiguration.MaximumPercent), int32(200)},
		{"min percent", aws.ToInt32(svc.DeploymentConfiguration.MinimumHealthyPercent), int32(100)},
		{"circuit breaker", *svc.DeploymentConfiguration.DeploymentCircuitBreaker, types.DeploymentCircuitBreaker{}},
		{"role", aws.ToString(svc.RoleArn), "arn:aws:iam::" + testAccount + ":role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS"},
		{"created by", aws.ToString(svc.CreatedBy), "arn:aws:iam::" + testAccount + ":root"},
		{"scheduling", svc.SchedulingStrategy, types.SchedulingStrategyReplica},
		{"controller", svc.DeploymentController.Type, types.DeploymentControllerTypeEcs},
		{"events", len(svc.Events), 0},
		{"load balancers", svc.LoadBalancers != nil && len(svc.LoadBalancers) == 0, true},
		{"propagate", svc.PropagateTags, types.PropagateTagsService},
		{"exec", svc.EnableExecuteCommand, true},
		{"az rebalancing", svc.AvailabilityZoneRebalancing, types.AvailabilityZoneRebalancingEnabled},
		{"tags", len(svc.Tags), 1},
		{"subnets", svc.NetworkConfiguration.AwsvpcConfiguration.Subnets, []string{defaultSubnetA}},
		{"public ip", svc.NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp, types.AssignPublicIpDisabled},
		{"deployments", len(svc.Deployments), 1},
	}
	for _, ch := range checks {
		if fmt.Sprint(ch.got) != fmt.Sprint(ch.want) {
			t.Errorf("%s = %v, want %v", ch.name, ch.got, ch.want)
		}
	}
	if svc.CreatedAt == nil {
		t.Error("createdAt missing")
	}
	d := svc.Deployments[0]
	id := aws.ToString(d.Id)
	if !deploymentIDRE.MatchString(id) {
		t.Errorf("deployment id %q", id)
	}
	if aws.ToString(d.Status) != "PRIMARY" || d.RolloutState != types.DeploymentRolloutStateInProgress ||
		aws.ToString(d.RolloutStateReason) != "ECS deployment "+id+" in progress." {
		t.Errorf("deployment = %s %s %q", aws.ToString(d.Status), d.RolloutState, aws.ToString(d.RolloutStateReason))
	}
	if d.DesiredCount != 0 || d.RunningCount != 0 || d.PendingCount != 0 || d.FailedTasks != 0 {
		t.Errorf("deployment counts = %d %d %d %d", d.DesiredCount, d.RunningCount, d.PendingCount, d.FailedTasks)
	}
	if aws.ToString(d.TaskDefinition) != tdARN("web", 1) || d.LaunchType != types.LaunchTypeFargate ||
		aws.ToString(d.PlatformVersion) != "1.4.0" || aws.ToString(d.PlatformFamily) != "Linux" ||
		d.NetworkConfiguration == nil || d.CreatedAt == nil || d.UpdatedAt == nil {
		t.Errorf("deployment = %+v", d)
	}
}

func TestCreateServiceEC2Defaults(t *testing.T) {
	c, ctx := serviceFixture(t)
	mustRegister(t, c, bridgeTask("sleep"))
	svc := mustCreateService(t, c, &awsecs.CreateServiceInput{Cluster: aws.String("prod"), ServiceName: aws.String("sleeper"),
		TaskDefinition: aws.String("sleep:1"), DesiredCount: aws.Int32(1)})
	if svc.LaunchType != types.LaunchTypeEc2 || svc.PlatformVersion != nil || svc.NetworkConfiguration != nil {
		t.Errorf("launch = %s %v %v", svc.LaunchType, svc.PlatformVersion, svc.NetworkConfiguration)
	}
	daemon := mustCreateService(t, c, &awsecs.CreateServiceInput{Cluster: aws.String("prod"), ServiceName: aws.String("agent"),
		TaskDefinition: aws.String("sleep"), SchedulingStrategy: types.SchedulingStrategyDaemon})
	cfg := daemon.DeploymentConfiguration
	if aws.ToInt32(cfg.MaximumPercent) != 100 || aws.ToInt32(cfg.MinimumHealthyPercent) != 0 || daemon.DesiredCount != 0 {
		t.Errorf("daemon config = %d/%d desired %d", aws.ToInt32(cfg.MaximumPercent), aws.ToInt32(cfg.MinimumHealthyPercent), daemon.DesiredCount)
	}
	// A capacity provider strategy: no launch type on the service.
	if _, err := c.PutClusterCapacityProviders(ctx, &awsecs.PutClusterCapacityProvidersInput{Cluster: aws.String("prod"),
		CapacityProviders: []string{"FARGATE", "FARGATE_SPOT"}, DefaultCapacityProviderStrategy: []types.CapacityProviderStrategyItem{}}); err != nil {
		t.Fatal(err)
	}
	in := fargateService("prod", "spot", "web")
	in.LaunchType = ""
	in.CapacityProviderStrategy = []types.CapacityProviderStrategyItem{{CapacityProvider: aws.String("FARGATE_SPOT"), Weight: 1}}
	spot := mustCreateService(t, c, in)
	if spot.LaunchType != "" || len(spot.CapacityProviderStrategy) != 1 || aws.ToString(spot.PlatformVersion) != "LATEST" ||
		len(spot.Deployments[0].CapacityProviderStrategy) != 1 {
		t.Errorf("spot = %q %v %v", spot.LaunchType, spot.CapacityProviderStrategy, aws.ToString(spot.PlatformVersion))
	}
}

func TestCreateServiceWithLoadBalancer(t *testing.T) {
	api := startAPI(t, apiOptions{})
	c := api.Client
	mustCreateCluster(t, c, "prod")
	mustRegister(t, c, fargateWeb("web"))
	tg := putTargetGroup(t, api, "web", "ip", true)
	in := fargateService("prod", "api", "web")
	in.LoadBalancers = []types.LoadBalancer{{TargetGroupArn: aws.String(tg), ContainerName: aws.String("web"), ContainerPort: aws.Int32(80)}}
	in.HealthCheckGracePeriodSeconds = aws.Int32(60)
	svc := mustCreateService(t, c, in)
	if len(svc.LoadBalancers) != 1 || aws.ToString(svc.LoadBalancers[0].TargetGroupArn) != tg || aws.ToInt32(svc.HealthCheckGracePeriodSeconds) != 60 {
		t.Fatalf("load balancers = %+v grace %v", svc.LoadBalancers, svc.HealthCheckGracePeriodSeconds)
	}
}

func TestCreateServiceIdempotency(t *testing.T) {
	c, ctx := serviceFixture(t)
	in := fargateService("prod", "api", "web")
	in.ClientToken = aws.String("token-1")
	first := mustCreateService(t, c, in)
	again := mustCreateService(t, c, in)
	if aws.ToString(again.Deployments[0].Id) != aws.ToString(first.Deployments[0].Id) {
		t.Errorf("retry made a new deployment: %s vs %s", aws.ToString(again.Deployments[0].Id), aws.ToString(first.Deployments[0].Id))
	}
	in.DesiredCount = aws.Int32(5)
	_, err := c.CreateService(ctx, in)
	wantAPIError(t, err, "InvalidParameterException", "Creation of service was not idempotent.")
	in.DesiredCount, in.ClientToken = aws.Int32(2), nil
	_, err = c.CreateService(ctx, in)
	wantAPIError(t, err, "InvalidParameterException", "Creation of service was not idempotent.")

	// A DRAINING service still blocks its name; an INACTIVE one does not.
	if _, err := c.DeleteService(ctx, &awsecs.DeleteServiceInput{Cluster: aws.String("prod"), Service: aws.String("api"), Force: aws.Bool(true)}); err != nil {
		t.Fatal(err)
	}
	_, err = c.CreateService(ctx, in)
	wantAPIError(t, err, "InvalidParameterException", "Creation of service was not idempotent.")
}

func TestUpdateService(t *testing.T) {
	c, ctx := serviceFixture(t)
	mustCreateService(t, c, fargateService("prod", "api", "web"))
	mustRegister(t, c, fargateWeb("web"))

	out, err := c.UpdateService(ctx, &awsecs.UpdateServiceInput{Cluster: aws.String("prod"), Service: aws.String("api"), DesiredCount: aws.Int32(3)})
	if err != nil {
		t.Fatal(err)
	}
	if out.Service.DesiredCount != 3 || len(out.Service.Deployments) != 1 {
		t.Fatalf("desired %d, %d deployments", out.Service.DesiredCount, len(out.Service.Deployments))
	}
	first := aws.ToString(out.Service.Deployments[0].Id)

	out, err = c.UpdateService(ctx, &awsecs.UpdateServiceInput{Cluster: aws.String("prod"), Service: aws.String("api"), TaskDefinition: aws.String("web")})
	if err != nil {
		t.Fatal(err)
	}
	svc := out.Service
	if aws.ToString(svc.TaskDefinition) != tdARN("web", 2) || len(svc.Deployments) != 2 {
		t.Fatalf("task definition %s, %d deployments", aws.ToString(svc.TaskDefinition), len(svc.Deployments))
	}
	if p, a := svc.Deployments[0], svc.Deployments[1]; aws.ToString(p.Status) != "PRIMARY" || aws.ToString(p.TaskDefinition) != tdARN("web", 2) ||
		aws.ToString(a.Status) != "ACTIVE" || aws.ToString(a.Id) != first {
		t.Fatalf("deployments = %s %s, %s %s", aws.ToString(p.Status), aws.ToString(p.TaskDefinition), aws.ToString(a.Status), aws.ToString(a.Id))
	}

	// forceNewDeployment with the same task definition.
	out, err = c.UpdateService(ctx, &awsecs.UpdateServiceInput{Cluster: aws.String("prod"), Service: aws.String("api"), ForceNewDeployment: true,
		DeploymentConfiguration: &types.DeploymentConfiguration{MinimumHealthyPercent: aws.Int32(50),
			DeploymentCircuitBreaker: &types.DeploymentCircuitBreaker{Enable: true, Rollback: true}},
		HealthCheckGracePeriodSeconds: aws.Int32(30), EnableExecuteCommand: aws.Bool(true), PropagateTags: types.PropagateTagsTaskDefinition})
	if err != nil {
		t.Fatal(err)
	}
	svc = out.Service
	cfg := svc.DeploymentConfiguration
	if len(svc.Deployments) != 3 || aws.ToInt32(cfg.MinimumHealthyPercent) != 50 || aws.ToInt32(cfg.MaximumPercent) != 200 ||
		!cfg.DeploymentCircuitBreaker.Enable || !cfg.DeploymentCircuitBreaker.Rollback || aws.ToInt32(svc.HealthCheckGracePeriodSeconds) != 30 ||
		!svc.EnableExecuteCommand || svc.PropagateTags != types.PropagateTagsTaskDefinition {
		t.Fatalf("after force: %d deployments, config %+v", len(svc.Deployments), cfg)
	}
	primaries := 0
	for _, d := range svc.Deployments {
		if aws.ToString(d.Status) == "PRIMARY" {
			primaries++
		}
	}
	if primaries != 1 || aws.ToString(svc.Deployments[0].Status) != "PRIMARY" {
		t.Fatalf("%d PRIMARY deployments", primaries)
	}

	// A new network configuration starts a deployment.
	out, err = c.UpdateService(ctx, &awsecs.UpdateServiceInput{Cluster: aws.String("prod"), Service: aws.String("api"), NetworkConfiguration: awsvpcConfig(defaultSubnetB)})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Service.Deployments) != 4 {
		t.Fatalf("a new network configuration made %d deployments, want 4", len(out.Service.Deployments))
	}
}

func TestDeleteService(t *testing.T) {
	c, ctx := serviceFixture(t)
	mustCreateService(t, c, fargateService("prod", "api", "web"))
	del := &awsecs.DeleteServiceInput{Cluster: aws.String("prod"), Service: aws.String("api")}
	_, err := c.DeleteService(ctx, del)
	wantAPIError(t, err, "InvalidParameterException", "The service cannot be stopped while it is scaled above 0.")

	if _, err := c.UpdateService(ctx, &awsecs.UpdateServiceInput{Cluster: aws.String("prod"), Service: aws.String("api"), DesiredCount: aws.Int32(0)}); err != nil {
		t.Fatal(err)
	}
	out, err := c.DeleteService(ctx, del)
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(out.Service.Status) != "DRAINING" || out.Service.DesiredCount != 0 {
		t.Fatalf("deleted service = %s %d", aws.ToString(out.Service.Status), out.Service.DesiredCount)
	}
	_, err = c.DeleteService(ctx, del)
	wantAPIError(t, err, "ServiceNotActiveException", "Service was not ACTIVE.")
	_, err = c.DeleteService(ctx, &awsecs.DeleteServiceInput{Cluster: aws.String("prod"), Service: aws.String("nope")})
	wantAPIError(t, err, "ServiceNotFoundException", "Service not found.")
	_, err = c.DeleteService(ctx, &awsecs.DeleteServiceInput{Cluster: aws.String("nope"), Service: aws.String("api")})
	wantAPIError(t, err, "ClusterNotFoundException", "Cluster not found.")

	// force deletes a scaled-up service.
	mustCreateService(t, c, fargateService("prod", "worker", "web"))
	out, err = c.DeleteService(ctx, &awsecs.DeleteServiceInput{Cluster: aws.String("prod"), Service: aws.String(serviceARN("prod", "worker")), Force: aws.Bool(true)})
	if err != nil || aws.ToString(out.Service.Status) != "DRAINING" {
		t.Fatalf("force delete: %v", err)
	}
}

func TestDescribeServices(t *testing.T) {
	srv := startAPI(t, apiOptions{})
	c, ctx := srv.Client, context.Background()
	mustCreateCluster(t, c, "prod")
	mustRegister(t, c, fargateWeb("web"))
	in := fargateService("prod", "api", "web")
	in.Tags = []types.Tag{{Key: aws.String("team"), Value: aws.String("core")}}
	mustCreateService(t, c, in)
	// An INACTIVE service stays describable.
	srv.put(t, func(tx store.Tx, sc ecsdb.Scope) error {
		return ecsdb.PutService(tx, sc, "prod", ecs.Service{ARN: serviceARN("prod", "old"), Name: "old", ClusterARN: clusterARN("prod"),
			Status: ecs.ServiceInactive, SchedulingStrategy: ecs.SchedulingReplica})
	})

	out, err := c.DescribeServices(ctx, &awsecs.DescribeServicesInput{Cluster: aws.String("prod"),
		Services: []string{"api", serviceARN("prod", "old"), "ghost"}, Include: []types.ServiceField{types.ServiceFieldTags}})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Services) != 2 || aws.ToString(out.Services[1].Status) != "INACTIVE" || len(out.Services[0].Tags) != 1 {
		t.Fatalf("services = %d, tags %d", len(out.Services), len(out.Services[0].Tags))
	}
	if len(out.Failures) != 1 || aws.ToString(out.Failures[0].Arn) != serviceARN("prod", "ghost") || aws.ToString(out.Failures[0].Reason) != "MISSING" {
		t.Fatalf("failures = %+v", out.Failures)
	}
	out, err = c.DescribeServices(ctx, &awsecs.DescribeServicesInput{Cluster: aws.String("prod"), Services: []string{"api"}})
	if err != nil || len(out.Services[0].Tags) != 0 {
		t.Fatalf("tags without include: %v %v", err, out.Services[0].Tags)
	}

	// Counts come from the service's tasks.
	srv.put(t, func(tx store.Tx, sc ecsdb.Scope) error {
		for i, st := range []ecs.TaskStatus{ecs.TaskRunning, ecs.TaskPending, ecs.TaskStopped} {
			id := fmt.Sprintf("%032x", i+1)
			if err := ecsdb.PutTask(tx, sc, "prod", ecs.Task{ID: id, ARN: "arn:aws:ecs:us-east-1:000000000000:task/prod/" + id,
				Group: "service:api", LastStatus: st, DesiredStatus: ecs.TaskRunning}); err != nil {
				return err
			}
		}
		return nil
	})
	out, err = c.DescribeServices(ctx, &awsecs.DescribeServicesInput{Cluster: aws.String("prod"), Services: []string{"api"}})
	if err != nil || out.Services[0].RunningCount != 1 || out.Services[0].PendingCount != 1 {
		t.Fatalf("counts: %v running %d pending %d", err, out.Services[0].RunningCount, out.Services[0].PendingCount)
	}

	_, err = c.DescribeServices(ctx, &awsecs.DescribeServicesInput{Cluster: aws.String("nope"), Services: []string{"api"}})
	wantAPIError(t, err, "ClusterNotFoundException", "Cluster not found.")
	_, err = c.DescribeServices(ctx, &awsecs.DescribeServicesInput{Cluster: aws.String("prod"),
		Services: []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11"}})
	wantAPIError(t, err, "InvalidParameterException", "services can have at most 10 items.")
}

func TestListServices(t *testing.T) {
	c, ctx := serviceFixture(t)
	mustRegister(t, c, bridgeTask("sleep"))
	var want []string
	for i := range 12 {
		name := fmt.Sprintf("svc-%02d", i)
		mustCreateService(t, c, fargateService("prod", name, "web"))
		want = append(want, serviceARN("prod", name))
	}
	mustCreateService(t, c, &awsecs.CreateServiceInput{Cluster: aws.String("prod"), ServiceName: aws.String("zz-daemon"),
		TaskDefinition: aws.String("sleep"), SchedulingStrategy: types.SchedulingStrategyDaemon})
	if _, err := c.DeleteService(ctx, &awsecs.DeleteServiceInput{Cluster: aws.String("prod"), Service: aws.String("svc-03"), Force: aws.Bool(true)}); err != nil {
		t.Fatal(err)
	}
	want = append(want[:3], want[4:]...)

	page, err := c.ListServices(ctx, &awsecs.ListServicesInput{Cluster: aws.String("prod"), LaunchType: types.LaunchTypeFargate})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.ServiceArns) != 10 || page.NextToken == nil {
		t.Fatalf("first page: %d arns, token %v", len(page.ServiceArns), page.NextToken)
	}
	var got []string
	p := awsecs.NewListServicesPaginator(c, &awsecs.ListServicesInput{Cluster: aws.String("prod"), LaunchType: types.LaunchTypeFargate, MaxResults: aws.Int32(4)})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, out.ServiceArns...)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("paged = %v\nwant %v", got, want)
	}
	daemons, err := c.ListServices(ctx, &awsecs.ListServicesInput{Cluster: aws.String("prod"), SchedulingStrategy: types.SchedulingStrategyDaemon})
	if err != nil || len(daemons.ServiceArns) != 1 || daemons.ServiceArns[0] != serviceARN("prod", "zz-daemon") {
		t.Fatalf("daemons = %v %v", daemons, err)
	}
	_, err = c.ListServices(ctx, &awsecs.ListServicesInput{Cluster: aws.String("prod"), MaxResults: aws.Int32(101)})
	wantAPIError(t, err, "InvalidParameterException", "maxResults must be between 1 and 100.")
	_, err = c.ListServices(ctx, &awsecs.ListServicesInput{Cluster: aws.String("nope")})
	wantAPIError(t, err, "ClusterNotFoundException", "Cluster not found.")
}
