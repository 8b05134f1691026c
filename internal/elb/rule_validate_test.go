package elb

import (
	"errors"
	"strings"
	"testing"
)

func TestValidateConditions(t *testing.T) {
	host := func(v ...string) Condition { return Condition{Field: FieldHostHeader, Values: v} }
	path := func(v ...string) Condition { return Condition{Field: FieldPathPattern, Values: v} }
	cases := []struct {
		name  string
		conds []Condition
		want  string // "" for valid, else a substring of the error
	}{
		{"path", []Condition{path("/api/*")}, ""},
		{"host", []Condition{host("*.example.com")}, ""},
		{"header", []Condition{{Field: FieldHTTPHeader, HeaderName: "User-Agent", Values: []string{"*Chrome*"}}}, ""},
		{"method", []Condition{{Field: FieldMethod, Values: []string{"GET", "CUSTOM_METHOD"}}}, ""},
		{"query", []Condition{{Field: FieldQueryString, Query: []QueryPair{{Key: "v", Value: "1"}, {Value: "x*"}}}}, ""},
		{"source ip", []Condition{{Field: FieldSourceIP, Values: []string{"10.0.0.0/8", "::1/128"}}}, ""},
		{"two headers", []Condition{{Field: FieldHTTPHeader, HeaderName: "A", Values: []string{"1"}}, {Field: FieldHTTPHeader, HeaderName: "B", Values: []string{"2"}}}, ""},
		{"two paths", []Condition{path("/a"), path("/b")}, "only have one 'path-pattern'"},
		{"two hosts", []Condition{host("a.com"), host("b.com")}, "only have one 'host-header'"},
		{"four values", []Condition{path("/a", "/b", "/c", "/d")}, "'3' values"},
		{"six values", []Condition{path("/a", "/b", "/c"), host("a.com", "b.com", "c.com")}, "'5' condition values"},
		{"six wildcards", []Condition{path("/*/*/*"), host("*.*.*.com")}, "'5' wildcards"},
		{"empty values", []Condition{path()}, "value must be specified"},
		{"unknown field", []Condition{{Field: "cookie", Values: []string{"x"}}}, "not valid"},
		{"long path", []Condition{path("/" + strings.Repeat("a", 128))}, "longer than 128"},
		{"bad path char", []Condition{path("/a b")}, "not valid"},
		{"host without dot", []Condition{host("localhost")}, "must contain a '.'"},
		{"host bad tld", []Condition{host("example.c*")}, "must contain a '.'"},
		{"host header in http-header", []Condition{{Field: FieldHTTPHeader, HeaderName: "Host", Values: []string{"x"}}}, "host-header"},
		{"bad method", []Condition{{Field: FieldMethod, Values: []string{"get"}}}, "not valid"},
		{"bad cidr", []Condition{{Field: FieldSourceIP, Values: []string{"10.0.0.1"}}}, "CIDR"},
		{"query without value", []Condition{{Field: FieldQueryString, Query: []QueryPair{{Key: "a"}}}}, "cannot be empty"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := ValidateConditions(c.conds)
			switch {
			case c.want == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
				t.Fatalf("error %v, want one containing %q", err, c.want)
			case c.want != "" && !errors.Is(err, ErrValidation):
				t.Fatalf("error kind: %v", err)
			}
		})
	}
}

func TestValidateActions(t *testing.T) {
	tg := "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/web/0123456789abcdef"
	exists := func(arn string) bool { return arn == tg }
	fwd := func(tgs ...WeightedTargetGroup) Action {
		return Action{Type: ActionForward, Forward: &ForwardConfig{TargetGroups: tgs}}
	}
	cases := []struct {
		name    string
		actions []Action
		kind    error // nil for valid
		want    string
	}{
		{"forward", []Action{fwd(WeightedTargetGroup{ARN: tg, Weight: 1})}, nil, ""},
		{"fixed", []Action{{Type: ActionFixedResponse, Fixed: &FixedResponseConfig{StatusCode: "404", ContentType: "text/plain"}}}, nil, ""},
		{"redirect", []Action{{Type: ActionRedirect, Redirect: &RedirectConfig{Protocol: "HTTPS", Port: "443", StatusCode: "HTTP_301"}}}, nil, ""},
		{"none", nil, ErrValidation, "At least one action"},
		{"two terminal", []Action{fwd(WeightedTargetGroup{ARN: tg, Weight: 1}), {Type: ActionFixedResponse, Fixed: &FixedResponseConfig{StatusCode: "200"}}}, ErrInvalidLoadBalancerAction, "last action"},
		{"same order", []Action{{Type: ActionFixedResponse, Order: 1, Fixed: &FixedResponseConfig{StatusCode: "200"}}, {Type: ActionFixedResponse, Order: 1, Fixed: &FixedResponseConfig{StatusCode: "200"}}}, ErrValidation, "more than one action"},
		{"not an arn", []Action{fwd(WeightedTargetGroup{ARN: "web", Weight: 1})}, ErrValidation, "not a valid target group ARN"},
		{"unknown group", []Action{fwd(WeightedTargetGroup{ARN: strings.Replace(tg, "web", "api", 1), Weight: 1})}, ErrTargetGroupNotFound, "not found"},
		{"weight", []Action{fwd(WeightedTargetGroup{ARN: tg, Weight: 1000})}, ErrValidation, "weight"},
		{"six groups", []Action{fwd(make([]WeightedTargetGroup, 6)...)}, ErrTooManyTargetGroups, "'5' target groups"},
		{"redirect loop", []Action{{Type: ActionRedirect, Redirect: &RedirectConfig{StatusCode: "HTTP_302"}}}, ErrInvalidLoadBalancerAction, "same URL"},
		{"redirect code", []Action{{Type: ActionRedirect, Redirect: &RedirectConfig{Host: "a.com", StatusCode: "HTTP_307"}}}, ErrValidation, "HTTP_301"},
		{"redirect path", []Action{{Type: ActionRedirect, Redirect: &RedirectConfig{Path: "x", StatusCode: "HTTP_301"}}}, ErrValidation, "start with a '/'"},
		{"fixed code", []Action{{Type: ActionFixedResponse, Fixed: &FixedResponseConfig{StatusCode: "302"}}}, ErrValidation, "2XX, 4XX or 5XX"},
		{"fixed type", []Action{{Type: ActionFixedResponse, Fixed: &FixedResponseConfig{StatusCode: "200", ContentType: "image/png"}}}, ErrValidation, "content type"},
		{"fixed body", []Action{{Type: ActionFixedResponse, Fixed: &FixedResponseConfig{StatusCode: "200", MessageBody: strings.Repeat("x", 1025)}}}, ErrValidation, "1024"},
		{"oidc", []Action{{Type: "authenticate-oidc"}, fwd(WeightedTargetGroup{ARN: tg, Weight: 1})}, ErrInvalidLoadBalancerAction, "does not support"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, err := ValidateActions(c.actions, exists)
			if c.kind == nil {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				if out[len(out)-1].Order != len(out) {
					t.Fatalf("orders not assigned: %+v", out)
				}
				return
			}
			if !errors.Is(err, c.kind) || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want kind %v containing %q", err, c.kind, c.want)
			}
		})
	}
	// Redirect defaults are filled in as AWS reports them.
	out, err := ValidateActions([]Action{{Type: ActionRedirect, Redirect: &RedirectConfig{Protocol: "HTTPS", StatusCode: "HTTP_301"}}}, exists)
	if err != nil {
		t.Fatal(err)
	}
	r := out[0].Redirect
	if r.Host != "#{host}" || r.Port != "#{port}" || r.Path != "/#{path}" || r.Query != "#{query}" {
		t.Fatalf("defaults: %+v", r)
	}
	if err := CheckRedirectFromListener(out, ProtocolHTTPS); err != nil {
		t.Fatal(err)
	}
	r.Protocol = ProtocolHTTP
	if err := CheckRedirectFromListener(out, ProtocolHTTPS); !errors.Is(err, ErrInvalidLoadBalancerAction) {
		t.Fatalf("HTTPS to HTTP: %v", err)
	}
}

func TestValidateListener(t *testing.T) {
	l := Listener{Protocol: ProtocolHTTPS, Port: 443, Certificates: []Certificate{{ARN: "arn:aws:acm:us-east-1:000000000000:certificate/x"}}}
	if err := ValidateListener(&l); err != nil || l.SslPolicy != DefaultSSLPolicy || !l.Certificates[0].IsDefault {
		t.Fatalf("%+v %v", l, err)
	}
	for _, c := range []struct {
		l    Listener
		kind error
	}{
		{Listener{Protocol: ProtocolHTTPS, Port: 443}, ErrValidation},
		{Listener{Protocol: ProtocolHTTP, Port: 80, SslPolicy: DefaultSSLPolicy}, ErrInvalidConfiguration},
		{Listener{Protocol: "TCP", Port: 80}, ErrUnsupportedProtocol},
		{Listener{Protocol: ProtocolHTTPS, Port: 443, SslPolicy: "nope", Certificates: []Certificate{{ARN: "x"}}}, ErrSSLPolicyNotFound},
		{Listener{Protocol: ProtocolHTTP, Port: 0}, ErrValidation},
	} {
		if err := ValidateListener(&c.l); !errors.Is(err, c.kind) {
			t.Errorf("%+v: %v, want %v", c.l, err, c.kind)
		}
	}
}
