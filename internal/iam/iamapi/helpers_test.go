package iamapi_test

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/smithy-go"

	"github.com/quayside/quayside/internal/servertest"
)

var ctx = context.Background()

const trustECS = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}`

const allowSSM = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ssm:GetParameters","Resource":"*"}]}`

const taskExecutionARN = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"

func newClient(t *testing.T) *iam.Client {
	t.Helper()
	srv := servertest.Start(t)
	return iam.NewFromConfig(srv.AWSConfig("us-east-1"))
}

// wantErr checks an API error's code and, when msg is not empty, its
// exact message.
func wantErr(t *testing.T, err error, code, msg string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("err = %v, want %s", err, code)
	}
	if ae.ErrorCode() != code {
		t.Fatalf("code = %s (%s), want %s", ae.ErrorCode(), ae.ErrorMessage(), code)
	}
	if msg != "" && ae.ErrorMessage() != msg {
		t.Fatalf("message = %q, want %q", ae.ErrorMessage(), msg)
	}
}

// wantErrContains checks an API error's code and part of its message.
func wantErrContains(t *testing.T, err error, code, part string) {
	t.Helper()
	wantErr(t, err, code, "")
	var ae smithy.APIError
	errors.As(err, &ae)
	if !strings.Contains(ae.ErrorMessage(), part) {
		t.Fatalf("message = %q, want it to contain %q", ae.ErrorMessage(), part)
	}
}

func createRole(t *testing.T, c *iam.Client, name string) *iam.CreateRoleOutput {
	t.Helper()
	out, err := c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String(name), AssumeRolePolicyDocument: aws.String(trustECS)})
	if err != nil {
		t.Fatalf("CreateRole %s: %v", name, err)
	}
	return out
}

// decode undoes IAM's URL-encoding of policy documents.
func decode(t *testing.T, s *string) string {
	t.Helper()
	d, err := url.QueryUnescape(aws.ToString(s))
	if err != nil {
		t.Fatalf("document %q is not URL-encoded: %v", aws.ToString(s), err)
	}
	return d
}
