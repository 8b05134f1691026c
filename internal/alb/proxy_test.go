package alb

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
)

// echo answers /health with 200 and anything else with the request it
// received, as JSON.
func echo(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/health" {
		return
	}
	w.Header().Set("Server", "echo/1")
	json.NewEncoder(w).Encode(map[string]any{"host": r.Host, "uri": r.RequestURI, "headers": r.Header})
}

type echoed struct {
	Host    string
	URI     string
	Headers http.Header
}

func TestForwardedHeaders(t *testing.T) {
	h := newHarness(t)
	a := h.newALB("web")
	h.register(*a.tg.TargetGroupArn, target(t, echo))
	req, _ := http.NewRequest("GET", a.url+"/a/b?c=d&e", nil)
	req.Header.Set("X-Forwarded-For", "203.0.113.7")
	req.Header.Set("Connection", "keep-alive, X-Hop")
	req.Header.Set("X-Hop", "secret")
	req.Header.Set("X-Custom", "kept")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var got echoed
	if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
		t.Fatal(err)
	}
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(a.url, "http://"))
	hd := got.Headers
	if hd.Get("X-Forwarded-For") != "203.0.113.7, 127.0.0.1" || hd.Get("X-Forwarded-Proto") != "http" || hd.Get("X-Forwarded-Port") != port {
		t.Errorf("X-Forwarded-*: %v", hd)
	}
	if !regexp.MustCompile(`^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$`).MatchString(hd.Get("X-Amzn-Trace-Id")) {
		t.Errorf("trace id %q", hd.Get("X-Amzn-Trace-Id"))
	}
	if hd.Get("X-Hop") != "" || hd.Get("X-Custom") != "kept" || got.URI != "/a/b?c=d&e" {
		t.Errorf("headers %v, uri %s", hd, got.URI)
	}
	// The Host gets the listener's port, which is not HTTP's own.
	if got.Host != *a.lb.DNSName+":"+port {
		t.Errorf("host %q", got.Host)
	}
	if resp.Header.Get("Server") != "echo/1" {
		t.Errorf("the target's Server header was replaced: %v", resp.Header)
	}

	// A trace ID with a Root gets a Self in front, replacing any Self.
	req, _ = http.NewRequest("GET", a.url+"/", nil)
	root := "Root=1-67891233-abcdef012345678912345678"
	req.Header.Set("X-Amzn-Trace-Id", "Self=1-00000000-000000000000000000000000;"+root+";CalledFrom=app")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	got = echoed{}
	json.NewDecoder(resp.Body).Decode(&got)
	resp.Body.Close()
	if tr := got.Headers.Get("X-Amzn-Trace-Id"); !regexp.MustCompile(`^Self=1-[0-9a-f]{8}-[0-9a-f]{24};`+root+`;CalledFrom=app$`).MatchString(tr) || strings.Contains(tr, "Self=1-00000000") {
		t.Errorf("trace id %q", tr)
	}

	// preserve_host_header keeps the Host; xff mode remove drops X-Forwarded-For.
	h.setLBAttr(*a.lb.LoadBalancerArn, "routing.http.preserve_host_header.enabled", "true")
	h.setLBAttr(*a.lb.LoadBalancerArn, "routing.http.xff_header_processing.mode", "remove")
	req, _ = http.NewRequest("GET", a.url+"/", nil)
	req.Host = "app.example.com"
	req.Header.Set("X-Forwarded-For", "203.0.113.7")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	got = echoed{}
	json.NewDecoder(resp.Body).Decode(&got)
	resp.Body.Close()
	if got.Host != "app.example.com" || got.Headers.Get("X-Forwarded-For") != "" {
		t.Errorf("host %q, xff %q", got.Host, got.Headers.Get("X-Forwarded-For"))
	}
}

const (
	page502 = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n"
	page503 = "<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n</body>\r\n</html>\r\n"
	page504 = "<html>\r\n<head><title>504 Gateway Time-out</title></head>\r\n<body>\r\n<center><h1>504 Gateway Time-out</h1></center>\r\n</body>\r\n</html>\r\n"
)

func wantPage(t *testing.T, url string, code int, body string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != code || string(b) != body || resp.Header.Get("Server") != "awselb/2.0" || resp.Header.Get("Content-Type") != "text/html" {
		t.Fatalf("GET %s: %d %v %q", url, resp.StatusCode, resp.Header, b)
	}
}

func TestErrorStatuses(t *testing.T) {
	h := newHarness(t)
	a := h.newALB("errs")
	// No registered target: 503.
	wantPage(t, a.url+"/", 503, page503)
	if len(page502) != 122 || len(page503) != 162 {
		t.Fatal("page sizes differ from ALB's")
	}

	hang := make(chan struct{})
	defer close(hang)
	mux := http.NewServeMux()
	mux.HandleFunc("/health", func(http.ResponseWriter, *http.Request) {})
	mux.HandleFunc("/hang", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-hang:
		case <-r.Context().Done():
		}
	})
	mux.HandleFunc("/close-early", func(w http.ResponseWriter, r *http.Request) {
		conn, _, _ := w.(http.Hijacker).Hijack()
		conn.Write([]byte("HTTP/1.1 200 OK\r\nContent-Le"))
		conn.Close()
	})
	mux.HandleFunc("/close-mid-body", func(w http.ResponseWriter, r *http.Request) {
		conn, _, _ := w.(http.Hijacker).Hijack()
		conn.Write([]byte("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly part"))
		conn.Close()
	})
	mux.HandleFunc("/garbage", func(w http.ResponseWriter, r *http.Request) {
		conn, _, _ := w.(http.Hijacker).Hijack()
		conn.Write([]byte("SSH-2.0-OpenSSH\r\n\r\n"))
		conn.Close()
	})
	h.register(*a.tg.TargetGroupArn, target(t, mux.ServeHTTP))
	h.setLBAttr(*a.lb.LoadBalancerArn, "idle_timeout.timeout_seconds", "1")

	start := time.Now()
	wantPage(t, a.url+"/hang", 504, page504)
	if d := time.Since(start); d < 900*time.Millisecond || d > 5*time.Second {
		t.Errorf("504 after %v, want the 1 s idle timeout", d)
	}
	wantPage(t, a.url+"/close-early", 502, page502)
	wantPage(t, a.url+"/garbage", 502, page502)
	// Mid-body the status has gone out: the client sees a cut response.
	resp, err := http.Get(a.url + "/close-mid-body")
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || err == nil || string(b) != "only part" {
		t.Fatalf("mid-body: %d %q %v", resp.StatusCode, b, err)
	}

	// A target that refuses connections: 502 (fail open sends it traffic).
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	dead := ln.Addr().String()
	ln.Close()
	b2 := h.newALB("refused")
	host, port, _ := net.SplitHostPort(dead)
	must(h.c.RegisterTargets(h.ctx, &elbv2.RegisterTargetsInput{TargetGroupArn: b2.tg.TargetGroupArn,
		Targets: []types.TargetDescription{{Id: aws.String(host), Port: aws.Int32(int32(atoi(port)))}}}))
	h.sync()
	wantPage(t, b2.url+"/", 502, page502)
}

func TestFixedResponseAndRedirect(t *testing.T) {
	h := newHarness(t)
	a := h.newALB("rules")
	create := func(prio int32, path string, action types.Action) {
		must(h.c.CreateRule(h.ctx, &elbv2.CreateRuleInput{ListenerArn: a.listener.ListenerArn, Priority: aws.Int32(prio),
			Conditions: []types.RuleCondition{{Field: aws.String("path-pattern"), Values: []string{path}}}, Actions: []types.Action{action}}))
	}
	create(1, "/teapot", types.Action{Type: types.ActionTypeEnumFixedResponse, FixedResponseConfig: &types.FixedResponseActionConfig{
		StatusCode: aws.String("418"), ContentType: aws.String("application/json"), MessageBody: aws.String(`{"tea":true}`)}})
	create(2, "/old/*", types.Action{Type: types.ActionTypeEnumRedirect, RedirectConfig: &types.RedirectActionConfig{
		Protocol: aws.String("HTTPS"), Port: aws.String("443"), Path: aws.String("/new/#{path}"), Query: aws.String("#{query}&from=old"),
		StatusCode: types.RedirectActionStatusCodeEnumHttp301}})
	create(3, "/moved", types.Action{Type: types.ActionTypeEnumRedirect, RedirectConfig: &types.RedirectActionConfig{
		Host: aws.String("www.#{host}"), StatusCode: types.RedirectActionStatusCodeEnumHttp302}})
	h.sync()

	resp, err := http.Get(a.url + "/teapot")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 418 || resp.Header.Get("Content-Type") != "application/json" || string(b) != `{"tea":true}` {
		t.Fatalf("fixed: %d %v %q", resp.StatusCode, resp.Header, b)
	}
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(a.url, "http://"))
	for _, c := range []struct {
		path, host string
		code       int
		loc        string
	}{
		{"/old/a/b?x=1", "", 301, "https://" + *a.lb.DNSName + "/new/old/a/b?x=1&from=old"},
		{"/moved?q", "example.com", 302, "http://www.example.com:" + port + "/moved?q"},
	} {
		req, _ := http.NewRequest("GET", a.url+c.path, nil)
		if c.host != "" {
			req.Host = c.host
		}
		resp, err := noFollow.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != c.code || resp.Header.Get("Location") != c.loc {
			t.Errorf("%s: %d %q, want %d %q", c.path, resp.StatusCode, resp.Header.Get("Location"), c.code, c.loc)
		}
	}
}
