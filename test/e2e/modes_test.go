package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/quayside/quayside/internal/docker"
)

func (e *env) runEC2(taskDef string) string {
	e.t.Helper()
	out, err := e.ecs.RunTask(context.Background(), &ecs.RunTaskInput{Cluster: aws.String(e.cluster), TaskDefinition: aws.String(taskDef), LaunchType: types.LaunchTypeEc2})
	if err != nil || len(out.Tasks) != 1 {
		e.t.Fatalf("run task: %v %+v", err, out)
	}
	return aws.ToString(out.Tasks[0].TaskArn)
}

// bridge mode publishes container ports on dynamic host ports, reported
// in networkBindings, as on an EC2 container instance.
func TestBridgeModeDynamicPorts(t *testing.T) {
	e := newEnv(t)
	arn := e.runEC2(e.register(&ecs.RegisterTaskDefinitionInput{
		Family: aws.String("bridge"), NetworkMode: types.NetworkModeBridge,
		ContainerDefinitions: []types.ContainerDefinition{{
			Name: aws.String("web"), Image: aws.String(e.testapp), Memory: aws.Int32(64), Essential: aws.Bool(true),
			PortMappings: []types.PortMapping{{ContainerPort: aws.Int32(8080), HostPort: aws.Int32(0)}},
		}},
	}))
	task := e.waitStatus(arn, "RUNNING", 30*time.Second)
	b := task.Containers[0].NetworkBindings
	if len(b) == 0 || aws.ToInt32(b[0].HostPort) == 0 || aws.ToInt32(b[0].ContainerPort) != 8080 {
		t.Fatalf("network bindings %+v", b)
	}
	status, body := get(t, fmt.Sprintf("http://127.0.0.1:%d/", aws.ToInt32(b[0].HostPort)))
	if status != 200 || !strings.Contains(body, "hello from testapp") {
		t.Fatalf("GET via host port: %d %q", status, body)
	}
	if _, body = get(t, fmt.Sprintf("http://127.0.0.1:%d/env?name=AWS_EXECUTION_ENV", aws.ToInt32(b[0].HostPort))); !strings.Contains(body, "AWS_ECS_EC2") {
		t.Fatalf("execution env on EC2: %q", body)
	}
	e.stop(arn)
	e.waitStatus(arn, "STOPPED", 60*time.Second)
}

// StopTask sends SIGTERM, waits stopTimeout, then SIGKILL: an app that
// ignores the signal for longer is killed (exit code 137).
func TestStopTimeoutKills(t *testing.T) {
	e := newEnv(t)
	td := webTask("slowstop", e.testapp)
	td.ContainerDefinitions[0].Command = []string{"-stop-delay", "30s"}
	td.ContainerDefinitions[0].StopTimeout = aws.Int32(2)
	arn := e.runFargate(e.register(td))
	e.waitStatus(arn, "RUNNING", 30*time.Second)
	start := time.Now()
	e.stop(arn)
	task := e.waitStatus(arn, "STOPPED", 30*time.Second)
	if took := time.Since(start); took < 2*time.Second || took > 15*time.Second {
		t.Fatalf("stop took %s, want about the 2 s stopTimeout", took)
	}
	if aws.ToInt32(task.Containers[0].ExitCode) != 137 {
		t.Fatalf("exit code after SIGKILL: %s", containersText(task))
	}
}

// dependsOn orders start-up: the app starts only after an init container
// completes successfully, and volumes carry its output.
func TestDependsOnAndVolumes(t *testing.T) {
	e := newEnv(t)
	td := webTask("deps", e.testapp)
	td.Volumes = []types.Volume{{Name: aws.String("scratch")}}
	td.ContainerDefinitions[0].DependsOn = []types.ContainerDependency{{ContainerName: aws.String("init"), Condition: types.ContainerConditionSuccess}}
	td.ContainerDefinitions[0].MountPoints = []types.MountPoint{{SourceVolume: aws.String("scratch"), ContainerPath: aws.String("/data")}}
	td.ContainerDefinitions = append(td.ContainerDefinitions,
		types.ContainerDefinition{
			Name: aws.String("init"), Image: aws.String(e.busybox), Essential: aws.Bool(false),
			Command:     []string{"sh", "-c", "sleep 1; echo ready > /data/marker"},
			MountPoints: []types.MountPoint{{SourceVolume: aws.String("scratch"), ContainerPath: aws.String("/data")}},
		},
		types.ContainerDefinition{
			Name: aws.String("check"), Image: aws.String(e.busybox), Essential: aws.Bool(false),
			DependsOn:   []types.ContainerDependency{{ContainerName: aws.String("web"), Condition: types.ContainerConditionStart}},
			Command:     []string{"sh", "-c", "test \"$(cat /data/marker)\" = ready"},
			MountPoints: []types.MountPoint{{SourceVolume: aws.String("scratch"), ContainerPath: aws.String("/data"), ReadOnly: aws.Bool(true)}},
		})
	arn := e.runFargate(e.register(td))
	task := e.waitStatus(arn, "RUNNING", 30*time.Second)
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		task = e.describe(arn)
		done := 0
		for _, c := range task.Containers {
			if n := aws.ToString(c.Name); (n == "init" || n == "check") && aws.ToString(c.LastStatus) == "STOPPED" {
				if aws.ToInt32(c.ExitCode) != 0 {
					t.Fatalf("%s failed: %s", n, containersText(task))
				}
				done++
			}
		}
		if done == 2 {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	e.stop(arn)
	e.waitStatus(arn, "STOPPED", 60*time.Second)
	vols, _ := e.docker.VolumeList(context.Background(), docker.Filters{"label": {"com.quayside.task-volume=true"}})
	for _, v := range vols {
		if strings.Contains(v.Name, taskID(arn)) {
			t.Fatalf("task volume %s left behind", v.Name)
		}
	}
}

func taskID(arn string) string { return arn[strings.LastIndexByte(arn, '/')+1:] }

// A container that dies while Quayside is down is reported STOPPED with
// its exit code when Quayside comes back.
func TestContainerDiedWhileDown(t *testing.T) {
	dir := t.TempDir()
	e := newEnv(t, serverOptions(dir))
	arn := e.runFargate(e.register(webTask("died", e.testapp)))
	task := e.waitStatus(arn, "RUNNING", 30*time.Second)
	e.srv.Stop()
	if err := e.docker.ContainerKill(context.Background(), aws.ToString(task.Containers[0].RuntimeId), "SIGKILL"); err != nil {
		t.Fatal(err)
	}
	e2 := newEnv(t, serverOptions(dir))
	task = e2.waitStatus(arn, "STOPPED", 30*time.Second)
	if task.StopCode != types.TaskStopCodeEssentialContainerExited || aws.ToInt32(task.Containers[0].ExitCode) != 137 {
		t.Fatalf("after restart: %s %s", task.StopCode, containersText(task))
	}
	assertNoContainers(t, e2, arn)
}

// host mode shares the host's network: the app answers on 127.0.0.1 at
// its container port.
func TestHostMode(t *testing.T) {
	e := newEnv(t)
	port := freePort(t)
	arn := e.runEC2(e.register(&ecs.RegisterTaskDefinitionInput{
		Family: aws.String("hostmode"), NetworkMode: types.NetworkModeHost,
		ContainerDefinitions: []types.ContainerDefinition{{
			Name: aws.String("web"), Image: aws.String(e.testapp), Memory: aws.Int32(64), Essential: aws.Bool(true),
			Command:      []string{"-port", fmt.Sprint(port)},
			PortMappings: []types.PortMapping{{ContainerPort: aws.Int32(int32(port)), HostPort: aws.Int32(int32(port))}},
		}},
	}))
	e.waitStatus(arn, "RUNNING", 30*time.Second)
	if status, body := get(t, fmt.Sprintf("http://127.0.0.1:%d/", port)); status != 200 || !strings.Contains(body, "hello from testapp") {
		t.Fatalf("host-mode task on 127.0.0.1:%d: %d %q", port, status, body)
	}
	e.stop(arn)
	e.waitStatus(arn, "STOPPED", 60*time.Second)
}

// An EFS volume is a Docker volume shared by every task naming the same
// file system and root, and it outlives them.
func TestEFSVolumePersists(t *testing.T) {
	e := newEnv(t)
	fs := fmt.Sprintf("fs-%x", time.Now().UnixNano())
	td := func(family, script string) *ecs.RegisterTaskDefinitionInput {
		return &ecs.RegisterTaskDefinitionInput{
			Family: aws.String(family), NetworkMode: types.NetworkModeAwsvpc,
			RequiresCompatibilities: []types.Compatibility{types.CompatibilityFargate}, Cpu: aws.String("256"), Memory: aws.String("512"),
			Volumes: []types.Volume{{Name: aws.String("shared"), EfsVolumeConfiguration: &types.EFSVolumeConfiguration{FileSystemId: aws.String(fs), RootDirectory: aws.String("/app")}}},
			ContainerDefinitions: []types.ContainerDefinition{{
				Name: aws.String("job"), Image: aws.String(e.busybox), Essential: aws.Bool(true),
				Command:     []string{"sh", "-c", script},
				MountPoints: []types.MountPoint{{SourceVolume: aws.String("shared"), ContainerPath: aws.String("/mnt/efs")}},
			}},
		}
	}
	writer := e.runFargate(e.register(td("efs-writer", "echo persisted > /mnt/efs/file")))
	task := e.waitStatus(writer, "STOPPED", 60*time.Second)
	if aws.ToInt32(task.Containers[0].ExitCode) != 0 {
		t.Fatalf("writer: %s", containersText(task))
	}
	reader := e.runFargate(e.register(td("efs-reader", `test "$(cat /mnt/efs/file)" = persisted`)))
	task = e.waitStatus(reader, "STOPPED", 60*time.Second)
	if aws.ToInt32(task.Containers[0].ExitCode) != 0 {
		t.Fatalf("the second task did not see the first task's file: %s", containersText(task))
	}
	vols, _ := e.docker.VolumeList(context.Background(), docker.Filters{"label": {"com.quayside.efs.file-system-id=" + fs}})
	if len(vols) != 1 {
		t.Fatalf("%d volumes for %s, want 1 kept", len(vols), fs)
	}
	_ = e.docker.VolumeRemove(context.Background(), vols[0].Name, true)
}
