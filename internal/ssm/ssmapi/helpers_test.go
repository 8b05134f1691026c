package ssmapi_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"
	"github.com/aws/smithy-go"

	"github.com/quayside/quayside/internal/servertest"
)

var ctx = context.Background()

func newClient(t *testing.T) *ssm.Client {
	t.Helper()
	srv := servertest.Start(t)
	return ssm.NewFromConfig(srv.AWSConfig("us-east-1"))
}

// wantErr checks an API error's code and, when msg is not empty, that its
// message contains msg.
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

// wantExactErr checks an API error's code and exact message.
func wantExactErr(t *testing.T, err error, code, msg string) {
	t.Helper()
	wantErr(t, err, code, "")
	var ae smithy.APIError
	errors.As(err, &ae)
	if ae.ErrorMessage() != msg {
		t.Fatalf("message = %q, want %q", ae.ErrorMessage(), msg)
	}
}

func put(t *testing.T, c *ssm.Client, name, value string, typ types.ParameterType, overwrite bool) int64 {
	t.Helper()
	out, err := c.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String(name), Value: aws.String(value), Type: typ, Overwrite: aws.Bool(overwrite)})
	if err != nil {
		t.Fatalf("PutParameter %s: %v", name, err)
	}
	return out.Version
}

func get(t *testing.T, c *ssm.Client, name string, decrypt bool) *types.Parameter {
	t.Helper()
	out, err := c.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String(name), WithDecryption: aws.Bool(decrypt)})
	if err != nil {
		t.Fatalf("GetParameter %s: %v", name, err)
	}
	return out.Parameter
}

func errorsAs(err error, target any) bool { return errors.As(err, target) }
