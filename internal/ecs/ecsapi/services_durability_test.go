package ecsapi_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsecs "github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/quayside/quayside/internal/servertest"
)

// Racing UpdateService calls must leave one consistent history: every
// call's deployment recorded, exactly one PRIMARY, newest first.
func TestConcurrentUpdateServiceKeepsOneHistory(t *testing.T) {
	var mu sync.Mutex
	tick := testEpoch
	now := func() time.Time { // a clock that moves, so order is visible
		mu.Lock()
		defer mu.Unlock()
		tick = tick.Add(time.Millisecond)
		return tick
	}
	srv := startAPI(t, apiOptions{Now: now})
	c, ctx := srv.Client, context.Background()
	mustCreateCluster(t, c, "prod")
	const revisions = 4
	for range revisions {
		mustRegister(t, c, fargateWeb("web"))
	}
	mustCreateService(t, c, fargateService("prod", "api", "web:1"))

	const calls = 8
	var wg sync.WaitGroup
	errs := make(chan error, calls)
	for i := range calls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			in := &awsecs.UpdateServiceInput{Cluster: aws.String("prod"), Service: aws.String("api"), ForceNewDeployment: true}
			if i%2 == 0 {
				in.TaskDefinition = aws.String(tdARN("web", 1+i%revisions))
			}
			_, err := c.UpdateService(ctx, in)
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	out, err := c.DescribeServices(ctx, &awsecs.DescribeServicesInput{Cluster: aws.String("prod"), Services: []string{"api"}})
	if err != nil {
		t.Fatal(err)
	}
	deps := out.Services[0].Deployments
	if len(deps) != calls+1 {
		t.Fatalf("%d deployments, want %d", len(deps), calls+1)
	}
	seen := map[string]bool{}
	for i, d := range deps {
		want := "ACTIVE"
		if i == 0 {
			want = "PRIMARY"
		}
		if aws.ToString(d.Status) != want {
			t.Errorf("deployment %d is %s, want %s", i, aws.ToString(d.Status), want)
		}
		if i > 0 && !d.CreatedAt.Before(*deps[i-1].CreatedAt) {
			t.Errorf("deployment %d created %v, not before %v", i, d.CreatedAt, deps[i-1].CreatedAt)
		}
		if seen[aws.ToString(d.Id)] {
			t.Errorf("deployment %s twice", aws.ToString(d.Id))
		}
		seen[aws.ToString(d.Id)] = true
	}
	if aws.ToString(out.Services[0].TaskDefinition) != aws.ToString(deps[0].TaskDefinition) {
		t.Errorf("service runs %s, PRIMARY %s", aws.ToString(out.Services[0].TaskDefinition), aws.ToString(deps[0].TaskDefinition))
	}
}

// Services survive a restart of the whole server, on its data dir.
func TestServicesSurviveRestart(t *testing.T) {
	dir := t.TempDir()
	srv := servertest.Start(t, servertest.Options{DataDir: dir})
	c := awsecs.NewFromConfig(srv.AWSConfig("us-east-1"))
	ctx := context.Background()
	mustCreateCluster(t, c, "prod")
	mustRegister(t, c, fargateWeb("web"))
	created := mustCreateService(t, c, fargateService("prod", "api", "web"))
	mustCreateService(t, c, fargateService("prod", "gone", "web"))
	if _, err := c.DeleteService(ctx, &awsecs.DeleteServiceInput{Cluster: aws.String("prod"), Service: aws.String("gone"), Force: aws.Bool(true)}); err != nil {
		t.Fatal(err)
	}
	srv.Stop()

	srv = servertest.Start(t, servertest.Options{DataDir: dir})
	c = awsecs.NewFromConfig(srv.AWSConfig("us-east-1"))
	out, err := c.DescribeServices(ctx, &awsecs.DescribeServicesInput{Cluster: aws.String("prod"), Services: []string{"api", "gone"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Services) != 2 || aws.ToString(out.Services[0].Deployments[0].Id) != aws.ToString(created.Deployments[0].Id) ||
		!out.Services[0].CreatedAt.Equal(*created.CreatedAt) || !deletedStatus(aws.ToString(out.Services[1].Status)) {
		t.Fatalf("after restart: %+v", out.Services)
	}
	list, err := c.ListServices(ctx, &awsecs.ListServicesInput{Cluster: aws.String("prod")})
	if err != nil || len(list.ServiceArns) != 1 {
		t.Fatalf("list after restart = %v %v", list, err)
	}
}

// Task records survive a restart of the API on the same store.
func TestTasksSurviveRestart(t *testing.T) {
	srv := startAPI(t, apiOptions{})
	c, ctx := srv.Client, context.Background()
	mustCreateCluster(t, c, "prod")
	mustRegister(t, c, fargateWeb("web"))
	run, err := c.RunTask(ctx, &awsecs.RunTaskInput{Cluster: aws.String("prod"), TaskDefinition: aws.String("web"), LaunchType: types.LaunchTypeFargate,
		NetworkConfiguration: awsvpcConfig(), Count: aws.Int32(2), ClientToken: aws.String("once")})
	if err != nil {
		t.Fatal(err)
	}
	arn := aws.ToString(run.Tasks[0].TaskArn)
	if _, err := c.StopTask(ctx, &awsecs.StopTaskInput{Cluster: aws.String("prod"), Task: aws.String(arn)}); err != nil {
		t.Fatal(err)
	}
	path := srv.Path
	srv.Stop()

	srv = startAPI(t, apiOptions{Path: path, Seed: 2})
	c = srv.Client
	out, err := c.DescribeTasks(ctx, &awsecs.DescribeTasksInput{Cluster: aws.String("prod"), Tasks: []string{arn, aws.ToString(run.Tasks[1].TaskArn)}})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Tasks) != 2 || aws.ToString(out.Tasks[0].DesiredStatus) != "STOPPED" || aws.ToString(out.Tasks[1].DesiredStatus) != "RUNNING" ||
		len(out.Tasks[0].Attachments) != 1 || aws.ToString(out.Tasks[0].Containers[0].Name) != "web" {
		t.Fatalf("after restart: %+v", out.Tasks)
	}
	// The client token is remembered too.
	again, err := c.RunTask(ctx, &awsecs.RunTaskInput{Cluster: aws.String("prod"), TaskDefinition: aws.String("web"), LaunchType: types.LaunchTypeFargate,
		NetworkConfiguration: awsvpcConfig(), Count: aws.Int32(2), ClientToken: aws.String("once")})
	if err != nil || len(again.Tasks) != 2 || aws.ToString(again.Tasks[0].TaskArn) != arn {
		t.Fatalf("token after restart: %v", err)
	}
}

// deletedStatus: a deleted service is DRAINING until the scheduler has
// stopped its tasks, then INACTIVE; with no tasks that is at once.
func deletedStatus(s string) bool { return s == "DRAINING" || s == "INACTIVE" }
