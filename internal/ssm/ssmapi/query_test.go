package ssmapi_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"
)

func seedTree(t *testing.T, c *ssm.Client) {
	t.Helper()
	put(t, c, "/app/db/url", "u", types.ParameterTypeString, false)
	put(t, c, "/app/db/pw", "p", types.ParameterTypeSecureString, false)
	put(t, c, "/app/name", "n", types.ParameterTypeString, false)
	put(t, c, "/app/list", "a,b", types.ParameterTypeStringList, false)
	put(t, c, "/other/x", "x", types.ParameterTypeString, false)
	put(t, c, "root", "r", types.ParameterTypeString, false)
	_, err := c.AddTagsToResource(ctx, &ssm.AddTagsToResourceInput{ResourceType: types.ResourceTypeForTaggingParameter,
		ResourceId: aws.String("/app/name"), Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("blue")}}})
	if err != nil {
		t.Fatal(err)
	}
}

func names(ps []types.Parameter) string {
	var out []string
	for _, p := range ps {
		out = append(out, *p.Name)
	}
	sort.Strings(out)
	return strings.Join(out, " ")
}

func metaNames(ps []types.ParameterMetadata) string {
	var out []string
	for _, p := range ps {
		out = append(out, *p.Name)
	}
	sort.Strings(out)
	return strings.Join(out, " ")
}

func TestGetParametersByPath(t *testing.T) {
	c := newClient(t)
	seedTree(t, c)
	f := func(key, opt string, vals ...string) types.ParameterStringFilter {
		return types.ParameterStringFilter{Key: aws.String(key), Option: aws.String(opt), Values: vals}
	}
	cases := []struct {
		name      string
		path      string
		recursive bool
		filters   []types.ParameterStringFilter
		want      string
	}{
		{"one level", "/app", false, nil, "/app/list /app/name"},
		{"trailing slash", "/app/", false, nil, "/app/list /app/name"},
		{"recursive", "/app", true, nil, "/app/db/pw /app/db/url /app/list /app/name"},
		{"root one level", "/", false, nil, "root"},
		{"type filter", "/app", true, []types.ParameterStringFilter{f("Type", "Equals", "SecureString")}, "/app/db/pw"},
		{"tag filter", "/app", true, []types.ParameterStringFilter{f("tag:team", "Equals", "blue")}, "/app/name"},
		{"tag key only", "/app", true, []types.ParameterStringFilter{{Key: aws.String("tag:team")}}, "/app/name"},
		{"keyid filter", "/app", true, []types.ParameterStringFilter{f("KeyId", "Equals", "alias/aws/ssm")}, "/app/db/pw"},
		{"nothing", "/none", true, nil, ""},
	}
	for _, cs := range cases {
		t.Run(cs.name, func(t *testing.T) {
			out, err := c.GetParametersByPath(ctx, &ssm.GetParametersByPathInput{Path: aws.String(cs.path), Recursive: aws.Bool(cs.recursive), ParameterFilters: cs.filters})
			if err != nil {
				t.Fatal(err)
			}
			if got := names(out.Parameters); got != cs.want {
				t.Fatalf("got %q, want %q", got, cs.want)
			}
		})
	}

	out, _ := c.GetParametersByPath(ctx, &ssm.GetParametersByPathInput{Path: aws.String("/app/db"), WithDecryption: aws.Bool(true)})
	for _, p := range out.Parameters {
		if *p.Name == "/app/db/pw" && *p.Value != "p" {
			t.Fatalf("WithDecryption: value %q", *p.Value)
		}
	}

	errCases := []struct {
		name, code string
		in         ssm.GetParametersByPathInput
	}{
		{"bad path", "ValidationException", ssm.GetParametersByPathInput{Path: aws.String("app")}},
		{"reserved path", "ValidationException", ssm.GetParametersByPathInput{Path: aws.String("/aws/x")}},
		{"16 levels", "HierarchyLevelLimitExceededException", ssm.GetParametersByPathInput{Path: aws.String(strings.Repeat("/l", 16))}},
		{"name filter", "InvalidFilterKey", ssm.GetParametersByPathInput{Path: aws.String("/"), ParameterFilters: []types.ParameterStringFilter{f("Name", "Equals", "x")}}},
		{"bad option", "InvalidFilterOption", ssm.GetParametersByPathInput{Path: aws.String("/"), ParameterFilters: []types.ParameterStringFilter{f("Type", "Contains", "String")}}},
		{"bad type value", "InvalidFilterValue", ssm.GetParametersByPathInput{Path: aws.String("/"), ParameterFilters: []types.ParameterStringFilter{f("Type", "Equals", "Blob")}}},
		{"max results", "ValidationException", ssm.GetParametersByPathInput{Path: aws.String("/"), MaxResults: aws.Int32(11)}},
		{"bad token", "InvalidNextToken", ssm.GetParametersByPathInput{Path: aws.String("/"), NextToken: aws.String("garbage")}},
	}
	for _, cs := range errCases {
		t.Run(cs.name, func(t *testing.T) {
			_, err := c.GetParametersByPath(ctx, &cs.in)
			wantErr(t, err, cs.code, "")
		})
	}
}

func TestGetParametersByPathLabelAndPaging(t *testing.T) {
	c := newClient(t)
	for i := range 25 {
		put(t, c, fmt.Sprintf("/p/%02d", i), "v1", types.ParameterTypeString, false)
	}
	put(t, c, "/p/03", "v2", types.ParameterTypeString, true)
	if _, err := c.LabelParameterVersion(ctx, &ssm.LabelParameterVersionInput{Name: aws.String("/p/03"), ParameterVersion: aws.Int64(1), Labels: []string{"old"}}); err != nil {
		t.Fatal(err)
	}
	out, err := c.GetParametersByPath(ctx, &ssm.GetParametersByPathInput{Path: aws.String("/p"),
		ParameterFilters: []types.ParameterStringFilter{{Key: aws.String("Label"), Values: []string{"old"}}}})
	if err != nil || len(out.Parameters) != 1 || *out.Parameters[0].Value != "v1" || out.Parameters[0].Version != 1 {
		t.Fatalf("label filter: %+v %v", out, err)
	}

	var all []types.Parameter
	pages := 0
	p := ssm.NewGetParametersByPathPaginator(c, &ssm.GetParametersByPathInput{Path: aws.String("/p"), MaxResults: aws.Int32(10)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Parameters) > 10 {
			t.Fatalf("page of %d", len(page.Parameters))
		}
		pages++
		all = append(all, page.Parameters...)
	}
	if len(all) != 25 || pages != 3 {
		t.Fatalf("%d parameters in %d pages, want 25 in 3", len(all), pages)
	}
}

func TestDescribeParameters(t *testing.T) {
	c := newClient(t)
	seedTree(t, c)
	if _, err := c.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String("/adv"), Value: aws.String("x"), Type: types.ParameterTypeString,
		Tier: types.ParameterTierAdvanced, Description: aws.String("advanced one")}); err != nil {
		t.Fatal(err)
	}
	f := func(key, opt string, vals ...string) []types.ParameterStringFilter {
		return []types.ParameterStringFilter{{Key: aws.String(key), Option: aws.String(opt), Values: vals}}
	}
	cases := []struct {
		name    string
		in      ssm.DescribeParametersInput
		want    string
		errCode string
	}{
		{"all", ssm.DescribeParametersInput{}, "/adv /app/db/pw /app/db/url /app/list /app/name /other/x root", ""},
		{"name equals", ssm.DescribeParametersInput{ParameterFilters: f("Name", "Equals", "/app/name")}, "/app/name", ""},
		{"name begins", ssm.DescribeParametersInput{ParameterFilters: f("Name", "BeginsWith", "/app/db")}, "/app/db/pw /app/db/url", ""},
		{"name contains", ssm.DescribeParametersInput{ParameterFilters: f("Name", "Contains", "db")}, "/app/db/pw /app/db/url", ""},
		{"name without slash", ssm.DescribeParametersInput{ParameterFilters: f("Name", "Equals", "root")}, "root", ""},
		{"type", ssm.DescribeParametersInput{ParameterFilters: f("Type", "Equals", "StringList")}, "/app/list", ""},
		{"path one level", ssm.DescribeParametersInput{ParameterFilters: f("Path", "OneLevel", "/app")}, "/app/list /app/name", ""},
		{"path recursive", ssm.DescribeParametersInput{ParameterFilters: f("Path", "Recursive", "/app")}, "/app/db/pw /app/db/url /app/list /app/name", ""},
		{"tier", ssm.DescribeParametersInput{ParameterFilters: f("Tier", "Equals", "Advanced")}, "/adv", ""},
		{"data type", ssm.DescribeParametersInput{ParameterFilters: f("DataType", "Equals", "text")}, "/adv /app/db/pw /app/db/url /app/list /app/name /other/x root", ""},
		{"tag", ssm.DescribeParametersInput{ParameterFilters: f("tag:team", "BeginsWith", "bl")}, "/app/name", ""},
		{"legacy name", ssm.DescribeParametersInput{Filters: []types.ParametersFilter{{Key: types.ParametersFilterKeyName, Values: []string{"/other"}}}}, "/other/x", ""},
		{"legacy type", ssm.DescribeParametersInput{Filters: []types.ParametersFilter{{Key: types.ParametersFilterKeyType, Values: []string{"SecureString"}}}}, "/app/db/pw", ""},
		{"both kinds", ssm.DescribeParametersInput{Filters: []types.ParametersFilter{{Key: types.ParametersFilterKeyType, Values: []string{"String"}}},
			ParameterFilters: f("Name", "Equals", "x")}, "", "ValidationException"},
		{"label key", ssm.DescribeParametersInput{ParameterFilters: f("Label", "Equals", "x")}, "", "InvalidFilterKey"},
		{"path option on name", ssm.DescribeParametersInput{ParameterFilters: f("Name", "Recursive", "x")}, "", "InvalidFilterOption"},
		{"bad path", ssm.DescribeParametersInput{ParameterFilters: f("Path", "Recursive", "nope")}, "", "ValidationException"},
		{"max results", ssm.DescribeParametersInput{MaxResults: aws.Int32(51)}, "", "ValidationException"},
	}
	for _, cs := range cases {
		t.Run(cs.name, func(t *testing.T) {
			out, err := c.DescribeParameters(ctx, &cs.in)
			if cs.errCode != "" {
				wantErr(t, err, cs.errCode, "")
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := metaNames(out.Parameters); got != cs.want {
				t.Fatalf("got %q, want %q", got, cs.want)
			}
		})
	}
	out, _ := c.DescribeParameters(ctx, &ssm.DescribeParametersInput{ParameterFilters: f("Name", "Equals", "/adv")})
	m := out.Parameters[0]
	if *m.Description != "advanced one" || m.Tier != types.ParameterTierAdvanced || m.Version != 1 ||
		*m.LastModifiedUser != "arn:aws:iam::000000000000:root" || *m.ARN != "arn:aws:ssm:us-east-1:000000000000:parameter/adv" {
		t.Fatalf("metadata: %+v", m)
	}

	total := 0
	p := ssm.NewDescribeParametersPaginator(c, &ssm.DescribeParametersInput{MaxResults: aws.Int32(2)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		total += len(page.Parameters)
	}
	if total != 7 {
		t.Fatalf("paged %d parameters, want 7", total)
	}
}
