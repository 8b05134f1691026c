package policy

import "testing"

// The AWS managed policy ECS task execution roles usually carry.
const taskExecution = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ecr:GetAuthorizationToken","ecr:BatchCheckLayerAvailability","ecr:GetDownloadUrlForLayer","ecr:BatchGetImage","logs:CreateLogStream","logs:PutLogEvents"],"Resource":"*"}]}`

const secretsScoped = `{"Version":"2012-10-17","Statement":[
 {"Effect":"Allow","Action":["ssm:GetParameters","secretsmanager:GetSecretValue"],
  "Resource":["arn:aws:ssm:us-east-1:000000000000:parameter/app/*","arn:aws:secretsmanager:*:000000000000:secret:db-??????"]},
 {"Effect":"Deny","Action":"ssm:GetParameters","Resource":"arn:aws:ssm:us-east-1:000000000000:parameter/app/admin*"}]}`

const conditioned = `{"Version":"2012-10-17","Statement":[
 {"Effect":"Allow","Action":"ecr:BatchGetImage","Resource":"*","Condition":{"StringEquals":{"aws:RequestedRegion":["us-east-1","eu-west-1"]}}},
 {"Effect":"Allow","Action":"ecs:RunTask","Resource":"*","Condition":{"ArnLike":{"ecs:cluster":"arn:aws:ecs:*:000000000000:cluster/prod-*"}}},
 {"Effect":"Allow","Action":"ecs:TagResource","Resource":"*","Condition":{"ForAllValues:StringLike":{"aws:TagKeys":["env","team-*"]}}},
 {"Effect":"Allow","Action":"ecs:UntagResource","Resource":"*","Condition":{"ForAnyValue:StringEquals":{"aws:TagKeys":"temp"}}},
 {"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::home/${aws:username}/*"},
 {"Effect":"Allow","Action":"ssm:PutParameter","Resource":"*","Condition":{"StringNotEqualsIfExists":{"ssm:Tier":"Advanced"},"Bool":{"aws:SecureTransport":"true"}}},
 {"Effect":"Allow","Action":"logs:PutLogEvents","Resource":"*","Condition":{"NumericLessThanEquals":{"logs:batch":"100"},"IpAddress":{"aws:SourceIp":"172.31.0.0/16"}}},
 {"Effect":"Allow","Action":"ecs:DeleteCluster","Resource":"*","Condition":{"Null":{"aws:ResourceTag/keep":"true"}}},
 {"Effect":"Allow","Action":"ecs:StopTask","Resource":"*","Condition":{"StringNotLike":{"ecs:cluster":"*prod*"}}}]}`

func TestEvaluate(t *testing.T) {
	req := func(action, resource string, kv ...string) Request {
		ctx := Context{}
		for i := 0; i+1 < len(kv); i += 2 {
			ctx[kv[i]] = append(ctx[kv[i]], kv[i+1])
		}
		return Request{Caller: Caller{Type: PrincipalAWS, ID: "arn:aws:iam::000000000000:root"}, Action: action, Resource: resource, Context: ctx}
	}
	cases := []struct {
		name string
		docs []string
		req  Request
		want Decision
	}{
		{"managed policy allows pull", []string{taskExecution}, req("ecr:BatchGetImage", "arn:aws:ecr:us-east-1:000000000000:repository/app"), Allowed},
		{"actions ignore case", []string{taskExecution}, req("ECR:batchgetimage", "*"), Allowed},
		{"not listed is implicit deny", []string{taskExecution}, req("ssm:GetParameters", "*"), NotApplicable},
		{"no policies", nil, req("ssm:GetParameters", "*"), NotApplicable},
		{"resource wildcard", []string{secretsScoped}, req("ssm:GetParameters", "arn:aws:ssm:us-east-1:000000000000:parameter/app/db-url"), Allowed},
		{"resource outside the prefix", []string{secretsScoped}, req("ssm:GetParameters", "arn:aws:ssm:us-east-1:000000000000:parameter/other/x"), NotApplicable},
		{"resources compare with case", []string{secretsScoped}, req("ssm:GetParameters", "arn:aws:ssm:us-east-1:000000000000:parameter/App/x"), NotApplicable},
		{"explicit deny wins in the same policy", []string{secretsScoped}, req("ssm:GetParameters", "arn:aws:ssm:us-east-1:000000000000:parameter/app/admin-pw"), Denied},
		{"explicit deny wins across policies", []string{`{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`, `{"Statement":{"Effect":"Deny","Action":"ssm:*","Resource":"*"}}`}, req("ssm:GetParameters", "*"), Denied},
		{"question mark is one character", []string{secretsScoped}, req("secretsmanager:GetSecretValue", "arn:aws:secretsmanager:eu-west-1:000000000000:secret:db-AbC123"), Allowed},
		{"question mark is not two", []string{secretsScoped}, req("secretsmanager:GetSecretValue", "arn:aws:secretsmanager:eu-west-1:000000000000:secret:db-AbC1234"), NotApplicable},
		{"NotAction allows the rest", []string{`{"Statement":{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}}`}, req("s3:GetObject", "*"), Allowed},
		{"NotAction excludes", []string{`{"Statement":{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}}`}, req("iam:CreateRole", "*"), NotApplicable},
		{"NotResource", []string{`{"Statement":{"Effect":"Deny","Action":"s3:*","NotResource":"arn:aws:s3:::public/*"}}`}, req("s3:GetObject", "arn:aws:s3:::private/x"), Denied},
		{"StringEquals matches one of", []string{conditioned}, req("ecr:BatchGetImage", "*", "aws:RequestedRegion", "eu-west-1"), Allowed},
		{"StringEquals misses", []string{conditioned}, req("ecr:BatchGetImage", "*", "aws:RequestedRegion", "ap-south-1"), NotApplicable},
		{"condition key names ignore case", []string{conditioned}, req("ecr:BatchGetImage", "*", "AWS:requestedregion", "us-east-1"), Allowed},
		{"absent key fails a positive operator", []string{conditioned}, req("ecr:BatchGetImage", "*"), NotApplicable},
		{"ArnLike per component", []string{conditioned}, req("ecs:RunTask", "*", "ecs:cluster", "arn:aws:ecs:us-east-1:000000000000:cluster/prod-web"), Allowed},
		{"ArnLike other account", []string{conditioned}, req("ecs:RunTask", "*", "ecs:cluster", "arn:aws:ecs:us-east-1:111111111111:cluster/prod-web"), NotApplicable},
		{"ForAllValues all match", []string{conditioned}, req("ecs:TagResource", "*", "aws:TagKeys", "env", "aws:TagKeys", "team-a"), Allowed},
		{"ForAllValues one misses", []string{conditioned}, req("ecs:TagResource", "*", "aws:TagKeys", "env", "aws:TagKeys", "owner"), NotApplicable},
		{"ForAllValues absent key holds", []string{conditioned}, req("ecs:TagResource", "*"), Allowed},
		{"ForAnyValue one matches", []string{conditioned}, req("ecs:UntagResource", "*", "aws:TagKeys", "x", "aws:TagKeys", "temp"), Allowed},
		{"ForAnyValue absent key fails", []string{conditioned}, req("ecs:UntagResource", "*"), NotApplicable},
		{"policy variable", []string{conditioned}, req("s3:GetObject", "arn:aws:s3:::home/alice/notes", "aws:username", "alice"), Allowed},
		{"policy variable other user", []string{conditioned}, req("s3:GetObject", "arn:aws:s3:::home/bob/notes", "aws:username", "alice"), NotApplicable},
		{"policy variable missing", []string{conditioned}, req("s3:GetObject", "arn:aws:s3:::home//notes"), NotApplicable},
		{"policy variable value is literal", []string{conditioned}, req("s3:GetObject", "arn:aws:s3:::home/bob/notes", "aws:username", "*"), NotApplicable},
		{"IfExists absent key holds", []string{conditioned}, req("ssm:PutParameter", "*", "aws:SecureTransport", "true"), Allowed},
		{"negated IfExists present and equal", []string{conditioned}, req("ssm:PutParameter", "*", "aws:SecureTransport", "true", "ssm:Tier", "Advanced"), NotApplicable},
		{"Bool ignores case", []string{conditioned}, req("ssm:PutParameter", "*", "aws:SecureTransport", "TRUE", "ssm:Tier", "Standard"), Allowed},
		{"numeric and IP hold", []string{conditioned}, req("logs:PutLogEvents", "*", "logs:batch", "99", "aws:SourceIp", "172.31.4.5"), Allowed},
		{"numeric too large", []string{conditioned}, req("logs:PutLogEvents", "*", "logs:batch", "101", "aws:SourceIp", "172.31.4.5"), NotApplicable},
		{"IP outside", []string{conditioned}, req("logs:PutLogEvents", "*", "logs:batch", "1", "aws:SourceIp", "10.0.0.1"), NotApplicable},
		{"Null true: key absent", []string{conditioned}, req("ecs:DeleteCluster", "*"), Allowed},
		{"Null true: key present", []string{conditioned}, req("ecs:DeleteCluster", "*", "aws:ResourceTag/keep", "yes"), NotApplicable},
		{"negated operator, absent key", []string{conditioned}, req("ecs:StopTask", "*"), Allowed},
		{"negated operator, matching value", []string{conditioned}, req("ecs:StopTask", "*", "ecs:cluster", "my-prod-1"), NotApplicable},
		{"date condition", []string{`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"DateLessThan":{"aws:CurrentTime":"2030-01-01T00:00:00Z"}}}}`}, req("s3:GetObject", "*", "aws:CurrentTime", "2026-11-23T04:00:00Z"), Allowed},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var docs []*Document
			for _, d := range c.docs {
				docs = append(docs, MustParse(d, Identity))
			}
			if got := Evaluate(c.req, docs...); got != c.want {
				t.Fatalf("Evaluate = %v, want %v", got, c.want)
			}
		})
	}
}

func TestEvaluateTrust(t *testing.T) {
	caller := func(typ, id string) Request {
		return Request{Caller: Caller{Type: typ, ID: id}, Action: "sts:AssumeRole"}
	}
	const account = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:root"},"Action":"sts:AssumeRole"}]}`
	const role = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:role/ci"},"Action":"sts:AssumeRole"}]}`
	const notPrincipal = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole"},{"Effect":"Deny","NotPrincipal":{"AWS":"111111111111"},"Action":"sts:AssumeRole"}]}`
	cases := []struct {
		name, doc string
		req       Request
		want      Decision
	}{
		{"service allowed", trustECS, caller(PrincipalService, "ecs-tasks.amazonaws.com"), Allowed},
		{"other service", trustECS, caller(PrincipalService, "lambda.amazonaws.com"), NotApplicable},
		{"account root not trusted by a service policy", trustECS, caller(PrincipalAWS, "arn:aws:iam::000000000000:root"), NotApplicable},
		{"account trusts its root", account, caller(PrincipalAWS, "arn:aws:iam::000000000000:root"), Allowed},
		{"account trusts its roles", account, caller(PrincipalAWS, "arn:aws:iam::000000000000:role/x"), Allowed},
		{"other account", account, caller(PrincipalAWS, "arn:aws:iam::111111111111:root"), NotApplicable},
		{"role ARN", role, caller(PrincipalAWS, "arn:aws:iam::000000000000:role/ci"), Allowed},
		{"role's session", role, caller(PrincipalAWS, "arn:aws:sts::000000000000:assumed-role/ci/build-1"), Allowed},
		{"other role", role, caller(PrincipalAWS, "arn:aws:iam::000000000000:role/cd"), NotApplicable},
		{"wrong action", account, Request{Caller: Caller{Type: PrincipalAWS, ID: "arn:aws:iam::000000000000:root"}, Action: "sts:AssumeRoleWithSAML"}, NotApplicable},
		{"NotPrincipal deny hits others", notPrincipal, caller(PrincipalAWS, "arn:aws:iam::000000000000:root"), Denied},
		{"NotPrincipal spares the named account", notPrincipal, caller(PrincipalAWS, "arn:aws:iam::111111111111:role/x"), Allowed},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := MustParse(c.doc, Trust).Evaluate(c.req); got != c.want {
				t.Fatalf("Evaluate = %v, want %v", got, c.want)
			}
		})
	}
}

func TestGlob(t *testing.T) {
	cases := []struct {
		pattern, s string
		want       bool
	}{
		{"*", "", true},
		{"*", "anything", true},
		{"a*c", "abbbc", true},
		{"a*c", "abbbd", false},
		{"a?c", "abc", true},
		{"a?c", "ac", false},
		{"a?c", "aéc", true},
		{"*a*b*", "xxaxxbxx", true},
		{"*a*b*", "xxbxxaxx", false},
		{"arn:aws:s3:::b/*", "arn:aws:s3:::b/", true},
		{"", "", true},
		{"", "a", false},
		{"**?", "a", true},
	}
	for _, c := range cases {
		if got := Glob(c.pattern, c.s); got != c.want {
			t.Errorf("Glob(%q, %q) = %v, want %v", c.pattern, c.s, got, c.want)
		}
	}
}

func TestExactCaller(t *testing.T) {
	const account = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"000000000000"},"Action":"sts:AssumeRole"}]}`
	d := MustParse(account, Trust)
	role := Caller{Type: PrincipalAWS, ID: "arn:aws:iam::000000000000:role/x"}
	if d.Evaluate(Request{Caller: role, Action: "sts:AssumeRole"}) != Allowed {
		t.Fatal("the account names its roles")
	}
	role.Exact = true
	if d.Evaluate(Request{Caller: role, Action: "sts:AssumeRole"}) != NotApplicable {
		t.Fatal("the account does not name its roles explicitly")
	}
}
