package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/quayside/quayside/internal/docker"
)

// A Fargate task runs as real containers with its own IP, answers on it,
// sees ECS's environment, and stops cleanly on StopTask.
func TestFargateTaskLifecycle(t *testing.T) {
	e := newEnv(t)
	td := e.register(webTask("web", e.testapp))
	arn := e.runFargate(td)

	task := e.waitStatus(arn, "RUNNING", 30*time.Second)
	ip := taskIP(task)
	if ip == "" {
		t.Fatalf("no private IP in attachments: %+v", task.Attachments)
	}
	c := task.Containers[0]
	if aws.ToString(c.LastStatus) != "RUNNING" || aws.ToString(c.RuntimeId) == "" || aws.ToString(c.ImageDigest) == "" {
		t.Fatalf("container: %s runtime %q digest %q", aws.ToString(c.LastStatus), aws.ToString(c.RuntimeId), aws.ToString(c.ImageDigest))
	}
	if len(c.NetworkInterfaces) != 1 || aws.ToString(c.NetworkInterfaces[0].PrivateIpv4Address) != ip {
		t.Fatalf("container network interfaces %+v, want %s", c.NetworkInterfaces, ip)
	}
	if task.PullStartedAt == nil || task.PullStoppedAt == nil || task.StartedAt == nil || task.CreatedAt == nil {
		t.Fatalf("timestamps missing: pull %v-%v started %v", task.PullStartedAt, task.PullStoppedAt, task.StartedAt)
	}
	if aws.ToString(task.Attachments[0].Status) != "ATTACHED" {
		t.Fatalf("attachment status %s", aws.ToString(task.Attachments[0].Status))
	}

	status, body := get(t, "http://"+ip+":8080/")
	if status != 200 || !strings.Contains(body, "hello from testapp") {
		t.Fatalf("GET task: %d %q", status, body)
	}
	_, body = get(t, "http://"+ip+":8080/env?name=AWS_REGION&name=AWS_EXECUTION_ENV")
	if !strings.Contains(body, "AWS_REGION=us-east-1") || !strings.Contains(body, "AWS_EXECUTION_ENV=AWS_ECS_FARGATE") {
		t.Fatalf("task environment: %q", body)
	}

	e.stop(arn)
	task = e.waitStatus(arn, "STOPPED", 60*time.Second)
	if task.StopCode != types.TaskStopCodeUserInitiated || aws.ToString(task.DesiredStatus) != "STOPPED" {
		t.Fatalf("stop code %s desired %s", task.StopCode, aws.ToString(task.DesiredStatus))
	}
	if task.StoppingAt == nil || task.ExecutionStoppedAt == nil || task.StoppedAt == nil {
		t.Fatal("stop timestamps missing")
	}
	if c := task.Containers[0]; aws.ToString(c.LastStatus) != "STOPPED" || c.ExitCode == nil || *c.ExitCode != 0 {
		t.Fatalf("container after SIGTERM: %s", containersText(task))
	}
	assertNoContainers(t, e, arn)
}

// assertNoContainers checks that nothing of the task is left in Docker.
func assertNoContainers(t *testing.T, e *env, arn string) {
	t.Helper()
	list, err := e.docker.ContainerList(context.Background(), docker.ContainerListOptions{All: true,
		Filters: docker.Filters{"label": {"com.amazonaws.ecs.task-arn=" + arn}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 0 {
		t.Fatalf("%d containers left behind by %s", len(list), arn)
	}
}

// The task's containers share the network namespace: a sidecar reaches
// the app on localhost.
func TestAwsvpcContainersShareLocalhost(t *testing.T) {
	e := newEnv(t)
	td := webTask("pair", e.testapp)
	td.ContainerDefinitions = append(td.ContainerDefinitions, types.ContainerDefinition{
		Name: aws.String("probe"), Image: aws.String(e.busybox), Essential: aws.Bool(false),
		Command: []string{"sh", "-c", "for i in 1 2 3 4 5 6 7 8 9 10; do wget -qO- http://localhost:8080/ && exit 0; sleep 0.3; done; exit 9"},
	})
	arn := e.runFargate(e.register(td))
	e.waitStatus(arn, "RUNNING", 30*time.Second)
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		task := e.describe(arn)
		for _, c := range task.Containers {
			if aws.ToString(c.Name) == "probe" && aws.ToString(c.LastStatus) == "STOPPED" {
				if aws.ToInt32(c.ExitCode) != 0 {
					t.Fatalf("sidecar could not reach localhost:8080: exit %d", aws.ToInt32(c.ExitCode))
				}
				if aws.ToString(task.LastStatus) != "RUNNING" {
					t.Fatalf("a non-essential container's exit stopped the task: %s", aws.ToString(task.LastStatus))
				}
				e.stop(arn)
				e.waitStatus(arn, "STOPPED", 60*time.Second)
				return
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatal("the sidecar never finished")
}

// Tasks that fail end in ECS's state, reason and stop code.
func TestTaskFailures(t *testing.T) {
	e := newEnv(t)
	cases := []struct {
		name     string
		mutate   func(*ecs.RegisterTaskDefinitionInput)
		stopCode types.TaskStopCode
		reason   string
		check    func(t *testing.T, task types.Task)
	}{
		{
			name: "essential container exits",
			mutate: func(td *ecs.RegisterTaskDefinitionInput) {
				td.ContainerDefinitions[0].Command = []string{"-crash", "-exit-code", "3"}
			},
			stopCode: types.TaskStopCodeEssentialContainerExited, reason: "Essential container in task exited",
			check: func(t *testing.T, task types.Task) {
				if aws.ToInt32(task.Containers[0].ExitCode) != 3 {
					t.Errorf("exit code %s", containersText(task))
				}
			},
		},
		{
			name: "image does not exist",
			mutate: func(td *ecs.RegisterTaskDefinitionInput) {
				td.ContainerDefinitions[0].Image = aws.String("quayside-no-such-image:1")
			},
			stopCode: types.TaskStopCodeTaskFailedToStart, reason: "CannotPullContainerError: ",
		},
		{
			name: "out of memory",
			mutate: func(td *ecs.RegisterTaskDefinitionInput) {
				td.ContainerDefinitions[0].Memory = aws.Int32(32)
				td.ContainerDefinitions[0].Command = []string{"-alloc-mib", "200"}
			},
			stopCode: types.TaskStopCodeEssentialContainerExited, reason: "Essential container in task exited",
			check: func(t *testing.T, task types.Task) {
				c := task.Containers[0]
				if !strings.HasPrefix(aws.ToString(c.Reason), "OutOfMemoryError: ") || aws.ToInt32(c.ExitCode) != 137 {
					t.Errorf("OOM not reported: %s", containersText(task))
				}
			},
		},
		{
			name: "bad command",
			mutate: func(td *ecs.RegisterTaskDefinitionInput) {
				td.ContainerDefinitions[0].EntryPoint = []string{"/no/such/binary"}
			},
			stopCode: types.TaskStopCodeTaskFailedToStart, reason: "CannotStartContainerError: ",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			td := webTask("fail-"+strings.ReplaceAll(c.name, " ", "-"), e.testapp)
			c.mutate(td)
			arn := e.runFargate(e.register(td))
			task := e.waitStatus(arn, "STOPPED", 60*time.Second)
			if task.StopCode != c.stopCode || !strings.HasPrefix(aws.ToString(task.StoppedReason), c.reason) {
				t.Fatalf("stopped with %s %q, want %s %q", task.StopCode, aws.ToString(task.StoppedReason), c.stopCode, c.reason)
			}
			if c.check != nil {
				c.check(t, task)
			}
			assertNoContainers(t, e, arn)
		})
	}
}

// A health check that never passes makes the container and the task
// UNHEALTHY; a standalone task keeps running.
func TestHealthChecks(t *testing.T) {
	e := newEnv(t)
	td := webTask("health", e.testapp)
	td.ContainerDefinitions[0].Command = []string{"-health-status", "500"}
	td.ContainerDefinitions[0].HealthCheck = &types.HealthCheck{
		Command:  []string{"CMD", "/testapp", "-healthcheck", "http://127.0.0.1:8080/health"},
		Interval: aws.Int32(5), Timeout: aws.Int32(2), Retries: aws.Int32(1),
	}
	good := webTask("healthy", e.testapp)
	good.ContainerDefinitions[0].HealthCheck = td.ContainerDefinitions[0].HealthCheck
	bad, ok := e.runFargate(e.register(td)), e.runFargate(e.register(good))
	deadline := time.Now().Add(40 * time.Second)
	for time.Now().Before(deadline) {
		b, g := e.describe(bad), e.describe(ok)
		if b.HealthStatus == types.HealthStatusUnhealthy && g.HealthStatus == types.HealthStatusHealthy {
			if aws.ToString(b.LastStatus) != "RUNNING" {
				t.Fatalf("an unhealthy standalone task must keep running: %s", aws.ToString(b.LastStatus))
			}
			if b.Containers[0].HealthStatus != types.HealthStatusUnhealthy {
				t.Fatalf("container health %s", b.Containers[0].HealthStatus)
			}
			e.stop(bad)
			e.stop(ok)
			e.waitStatus(bad, "STOPPED", 60*time.Second)
			e.waitStatus(ok, "STOPPED", 60*time.Second)
			return
		}
		time.Sleep(250 * time.Millisecond)
	}
	t.Fatalf("health never settled: bad %s, good %s", e.describe(bad).HealthStatus, e.describe(ok).HealthStatus)
}

// Killing Quayside leaves tasks running; the restarted agent adopts them
// without duplicating containers.
func TestRestartAdoptsRunningTasks(t *testing.T) {
	dir := t.TempDir()
	e := newEnv(t, serverOptions(dir))
	arn := e.runFargate(e.register(webTask("adopt", e.testapp)))
	before := e.waitStatus(arn, "RUNNING", 30*time.Second)
	e.srv.Stop()

	e2 := newEnv(t, serverOptions(dir))
	after := e2.waitStatus(arn, "RUNNING", 30*time.Second)
	if aws.ToString(after.Containers[0].RuntimeId) != aws.ToString(before.Containers[0].RuntimeId) {
		t.Fatalf("container replaced on restart: %s → %s", aws.ToString(before.Containers[0].RuntimeId), aws.ToString(after.Containers[0].RuntimeId))
	}
	status, _ := get(t, "http://"+taskIP(after)+":8080/")
	if status != 200 {
		t.Fatalf("adopted task does not answer: %d", status)
	}
	list, _ := e2.docker.ContainerList(context.Background(), docker.ContainerListOptions{All: true,
		Filters: docker.Filters{"label": {"com.amazonaws.ecs.task-arn=" + arn}}})
	if len(list) != 2 { // the app and the pause container
		t.Fatalf("%d containers for the task after restart, want 2", len(list))
	}
	e2.stop(arn)
	e2.waitStatus(arn, "STOPPED", 60*time.Second)
}
