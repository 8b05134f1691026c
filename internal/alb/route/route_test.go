package route

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"

	"github.com/quayside/quayside/internal/elb"
)

func TestGlob(t *testing.T) {
	cases := []struct {
		p, s string
		want bool
	}{
		{"", "", true}, {"", "a", false}, {"*", "", true}, {"*", "anything", true},
		{"/api/*", "/api/", true}, {"/api/*", "/api/v1/users", true}, {"/api/*", "/api", false},
		{"/img/*.png", "/img/a/b.png", true}, {"/img/*.png", "/img/a.png.jpg", false},
		{"?", "a", true}, {"?", "", false}, {"?", "ab", false}, {"/v?/x", "/v1/x", true}, {"/v?/x", "/v10/x", false},
		{"*a*b*c*", "xxaxxbxxcxx", true}, {"*a*b*c*", "xxaxxcxxbxx", false},
		{"a*a*a*a*b", strings.Repeat("a", 40), false}, // no exponential backtracking
		{"*.example.com", "www.example.com", true}, {"*.example.com", "example.com", false},
		{"*.example.com", "a.b.example.com", true},
	}
	for _, c := range cases {
		if got := Glob(c.p, c.s); got != c.want {
			t.Errorf("Glob(%q, %q) = %v, want %v", c.p, c.s, got, c.want)
		}
	}
}

func req(method, target, host string, headers ...string) *http.Request {
	r := httptest.NewRequest(method, target, nil)
	r.Host = host
	for i := 0; i+1 < len(headers); i += 2 {
		r.Header.Add(headers[i], headers[i+1])
	}
	return r
}

func TestMatch(t *testing.T) {
	client := netip.MustParseAddr("192.168.1.20")
	cases := []struct {
		name  string
		conds []elb.Condition
		r     *http.Request
		want  bool
	}{
		{"path", []elb.Condition{{Field: elb.FieldPathPattern, Values: []string{"/api/*"}}}, req("GET", "/api/x", "a.com"), true},
		{"path is case-sensitive", []elb.Condition{{Field: elb.FieldPathPattern, Values: []string{"/api/*"}}}, req("GET", "/API/x", "a.com"), false},
		{"path ignores the query", []elb.Condition{{Field: elb.FieldPathPattern, Values: []string{"/a"}}}, req("GET", "/a?x=1", "a.com"), true},
		{"path any value", []elb.Condition{{Field: elb.FieldPathPattern, Values: []string{"/a", "/b"}}}, req("GET", "/b", "a.com"), true},
		{"host", []elb.Condition{{Field: elb.FieldHostHeader, Values: []string{"*.Example.com"}}}, req("GET", "/", "WWW.example.COM"), true},
		{"host port stripped", []elb.Condition{{Field: elb.FieldHostHeader, Values: []string{"api.example.com"}}}, req("GET", "/", "api.example.com:8080"), true},
		{"wildcard host needs a subdomain", []elb.Condition{{Field: elb.FieldHostHeader, Values: []string{"*.example.com"}}}, req("GET", "/", "example.com"), false},
		{"host ?", []elb.Condition{{Field: elb.FieldHostHeader, Values: []string{"api-?.example.com"}}}, req("GET", "/", "api-2.example.com"), true},
		{"header", []elb.Condition{{Field: elb.FieldHTTPHeader, HeaderName: "user-agent", Values: []string{"*chrome*"}}}, req("GET", "/", "a.com", "User-Agent", "Mozilla Chrome/120"), true},
		{"header missing", []elb.Condition{{Field: elb.FieldHTTPHeader, HeaderName: "X-Env", Values: []string{"*"}}}, req("GET", "/", "a.com"), false},
		{"header any of several values", []elb.Condition{{Field: elb.FieldHTTPHeader, HeaderName: "X-Env", Values: []string{"prod"}}}, req("GET", "/", "a.com", "X-Env", "dev", "X-Env", "PROD"), true},
		{"method", []elb.Condition{{Field: elb.FieldMethod, Values: []string{"POST", "PUT"}}}, req("PUT", "/", "a.com"), true},
		{"method is case-sensitive", []elb.Condition{{Field: elb.FieldMethod, Values: []string{"POST"}}}, req("post", "/", "a.com"), false},
		{"query key and value", []elb.Condition{{Field: elb.FieldQueryString, Query: []elb.QueryPair{{Key: "version", Value: "v1"}}}}, req("GET", "/?Version=V1&x=2", "a.com"), true},
		{"query value only", []elb.Condition{{Field: elb.FieldQueryString, Query: []elb.QueryPair{{Value: "*beta*"}}}}, req("GET", "/?a=my-beta-1", "a.com"), true},
		{"query wrong value", []elb.Condition{{Field: elb.FieldQueryString, Query: []elb.QueryPair{{Key: "version", Value: "v1"}}}}, req("GET", "/?version=v2", "a.com"), false},
		{"query decoded", []elb.Condition{{Field: elb.FieldQueryString, Query: []elb.QueryPair{{Key: "q", Value: "a b"}}}}, req("GET", "/?q=a%20b", "a.com"), true},
		{"source ip", []elb.Condition{{Field: elb.FieldSourceIP, Values: []string{"10.0.0.0/8", "192.168.1.0/24"}}}, req("GET", "/", "a.com"), true},
		{"source ip outside", []elb.Condition{{Field: elb.FieldSourceIP, Values: []string{"10.0.0.0/8"}}}, req("GET", "/", "a.com"), false},
		{"source ip ignores X-Forwarded-For", []elb.Condition{{Field: elb.FieldSourceIP, Values: []string{"10.0.0.0/8"}}}, req("GET", "/", "a.com", "X-Forwarded-For", "10.1.1.1"), false},
		{"all conditions", []elb.Condition{
			{Field: elb.FieldPathPattern, Values: []string{"/api/*"}}, {Field: elb.FieldMethod, Values: []string{"GET"}},
		}, req("POST", "/api/x", "a.com"), false},
		{"two header conditions", []elb.Condition{
			{Field: elb.FieldHTTPHeader, HeaderName: "A", Values: []string{"1"}}, {Field: elb.FieldHTTPHeader, HeaderName: "B", Values: []string{"2"}},
		}, req("GET", "/", "a.com", "A", "1", "B", "2"), true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Compile(c.conds).Match(c.r, client); got != c.want {
				t.Fatalf("Match = %v, want %v", got, c.want)
			}
		})
	}
	// IPv4-mapped IPv6 clients match IPv4 blocks.
	m := Compile([]elb.Condition{{Field: elb.FieldSourceIP, Values: []string{"127.0.0.0/8"}}})
	if !m.Match(req("GET", "/", "a"), netip.MustParseAddr("::ffff:127.0.0.1")) {
		t.Fatal("mapped address")
	}
}

func BenchmarkMatch(b *testing.B) {
	m := Compile([]elb.Condition{
		{Field: elb.FieldHostHeader, Values: []string{"*.example.com"}},
		{Field: elb.FieldPathPattern, Values: []string{"/api/v?/*"}},
	})
	r := req("GET", "/api/v1/users/42", "www.example.com")
	ip := netip.MustParseAddr("10.0.0.1")
	b.ReportAllocs()
	for b.Loop() {
		if !m.Match(r, ip) {
			b.Fatal("no match")
		}
	}
}
