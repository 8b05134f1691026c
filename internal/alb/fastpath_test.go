package alb

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
)

// rawTarget serves HTTP/1.1 by hand on 127.0.0.1: /health answers 200,
// and every other request goes to answer, which writes what it likes and
// reports whether to keep the connection open.
func rawTarget(t testing.TB, answer func(r *http.Request, w io.Writer) (keep bool)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				br := bufio.NewReader(c)
				for {
					r, err := http.ReadRequest(br)
					if err != nil {
						return
					}
					io.Copy(io.Discard, r.Body)
					if r.URL.Path == "/health" {
						io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
						continue
					}
					if !answer(r, c) {
						return
					}
				}
			}()
		}
	}()
	return ln.Addr().String()
}

// client is one raw keep-alive connection to a load balancer.
type client struct {
	t    *testing.T
	conn net.Conn
	br   *bufio.Reader
}

func dial(t *testing.T, a *alb) *client {
	t.Helper()
	c, err := net.Dial("tcp", strings.TrimPrefix(a.url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	c.SetDeadline(time.Now().Add(20 * time.Second))
	return &client{t: t, conn: c, br: bufio.NewReader(c)}
}

func (c *client) send(raw string) {
	c.t.Helper()
	if _, err := io.WriteString(c.conn, raw); err != nil {
		c.t.Fatal(err)
	}
}

// read reads one response (to a request of method) and its body.
func (c *client) read(method string) (*http.Response, string) {
	c.t.Helper()
	resp, err := http.ReadResponse(c.br, &http.Request{Method: method})
	if err != nil {
		c.t.Fatal(err)
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		c.t.Fatalf("body: %v", err)
	}
	return resp, string(b)
}

// closed reports whether the load balancer closed the connection.
func (c *client) closed() bool {
	_, err := c.br.ReadByte()
	return err == io.EOF
}

func TestFastPathPipelining(t *testing.T) {
	h := newHarness(t)
	a := h.newALB("pipe")
	h.register(*a.tg.TargetGroupArn, target(t, echo))
	c := dial(t, a)
	// Three requests in one write, one with a body.
	c.send("GET /1 HTTP/1.1\r\nHost: x\r\n\r\nPOST /2 HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabcGET /3 HTTP/1.1\r\nHost: x\r\n\r\n")
	for _, want := range []string{`"uri":"/1"`, `"uri":"/2"`, `"uri":"/3"`} {
		if resp, body := c.read("GET"); resp.StatusCode != 200 || !strings.Contains(body, want) {
			t.Fatalf("%d %s, want %s", resp.StatusCode, body, want)
		}
	}
	// A head split across writes.
	c.send("GET /4 HTTP/1.1\r\nHo")
	time.Sleep(50 * time.Millisecond)
	c.send("st: x\r\n\r\n")
	if resp, body := c.read("GET"); resp.StatusCode != 200 || !strings.Contains(body, `"uri":"/4"`) {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
}

func TestFastPathResponseFraming(t *testing.T) {
	h := newHarness(t)
	a := h.newALB("framing")
	h.register(*a.tg.TargetGroupArn, rawTarget(t, func(r *http.Request, w io.Writer) bool {
		switch r.URL.Path {
		case "/chunked":
			io.WriteString(w, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: X-T\r\n\r\n5;x=y\r\nhello\r\n")
			time.Sleep(20 * time.Millisecond) // in two pieces
			io.WriteString(w, "6\r\n world\r\n0\r\nX-T: done\r\n\r\n")
		case "/head":
			io.WriteString(w, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n")
		case "/empty":
			io.WriteString(w, "HTTP/1.1 204 No Content\r\n\r\n")
		case "/hints":
			io.WriteString(w, "HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
		case "/hop":
			io.WriteString(w, "HTTP/1.1 200 OK\r\nConnection: X-Secret\r\nX-Secret: 1\r\nKeep-Alive: timeout=5\r\nX-Kept: 1\r\nContent-Length: 2\r\n\r\nok")
		case "/big-head":
			io.WriteString(w, "HTTP/1.1 200 OK\r\nX-Big: "+strings.Repeat("b", 40<<10)+"\r\nContent-Length: 2\r\n\r\nok")
		case "/huge-head":
			io.WriteString(w, "HTTP/1.1 200 OK\r\nX-Big: "+strings.Repeat("b", 70<<10)+"\r\nContent-Length: 2\r\n\r\nok")
			return false
		case "/bad-chunk":
			io.WriteString(w, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")
			return false
		case "/close":
			io.WriteString(w, "HTTP/1.0 200 OK\r\nX-Kept: 1\r\n\r\nuntil the end")
			return false
		}
		return true
	}))
	c := dial(t, a)
	c.send("GET /chunked HTTP/1.1\r\nHost: x\r\n\r\n")
	resp, body := c.read("GET")
	if body != "hello world" || resp.Trailer.Get("X-T") != "done" || len(resp.TransferEncoding) != 1 {
		t.Fatalf("chunked: %q %v %v", body, resp.Trailer, resp.TransferEncoding)
	}
	c.send("HEAD /head HTTP/1.1\r\nHost: x\r\n\r\n")
	if resp, body := c.read("HEAD"); resp.ContentLength != 10 || body != "" {
		t.Fatalf("head: %d %q", resp.ContentLength, body)
	}
	c.send("GET /empty HTTP/1.1\r\nHost: x\r\n\r\n")
	if resp, _ := c.read("GET"); resp.StatusCode != 204 {
		t.Fatalf("204: %d", resp.StatusCode)
	}
	c.send("GET /hints HTTP/1.1\r\nHost: x\r\n\r\n")
	if resp, _ := c.read("GET"); resp.StatusCode != 103 || resp.Header.Get("Link") != "</a.css>" {
		t.Fatalf("103: %d %v", resp.StatusCode, resp.Header)
	}
	if resp, body := c.read("GET"); resp.StatusCode != 200 || body != "ok" {
		t.Fatalf("after 103: %d %q", resp.StatusCode, body)
	}
	c.send("GET /hop HTTP/1.1\r\nHost: x\r\n\r\n")
	if resp, _ := c.read("GET"); resp.Header.Get("X-Secret") != "" || resp.Header.Get("Keep-Alive") != "" || resp.Header.Get("X-Kept") != "1" || resp.Close {
		t.Fatalf("hop-by-hop: %v", resp.Header)
	}
	c.send("GET /big-head HTTP/1.1\r\nHost: x\r\n\r\n")
	if resp, body := c.read("GET"); len(resp.Header.Get("X-Big")) != 40<<10 || body != "ok" {
		t.Fatalf("big head: %d %q", len(resp.Header.Get("X-Big")), body)
	}
	for _, path := range []string{"/huge-head", "/bad-chunk"} {
		c.send("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n")
		if resp, body := c.read("GET"); resp.StatusCode != 502 || body != page502 {
			t.Fatalf("%s: %d %q", path, resp.StatusCode, body)
		}
	}
	// A body that runs to the target's close ends the client's connection.
	c.send("GET /close HTTP/1.1\r\nHost: x\r\n\r\n")
	if resp, body := c.read("GET"); body != "until the end" || !resp.Close || resp.Header.Get("X-Kept") != "1" {
		t.Fatalf("close-delimited: %q %v", body, resp.Header)
	}
	if !c.closed() {
		t.Fatal("connection open after a close-delimited body")
	}
}

func TestFastPathUpload(t *testing.T) {
	h := newHarness(t)
	a := h.newALB("upload")
	h.register(*a.tg.TargetGroupArn, target(t, func(w http.ResponseWriter, r *http.Request) {
		n, _ := io.Copy(io.Discard, r.Body)
		fmt.Fprintf(w, "%s %d %d", r.URL.Path, n, r.ContentLength)
	}))
	c := dial(t, a)
	const size = 1 << 20 // far more than a buffer: streamed
	c.send(fmt.Sprintf("PUT /up HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n", size))
	chunk := strings.Repeat("z", 64<<10)
	for range size / len(chunk) {
		c.send(chunk)
	}
	c.send("GET /next HTTP/1.1\r\nHost: x\r\n\r\n") // pipelined after the body
	if _, body := c.read("PUT"); body != fmt.Sprintf("/up %d %d", size, size) {
		t.Fatalf("upload: %q", body)
	}
	if _, body := c.read("GET"); body != "/next 0 0" {
		t.Fatalf("after the upload: %q", body)
	}
}

// TestFastPathHandOver sends, on one connection, requests the fast path
// serves and then ones it leaves to net/http, which keeps the connection.
func TestFastPathHandOver(t *testing.T) {
	h := newHarness(t)
	a := h.newALB("handover")
	h.register(*a.tg.TargetGroupArn, target(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Upgrade") != "" {
			wsEcho(w, r)
			return
		}
		n, _ := io.Copy(io.Discard, r.Body)
		fmt.Fprintf(w, "%s %d", r.URL.Path, n)
	}))
	c := dial(t, a)
	c.send("GET /fast HTTP/1.1\r\nHost: x\r\n\r\n")
	if _, body := c.read("GET"); body != "/fast 0" {
		t.Fatal(body)
	}
	c.send("POST /chunked HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n")
	if _, body := c.read("POST"); body != "/chunked 3" {
		t.Fatal(body)
	}
	c.send("GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")
	resp, err := http.ReadResponse(c.br, nil)
	if err != nil || resp.StatusCode != 101 {
		t.Fatalf("upgrade: %v %v", resp, err)
	}
	c.send("ping")
	buf := make([]byte, 4)
	if _, err := io.ReadFull(c.br, buf); err != nil || string(buf) != "PING" {
		t.Fatalf("websocket: %q %v", buf, err)
	}
}

// TestFastPathRetry uses a target that closes each connection after one
// answer without saying so: a request that finds its pooled connection
// closed goes out again on a new one (GET), or is not sent on a closed
// one at all (POST); a target that never answers gets a 502.
func TestFastPathRetry(t *testing.T) {
	h := newHarness(t)
	a := h.newALB("retry")
	h.register(*a.tg.TargetGroupArn, rawTarget(t, func(r *http.Request, w io.Writer) bool {
		if r.URL.Path == "/drop" {
			return false
		}
		io.WriteString(w, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
		return false
	}))
	c := dial(t, a)
	for i := range 20 {
		method := "GET"
		if i%2 == 1 {
			method = "POST"
		}
		c.send(method + " / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
		if resp, body := c.read(method); resp.StatusCode != 200 || body != "ok" {
			t.Fatalf("%s %d: %d %q", method, i, resp.StatusCode, body)
		}
		time.Sleep(5 * time.Millisecond) // the target's close arrives
	}
	c.send("GET /drop HTTP/1.1\r\nHost: x\r\n\r\n")
	if resp, body := c.read("GET"); resp.StatusCode != 502 || body != page502 {
		t.Fatalf("drop: %d %q", resp.StatusCode, body)
	}
}

func TestFastPathConnectionClose(t *testing.T) {
	h := newHarness(t)
	a := h.newALB("closing")
	h.register(*a.tg.TargetGroupArn, target(t, echo))
	c := dial(t, a)
	c.send("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
	if resp, _ := c.read("GET"); resp.StatusCode != 200 || !resp.Close {
		t.Fatalf("%d close %v", resp.StatusCode, resp.Close)
	}
	if !c.closed() {
		t.Fatal("connection open after Connection: close")
	}
}

// TestListenerStopDrains deletes a listener with a request in flight and
// an idle connection: the request finishes (with Connection: close) and
// the idle connection closes at once.
func TestListenerStopDrains(t *testing.T) {
	h := newHarness(t)
	a := h.newALB("stop")
	h.register(*a.tg.TargetGroupArn, testapp(t, 1))
	busy, idle := dial(t, a), dial(t, a)
	idle.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	idle.read("GET")
	busy.send("GET /sleep?ms=700 HTTP/1.1\r\nHost: x\r\n\r\n")
	time.Sleep(100 * time.Millisecond)
	must(h.c.DeleteListener(h.ctx, &elbv2.DeleteListenerInput{ListenerArn: a.listener.ListenerArn}))
	h.sync()
	if !idle.closed() {
		t.Fatal("idle connection open after the listener stopped")
	}
	if resp, body := busy.read("GET"); resp.StatusCode != 200 || body != "slept 700 ms\n" || !resp.Close {
		t.Fatalf("in flight: %d %q close %v", resp.StatusCode, body, resp.Close)
	}
	if !busy.closed() {
		t.Fatal("busy connection open after its request")
	}
}

// TestSettle leaves a connection idle until its wait moves to a new
// goroutine: it still serves, and its idle timeout still counts from its
// last byte.
func TestSettle(t *testing.T) {
	h := newHarness(t)
	a := h.newALB("settle")
	h.register(*a.tg.TargetGroupArn, target(t, echo))
	h.setLBAttr(*a.lb.LoadBalancerArn, "idle_timeout.timeout_seconds", "3")
	c := dial(t, a)
	c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	c.read("GET")
	time.Sleep(2*settleAfter + 200*time.Millisecond)
	settled := false
	for _, l := range h.plane.listeners {
		l.mu.Lock()
		for fc := range l.fast {
			settled = settled || fc.settled.Load()
		}
		l.mu.Unlock()
	}
	if !settled {
		t.Fatal("the idle connection's wait did not move")
	}
	c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	if resp, _ := c.read("GET"); resp.StatusCode != 200 {
		t.Fatalf("after settling: %d", resp.StatusCode)
	}
	last := time.Now()
	if !c.closed() {
		t.Fatal("not closed by the idle timeout")
	}
	if d := time.Since(last); d < 2700*time.Millisecond || d > 3500*time.Millisecond {
		t.Fatalf("closed %v after the last request, want the 3 s idle timeout", d)
	}
}

// TestGeneralPath runs the proxy tests with the fast path off: net/http
// serves every connection, as it does HTTPS listeners' and the requests
// the fast path hands over.
func TestGeneralPath(t *testing.T) {
	testGeneralOnly = true
	defer func() { testGeneralOnly = false }()
	for name, f := range map[string]func(*testing.T){
		"ForwardedHeaders": TestForwardedHeaders, "ErrorStatuses": TestErrorStatuses, "FixedResponseAndRedirect": TestFixedResponseAndRedirect,
		"WebSocketUpgrade": TestWebSocketUpgrade, "Streaming": TestStreaming, "BadInput": TestBadInput, "Draining": TestDraining,
		"WeightsAndStickiness": TestWeightsAndStickiness,
	} {
		t.Run(name, f)
	}
}
