package ssmapi_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"
)

func label(t *testing.T, c *ssm.Client, name string, version int64, labels ...string) *ssm.LabelParameterVersionOutput {
	t.Helper()
	in := &ssm.LabelParameterVersionInput{Name: aws.String(name), Labels: labels}
	if version > 0 {
		in.ParameterVersion = aws.Int64(version)
	}
	out, err := c.LabelParameterVersion(ctx, in)
	if err != nil {
		t.Fatalf("LabelParameterVersion: %v", err)
	}
	return out
}

func TestHistoryAndLabels(t *testing.T) {
	c := newClient(t)
	for i := 1; i <= 3; i++ {
		put(t, c, "/h", fmt.Sprintf("secret-%d", i), types.ParameterTypeSecureString, i > 1)
	}
	out := label(t, c, "/h", 0, "latest", "9bad", "awsy", "ok.label")
	if out.ParameterVersion != 3 || strings.Join(out.InvalidLabels, ",") != "9bad,awsy" {
		t.Fatalf("label latest: %+v", out)
	}
	// A label moves between versions.
	label(t, c, "/h", 1, "latest")

	h, err := c.GetParameterHistory(ctx, &ssm.GetParameterHistoryInput{Name: aws.String("/h"), WithDecryption: aws.Bool(true)})
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Parameters) != 3 {
		t.Fatalf("%d versions", len(h.Parameters))
	}
	for i, p := range h.Parameters {
		if p.Version != int64(i+1) || *p.Value != fmt.Sprintf("secret-%d", i+1) || *p.KeyId != "alias/aws/ssm" {
			t.Fatalf("version %d: %+v", i+1, p)
		}
	}
	if got := strings.Join(h.Parameters[0].Labels, ","); got != "latest" {
		t.Fatalf("v1 labels %q", got)
	}
	if got := strings.Join(h.Parameters[2].Labels, ","); got != "ok.label" {
		t.Fatalf("v3 labels %q", got)
	}
	enc, _ := c.GetParameterHistory(ctx, &ssm.GetParameterHistoryInput{Name: aws.String("/h")})
	if *enc.Parameters[0].Value == "secret-1" {
		t.Fatal("history without decryption shows the plaintext")
	}
	paged, err := c.GetParameterHistory(ctx, &ssm.GetParameterHistoryInput{Name: aws.String("/h"), MaxResults: aws.Int32(2)})
	if err != nil || len(paged.Parameters) != 2 || paged.NextToken == nil {
		t.Fatalf("page 1: %+v %v", paged, err)
	}
	paged, err = c.GetParameterHistory(ctx, &ssm.GetParameterHistoryInput{Name: aws.String("/h"), MaxResults: aws.Int32(2), NextToken: paged.NextToken})
	if err != nil || len(paged.Parameters) != 1 || paged.Parameters[0].Version != 3 || paged.NextToken != nil {
		t.Fatalf("page 2: %+v %v", paged, err)
	}

	_, err = c.GetParameterHistory(ctx, &ssm.GetParameterHistoryInput{Name: aws.String("/none")})
	wantErr(t, err, "ParameterNotFound", "")
	_, err = c.LabelParameterVersion(ctx, &ssm.LabelParameterVersionInput{Name: aws.String("/h"), ParameterVersion: aws.Int64(7), Labels: []string{"x"}})
	wantExactErr(t, err, "ParameterVersionNotFound", "Systems Manager could not find version 7 of /h. Verify the version and try again.")
	_, err = c.LabelParameterVersion(ctx, &ssm.LabelParameterVersionInput{Name: aws.String("/none"), Labels: []string{"x"}})
	wantErr(t, err, "ParameterNotFound", "")

	un, err := c.UnlabelParameterVersion(ctx, &ssm.UnlabelParameterVersionInput{Name: aws.String("/h"), ParameterVersion: aws.Int64(3), Labels: []string{"ok.label", "latest"}})
	if err != nil || strings.Join(un.RemovedLabels, ",") != "ok.label" || strings.Join(un.InvalidLabels, ",") != "latest" {
		t.Fatalf("unlabel: %+v %v", un, err)
	}
}

func TestLabelLimit(t *testing.T) {
	c := newClient(t)
	put(t, c, "/l", "v", types.ParameterTypeString, false)
	var ten []string
	for i := range 10 {
		ten = append(ten, fmt.Sprintf("l%d", i))
	}
	label(t, c, "/l", 1, ten...)
	label(t, c, "/l", 1, "l0") // re-attaching is not a new label
	_, err := c.LabelParameterVersion(ctx, &ssm.LabelParameterVersionInput{Name: aws.String("/l"), ParameterVersion: aws.Int64(1), Labels: []string{"eleventh"}})
	wantErr(t, err, "ParameterVersionLabelLimitExceeded", "A parameter version can have maximum 10 labels.")
}

func TestMaxVersions(t *testing.T) {
	c := newClient(t)
	for i := 1; i <= 100; i++ {
		put(t, c, "/m", fmt.Sprint(i), types.ParameterTypeString, i > 1)
	}
	label(t, c, "/m", 1, "pinned")
	_, err := c.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String("/m"), Value: aws.String("101"), Type: types.ParameterTypeString, Overwrite: aws.Bool(true)})
	wantExactErr(t, err, "ParameterMaxVersionLimitExceeded", "You attempted to create a new version of /m by calling the PutParameter API with the overwrite flag. "+
		"Version 1, the oldest version, can't be deleted because it has a label associated with it. Move the label to another version of the parameter, and try again.")
	label(t, c, "/m", 50, "pinned")
	if v := put(t, c, "/m", "101", types.ParameterTypeString, true); v != 101 {
		t.Fatalf("version = %d", v)
	}
	_, err = c.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String("/m:1")})
	wantErr(t, err, "ParameterVersionNotFound", "")
	if p := get(t, c, "/m:2", false); *p.Value != "2" {
		t.Fatalf("v2 = %s", *p.Value)
	}
	var n int
	pg := ssm.NewGetParameterHistoryPaginator(c, &ssm.GetParameterHistoryInput{Name: aws.String("/m")})
	for pg.HasMorePages() {
		page, err := pg.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		n += len(page.Parameters)
	}
	if n != 100 {
		t.Fatalf("history holds %d versions, want 100", n)
	}
}

func TestTags(t *testing.T) {
	c := newClient(t)
	_, err := c.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String("/t"), Value: aws.String("v"), Type: types.ParameterTypeString,
		Tags: []types.Tag{{Key: aws.String("a"), Value: aws.String("1")}}})
	if err != nil {
		t.Fatal(err)
	}
	param := types.ResourceTypeForTaggingParameter
	_, err = c.AddTagsToResource(ctx, &ssm.AddTagsToResourceInput{ResourceType: param, ResourceId: aws.String("/t"),
		Tags: []types.Tag{{Key: aws.String("a"), Value: aws.String("2")}, {Key: aws.String("b"), Value: aws.String("3")}}})
	if err != nil {
		t.Fatal(err)
	}
	tags := func() string {
		out, err := c.ListTagsForResource(ctx, &ssm.ListTagsForResourceInput{ResourceType: param, ResourceId: aws.String("/t")})
		if err != nil {
			t.Fatal(err)
		}
		var s []string
		for _, tg := range out.TagList {
			s = append(s, *tg.Key+"="+*tg.Value)
		}
		return strings.Join(s, ",")
	}
	if got := tags(); got != "a=2,b=3" {
		t.Fatalf("tags %q", got)
	}
	if _, err := c.RemoveTagsFromResource(ctx, &ssm.RemoveTagsFromResourceInput{ResourceType: param, ResourceId: aws.String("/t"), TagKeys: []string{"a", "zz"}}); err != nil {
		t.Fatal(err)
	}
	if got := tags(); got != "b=3" {
		t.Fatalf("after remove: %q", got)
	}
	_, err = c.AddTagsToResource(ctx, &ssm.AddTagsToResourceInput{ResourceType: param, ResourceId: aws.String("/t"), Tags: manyTags(50)})
	wantErr(t, err, "TooManyTagsError", "")
	_, err = c.ListTagsForResource(ctx, &ssm.ListTagsForResourceInput{ResourceType: param, ResourceId: aws.String("/missing")})
	wantErr(t, err, "InvalidResourceId", "")
	_, err = c.AddTagsToResource(ctx, &ssm.AddTagsToResourceInput{ResourceType: types.ResourceTypeForTaggingDocument, ResourceId: aws.String("/t"), Tags: manyTags(1)})
	wantErr(t, err, "InvalidResourceType", "")
}
