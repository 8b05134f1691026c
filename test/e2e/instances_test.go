package e2e

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// The local host is a container instance with registered and remaining
// resources; a task that does not fit fails placement as ECS reports it.
func TestContainerInstanceAndPlacement(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	list, err := e.ecs.ListContainerInstances(ctx, &ecs.ListContainerInstancesInput{Cluster: aws.String(e.cluster)})
	if err != nil || len(list.ContainerInstanceArns) != 1 {
		t.Fatalf("list container instances: %v %+v", err, list)
	}
	resource := func(ci types.ContainerInstance, remaining bool, name string) int32 {
		rs := ci.RegisteredResources
		if remaining {
			rs = ci.RemainingResources
		}
		for _, r := range rs {
			if aws.ToString(r.Name) == name {
				return r.IntegerValue
			}
		}
		return -1
	}
	describe := func() types.ContainerInstance {
		out, err := e.ecs.DescribeContainerInstances(ctx, &ecs.DescribeContainerInstancesInput{Cluster: aws.String(e.cluster), ContainerInstances: list.ContainerInstanceArns})
		if err != nil || len(out.ContainerInstances) != 1 {
			t.Fatalf("describe container instances: %v %+v", err, out)
		}
		return out.ContainerInstances[0]
	}
	ci := describe()
	memory := resource(ci, false, "MEMORY")
	if memory <= 0 || resource(ci, false, "CPU") <= 0 || !ci.AgentConnected || aws.ToString(ci.Status) != "ACTIVE" {
		t.Fatalf("instance: memory %d cpu %d connected %v status %s", memory, resource(ci, false, "CPU"), ci.AgentConnected, aws.ToString(ci.Status))
	}

	arn := e.runFargate(e.register(webTask("fits", e.testapp)))
	e.waitStatus(arn, "RUNNING", 30*time.Second)
	ci = describe()
	if got := resource(ci, true, "MEMORY"); got != memory-512 {
		t.Fatalf("remaining memory %d, want %d", got, memory-512)
	}
	if ci.RunningTasksCount != 1 {
		t.Fatalf("running tasks %d", ci.RunningTasksCount)
	}

	big := webTask("too-big", e.testapp)
	big.RequiresCompatibilities, big.NetworkMode, big.Cpu, big.Memory = nil, types.NetworkModeBridge, nil, nil
	big.ContainerDefinitions[0].Memory = aws.Int32(memory * 2)
	td := e.register(big)
	out, err := e.ecs.RunTask(ctx, &ecs.RunTaskInput{Cluster: aws.String(e.cluster), TaskDefinition: aws.String(td), LaunchType: types.LaunchTypeEc2})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Tasks) != 0 || len(out.Failures) != 1 || aws.ToString(out.Failures[0].Reason) != "RESOURCE:MEMORY" {
		t.Fatalf("oversized task: tasks %d failures %+v", len(out.Tasks), out.Failures)
	}
	e.stop(arn)
	e.waitStatus(arn, "STOPPED", 60*time.Second)
}
