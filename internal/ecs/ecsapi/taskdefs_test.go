package ecsapi_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsecs "github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

func tdARN(family string, rev int) string {
	return fmt.Sprintf("arn:aws:ecs:us-east-1:%s:task-definition/%s:%d", testAccount, family, rev)
}

// fargateWeb is a realistic Fargate web task: health check, secrets,
// awslogs and a port mapping.
func fargateWeb(family string) *awsecs.RegisterTaskDefinitionInput {
	return &awsecs.RegisterTaskDefinitionInput{
		Family:                  aws.String(family),
		NetworkMode:             types.NetworkModeAwsvpc,
		RequiresCompatibilities: []types.Compatibility{types.CompatibilityFargate},
		Cpu:                     aws.String("256"),
		Memory:                  aws.String("512"),
		ExecutionRoleArn:        aws.String("arn:aws:iam::" + testAccount + ":role/ecsTaskExecutionRole"),
		ContainerDefinitions: []types.ContainerDefinition{{
			Name:         aws.String("web"),
			Image:        aws.String("public.ecr.aws/nginx/nginx:1.27"),
			Essential:    aws.Bool(true),
			PortMappings: []types.PortMapping{{ContainerPort: aws.Int32(80), Protocol: types.TransportProtocolTcp}},
			Environment:  []types.KeyValuePair{{Name: aws.String("MODE"), Value: aws.String("prod")}},
			Secrets:      []types.Secret{{Name: aws.String("DB_PASSWORD"), ValueFrom: aws.String("/prod/db/password")}},
			HealthCheck: &types.HealthCheck{Command: []string{"CMD-SHELL", "curl -f http://localhost/ || exit 1"},
				Interval: aws.Int32(15), Retries: aws.Int32(2)},
			LogConfiguration: &types.LogConfiguration{LogDriver: types.LogDriverAwslogs, Options: map[string]string{
				"awslogs-group": "/ecs/web", "awslogs-region": "us-east-1", "awslogs-stream-prefix": "web"}},
		}},
		Tags: []types.Tag{{Key: aws.String("app"), Value: aws.String("web")}},
	}
}

// bridgeTask is a minimal EC2 task, like ECS's sleep360 example.
func bridgeTask(family string) *awsecs.RegisterTaskDefinitionInput {
	return &awsecs.RegisterTaskDefinitionInput{
		Family: aws.String(family),
		ContainerDefinitions: []types.ContainerDefinition{{
			Name: aws.String("sleep"), Image: aws.String("busybox"), Cpu: 10, Memory: aws.Int32(10),
			Command: []string{"sleep", "360"}, Essential: aws.Bool(true),
		}},
	}
}

func mustRegister(t *testing.T, c *awsecs.Client, in *awsecs.RegisterTaskDefinitionInput) *types.TaskDefinition {
	t.Helper()
	out, err := c.RegisterTaskDefinition(context.Background(), in)
	if err != nil {
		t.Fatalf("RegisterTaskDefinition %s: %v", aws.ToString(in.Family), err)
	}
	return out.TaskDefinition
}

func attributeNames(as []types.Attribute) []string {
	var out []string
	for _, a := range as {
		out = append(out, aws.ToString(a.Name))
	}
	return out
}

func TestRegisterTaskDefinition(t *testing.T) {
	c, _ := startECS(t)
	before := time.Now().Add(-time.Second)
	out, err := c.RegisterTaskDefinition(context.Background(), fargateWeb("web"))
	if err != nil {
		t.Fatal(err)
	}
	td := out.TaskDefinition
	if aws.ToString(td.TaskDefinitionArn) != tdARN("web", 1) || td.Revision != 1 || td.Status != types.TaskDefinitionStatusActive {
		t.Fatalf("identity = %s rev %d %s", aws.ToString(td.TaskDefinitionArn), td.Revision, td.Status)
	}
	if !slices.Equal(td.Compatibilities, []types.Compatibility{"EC2", "FARGATE"}) {
		t.Fatalf("compatibilities = %v", td.Compatibilities)
	}
	if aws.ToString(td.Cpu) != "256" || aws.ToString(td.Memory) != "512" {
		t.Fatalf("size = %s/%s", aws.ToString(td.Cpu), aws.ToString(td.Memory))
	}
	if aws.ToString(td.RegisteredBy) != rootPrincipal || td.RegisteredAt == nil || td.RegisteredAt.Before(before) || td.RegisteredAt.After(time.Now()) {
		t.Fatalf("registered %v by %s", td.RegisteredAt, aws.ToString(td.RegisteredBy))
	}
	attrs := attributeNames(td.RequiresAttributes)
	for _, want := range []string{
		"com.amazonaws.ecs.capability.logging-driver.awslogs", "com.amazonaws.ecs.capability.docker-remote-api.1.19",
		"ecs.capability.execution-role-awslogs", "ecs.capability.secrets.ssm.environment-variables",
		"ecs.capability.container-health-check", "ecs.capability.task-eni",
	} {
		if !slices.Contains(attrs, want) {
			t.Errorf("requiresAttributes %v lacks %s", attrs, want)
		}
	}
	web := td.ContainerDefinitions[0]
	if aws.ToInt32(web.PortMappings[0].HostPort) != 80 || aws.ToInt32(web.HealthCheck.Timeout) != 5 || aws.ToInt32(web.HealthCheck.Interval) != 15 {
		t.Fatalf("defaults not resolved: %+v %+v", web.PortMappings[0], web.HealthCheck)
	}
	if len(out.Tags) != 1 || aws.ToString(out.Tags[0].Key) != "app" {
		t.Fatalf("tags = %+v", out.Tags)
	}

	// Revisions go up by one per family.
	if td2 := mustRegister(t, c, fargateWeb("web")); td2.Revision != 2 {
		t.Fatalf("second revision = %d", td2.Revision)
	}
	if other := mustRegister(t, c, fargateWeb("api")); other.Revision != 1 {
		t.Fatalf("another family starts at %d", other.Revision)
	}

	// A bridge task runs on EC2 and ECS Anywhere and requires nothing.
	b := mustRegister(t, c, bridgeTask("sleep360"))
	if !slices.Equal(b.Compatibilities, []types.Compatibility{"EXTERNAL", "EC2"}) || len(b.RequiresAttributes) != 0 {
		t.Fatalf("bridge: compatibilities %v attributes %v", b.Compatibilities, attributeNames(b.RequiresAttributes))
	}
}

func TestRegisterTaskDefinitionErrors(t *testing.T) {
	c, _ := startECS(t)
	for _, tc := range []struct {
		name      string
		change    func(*awsecs.RegisterTaskDefinitionInput)
		code, msg string
	}{
		{"fargate size that does not exist", func(in *awsecs.RegisterTaskDefinitionInput) { in.Memory = aws.String("4096") },
			"ClientException", "No Fargate configuration exists for given values."},
		{"fargate without awsvpc", func(in *awsecs.RegisterTaskDefinitionInput) { in.NetworkMode = types.NetworkModeBridge },
			"ClientException", "Fargate only supports network mode 'awsvpc'."},
		{"fargate without task cpu", func(in *awsecs.RegisterTaskDefinitionInput) { in.Cpu = nil },
			"ClientException", "Fargate requires that 'cpu' be defined at the task level."},
		{"no image", func(in *awsecs.RegisterTaskDefinitionInput) { in.ContainerDefinitions[0].Image = aws.String("") },
			"ClientException", "Container.image should not be null or empty."},
		{"awsvpc ports differ", func(in *awsecs.RegisterTaskDefinitionInput) {
			in.ContainerDefinitions[0].PortMappings[0].HostPort = aws.Int32(8080)
		}, "ClientException", "When networkMode=awsvpc, the host ports and container ports in port mappings must match."},
		{"bad family", func(in *awsecs.RegisterTaskDefinitionInput) { in.Family = aws.String("web app") },
			"ClientException", "Family contains invalid characters."},
		{"no memory anywhere", func(in *awsecs.RegisterTaskDefinitionInput) {
			in.RequiresCompatibilities, in.Memory, in.Cpu = nil, nil, nil
		}, "ClientException", "Invalid setting for container 'web'. At least one of 'memory' or 'memoryReservation' must be specified."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := fargateWeb("bad")
			tc.change(in)
			_, err := c.RegisterTaskDefinition(context.Background(), in)
			wantAPIError(t, err, tc.code, tc.msg)
			if tc.code == "ClientException" {
				var ce *types.ClientException
				if !errors.As(err, &ce) {
					t.Fatalf("error type %T", err)
				}
			}
		})
	}
	// Nothing was registered, so the family has no revisions.
	_, err := c.DescribeTaskDefinition(context.Background(), &awsecs.DescribeTaskDefinitionInput{TaskDefinition: aws.String("bad")})
	wantAPIError(t, err, "ClientException", "Unable to describe task definition.")
}

func TestConcurrentRegistrationsGetConsecutiveRevisions(t *testing.T) {
	c, _ := startECS(t)
	const n = 20
	revs := make([]int, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out, err := c.RegisterTaskDefinition(context.Background(), bridgeTask("busy"))
			if err == nil {
				revs[i] = int(out.TaskDefinition.Revision)
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	slices.Sort(revs)
	for i, r := range revs {
		if r != i+1 {
			t.Fatalf("revisions = %v, want 1..%d", revs, n)
		}
	}
}

func TestDescribeTaskDefinition(t *testing.T) {
	c, _ := startECS(t)
	ctx := context.Background()
	mustRegister(t, c, fargateWeb("web"))
	mustRegister(t, c, fargateWeb("web"))
	if _, err := c.DeregisterTaskDefinition(ctx, &awsecs.DeregisterTaskDefinitionInput{TaskDefinition: aws.String("web:2")}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		ref    string
		rev    int32
		status types.TaskDefinitionStatus
	}{
		{"web", 1, types.TaskDefinitionStatusActive}, // latest ACTIVE, not the newest
		{"web:2", 2, types.TaskDefinitionStatusInactive},
		{tdARN("web", 1), 1, types.TaskDefinitionStatusActive},
	} {
		out, err := c.DescribeTaskDefinition(ctx, &awsecs.DescribeTaskDefinitionInput{TaskDefinition: aws.String(tc.ref)})
		if err != nil {
			t.Fatalf("%s: %v", tc.ref, err)
		}
		if out.TaskDefinition.Revision != tc.rev || out.TaskDefinition.Status != tc.status {
			t.Fatalf("%s: revision %d %s, want %d %s", tc.ref, out.TaskDefinition.Revision, out.TaskDefinition.Status, tc.rev, tc.status)
		}
		if out.Tags != nil {
			t.Fatalf("%s: tags without include: %v", tc.ref, out.Tags)
		}
	}
	out, err := c.DescribeTaskDefinition(ctx, &awsecs.DescribeTaskDefinitionInput{TaskDefinition: aws.String("web:1"), Include: []types.TaskDefinitionField{types.TaskDefinitionFieldTags}})
	if err != nil || len(out.Tags) != 1 || aws.ToString(out.Tags[0].Value) != "web" {
		t.Fatalf("include TAGS: %v %+v", err, out)
	}
	for _, ref := range []string{"web:3", "nope", tdARN("nope", 1)} {
		_, err := c.DescribeTaskDefinition(ctx, &awsecs.DescribeTaskDefinitionInput{TaskDefinition: aws.String(ref)})
		wantAPIError(t, err, "ClientException", "Unable to describe task definition.")
	}
}

// listAll pages through ListTaskDefinitions.
func listAll(t *testing.T, c *awsecs.Client, in awsecs.ListTaskDefinitionsInput) []string {
	t.Helper()
	var got []string
	p := awsecs.NewListTaskDefinitionsPaginator(c, &in)
	for p.HasMorePages() {
		out, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, out.TaskDefinitionArns...)
	}
	return got
}

func TestListTaskDefinitions(t *testing.T) {
	c, _ := startECS(t)
	ctx := context.Background()
	for _, f := range []string{"web", "web-api", "web", "db", "web", "web-api"} {
		mustRegister(t, c, bridgeTask(f))
	}
	if _, err := c.DeregisterTaskDefinition(ctx, &awsecs.DeregisterTaskDefinitionInput{TaskDefinition: aws.String("web:2")}); err != nil {
		t.Fatal(err)
	}
	asc := []string{tdARN("db", 1), tdARN("web", 1), tdARN("web", 3), tdARN("web-api", 1), tdARN("web-api", 2)}
	desc := slices.Clone(asc)
	slices.Reverse(desc)
	for _, tc := range []struct {
		name string
		in   awsecs.ListTaskDefinitionsInput
		want []string
	}{
		{"ascending", awsecs.ListTaskDefinitionsInput{}, asc},
		{"ascending in pages", awsecs.ListTaskDefinitionsInput{MaxResults: aws.Int32(2)}, asc},
		{"descending", awsecs.ListTaskDefinitionsInput{Sort: types.SortOrderDesc}, desc},
		{"descending in pages", awsecs.ListTaskDefinitionsInput{Sort: types.SortOrderDesc, MaxResults: aws.Int32(2)}, desc},
		{"one page each", awsecs.ListTaskDefinitionsInput{Sort: types.SortOrderDesc, MaxResults: aws.Int32(1)}, desc},
		{"family is a whole name", awsecs.ListTaskDefinitionsInput{FamilyPrefix: aws.String("web")}, []string{tdARN("web", 1), tdARN("web", 3)}},
		{"inactive", awsecs.ListTaskDefinitionsInput{Status: types.TaskDefinitionStatusInactive}, []string{tdARN("web", 2)}},
		{"delete in progress", awsecs.ListTaskDefinitionsInput{Status: types.TaskDefinitionStatusDeleteInProgress}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := listAll(t, c, tc.in); !slices.Equal(got, tc.want) {
				t.Fatalf("got %v\nwant %v", got, tc.want)
			}
		})
	}
	// Exactly one full page has no token.
	out, err := c.ListTaskDefinitions(ctx, &awsecs.ListTaskDefinitionsInput{FamilyPrefix: aws.String("web"), MaxResults: aws.Int32(2)})
	if err != nil || out.NextToken != nil || len(out.TaskDefinitionArns) != 2 {
		t.Fatalf("full page: %v %+v", err, out)
	}
	_, err = c.ListTaskDefinitions(ctx, &awsecs.ListTaskDefinitionsInput{MaxResults: aws.Int32(0)})
	wantAPIError(t, err, "InvalidParameterException", "maxResults must be between 1 and 100.")
}

func TestListTaskDefinitionFamilies(t *testing.T) {
	c, _ := startECS(t)
	ctx := context.Background()
	for _, f := range []string{"web", "web-api", "db", "worker", "worker"} {
		mustRegister(t, c, bridgeTask(f))
	}
	for _, ref := range []string{"db:1", "worker:1"} {
		if _, err := c.DeregisterTaskDefinition(ctx, &awsecs.DeregisterTaskDefinitionInput{TaskDefinition: aws.String(ref)}); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name string
		in   awsecs.ListTaskDefinitionFamiliesInput
		want []string
	}{
		{"all by default", awsecs.ListTaskDefinitionFamiliesInput{}, []string{"db", "web", "web-api", "worker"}},
		{"active", awsecs.ListTaskDefinitionFamiliesInput{Status: types.TaskDefinitionFamilyStatusActive}, []string{"web", "web-api", "worker"}},
		{"inactive", awsecs.ListTaskDefinitionFamiliesInput{Status: types.TaskDefinitionFamilyStatusInactive}, []string{"db"}},
		{"prefix", awsecs.ListTaskDefinitionFamiliesInput{FamilyPrefix: aws.String("w")}, []string{"web", "web-api", "worker"}},
		{"pages", awsecs.ListTaskDefinitionFamiliesInput{MaxResults: aws.Int32(1), Status: types.TaskDefinitionFamilyStatusAll}, []string{"db", "web", "web-api", "worker"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			p := awsecs.NewListTaskDefinitionFamiliesPaginator(c, &tc.in)
			for p.HasMorePages() {
				out, err := p.NextPage(ctx)
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, out.Families...)
			}
			if !slices.Equal(got, tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestDeregisterAndDeleteTaskDefinitions(t *testing.T) {
	c, _ := startECS(t)
	ctx := context.Background()
	mustRegister(t, c, bridgeTask("app"))
	mustRegister(t, c, bridgeTask("app"))

	_, err := c.DeregisterTaskDefinition(ctx, &awsecs.DeregisterTaskDefinitionInput{TaskDefinition: aws.String("app")})
	wantAPIError(t, err, "ClientException", "A task definition revision must be specified: use family:revision or the full ARN.")
	_, err = c.DeregisterTaskDefinition(ctx, &awsecs.DeregisterTaskDefinitionInput{TaskDefinition: aws.String("app:9")})
	wantAPIError(t, err, "ClientException", "TaskDefinition not found.")

	out, err := c.DeregisterTaskDefinition(ctx, &awsecs.DeregisterTaskDefinitionInput{TaskDefinition: aws.String(tdARN("app", 1))})
	if err != nil {
		t.Fatal(err)
	}
	if out.TaskDefinition.Status != types.TaskDefinitionStatusInactive || out.TaskDefinition.DeregisteredAt == nil {
		t.Fatalf("deregistered = %s at %v", out.TaskDefinition.Status, out.TaskDefinition.DeregisteredAt)
	}
	_, err = c.DeregisterTaskDefinition(ctx, &awsecs.DeregisterTaskDefinitionInput{TaskDefinition: aws.String("app:1")})
	wantAPIError(t, err, "ClientException", "TaskDefinition is inactive")

	del, err := c.DeleteTaskDefinitions(ctx, &awsecs.DeleteTaskDefinitionsInput{TaskDefinitions: []string{"app:1", "app:2", "app:7"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(del.TaskDefinitions) != 1 || del.TaskDefinitions[0].Status != types.TaskDefinitionStatusDeleteInProgress || del.TaskDefinitions[0].DeleteRequestedAt == nil {
		t.Fatalf("deleted = %+v", del.TaskDefinitions)
	}
	wantFailures := []types.Failure{
		{Arn: aws.String(tdARN("app", 2)), Reason: aws.String("The specified task definition is still in ACTIVE status. Please first deregister the target and try again.")},
		{Arn: aws.String(tdARN("app", 7)), Reason: aws.String("The specified task definition does not exist. Specify a valid account, family, revision and try again.")},
	}
	if len(del.Failures) != 2 {
		t.Fatalf("failures = %+v", del.Failures)
	}
	for i, f := range del.Failures {
		if aws.ToString(f.Arn) != aws.ToString(wantFailures[i].Arn) || aws.ToString(f.Reason) != aws.ToString(wantFailures[i].Reason) {
			t.Fatalf("failure %d = %s %q", i, aws.ToString(f.Arn), aws.ToString(f.Reason))
		}
	}
	_, err = c.DescribeTaskDefinition(ctx, &awsecs.DescribeTaskDefinitionInput{TaskDefinition: aws.String("app:1")})
	wantAPIError(t, err, "ClientException", "Unable to describe task definition.")
	// Revision numbers are never reused.
	if td := mustRegister(t, c, bridgeTask("app")); td.Revision != 3 {
		t.Fatalf("revision after delete = %d", td.Revision)
	}
	many := make([]string, 11)
	for i := range many {
		many[i] = fmt.Sprintf("app:%d", i+1)
	}
	_, err = c.DeleteTaskDefinitions(ctx, &awsecs.DeleteTaskDefinitionsInput{TaskDefinitions: many})
	wantAPIError(t, err, "InvalidParameterException", "Specify between 1 and 10 task definitions to delete.")
	_, err = c.DeleteTaskDefinitions(ctx, &awsecs.DeleteTaskDefinitionsInput{TaskDefinitions: []string{"app"}})
	wantAPIError(t, err, "ClientException", "A task definition revision must be specified: use family:revision or the full ARN.")
}

func TestStateSurvivesRestart(t *testing.T) {
	srv := servertestStart(t, "")
	dir := srv.DataDir
	c := awsecs.NewFromConfig(srv.AWSConfig("us-east-1"))
	mustCreateCluster(t, c, "durable")
	mustRegister(t, c, fargateWeb("web"))
	mustRegister(t, c, fargateWeb("web"))
	srv.Stop()

	srv2 := servertestStart(t, dir)
	c2 := awsecs.NewFromConfig(srv2.AWSConfig("us-east-1"))
	d, err := c2.DescribeClusters(context.Background(), &awsecs.DescribeClustersInput{Clusters: []string{"durable"}})
	if err != nil || len(d.Clusters) != 1 || aws.ToString(d.Clusters[0].Status) != "ACTIVE" {
		t.Fatalf("cluster after restart: %v %+v", err, d)
	}
	td, err := c2.DescribeTaskDefinition(context.Background(), &awsecs.DescribeTaskDefinitionInput{TaskDefinition: aws.String("web")})
	if err != nil || td.TaskDefinition.Revision != 2 {
		t.Fatalf("task definition after restart: %v %+v", err, td)
	}
	if next := mustRegister(t, c2, fargateWeb("web")); next.Revision != 3 {
		t.Fatalf("revision after restart = %d", next.Revision)
	}
}
