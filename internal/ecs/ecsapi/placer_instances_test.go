package ecsapi_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsecs "github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/quayside/quayside/internal/ecs"
	"github.com/quayside/quayside/internal/ecs/ecsapi"
	"github.com/quayside/quayside/internal/ecs/ecsdb"
	"github.com/quayside/quayside/internal/store"
)

const instanceID = "0123456789abcdef0123456789abcdef"

func instanceARN(cluster, id string) string {
	return "arn:aws:ecs:us-east-1:" + testAccount + ":container-instance/" + cluster + "/" + id
}

// everyOtherPlacer places the even tasks on one instance and rejects the
// odd ones for memory, recording what it was asked.
type everyOtherPlacer struct {
	mu   sync.Mutex
	reqs []ecsapi.PlacementRequest
}

func (p *everyOtherPlacer) Place(_ context.Context, _ store.ReadTx, req ecsapi.PlacementRequest) ([]ecs.Task, []ecsapi.PlacementFailure, error) {
	p.mu.Lock()
	p.reqs = append(p.reqs, req)
	p.mu.Unlock()
	var placed []ecs.Task
	var failures []ecsapi.PlacementFailure
	for i, t := range req.Tasks {
		if i%2 == 1 {
			failures = append(failures, ecsapi.PlacementFailure{ARN: instanceARN(req.Cluster.Name, instanceID), Reason: "RESOURCE:MEMORY"})
			continue
		}
		t.ContainerInstanceARN = instanceARN(req.Cluster.Name, instanceID)
		placed = append(placed, t)
	}
	return placed, failures, nil
}

func TestRunTaskPlacer(t *testing.T) {
	p := &everyOtherPlacer{}
	srv := startAPI(t, apiOptions{Placer: p})
	c, ctx := srv.Client, context.Background()
	mustCreateCluster(t, c, "prod")
	mustRegister(t, c, bridgeTask("sleep"))
	out, err := c.RunTask(ctx, &awsecs.RunTaskInput{Cluster: aws.String("prod"), TaskDefinition: aws.String("sleep"), Count: aws.Int32(3),
		PlacementStrategy: []types.PlacementStrategy{{Type: types.PlacementStrategyTypeBinpack, Field: aws.String("memory")}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Tasks) != 2 || len(out.Failures) != 1 || aws.ToString(out.Failures[0].Reason) != "RESOURCE:MEMORY" ||
		aws.ToString(out.Failures[0].Arn) != instanceARN("prod", instanceID) {
		t.Fatalf("tasks %d failures %+v", len(out.Tasks), out.Failures)
	}
	if aws.ToString(out.Tasks[0].ContainerInstanceArn) != instanceARN("prod", instanceID) {
		t.Errorf("container instance = %s", aws.ToString(out.Tasks[0].ContainerInstanceArn))
	}
	if len(p.reqs) == 0 || len(p.reqs[0].Tasks) != 3 || p.reqs[0].TaskDefinition.Family != "sleep" || len(p.reqs[0].Strategy) != 1 {
		t.Fatalf("placer saw %+v", p.reqs)
	}
	list, err := c.ListTasks(ctx, &awsecs.ListTasksInput{Cluster: aws.String("prod")})
	if err != nil || len(list.TaskArns) != 2 {
		t.Fatalf("only placed tasks are recorded: %v %v", list, err)
	}
}

// putInstance registers a container instance as the agent would.
func putInstance(t *testing.T, srv *apiServer, cluster, id string, status ecs.ContainerInstanceStatus) {
	t.Helper()
	srv.put(t, func(tx store.Tx, sc ecsdb.Scope) error {
		return ecsdb.PutInstance(tx, sc, cluster, id, ecs.ContainerInstance{
			ARN: instanceARN(cluster, id), ID: id, ClusterARN: clusterARN(cluster), Status: status, AgentConnected: true, Version: 3,
			RegisteredResources: []ecs.Resource{{Name: ecs.ResourceCPU, Type: ecs.ResourceTypeInteger, IntegerValue: 2048},
				{Name: ecs.ResourcePorts, Type: ecs.ResourceTypeStringSet, StringSetValue: []string{"22"}}},
			Attributes: []ecs.Attribute{{Name: "ecs.availability-zone", Value: "us-east-1c"}},
			Tags:       []ecs.Tag{{Key: "host", Value: id[:4]}},
		})
	})
}

func TestStartTask(t *testing.T) {
	srv := startAPI(t, apiOptions{})
	c, ctx := srv.Client, context.Background()
	mustCreateCluster(t, c, "prod")
	mustRegister(t, c, bridgeTask("sleep"))
	putInstance(t, srv, "prod", instanceID, ecs.InstanceActive)
	ghost := strings.Repeat("f", 32)
	out, err := c.StartTask(ctx, &awsecs.StartTaskInput{Cluster: aws.String("prod"), TaskDefinition: aws.String("sleep"),
		ContainerInstances: []string{instanceARN("prod", instanceID), ghost}, StartedBy: aws.String("my-scheduler")})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Tasks) != 1 || len(out.Failures) != 1 || aws.ToString(out.Failures[0].Reason) != "MISSING" ||
		aws.ToString(out.Failures[0].Arn) != instanceARN("prod", ghost) {
		t.Fatalf("tasks %d failures %+v", len(out.Tasks), out.Failures)
	}
	task := out.Tasks[0]
	if aws.ToString(task.ContainerInstanceArn) != instanceARN("prod", instanceID) || task.LaunchType != types.LaunchTypeEc2 ||
		aws.ToString(task.AvailabilityZone) != "us-east-1c" || aws.ToString(task.StartedBy) != "my-scheduler" {
		t.Fatalf("task = %s %s %s", aws.ToString(task.ContainerInstanceArn), task.LaunchType, aws.ToString(task.AvailabilityZone))
	}
	byInstance, err := c.ListTasks(ctx, &awsecs.ListTasksInput{Cluster: aws.String("prod"), ContainerInstance: aws.String(instanceID)})
	if err != nil || len(byInstance.TaskArns) != 1 {
		t.Fatalf("by instance = %v %v", byInstance, err)
	}
	_, err = c.StartTask(ctx, &awsecs.StartTaskInput{Cluster: aws.String("prod"), TaskDefinition: aws.String("sleep"),
		ContainerInstances: []string{instanceID}, StartedBy: aws.String(strings.Repeat("x", 37))})
	wantAPIError(t, err, "InvalidParameterException", "startedBy must be at most 36 characters.")
	_, err = c.StartTask(ctx, &awsecs.StartTaskInput{Cluster: aws.String("prod"), TaskDefinition: aws.String("sleep"), ContainerInstances: []string{}})
	wantAPIError(t, err, "InvalidParameterException", "containerInstances must contain between 1 and 10 container instances.")
	_, err = c.StartTask(ctx, &awsecs.StartTaskInput{Cluster: aws.String("nope"), TaskDefinition: aws.String("sleep"), ContainerInstances: []string{instanceID}})
	wantAPIError(t, err, "ClusterNotFoundException", "Cluster not found.")
}

func TestContainerInstances(t *testing.T) {
	srv := startAPI(t, apiOptions{})
	c, ctx := srv.Client, context.Background()
	mustCreateCluster(t, c, "prod")
	mustRegister(t, c, bridgeTask("sleep"))
	ids := []string{instanceID, strings.Repeat("1", 32), strings.Repeat("2", 32)}
	putInstance(t, srv, "prod", ids[0], ecs.InstanceActive)
	putInstance(t, srv, "prod", ids[1], ecs.InstanceDraining)
	putInstance(t, srv, "prod", ids[2], ecs.InstanceInactive)
	if _, err := c.StartTask(ctx, &awsecs.StartTaskInput{Cluster: aws.String("prod"), TaskDefinition: aws.String("sleep"), ContainerInstances: []string{ids[0]}}); err != nil {
		t.Fatal(err)
	}

	list := func(in *awsecs.ListContainerInstancesInput) []string {
		t.Helper()
		in.Cluster = aws.String("prod")
		out, err := c.ListContainerInstances(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		return out.ContainerInstanceArns
	}
	if got := list(&awsecs.ListContainerInstancesInput{}); fmt.Sprint(got) != fmt.Sprint([]string{instanceARN("prod", ids[0]), instanceARN("prod", ids[1])}) {
		t.Errorf("default list = %v", got)
	}
	if got := list(&awsecs.ListContainerInstancesInput{Status: types.ContainerInstanceStatusDraining}); len(got) != 1 || got[0] != instanceARN("prod", ids[1]) {
		t.Errorf("DRAINING = %v", got)
	}
	page, err := c.ListContainerInstances(ctx, &awsecs.ListContainerInstancesInput{Cluster: aws.String("prod"), MaxResults: aws.Int32(1)})
	if err != nil || len(page.ContainerInstanceArns) != 1 || page.NextToken == nil {
		t.Fatalf("page = %v %v", page, err)
	}

	out, err := c.DescribeContainerInstances(ctx, &awsecs.DescribeContainerInstancesInput{Cluster: aws.String("prod"),
		ContainerInstances: []string{ids[0], "deadbeef"}, Include: []types.ContainerInstanceField{types.ContainerInstanceFieldTags}})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.ContainerInstances) != 1 || len(out.Failures) != 1 || aws.ToString(out.Failures[0].Reason) != "MISSING" {
		t.Fatalf("describe = %d instances, failures %+v", len(out.ContainerInstances), out.Failures)
	}
	ci := out.ContainerInstances[0]
	if aws.ToString(ci.Status) != "ACTIVE" || ci.PendingTasksCount != 1 || ci.RunningTasksCount != 0 || !ci.AgentConnected ||
		len(ci.Tags) != 1 || len(ci.RegisteredResources) != 2 || ci.RegisteredResources[0].IntegerValue != 2048 || ci.Version != 3 {
		t.Fatalf("instance = %+v", ci)
	}
	_, err = c.ListContainerInstances(ctx, &awsecs.ListContainerInstancesInput{Cluster: aws.String("nope")})
	wantAPIError(t, err, "ClusterNotFoundException", "Cluster not found.")
	_, err = c.DescribeContainerInstances(ctx, &awsecs.DescribeContainerInstancesInput{Cluster: aws.String("nope"), ContainerInstances: []string{ids[0]}})
	wantAPIError(t, err, "ClusterNotFoundException", "Cluster not found.")
}
