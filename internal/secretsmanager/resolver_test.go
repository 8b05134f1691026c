package secretsmanager

import (
	"strings"
	"testing"
)

func TestParseReference(t *testing.T) {
	const arn = "arn:aws:secretsmanager:us-east-1:000000000000:secret:my-app/db-AbCdEf"
	cases := []struct {
		in   string
		want Reference
		bad  string
	}{
		{in: arn, want: Reference{SecretID: arn, Region: "us-east-1", Account: "000000000000"}},
		{in: arn + ":password::", want: Reference{SecretID: arn, Region: "us-east-1", Account: "000000000000", JSONKey: "password"}},
		{in: arn + "::AWSPREVIOUS:", want: Reference{SecretID: arn, Region: "us-east-1", Account: "000000000000", VersionStage: "AWSPREVIOUS"}},
		{in: arn + ":k::abc", want: Reference{SecretID: arn, Region: "us-east-1", Account: "000000000000", JSONKey: "k", VersionID: "abc"}},
		{in: "my-app/db", want: Reference{SecretID: "my-app/db"}},
		{in: arn + ":password", bad: "an invalid ARN format for the AWS Secrets Manager secret was specified. Specify a valid ARN and try again."},
		{in: arn + ":k:AWSCURRENT:abc", bad: "not both"},
		{in: "arn:aws:ssm:us-east-1:000000000000:parameter/x", bad: "invalid ARN format"},
	}
	for _, c := range cases {
		got, err := ParseReference(c.in)
		if c.bad != "" {
			if err == nil || !strings.Contains(err.Error(), c.bad) || !strings.HasPrefix(err.Error(), "trying to retrieve secret with value "+c.in) {
				t.Errorf("ParseReference(%q) err = %v", c.in, err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("ParseReference(%q) = %+v, %v", c.in, got, err)
		}
	}
}

func TestResolve(t *testing.T) {
	c := newClock()
	m, _ := newManager(t, c)
	s := scope()
	w, err := m.Create(bg, s, CreateInput{Name: "my-app/db", Value: Value{String: str(`{"username":"app","password":"s3cr3t","port":5432,"tls":true,"n":{"a":1}}`)}})
	if err != nil {
		t.Fatal(err)
	}
	first := w.VersionID
	if _, err := m.PutValue(bg, s, PutInput{SecretID: "my-app/db", Value: Value{String: str(`{"password":"n3w"}`)}}); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Create(bg, s, CreateInput{Name: "plain", Value: Value{String: str("just text")}}); err != nil {
		t.Fatal(err)
	}
	r := &Resolver{m: m}
	arn := w.Secret.ARN
	partial := strings.TrimSuffix(arn, arn[len(arn)-7:])
	ok := []struct{ valueFrom, want string }{
		{arn, `{"password":"n3w"}`},
		{arn + ":password::", "n3w"},
		{arn + ":password:AWSPREVIOUS:", "s3cr3t"},
		{arn + ":username::" + first, "app"},
		{arn + ":port:AWSPREVIOUS:", "5432"},
		{arn + ":tls:AWSPREVIOUS:", "true"},
		{arn + ":n:AWSPREVIOUS:", "map[a:1]"},
		{partial + ":password::", "n3w"},
		{"plain", "just text"},
	}
	for _, c := range ok {
		got, err := r.Resolve(bg, "us-east-1", "000000000000", c.valueFrom)
		if err != nil || got != c.want {
			t.Errorf("Resolve(%s) = %q, %v; want %q", c.valueFrom, got, err, c.want)
		}
	}
	if v, err := r.Get(bg, "eu-west-1", "000000000000", arn); err != nil || v != `{"password":"n3w"}` {
		t.Errorf("Get by ARN from another region's arguments: %q %v", v, err)
	}

	plainARN := arnPrefix(s) + "plain-AbCdEf"
	bad := []struct{ valueFrom, want string }{
		{arn + ":nokey::", "retrieved secret from Secrets Manager did not contain json key nokey"},
		{arn + "::AWSPENDING:", "service call has been retried 1 time(s): failed to fetch secret " + arn +
			" from secrets manager: ResourceNotFoundException: Secrets Manager can't find the specified secret value for staging label: AWSPENDING"},
		{arnPrefix(s) + "missing-AbCdEf", "service call has been retried 1 time(s): failed to fetch secret " + arnPrefix(s) +
			"missing-AbCdEf from secrets manager: ResourceNotFoundException: Secrets Manager can't find the specified secret."},
		{plainARN + ":k::", "failed to fetch secret"},
	}
	for _, c := range bad {
		_, err := r.Resolve(bg, "us-east-1", "000000000000", c.valueFrom)
		if err == nil || err.Error() != c.want && !strings.Contains(err.Error(), c.want) {
			t.Errorf("Resolve(%s) err = %v\nwant %s", c.valueFrom, err, c.want)
		}
	}
	if _, err := m.Create(bg, s, CreateInput{Name: "notjson", Value: Value{String: str("hunter2 not json")}}); err != nil {
		t.Fatal(err)
	}
	w2, _ := m.Describe(bg, s, "notjson")
	_, err = r.Resolve(bg, "", "", w2.ARN+":k::")
	if err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Fatalf("non-JSON secret: %v", err)
	}
	if _, err := m.Delete(bg, s, "plain", nil, false); err != nil {
		t.Fatal(err)
	}
	_, err = r.Resolve(bg, "us-east-1", "000000000000", "plain")
	if err == nil || !strings.HasSuffix(err.Error(), "InvalidRequestException: You can't perform this operation on the secret because it was marked for deletion.") {
		t.Fatalf("deleted: %v", err)
	}
	reason := ECSStoppedReason(err)
	if !strings.HasPrefix(reason, "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 1 time(s): failed to fetch secret plain from secrets manager: ") {
		t.Fatalf("reason = %s", reason)
	}
}
