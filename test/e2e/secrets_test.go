package e2e

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"
)

func sha(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// Secrets from SSM and Secrets Manager arrive in the container's
// environment at start; the task definition and the task show only the
// references. A missing parameter stops the task with ECS's reason.
func TestSecretsInjectedAtStart(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	cfg := e.srv.AWSConfig("us-east-1")
	dbURL, password := "postgresql://app@db/prod", "s3cr3t-pa55"
	if _, err := ssm.NewFromConfig(cfg).PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String("/my-app/database-url"), Value: aws.String(dbURL), Type: ssmtypes.ParameterTypeSecureString}); err != nil {
		t.Fatal(err)
	}
	sec, err := secretsmanager.NewFromConfig(cfg).CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("my-app/db"), SecretString: aws.String(`{"username":"app","password":"` + password + `"}`)})
	if err != nil {
		t.Fatal(err)
	}
	td := webTask("secrets", e.testapp)
	td.ExecutionRoleArn = aws.String("arn:aws:iam::000000000000:role/ecsTaskExecutionRole")
	td.ContainerDefinitions[0].Secrets = []types.Secret{
		{Name: aws.String("DATABASE_URL"), ValueFrom: aws.String("/my-app/database-url")},
		{Name: aws.String("DB_PASSWORD"), ValueFrom: aws.String(aws.ToString(sec.ARN) + ":password::")},
	}
	arn := e.runFargate(e.register(td))
	task := e.waitStatus(arn, "RUNNING", 30*time.Second)
	ip := taskIP(task)
	for name, want := range map[string]string{"DATABASE_URL": dbURL, "DB_PASSWORD": password} {
		if _, body := get(t, "http://"+ip+":8080/sha256env?name="+name); strings.TrimSpace(body) != sha(want) {
			t.Errorf("%s: hash %q, want the hash of the secret", name, body)
		}
	}
	e.stop(arn)
	e.waitStatus(arn, "STOPPED", 60*time.Second)

	td.Family = aws.String("secrets-missing")
	td.ContainerDefinitions[0].Secrets = []types.Secret{{Name: aws.String("NOPE"), ValueFrom: aws.String("/my-app/missing")}}
	arn = e.runFargate(e.register(td))
	task = e.waitStatus(arn, "STOPPED", 30*time.Second)
	want := "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secrets from ssm: "
	if task.StopCode != types.TaskStopCodeTaskFailedToStart || !strings.HasPrefix(aws.ToString(task.StoppedReason), want) ||
		!strings.Contains(aws.ToString(task.StoppedReason), "/my-app/missing") {
		t.Fatalf("missing secret: %s %q", task.StopCode, aws.ToString(task.StoppedReason))
	}
	assertNoContainers(t, e, arn)
}
