package alb

import (
	"net"
	"net/http"
	"strconv"
	"time"
)

// proxy forwards the request in x to b and relays the answer (the fast
// path's forward; see fastconn.go).
func (c *fastConn) proxy(x *exchange, t *table, b *backend, cookies []string, now time.Time, closeAfter bool) outcome {
	h := &x.req
	bodyStart := x.r + h.end
	method := string(h.method.of(x.in[x.r:]))
	x.out = c.appendRequestHead(x.out[:0], x, t, now)
	// rest is the body still to come from the client; with none, the
	// request is whole in x.out and can be sent again, if idempotent.
	rest := h.contentLength - int64(x.w-bodyStart)
	if rest <= 0 {
		end := bodyStart + int(h.contentLength)
		x.out = append(x.out, x.in[bodyStart:end]...)
		x.r, rest = end, 0
	} else {
		x.out = append(x.out, x.in[bodyStart:x.w]...)
		x.r, x.w = 0, 0
	}
	idempotent := method == "GET" || method == "HEAD" || method == "OPTIONS" || method == "TRACE"
	for attempt := 0; ; attempt++ {
		// A request that cannot be sent again is not risked on a pooled
		// connection the target may have closed; a retry gets a new one.
		resend := idempotent && rest == 0
		uc, reused, err := b.takeConn(now, !resend, attempt > 0)
		if err != nil {
			return c.replyError(x, targetErrorStatus(err), closeAfter || rest > 0)
		}
		c.upSince.Store(now.UnixNano())
		c.up.Store(uc)
		o, retry := c.roundTrip(x, b, uc, rest, cookies, closeAfter)
		c.up.Store(nil)
		if c.abandoned.Swap(false) {
			return closeConn // the client went away (settle closed uc)
		}
		if !retry || !reused || !resend {
			if retry {
				o = c.replyError(x, http.StatusBadGateway, closeAfter || rest > 0)
			}
			if o == keepOpen && c.l.closing.Load() {
				o = closeConn
			}
			return o
		}
	}
}

// roundTrip sends the request on uc and relays the answer; retry as relay's.
func (c *fastConn) roundTrip(x *exchange, b *backend, uc *upConn, rest int64, cookies []string, closeAfter bool) (o outcome, retry bool) {
	_, err := uc.Write(x.out)
	if err == nil && rest > 0 {
		var clientGone bool
		if err, clientGone = c.sendBody(x, uc, rest); clientGone {
			uc.Close()
			return closeConn, false
		}
	}
	if err != nil {
		uc.Close()
		if isReusedConnGone(err) {
			return keepOpen, true
		}
		return c.replyError(x, targetErrorStatus(err), closeAfter || rest > 0), false
	}
	return c.relay(x, b, uc, cookies, closeAfter)
}

// sendBody copies the rest of a request body from the client to the
// target; x.in keeps what the client sent after it.
func (c *fastConn) sendBody(x *exchange, uc *upConn, rest int64) (err error, clientGone bool) {
	for rest > 0 {
		n, rerr := c.ic.Read(x.in)
		k := int(min(int64(n), rest))
		if k > 0 {
			if _, err := uc.Write(x.in[:k]); err != nil {
				return err, false
			}
			rest -= int64(k)
		}
		x.r, x.w = k, n
		if rerr != nil && rest > 0 {
			return rerr, true
		}
	}
	if x.r == x.w {
		x.r, x.w = 0, 0
	}
	return nil, false
}

// appendRequestHead writes the request head for the target: the request
// line as it came, the Host, the client's headers but hop-by-hop ones,
// then X-Forwarded-For, -Proto, -Port and X-Amzn-Trace-Id as the load
// balancer's attributes say (see prepareHeaders, the general path's).
func (c *fastConn) appendRequestHead(out []byte, x *exchange, t *table, now time.Time) []byte {
	h, b := &x.req, x.in[x.r:x.w]
	out = append(out, h.method.of(b)...)
	out = append(out, ' ')
	out = append(out, h.target.of(b)...)
	out = append(out, " HTTP/1.1\r\nHost: "...)
	out = appendHost(out, h.host.of(b), t)
	out = append(out, "\r\n"...)
	for _, hl := range h.hdrs {
		switch hl.kind {
		case hHost, hConnection, hHop, hTrailer, hXFF, hXFProto, hXFPort, hTrace:
			continue
		}
		name := hl.name.of(b)
		if h.connTokens && connectionNames(b, h.hdrs, name) || t.dropBad && !validHeaderNameBytes(name) {
			continue
		}
		out = append(out, name...)
		out = append(out, ": "...)
		out = append(out, hl.value.of(b)...)
		out = append(out, "\r\n"...)
	}
	ip := c.ic.peerIP
	if t.xffPort {
		if c.ipPort == "" {
			c.ipPort = net.JoinHostPort(ip, strconv.Itoa(int(c.ic.peer.Port())))
		}
		ip = c.ipPort
	}
	switch {
	case t.xffMode == "remove":
	case t.xffMode == "preserve" && h.nXFF > 0:
		for _, hl := range h.hdrs {
			if hl.kind == hXFF {
				out = append(out, "X-Forwarded-For: "...)
				out = append(out, hl.value.of(b)...)
				out = append(out, "\r\n"...)
			}
		}
	default:
		out = append(out, "X-Forwarded-For: "...)
		if t.xffMode != "preserve" {
			for _, hl := range h.hdrs {
				if hl.kind == hXFF {
					out = append(out, hl.value.of(b)...)
					out = append(out, ", "...)
				}
			}
		}
		out = append(out, ip...)
		out = append(out, "\r\n"...)
	}
	out = append(out, "X-Forwarded-Proto: "...)
	out = append(out, t.scheme...)
	out = append(out, "\r\nX-Forwarded-Port: "...)
	out = append(out, t.portStr...)
	out = append(out, "\r\nX-Amzn-Trace-Id: "...)
	if h.trace >= 0 {
		out = append(out, traceHeader(string(h.hdrs[h.trace].value.of(b)), now)...)
	} else {
		out = appendTraceID(append(out, "Root="...), now)
	}
	return append(out, "\r\n\r\n"...)
}

// appendHost writes the Host for the target: the client's, with the
// listener's port added when it has none and the port is not the
// protocol's own, unless the host header is preserved.
func appendHost(out, host []byte, t *table) []byte {
	if t.keepHost || t.scheme == "http" && t.port == 80 || t.scheme == "https" && t.port == 443 {
		return append(out, host...)
	}
	colons := 0
	for _, ch := range host {
		if ch == ':' {
			colons++
		}
	}
	switch {
	case host[0] == '[':
		if i := lastIndexByte(host, ']'); i >= 0 && i+1 < len(host) && host[i+1] == ':' {
			return append(out, host...) // [v6]:port
		}
		host = trimBrackets(host)
	case colons == 1:
		return append(out, host...) // name:port
	case colons == 0:
		out = append(out, host...)
		return append(append(out, ':'), t.portStr...)
	}
	out = append(append(out, '['), host...) // a bare IPv6 address
	return append(append(out, "]:"...), t.portStr...)
}

func lastIndexByte(b []byte, c byte) int {
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] == c {
			return i
		}
	}
	return -1
}

func trimBrackets(b []byte) []byte {
	for len(b) > 0 && (b[0] == '[' || b[0] == ']') {
		b = b[1:]
	}
	for len(b) > 0 && (b[len(b)-1] == '[' || b[len(b)-1] == ']') {
		b = b[:len(b)-1]
	}
	return b
}

// validHeaderNameBytes is validHeaderName for bytes.
func validHeaderNameBytes(k []byte) bool {
	for _, c := range k {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return len(k) > 0
}
