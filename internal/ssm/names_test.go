package ssm

import (
	"errors"
	"strings"
	"testing"
)

func TestValidateName(t *testing.T) {
	s := Scope{Region: "us-east-1", Account: "000000000000"}
	cases := []struct {
		name string
		want error // nil: valid
	}{
		{"plain", nil},
		{"a.b-c_d", nil},
		{"/a/b/c", nil},
		{strings.Repeat("/l", 15), nil},
		{strings.Repeat("/l", 16), ErrHierarchyLevelLimit},
		{"aws", ErrValidation},
		{"SSMthing", ErrValidation},
		{"/aws/x", ErrValidation},
		{"/a b", ErrValidation},
		{"a/b", ErrValidation},
		{"/a//b", ErrValidation},
		{"/a/", ErrValidation},
		{"/", ErrValidation},
		{"a:b", ErrValidation},
		{"/" + strings.Repeat("n", 1000), ErrValidation},
	}
	for _, c := range cases {
		err := ValidateName(s, c.name)
		if c.want == nil && err != nil || c.want != nil && !errors.Is(err, c.want) {
			t.Errorf("ValidateName(%.30q) = %v, want %v", c.name, err, c.want)
		}
	}
}

func TestParseRef(t *testing.T) {
	s := Scope{Region: "us-east-1", Account: "000000000000"}
	cases := []struct {
		ref                 string
		name, alt, selector string
		version             int64
		label               string
		region              string
		bad                 bool
	}{
		{ref: "/a", name: "/a", region: "us-east-1"},
		{ref: "/a:3", name: "/a", selector: ":3", version: 3, region: "us-east-1"},
		{ref: "/a:prod", name: "/a", selector: ":prod", label: "prod", region: "us-east-1"},
		{ref: "arn:aws:ssm:eu-west-1:123456789012:parameter/a/b", name: "/a/b", region: "eu-west-1"},
		{ref: "arn:aws:ssm:eu-west-1:123456789012:parameter/a:2", name: "/a", alt: "a", selector: ":2", version: 2, region: "eu-west-1"},
		{ref: "arn:aws:s3:::bucket", bad: true},
		{ref: "/a:b:c", bad: true},
		{ref: "/a:", bad: true},
	}
	for _, c := range cases {
		r, err := ParseRef(s, c.ref)
		if c.bad {
			if err == nil {
				t.Errorf("ParseRef(%q) accepted", c.ref)
			}
			continue
		}
		if err != nil || r.Name != c.name || r.Alt != c.alt || r.Selector != c.selector || r.Version != c.version || r.Label != c.label || r.Scope.Region != c.region {
			t.Errorf("ParseRef(%q) = %+v, %v", c.ref, r, err)
		}
	}
}

func TestUnderPath(t *testing.T) {
	cases := []struct {
		name, path string
		rec, want  bool
	}{
		{"/a/b", "/a", false, true},
		{"/a/b/c", "/a", false, false},
		{"/a/b/c", "/a", true, true},
		{"/ab", "/a", true, false},
		{"/a", "/a", true, false},
		{"x", "/", false, true},
		{"/x/y", "/", false, false},
		{"/x/y", "/", true, true},
	}
	for _, c := range cases {
		if got := underPath(c.name, c.path, c.rec); got != c.want {
			t.Errorf("underPath(%s, %s, %v) = %v", c.name, c.path, c.rec, got)
		}
	}
}

func TestValidLabel(t *testing.T) {
	for l, want := range map[string]bool{"prod": true, "v1.2_x-y": true, "1st": false, "awsLabel": false, "SSM": false, "a/b": false, "": false, strings.Repeat("l", 101): false} {
		if got := validLabel(l); got != want {
			t.Errorf("validLabel(%q) = %v", l, got)
		}
	}
}
