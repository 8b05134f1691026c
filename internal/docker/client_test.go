package docker

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
)

// fakeDaemon serves handler on a unix socket and returns a client for it.
func fakeDaemon(t *testing.T, handler http.HandlerFunc) *Client {
	t.Helper()
	sock := filepath.Join(t.TempDir(), "docker.sock")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(handler)
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)
	c, err := New("unix://" + sock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func TestNewHost(t *testing.T) {
	for _, host := range []string{"tcp://127.0.0.1:2375", "/var/run/docker.sock", "unix://"} {
		if _, err := New(host); err == nil {
			t.Errorf("New(%q) succeeded", host)
		}
	}
	t.Setenv("DOCKER_HOST", "unix:///tmp/elsewhere.sock")
	c, err := FromEnv()
	if err != nil || c.Host() != "unix:///tmp/elsewhere.sock" {
		t.Errorf("FromEnv() = %v, %v; want the DOCKER_HOST socket", c, err)
	}
}

func TestUnreachable(t *testing.T) {
	host := "unix://" + filepath.Join(t.TempDir(), "missing.sock")
	c, err := New(host)
	if err != nil {
		t.Fatal(err)
	}
	err = c.Ping(context.Background())
	if !IsUnreachable(err) {
		t.Fatalf("Ping error %v is not IsUnreachable", err)
	}
	want := "cannot reach the Docker daemon at " + host + ": "
	if msg := err.Error(); !strings.HasPrefix(msg, want) || !strings.HasSuffix(msg, ". Is Docker running?") {
		t.Errorf("error = %q, want %q...%q", msg, want, ". Is Docker running?")
	}
}

func TestErrorReplies(t *testing.T) {
	c := fakeDaemon(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/v1.41/containers/abc/json":
			w.WriteHeader(http.StatusNotFound)
			io.WriteString(w, `{"message":"No such container: abc"}`)
		case "/v1.41/networks/create":
			w.WriteHeader(http.StatusConflict)
			io.WriteString(w, `{"message":"network with name n already exists"}`)
		default:
			w.WriteHeader(http.StatusInternalServerError)
			io.WriteString(w, "plain text failure\n")
		}
	})
	ctx := context.Background()

	_, err := c.ContainerInspect(ctx, "abc")
	if !IsNotFound(err) || IsConflict(err) || err.Error() != "Error response from daemon: No such container: abc" {
		t.Errorf("inspect: err = %v", err)
	}
	var de *Error
	if !errors.As(err, &de) || de.Method != "GET" || de.Path != "/containers/abc/json" {
		t.Errorf("inspect: error %#v does not name the request", err)
	}
	if _, err := c.NetworkCreate(ctx, NetworkCreateOptions{Name: "n"}); !IsConflict(err) {
		t.Errorf("network create: err = %v, want a conflict", err)
	}
	if err := c.Ping(ctx); err == nil || err.Error() != "Error response from daemon: plain text failure" || IsNotFound(err) {
		t.Errorf("ping: err = %v", err)
	}
}

func TestPullStream(t *testing.T) {
	var gotAuth AuthConfig
	var gotQuery string
	c := fakeDaemon(t, func(w http.ResponseWriter, r *http.Request) {
		gotQuery = r.URL.RawQuery
		b, err := base64.URLEncoding.DecodeString(r.Header.Get("X-Registry-Auth"))
		if err == nil {
			_ = json.Unmarshal(b, &gotAuth)
		}
		io.WriteString(w, `{"status":"Pulling from app","id":"v1"}`+"\n")
		if strings.Contains(r.URL.RawQuery, "tag=broken") {
			io.WriteString(w, `{"errorDetail":{"message":"manifest unknown"},"error":"manifest unknown"}`+"\n")
		}
		io.WriteString(w, `{"status":"Done"}`+"\n")
	})
	ctx := context.Background()
	auth := &AuthConfig{Username: "AWS", Password: "p+/=?", ServerAddress: "127.0.0.1:4566"}
	if err := c.ImagePull(ctx, "127.0.0.1:4566/app:v1", auth); err != nil {
		t.Fatal(err)
	}
	if gotAuth != *auth {
		t.Errorf("X-Registry-Auth carried %+v, want %+v", gotAuth, *auth)
	}
	if gotQuery != "fromImage=127.0.0.1%3A4566%2Fapp&tag=v1" {
		t.Errorf("query = %s", gotQuery)
	}
	err := c.ImagePull(ctx, "app:broken", nil)
	if err == nil || err.Error() != "Error response from daemon: manifest unknown" {
		t.Errorf("pull of broken image: err = %v", err)
	}
}

func TestBuildAndPushReadAux(t *testing.T) {
	c := fakeDaemon(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/v1.41/build":
			if r.Header.Get("Content-Type") != "application/x-tar" {
				w.WriteHeader(http.StatusBadRequest)
				return
			}
			io.WriteString(w, `{"stream":"Step 1/1 : FROM scratch\n"}`+"\n"+`{"aux":{"ID":"sha256:feed"}}`+"\n")
		case "/v1.41/images/127.0.0.1:4566/app/push":
			io.WriteString(w, `{"status":"Pushed"}`+"\n"+`{"aux":{"Tag":"v2","Digest":"sha256:beef","Size":525}}`+"\n")
		default:
			w.WriteHeader(http.StatusNotFound)
		}
	})
	ctx := context.Background()
	var out strings.Builder
	id, err := c.ImageBuild(ctx, strings.NewReader("tar"), BuildOptions{Tags: []string{"x:y"}, Output: &out})
	if err != nil || id != "sha256:feed" || out.String() != "Step 1/1 : FROM scratch\n" {
		t.Errorf("ImageBuild = %q, %v; output %q", id, err, out.String())
	}
	dgst, err := c.ImagePush(ctx, "127.0.0.1:4566/app:v2", nil)
	if err != nil || dgst != "sha256:beef" {
		t.Errorf("ImagePush = %q, %v", dgst, err)
	}
}

func TestFiltersEncoding(t *testing.T) {
	var got string
	c := fakeDaemon(t, func(w http.ResponseWriter, r *http.Request) {
		got = r.URL.Query().Get("filters")
		io.WriteString(w, "[]")
	})
	_, err := c.ContainerList(context.Background(), ContainerListOptions{All: true, Filters: Filters{"label": {"a=b"}}})
	if err != nil || got != `{"label":["a=b"]}` {
		t.Errorf("filters = %s, err %v", got, err)
	}
}

func TestEventNames(t *testing.T) {
	e := Event{Action: "health_status: unhealthy", TimeNano: 1_700_000_000_123_456_789}
	if e.Name() != "health_status" || e.HealthStatus() != "unhealthy" || e.Time().UnixNano() != e.TimeNano {
		t.Errorf("event helpers: %q %q %v", e.Name(), e.HealthStatus(), e.Time())
	}
	if d := (Event{Action: "die"}); d.Name() != "die" || d.HealthStatus() != "" {
		t.Errorf("die helpers: %q %q", d.Name(), d.HealthStatus())
	}
}
