package ecsapi_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsecs "github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/quayside/quayside/internal/ecs"
)

// The errors of CreateService and UpdateService: the exception and its
// message, as ECS returns them.

func TestCreateServiceErrors(t *testing.T) {
	c, ctx := serviceFixture(t)
	mustRegister(t, c, bridgeTask("sleep"))
	inactive := mustRegister(t, c, bridgeTask("old"))
	if _, err := c.DeregisterTaskDefinition(ctx, &awsecs.DeregisterTaskDefinitionInput{TaskDefinition: inactive.TaskDefinitionArn}); err != nil {
		t.Fatal(err)
	}
	mod := func(f func(*awsecs.CreateServiceInput)) *awsecs.CreateServiceInput {
		in := fargateService("prod", "api", "web")
		f(in)
		return in
	}
	cases := []struct {
		name      string
		in        *awsecs.CreateServiceInput
		code, msg string
	}{
		{"cluster not found", mod(func(in *awsecs.CreateServiceInput) { in.Cluster = aws.String("nope") }),
			"ClusterNotFoundException", "Cluster not found."},
		{"task definition not found", mod(func(in *awsecs.CreateServiceInput) { in.TaskDefinition = aws.String("ghost") }),
			"ClientException", "TaskDefinition not found."},
		{"revision not found", mod(func(in *awsecs.CreateServiceInput) { in.TaskDefinition = aws.String("web:9") }),
			"ClientException", "TaskDefinition not found."},
		{"task definition inactive", mod(func(in *awsecs.CreateServiceInput) {
			in.TaskDefinition, in.LaunchType, in.NetworkConfiguration = aws.String("old:1"), types.LaunchTypeEc2, nil
		}), "InvalidParameterException", "TaskDefinition is inactive"},
		{"launch type and strategy", mod(func(in *awsecs.CreateServiceInput) {
			in.CapacityProviderStrategy = []types.CapacityProviderStrategyItem{{CapacityProvider: aws.String("FARGATE"), Weight: 1}}
		}), "InvalidParameterException", ecs.MsgLaunchTypeAndStrategy},
		{"awsvpc without network configuration", mod(func(in *awsecs.CreateServiceInput) { in.NetworkConfiguration = nil }),
			"InvalidParameterException", "Network Configuration must be provided when networkMode 'awsvpc' is specified."},
		{"no subnets", mod(func(in *awsecs.CreateServiceInput) {
			in.NetworkConfiguration = &types.NetworkConfiguration{AwsvpcConfiguration: &types.AwsVpcConfiguration{Subnets: []string{}}}
		}), "InvalidParameterException", "subnets can not be empty."},
		{"too many subnets", mod(func(in *awsecs.CreateServiceInput) {
			in.NetworkConfiguration = awsvpcConfig("s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "s12", "s13", "s14", "s15", "s16", "s17")
		}), "InvalidParameterException", "subnets can have at most 16 items."},
		{"network configuration with bridge", mod(func(in *awsecs.CreateServiceInput) {
			in.TaskDefinition, in.LaunchType = aws.String("sleep"), types.LaunchTypeEc2
		}), "InvalidParameterException", "Network Configuration is not valid for the given networkMode of this task definition."},
		{"fargate incompatible", mod(func(in *awsecs.CreateServiceInput) {
			in.TaskDefinition, in.NetworkConfiguration = aws.String("sleep"), nil
		}),
			"InvalidParameterException", "Task definition does not support launch_type FARGATE."},
		{"platform version on EC2", mod(func(in *awsecs.CreateServiceInput) {
			in.TaskDefinition, in.NetworkConfiguration, in.LaunchType, in.PlatformVersion = aws.String("sleep"), nil, types.LaunchTypeEc2, aws.String("LATEST")
		}), "InvalidParameterException", "The platform version must be null when specifying an EC2 launch type."},
		{"unknown platform version", mod(func(in *awsecs.CreateServiceInput) { in.PlatformVersion = aws.String("9.9.9") }),
			"PlatformUnknownException", "The specified platform does not exist."},
		{"negative desired count", mod(func(in *awsecs.CreateServiceInput) { in.DesiredCount = aws.Int32(-1) }),
			"InvalidParameterException", "desiredCount must be greater than or equal to 0."},
		{"replica without desired count", mod(func(in *awsecs.CreateServiceInput) { in.DesiredCount = nil }),
			"InvalidParameterException", "desiredCount is required for services using the REPLICA scheduling strategy."},
		{"daemon with desired count", mod(func(in *awsecs.CreateServiceInput) { in.SchedulingStrategy = types.SchedulingStrategyDaemon }),
			"InvalidParameterException", ecs.MsgDaemonDesiredCount},
		{"daemon with placement strategy", mod(func(in *awsecs.CreateServiceInput) {
			in.SchedulingStrategy, in.DesiredCount = types.SchedulingStrategyDaemon, nil
			in.PlacementStrategy = []types.PlacementStrategy{{Type: types.PlacementStrategyTypeSpread, Field: aws.String("instanceId")}}
		}), "InvalidParameterException", ecs.MsgDaemonPlacementStrategy},
		{"min healthy above 100", mod(func(in *awsecs.CreateServiceInput) {
			in.DeploymentConfiguration = &types.DeploymentConfiguration{MinimumHealthyPercent: aws.Int32(101)}
		}), "InvalidParameterException", "minimumHealthyPercent must be between 0 and 100."},
		{"max below 100", mod(func(in *awsecs.CreateServiceInput) {
			in.DeploymentConfiguration = &types.DeploymentConfiguration{MaximumPercent: aws.Int32(90)}
		}), "InvalidParameterException", "maximumPercent must be at least 100 for services using the REPLICA scheduling strategy."},
		{"load balancer container missing", mod(func(in *awsecs.CreateServiceInput) {
			in.LoadBalancers = []types.LoadBalancer{{TargetGroupArn: aws.String(tgARN), ContainerName: aws.String("nginx"), ContainerPort: aws.Int32(80)}}
		}), "InvalidParameterException", "The container nginx does not exist in the task definition."},
		{"load balancer port missing", mod(func(in *awsecs.CreateServiceInput) {
			in.LoadBalancers = []types.LoadBalancer{{TargetGroupArn: aws.String(tgARN), ContainerName: aws.String("web"), ContainerPort: aws.Int32(8080)}}
		}), "InvalidParameterException", "The container web did not have a container port 8080 defined."},
		{"role with awsvpc", mod(func(in *awsecs.CreateServiceInput) {
			in.Role = aws.String("ecsServiceRole")
			in.LoadBalancers = []types.LoadBalancer{{TargetGroupArn: aws.String(tgARN), ContainerName: aws.String("web"), ContainerPort: aws.Int32(80)}}
		}), "InvalidParameterException", "You cannot specify an IAM role for services that require a service linked role."},
		{"bad service name", mod(func(in *awsecs.CreateServiceInput) { in.ServiceName = aws.String("my service") }),
			"InvalidParameterException", "Service name must be between 1 and 255 characters and contain only letters (uppercase and lowercase), numbers, underscores and hyphens."},
		{"reserved tag", mod(func(in *awsecs.CreateServiceInput) {
			in.Tags = []types.Tag{{Key: aws.String("aws:x"), Value: aws.String("y")}}
		}),
			"InvalidParameterException", "Tag keys beginning with 'aws:' are reserved for AWS use."},
		{"strategy provider not in cluster", mod(func(in *awsecs.CreateServiceInput) {
			in.LaunchType = ""
			in.CapacityProviderStrategy = []types.CapacityProviderStrategyItem{{CapacityProvider: aws.String("FARGATE"), Weight: 1}}
		}), "InvalidParameterException", "The specified capacity provider strategy cannot contain a capacity provider that is not associated with the cluster. Associate the capacity provider with the cluster or specify a valid capacity provider and try again. Capacity provider: FARGATE"},
		{"code deploy controller", mod(func(in *awsecs.CreateServiceInput) {
			in.DeploymentController = &types.DeploymentController{Type: types.DeploymentControllerTypeCodeDeploy}
		}), "UnsupportedFeatureException", "The CODE_DEPLOY deployment controller is not supported by Quayside yet."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.CreateService(ctx, tc.in)
			wantAPIError(t, err, tc.code, tc.msg)
		})
	}
}

func TestUpdateServiceErrors(t *testing.T) {
	c, ctx := serviceFixture(t)
	mustCreateService(t, c, fargateService("prod", "api", "web"))
	mustCreateService(t, c, fargateService("prod", "gone", "web"))
	if _, err := c.DeleteService(ctx, &awsecs.DeleteServiceInput{Cluster: aws.String("prod"), Service: aws.String("gone"), Force: aws.Bool(true)}); err != nil {
		t.Fatal(err)
	}
	update := func(f func(*awsecs.UpdateServiceInput)) *awsecs.UpdateServiceInput {
		in := &awsecs.UpdateServiceInput{Cluster: aws.String("prod"), Service: aws.String("api")}
		f(in)
		return in
	}
	cases := []struct {
		name      string
		in        *awsecs.UpdateServiceInput
		code, msg string
	}{
		{"cluster not found", update(func(in *awsecs.UpdateServiceInput) { in.Cluster = aws.String("nope") }), "ClusterNotFoundException", "Cluster not found."},
		{"service not found", update(func(in *awsecs.UpdateServiceInput) { in.Service = aws.String("nope") }), "ServiceNotFoundException", "Service not found."},
		{"service draining", update(func(in *awsecs.UpdateServiceInput) { in.Service = aws.String("gone") }), "ServiceNotActiveException", "Service was not ACTIVE."},
		{"task definition missing", update(func(in *awsecs.UpdateServiceInput) { in.TaskDefinition = aws.String("web:7") }), "ClientException", "TaskDefinition not found."},
		{"bad max percent", update(func(in *awsecs.UpdateServiceInput) {
			in.DeploymentConfiguration = &types.DeploymentConfiguration{MaximumPercent: aws.Int32(50)}
		}), "InvalidParameterException", "maximumPercent must be at least 100 for services using the REPLICA scheduling strategy."},
		{"empty subnets", update(func(in *awsecs.UpdateServiceInput) {
			in.NetworkConfiguration = &types.NetworkConfiguration{AwsvpcConfiguration: &types.AwsVpcConfiguration{Subnets: []string{}}}
		}), "InvalidParameterException", "subnets can not be empty."},
		{"platform unknown", update(func(in *awsecs.UpdateServiceInput) { in.PlatformVersion = aws.String("0.1.0") }), "PlatformUnknownException", "The specified platform does not exist."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.UpdateService(ctx, tc.in)
			wantAPIError(t, err, tc.code, tc.msg)
		})
	}
	t.Run("inactive task definition", func(t *testing.T) {
		td := mustRegister(t, c, fargateWeb("web"))
		if _, err := c.DeregisterTaskDefinition(ctx, &awsecs.DeregisterTaskDefinitionInput{TaskDefinition: td.TaskDefinitionArn}); err != nil {
			t.Fatal(err)
		}
		_, err := c.UpdateService(ctx, update(func(in *awsecs.UpdateServiceInput) { in.TaskDefinition = td.TaskDefinitionArn }))
		wantAPIError(t, err, "InvalidParameterException", "TaskDefinition is inactive")
	})
}
