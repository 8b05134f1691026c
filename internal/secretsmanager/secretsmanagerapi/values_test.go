package secretsmanagerapi_test

import (
	"bytes"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
)

var arnRE = regexp.MustCompile(`^arn:aws:secretsmanager:us-east-1:000000000000:secret:my-app/db-[A-Za-z0-9]{6}$`)

func TestCreateAndGet(t *testing.T) {
	c := newClient(t)
	out := create(t, c, "my-app/db", `{"username":"app","password":"s3cr3t"}`)
	if !arnRE.MatchString(*out.ARN) || *out.Name != "my-app/db" || out.VersionId == nil {
		t.Fatalf("create: %+v", out)
	}
	partial := strings.TrimSuffix(*out.ARN, (*out.ARN)[len(*out.ARN)-7:])
	for _, id := range []string{"my-app/db", *out.ARN, partial} {
		g := value(t, c, id)
		if *g.SecretString != `{"username":"app","password":"s3cr3t"}` || *g.ARN != *out.ARN || *g.VersionId != *out.VersionId ||
			!slices.Equal(g.VersionStages, []string{"AWSCURRENT"}) || g.CreatedDate == nil {
			t.Fatalf("get by %s: %+v", id, g)
		}
	}
	bin := []byte{0, 1, 2, 255}
	b, err := c.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("bin"), SecretBinary: bin})
	if err != nil {
		t.Fatal(err)
	}
	if g := value(t, c, *b.ARN); !bytes.Equal(g.SecretBinary, bin) || g.SecretString != nil {
		t.Fatalf("binary: %+v", g)
	}

	cases := []struct {
		name, id, code, msg string
	}{
		{"missing", "nope", "ResourceNotFoundException", "Secrets Manager can't find the specified secret."},
		{"wrong suffix", (*out.ARN)[:len(*out.ARN)-6] + "XXXXXX", "ResourceNotFoundException", ""},
		{"other region", strings.Replace(*out.ARN, "us-east-1", "eu-west-1", 1), "ResourceNotFoundException", ""},
		{"bad name", "bad name!", "ValidationException", "Invalid name. Must be a valid name containing alphanumeric characters"},
	}
	for _, cs := range cases {
		t.Run(cs.name, func(t *testing.T) {
			_, err := c.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(cs.id)})
			wantErr(t, err, cs.code, cs.msg)
		})
	}
	var rnf *types.ResourceNotFoundException
	_, err = c.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("nope")})
	if !errorsAs(err, &rnf) {
		t.Fatalf("err is %T", err)
	}
}

func TestCreateErrors(t *testing.T) {
	c := newClient(t)
	create(t, c, "dup", "v")
	big := strings.Repeat("x", 65537)
	cases := []struct {
		name string
		in   secretsmanager.CreateSecretInput
		code string
		msg  string
	}{
		{"exists", secretsmanager.CreateSecretInput{Name: aws.String("dup"), SecretString: aws.String("v2")}, "ResourceExistsException", "The operation failed because the secret dup already exists."},
		{"both values", secretsmanager.CreateSecretInput{Name: aws.String("both"), SecretString: aws.String("a"), SecretBinary: []byte("b")},
			"InvalidParameterException", "You can't specify both a binary secret value and a string secret value in the same secret."},
		{"string over 64 KB", secretsmanager.CreateSecretInput{Name: aws.String("big"), SecretString: aws.String(big)}, "ValidationException", "65536"},
		{"multibyte over 64 KB", secretsmanager.CreateSecretInput{Name: aws.String("big2"), SecretString: aws.String(strings.Repeat("é", 40000))}, "ValidationException", "65536"},
		{"binary over 64 KB", secretsmanager.CreateSecretInput{Name: aws.String("big3"), SecretBinary: []byte(big)}, "ValidationException", "65536"},
		{"bad name", secretsmanager.CreateSecretInput{Name: aws.String("a b"), SecretString: aws.String("v")}, "ValidationException", "Invalid name."},
		{"long name", secretsmanager.CreateSecretInput{Name: aws.String(strings.Repeat("n", 513)), SecretString: aws.String("v")}, "ValidationException", ""},
		{"aws tag", secretsmanager.CreateSecretInput{Name: aws.String("t"), SecretString: aws.String("v"),
			Tags: []types.Tag{{Key: aws.String("aws:x"), Value: aws.String("y")}}}, "InvalidParameterException", ""},
	}
	for _, cs := range cases {
		t.Run(cs.name, func(t *testing.T) {
			_, err := c.CreateSecret(ctx, &cs.in)
			wantErr(t, err, cs.code, cs.msg)
		})
	}
	if _, err := c.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("exact"), SecretString: aws.String(strings.Repeat("x", 65536))}); err != nil {
		t.Fatalf("65536 bytes: %v", err)
	}
	// A secret with a value still to come has no AWSCURRENT.
	if _, err := c.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("empty")}); err != nil {
		t.Fatal(err)
	}
	_, err := c.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("empty")})
	wantExactErr(t, err, "ResourceNotFoundException", "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT")
}

func TestClientRequestToken(t *testing.T) {
	c := newClient(t)
	tok := "11111111-2222-3333-4444-555555555555"
	in := &secretsmanager.CreateSecretInput{Name: aws.String("idem"), SecretString: aws.String("v"), ClientRequestToken: aws.String(tok)}
	first, err := c.CreateSecret(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	again, err := c.CreateSecret(ctx, in)
	if err != nil || *again.ARN != *first.ARN || *again.VersionId != tok {
		t.Fatalf("repeated create: %+v %v", again, err)
	}
	in.SecretString = aws.String("other")
	_, err = c.CreateSecret(ctx, in)
	wantErr(t, err, "ResourceExistsException", "")

	put := &secretsmanager.PutSecretValueInput{SecretId: aws.String("idem"), SecretString: aws.String("v2"), ClientRequestToken: aws.String(strings.Repeat("a", 32))}
	p1, err := c.PutSecretValue(ctx, put)
	if err != nil {
		t.Fatal(err)
	}
	p2, err := c.PutSecretValue(ctx, put)
	if err != nil || *p2.VersionId != *p1.VersionId {
		t.Fatalf("repeated put: %+v %v", p2, err)
	}
	put.SecretString = aws.String("v3")
	_, err = c.PutSecretValue(ctx, put)
	wantExactErr(t, err, "ResourceExistsException", "You can't modify an existing version, you can only create a new version.")
	if g := value(t, c, "idem"); *g.SecretString != "v2" {
		t.Fatalf("current = %s", *g.SecretString)
	}
}

func TestVersionsAndStages(t *testing.T) {
	c := newClient(t)
	v1 := *create(t, c, "s", "one").VersionId
	p2, err := c.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{SecretId: aws.String("s"), SecretString: aws.String("two")})
	if err != nil || !slices.Equal(p2.VersionStages, []string{"AWSCURRENT"}) {
		t.Fatalf("put: %+v %v", p2, err)
	}
	v2 := *p2.VersionId
	get := func(id, stage string) (*secretsmanager.GetSecretValueOutput, error) {
		in := &secretsmanager.GetSecretValueInput{SecretId: aws.String("s")}
		if id != "" {
			in.VersionId = aws.String(id)
		}
		if stage != "" {
			in.VersionStage = aws.String(stage)
		}
		return c.GetSecretValue(ctx, in)
	}
	for _, cs := range []struct{ id, stage, want string }{
		{"", "", "two"}, {"", "AWSCURRENT", "two"}, {"", "AWSPREVIOUS", "one"}, {v1, "", "one"}, {v2, "AWSCURRENT", "two"},
	} {
		g, err := get(cs.id, cs.stage)
		if err != nil || *g.SecretString != cs.want {
			t.Fatalf("get %q %q: %v %v", cs.id, cs.stage, g, err)
		}
	}
	_, err = get("", "AWSPENDING")
	wantExactErr(t, err, "ResourceNotFoundException", "Secrets Manager can't find the specified secret value for staging label: AWSPENDING")
	_, err = get(strings.Repeat("9", 32), "")
	wantErr(t, err, "ResourceNotFoundException", "VersionId")
	_, err = get(v1, "AWSCURRENT")
	wantErr(t, err, "InvalidRequestException", "")

	// A custom stage on a new version leaves AWSCURRENT alone.
	p3, err := c.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{SecretId: aws.String("s"), SecretString: aws.String("three"), VersionStages: []string{"AWSPENDING"}})
	if err != nil {
		t.Fatal(err)
	}
	if g, _ := get("", ""); *g.SecretString != "two" {
		t.Fatal("AWSPENDING moved AWSCURRENT")
	}
	// Moving AWSCURRENT needs RemoveFromVersionId.
	_, err = c.UpdateSecretVersionStage(ctx, &secretsmanager.UpdateSecretVersionStageInput{SecretId: aws.String("s"), VersionStage: aws.String("AWSCURRENT"), MoveToVersionId: p3.VersionId})
	wantExactErr(t, err, "InvalidParameterException", "The parameter RemoveFromVersionId can't be empty. Staging label AWSCURRENT is currently attached to version "+
		v2+", so you must explicitly reference that version in RemoveFromVersionId.")
	_, err = c.UpdateSecretVersionStage(ctx, &secretsmanager.UpdateSecretVersionStageInput{SecretId: aws.String("s"), VersionStage: aws.String("AWSCURRENT"),
		MoveToVersionId: p3.VersionId, RemoveFromVersionId: aws.String(v1)})
	wantErr(t, err, "InvalidParameterException", "")
	if _, err := c.UpdateSecretVersionStage(ctx, &secretsmanager.UpdateSecretVersionStageInput{SecretId: aws.String("s"), VersionStage: aws.String("AWSCURRENT"),
		MoveToVersionId: p3.VersionId, RemoveFromVersionId: aws.String(v2)}); err != nil {
		t.Fatal(err)
	}
	d, err := c.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String("s")})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{*p3.VersionId: {"AWSCURRENT", "AWSPENDING"}, v2: {"AWSPREVIOUS"}}
	if len(d.VersionIdsToStages) != 2 || !slices.Equal(d.VersionIdsToStages[*p3.VersionId], want[*p3.VersionId]) || !slices.Equal(d.VersionIdsToStages[v2], want[v2]) {
		t.Fatalf("stages: %v", d.VersionIdsToStages)
	}
	// Removing a custom label; AWSCURRENT can't just be removed.
	if _, err := c.UpdateSecretVersionStage(ctx, &secretsmanager.UpdateSecretVersionStageInput{SecretId: aws.String("s"), VersionStage: aws.String("AWSPENDING"), RemoveFromVersionId: p3.VersionId}); err != nil {
		t.Fatal(err)
	}
	_, err = c.UpdateSecretVersionStage(ctx, &secretsmanager.UpdateSecretVersionStageInput{SecretId: aws.String("s"), VersionStage: aws.String("AWSCURRENT"), RemoveFromVersionId: p3.VersionId})
	wantErr(t, err, "InvalidParameterException", "")

	lv, err := c.ListSecretVersionIds(ctx, &secretsmanager.ListSecretVersionIdsInput{SecretId: aws.String("s")})
	if err != nil || len(lv.Versions) != 2 {
		t.Fatalf("versions: %+v %v", lv, err)
	}
	lv, _ = c.ListSecretVersionIds(ctx, &secretsmanager.ListSecretVersionIdsInput{SecretId: aws.String("s"), IncludeDeprecated: aws.Bool(true)})
	if len(lv.Versions) != 3 || *lv.Versions[2].VersionId != v1 || len(lv.Versions[2].VersionStages) != 0 {
		t.Fatalf("with deprecated: %+v", lv.Versions)
	}
}

func TestUpdateSecret(t *testing.T) {
	c := newClient(t)
	create(t, c, "u", "one")
	out, err := c.UpdateSecret(ctx, &secretsmanager.UpdateSecretInput{SecretId: aws.String("u"), Description: aws.String("described"), KmsKeyId: aws.String("alias/mine")})
	if err != nil || out.VersionId != nil {
		t.Fatalf("metadata update: %+v %v", out, err)
	}
	out, err = c.UpdateSecret(ctx, &secretsmanager.UpdateSecretInput{SecretId: aws.String("u"), SecretString: aws.String("two")})
	if err != nil || out.VersionId == nil {
		t.Fatalf("value update: %+v %v", out, err)
	}
	if g := value(t, c, "u"); *g.SecretString != "two" {
		t.Fatalf("value = %s", *g.SecretString)
	}
	d, _ := c.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String("u")})
	if *d.Description != "described" || *d.KmsKeyId != "alias/mine" || len(d.VersionIdsToStages) != 2 {
		t.Fatalf("describe: %+v", d)
	}
	_, err = c.UpdateSecret(ctx, &secretsmanager.UpdateSecretInput{SecretId: aws.String("missing"), SecretString: aws.String("x")})
	wantErr(t, err, "ResourceNotFoundException", "")
}

func TestBatchGetSecretValue(t *testing.T) {
	c := newClient(t)
	a := create(t, c, "batch/a", "A")
	create(t, c, "batch/b", "B")
	create(t, c, "other", "O")
	out, err := c.BatchGetSecretValue(ctx, &secretsmanager.BatchGetSecretValueInput{SecretIdList: []string{*a.ARN, "batch/b", "missing"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.SecretValues) != 2 || *out.SecretValues[0].SecretString != "A" || *out.SecretValues[1].SecretString != "B" {
		t.Fatalf("values: %+v", out.SecretValues)
	}
	if len(out.Errors) != 1 || *out.Errors[0].SecretId != "missing" || *out.Errors[0].ErrorCode != "ResourceNotFoundException" {
		t.Fatalf("errors: %+v", out.Errors)
	}
	out, err = c.BatchGetSecretValue(ctx, &secretsmanager.BatchGetSecretValueInput{Filters: []types.Filter{{Key: types.FilterNameStringTypeName, Values: []string{"batch/"}}}})
	if err != nil || len(out.SecretValues) != 2 {
		t.Fatalf("by filter: %+v %v", out, err)
	}
	_, err = c.BatchGetSecretValue(ctx, &secretsmanager.BatchGetSecretValueInput{})
	wantErr(t, err, "InvalidParameterException", "")
	_, err = c.BatchGetSecretValue(ctx, &secretsmanager.BatchGetSecretValueInput{SecretIdList: []string{"x"}, MaxResults: aws.Int32(5)})
	wantErr(t, err, "InvalidParameterException", "")
}
