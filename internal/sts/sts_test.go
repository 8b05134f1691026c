package sts_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/quayside/quayside/internal/servertest"
)

func TestGetCallerIdentity(t *testing.T) {
	srv := servertest.Start(t)
	c := sts.NewFromConfig(srv.AWSConfig("eu-west-1"))
	out, err := c.GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	if *out.Account != "000000000000" || *out.Arn != "arn:aws:iam::000000000000:root" || *out.UserId != "000000000000" {
		t.Fatalf("identity = %s %s %s", *out.Account, *out.Arn, *out.UserId)
	}
}
