package e2e

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/smithy-go"

	"github.com/quayside/quayside/internal/agent"
	"github.com/quayside/quayside/internal/controlplane"
)

// Placement on the real agent: memberOf expressions in the cluster query
// language select container instances by their attributes,
// distinctInstance keeps a service's tasks on different instances, and
// what cannot be placed is reported as ECS reports it.

// sleepTask is a bridge-mode (EC2) task definition that sleeps.
func sleepTask(family, image string, constraints ...types.TaskDefinitionPlacementConstraint) *ecs.RegisterTaskDefinitionInput {
	return &ecs.RegisterTaskDefinitionInput{
		Family: aws.String(family), NetworkMode: types.NetworkModeBridge, PlacementConstraints: constraints,
		ContainerDefinitions: []types.ContainerDefinition{{
			Name: aws.String("sleep"), Image: aws.String(image), Memory: aws.Int32(32), Essential: aws.Bool(true),
			Command: []string{"sleep", "3600"}, StopTimeout: aws.Int32(2),
		}},
	}
}

// instances describes the cluster's container instances.
func (e *env) instances() []types.ContainerInstance {
	e.t.Helper()
	ctx := context.Background()
	list, err := e.ecs.ListContainerInstances(ctx, &ecs.ListContainerInstancesInput{Cluster: aws.String(e.cluster)})
	if err != nil || len(list.ContainerInstanceArns) == 0 {
		e.t.Fatalf("list container instances: %v %+v", err, list)
	}
	out, err := e.ecs.DescribeContainerInstances(ctx, &ecs.DescribeContainerInstancesInput{Cluster: aws.String(e.cluster), ContainerInstances: list.ContainerInstanceArns})
	if err != nil {
		e.t.Fatal(err)
	}
	return out.ContainerInstances
}

func attribute(ci types.ContainerInstance, name string) string {
	for _, a := range ci.Attributes {
		if aws.ToString(a.Name) == name {
			return aws.ToString(a.Value)
		}
	}
	return ""
}

func memberOf(expr string) []types.PlacementConstraint {
	return []types.PlacementConstraint{{Type: types.PlacementConstraintTypeMemberOf, Expression: aws.String(expr)}}
}

func TestPlacementMemberOf(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	insts := e.instances()
	if len(insts) != 1 {
		t.Fatalf("%d container instances, want the local agent alone", len(insts))
	}
	local := aws.ToString(insts[0].ContainerInstanceArn)
	zone := attribute(insts[0], "ecs.availability-zone")
	if zone == "" {
		t.Fatalf("the instance has no ecs.availability-zone: %+v", insts[0].Attributes)
	}
	td := e.register(sleepTask("placed", e.busybox))
	run := func(constraints []types.PlacementConstraint) *ecs.RunTaskOutput {
		t.Helper()
		out, err := e.ecs.RunTask(ctx, &ecs.RunTaskInput{Cluster: aws.String(e.cluster), TaskDefinition: aws.String(td),
			LaunchType: types.LaunchTypeEc2, PlacementConstraints: constraints})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}

	// An expression the instance's zone matches runs the task there.
	out := run(memberOf("attribute:ecs.availability-zone in [" + zone + ", eu-west-3c] and attribute:ecs.os-type == linux"))
	if len(out.Tasks) != 1 || len(out.Failures) != 0 {
		t.Fatalf("matching zone: tasks %d failures %+v", len(out.Tasks), out.Failures)
	}
	task := out.Tasks[0]
	if aws.ToString(task.ContainerInstanceArn) != local || aws.ToString(task.AvailabilityZone) != zone {
		t.Fatalf("placed on %s in %s, want %s in %s", aws.ToString(task.ContainerInstanceArn), aws.ToString(task.AvailabilityZone), local, zone)
	}
	arn := aws.ToString(task.TaskArn)
	e.waitStatus(arn, "RUNNING", 60*time.Second)

	// An expression no instance matches fails with ATTRIBUTE, naming
	// the instance, and records no task.
	out = run(memberOf("attribute:ecs.availability-zone == eu-west-3c"))
	if len(out.Tasks) != 0 || len(out.Failures) != 1 || aws.ToString(out.Failures[0].Reason) != "ATTRIBUTE" || aws.ToString(out.Failures[0].Arn) != local {
		t.Fatalf("zone no instance is in: tasks %d failures %+v", len(out.Tasks), out.Failures)
	}
	// So does distinctInstance when the group already runs on every instance.
	group, err := e.ecs.RunTask(ctx, &ecs.RunTaskInput{Cluster: aws.String(e.cluster), TaskDefinition: aws.String(td), LaunchType: types.LaunchTypeEc2,
		PlacementConstraints: []types.PlacementConstraint{{Type: types.PlacementConstraintTypeDistinctInstance}}})
	if err != nil || len(group.Tasks) != 0 || len(group.Failures) != 1 || aws.ToString(group.Failures[0].Reason) != "ATTRIBUTE" {
		t.Fatalf("distinctInstance in family:placed: %v %+v", err, group)
	}
	// The task definition's constraints apply too.
	windows := e.register(sleepTask("placed-windows", e.busybox, types.TaskDefinitionPlacementConstraint{
		Type: types.TaskDefinitionPlacementConstraintTypeMemberOf, Expression: aws.String("attribute:ecs.os-type == windows")}))
	out, err = e.ecs.RunTask(ctx, &ecs.RunTaskInput{Cluster: aws.String(e.cluster), TaskDefinition: aws.String(windows), LaunchType: types.LaunchTypeEc2})
	if err != nil || len(out.Tasks) != 0 || len(out.Failures) != 1 || aws.ToString(out.Failures[0].Reason) != "ATTRIBUTE" {
		t.Fatalf("task definition constraint: %v %+v", err, out)
	}
	list, err := e.ecs.ListTasks(ctx, &ecs.ListTasksInput{Cluster: aws.String(e.cluster)})
	if err != nil || len(list.TaskArns) != 1 {
		t.Fatalf("tasks recorded: %v %v", list, err)
	}

	// An expression that does not parse is refused before anything runs.
	_, err = e.ecs.RunTask(ctx, &ecs.RunTaskInput{Cluster: aws.String(e.cluster), TaskDefinition: aws.String(td), LaunchType: types.LaunchTypeEc2,
		PlacementConstraints: memberOf("attribute:ecs.os-type linux")})
	wantECSError(t, err, "InvalidParameterException", "The placement constraint expression is invalid: expected an operator after attribute:ecs.os-type but found 'l' at character 23.")
	_, err = e.ecs.RegisterTaskDefinition(ctx, sleepTask("unparsed", e.busybox, types.TaskDefinitionPlacementConstraint{
		Type: types.TaskDefinitionPlacementConstraintTypeMemberOf, Expression: aws.String("attribute:ecs.os-type == linux or")}))
	wantECSError(t, err, "ClientException", "The placement constraint expression is invalid: expected a subject but found end of expression at character 34.")

	e.stop(arn)
	e.waitStatus(arn, "STOPPED", 60*time.Second)
}

// distinctInstance with two tasks and one instance runs one task and says
// why not the other; a second instance takes the second task.
func TestPlacementDistinctInstance(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	local := aws.ToString(e.instances()[0].ContainerInstanceArn)
	td := e.register(sleepTask("distinct", e.busybox))
	const name = "distinct-web"
	_, err := e.ecs.CreateService(ctx, &ecs.CreateServiceInput{
		Cluster: aws.String(e.cluster), ServiceName: aws.String(name), TaskDefinition: aws.String(td),
		DesiredCount: aws.Int32(2), LaunchType: types.LaunchTypeEc2,
		PlacementConstraints: []types.PlacementConstraint{{Type: types.PlacementConstraintTypeDistinctInstance}},
		PlacementStrategy:    []types.PlacementStrategy{{Type: types.PlacementStrategyTypeSpread, Field: aws.String("attribute:ecs.availability-zone")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	unable := "(service " + name + ") was unable to place a task because no container instance met all of its requirements."
	deadline := time.Now().Add(60 * time.Second)
	var svc types.Service
	for {
		svc = e.service(name)
		if svc.RunningCount == 1 && hasEventPrefix(svc, unable) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("want 1 running task and the unable-to-place event: running %d %s", svc.RunningCount, eventsText(svc))
		}
		time.Sleep(200 * time.Millisecond)
	}
	// Past a retry of the scheduler, still one task, on the one instance.
	time.Sleep(6 * time.Second)
	tasks := e.serviceTasks(name)
	if len(tasks) != 1 || aws.ToString(tasks[0].ContainerInstanceArn) != local || e.service(name).DesiredCount != 2 {
		t.Fatalf("%d tasks on one instance, want 1", len(tasks))
	}
	first := aws.ToString(tasks[0].TaskArn)

	// A second container instance registers as an agent does (no agent
	// process runs behind it, so its task is never started). The
	// scheduler places the second task there.
	second := strings.Repeat("5", 32)
	if err := controlplane.New(e.srv.Store(), nil).Register(ctx, agent.Instance{ID: second, CPU: 2048, MemoryMiB: 2048,
		AgentVersion: "test", RegisteredAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	if n := len(e.instances()); n != 2 {
		t.Fatalf("%d container instances after registering a second", n)
	}
	deadline = time.Now().Add(30 * time.Second)
	for len(tasks) < 2 && time.Now().Before(deadline) {
		time.Sleep(200 * time.Millisecond)
		tasks = e.serviceTasks(name)
	}
	if len(tasks) != 2 {
		t.Fatalf("%d tasks after a second instance registered, want 2", len(tasks))
	}
	secondARN := strings.TrimSuffix(local, controlplane.InstanceID(local)) + second
	if a, b := aws.ToString(tasks[0].ContainerInstanceArn), aws.ToString(tasks[1].ContainerInstanceArn); !(a == local && b == secondARN || a == secondARN && b == local) {
		t.Fatalf("tasks on %s and %s, want one on %s and one on %s", a, b, local, secondARN)
	}

	// Scaled to zero, the running task stops.
	if _, err := e.ecs.UpdateService(ctx, &ecs.UpdateServiceInput{Cluster: aws.String(e.cluster), Service: aws.String(name), DesiredCount: aws.Int32(0)}); err != nil {
		t.Fatal(err)
	}
	e.waitStatus(first, "STOPPED", 60*time.Second)
}

// wantECSError checks an API error's code and message.
func wantECSError(t *testing.T, err error, code, msg string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != code || ae.ErrorMessage() != msg {
		t.Fatalf("error = %v, want %s: %s", err, code, msg)
	}
}
