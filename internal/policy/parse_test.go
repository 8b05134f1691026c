package policy

import (
	"errors"
	"testing"
)

const trustECS = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}`

func TestParseValid(t *testing.T) {
	cases := []struct {
		name, doc string
		kind      Kind
	}{
		{"identity, statement as object", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}`, Identity},
		{"identity, lists", `{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Deny","NotAction":["s3:*","ec2:Describe*"],"NotResource":["arn:aws:s3:::b/*"]}]}`, Identity},
		{"no version", `{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`, Identity},
		{"old version", `{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`, Identity},
		{"conditions of every value type", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ssm:GetParameters","Resource":"*",
			"Condition":{"StringEquals":{"aws:RequestedRegion":["us-east-1","eu-west-1"]},"Bool":{"aws:SecureTransport":true},"NumericLessThan":{"s3:max-keys":10},"ForAnyValue:StringLikeIfExists":{"aws:TagKeys":"env*"}}}]}`, Identity},
		{"trust, service", trustECS, Trust},
		{"trust, account root and id", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::000000000000:root","123456789012"]},"Action":["sts:AssumeRole","sts:TagSession"]}]}`, Trust},
		{"trust, anyone", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"sts:*"}]}`, Trust},
		{"resource policy", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"ecr:BatchGetImage","Resource":"arn:aws:ecr:us-east-1:000000000000:repository/app"}]}`, ResourceBased},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, err := Parse(c.doc, c.kind); err != nil {
				t.Fatalf("Parse: %v", err)
			}
		})
	}
}

func TestParseMalformed(t *testing.T) {
	stmt := func(s string) string { return `{"Version":"2012-10-17","Statement":[` + s + `]}` }
	cases := []struct {
		name, doc string
		kind      Kind
		msg       string
	}{
		{"not JSON", `{"Version":`, Identity, "Syntax errors in policy."},
		{"not an object", `["a"]`, Identity, "Syntax errors in policy."},
		{"trailing data", `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}} x`, Identity, "Syntax errors in policy."},
		{"unknown top-level element", `{"Version":"2012-10-17","Foo":1,"Statement":[]}`, Identity, "Syntax errors in policy."},
		{"bad version", `{"Version":"2012-10-18","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`, Identity, "The policy failed legacy parsing"},
		{"no statement", `{"Version":"2012-10-17"}`, Identity, "Missing required field Statement"},
		{"empty statement list", `{"Version":"2012-10-17","Statement":[]}`, Identity, "Syntax errors in policy."},
		{"statement not an object", stmt(`"x"`), Identity, "Syntax errors in policy."},
		{"unknown statement element", stmt(`{"Effect":"Allow","Action":"*","Resource":"*","Actions":"x"}`), Identity, "Syntax errors in policy."},
		{"missing effect", stmt(`{"Action":"s3:*","Resource":"*"}`), Identity, "Missing required field Effect"},
		{"unknown effect", stmt(`{"Effect":"allow","Action":"s3:*","Resource":"*"}`), Identity, "Invalid effect: allow"},
		{"missing action", stmt(`{"Effect":"Allow","Resource":"*"}`), Identity, "Policy statement must contain actions."},
		{"empty action list", stmt(`{"Effect":"Allow","Action":[],"Resource":"*"}`), Identity, "Policy statement must contain actions."},
		{"action without vendor", stmt(`{"Effect":"Allow","Action":"GetObject","Resource":"*"}`), Identity, "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."},
		{"action with two colons", stmt(`{"Effect":"Allow","Action":"s3:Get:Object","Resource":"*"}`), Identity, "Actions/Condition can contain only one colon."},
		{"action not a string", stmt(`{"Effect":"Allow","Action":[1],"Resource":"*"}`), Identity, "Syntax errors in policy."},
		{"missing resource", stmt(`{"Effect":"Allow","Action":"s3:*"}`), Identity, "Policy statement must contain resources."},
		{"resource not an ARN", stmt(`{"Effect":"Allow","Action":"s3:*","Resource":"bucket"}`), Identity, `Resource bucket must be in ARN format or "*".`},
		{"resource in another partition", stmt(`{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws-cn:s3:::b"}`), Identity, `Partition "aws-cn" is not valid for resource "arn:aws-cn:s3:::b".`},
		{"both Action and NotAction", stmt(`{"Effect":"Allow","Action":"s3:*","NotAction":"ec2:*","Resource":"*"}`), Identity, "Syntax errors in policy."},
		{"principal in identity policy", stmt(`{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}`), Identity, "Policy document should not specify a principal."},
		{"no principal in trust policy", stmt(`{"Effect":"Allow","Action":"sts:AssumeRole"}`), Trust, "Missing required field Principal"},
		{"resource in trust policy", stmt(`{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole","Resource":"*"}`), Trust, "Has prohibited field Resource"},
		{"non-STS action in trust policy", stmt(`{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"s3:GetObject"}`), Trust, "AssumeRole policy may only specify STS AssumeRole actions."},
		{"bad AWS principal", stmt(`{"Effect":"Allow","Principal":{"AWS":"bob"},"Action":"sts:AssumeRole"}`), Trust, `Invalid principal in policy: "AWS":"bob"`},
		{"bad principal type", stmt(`{"Effect":"Allow","Principal":{"Robot":"x"},"Action":"sts:AssumeRole"}`), Trust, `Invalid principal in policy: "ROBOT":"x"`},
		{"principal a bare ARN", stmt(`{"Effect":"Allow","Principal":"arn:aws:iam::000000000000:root","Action":"sts:AssumeRole"}`), Trust, "Syntax errors in policy."},
		{"unknown condition operator", stmt(`{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEqual":{"aws:a":"b"}}}`), Identity, "Invalid Condition type : StringEqual"},
		{"condition key without vendor", stmt(`{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"a":"b"}}}`), Identity, "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."},
		{"condition value null", stmt(`{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"aws:a":null}}}`), Identity, "Syntax errors in policy."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse(c.doc, c.kind)
			var me *MalformedError
			if !errors.As(err, &me) {
				t.Fatalf("err = %v, want MalformedError %q", err, c.msg)
			}
			if me.Msg != c.msg {
				t.Fatalf("message = %q, want %q", me.Msg, c.msg)
			}
		})
	}
}

func TestCompact(t *testing.T) {
	if got := Compact("{ \"a\" : [ 1, 2 ] }\n"); got != `{"a":[1,2]}` {
		t.Fatalf("Compact = %q", got)
	}
}
