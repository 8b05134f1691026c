package alb

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
)

// raw sends bytes on a new connection and returns the status line of the
// answer, or "" if the connection closed without one.
func raw(t *testing.T, addr, req string) string {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	io.WriteString(conn, req)
	line, _ := bufio.NewReader(conn).ReadString('\n')
	return strings.TrimSpace(line)
}

func TestBadInput(t *testing.T) {
	h := newHarness(t, func(o *harnessOptions) { o.plane.HeaderTimeout = 500 * time.Millisecond })
	a := h.newALB("bad")
	h.register(*a.tg.TargetGroupArn, target(t, echo))
	addr := strings.TrimPrefix(a.url, "http://")

	for _, c := range []struct{ name, req, want string }{
		{"malformed request line", "GARBAGE\r\n\r\n", "HTTP/1.1 400 Bad Request"},
		{"bad header", "GET / HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n", "HTTP/1.1 400 Bad Request"},
		{"oversized headers", "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + strings.Repeat("a", 80<<10) + "\r\n\r\n", "HTTP/1.1 431 Request Header Fields Too Large"},
		{"unsupported transfer encoding", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n", "HTTP/1.1 501 Not Implemented"},
		{"HTTP/1.0 without Host", "GET / HTTP/1.0\r\n\r\n", "HTTP/1.0 200 OK"},
	} {
		if got := raw(t, addr, c.req); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}

	// Slowloris: headers that trickle in are cut at the header timeout.
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	start := time.Now()
	io.WriteString(conn, "GET / HTTP/1.1\r\nHost: x\r\n")
	closed := false
	for i := 0; i < 40 && !closed; i++ {
		time.Sleep(100 * time.Millisecond)
		_, err := fmt.Fprintf(conn, "X-Slow-%d: 1\r\n", i)
		closed = err != nil
		if !closed {
			conn.SetReadDeadline(time.Now().Add(time.Millisecond))
			_, rerr := conn.Read(make([]byte, 1))
			closed = rerr != nil && !isTimeoutErr(rerr)
		}
	}
	if !closed || time.Since(start) > 3*time.Second {
		t.Fatalf("slow headers: closed %v after %v", closed, time.Since(start))
	}

	// An idle keep-alive connection is closed after the idle timeout.
	h.setLBAttr(*a.lb.LoadBalancerArn, "idle_timeout.timeout_seconds", "1")
	conn2, _ := net.Dial("tcp", addr)
	defer conn2.Close()
	io.WriteString(conn2, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	br := bufio.NewReader(conn2)
	resp, err := http.ReadResponse(br, nil)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("first request: %v", err)
	}
	io.Copy(io.Discard, resp.Body)
	start = time.Now()
	conn2.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := br.ReadByte(); err != io.EOF {
		t.Fatalf("idle connection: %v", err)
	}
	if d := time.Since(start); d < 800*time.Millisecond || d > 3*time.Second {
		t.Fatalf("idle connection closed after %v, want 1 s", d)
	}
}

func isTimeoutErr(err error) bool {
	ne, ok := err.(net.Error)
	return ok && ne.Timeout()
}

func TestListenerThatCannotBind(t *testing.T) {
	h := newHarness(t)
	lb := must(h.c.CreateLoadBalancer(h.ctx, &elbv2.CreateLoadBalancerInput{Name: aws.String("busy"), Subnets: []string{"s"}})).LoadBalancers[0]
	tg := h.newTG("busy-tg")
	taken, err := net.Listen("tcp", *lb.DNSName+":0")
	if err != nil {
		t.Fatal(err)
	}
	port := taken.Addr().(*net.TCPAddr).Port
	must(h.c.CreateListener(h.ctx, &elbv2.CreateListenerInput{LoadBalancerArn: lb.LoadBalancerArn, Protocol: types.ProtocolEnumHttp,
		Port: aws.Int32(int32(port)), DefaultActions: forwardTo(*tg.TargetGroupArn)}))
	h.sync()
	state := func() *types.LoadBalancerState {
		return must(h.c.DescribeLoadBalancers(h.ctx, &elbv2.DescribeLoadBalancersInput{Names: []string{"busy"}})).LoadBalancers[0].State
	}
	if s := state(); s.Code != types.LoadBalancerStateEnumActiveImpaired || !strings.Contains(*s.Reason, "could not be opened") {
		t.Fatalf("state %+v", s)
	}
	taken.Close()
	deadline := time.Now().Add(10 * time.Second)
	for state().Code != types.LoadBalancerStateEnumActive {
		if time.Now().After(deadline) {
			t.Fatal("the listener was not retried")
		}
		time.Sleep(100 * time.Millisecond)
	}
	wantPage(t, fmt.Sprintf("http://%s:%d/", *lb.DNSName, port), 503, page503)
}

// TestNoGoroutineLeak runs traffic of every kind, stops the plane, and
// checks that every goroutine it started has ended.
func TestNoGoroutineLeak(t *testing.T) {
	before := runtime.NumGoroutine()
	t.Run("traffic", func(t *testing.T) {
		h := newHarness(t)
		a := h.newALB("leak")
		h.register(*a.tg.TargetGroupArn, target(t, wsEcho), testapp(t, 2))
		h.setLBAttr(*a.lb.LoadBalancerArn, "idle_timeout.timeout_seconds", "1")
		tr := &http.Transport{}
		c := &http.Client{Transport: tr}
		for range 20 {
			resp, err := c.Get(a.url + "/")
			if err == nil {
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		}
		// An open websocket and a request in flight when the plane stops.
		conn, _ := net.Dial("tcp", strings.TrimPrefix(a.url, "http://"))
		defer conn.Close()
		io.WriteString(conn, "GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")
		go c.Get(a.url + "/sleep?ms=3000")
		time.Sleep(200 * time.Millisecond)
		tr.CloseIdleConnections()
	})
	deadline := time.Now().Add(10 * time.Second)
	for {
		now := runtime.NumGoroutine()
		if now <= before+2 {
			return
		}
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			t.Fatalf("%d goroutines before, %d after:\n%s", before, now, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(50 * time.Millisecond)
	}
}
