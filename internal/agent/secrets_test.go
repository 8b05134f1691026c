package agent

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/quayside/quayside/internal/ecs"
)

type fakeSecrets map[string]string

func (f fakeSecrets) Resolve(_ context.Context, region, account, valueFrom string) (string, error) {
	if region != "us-east-1" || account != "000000000000" {
		return "", errors.New("wrong scope " + region + "/" + account)
	}
	v, ok := f[valueFrom]
	if !ok {
		return "", errors.New("ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secrets from ssm: invalid ssm parameters: " + valueFrom)
	}
	return v, nil
}

func TestSecretOptionsReachTheLogDriver(t *testing.T) {
	r := &runner{a: &Agent{cfg: Config{Secrets: fakeSecrets{"/log/token": "t0ken", "/db": "pw"}}},
		task: ecs.Task{ARN: "arn:aws:ecs:us-east-1:000000000000:task/c/0123456789abcdef0123456789abcdef"}}
	c := ecs.ContainerDefinition{Name: "app", Secrets: []ecs.Secret{{Name: "DB", ValueFrom: "/db"}},
		LogConfiguration: &ecs.LogConfiguration{LogDriver: ecs.LogDriverAWSLogs, Options: map[string]string{"awslogs-group": "g"},
			SecretOptions: []ecs.Secret{{Name: "token", ValueFrom: "/log/token"}}}}
	env, err := r.resolveSecrets(context.Background(), c)
	if err != nil || env["DB"] != "pw" {
		t.Fatalf("secrets %v %v", env, err)
	}
	opts, err := r.resolveLogSecrets(context.Background(), c)
	if err != nil || opts["token"] != "t0ken" {
		t.Fatalf("secret options %v %v", opts, err)
	}
	r.logSecrets = map[string]map[string]string{"app": opts}
	merged := r.withLogSecrets(c)
	if merged.LogConfiguration.Options["token"] != "t0ken" || merged.LogConfiguration.Options["awslogs-group"] != "g" {
		t.Fatalf("merged options %v", merged.LogConfiguration.Options)
	}
	if _, ok := c.LogConfiguration.Options["token"]; ok {
		t.Fatal("the task definition's options were changed")
	}
	c.LogConfiguration.SecretOptions[0].ValueFrom = "/missing"
	if _, err := r.resolveLogSecrets(context.Background(), c); err == nil || err.Error()[:28] != "ResourceInitializationError:" {
		t.Fatalf("missing secret option: %v", err)
	}
	r.a.cfg.Secrets = nil
	if _, err := r.resolveSecrets(context.Background(), c); err == nil {
		t.Fatal("secrets resolved without a secret store")
	}
}

func TestRepositoryCredentials(t *testing.T) {
	r := &runner{a: &Agent{cfg: Config{Secrets: fakeSecrets{
		"arn:aws:secretsmanager:us-east-1:000000000000:secret:reg-AbCdEf": `{"username":"robot","password":"pw"}`,
		"arn:aws:secretsmanager:us-east-1:000000000000:secret:bad-AbCdEf": `not json`,
	}}}, task: ecs.Task{ARN: "arn:aws:ecs:us-east-1:000000000000:task/c/0123456789abcdef0123456789abcdef"}}
	c := ecs.ContainerDefinition{Name: "app", Image: "registry.example.com:5000/team/app:1",
		RepositoryCredentials: &ecs.RepositoryCredentials{CredentialsParameter: "arn:aws:secretsmanager:us-east-1:000000000000:secret:reg-AbCdEf"}}
	auth, err := r.repositoryAuth(context.Background(), c)
	if err != nil || auth == nil || auth.Username != "robot" || auth.Password != "pw" || auth.ServerAddress != "registry.example.com:5000" {
		t.Fatalf("auth %+v %v", auth, err)
	}
	c.Image = "team/app:1"
	if auth, _ := r.repositoryAuth(context.Background(), c); auth.ServerAddress != "docker.io" {
		t.Fatalf("Docker Hub image: server %q", auth.ServerAddress)
	}
	c.RepositoryCredentials.CredentialsParameter = "arn:aws:secretsmanager:us-east-1:000000000000:secret:bad-AbCdEf"
	if _, err := r.repositoryAuth(context.Background(), c); err == nil || !strings.Contains(err.Error(), "\"username\" and \"password\"") {
		t.Fatalf("malformed credentials: %v", err)
	}
	c.RepositoryCredentials = nil
	if auth, err := r.repositoryAuth(context.Background(), c); auth != nil || err != nil {
		t.Fatalf("no credentials: %+v %v", auth, err)
	}
}
