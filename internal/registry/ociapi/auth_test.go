package ociapi_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/quayside/quayside/internal/ecr"
	"github.com/quayside/quayside/internal/ecr/ecrauth"
)

func TestAuthentication(t *testing.T) {
	e := newEnv(t)
	e.createRepo("web", ecr.Mutable)
	forged, _ := ecrauth.New([]byte(strings.Repeat("x", 32)), nil).NewToken(testAccount, testRegion, e.clock.Now())
	expired, _ := e.reg.Auth().NewToken(testAccount, testRegion, e.clock.Now().Add(-13*time.Hour))
	tests := []struct {
		name   string
		header map[string]string
		token  string
		msg    string
	}{
		{"missing", nil, "-", "authentication required"},
		{"expired", nil, expired, "Your authorization token has expired. Reauthenticate and try again."},
		{"forged", nil, forged, "Your authorization token is invalid."},
		{"garbage", nil, "not-a-token", "Your authorization token is invalid."},
		{"bearer", map[string]string{"Authorization": "Bearer " + e.token}, "-", "authentication required"},
		{"wrong user", map[string]string{"Authorization": "Basic " + basic("admin", e.token)}, "-", "Your authorization token is invalid."},
	}
	for _, tt := range tests {
		for _, path := range []string{"/v2/", "/v2/web/tags/list", "/v2/web/blobs/uploads/", "/v2/nope/manifests/x"} {
			t.Run(tt.name+" "+path, func(t *testing.T) {
				method := "GET"
				if strings.HasSuffix(path, "uploads/") {
					method = "POST"
				}
				resp := e.do(req{method: method, path: path, token: tt.token, header: tt.header})
				expect(t, resp, http.StatusUnauthorized, "UNAUTHORIZED")
				host := strings.TrimPrefix(e.srv.URL, "http://")
				if got := resp.Header.Get("WWW-Authenticate"); got != `Basic realm="`+host+`",service="ecr.amazonaws.com"` {
					t.Fatalf("WWW-Authenticate = %q", got)
				}
				if !strings.Contains(string(bodyOf(resp)), tt.msg) {
					t.Fatalf("body %s, want %q", bodyOf(resp), tt.msg)
				}
				if resp.Header.Get("Docker-Distribution-API-Version") != "registry/2.0" {
					t.Fatal("no API version header")
				}
			})
		}
	}
	t.Run("valid", func(t *testing.T) {
		resp := e.do(req{method: "GET", path: "/v2/"})
		expect(t, resp, http.StatusOK, "")
		if resp.Header.Get("Docker-Distribution-API-Version") != "registry/2.0" {
			t.Fatal("no API version header")
		}
	})
	t.Run("expires after 12 hours", func(t *testing.T) {
		e.clock.Add(12*time.Hour + time.Second)
		defer e.clock.Add(-12*time.Hour - time.Second)
		expect(t, e.do(req{method: "GET", path: "/v2/"}), http.StatusUnauthorized, "UNAUTHORIZED")
	})
	t.Run("a token scopes to its account and region", func(t *testing.T) {
		other, _ := e.reg.Auth().NewToken("111111111111", testRegion, e.clock.Now())
		resp := e.do(req{method: "GET", path: "/v2/web/tags/list", token: other})
		expect(t, resp, http.StatusNotFound, "NAME_UNKNOWN")
		if !strings.Contains(string(bodyOf(resp)), "registry with id '111111111111'") {
			t.Fatalf("body %s", bodyOf(resp))
		}
		west, _ := e.reg.Auth().NewToken(testAccount, "eu-west-1", e.clock.Now())
		expect(t, e.do(req{method: "GET", path: "/v2/web/tags/list", token: west}), http.StatusNotFound, "NAME_UNKNOWN")
	})
}

func basic(user, pass string) string {
	r, _ := http.NewRequest("GET", "/", nil)
	r.SetBasicAuth(user, pass)
	return strings.TrimPrefix(r.Header.Get("Authorization"), "Basic ")
}

func TestNamesAndRoutes(t *testing.T) {
	e := newEnv(t)
	e.createRepo("team/web", ecr.Mutable)
	tests := []struct {
		name, method, path string
		status             int
		code               string
	}{
		{"uppercase", "GET", "/v2/Team/web/tags/list", http.StatusBadRequest, "NAME_INVALID"},
		{"too long", "GET", "/v2/" + strings.Repeat("a", 257) + "/tags/list", http.StatusBadRequest, "NAME_INVALID"},
		{"one character", "GET", "/v2/a/tags/list", http.StatusBadRequest, "NAME_INVALID"},
		{"empty component", "GET", "/v2/team//web/tags/list", http.StatusBadRequest, "NAME_INVALID"},
		{"dots", "GET", "/v2/team/../web/tags/list", http.StatusBadRequest, "NAME_INVALID"},
		{"bad separator", "GET", "/v2/team/web--/tags/list", http.StatusBadRequest, "NAME_INVALID"},
		{"unknown repository", "GET", "/v2/team/api/tags/list", http.StatusNotFound, "NAME_UNKNOWN"},
		{"unknown endpoint", "GET", "/v2/team/web/nothing", http.StatusNotFound, "UNSUPPORTED"},
		{"method not allowed", "POST", "/v2/team/web/tags/list", http.StatusMethodNotAllowed, "UNSUPPORTED"},
		{"nested name", "GET", "/v2/team/web/tags/list", http.StatusOK, ""},
		{"name containing a keyword", "GET", "/v2/team/web/blobs/blobs/sha256:" + strings.Repeat("0", 64), http.StatusNotFound, "NAME_UNKNOWN"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			expect(t, e.do(req{method: tt.method, path: tt.path}), tt.status, tt.code)
		})
	}
}
