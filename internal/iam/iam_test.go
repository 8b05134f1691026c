package iam

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/quayside/quayside/internal/policy"
	"github.com/quayside/quayside/internal/store/boltstore"
)

var ctx = context.Background()

const acct = "000000000000"

func newService(t *testing.T, now func() time.Time) *Service {
	t.Helper()
	st, err := boltstore.Open(filepath.Join(t.TempDir(), "db"), boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return New(st, Options{Now: now})
}

const trustAccount = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:root"},"Action":"sts:AssumeRole"}]}`

func TestRoleAllowed(t *testing.T) {
	s := newService(t, nil)
	r, err := s.CreateRole(ctx, acct, CreateRoleInput{Name: "exec", TrustPolicy: trustAccount})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.AttachRolePolicy(ctx, acct, "exec", "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"); err != nil {
		t.Fatal(err)
	}
	if err := s.PutRolePolicy(ctx, acct, "exec", "secrets", `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":"ssm:GetParameters","Resource":"arn:aws:ssm:us-east-1:000000000000:parameter/app/*"},
		{"Effect":"Deny","Action":"ecr:BatchGetImage","Resource":"arn:aws:ecr:us-east-1:000000000000:repository/secret"}]}`); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		action, resource string
		want             policy.Decision
	}{
		{"ecr:BatchGetImage", "arn:aws:ecr:us-east-1:000000000000:repository/web", policy.Allowed},
		{"ecr:BatchGetImage", "arn:aws:ecr:us-east-1:000000000000:repository/secret", policy.Denied},
		{"ssm:GetParameters", "arn:aws:ssm:us-east-1:000000000000:parameter/app/db", policy.Allowed},
		{"ssm:GetParameters", "arn:aws:ssm:us-east-1:000000000000:parameter/other", policy.NotApplicable},
		{"secretsmanager:GetSecretValue", "arn:aws:secretsmanager:us-east-1:000000000000:secret:db-AbCdEf", policy.NotApplicable},
	}
	for _, c := range cases {
		got, err := s.RoleAllowed(ctx, r.ARN, c.action, c.resource, nil)
		if err != nil || got != c.want {
			t.Errorf("%s on %s = %v, %v; want %v", c.action, c.resource, got, err, c.want)
		}
	}
	if _, err := s.RoleAllowed(ctx, "arn:aws:iam::000000000000:role/nope", "s3:GetObject", "*", nil); !errors.Is(err, ErrNoSuchEntity) {
		t.Errorf("unknown role: %v", err)
	}
	if _, err := s.RoleAllowed(ctx, "arn:aws:iam::000000000000:role/other-path/exec", "s3:GetObject", "*", nil); !errors.Is(err, ErrNoSuchEntity) {
		t.Errorf("wrong path: %v", err)
	}
}

func TestSessions(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	s := newService(t, func() time.Time { return now })
	r, err := s.CreateRole(ctx, acct, CreateRoleInput{Name: "ci", TrustPolicy: trustAccount})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateRole(ctx, acct, CreateRoleInput{Name: "deploy", TrustPolicy: trustAccount}); err != nil {
		t.Fatal(err)
	}
	root := policy.Caller{Type: policy.PrincipalAWS, ID: "arn:aws:iam::000000000000:root"}
	c, err := s.AssumeRole(ctx, acct, AssumeRoleInput{Caller: root, RoleARN: r.ARN, SessionName: "build", Region: "eu-west-1"})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.AccessKeyID) != 20 || c.AccessKeyID[:4] != "ASIA" || len(c.SecretAccessKey) != 40 || !c.Expiration.Equal(now.Add(time.Hour)) {
		t.Fatalf("credentials = %+v", c)
	}
	sess, ok, err := s.LookupSession(ctx, acct, c.AccessKeyID)
	if err != nil || !ok || sess.ARN != "arn:aws:sts::000000000000:assumed-role/ci/build" {
		t.Fatalf("LookupSession = %+v %v %v", sess, ok, err)
	}
	got, _ := s.GetRole(ctx, acct, "ci")
	if !got.LastUsed.Equal(now) || got.LastUsedRegion != "eu-west-1" {
		t.Errorf("LastUsed = %v %s", got.LastUsed, got.LastUsedRegion)
	}

	// The session is trusted by the account only: its own role needs a
	// policy allowing sts:AssumeRole.
	caller := policy.Caller{Type: policy.PrincipalAWS, ID: sess.ARN}
	deployARN := "arn:aws:iam::000000000000:role/deploy"
	if _, err := s.AssumeRole(ctx, acct, AssumeRoleInput{Caller: caller, RoleARN: deployARN, SessionName: "x"}); !errors.Is(err, ErrAccessDenied) {
		t.Fatalf("chained without permission: %v", err)
	}
	if err := s.PutRolePolicy(ctx, acct, "ci", "assume", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}`); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AssumeRole(ctx, acct, AssumeRoleInput{Caller: caller, RoleARN: deployARN, SessionName: "x"}); err != nil {
		t.Fatalf("chained with permission: %v", err)
	}
	if _, err := s.AssumeRole(ctx, acct, AssumeRoleInput{Caller: caller, RoleARN: deployARN, SessionName: "x", Duration: 2 * time.Hour}); !errors.Is(err, ErrValidation) {
		t.Fatalf("chained for two hours: %v", err)
	}

	// Sessions expire.
	now = now.Add(2 * time.Hour)
	if _, ok, _ := s.LookupSession(ctx, acct, c.AccessKeyID); ok {
		t.Fatal("expired session still found")
	}
}
