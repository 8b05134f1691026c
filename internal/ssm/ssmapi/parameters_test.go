package ssmapi_test

import (
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"
)

func TestPutAndGet(t *testing.T) {
	c := newClient(t)
	if v := put(t, c, "/app/db-url", "postgres://x", types.ParameterTypeString, false); v != 1 {
		t.Fatalf("first version = %d, want 1", v)
	}
	p := get(t, c, "/app/db-url", false)
	if *p.Value != "postgres://x" || p.Version != 1 || p.Type != types.ParameterTypeString || *p.DataType != "text" {
		t.Fatalf("got %+v", p)
	}
	if *p.ARN != "arn:aws:ssm:us-east-1:000000000000:parameter/app/db-url" {
		t.Fatalf("ARN = %s", *p.ARN)
	}
	if time.Since(*p.LastModifiedDate) > time.Minute {
		t.Fatalf("LastModifiedDate = %v", p.LastModifiedDate)
	}
	if p := get(t, c, "arn:aws:ssm:us-east-1:000000000000:parameter/app/db-url", false); *p.Name != "/app/db-url" {
		t.Fatalf("by ARN: name = %s", *p.Name)
	}

	_, err := c.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String("/app/db-url"), Value: aws.String("y"), Type: types.ParameterTypeString})
	wantExactErr(t, err, "ParameterAlreadyExists", "The parameter already exists. To overwrite this value, set the overwrite option in the request to true.")

	if v := put(t, c, "/app/db-url", "y", types.ParameterTypeString, true); v != 2 {
		t.Fatalf("overwrite version = %d, want 2", v)
	}
	if p := get(t, c, "/app/db-url", false); *p.Value != "y" || p.Version != 2 {
		t.Fatalf("after overwrite: %+v", p)
	}
	// A name without a slash has an ARN with one.
	put(t, c, "plain", "v", types.ParameterTypeStringList, false)
	if p := get(t, c, "plain", false); *p.ARN != "arn:aws:ssm:us-east-1:000000000000:parameter/plain" || p.Type != types.ParameterTypeStringList {
		t.Fatalf("plain: %+v", p)
	}
	if p := get(t, c, "arn:aws:ssm:us-east-1:000000000000:parameter/plain", false); *p.Name != "plain" {
		t.Fatalf("plain by ARN: %s", *p.Name)
	}

	_, err = c.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String("/nope")})
	wantExactErr(t, err, "ParameterNotFound", "")
	var nf *types.ParameterNotFound
	if !errorsAs(err, &nf) {
		t.Fatalf("err is %T, want *types.ParameterNotFound", err)
	}
}

func TestSecureString(t *testing.T) {
	c := newClient(t)
	out, err := c.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String("/app/pw"), Value: aws.String("s3cr3t"), Type: types.ParameterTypeSecureString})
	if err != nil {
		t.Fatal(err)
	}
	if out.Tier != types.ParameterTierStandard {
		t.Fatalf("tier = %s", out.Tier)
	}
	if p := get(t, c, "/app/pw", true); *p.Value != "s3cr3t" {
		t.Fatalf("decrypted = %q", *p.Value)
	}
	enc := get(t, c, "/app/pw", false)
	if *enc.Value == "s3cr3t" {
		t.Fatal("value returned in plaintext without WithDecryption")
	}
	if b, err := base64.StdEncoding.DecodeString(*enc.Value); err != nil || strings.Contains(string(b), "s3cr3t") {
		t.Fatalf("ciphertext form = %q (%v)", *enc.Value, err)
	}
	d, err := c.DescribeParameters(ctx, &ssm.DescribeParametersInput{})
	if err != nil || len(d.Parameters) != 1 || *d.Parameters[0].KeyId != "alias/aws/ssm" {
		t.Fatalf("describe: %+v %v", d, err)
	}
	_, err = c.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String("/app/pw2"), Value: aws.String("x"),
		Type: types.ParameterTypeSecureString, KeyId: aws.String("alias/mine")})
	if err != nil {
		t.Fatal(err)
	}
	d, _ = c.DescribeParameters(ctx, &ssm.DescribeParametersInput{ParameterFilters: []types.ParameterStringFilter{{Key: aws.String("KeyId"), Values: []string{"alias/mine"}}}})
	if len(d.Parameters) != 1 || *d.Parameters[0].Name != "/app/pw2" {
		t.Fatalf("KeyId filter: %+v", d.Parameters)
	}
}

func TestSelectors(t *testing.T) {
	c := newClient(t)
	for i := 1; i <= 3; i++ {
		put(t, c, "/sel", fmt.Sprintf("v%d", i), types.ParameterTypeString, i > 1)
	}
	if _, err := c.LabelParameterVersion(ctx, &ssm.LabelParameterVersionInput{Name: aws.String("/sel"), ParameterVersion: aws.Int64(1), Labels: []string{"prod"}}); err != nil {
		t.Fatal(err)
	}
	cases := []struct{ ref, value, selector string }{
		{"/sel", "v3", ""},
		{"/sel:2", "v2", ":2"},
		{"/sel:prod", "v1", ":prod"},
	}
	for _, cs := range cases {
		p := get(t, c, cs.ref, false)
		if *p.Value != cs.value || aws.ToString(p.Selector) != cs.selector || *p.Name != "/sel" {
			t.Errorf("%s: value %s selector %q name %s", cs.ref, *p.Value, aws.ToString(p.Selector), *p.Name)
		}
	}
	_, err := c.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String("/sel:9")})
	wantExactErr(t, err, "ParameterVersionNotFound", "Systems Manager could not find version 9 of /sel. Verify the version and try again.")

	out, err := c.GetParameters(ctx, &ssm.GetParametersInput{Names: []string{"/sel:2", "/missing", "/sel:9", "/sel:nolabel", "/sel"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Parameters) != 2 || strings.Join(out.InvalidParameters, ",") != "/missing,/sel:9,/sel:nolabel" {
		t.Fatalf("GetParameters: %d params, invalid %v", len(out.Parameters), out.InvalidParameters)
	}
}

func TestPutValidation(t *testing.T) {
	c := newClient(t)
	deep := strings.Repeat("/l", 15)
	if _, err := c.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String(deep), Value: aws.String("x"), Type: types.ParameterTypeString}); err != nil {
		t.Fatalf("15 levels: %v", err)
	}
	cases := []struct {
		name string
		in   ssm.PutParameterInput
		code string
		msg  string
	}{
		{"16 levels", ssm.PutParameterInput{Name: aws.String(deep + "/x")}, "HierarchyLevelLimitExceededException", "A hierarchy can have a maximum of 15 levels."},
		{"reserved aws", ssm.PutParameterInput{Name: aws.String("awsThing")}, "ValidationException", `Parameter name: can't be prefixed with "aws" or "ssm" (case-insensitive).`},
		{"reserved ssm path", ssm.PutParameterInput{Name: aws.String("/SSM/x")}, "ValidationException", "If formed as a path"},
		{"space", ssm.PutParameterInput{Name: aws.String("/a b")}, "ValidationException", "the following 3 symbols .-_"},
		{"no leading slash with path", ssm.PutParameterInput{Name: aws.String("a/b")}, "ValidationException", "If formed as a path"},
		{"empty segment", ssm.PutParameterInput{Name: aws.String("/a//b")}, "ValidationException", "If formed as a path"},
		{"trailing slash", ssm.PutParameterInput{Name: aws.String("/a/")}, "ValidationException", "If formed as a path"},
		{"too long", ssm.PutParameterInput{Name: aws.String("/" + strings.Repeat("n", 1000))}, "ValidationException", "1011 characters"},
		{"standard over 4 KB", ssm.PutParameterInput{Value: aws.String(strings.Repeat("x", 4097))}, "ValidationException", "Standard tier parameters support a maximum parameter value of 4096 characters."},
		{"advanced over 8 KB", ssm.PutParameterInput{Value: aws.String(strings.Repeat("x", 8193)), Tier: types.ParameterTierAdvanced}, "ValidationException", "8192 characters"},
		{"empty value", ssm.PutParameterInput{Value: aws.String("")}, "ValidationException", "Member must have length greater than or equal to 1"},
		{"pattern", ssm.PutParameterInput{Value: aws.String("abc"), AllowedPattern: aws.String(`^\d+$`)}, "ParameterPatternMismatchException", `Parameter value, cannot be validated against allowedPattern: ^\d+$`},
		{"bad pattern", ssm.PutParameterInput{Value: aws.String("abc"), AllowedPattern: aws.String(`(`)}, "InvalidAllowedPatternException", ""},
		{"no type", ssm.PutParameterInput{Type: ""}, "ValidationException", "A parameter type is required when you create a parameter."},
		{"bad data type", ssm.PutParameterInput{DataType: aws.String("image")}, "ValidationException", "The following data type is not supported: image"},
		{"bad ami", ssm.PutParameterInput{DataType: aws.String("aws:ec2:image"), Value: aws.String("ami-zz")}, "ValidationException", "AMI"},
		{"tags with overwrite", ssm.PutParameterInput{Overwrite: aws.Bool(true), Tags: []types.Tag{{Key: aws.String("a"), Value: aws.String("b")}}},
			"ValidationException", "tags and overwrite can't be used together"},
		{"policies on standard", ssm.PutParameterInput{Tier: types.ParameterTierStandard, Policies: aws.String(`[{"Type":"Expiration","Version":"1.0","Attributes":{"Timestamp":"2030-01-01T00:00:00Z"}}]`)},
			"ValidationException", "advanced-parameter tier"},
		{"too many tags", ssm.PutParameterInput{Tags: manyTags(51)}, "TooManyTagsError", ""},
	}
	for i, cs := range cases {
		t.Run(cs.name, func(t *testing.T) {
			in := cs.in
			if in.Name == nil {
				in.Name = aws.String(fmt.Sprintf("/case%d", i))
			}
			if in.Value == nil {
				in.Value = aws.String("value")
			}
			if in.Type == "" && cs.name != "no type" {
				in.Type = types.ParameterTypeString
			}
			_, err := c.PutParameter(ctx, &in)
			wantErr(t, err, cs.code, cs.msg)
		})
	}
}

func manyTags(n int) []types.Tag {
	out := make([]types.Tag, n)
	for i := range out {
		out[i] = types.Tag{Key: aws.String(fmt.Sprintf("k%d", i)), Value: aws.String("v")}
	}
	return out
}

func TestTiers(t *testing.T) {
	c := newClient(t)
	big := strings.Repeat("x", 5000)
	out, err := c.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String("/big"), Value: aws.String(big), Type: types.ParameterTypeString, Tier: types.ParameterTierIntelligentTiering})
	if err != nil || out.Tier != types.ParameterTierAdvanced {
		t.Fatalf("intelligent tiering of 5000 chars: %+v %v", out, err)
	}
	out, err = c.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String("/small"), Value: aws.String("x"), Type: types.ParameterTypeString, Tier: types.ParameterTierIntelligentTiering})
	if err != nil || out.Tier != types.ParameterTierStandard {
		t.Fatalf("intelligent tiering of 1 char: %+v %v", out, err)
	}
	// Advanced stays advanced, and can't be downgraded.
	out, err = c.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String("/big"), Value: aws.String("x"), Type: types.ParameterTypeString, Overwrite: aws.Bool(true)})
	if err != nil || out.Tier != types.ParameterTierAdvanced {
		t.Fatalf("overwrite of advanced: %+v %v", out, err)
	}
	_, err = c.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String("/big"), Value: aws.String("x"), Type: types.ParameterTypeString, Overwrite: aws.Bool(true), Tier: types.ParameterTierStandard})
	wantErr(t, err, "ValidationException", "You can't downgrade a parameter from the advanced-parameter tier")
	_, err = c.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String("/adv"), Value: aws.String(strings.Repeat("y", 8192)), Type: types.ParameterTypeSecureString, Tier: types.ParameterTierAdvanced})
	if err != nil {
		t.Fatalf("8192 chars advanced: %v", err)
	}
	if p := get(t, c, "/adv", true); len(*p.Value) != 8192 {
		t.Fatal("advanced SecureString value does not round-trip")
	}
}

func TestAllowedPatternAndDataType(t *testing.T) {
	c := newClient(t)
	_, err := c.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String("/port"), Value: aws.String("8080"), Type: types.ParameterTypeString, AllowedPattern: aws.String(`^\d+$`)})
	if err != nil {
		t.Fatal(err)
	}
	// The pattern carries over to new versions.
	_, err = c.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String("/port"), Value: aws.String("http"), Type: types.ParameterTypeString, Overwrite: aws.Bool(true)})
	wantErr(t, err, "ParameterPatternMismatchException", "")
	_, err = c.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String("/ami"), Value: aws.String("ami-0123456789abcdef0"), Type: types.ParameterTypeString, DataType: aws.String("aws:ec2:image")})
	if err != nil {
		t.Fatal(err)
	}
	if p := get(t, c, "/ami", false); *p.DataType != "aws:ec2:image" {
		t.Fatalf("data type = %s", *p.DataType)
	}
}

func TestDelete(t *testing.T) {
	c := newClient(t)
	put(t, c, "/d/a", "1", types.ParameterTypeString, false)
	put(t, c, "/d/a", "2", types.ParameterTypeString, true)
	put(t, c, "/d/b", "1", types.ParameterTypeString, false)
	if _, err := c.DeleteParameter(ctx, &ssm.DeleteParameterInput{Name: aws.String("/d/a")}); err != nil {
		t.Fatal(err)
	}
	_, err := c.DeleteParameter(ctx, &ssm.DeleteParameterInput{Name: aws.String("/d/a")})
	wantErr(t, err, "ParameterNotFound", "")
	// Re-created, a parameter starts again at version 1 with no history.
	if v := put(t, c, "/d/a", "new", types.ParameterTypeString, false); v != 1 {
		t.Fatalf("re-created version = %d", v)
	}
	h, _ := c.GetParameterHistory(ctx, &ssm.GetParameterHistoryInput{Name: aws.String("/d/a")})
	if len(h.Parameters) != 1 {
		t.Fatalf("history after re-create: %d versions", len(h.Parameters))
	}
	out, err := c.DeleteParameters(ctx, &ssm.DeleteParametersInput{Names: []string{"/d/a", "/d/missing", "/d/b"}})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(out.DeletedParameters, ",") != "/d/a,/d/b" || strings.Join(out.InvalidParameters, ",") != "/d/missing" {
		t.Fatalf("DeleteParameters: %+v", out)
	}
}
