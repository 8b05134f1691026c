package sts_test

import (
	"context"
	"errors"
	"regexp"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/quayside/quayside/internal/servertest"
)

var ctx = context.Background()

const trustRoot = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:root"},"Action":"sts:AssumeRole"}]}`
const trustECS = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}`

func wantErr(t *testing.T, err error, code, msg string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != code || msg != "" && ae.ErrorMessage() != msg {
		t.Fatalf("err = %v, want %s %q", err, code, msg)
	}
}

func TestAssumeRole(t *testing.T) {
	srv := servertest.Start(t)
	cfg := srv.AWSConfig("us-east-1")
	ic, sc := iam.NewFromConfig(cfg), sts.NewFromConfig(cfg)
	for name, trust := range map[string]string{"ci": trustRoot, "task": trustECS} {
		if _, err := ic.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String(name), AssumeRolePolicyDocument: aws.String(trust)}); err != nil {
			t.Fatal(err)
		}
	}
	const ci = "arn:aws:iam::000000000000:role/ci"
	start := time.Now()
	out, err := sc.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(ci), RoleSessionName: aws.String("build-1"), DurationSeconds: aws.Int32(900)})
	if err != nil {
		t.Fatal(err)
	}
	c := out.Credentials
	if !regexp.MustCompile(`^ASIA[A-Z2-7]{16}$`).MatchString(aws.ToString(c.AccessKeyId)) || len(aws.ToString(c.SecretAccessKey)) != 40 || len(aws.ToString(c.SessionToken)) < 100 {
		t.Errorf("credentials = %+v", c)
	}
	if d := c.Expiration.Sub(start); d < 890*time.Second || d > 910*time.Second {
		t.Errorf("expires in %v", d)
	}
	if aws.ToString(out.AssumedRoleUser.Arn) != "arn:aws:sts::000000000000:assumed-role/ci/build-1" ||
		!regexp.MustCompile(`^AROA[A-Z2-7]{17}:build-1$`).MatchString(aws.ToString(out.AssumedRoleUser.AssumedRoleId)) {
		t.Errorf("AssumedRoleUser = %+v", out.AssumedRoleUser)
	}

	// Requests signed with the session act as it.
	sessCfg := cfg.Copy()
	sessCfg.Credentials = credentials.NewStaticCredentialsProvider(aws.ToString(c.AccessKeyId), aws.ToString(c.SecretAccessKey), aws.ToString(c.SessionToken))
	id, err := sts.NewFromConfig(sessCfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil || aws.ToString(id.Arn) != "arn:aws:sts::000000000000:assumed-role/ci/build-1" || aws.ToString(id.UserId) != aws.ToString(out.AssumedRoleUser.AssumedRoleId) {
		t.Fatalf("identity = %+v, %v", id, err)
	}
	role, err := ic.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("ci")})
	if err != nil || role.Role.RoleLastUsed == nil || role.Role.RoleLastUsed.LastUsedDate == nil || aws.ToString(role.Role.RoleLastUsed.Region) != "us-east-1" {
		t.Errorf("RoleLastUsed = %+v, %v", role.Role.RoleLastUsed, err)
	}

	denied := func(arn string) string {
		return "User: arn:aws:iam::000000000000:root is not authorized to perform: sts:AssumeRole on resource: " + arn
	}
	cases := []struct {
		name, arn     string
		duration      int32
		policy        string
		code, message string
	}{
		{"not trusted", "arn:aws:iam::000000000000:role/task", 0, "", "AccessDenied", denied("arn:aws:iam::000000000000:role/task")},
		{"no such role", "arn:aws:iam::000000000000:role/nope", 0, "", "AccessDenied", denied("arn:aws:iam::000000000000:role/nope")},
		{"other account", "arn:aws:iam::111111111111:role/ci", 0, "", "AccessDenied", denied("arn:aws:iam::111111111111:role/ci")},
		{"longer than the role allows", ci, 7200, "", "ValidationError", "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."},
		{"shorter than 15 minutes", ci, 60, "", "ValidationError", ""},
		{"malformed session policy", ci, 0, `{"Statement":{"Effect":"Allow"}}`, "MalformedPolicyDocument", "Policy statement must contain actions."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := &sts.AssumeRoleInput{RoleArn: aws.String(tc.arn), RoleSessionName: aws.String("s1")}
			if tc.duration != 0 {
				in.DurationSeconds = aws.Int32(tc.duration)
			}
			if tc.policy != "" {
				in.Policy = aws.String(tc.policy)
			}
			_, err := sc.AssumeRole(ctx, in)
			wantErr(t, err, tc.code, tc.message)
		})
	}
}

func TestGetSessionToken(t *testing.T) {
	srv := servertest.Start(t)
	sc := sts.NewFromConfig(srv.AWSConfig("us-east-1"))
	start := time.Now()
	out, err := sc.GetSessionToken(ctx, &sts.GetSessionTokenInput{DurationSeconds: aws.Int32(7200)})
	if err != nil {
		t.Fatal(err)
	}
	// The account root's sessions last at most an hour.
	if d := out.Credentials.Expiration.Sub(start); d < 3590*time.Second || d > 3610*time.Second {
		t.Errorf("expires in %v", d)
	}
	if !regexp.MustCompile(`^ASIA`).MatchString(aws.ToString(out.Credentials.AccessKeyId)) {
		t.Errorf("AccessKeyId = %s", aws.ToString(out.Credentials.AccessKeyId))
	}
	_, err = sc.GetSessionToken(ctx, &sts.GetSessionTokenInput{DurationSeconds: aws.Int32(100)})
	wantErr(t, err, "ValidationError", "")
}
