// Package e2e holds Quayside's end-to-end tests: a real server with its
// agent, real Docker containers built from the repo's test images, and
// the real aws-sdk-go-v2 clients. They fail, never skip, without Docker.
package e2e

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/quayside/quayside/internal/docker"
	"github.com/quayside/quayside/internal/servertest"
	"github.com/quayside/quayside/internal/testimage"
)

// env is one test's Quayside, clients and images.
type env struct {
	t       *testing.T
	srv     *servertest.Server
	ecs     *ecs.Client
	docker  *docker.Client
	testapp string
	busybox string
	cluster string
}

func newEnv(t *testing.T, opts ...servertest.Options) *env {
	t.Helper()
	ctx := context.Background()
	dc, err := docker.FromEnv()
	if err != nil {
		t.Fatalf("docker: %v", err)
	}
	t.Cleanup(func() { dc.Close() })
	if err := dc.Ping(ctx); err != nil {
		t.Fatalf("end-to-end tests need Docker: %v", err)
	}
	app, err := testimage.EnsureTestApp(ctx, dc)
	if err != nil {
		t.Fatalf("build test app image: %v", err)
	}
	bb, err := testimage.EnsureBusybox(ctx, dc)
	if err != nil {
		t.Fatalf("build busybox image: %v", err)
	}
	var o servertest.Options
	if len(opts) > 0 {
		o = opts[0]
	}
	if o.DataDir == "" {
		o.DataDir = t.TempDir()
	}
	o.WaitAgent = true
	e := &env{t: t, docker: dc, testapp: app, busybox: bb, cluster: "e2e"}
	// Registered first, so it runs last: after the server has stopped.
	t.Cleanup(func() { e.removeLeftovers(o.DataDir) })
	e.srv = servertest.Start(t, o)
	e.ecs = ecs.NewFromConfig(e.srv.AWSConfig("us-east-1"))
	if _, err := e.ecs.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String(e.cluster)}); err != nil {
		t.Fatal(err)
	}
	return e
}

// removeLeftovers removes any container a failed test left behind.
func (e *env) removeLeftovers(dataDir string) {
	ctx := context.Background()
	list, _ := e.docker.ContainerList(ctx, docker.ContainerListOptions{All: true, Filters: docker.Filters{"label": {"com.quayside.agent=" + agentID(e.t, dataDir)}}})
	for _, c := range list {
		_ = e.docker.ContainerRemove(ctx, c.ID, docker.ContainerRemoveOptions{Force: true, RemoveVolumes: true})
	}
}

func (e *env) register(td *ecs.RegisterTaskDefinitionInput) string {
	e.t.Helper()
	out, err := e.ecs.RegisterTaskDefinition(context.Background(), td)
	if err != nil {
		e.t.Fatalf("register task definition: %v", err)
	}
	return aws.ToString(out.TaskDefinition.TaskDefinitionArn)
}

// runFargate runs one awsvpc Fargate task and returns its ARN.
func (e *env) runFargate(taskDef string) string {
	e.t.Helper()
	out, err := e.ecs.RunTask(context.Background(), &ecs.RunTaskInput{
		Cluster: aws.String(e.cluster), TaskDefinition: aws.String(taskDef), LaunchType: types.LaunchTypeFargate,
		NetworkConfiguration: &types.NetworkConfiguration{AwsvpcConfiguration: &types.AwsVpcConfiguration{Subnets: []string{"subnet-local"}}},
	})
	if err != nil {
		e.t.Fatalf("run task: %v", err)
	}
	if len(out.Failures) > 0 || len(out.Tasks) != 1 {
		e.t.Fatalf("run task: failures %+v", out.Failures)
	}
	return aws.ToString(out.Tasks[0].TaskArn)
}

func (e *env) describe(arn string) types.Task {
	e.t.Helper()
	out, err := e.ecs.DescribeTasks(context.Background(), &ecs.DescribeTasksInput{Cluster: aws.String(e.cluster), Tasks: []string{arn}})
	if err != nil || len(out.Tasks) != 1 {
		e.t.Fatalf("describe task %s: %v %+v", arn, err, out)
	}
	return out.Tasks[0]
}

// waitStatus polls until the task reaches status (or passes it, for
// STOPPED) and returns it.
func (e *env) waitStatus(arn, status string, timeout time.Duration) types.Task {
	e.t.Helper()
	deadline := time.Now().Add(timeout)
	var t types.Task
	for time.Now().Before(deadline) {
		t = e.describe(arn)
		last := aws.ToString(t.LastStatus)
		if last == status {
			return t
		}
		if last == "STOPPED" && status != "STOPPED" {
			e.t.Fatalf("task stopped while waiting for %s: %s (%s) containers %s", status, aws.ToString(t.StoppedReason), t.StopCode, containersText(t))
		}
		time.Sleep(100 * time.Millisecond)
	}
	e.t.Fatalf("task %s did not reach %s in %s: last %s, reason %q", arn, status, timeout, aws.ToString(t.LastStatus), aws.ToString(t.StoppedReason))
	return t
}

func (e *env) stop(arn string) {
	e.t.Helper()
	if _, err := e.ecs.StopTask(context.Background(), &ecs.StopTaskInput{Cluster: aws.String(e.cluster), Task: aws.String(arn)}); err != nil {
		e.t.Fatalf("stop task: %v", err)
	}
}

func containersText(t types.Task) string {
	var b strings.Builder
	for _, c := range t.Containers {
		fmt.Fprintf(&b, "[%s %s exit=%v reason=%q] ", aws.ToString(c.Name), aws.ToString(c.LastStatus), aws.ToInt32(c.ExitCode), aws.ToString(c.Reason))
	}
	return b.String()
}

// taskIP is the private IPv4 address in the task's ENI attachment.
func taskIP(t types.Task) string {
	for _, a := range t.Attachments {
		for _, d := range a.Details {
			if aws.ToString(d.Name) == "privateIPv4Address" {
				return aws.ToString(d.Value)
			}
		}
	}
	return ""
}

// get fetches a URL on a task, retrying briefly while the app starts.
func get(t *testing.T, url string) (int, string) {
	t.Helper()
	var lastErr error
	for i := 0; i < 50; i++ {
		res, err := http.Get(url)
		if err == nil {
			b, _ := io.ReadAll(res.Body)
			res.Body.Close()
			return res.StatusCode, string(b)
		}
		lastErr = err
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("GET %s: %v", url, lastErr)
	return 0, ""
}

// webTask is a Fargate task definition of the test app.
func webTask(family, image string, env ...types.KeyValuePair) *ecs.RegisterTaskDefinitionInput {
	return &ecs.RegisterTaskDefinitionInput{
		Family: aws.String(family), NetworkMode: types.NetworkModeAwsvpc,
		RequiresCompatibilities: []types.Compatibility{types.CompatibilityFargate},
		Cpu:                     aws.String("256"), Memory: aws.String("512"),
		ContainerDefinitions: []types.ContainerDefinition{{
			Name: aws.String("web"), Image: aws.String(image), Essential: aws.Bool(true),
			PortMappings: []types.PortMapping{{ContainerPort: aws.Int32(8080)}},
			Environment:  env,
		}},
	}
}

// freePort returns a TCP port free on the host's loopback.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
