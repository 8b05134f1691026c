package e2e

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// A container reads its own task's metadata from the endpoint named by
// ECS_CONTAINER_METADATA_URI_V4, as on Fargate.
func TestTaskMetadataEndpoint(t *testing.T) {
	e := newEnv(t)
	td := webTask("meta", e.testapp)
	td.ContainerDefinitions = append(td.ContainerDefinitions, types.ContainerDefinition{
		Name: aws.String("reader"), Image: aws.String(e.busybox), Essential: aws.Bool(false), StopTimeout: aws.Int32(2),
		// Serve what the endpoint says on port 9000 of the task, so the
		// test can read it from the host.
		Command: []string{"sh", "-c", `wget -qO /tmp/task "$ECS_CONTAINER_METADATA_URI_V4/task" && wget -qO /tmp/self "$ECS_CONTAINER_METADATA_URI_V4" && mkdir -p /www && cp /tmp/task /tmp/self /www/ && httpd -f -p 9000 -h /www`},
	})
	arn := e.runFargate(e.register(td))
	task := e.waitStatus(arn, "RUNNING", 30*time.Second)
	ip := taskIP(task)

	var meta struct {
		Cluster, TaskARN, Family, Revision, DesiredStatus, KnownStatus, LaunchType, AvailabilityZone string
		Limits                                                                                       struct {
			CPU    float64
			Memory int
		}
		Containers []struct {
			Name, DockerId, ContainerARN, KnownStatus string
			Networks                                  []struct {
				NetworkMode   string
				IPv4Addresses []string
			}
		}
	}
	var body string
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if status, b := get(t, "http://"+ip+":9000/task"); status == 200 {
			body = b
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if err := json.Unmarshal([]byte(body), &meta); err != nil {
		t.Fatalf("task metadata is not JSON: %v: %q", err, body)
	}
	if meta.TaskARN != arn || meta.Family != "meta" || meta.Revision != "1" || meta.LaunchType != "FARGATE" || meta.Limits.CPU != 0.25 || meta.Limits.Memory != 512 {
		t.Fatalf("task metadata: %+v", meta)
	}
	if len(meta.Containers) != 2 || meta.Containers[0].Networks[0].IPv4Addresses[0] != ip || meta.Containers[0].Networks[0].NetworkMode != "awsvpc" {
		t.Fatalf("containers in metadata: %+v", meta.Containers)
	}
	_, self := get(t, "http://"+ip+":9000/self")
	if !strings.Contains(self, `"Name":"reader"`) {
		t.Fatalf("container metadata is not the caller's: %s", self)
	}
	e.stop(arn)
	e.waitStatus(arn, "STOPPED", 60*time.Second)
}
