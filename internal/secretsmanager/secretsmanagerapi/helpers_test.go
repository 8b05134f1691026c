package secretsmanagerapi_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/smithy-go"

	"github.com/quayside/quayside/internal/servertest"
)

var ctx = context.Background()

func newClient(t *testing.T) *secretsmanager.Client {
	t.Helper()
	srv := servertest.Start(t)
	return secretsmanager.NewFromConfig(srv.AWSConfig("us-east-1"))
}

func wantErr(t *testing.T, err error, code, msg string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("err = %v, want %s", err, code)
	}
	if ae.ErrorCode() != code {
		t.Fatalf("code = %s (%s), want %s", ae.ErrorCode(), ae.ErrorMessage(), code)
	}
	if msg != "" && !strings.Contains(ae.ErrorMessage(), msg) {
		t.Fatalf("message = %q, want it to contain %q", ae.ErrorMessage(), msg)
	}
}

func wantExactErr(t *testing.T, err error, code, msg string) {
	t.Helper()
	wantErr(t, err, code, "")
	var ae smithy.APIError
	errors.As(err, &ae)
	if ae.ErrorMessage() != msg {
		t.Fatalf("message = %q, want %q", ae.ErrorMessage(), msg)
	}
}

func create(t *testing.T, c *secretsmanager.Client, name, value string) *secretsmanager.CreateSecretOutput {
	t.Helper()
	out, err := c.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String(name), SecretString: aws.String(value)})
	if err != nil {
		t.Fatalf("CreateSecret %s: %v", name, err)
	}
	return out
}

func value(t *testing.T, c *secretsmanager.Client, id string) *secretsmanager.GetSecretValueOutput {
	t.Helper()
	out, err := c.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(id)})
	if err != nil {
		t.Fatalf("GetSecretValue %s: %v", id, err)
	}
	return out
}

func errorsAs(err error, target any) bool { return errors.As(err, target) }
