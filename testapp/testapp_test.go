package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// fake records what the handlers see of the outside world: the clock the
// test moves and the exit codes asked for. Handlers run in the server's
// goroutines, so it locks.
type fake struct {
	mu    sync.Mutex
	now   time.Time
	exits []int
}

func (f *fake) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func (f *fake) SetNow(t time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.now = t
}

func (f *fake) Exit(code int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.exits = append(f.exits, code)
}

func (f *fake) Exits() []int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]int(nil), f.exits...)
}

// newTestApp returns an app with a fixed environment and a fake clock and
// exit, and the test server in front of it.
func newTestApp(t *testing.T, args []string, env map[string]string) (*app, *httptest.Server, *fake) {
	t.Helper()
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	c, err := parseConfig(args, lookup, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	f := &fake{now: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)}
	a := &app{
		cfg:      c,
		hostname: "host-1",
		started:  f.now,
		now:      f.Now,
		environ: func() []string {
			var kv []string
			for k, v := range env {
				kv = append(kv, k+"="+v)
			}
			return kv
		},
		exit:   f.Exit,
		stdout: io.Discard,
	}
	srv := httptest.NewServer(a.routes())
	t.Cleanup(srv.Close)
	return a, srv, f
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

func TestHandlers(t *testing.T) {
	env := map[string]string{
		"TESTAPP_BODY": "from env",
		"AWS_REGION":   "eu-west-1",
		"SECRET":       "s3cret",
		"OTHER":        "x",
		"EMPTY":        "",
	}
	_, srv, f := newTestApp(t, []string{"-env-prefixes", "AWS_, TESTAPP_"}, env)
	sum := sha256.Sum256([]byte("s3cret"))
	tests := []struct {
		name       string
		path       string
		wantStatus int
		wantBody   string
	}{
		{"root", "/", 200, "from env\nhostname: host-1\npath: /\n"},
		{"any path", "/api/v1", 200, "from env\nhostname: host-1\npath: /api/v1\n"},
		{"health", "/health", 200, "healthy 200\n"},
		{"env names", "/env?name=AWS_REGION&name=OTHER&name=EMPTY", 200, "AWS_REGION=eu-west-1\nOTHER=x\nEMPTY=\n"},
		{"env missing", "/env?name=NOPE", 404, "NOPE is not set\n"},
		{"env json", "/env", 200, "{\n  \"AWS_REGION\": \"eu-west-1\",\n  \"TESTAPP_BODY\": \"from env\"\n}\n"},
		{"sha256env", "/sha256env?name=SECRET", 200, hex.EncodeToString(sum[:]) + "\n"},
		{"sha256env missing", "/sha256env?name=NOPE", 404, "\"NOPE\" is not set\n"},
		{"sleep", "/sleep?ms=20", 200, "slept 20 ms\n"},
		{"sleep bad", "/sleep?ms=x", 400, "ms must be a number of milliseconds\n"},
		{"exit bad", "/exit?code=300", 400, "code must be 0-255\n"},
		{"exit", "/exit?code=3", 200, "exiting with code 3\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := get(t, srv.URL+tt.path)
			if status != tt.wantStatus || body != tt.wantBody {
				t.Errorf("GET %s = %d %q, want %d %q", tt.path, status, body, tt.wantStatus, tt.wantBody)
			}
		})
	}
	// The handler exits after the reply has gone out.
	deadline := time.Now().Add(5 * time.Second)
	for len(f.Exits()) == 0 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if exits := f.Exits(); len(exits) != 1 || exits[0] != 3 {
		t.Errorf("exits = %v, want [3]", exits)
	}
}

func TestHealthFlips(t *testing.T) {
	a, srv, f := newTestApp(t, []string{"-unhealthy-after", "10s", "-unhealthy-status", "500"}, nil)
	check := func(want int) {
		t.Helper()
		if status, _ := get(t, srv.URL+"/health"); status != want {
			t.Errorf("/health = %d, want %d", status, want)
		}
	}
	check(200)
	f.SetNow(a.started.Add(9 * time.Second))
	check(200)
	f.SetNow(a.started.Add(10 * time.Second))
	check(500)
	if status, _ := get(t, srv.URL+"/sethealth?status=204"); status != 200 {
		t.Fatalf("/sethealth = %d", status)
	}
	check(204)
	if status, _ := get(t, srv.URL+"/sethealth?status=abc"); status != 400 {
		t.Errorf("/sethealth?status=abc = %d, want 400", status)
	}
}

func TestParseConfig(t *testing.T) {
	env := map[string]string{"TESTAPP_PORT": "9090", "TESTAPP_EXIT_CODE": "7", "TESTAPP_HEALTHCHECK": "http://ignored"}
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	c, err := parseConfig([]string{"-exit-code", "3", "-stop-delay", "2s", "-crash"}, lookup, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.port != 9090 || c.exitCode != 3 || c.stopDelay != 2*time.Second || !c.crash || c.healthcheck != "" {
		t.Errorf("config = %+v", c)
	}

	_, err = parseConfig(nil, func(k string) (string, bool) { return "soon", k == "TESTAPP_EXIT_AFTER" }, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "TESTAPP_EXIT_AFTER") {
		t.Errorf("bad env: err = %v, want one naming TESTAPP_EXIT_AFTER", err)
	}
	for _, args := range [][]string{{"extra"}, {"-port", "0"}, {"-log-rate", "2000000"}, {"-exit-code", "256"}, {"-health-status", "42"},
		{"-exit-on-sigterm", "-stop-delay", "1s"}} {
		if _, err := parseConfig(args, lookup, io.Discard); err == nil {
			t.Errorf("parseConfig(%q) accepted", args)
		}
	}
}

// -exit-on-sigterm is off by default and set by the flag or by
// TESTAPP_EXIT_ON_SIGTERM; the flag wins.
func TestParseExitOnSigterm(t *testing.T) {
	tests := []struct {
		args []string
		env  map[string]string
		want bool
	}{
		{nil, nil, false},
		{[]string{"-exit-on-sigterm"}, nil, true},
		{nil, map[string]string{"TESTAPP_EXIT_ON_SIGTERM": "true"}, true},
		{nil, map[string]string{"TESTAPP_EXIT_ON_SIGTERM": "1"}, true},
		{[]string{"-exit-on-sigterm=false"}, map[string]string{"TESTAPP_EXIT_ON_SIGTERM": "true"}, false},
	}
	for _, tt := range tests {
		lookup := func(k string) (string, bool) { v, ok := tt.env[k]; return v, ok }
		c, err := parseConfig(tt.args, lookup, io.Discard)
		if err != nil {
			t.Fatalf("parseConfig(%q, %v): %v", tt.args, tt.env, err)
		}
		if c.exitOnSigterm != tt.want {
			t.Errorf("parseConfig(%q, %v): exitOnSigterm = %v, want %v", tt.args, tt.env, c.exitOnSigterm, tt.want)
		}
	}
	_, err := parseConfig(nil, func(k string) (string, bool) { return "yes", k == "TESTAPP_EXIT_ON_SIGTERM" }, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "TESTAPP_EXIT_ON_SIGTERM") {
		t.Errorf("bad env: err = %v, want one naming TESTAPP_EXIT_ON_SIGTERM", err)
	}
}

// stopDuringSleep serves the app on a real server, stops it with sig while
// a GET /sleep?ms=<ms> is in flight, and returns stop's exit code and
// output and the request's outcome.
func stopDuringSleep(t *testing.T, args []string, sig os.Signal, ms int) (code int, out string, status int, reqErr error) {
	t.Helper()
	a, _, _ := newTestApp(t, args, nil)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	started := make(chan struct{}, 1)
	routes := a.routes()
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		started <- struct{}{}
		routes.ServeHTTP(w, r)
	})}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { srv.Close() })
	type result struct {
		status int
		err    error
	}
	done := make(chan result, 1)
	go func() {
		c := &http.Client{Timeout: 10 * time.Second}
		resp, err := c.Get(fmt.Sprintf("http://%s/sleep?ms=%d", ln.Addr(), ms))
		if err != nil {
			done <- result{err: err}
			return
		}
		_, err = io.ReadAll(resp.Body)
		resp.Body.Close()
		done <- result{resp.StatusCode, err}
	}()
	select {
	case <-started:
	case <-time.After(5 * time.Second):
		t.Fatal("the request did not reach the app")
	}
	var stdout bytes.Buffer
	code = stop(a.cfg, sig, srv, &stdout, io.Discard)
	r := <-done
	return code, stdout.String(), r.status, r.err
}

// With -exit-on-sigterm, SIGTERM ends the app at once with exit code 0
// and cuts the request in flight; without it, or on SIGINT, the request
// finishes first.
func TestStop(t *testing.T) {
	begin := time.Now()
	code, out, status, err := stopDuringSleep(t, []string{"-exit-on-sigterm"}, syscall.SIGTERM, 5000)
	if code != 0 || out != "received SIGTERM\ntestapp exiting at once\n" {
		t.Errorf("-exit-on-sigterm, SIGTERM: stop = %d, output %q", code, out)
	}
	if err == nil {
		t.Errorf("-exit-on-sigterm, SIGTERM: the request in flight finished with %d, want it cut", status)
	}
	if d := time.Since(begin); d > 3*time.Second {
		t.Errorf("-exit-on-sigterm, SIGTERM: stopping took %s, want at once", d)
	}

	for _, tt := range []struct {
		args []string
		sig  os.Signal
		out  string
	}{
		{nil, syscall.SIGTERM, "received SIGTERM\ntestapp stopped\n"},
		{[]string{"-exit-on-sigterm"}, syscall.SIGINT, "received SIGINT\ntestapp stopped\n"},
	} {
		code, out, status, err := stopDuringSleep(t, tt.args, tt.sig, 300)
		if code != 0 || out != tt.out || err != nil || status != http.StatusOK {
			t.Errorf("%q, %s: stop = %d, output %q; request %d %v, want 0 %q; 200", tt.args, signalName(tt.sig), code, out, status, err, tt.out)
		}
	}
}

func TestHelpListsEveryFlag(t *testing.T) {
	var out bytes.Buffer
	_, err := parseConfig([]string{"-help"}, func(string) (string, bool) { return "", false }, &out)
	if err != flag.ErrHelp {
		t.Fatalf("err = %v, want flag.ErrHelp", err)
	}
	help := out.String()
	for _, want := range []string{
		"-port (env TESTAPP_PORT)", "-log-stderr (env TESTAPP_LOG_STDERR)", "-healthcheck (flag only)",
		"/sha256env?name=X", "received SIGTERM", `(default "8080")`,
		"-exit-on-sigterm (env TESTAPP_EXIT_ON_SIGTERM)", "testapp exiting at once",
	} {
		if !strings.Contains(help, want) {
			t.Errorf("help lacks %q", want)
		}
	}
}

func TestProbe(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/ok":
		case "/redirect":
			http.Redirect(w, r, "/fail", http.StatusFound)
		default:
			w.WriteHeader(http.StatusServiceUnavailable)
		}
	}))
	defer srv.Close()
	tests := []struct {
		url  string
		want int
	}{
		{srv.URL + "/ok", 0},
		{srv.URL + "/redirect", 0},
		{srv.URL + "/fail", 1},
		{"http://127.0.0.1:1/", 1},
	}
	for _, tt := range tests {
		if got := probe(tt.url, io.Discard); got != tt.want {
			t.Errorf("probe(%s) = %d, want %d", tt.url, got, tt.want)
		}
	}
}

func TestLogLinesStopsAtCount(t *testing.T) {
	var stdout, stderr bytes.Buffer
	logLines(&config{logRate: 1000, logCount: 3, logStderr: true}, &stdout, &stderr)
	if got, want := stdout.String(), "testapp stdout line 1\ntestapp stdout line 2\ntestapp stdout line 3\n"; got != want {
		t.Errorf("stdout = %q, want %q", got, want)
	}
	if got := strings.Count(stderr.String(), "testapp stderr line"); got != 3 {
		t.Errorf("stderr has %d lines, want 3", got)
	}
}

func TestAllocate(t *testing.T) {
	defer func() { sink = nil }()
	allocate(2, io.Discard)
	if len(sink) != 2 || len(sink[1]) != 1<<20 {
		t.Errorf("sink holds %d blocks", len(sink))
	}
}

// The JSON body of /env decodes as a plain object.
func TestEnvJSONDecodes(t *testing.T) {
	_, srv, _ := newTestApp(t, nil, map[string]string{"ECS_X": "1", "PATH": "/bin"})
	_, body := get(t, srv.URL+"/env")
	var m map[string]string
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		t.Fatal(err)
	}
	if len(m) != 1 || m["ECS_X"] != "1" {
		t.Errorf("/env = %v", m)
	}
}
