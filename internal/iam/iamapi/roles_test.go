package iamapi_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

func TestCreateGetRole(t *testing.T) {
	c := newClient(t)
	out, err := c.CreateRole(ctx, &iam.CreateRoleInput{
		RoleName: aws.String("ecsTaskExecutionRole"), Path: aws.String("/ecs/"), AssumeRolePolicyDocument: aws.String(trustECS),
		Description: aws.String("runs tasks"), MaxSessionDuration: aws.Int32(7200),
		Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("core")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	r := out.Role
	if !regexp.MustCompile(`^AROA[A-Z2-7]{17}$`).MatchString(aws.ToString(r.RoleId)) {
		t.Errorf("RoleId = %s", aws.ToString(r.RoleId))
	}
	if aws.ToString(r.Arn) != "arn:aws:iam::000000000000:role/ecs/ecsTaskExecutionRole" || aws.ToString(r.Path) != "/ecs/" {
		t.Errorf("Arn = %s, Path = %s", aws.ToString(r.Arn), aws.ToString(r.Path))
	}
	if r.CreateDate == nil || time.Since(*r.CreateDate) > time.Minute {
		t.Errorf("CreateDate = %v", r.CreateDate)
	}
	if got := decode(t, r.AssumeRolePolicyDocument); got != trustECS {
		t.Errorf("AssumeRolePolicyDocument = %s", got)
	}

	// Role names ignore case.
	got, err := c.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("ECSTASKEXECUTIONROLE")})
	if err != nil {
		t.Fatal(err)
	}
	g := got.Role
	if aws.ToString(g.RoleId) != aws.ToString(r.RoleId) || aws.ToString(g.Description) != "runs tasks" || aws.ToInt32(g.MaxSessionDuration) != 7200 {
		t.Errorf("GetRole = %+v", g)
	}
	if len(g.Tags) != 1 || aws.ToString(g.Tags[0].Key) != "team" || g.RoleLastUsed == nil {
		t.Errorf("Tags = %+v, RoleLastUsed = %+v", g.Tags, g.RoleLastUsed)
	}
	if decode(t, g.AssumeRolePolicyDocument) != trustECS {
		t.Errorf("GetRole document differs")
	}
}

func TestCreateRoleErrors(t *testing.T) {
	c := newClient(t)
	createRole(t, c, "app")
	cases := []struct {
		name          string
		in            *iam.CreateRoleInput
		code, message string
	}{
		{"duplicate", &iam.CreateRoleInput{RoleName: aws.String("APP"), AssumeRolePolicyDocument: aws.String(trustECS)},
			"EntityAlreadyExists", "Role with name APP already exists."},
		{"bad JSON", &iam.CreateRoleInput{RoleName: aws.String("r1"), AssumeRolePolicyDocument: aws.String(`{"Version":`)},
			"MalformedPolicyDocument", "Syntax errors in policy."},
		{"no principal", &iam.CreateRoleInput{RoleName: aws.String("r2"), AssumeRolePolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole"}]}`)},
			"MalformedPolicyDocument", "Missing required field Principal"},
		{"unknown effect", &iam.CreateRoleInput{RoleName: aws.String("r3"), AssumeRolePolicyDocument: aws.String(strings.Replace(trustECS, `"Allow"`, `"Permit"`, 1))},
			"MalformedPolicyDocument", "Invalid effect: Permit"},
		{"missing action", &iam.CreateRoleInput{RoleName: aws.String("r4"), AssumeRolePolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"}}]}`)},
			"MalformedPolicyDocument", "Policy statement must contain actions."},
		{"bad name", &iam.CreateRoleInput{RoleName: aws.String("bad name"), AssumeRolePolicyDocument: aws.String(trustECS)},
			"ValidationError", `1 validation error detected: Value 'bad name' at 'RoleName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]+`},
		{"bad path", &iam.CreateRoleInput{RoleName: aws.String("r5"), Path: aws.String("ecs"), AssumeRolePolicyDocument: aws.String(trustECS)},
			"ValidationError", "The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters."},
		{"session too short", &iam.CreateRoleInput{RoleName: aws.String("r6"), MaxSessionDuration: aws.Int32(60), AssumeRolePolicyDocument: aws.String(trustECS)},
			"ValidationError", ""},
		{"duplicate tags", &iam.CreateRoleInput{RoleName: aws.String("r7"), AssumeRolePolicyDocument: aws.String(trustECS),
			Tags: []types.Tag{{Key: aws.String("a"), Value: aws.String("1")}, {Key: aws.String("A"), Value: aws.String("2")}}},
			"InvalidInput", "Duplicate tag keys found. Please note that Tag keys are case insensitive."},
		{"trust policy too large", &iam.CreateRoleInput{RoleName: aws.String("r8"), AssumeRolePolicyDocument: aws.String(bigTrust())},
			"LimitExceeded", "Cannot exceed quota for ACLSizePerRole: 2048"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.CreateRole(ctx, tc.in)
			wantErr(t, err, tc.code, tc.message)
		})
	}
}

func bigTrust() string {
	var services []string
	for i := 0; i < 120; i++ {
		services = append(services, `"svc`+strings.Repeat("x", 10)+`.amazonaws.com"`)
	}
	return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":[` + strings.Join(services, ",") + `]},"Action":"sts:AssumeRole"}]}`
}

func TestGetRoleNotFound(t *testing.T) {
	c := newClient(t)
	_, err := c.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("nope")})
	wantErr(t, err, "NoSuchEntity", "The role with name nope cannot be found.")
}

func TestListRolesPaging(t *testing.T) {
	c := newClient(t)
	for _, n := range []string{"c-role", "a-role", "b-role"} {
		createRole(t, c, n)
	}
	if _, err := c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("svc"), Path: aws.String("/service/"), AssumeRolePolicyDocument: aws.String(trustECS)}); err != nil {
		t.Fatal(err)
	}
	var names []string
	p := iam.NewListRolesPaginator(c, &iam.ListRolesInput{MaxItems: aws.Int32(2)})
	pages := 0
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, r := range out.Roles {
			names = append(names, aws.ToString(r.RoleName))
			if len(r.Tags) > 0 || r.RoleLastUsed != nil {
				t.Errorf("ListRoles shows tags or last use of %s", aws.ToString(r.RoleName))
			}
		}
	}
	if strings.Join(names, ",") != "a-role,b-role,c-role,svc" || pages != 2 {
		t.Fatalf("roles = %v in %d pages", names, pages)
	}
	out, err := c.ListRoles(ctx, &iam.ListRolesInput{PathPrefix: aws.String("/service/")})
	if err != nil || len(out.Roles) != 1 || aws.ToString(out.Roles[0].RoleName) != "svc" || out.IsTruncated {
		t.Fatalf("PathPrefix: %v %+v", err, out)
	}
}

func TestUpdateRole(t *testing.T) {
	c := newClient(t)
	createRole(t, c, "app")
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:root"},"Action":"sts:AssumeRole"}]}`
	if _, err := c.UpdateAssumeRolePolicy(ctx, &iam.UpdateAssumeRolePolicyInput{RoleName: aws.String("app"), PolicyDocument: aws.String(trust)}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.UpdateRole(ctx, &iam.UpdateRoleInput{RoleName: aws.String("app"), Description: aws.String("d"), MaxSessionDuration: aws.Int32(43200)}); err != nil {
		t.Fatal(err)
	}
	got, err := c.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("app")})
	if err != nil {
		t.Fatal(err)
	}
	if decode(t, got.Role.AssumeRolePolicyDocument) != trust || aws.ToString(got.Role.Description) != "d" || aws.ToInt32(got.Role.MaxSessionDuration) != 43200 {
		t.Fatalf("role = %+v", got.Role)
	}
	_, err = c.UpdateAssumeRolePolicy(ctx, &iam.UpdateAssumeRolePolicyInput{RoleName: aws.String("app"), PolicyDocument: aws.String(allowSSM)})
	wantErr(t, err, "MalformedPolicyDocument", "Missing required field Principal")
	_, err = c.UpdateAssumeRolePolicy(ctx, &iam.UpdateAssumeRolePolicyInput{RoleName: aws.String("other"), PolicyDocument: aws.String(trust)})
	wantErr(t, err, "NoSuchEntity", "The role with name other cannot be found.")
}

func TestRoleTags(t *testing.T) {
	c := newClient(t)
	createRole(t, c, "app")
	tag := func(k, v string) types.Tag { return types.Tag{Key: aws.String(k), Value: aws.String(v)} }
	if _, err := c.TagRole(ctx, &iam.TagRoleInput{RoleName: aws.String("app"), Tags: []types.Tag{tag("env", "dev"), tag("team", "a")}}); err != nil {
		t.Fatal(err)
	}
	// Keys ignore case: ENV replaces env.
	if _, err := c.TagRole(ctx, &iam.TagRoleInput{RoleName: aws.String("app"), Tags: []types.Tag{tag("ENV", "prod")}}); err != nil {
		t.Fatal(err)
	}
	out, err := c.ListRoleTags(ctx, &iam.ListRoleTagsInput{RoleName: aws.String("app")})
	if err != nil || len(out.Tags) != 2 || aws.ToString(out.Tags[0].Key) != "ENV" || aws.ToString(out.Tags[0].Value) != "prod" {
		t.Fatalf("tags = %+v, %v", out, err)
	}
	if _, err := c.UntagRole(ctx, &iam.UntagRoleInput{RoleName: aws.String("app"), TagKeys: []string{"env", "missing"}}); err != nil {
		t.Fatal(err)
	}
	out, err = c.ListRoleTags(ctx, &iam.ListRoleTagsInput{RoleName: aws.String("app")})
	if err != nil || len(out.Tags) != 1 || aws.ToString(out.Tags[0].Key) != "team" {
		t.Fatalf("tags = %+v, %v", out, err)
	}
	_, err = c.TagRole(ctx, &iam.TagRoleInput{RoleName: aws.String("nope"), Tags: []types.Tag{tag("a", "b")}})
	wantErr(t, err, "NoSuchEntity", "")
}

func TestDeleteRole(t *testing.T) {
	c := newClient(t)
	createRole(t, c, "app")
	if _, err := c.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("app"), PolicyArn: aws.String(taskExecutionARN)}); err != nil {
		t.Fatal(err)
	}
	_, err := c.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String("app")})
	wantErr(t, err, "DeleteConflict", "Cannot delete entity, must detach all policies first.")
	if _, err := c.DetachRolePolicy(ctx, &iam.DetachRolePolicyInput{RoleName: aws.String("app"), PolicyArn: aws.String(taskExecutionARN)}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("app"), PolicyName: aws.String("ssm"), PolicyDocument: aws.String(allowSSM)}); err != nil {
		t.Fatal(err)
	}
	_, err = c.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String("app")})
	wantErr(t, err, "DeleteConflict", "Cannot delete entity, must delete policies first.")
	if _, err := c.DeleteRolePolicy(ctx, &iam.DeleteRolePolicyInput{RoleName: aws.String("app"), PolicyName: aws.String("ssm")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String("app")}); err != nil {
		t.Fatal(err)
	}
	_, err = c.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String("app")})
	wantErr(t, err, "NoSuchEntity", "The role with name app cannot be found.")
	// The name is free again.
	createRole(t, c, "app")
}
