package e2e

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecrsdk "github.com/aws/aws-sdk-go-v2/service/ecr"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"

	"github.com/quayside/quayside/internal/ecr"
	"github.com/quayside/quayside/internal/servertest"
)

const ecsTasksTrust = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow",` +
	`"Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}`

// createRole makes an execution role trusted by ECS tasks, with the given
// managed policies attached and inline policies put, and returns its ARN.
func createRole(t *testing.T, c *iam.Client, name string, managed []string, inline ...string) string {
	t.Helper()
	ctx := context.Background()
	out, err := c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String(name), AssumeRolePolicyDocument: aws.String(ecsTasksTrust)})
	if err != nil {
		t.Fatal(err)
	}
	for _, arn := range managed {
		if _, err := c.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String(name), PolicyArn: aws.String(arn)}); err != nil {
			t.Fatal(err)
		}
	}
	for i, doc := range inline {
		if _, err := c.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String(name),
			PolicyName: aws.String(name + "-" + string(rune('a'+i))), PolicyDocument: aws.String(doc)}); err != nil {
			t.Fatal(err)
		}
	}
	return aws.ToString(out.Role.Arn)
}

// With quayside up --iam-enforce, a task starts only if its execution role
// may do what ECS does with it: read the task's secrets and pull its image
// from Quayside's registry. Otherwise it stops with ECS's reasons.
func TestIAMEnforcedForExecutionRoles(t *testing.T) {
	e := newEnv(t, servertest.Options{IAMEnforce: true})
	ctx := context.Background()
	cfg := e.srv.AWSConfig("us-east-1")

	// A secret, and the test app in Quayside's registry.
	const param, paramARN = "/iam-e2e/db-url", "arn:aws:ssm:us-east-1:000000000000:parameter/iam-e2e/db-url"
	if _, err := ssm.NewFromConfig(cfg).PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String(param),
		Value: aws.String("postgresql://db"), Type: ssmtypes.ParameterTypeSecureString}); err != nil {
		t.Fatal(err)
	}
	if _, err := ecrsdk.NewFromConfig(cfg).CreateRepository(ctx, &ecrsdk.CreateRepositoryInput{RepositoryName: aws.String("iam-e2e/testapp")}); err != nil {
		t.Fatal(err)
	}
	image := e.pushTestApp("iam-e2e/testapp:v1")
	t.Cleanup(func() { _ = e.docker.ImageRemove(context.Background(), image, true) })

	// Three execution roles, as the lab creates them.
	iamc := iam.NewFromConfig(cfg)
	const execPolicy = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
	readParam := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ssm:GetParameters",` +
		`"Resource":"arn:aws:ssm:us-east-1:000000000000:parameter/iam-e2e/*"}]}`
	full := createRole(t, iamc, "ecsTaskExecutionRole", []string{execPolicy}, readParam)
	noSecrets := createRole(t, iamc, "noSecretsRole", []string{execPolicy})
	noECR := createRole(t, iamc, "noECRRole", nil, readParam)

	task := func(family, role string) string {
		td := webTask(family, image)
		td.ExecutionRoleArn = aws.String(role)
		td.ContainerDefinitions[0].Secrets = []types.Secret{{Name: aws.String("DATABASE_URL"), ValueFrom: aws.String(param)}}
		return e.register(td)
	}
	failed := func(arn string) string {
		t.Helper()
		task := e.waitStatus(arn, "STOPPED", 60*time.Second)
		if task.StopCode != types.TaskStopCodeTaskFailedToStart {
			t.Errorf("stopCode %s, want TaskFailedToStart", task.StopCode)
		}
		assertNoContainers(t, e, arn)
		return aws.ToString(task.StoppedReason)
	}

	// The role with the managed policy and the secret's permission runs
	// the task, with the secret.
	arn := e.runFargate(task("iam-allowed", full))
	running := e.waitStatus(arn, "RUNNING", 60*time.Second)
	if _, body := get(t, "http://"+taskIP(running)+":8080/sha256env?name=DATABASE_URL"); strings.TrimSpace(body) != sha("postgresql://db") {
		t.Errorf("DATABASE_URL: hash %q, want the hash of the secret", body)
	}
	e.stop(arn)
	e.waitStatus(arn, "STOPPED", 60*time.Second)

	// Without ssm:GetParameters on the parameter: ECS's
	// ResourceInitializationError with IAM's AccessDeniedException.
	arn = e.runFargate(task("iam-no-secrets", noSecrets))
	id := arn[strings.LastIndex(arn, "/")+1:]
	want := regexp.QuoteMeta("ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: "+
		"unable to retrieve secrets from ssm: service call has been retried 1 time(s): AccessDeniedException: User: "+
		"arn:aws:sts::000000000000:assumed-role/noSecretsRole/"+id+" is not authorized to perform: ssm:GetParameters on resource: "+
		paramARN+" because no identity-based policy allows the ssm:GetParameters action status code: 400, request id: ") + "[0-9a-f-]{36}$"
	if reason := failed(arn); !regexp.MustCompile("^" + want).MatchString(reason) {
		t.Errorf("no secret permission: reason %q", reason)
	}

	// Without ECR permissions, pulling from Quayside's registry fails.
	arn = e.runFargate(task("iam-no-ecr", noECR))
	if reason := failed(arn); !strings.HasPrefix(reason, "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: "+
		"unable to retrieve ecr registry auth: service call has been retried 1 time(s): AccessDeniedException: User: arn:aws:sts::000000000000:assumed-role/noECRRole/") {
		t.Errorf("no ECR permission: reason %q", reason)
	}
	// With the registry token but not ecr:BatchGetImage on the repository.
	token2 := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecr:GetAuthorizationToken","Resource":"*"}]}`
	if _, err := iamc.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("noECRRole"),
		PolicyName: aws.String("token-only"), PolicyDocument: aws.String(token2)}); err != nil {
		t.Fatal(err)
	}
	arn = e.runFargate(task("iam-no-ecr", noECR))
	wantPull := "CannotPullContainerError: pull image manifest has been retried 1 time(s): failed to resolve ref " + image +
		": pulling from host " + ecr.RegistryHost(e.srv.Addr()) + " failed with status code [manifests v1]: 403 Forbidden"
	if reason := failed(arn); reason != wantPull {
		t.Errorf("no ecr:BatchGetImage: reason\n got %q\nwant %q", reason, wantPull)
	}
}
