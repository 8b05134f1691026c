package iamapi_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

func TestInlinePolicies(t *testing.T) {
	c := newClient(t)
	createRole(t, c, "app")
	put := func(name, doc string) error {
		_, err := c.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("app"), PolicyName: aws.String(name), PolicyDocument: aws.String(doc)})
		return err
	}
	if err := put("ssm", allowSSM); err != nil {
		t.Fatal(err)
	}
	if err := put("logs", strings.ReplaceAll(allowSSM, "ssm:GetParameters", "logs:*")); err != nil {
		t.Fatal(err)
	}
	got, err := c.GetRolePolicy(ctx, &iam.GetRolePolicyInput{RoleName: aws.String("app"), PolicyName: aws.String("ssm")})
	if err != nil || decode(t, got.PolicyDocument) != allowSSM || aws.ToString(got.RoleName) != "app" {
		t.Fatalf("GetRolePolicy = %+v, %v", got, err)
	}
	list, err := c.ListRolePolicies(ctx, &iam.ListRolePoliciesInput{RoleName: aws.String("app")})
	if err != nil || strings.Join(list.PolicyNames, ",") != "logs,ssm" {
		t.Fatalf("ListRolePolicies = %+v, %v", list, err)
	}
	wantErr(t, put("bad", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}]}`),
		"MalformedPolicyDocument", "Policy document should not specify a principal.")
	wantErr(t, put("bad", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3","Resource":"*"}]}`),
		"MalformedPolicyDocument", "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.")
	big := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":["arn:aws:s3:::` + strings.Repeat("b", 10300) + `"]}]}`
	wantErr(t, put("big", big), "LimitExceeded", "Maximum policy size of 10240 bytes exceeded for role app")

	_, err = c.GetRolePolicy(ctx, &iam.GetRolePolicyInput{RoleName: aws.String("app"), PolicyName: aws.String("nope")})
	wantErr(t, err, "NoSuchEntity", "The role policy with name nope cannot be found.")
	if _, err := c.DeleteRolePolicy(ctx, &iam.DeleteRolePolicyInput{RoleName: aws.String("app"), PolicyName: aws.String("ssm")}); err != nil {
		t.Fatal(err)
	}
	_, err = c.DeleteRolePolicy(ctx, &iam.DeleteRolePolicyInput{RoleName: aws.String("app"), PolicyName: aws.String("ssm")})
	wantErr(t, err, "NoSuchEntity", "The role policy with name ssm cannot be found.")
	_, err = c.ListRolePolicies(ctx, &iam.ListRolePoliciesInput{RoleName: aws.String("nope")})
	wantErr(t, err, "NoSuchEntity", "The role with name nope cannot be found.")
}
