package ecs

import (
	"errors"
	"testing"

	"github.com/quayside/quayside/internal/fault"
)

const (
	region  = "us-east-1"
	account = "000000000000"
)

func TestARNFormats(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{ClusterARN(region, account, "prod"), "arn:aws:ecs:us-east-1:000000000000:cluster/prod"},
		{TaskDefinitionARN(region, account, "web", 3), "arn:aws:ecs:us-east-1:000000000000:task-definition/web:3"},
		{ServiceARN(region, account, "prod", "api"), "arn:aws:ecs:us-east-1:000000000000:service/prod/api"},
		{TaskARN(region, account, "prod", "0123456789abcdef0123456789abcdef"), "arn:aws:ecs:us-east-1:000000000000:task/prod/0123456789abcdef0123456789abcdef"},
		{ContainerARN(region, account, "prod", "t1", "c1"), "arn:aws:ecs:us-east-1:000000000000:container/prod/t1/c1"},
		{ContainerInstanceARN(region, account, "prod", "i1"), "arn:aws:ecs:us-east-1:000000000000:container-instance/prod/i1"},
		{CapacityProviderARN(region, account, "FARGATE"), "arn:aws:ecs:us-east-1:000000000000:capacity-provider/FARGATE"},
		{TaskSetARN(region, account, "prod", "api", "ecs-svc/1234567890123456789"), "arn:aws:ecs:us-east-1:000000000000:task-set/prod/api/ecs-svc/1234567890123456789"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %s, want %s", tc.got, tc.want)
		}
	}
}

func TestParseARNRoundTrip(t *testing.T) {
	for _, s := range []string{
		ClusterARN(region, account, "prod"),
		TaskDefinitionARN(region, account, "web", 3),
		"arn:aws:secretsmanager:us-east-1:000000000000:secret:db-AbCdEf:password::",
		"arn:aws:s3:::bucket/key",
	} {
		a, err := ParseARN(s)
		if err != nil {
			t.Fatalf("ParseARN(%q): %v", s, err)
		}
		if a.String() != s {
			t.Errorf("ParseARN(%q).String() = %q", s, a.String())
		}
	}
	for _, s := range []string{"", "arn", "arn:aws:ecs", "arn:aws:ecs:us-east-1:000000000000:", "nra:aws:ecs:r:a:x", "arn::ecs:r:a:x"} {
		if _, err := ParseARN(s); !errors.Is(err, ErrInvalidParameter) {
			t.Errorf("ParseARN(%q) = %v, want InvalidParameterException", s, err)
		}
	}
}

func TestParseClusterRef(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want ClusterRef
		err  bool
	}{
		{"", ClusterRef{Name: DefaultClusterName}, false},
		{"prod", ClusterRef{Name: "prod"}, false},
		{ClusterARN(region, account, "prod"), ClusterRef{Scope: Scope{region, account}, Name: "prod"}, false},
		{"arn:aws:ecs:us-east-1:000000000000:service/prod/api", ClusterRef{}, true},
		{"arn:aws:ecs:us-east-1:000000000000:cluster/a/b", ClusterRef{}, true},
		{"arn:aws:ecs:us-east-1:000000000000:cluster/", ClusterRef{}, true},
		{"arn:aws:ec2:us-east-1:000000000000:cluster/prod", ClusterRef{}, true},
		{"a/b", ClusterRef{}, true},
	} {
		got, err := ParseClusterRef(tc.in)
		if tc.err {
			if !errors.Is(err, ErrInvalidParameter) {
				t.Errorf("ParseClusterRef(%q) = %+v, %v; want InvalidParameterException", tc.in, got, err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("ParseClusterRef(%q) = %+v, %v; want %+v", tc.in, got, err, tc.want)
		}
		if got.Name != DefaultClusterName && ClusterARN(region, account, got.Name) != tc.in && IsARN(tc.in) {
			t.Errorf("round trip of %q lost information", tc.in)
		}
	}
}

func TestScopeCheck(t *testing.T) {
	ref, _ := ParseClusterRef(ClusterARN(region, "111111111111", "prod"))
	err := ref.Check(region, account)
	if msg, _ := fault.Message(err); msg != "Invalid identifier: Identifier is for 111111111111. Your accountId is 000000000000" {
		t.Errorf("account mismatch: %v", err)
	}
	ref, _ = ParseClusterRef(ClusterARN("eu-west-1", account, "prod"))
	if err := ref.Check(region, account); !errors.Is(err, ErrInvalidParameter) {
		t.Errorf("region mismatch: %v", err)
	}
	ref, _ = ParseClusterRef("prod")
	if err := ref.Check(region, account); err != nil {
		t.Errorf("bare name: %v", err)
	}
}

func TestParseServiceTaskInstanceRefs(t *testing.T) {
	s, err := ParseServiceRef(ServiceARN(region, account, "prod", "api"))
	if err != nil || s.Cluster != "prod" || s.Name != "api" || s.Region != region {
		t.Errorf("service long ARN: %+v %v", s, err)
	}
	s, err = ParseServiceRef("arn:aws:ecs:us-east-1:000000000000:service/api")
	if err != nil || s.Cluster != "" || s.Name != "api" {
		t.Errorf("service old ARN: %+v %v", s, err)
	}
	s, err = ParseServiceRef("api")
	if err != nil || s.Name != "api" {
		t.Errorf("service name: %+v %v", s, err)
	}
	for _, bad := range []string{"", "a/b", "arn:aws:ecs:us-east-1:000000000000:service/a/b/c", "arn:aws:ecs:us-east-1:000000000000:task/a/b"} {
		if _, err := ParseServiceRef(bad); !errors.Is(err, ErrInvalidParameter) {
			t.Errorf("ParseServiceRef(%q) = %v", bad, err)
		}
	}

	id := "0123456789abcdef0123456789abcdef"
	tr, err := ParseTaskRef(TaskARN(region, account, "prod", id))
	if err != nil || tr.Cluster != "prod" || tr.ID != id {
		t.Errorf("task ARN: %+v %v", tr, err)
	}
	tr, err = ParseTaskRef(id)
	if err != nil || tr.ID != id || tr.Cluster != "" {
		t.Errorf("task ID: %+v %v", tr, err)
	}
	if _, err := ParseTaskRef("arn:aws:ecs:us-east-1:000000000000:task/"); !errors.Is(err, ErrInvalidParameter) {
		t.Errorf("empty task ARN: %v", err)
	}

	ci, err := ParseContainerInstanceRef(ContainerInstanceARN(region, account, "prod", "abc"))
	if err != nil || ci.Cluster != "prod" || ci.ID != "abc" {
		t.Errorf("container instance ARN: %+v %v", ci, err)
	}
	cp, err := ParseCapacityProviderRef(CapacityProviderARN(region, account, "FARGATE"))
	if err != nil || cp.Name != "FARGATE" {
		t.Errorf("capacity provider ARN: %+v %v", cp, err)
	}
	ts, err := ParseTaskSetRef(TaskSetARN(region, account, "prod", "api", "ecs-svc/1234567890123456789"))
	if err != nil || ts.Cluster != "prod" || ts.Service != "api" || ts.ID != "ecs-svc/1234567890123456789" {
		t.Errorf("task set ARN: %+v %v", ts, err)
	}
	ts, err = ParseTaskSetRef("ecs-svc/1234567890123456789")
	if err != nil || ts.ID != "ecs-svc/1234567890123456789" {
		t.Errorf("task set ID: %+v %v", ts, err)
	}
}

func TestParseTaskDefinitionRef(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want TaskDefinitionRef
		msg  string
	}{
		{in: "web", want: TaskDefinitionRef{Family: "web"}},
		{in: "web:3", want: TaskDefinitionRef{Family: "web", Revision: 3}},
		{in: "web:007", want: TaskDefinitionRef{Family: "web", Revision: 7}},
		{in: TaskDefinitionARN(region, account, "web", 12), want: TaskDefinitionRef{Scope: Scope{region, account}, Family: "web", Revision: 12}},
		{in: "arn:aws:ecs:us-east-1:000000000000:task-definition/web", want: TaskDefinitionRef{Scope: Scope{region, account}, Family: "web"}},
		{in: "", msg: "Family can not be blank."},
		{in: ":3", msg: "Family can not be blank."},
		{in: "we b:3", msg: "Family contains invalid characters."},
		{in: "web:latest", msg: "Invalid revision number. Number: latest"},
		{in: "web:0", msg: "Invalid revision number. Number: 0"},
		{in: "web:", msg: "Invalid revision number. Number: "},
		{in: "web:+3", msg: "Invalid revision number. Number: +3"},
		{in: "web:3:4", msg: "Invalid revision number. Number: 3:4"},
		{in: "web:99999999999", msg: "Invalid revision number. Number: 99999999999"},
		{in: "arn:aws:ecs:us-east-1:000000000000:cluster/web", msg: "Invalid task definition ARN."},
		{in: "arn:aws:ecs", msg: "Invalid task definition ARN."},
	} {
		got, err := ParseTaskDefinitionRef(tc.in)
		if tc.msg != "" {
			msg, _ := fault.Message(err)
			if !errors.Is(err, ErrClient) || msg != tc.msg {
				t.Errorf("ParseTaskDefinitionRef(%q) = %+v, %v; want ClientException %q", tc.in, got, err, tc.msg)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("ParseTaskDefinitionRef(%q) = %+v, %v; want %+v", tc.in, got, err, tc.want)
		}
		// Round trip: the reference's string form parses to the same family
		// and revision.
		again, err := ParseTaskDefinitionRef(got.String())
		if err != nil || again.Family != got.Family || again.Revision != got.Revision {
			t.Errorf("round trip of %q via %q = %+v, %v", tc.in, got.String(), again, err)
		}
		if got.Revision > 0 && got.Region != "" && got.ARN(got.Region, got.AccountID) != tc.in {
			t.Errorf("ARN round trip of %q = %q", tc.in, got.ARN(got.Region, got.AccountID))
		}
	}
}

func TestValidName(t *testing.T) {
	for s, want := range map[string]bool{
		"web": true, "Web_App-2": true, "": false, "a b": false, "a.b": false, "a:b": false, "a/b": false, "é": false,
	} {
		if ValidName(s) != want {
			t.Errorf("ValidName(%q) = %v", s, !want)
		}
	}
}
