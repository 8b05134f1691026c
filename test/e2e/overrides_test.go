package e2e

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// Container overrides and environment files reach the container, with
// ECS's precedence: overrides over the definition over files.
func TestOverridesAndEnvironmentFiles(t *testing.T) {
	e := newEnv(t)
	envFile := filepath.Join(t.TempDir(), "app.env")
	if err := os.WriteFile(envFile, []byte("# settings\nTESTAPP_FROM_FILE=file\nTESTAPP_SHARED=file\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	td := webTask("overrides", e.testapp, types.KeyValuePair{Name: aws.String("TESTAPP_SHARED"), Value: aws.String("definition")})
	td.ContainerDefinitions[0].EnvironmentFiles = []types.EnvironmentFile{{Value: aws.String(envFile), Type: types.EnvironmentFileTypeS3}}
	out, err := e.ecs.RunTask(context.Background(), &ecs.RunTaskInput{
		Cluster: aws.String(e.cluster), TaskDefinition: aws.String(e.register(td)), LaunchType: types.LaunchTypeFargate,
		NetworkConfiguration: &types.NetworkConfiguration{AwsvpcConfiguration: &types.AwsVpcConfiguration{Subnets: []string{"subnet-local"}}},
		Overrides: &types.TaskOverride{ContainerOverrides: []types.ContainerOverride{{
			Name:        aws.String("web"),
			Environment: []types.KeyValuePair{{Name: aws.String("TESTAPP_FROM_OVERRIDE"), Value: aws.String("override")}},
			Command:     []string{"-body", "overridden body"},
		}}},
	})
	if err != nil || len(out.Tasks) != 1 {
		t.Fatalf("run task: %v %+v", err, out)
	}
	arn := aws.ToString(out.Tasks[0].TaskArn)
	ip := taskIP(e.waitStatus(arn, "RUNNING", 30*time.Second))
	_, body := get(t, "http://"+ip+":8080/env?name=TESTAPP_FROM_FILE&name=TESTAPP_SHARED&name=TESTAPP_FROM_OVERRIDE")
	for _, want := range []string{"TESTAPP_FROM_FILE=file", "TESTAPP_SHARED=definition", "TESTAPP_FROM_OVERRIDE=override"} {
		if !strings.Contains(body, want) {
			t.Errorf("environment lacks %s: %q", want, body)
		}
	}
	if _, body := get(t, "http://"+ip+":8080/"); !strings.Contains(body, "overridden body") {
		t.Errorf("command override not applied: %q", body)
	}
	e.stop(arn)
	e.waitStatus(arn, "STOPPED", 60*time.Second)

	// A missing file stops the task before it starts.
	td.Family = aws.String("overrides-missing")
	td.ContainerDefinitions[0].EnvironmentFiles = []types.EnvironmentFile{{Value: aws.String(envFile + ".gone"), Type: types.EnvironmentFileTypeS3}}
	arn = e.runFargate(e.register(td))
	task := e.waitStatus(arn, "STOPPED", 30*time.Second)
	if task.StopCode != types.TaskStopCodeTaskFailedToStart || !strings.HasPrefix(aws.ToString(task.StoppedReason), "ResourceInitializationError: failed to download env files: ") {
		t.Fatalf("missing env file: %s %q", task.StopCode, aws.ToString(task.StoppedReason))
	}
}
