package alb

import (
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestParseRequest(t *testing.T) {
	cases := []struct {
		name, in string
		want     parseResult
		check    func(t *testing.T, h *reqHead, b []byte)
	}{
		{name: "get", in: "GET /a?b=c HTTP/1.1\r\nHost: x\r\nUser-Agent: t\r\n\r\n", want: headDone,
			check: func(t *testing.T, h *reqHead, b []byte) {
				if string(h.method.of(b)) != "GET" || string(h.target.of(b)) != "/a?b=c" || string(h.host.of(b)) != "x" ||
					len(h.hdrs) != 2 || h.end != len(b) || h.contentLength != 0 || h.close || h.head {
					t.Errorf("%+v", h)
				}
			}},
		{name: "body and pipelined bytes", in: "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabcGET", want: headDone,
			check: func(t *testing.T, h *reqHead, b []byte) {
				if h.contentLength != 3 || string(b[h.end:]) != "abcGET" {
					t.Errorf("%+v", h)
				}
			}},
		{name: "connection tokens", in: "HEAD / HTTP/1.1\r\nHost: x\r\nConnection: close, X-Hop\r\nX-Forwarded-For: a\r\nX-Forwarded-For: b\r\nX-Amzn-Trace-Id: Root=1\r\n\r\n",
			want: headDone, check: func(t *testing.T, h *reqHead, b []byte) {
				if !h.close || !h.connTokens || !h.head || h.nXFF != 2 || h.trace != 4 {
					t.Errorf("%+v", h)
				}
			}},
		{name: "value trimmed", in: "GET / HTTP/1.1\r\nHost: \t x \t\r\n\r\n", want: headDone,
			check: func(t *testing.T, h *reqHead, b []byte) {
				if string(h.host.of(b)) != "x" {
					t.Errorf("host %q", h.host.of(b))
				}
			}},
		{name: "incomplete line", in: "GET / HTTP/1.1\r\nHost: x", want: headMore},
		{name: "incomplete head", in: "GET / HTTP/1.1\r\nHost: x\r\n", want: headMore},
		{name: "nothing yet", in: "GE", want: headMore},
		{name: "HTTP/1.0", in: "GET / HTTP/1.0\r\n\r\n", want: headBad},
		{name: "HTTP/2 preface", in: "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", want: headBad},
		{name: "absolute form", in: "GET http://x/ HTTP/1.1\r\nHost: x\r\n\r\n", want: headBad},
		{name: "no host", in: "GET / HTTP/1.1\r\n\r\n", want: headBad},
		{name: "empty host", in: "GET / HTTP/1.1\r\nHost:\r\n\r\n", want: headBad},
		{name: "two hosts", in: "GET / HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n", want: headBad},
		{name: "bad host", in: "GET / HTTP/1.1\r\nHost: x y\r\n\r\n", want: headBad},
		{name: "chunked body", in: "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n", want: headBad},
		{name: "upgrade", in: "GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n\r\n", want: headBad},
		{name: "connection upgrade", in: "GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\n\r\n", want: headBad},
		{name: "expect", in: "PUT / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n\r\n", want: headBad},
		{name: "two lengths", in: "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\n", want: headBad},
		{name: "bad length", in: "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n", want: headBad},
		{name: "bare LF", in: "GET / HTTP/1.1\nHost: x\n\n", want: headBad},
		{name: "bare LF in headers", in: "GET / HTTP/1.1\r\nHost: x\n\r\n", want: headBad},
		{name: "folded line", in: "GET / HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n 2\r\n\r\n", want: headBad},
		{name: "space before colon", in: "GET / HTTP/1.1\r\nHost : x\r\n\r\n", want: headBad},
		{name: "no colon", in: "GET / HTTP/1.1\r\nHost: x\r\nNo colon\r\n\r\n", want: headBad},
		{name: "control in value", in: "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\x01b\r\n\r\n", want: headBad},
		{name: "bad escape", in: "GET /%zz HTTP/1.1\r\nHost: x\r\n\r\n", want: headBad},
		{name: "escape in query", in: "GET /?%zz HTTP/1.1\r\nHost: x\r\n\r\n", want: headDone},
		{name: "non-ASCII target", in: "GET /\xc3\xa9 HTTP/1.1\r\nHost: x\r\n\r\n", want: headBad},
		{name: "connect", in: "CONNECT x:443 HTTP/1.1\r\nHost: x\r\n\r\n", want: headBad},
		{name: "leading empty line", in: "\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n", want: headBad},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var h reqHead
			b := []byte(c.in)
			if got := parseRequest(b, &h); got != c.want {
				t.Fatalf("got %v, want %v", got, c.want)
			}
			if c.check != nil {
				c.check(t, &h, b)
			}
		})
	}
}

func TestParseResponse(t *testing.T) {
	cases := []struct {
		name, in string
		want     parseResult
		status   int
		length   int64
		chunked  bool
		otherTE  bool
		close    bool
	}{
		{name: "length", in: "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", want: headDone, status: 200, length: 5},
		{name: "chunked wins", in: "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n", want: headDone, status: 200, length: 5, chunked: true},
		{name: "other coding", in: "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n", want: headDone, status: 200, length: -1, otherTE: true},
		{name: "close", in: "HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n", want: headDone, status: 404, length: -1, close: true},
		{name: "1.0", in: "HTTP/1.0 200 OK\r\n\r\n", want: headDone, status: 200, length: -1, close: true},
		{name: "1.0 keep-alive", in: "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n", want: headDone, status: 200},
		{name: "no reason, bare LF", in: "HTTP/1.1 204\nX: y\n\n", want: headDone, status: 204, length: -1},
		{name: "same length twice", in: "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\n", want: headDone, status: 200, length: 1},
		{name: "two lengths", in: "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", want: headBad},
		{name: "partial", in: "HTTP/1.1 200 OK\r\nContent-Le", want: headMore},
		{name: "partial start", in: "HTT", want: headMore},
		{name: "not HTTP", in: "SSH-2.0-OpenSSH\r\n", want: headBad},
		{name: "bad status", in: "HTTP/1.1 2x0 OK\r\n\r\n", want: headBad},
		{name: "HTTP/2", in: "HTTP/2 200\r\n\r\n", want: headBad},
		{name: "bad header", in: "HTTP/1.1 200 OK\r\nNo colon\r\n\r\n", want: headBad},
		{name: "CR in value", in: "HTTP/1.1 200 OK\r\nX: a\rb\r\n\r\n", want: headBad},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var h respHead
			got := parseResponse([]byte(c.in), &h)
			if got != c.want {
				t.Fatalf("got %v, want %v", got, c.want)
			}
			if got == headDone && (h.status != c.status || h.contentLength != c.length || h.chunked != c.chunked ||
				h.otherTE != c.otherTE || h.close != c.close) {
				t.Errorf("%+v", h)
			}
		})
	}
}

func TestChunkScanner(t *testing.T) {
	body := "5;ext=1\r\nhello\r\n1A\r\n" + strings.Repeat("x", 26) + "\r\n0\r\nTrailer-A: 1\r\nTrailer-B: 2\r\n\r\n"
	for _, step := range []int{1, 3, 7, len(body)} {
		var s chunkScanner
		in := body + "NEXT"
		total, done := 0, false
		for off := 0; off < len(in) && !done; off += step {
			n, d, ok := s.scan([]byte(in[off:min(off+step, len(in))]))
			if !ok {
				t.Fatalf("step %d: invalid at %d", step, off)
			}
			total, done = total+n, d
		}
		if !done || total != len(body) {
			t.Fatalf("step %d: consumed %d of %d, done %v", step, total, len(body), done)
		}
	}
	for _, in := range []string{"0\n\n", "0\r\n\r\n", "3\nabc\n0\n\n"} {
		var s chunkScanner
		if n, done, ok := s.scan([]byte(in)); !ok || !done || n != len(in) {
			t.Errorf("%q: %d %v %v", in, n, done, ok)
		}
	}
	for _, in := range []string{"x\r\n", "\r\n", "3\r\nabcX", "1234567890123456\r\n", "0\r\n\rX"} {
		var s chunkScanner
		if _, _, ok := s.scan([]byte(in)); ok {
			t.Errorf("%q accepted", in)
		}
	}
}

func TestAppendHost(t *testing.T) {
	at := func(port int, keep bool) *table {
		return &table{scheme: "http", port: port, portStr: strconv.Itoa(port), keepHost: keep}
	}
	cases := []struct {
		host string
		t    *table
		want string
	}{
		{"example.com", at(8080, false), "example.com:8080"},
		{"example.com:9", at(8080, false), "example.com:9"},
		{"example.com", at(80, false), "example.com"},
		{"example.com", at(8080, true), "example.com"},
		{"[::1]", at(8080, false), "[::1]:8080"},
		{"[::1]:9", at(8080, false), "[::1]:9"},
		{"::1", at(8080, false), "[::1]:8080"},
	}
	for _, c := range cases {
		if got := string(appendHost(nil, []byte(c.host), c.t)); got != c.want {
			t.Errorf("%s: %q, want %q", c.host, got, c.want)
		}
	}
}

// TestAppendRequestHead checks the head the fast path sends a target, as
// prepareHeaders makes it on the general path.
func TestAppendRequestHead(t *testing.T) {
	const in = "GET /p?q HTTP/1.1\r\nHost: app\r\nConnection: keep-alive, X-Hop\r\nX-Hop: 1\r\nKeep-Alive: 5\r\nTE: trailers\r\n" +
		"X-Forwarded-For: 203.0.113.1\r\nX-Forwarded-For: 203.0.113.2\r\nX-Forwarded-Proto: ftp\r\nX_Under: 1\r\nAccept: */*\r\n\r\n"
	c := &fastConn{ic: &idleConn{peer: netip.MustParseAddrPort("192.0.2.9:5555"), peerIP: "192.0.2.9"}}
	cases := []struct {
		name string
		t    table
		want string
	}{
		{"append", table{scheme: "http", port: 8080, portStr: "8080", xffMode: "append"},
			"GET /p?q HTTP/1.1\r\nHost: app:8080\r\nX_Under: 1\r\nAccept: */*\r\nX-Forwarded-For: 203.0.113.1, 203.0.113.2, 192.0.2.9\r\n" +
				"X-Forwarded-Proto: http\r\nX-Forwarded-Port: 8080\r\nX-Amzn-Trace-Id: Root=TRACE\r\n\r\n"},
		{"preserve, client port, drop invalid", table{scheme: "https", port: 443, portStr: "443", xffMode: "preserve", xffPort: true, dropBad: true},
			"GET /p?q HTTP/1.1\r\nHost: app\r\nAccept: */*\r\nX-Forwarded-For: 203.0.113.1\r\nX-Forwarded-For: 203.0.113.2\r\n" +
				"X-Forwarded-Proto: https\r\nX-Forwarded-Port: 443\r\nX-Amzn-Trace-Id: Root=TRACE\r\n\r\n"},
		{"remove", table{scheme: "http", port: 80, portStr: "80", xffMode: "remove"},
			"GET /p?q HTTP/1.1\r\nHost: app\r\nX_Under: 1\r\nAccept: */*\r\n" +
				"X-Forwarded-Proto: http\r\nX-Forwarded-Port: 80\r\nX-Amzn-Trace-Id: Root=TRACE\r\n\r\n"},
	}
	trace := regexp.MustCompile(`Root=1-[0-9a-f]{8}-[0-9a-f]{24}`)
	for _, cs := range cases {
		x := &exchange{in: []byte(in), w: len(in)}
		if parseRequest(x.in, &x.req) != headDone {
			t.Fatal("parse")
		}
		got := trace.ReplaceAllString(string(c.appendRequestHead(nil, x, &cs.t, time.Now())), "Root=TRACE")
		if got != cs.want {
			t.Errorf("%s:\n got %q\nwant %q", cs.name, got, cs.want)
		}
	}
	// With the client's port (preserve mode without a prior value).
	x := &exchange{in: []byte("GET / HTTP/1.1\r\nHost: a\r\n\r\n"), w: 27}
	parseRequest(x.in, &x.req)
	if got := string(c.appendRequestHead(nil, x, &table{scheme: "http", port: 80, portStr: "80", xffMode: "preserve", xffPort: true}, time.Now())); !strings.Contains(got, "X-Forwarded-For: 192.0.2.9:5555\r\n") {
		t.Errorf("%q", got)
	}
}
