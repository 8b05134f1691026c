package iamapi_test

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

func TestAWSManagedPolicies(t *testing.T) {
	c := newClient(t)
	out, err := c.ListPolicies(ctx, &iam.ListPoliciesInput{Scope: types.PolicyScopeTypeAws})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range out.Policies {
		names = append(names, aws.ToString(p.PolicyName))
	}
	for _, want := range []string{"AmazonECSTaskExecutionRolePolicy", "AmazonEC2ContainerRegistryReadOnly", "AmazonSSMReadOnlyAccess", "SecretsManagerReadWrite", "CloudWatchLogsFullAccess"} {
		if !slices.Contains(names, want) {
			t.Errorf("AWS managed policies %v lack %s", names, want)
		}
	}
	p, err := c.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(taskExecutionARN)})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(p.Policy.Path) != "/service-role/" || aws.ToString(p.Policy.DefaultVersionId) != "v1" ||
		!regexp.MustCompile(`^ANPA[A-Z2-7]{17}$`).MatchString(aws.ToString(p.Policy.PolicyId)) || !p.Policy.IsAttachable {
		t.Errorf("policy = %+v", p.Policy)
	}
	v, err := c.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: aws.String(taskExecutionARN), VersionId: aws.String("v1")})
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Statement []struct{ Action []string }
	}
	if err := json.Unmarshal([]byte(decode(t, v.PolicyVersion.Document)), &doc); err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(doc.Statement[0].Action, "ecr:BatchGetImage") || !v.PolicyVersion.IsDefaultVersion {
		t.Errorf("document = %+v", doc)
	}
	_, err = c.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String("arn:aws:iam::aws:policy/NoSuchPolicy")})
	wantErr(t, err, "NoSuchEntity", "Policy arn:aws:iam::aws:policy/NoSuchPolicy was not found.")
	_, err = c.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String("arn:aws:iam::000000000000:policy/")})
	wantErr(t, err, "InvalidInput", "ARN arn:aws:iam::000000000000:policy/ is not valid.")
}

func TestCustomerManagedPolicy(t *testing.T) {
	c := newClient(t)
	out, err := c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("read-params"), Path: aws.String("/app/"),
		PolicyDocument: aws.String(allowSSM), Description: aws.String("params")})
	if err != nil {
		t.Fatal(err)
	}
	arn := aws.ToString(out.Policy.Arn)
	if arn != "arn:aws:iam::000000000000:policy/app/read-params" || aws.ToString(out.Policy.DefaultVersionId) != "v1" || aws.ToInt32(out.Policy.AttachmentCount) != 0 {
		t.Fatalf("policy = %+v", out.Policy)
	}
	_, err = c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("READ-PARAMS"), PolicyDocument: aws.String(allowSSM)})
	wantErr(t, err, "EntityAlreadyExists", "A policy called READ-PARAMS already exists. Duplicate names are not allowed.")
	_, err = c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("p2"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}]}`)})
	wantErr(t, err, "MalformedPolicyDocument", "Policy document should not specify a principal.")
	_, err = c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("p3"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*"}]}`)})
	wantErr(t, err, "MalformedPolicyDocument", "Policy statement must contain resources.")

	// Versions: up to five, v2..v5 here, then LimitExceeded.
	for i := 2; i <= 5; i++ {
		v, err := c.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: aws.String(arn), PolicyDocument: aws.String(allowSSM), SetAsDefault: i == 3})
		if err != nil {
			t.Fatal(err)
		}
		if aws.ToString(v.PolicyVersion.VersionId) != fmt.Sprintf("v%d", i) || v.PolicyVersion.IsDefaultVersion != (i == 3) {
			t.Fatalf("version = %+v", v.PolicyVersion)
		}
	}
	_, err = c.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: aws.String(arn), PolicyDocument: aws.String(allowSSM)})
	wantErr(t, err, "LimitExceeded", "A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.")
	vs, err := c.ListPolicyVersions(ctx, &iam.ListPolicyVersionsInput{PolicyArn: aws.String(arn)})
	if err != nil || len(vs.Versions) != 5 || aws.ToString(vs.Versions[0].VersionId) != "v5" || !vs.Versions[2].IsDefaultVersion {
		t.Fatalf("versions = %+v, %v", vs, err)
	}
	_, err = c.DeletePolicyVersion(ctx, &iam.DeletePolicyVersionInput{PolicyArn: aws.String(arn), VersionId: aws.String("v3")})
	wantErr(t, err, "DeleteConflict", "Cannot delete the default version of a policy.")
	_, err = c.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: aws.String(arn), VersionId: aws.String("v9")})
	wantErr(t, err, "NoSuchEntity", "")
	if _, err := c.SetDefaultPolicyVersion(ctx, &iam.SetDefaultPolicyVersionInput{PolicyArn: aws.String(arn), VersionId: aws.String("v5")}); err != nil {
		t.Fatal(err)
	}
	got, err := c.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(arn)})
	if err != nil || aws.ToString(got.Policy.DefaultVersionId) != "v5" || aws.ToString(got.Policy.Description) != "params" {
		t.Fatalf("policy = %+v, %v", got, err)
	}

	// Deleting needs it detached and its other versions gone.
	createRole(t, c, "app")
	if _, err := c.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("app"), PolicyArn: aws.String(arn)}); err != nil {
		t.Fatal(err)
	}
	got, _ = c.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(arn)})
	if aws.ToInt32(got.Policy.AttachmentCount) != 1 {
		t.Errorf("AttachmentCount = %d", aws.ToInt32(got.Policy.AttachmentCount))
	}
	_, err = c.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: aws.String(arn)})
	wantErr(t, err, "DeleteConflict", "Cannot delete a policy attached to entities.")
	if _, err := c.DetachRolePolicy(ctx, &iam.DetachRolePolicyInput{RoleName: aws.String("app"), PolicyArn: aws.String(arn)}); err != nil {
		t.Fatal(err)
	}
	_, err = c.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: aws.String(arn)})
	wantErrContains(t, err, "DeleteConflict", "more than one version")
	for _, v := range []string{"v1", "v2", "v3", "v4"} {
		if _, err := c.DeletePolicyVersion(ctx, &iam.DeletePolicyVersionInput{PolicyArn: aws.String(arn), VersionId: aws.String(v)}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: aws.String(arn)}); err != nil {
		t.Fatal(err)
	}
	_, err = c.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(arn)})
	wantErr(t, err, "NoSuchEntity", "Policy "+arn+" was not found.")
}

func TestListPoliciesScopes(t *testing.T) {
	c := newClient(t)
	for _, n := range []string{"local-a", "local-b"} {
		if _, err := c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String(n), PolicyDocument: aws.String(allowSSM)}); err != nil {
			t.Fatal(err)
		}
	}
	createRole(t, c, "app")
	if _, err := c.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("app"), PolicyArn: aws.String(taskExecutionARN)}); err != nil {
		t.Fatal(err)
	}
	list := func(in *iam.ListPoliciesInput) []string {
		t.Helper()
		var names []string
		p := iam.NewListPoliciesPaginator(c, in)
		for p.HasMorePages() {
			out, err := p.NextPage(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range out.Policies {
				names = append(names, aws.ToString(p.PolicyName))
			}
		}
		return names
	}
	if got := list(&iam.ListPoliciesInput{Scope: types.PolicyScopeTypeLocal}); !slices.Equal(got, []string{"local-a", "local-b"}) {
		t.Errorf("Local = %v", got)
	}
	if got := list(&iam.ListPoliciesInput{OnlyAttached: true}); !slices.Equal(got, []string{"AmazonECSTaskExecutionRolePolicy"}) {
		t.Errorf("OnlyAttached = %v", got)
	}
	if got := list(&iam.ListPoliciesInput{PathPrefix: aws.String("/service-role/")}); !slices.Equal(got, []string{"AmazonECSTaskExecutionRolePolicy"}) {
		t.Errorf("PathPrefix = %v", got)
	}
	all := list(&iam.ListPoliciesInput{MaxItems: aws.Int32(2)})
	if len(all) != 7 || all[len(all)-1] != "local-b" {
		t.Errorf("All = %v", all)
	}
}

func TestAttachRolePolicy(t *testing.T) {
	c := newClient(t)
	createRole(t, c, "app")
	attach := func(arn string) error {
		_, err := c.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("app"), PolicyArn: aws.String(arn)})
		return err
	}
	if err := attach(taskExecutionARN); err != nil {
		t.Fatal(err)
	}
	if err := attach(taskExecutionARN); err != nil { // again: no change
		t.Fatal(err)
	}
	wantErr(t, attach("arn:aws:iam::aws:policy/Nope"), "NoSuchEntity", "Policy arn:aws:iam::aws:policy/Nope does not exist or is not attachable.")
	wantErr(t, attach("not-an-arn"), "ValidationError", "")
	_, err := c.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("nope"), PolicyArn: aws.String(taskExecutionARN)})
	wantErr(t, err, "NoSuchEntity", "The role with name nope cannot be found.")

	out, err := c.ListAttachedRolePolicies(ctx, &iam.ListAttachedRolePoliciesInput{RoleName: aws.String("app")})
	if err != nil || len(out.AttachedPolicies) != 1 || aws.ToString(out.AttachedPolicies[0].PolicyName) != "AmazonECSTaskExecutionRolePolicy" {
		t.Fatalf("attached = %+v, %v", out, err)
	}
	_, err = c.DetachRolePolicy(ctx, &iam.DetachRolePolicyInput{RoleName: aws.String("app"), PolicyArn: aws.String("arn:aws:iam::aws:policy/AmazonSSMReadOnlyAccess")})
	wantErr(t, err, "NoSuchEntity", "Policy arn:aws:iam::aws:policy/AmazonSSMReadOnlyAccess was not found.")

	// Ten managed policies per role.
	for i := 0; i < 9; i++ {
		p, err := c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String(fmt.Sprintf("p%d", i)), PolicyDocument: aws.String(allowSSM)})
		if err != nil {
			t.Fatal(err)
		}
		if err := attach(aws.ToString(p.Policy.Arn)); err != nil {
			t.Fatal(err)
		}
	}
	p, _ := c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("p10"), PolicyDocument: aws.String(allowSSM)})
	wantErr(t, attach(aws.ToString(p.Policy.Arn)), "LimitExceeded", "Cannot exceed quota for PoliciesPerRole: 10")
}
