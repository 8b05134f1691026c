package alb

import (
	"bufio"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
)

// wsEcho completes an Upgrade: websocket handshake by hand and echoes
// bytes back, upper-cased, until the client closes.
func wsEcho(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/health" {
		return
	}
	if !strings.EqualFold(r.Header.Get("Upgrade"), "websocket") {
		http.Error(w, "upgrade required", 426)
		return
	}
	conn, brw, err := w.(http.Hijacker).Hijack()
	if err != nil {
		return
	}
	defer conn.Close()
	fmt.Fprintf(brw, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nX-Saw-Forwarded-For: %s\r\n\r\n", r.Header.Get("X-Forwarded-For"))
	brw.Flush()
	buf := make([]byte, 1024)
	for {
		n, err := brw.Read(buf)
		if err != nil {
			return
		}
		conn.Write([]byte(strings.ToUpper(string(buf[:n]))))
	}
}

func TestWebSocketUpgrade(t *testing.T) {
	h := newHarness(t)
	a := h.newALB("ws")
	h.register(*a.tg.TargetGroupArn, target(t, wsEcho))
	conn, err := net.Dial("tcp", strings.TrimPrefix(a.url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// The first frame rides with the handshake, as clients may send it.
	fmt.Fprintf(conn, "GET /chat HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\nhello")
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 101 || resp.Header.Get("Upgrade") != "websocket" || resp.Header.Get("X-Saw-Forwarded-For") != "127.0.0.1" {
		t.Fatalf("handshake: %d %v", resp.StatusCode, resp.Header)
	}
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	buf := make([]byte, 5)
	if _, err := io.ReadFull(br, buf); err != nil || string(buf) != "HELLO" {
		t.Fatalf("first frame: %q %v", buf, err)
	}
	for _, m := range []string{"ping", "more"} {
		conn.Write([]byte(m))
		b := make([]byte, len(m))
		if _, err := io.ReadFull(br, b); err != nil || string(b) != strings.ToUpper(m) {
			t.Fatalf("echo %q: %q %v", m, b, err)
		}
	}
	// Idle for the idle timeout (1 s here), the pair is closed.
	h.setLBAttr(*a.lb.LoadBalancerArn, "idle_timeout.timeout_seconds", "1")
	conn.Write([]byte("x")) // re-arms the deadline with the new timeout
	io.ReadFull(br, make([]byte, 1))
	start := time.Now()
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := br.ReadByte(); err == nil {
		t.Fatal("read after idle")
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Fatalf("closed after %v", d)
	}
}

func TestStreaming(t *testing.T) {
	h := newHarness(t)
	a := h.newALB("stream")
	release := make(chan struct{})
	h.register(*a.tg.TargetGroupArn, target(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/events":
			w.Header().Set("Content-Type", "text/event-stream")
			fmt.Fprint(w, "data: one\n\n")
			w.(http.Flusher).Flush()
			<-release
			fmt.Fprint(w, "data: two\n\n")
		case "/upload":
			n, _ := io.Copy(io.Discard, r.Body)
			fmt.Fprintf(w, "%d %d", n, r.ContentLength)
		}
	}))
	// The first event arrives while the target still holds the second.
	resp, err := http.Get(a.url + "/events")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	br := bufio.NewReader(resp.Body)
	line, err := br.ReadString('\n')
	if err != nil || line != "data: one\n" || resp.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("first event %q %v", line, err)
	}
	close(release)
	rest, _ := io.ReadAll(br)
	if string(rest) != "\ndata: two\n\n" {
		t.Fatalf("rest %q", rest)
	}
	// A 32 MiB upload of unknown length streams through (chunked).
	pr, pw := io.Pipe()
	go func() {
		chunk := make([]byte, 1<<20)
		for range 32 {
			pw.Write(chunk)
		}
		pw.Close()
	}()
	up, err := http.Post(a.url+"/upload", "application/octet-stream", pr)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(up.Body)
	up.Body.Close()
	if string(b) != fmt.Sprintf("%d -1", 32<<20) {
		t.Fatalf("upload: %s", b)
	}
}

func TestHTTPSListener(t *testing.T) {
	h := newHarness(t)
	a := h.newALB("tls")
	h.register(*a.tg.TargetGroupArn, target(t, echo))
	port := freePort(t, *a.lb.DNSName)
	must(h.c.CreateListener(h.ctx, &elbv2.CreateListenerInput{LoadBalancerArn: a.lb.LoadBalancerArn, Protocol: types.ProtocolEnumHttps,
		Port: aws.Int32(int32(port)), DefaultActions: forwardTo(*a.tg.TargetGroupArn),
		Certificates: []types.Certificate{{CertificateArn: aws.String("arn:aws:acm:us-east-1:000000000000:certificate/x")}}}))
	h.sync()
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	resp, err := c.Get(fmt.Sprintf("https://%s:%d/", *a.lb.DNSName, port))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if !strings.Contains(string(b), `"X-Forwarded-Proto":["https"]`) || resp.TLS == nil || len(resp.TLS.PeerCertificates) == 0 ||
		resp.TLS.PeerCertificates[0].IPAddresses[0].String() != *a.lb.DNSName {
		t.Fatalf("%s %+v", b, resp.TLS)
	}
}
