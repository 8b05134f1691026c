package ecsapi_test

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsecs "github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/quayside/quayside/internal/ecs"
)

var (
	taskARNRE      = regexp.MustCompile(`^arn:aws:ecs:us-east-1:000000000000:task/prod/[0-9a-f]{32}$`)
	containerARNRE = regexp.MustCompile(`^arn:aws:ecs:us-east-1:000000000000:container/prod/[0-9a-f]{32}/[0-9a-f-]{36}$`)
	eniRE          = regexp.MustCompile(`^eni-[0-9a-f]{17}$`)
)

// runFargate runs the web family on Fargate in cluster prod.
func runFargate(t *testing.T, c *awsecs.Client, mod func(*awsecs.RunTaskInput)) *awsecs.RunTaskOutput {
	t.Helper()
	in := &awsecs.RunTaskInput{Cluster: aws.String("prod"), TaskDefinition: aws.String("web"), LaunchType: types.LaunchTypeFargate,
		NetworkConfiguration: awsvpcConfig()}
	if mod != nil {
		mod(in)
	}
	out, err := c.RunTask(context.Background(), in)
	if err != nil {
		t.Fatalf("RunTask: %v", err)
	}
	return out
}

func detail(a types.Attachment, name string) string {
	for _, d := range a.Details {
		if aws.ToString(d.Name) == name {
			return aws.ToString(d.Value)
		}
	}
	return ""
}

func TestRunTaskFargate(t *testing.T) {
	c, _ := serviceFixture(t)
	out := runFargate(t, c, func(in *awsecs.RunTaskInput) {
		in.StartedBy, in.EnableExecuteCommand = aws.String("ci/job-42"), false
		in.Tags = []types.Tag{{Key: aws.String("run"), Value: aws.String("42")}}
		in.PropagateTags = types.PropagateTagsTaskDefinition
	})
	if len(out.Tasks) != 1 || out.Failures == nil || len(out.Failures) != 0 {
		t.Fatalf("tasks %d failures %v", len(out.Tasks), out.Failures)
	}
	task := out.Tasks[0]
	arn := aws.ToString(task.TaskArn)
	checks := []struct {
		name      string
		got, want any
	}{
		{"arn", taskARNRE.MatchString(arn), true},
		{"cluster", aws.ToString(task.ClusterArn), clusterARN("prod")},
		{"task definition", aws.ToString(task.TaskDefinitionArn), tdARN("web", 1)},
		{"last status", aws.ToString(task.LastStatus), "PROVISIONING"},
		{"desired status", aws.ToString(task.DesiredStatus), "RUNNING"},
		{"version", task.Version, int64(1)},
		{"launch type", task.LaunchType, types.LaunchTypeFargate},
		{"platform version", aws.ToString(task.PlatformVersion), "1.4.0"},
		{"platform family", aws.ToString(task.PlatformFamily), "Linux"},
		{"cpu", aws.ToString(task.Cpu), "256"},
		{"memory", aws.ToString(task.Memory), "512"},
		{"az", aws.ToString(task.AvailabilityZone), "us-east-1a"},
		{"group", aws.ToString(task.Group), "family:web"},
		{"started by", aws.ToString(task.StartedBy), "ci/job-42"},
		{"ephemeral storage", task.EphemeralStorage.SizeInGiB, int32(20)},
		{"health", task.HealthStatus, types.HealthStatusUnknown},
		{"tags", fmt.Sprint(tagKeys(task.Tags)), "[app run]"},
		{"created", task.CreatedAt != nil, true},
		{"containers", len(task.Containers), 1},
		{"attachments", len(task.Attachments), 1},
		{"overrides", len(task.Overrides.ContainerOverrides), 1},
	}
	for _, ch := range checks {
		if fmt.Sprint(ch.got) != fmt.Sprint(ch.want) {
			t.Errorf("%s = %v, want %v", ch.name, ch.got, ch.want)
		}
	}
	att := task.Attachments[0]
	if aws.ToString(att.Type) != "ElasticNetworkInterface" || aws.ToString(att.Status) != "PRECREATED" ||
		detail(att, "subnetId") != defaultSubnetA || !eniRE.MatchString(detail(att, "networkInterfaceId")) {
		t.Errorf("attachment = %s %s %v", aws.ToString(att.Type), aws.ToString(att.Status), att.Details)
	}
	ctr := task.Containers[0]
	if !containerARNRE.MatchString(aws.ToString(ctr.ContainerArn)) || !strings.Contains(aws.ToString(ctr.ContainerArn), arn[strings.LastIndex(arn, "/"):]) ||
		aws.ToString(ctr.TaskArn) != arn || aws.ToString(ctr.Name) != "web" || aws.ToString(ctr.Image) != "public.ecr.aws/nginx/nginx:1.27" ||
		aws.ToString(ctr.LastStatus) != "PENDING" || aws.ToString(ctr.Cpu) != "0" || ctr.HealthStatus != types.HealthStatusUnknown {
		t.Errorf("container = %+v", ctr)
	}
	if len(ctr.NetworkInterfaces) != 1 || aws.ToString(ctr.NetworkInterfaces[0].AttachmentId) != aws.ToString(att.Id) {
		t.Errorf("network interfaces = %+v", ctr.NetworkInterfaces)
	}
	if aws.ToString(task.Overrides.ContainerOverrides[0].Name) != "web" {
		t.Errorf("overrides = %+v", task.Overrides)
	}
}

func tagKeys(tags []types.Tag) []string {
	var out []string
	for _, t := range tags {
		out = append(out, aws.ToString(t.Key))
	}
	slices.Sort(out)
	return out
}

func TestRunTaskOptions(t *testing.T) {
	c, _ := serviceFixture(t)
	mustRegister(t, c, bridgeTask("sleep"))

	out := runFargate(t, c, func(in *awsecs.RunTaskInput) {
		in.Count = aws.Int32(3)
		in.Group = aws.String("batch")
		in.NetworkConfiguration = awsvpcConfig(defaultSubnetA, defaultSubnetB)
		in.Overrides = &types.TaskOverride{Cpu: aws.String("1024"), Memory: aws.String("2048"),
			EphemeralStorage: &types.EphemeralStorage{SizeInGiB: 30}, TaskRoleArn: aws.String("arn:aws:iam::000000000000:role/exec"),
			ContainerOverrides: []types.ContainerOverride{{Name: aws.String("web"), Command: []string{"serve", "--port=80"},
				Environment: []types.KeyValuePair{{Name: aws.String("MODE"), Value: aws.String("debug")}}, Memory: aws.Int32(1024)}}}
		in.EnableExecuteCommand = true
		in.EnableECSManagedTags = true
	})
	if len(out.Tasks) != 3 {
		t.Fatalf("%d tasks", len(out.Tasks))
	}
	var subnets []string
	for _, task := range out.Tasks {
		subnets = append(subnets, detail(task.Attachments[0], "subnetId")+" "+aws.ToString(task.AvailabilityZone))
		if aws.ToString(task.Group) != "batch" || aws.ToString(task.Cpu) != "1024" || aws.ToString(task.Memory) != "2048" ||
			task.EphemeralStorage.SizeInGiB != 30 || !task.EnableExecuteCommand || aws.ToString(task.Containers[0].Memory) != "1024" {
			t.Errorf("task = group %s cpu %s memory %s", aws.ToString(task.Group), aws.ToString(task.Cpu), aws.ToString(task.Memory))
		}
		co := task.Overrides.ContainerOverrides[0]
		if fmt.Sprint(co.Command) != "[serve --port=80]" || len(co.Environment) != 1 || aws.ToString(task.Overrides.Cpu) != "1024" {
			t.Errorf("overrides echoed = %+v", task.Overrides)
		}
		if fmt.Sprint(tagKeys(task.Tags)) != "[aws:ecs:clusterName]" {
			t.Errorf("managed tags = %v", tagKeys(task.Tags))
		}
	}
	// The tasks spread over the subnets, each in its subnet's zone.
	if want := []string{defaultSubnetA + " us-east-1a", defaultSubnetB + " us-east-1b", defaultSubnetA + " us-east-1a"}; !slices.Equal(subnets, want) {
		t.Errorf("subnets and zones = %v, want %v", subnets, want)
	}

	// EC2, bridge: no attachment, container sizes as strings.
	ec2, err := c.RunTask(context.Background(), &awsecs.RunTaskInput{Cluster: aws.String("prod"), TaskDefinition: aws.String("sleep:1")})
	if err != nil {
		t.Fatal(err)
	}
	task := ec2.Tasks[0]
	if task.LaunchType != types.LaunchTypeEc2 || len(task.Attachments) != 0 || task.PlatformVersion != nil ||
		aws.ToString(task.Containers[0].Cpu) != "10" || aws.ToString(task.Containers[0].Memory) != "10" {
		t.Errorf("EC2 task = %s attachments %d cpu %s", task.LaunchType, len(task.Attachments), aws.ToString(task.Containers[0].Cpu))
	}
}

func TestRunTaskErrors(t *testing.T) {
	c, ctx := serviceFixture(t)
	mustRegister(t, c, bridgeTask("sleep"))
	inactive := mustRegister(t, c, bridgeTask("old"))
	if _, err := c.DeregisterTaskDefinition(ctx, &awsecs.DeregisterTaskDefinitionInput{TaskDefinition: inactive.TaskDefinitionArn}); err != nil {
		t.Fatal(err)
	}
	mod := func(f func(*awsecs.RunTaskInput)) *awsecs.RunTaskInput {
		in := &awsecs.RunTaskInput{Cluster: aws.String("prod"), TaskDefinition: aws.String("web"), LaunchType: types.LaunchTypeFargate,
			NetworkConfiguration: awsvpcConfig()}
		f(in)
		return in
	}
	cases := []struct {
		name      string
		in        *awsecs.RunTaskInput
		code, msg string
	}{
		{"cluster not found", mod(func(in *awsecs.RunTaskInput) { in.Cluster = aws.String("nope") }), "ClusterNotFoundException", "Cluster not found."},
		{"task definition not found", mod(func(in *awsecs.RunTaskInput) { in.TaskDefinition = aws.String("ghost:1") }), "ClientException", "TaskDefinition not found."},
		{"task definition inactive", mod(func(in *awsecs.RunTaskInput) {
			in.TaskDefinition, in.LaunchType, in.NetworkConfiguration = aws.String("old:1"), "", nil
		}), "InvalidParameterException", "TaskDefinition is inactive"},
		{"count above 10", mod(func(in *awsecs.RunTaskInput) { in.Count = aws.Int32(11) }), "InvalidParameterException", "count must be between 1 and 10."},
		{"count 0", mod(func(in *awsecs.RunTaskInput) { in.Count = aws.Int32(0) }), "InvalidParameterException", "count must be between 1 and 10."},
		{"no network configuration", mod(func(in *awsecs.RunTaskInput) { in.NetworkConfiguration = nil }),
			"InvalidParameterException", "Network Configuration must be provided when networkMode 'awsvpc' is specified."},
		{"launch type and strategy", mod(func(in *awsecs.RunTaskInput) {
			in.CapacityProviderStrategy = []types.CapacityProviderStrategyItem{{CapacityProvider: aws.String("FARGATE")}}
		}), "InvalidParameterException", ecs.MsgLaunchTypeAndStrategy},
		{"unknown container override", mod(func(in *awsecs.RunTaskInput) {
			in.Overrides = &types.TaskOverride{ContainerOverrides: []types.ContainerOverride{{Name: aws.String("sidecar")}}}
		}), "InvalidParameterException", "Override for container named sidecar is not a container in the TaskDefinition."},
		{"overrides too long", mod(func(in *awsecs.RunTaskInput) {
			in.Overrides = &types.TaskOverride{ContainerOverrides: []types.ContainerOverride{{Name: aws.String("web"), Command: []string{strings.Repeat("x", 9000)}}}}
		}), "InvalidParameterException", "Container Overrides length must be at most 8192"},
		{"bad fargate size override", mod(func(in *awsecs.RunTaskInput) {
			in.Overrides = &types.TaskOverride{Cpu: aws.String("256"), Memory: aws.String("4096")}
		}), "ClientException", "No Fargate configuration exists for given values."},
		{"fargate incompatible (privileged EC2 task)", mod(func(in *awsecs.RunTaskInput) {
			in.TaskDefinition, in.NetworkConfiguration = aws.String("sleep"), nil
		}), "InvalidParameterException", "Task definition does not support launch_type FARGATE."},
		{"propagate SERVICE", mod(func(in *awsecs.RunTaskInput) { in.PropagateTags = types.PropagateTagsService }),
			"InvalidParameterException", "The SERVICE value of propagateTags is only valid for tasks that a service starts."},
		{"startedBy too long", mod(func(in *awsecs.RunTaskInput) { in.StartedBy = aws.String(strings.Repeat("a", 129)) }),
			"InvalidParameterException", "startedBy must be at most 128 characters."},
		{"exec without task role", mod(func(in *awsecs.RunTaskInput) { in.EnableExecuteCommand = true }),
			"InvalidParameterException", "The task definition does not have a task role. ECS Exec requires a task role in the task definition or in the overrides."},
		{"bad placement strategy", mod(func(in *awsecs.RunTaskInput) {
			in.LaunchType, in.TaskDefinition, in.NetworkConfiguration = types.LaunchTypeEc2, aws.String("sleep"), nil
			in.PlacementStrategy = []types.PlacementStrategy{{Type: types.PlacementStrategyTypeBinpack, Field: aws.String("disk")}}
		}), "InvalidParameterException", "The binpack placement strategy requires the field cpu or memory."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.RunTask(ctx, tc.in)
			wantAPIError(t, err, tc.code, tc.msg)
		})
	}
}

func TestRunTaskClientToken(t *testing.T) {
	c, ctx := serviceFixture(t)
	first := runFargate(t, c, func(in *awsecs.RunTaskInput) { in.ClientToken, in.Count = aws.String("tok/1"), aws.Int32(2) })
	again := runFargate(t, c, func(in *awsecs.RunTaskInput) { in.ClientToken, in.Count = aws.String("tok/1"), aws.Int32(2) })
	if len(again.Tasks) != 2 || aws.ToString(again.Tasks[0].TaskArn) != aws.ToString(first.Tasks[0].TaskArn) {
		t.Fatalf("retry returned other tasks")
	}
	_, err := c.RunTask(ctx, &awsecs.RunTaskInput{Cluster: aws.String("prod"), TaskDefinition: aws.String("web"), LaunchType: types.LaunchTypeFargate,
		NetworkConfiguration: awsvpcConfig(), ClientToken: aws.String("tok/1")})
	wantAPIError(t, err, "ConflictException", "The clientToken is already in use with a different RunTask request. Use a unique clientToken, or retry with the original parameters.")
	list, err := c.ListTasks(ctx, &awsecs.ListTasksInput{Cluster: aws.String("prod")})
	if err != nil || len(list.TaskArns) != 2 {
		t.Fatalf("tasks after retries = %v %v", list, err)
	}
}

func TestStopTask(t *testing.T) {
	c, ctx := serviceFixture(t)
	arns := []string{}
	for _, task := range runFargate(t, c, func(in *awsecs.RunTaskInput) { in.Count = aws.Int32(2) }).Tasks {
		arns = append(arns, aws.ToString(task.TaskArn))
	}
	out, err := c.StopTask(ctx, &awsecs.StopTaskInput{Cluster: aws.String("prod"), Task: aws.String(arns[0]), Reason: aws.String("deploying v2")})
	if err != nil {
		t.Fatal(err)
	}
	task := out.Task
	if aws.ToString(task.DesiredStatus) != "STOPPED" || aws.ToString(task.StoppedReason) != "deploying v2" ||
		task.StopCode != types.TaskStopCodeUserInitiated || task.StoppingAt == nil || aws.ToString(task.LastStatus) != "PROVISIONING" {
		t.Fatalf("stopped task = %s %q %s %v", aws.ToString(task.DesiredStatus), aws.ToString(task.StoppedReason), task.StopCode, task.StoppingAt)
	}
	// Stopping again changes nothing.
	again, err := c.StopTask(ctx, &awsecs.StopTaskInput{Cluster: aws.String("prod"), Task: aws.String(arns[0]), Reason: aws.String("other")})
	if err != nil || aws.ToString(again.Task.StoppedReason) != "deploying v2" || !again.Task.StoppingAt.Equal(*task.StoppingAt) {
		t.Fatalf("second stop: %v %q", err, aws.ToString(again.Task.StoppedReason))
	}
	// By bare ID, without a reason.
	id := arns[1][strings.LastIndex(arns[1], "/")+1:]
	byID, err := c.StopTask(ctx, &awsecs.StopTaskInput{Cluster: aws.String("prod"), Task: aws.String(id)})
	if err != nil || aws.ToString(byID.Task.StoppedReason) != "Task stopped by user" {
		t.Fatalf("stop by id: %v %q", err, aws.ToString(byID.Task.StoppedReason))
	}
	_, err = c.StopTask(ctx, &awsecs.StopTaskInput{Cluster: aws.String("prod"), Task: aws.String(strings.Repeat("a", 32))})
	wantAPIError(t, err, "InvalidParameterException", "The referenced task was not found")
	_, err = c.StopTask(ctx, &awsecs.StopTaskInput{Cluster: aws.String("nope"), Task: aws.String(id)})
	wantAPIError(t, err, "ClusterNotFoundException", "Cluster not found.")

	// Stopped tasks are listed under desiredStatus STOPPED.
	stopped, err := c.ListTasks(ctx, &awsecs.ListTasksInput{Cluster: aws.String("prod"), DesiredStatus: types.DesiredStatusStopped})
	if err != nil || len(stopped.TaskArns) != 2 {
		t.Fatalf("stopped list = %v %v", stopped, err)
	}
	running, err := c.ListTasks(ctx, &awsecs.ListTasksInput{Cluster: aws.String("prod")})
	if err != nil || len(running.TaskArns) != 0 {
		t.Fatalf("running list = %v %v", running, err)
	}
}

func TestDescribeTasks(t *testing.T) {
	c, ctx := serviceFixture(t)
	task := runFargate(t, c, func(in *awsecs.RunTaskInput) { in.Tags = []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}} }).Tasks[0]
	arn := aws.ToString(task.TaskArn)
	id := arn[strings.LastIndex(arn, "/")+1:]
	ghost := strings.Repeat("b", 32)
	out, err := c.DescribeTasks(ctx, &awsecs.DescribeTasksInput{Cluster: aws.String("prod"), Tasks: []string{arn, id, ghost},
		Include: []types.TaskField{types.TaskFieldTags}})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Tasks) != 2 || len(out.Tasks[0].Tags) != 1 || aws.ToString(out.Tasks[1].TaskArn) != arn {
		t.Fatalf("tasks = %d", len(out.Tasks))
	}
	if len(out.Failures) != 1 || aws.ToString(out.Failures[0].Arn) != "arn:aws:ecs:us-east-1:000000000000:task/prod/"+ghost ||
		aws.ToString(out.Failures[0].Reason) != "MISSING" {
		t.Fatalf("failures = %+v", out.Failures)
	}
	plain, err := c.DescribeTasks(ctx, &awsecs.DescribeTasksInput{Cluster: aws.String("prod"), Tasks: []string{id}})
	if err != nil || len(plain.Tasks[0].Tags) != 0 {
		t.Fatalf("tags without include: %v", err)
	}
	// A task of another cluster is MISSING here.
	mustCreateCluster(t, c, "other")
	other, err := c.DescribeTasks(ctx, &awsecs.DescribeTasksInput{Cluster: aws.String("other"), Tasks: []string{arn}})
	if err != nil || len(other.Failures) != 1 {
		t.Fatalf("other cluster: %v %+v", err, other)
	}
	_, err = c.DescribeTasks(ctx, &awsecs.DescribeTasksInput{Cluster: aws.String("prod"), Tasks: []string{}})
	wantAPIError(t, err, "InvalidParameterException", "Tasks cannot be empty.")
	_, err = c.DescribeTasks(ctx, &awsecs.DescribeTasksInput{Cluster: aws.String("nope"), Tasks: []string{id}})
	wantAPIError(t, err, "ClusterNotFoundException", "Cluster not found.")
}

func TestListTasks(t *testing.T) {
	c, ctx := serviceFixture(t)
	mustRegister(t, c, bridgeTask("sleep"))
	var web []string
	for _, task := range runFargate(t, c, func(in *awsecs.RunTaskInput) { in.Count = aws.Int32(5); in.StartedBy = aws.String("ci") }).Tasks {
		web = append(web, aws.ToString(task.TaskArn))
	}
	if _, err := c.RunTask(ctx, &awsecs.RunTaskInput{Cluster: aws.String("prod"), TaskDefinition: aws.String("sleep"), Count: aws.Int32(2)}); err != nil {
		t.Fatal(err)
	}
	mustCreateService(t, c, fargateService("prod", "api", "web"))
	slices.Sort(web)

	list := func(in awsecs.ListTasksInput) []string {
		t.Helper()
		in.Cluster = aws.String("prod")
		var out []string
		p := awsecs.NewListTasksPaginator(c, &in)
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, page.TaskArns...)
		}
		return out
	}
	if got := list(awsecs.ListTasksInput{}); len(got) != 7 {
		t.Errorf("all = %d, want 7", len(got))
	}
	if got := list(awsecs.ListTasksInput{Family: aws.String("web"), MaxResults: aws.Int32(2)}); fmt.Sprint(got) != fmt.Sprint(web) {
		t.Errorf("family web = %v\nwant %v", got, web)
	}
	if got := list(awsecs.ListTasksInput{StartedBy: aws.String("ci")}); len(got) != 5 {
		t.Errorf("startedBy = %d", len(got))
	}
	if got := list(awsecs.ListTasksInput{LaunchType: types.LaunchTypeEc2}); len(got) != 2 {
		t.Errorf("EC2 = %d", len(got))
	}
	if got := list(awsecs.ListTasksInput{DesiredStatus: types.DesiredStatusPending}); len(got) != 0 {
		t.Errorf("PENDING = %d", len(got))
	}
	if got := list(awsecs.ListTasksInput{ServiceName: aws.String("api")}); len(got) != 0 {
		t.Errorf("service api = %d", len(got))
	}
	_, err := c.ListTasks(ctx, &awsecs.ListTasksInput{Cluster: aws.String("prod"), ServiceName: aws.String("nope")})
	wantAPIError(t, err, "ServiceNotFoundException", "Service not found.")
	_, err = c.ListTasks(ctx, &awsecs.ListTasksInput{Cluster: aws.String("nope")})
	wantAPIError(t, err, "ClusterNotFoundException", "Cluster not found.")
	_, err = c.ListTasks(ctx, &awsecs.ListTasksInput{Cluster: aws.String("prod"), MaxResults: aws.Int32(0)})
	wantAPIError(t, err, "InvalidParameterException", "maxResults must be between 1 and 100.")
}
