package awsctx

import (
	"context"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

// regionRE is the definition ValidRegion implements by hand.
var regionRE = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-\d{1,2}$`)

// parseAuthorizationSplit is the straightforward reading of a SigV4
// credential scope that ParseAuthorization must agree with.
func parseAuthorizationSplit(h string) (Scope, bool) {
	const algo = "AWS4-HMAC-SHA256 "
	if !strings.HasPrefix(h, algo) {
		return Scope{}, false
	}
	for _, part := range strings.Split(h[len(algo):], ",") {
		cred, found := strings.CutPrefix(strings.TrimSpace(part), "Credential=")
		if !found {
			continue
		}
		f := strings.Split(cred, "/")
		if len(f) != 5 || f[4] != "aws4_request" {
			return Scope{}, false
		}
		return Scope{AccessKey: f[0], Date: f[1], Region: f[2], Service: f[3]}, true
	}
	return Scope{}, false
}

var regionCases = []string{
	"us-east-1", "eu-central-1", "us-gov-west-1", "ap-southeast-12", "cn-north-1", "il-central-1",
	"", "us", "us-", "us-east", "us-east-", "us-east-123", "us--east-1", "-us-east-1", "us-east-1-",
	"US-east-1", "us-East-1", "usa-east-1", "u-east-1", "us-east-1a", "us-east-a1", "us-east1-1",
	"us-east-1\n", " us-east-1", "us-ea st-1", "us-east-١", "us_east-1", "us-east--1", "us-1",
	"us-east-01", "us-a-b-c-d-9",
}

func TestValidRegion(t *testing.T) {
	for _, r := range regionCases {
		if got, want := ValidRegion(r), regionRE.MatchString(r); got != want {
			t.Errorf("ValidRegion(%q) = %v, want %v", r, got, want)
		}
	}
}

func FuzzValidRegion(f *testing.F) {
	for _, r := range regionCases {
		f.Add(r)
	}
	f.Fuzz(func(t *testing.T, r string) {
		if got, want := ValidRegion(r), regionRE.MatchString(r); got != want {
			t.Errorf("ValidRegion(%q) = %v, want %v", r, got, want)
		}
	})
}

var authCases = []string{
	"AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/ecs/aws4_request, SignedHeaders=host, Signature=abc",
	"AWS4-HMAC-SHA256 SignedHeaders=host, Credential=AKID/20240101/eu-west-1/sts/aws4_request, Signature=abc",
	"AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/ecs/aws4_request",
	"AWS4-HMAC-SHA256  Credential=AKID/20240101/us-east-1/ecs/aws4_request ,Signature=x",
	"AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/ecs/aws5_request, Signature=abc",
	"AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/aws4_request, Signature=abc",
	"AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/ecs/aws4_request/x, Signature=abc",
	"AWS4-HMAC-SHA256 Credential=////aws4_request",
	"AWS4-HMAC-SHA256 Credential=a/b/c/d/aws4_request, Credential=e/f/g/h/aws4_request",
	"AWS4-HMAC-SHA256 Credential=bad, Credential=e/f/g/h/aws4_request",
	"AWS4-HMAC-SHA256 ",
	"AWS4-HMAC-SHA256 ,,,",
	"AWS4-HMAC-SHA256",
	"AWS AKID:signature",
	"",
}

func TestParseAuthorization(t *testing.T) {
	for _, h := range authCases {
		got, gotOK := ParseAuthorization(h)
		want, wantOK := parseAuthorizationSplit(h)
		if got != want || gotOK != wantOK {
			t.Errorf("ParseAuthorization(%q) = %+v, %v; want %+v, %v", h, got, gotOK, want, wantOK)
		}
	}
	s, ok := ParseAuthorization(authCases[0])
	if want := (Scope{AccessKey: "AKID", Date: "20240101", Region: "us-east-1", Service: "ecs"}); !ok || s != want {
		t.Errorf("ParseAuthorization = %+v, %v; want %+v", s, ok, want)
	}
}

func FuzzParseAuthorization(f *testing.F) {
	for _, h := range authCases {
		f.Add(h)
	}
	f.Fuzz(func(t *testing.T, h string) {
		got, gotOK := ParseAuthorization(h)
		want, wantOK := parseAuthorizationSplit(h)
		if got != want || gotOK != wantOK {
			t.Errorf("ParseAuthorization(%q) = %+v, %v; want %+v, %v", h, got, gotOK, want, wantOK)
		}
	})
}

type ctxKey struct{}

func TestNewContext(t *testing.T) {
	r := httptest.NewRequest("POST", "/", nil)
	r.RemoteAddr = "[::1]:40000"
	r.Header.Set("Authorization", authCases[1])
	parent, cancel := context.WithCancel(context.WithValue(context.Background(), ctxKey{}, "v"))
	ctx, m := NewContext(parent, r, "us-west-2")

	want := FromRequest(r, "us-west-2")
	if len(m.RequestID) != 36 || m.RequestID == want.RequestID {
		t.Errorf("request ID %q: want a fresh UUID", m.RequestID)
	}
	want.RequestID = m.RequestID
	if *m != *want {
		t.Errorf("NewContext meta = %+v, want %+v", *m, *want)
	}
	if From(ctx) != m {
		t.Error("From(ctx) is not the meta NewContext returned")
	}
	if ctx.Value(ctxKey{}) != "v" {
		t.Error("the parent's values are lost")
	}
	cancel()
	if ctx.Err() == nil {
		t.Error("cancelling the parent does not reach the child")
	}
}

func TestFromRequestRegion(t *testing.T) {
	for _, tc := range []struct{ auth, query, want string }{
		{"AWS4-HMAC-SHA256 Credential=A/20240101/eu-west-3/ecs/aws4_request", "", "eu-west-3"},
		{"AWS4-HMAC-SHA256 Credential=A/20240101/not a region/ecs/aws4_request", "", "us-east-1"},
		{"", "?X-Amz-Credential=A%2F20240101%2Fap-south-1%2Fecr%2Faws4_request", "ap-south-1"},
		{"", "", "us-east-1"},
	} {
		r := httptest.NewRequest("GET", "/"+tc.query, nil)
		if tc.auth != "" {
			r.Header.Set("Authorization", tc.auth)
		}
		if got := FromRequest(r, "us-east-1").Region; got != tc.want {
			t.Errorf("auth %q query %q: region %q, want %q", tc.auth, tc.query, got, tc.want)
		}
	}
}

func BenchmarkNewContext(b *testing.B) {
	r := httptest.NewRequest("POST", "/", nil)
	r.Header.Set("Authorization", authCases[0])
	b.ReportAllocs()
	for b.Loop() {
		NewContext(context.Background(), r, "us-east-1")
	}
}
