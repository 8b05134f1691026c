package alb

import (
	"bytes"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/quayside/quayside/internal/elb"
)

// The fast path serves the common case of an HTTP listener without
// net/http: one goroutine per client connection reads each request into
// a pooled buffer, parses its head in place, routes it, and forwards it
// on a pooled keep-alive connection to the target with the request line
// and headers written once, X-Forwarded-* and X-Amzn-Trace-Id added; the
// answer is parsed the same way and copied back as it arrives. No other
// goroutine takes part, and nothing is allocated per request in the
// common case.
//
//	client conn ──▶ await: raw read, no buffer held while idle
//	                  │ bytes arrive: take an exchange (buffers) from the pool
//	                  ▼
//	                parseRequest ──headBad──▶ hand the connection, bytes read
//	                  │                       included, to net/http for good
//	                  ▼                       (the general path)
//	                route ── fixed-response, redirect, 503 ──▶ answered here
//	                  │ forward to an https target ──▶ hand over
//	                  ▼
//	                proxy: takeConn, one write (head + body if buffered),
//	                  │ retry once on a new connection when a reused one
//	                  │ turns out closed and the request can be resent
//	                  ▼
//	                relay: parseResponse, head + first bytes in one write,
//	                  │ then copy the rest (Content-Length, chunked, or
//	                  │ until the target closes) as it arrives
//	                  ▼
//	                back to the pool: the target connection if clean, the
//	                exchange once no pipelined bytes are left
//
// Whatever the fast path does not handle itself goes to net/http whole,
// before anything is sent: HTTP/1.0, upgrades (WebSocket), chunked or
// Expect: 100-continue request bodies, heads over 16 KiB, malformed
// requests (net/http answers 400, 431, 501 as before), HTTPS targets. A
// listener's HTTPS connections all take the general path.
//
// A client that goes away while its request waits on the target is
// noticed by the listener's settle, which looks at every request that has
// waited settleAfter or more: it closes the target connection, and the
// client's, as nginx does for a client that closes early (ALB logs such a
// request as 460). A quicker request is not watched: it costs nothing.

// Buffer sizes of an exchange.
const (
	inBufSize   = 16 << 10 // client bytes; a larger request head is handed over
	respBufSize = 16 << 10 // target bytes
	maxRespHead = 64 << 10 // a target's response head may grow its buffer to this
)

// exchange is the state of one request on the fast path: pooled, and
// held by a connection only while a request is on it.
type exchange struct {
	in      []byte // client bytes: [r, w) not yet used
	r, w    int
	resp    []byte // target bytes
	out     []byte // what is being written
	req     reqHead
	res     respHead
	chunk   chunkScanner
	httpReq *http.Request // made for rules and stickiness only
}

var exchanges = sync.Pool{New: func() any {
	return &exchange{in: make([]byte, inBufSize), resp: make([]byte, respBufSize), out: make([]byte, 0, 4<<10),
		req: reqHead{hdrs: make([]hdrLine, 0, 32)}, res: respHead{hdrs: make([]hdrLine, 0, 32)}}
}}

func getExchange() *exchange { return exchanges.Get().(*exchange) }

func putExchange(x *exchange) {
	x.r, x.w, x.httpReq = 0, 0, nil
	if len(x.resp) > respBufSize {
		x.resp = make([]byte, respBufSize)
	}
	if cap(x.out) > 64<<10 {
		x.out = make([]byte, 0, 4<<10)
	}
	exchanges.Put(x)
}

// fastConn is a client connection on the fast path.
type fastConn struct {
	l      *listener
	ic     *idleConn
	rc     syscall.RawConn
	readFn func(uintptr) bool // c.tryRead, made once
	x      *exchange          // what tryRead read into
	rerr   error              // tryRead's error
	state  atomic.Int32
	up     atomic.Pointer[upConn] // the target connection in use, for a forced stop
	// upSince is when the request on up began (Unix ns); abandoned is set
	// when the client went away meanwhile and up was closed (see settle).
	upSince   atomic.Int64
	abandoned atomic.Bool
	// For settle: when the connection last went idle (Unix ns); whether its
	// wait has moved since its last request; whether a move was asked.
	idleSince atomic.Int64
	settled   atomic.Bool
	nudged    atomic.Bool
	ipPort    string // the client's "ip:port", made on first use
}

// A fastConn's state, for stopping the listener.
const (
	connActive int32 = iota
	connIdle         // waiting for a request: may be closed at once
	connClosed
)

// outcome is how a request left its connection.
type outcome int

const (
	keepOpen outcome = iota
	closeConn
	handedOver
)

// serve runs the connection until it closes or is handed over.
//
// A goroutine parked in a network wait keeps a stack of at least 4 KiB,
// and serving requests grows it to 8 KiB. So once a connection has been
// idle for settleAfter, the listener's settler wakes its wait (nudge), and
// the wait goes on in a new goroutine, whose stack is the small one a
// goroutine starts with: waiting for a request then costs about 2 KiB.
// Connections in use never move, so a request costs no goroutine.
func (c *fastConn) serve() {
	moved := false
	defer func() {
		if !moved {
			c.l.untrack(c)
			c.l.plane.wg.Done()
		}
	}()
	for {
		x, err := c.await()
		if err == errSettle {
			moved = true // the new goroutine holds this one's place in the WaitGroup
			go c.serve()
			return
		}
		if err != nil {
			c.ic.Close()
			return
		}
		for x != nil {
			switch c.serveRequest(x) {
			case handedOver:
				return
			case closeConn:
				putExchange(x)
				c.ic.Close()
				return
			}
			if c.l.closing.Load() {
				putExchange(x)
				c.ic.Close()
				return
			}
			if x.r == x.w {
				putExchange(x) // idle from here on: hold no buffer
				x = nil
			}
		}
	}
}

// await waits for the next request's first bytes without holding a
// buffer: a raw read tries a pooled buffer and gives it back when nothing
// is there, then waits for the socket to become readable.
func (c *fastConn) await() (*exchange, error) {
	now := time.Now()
	c.idleSince.Store(now.UnixNano())
	c.state.Store(connIdle)
	if c.l.closing.Load() {
		return nil, net.ErrClosed
	}
	c.ic.beforeRead(now)
	c.rerr = nil
	err := c.rc.Read(c.readFn)
	x := c.x
	c.x = nil
	if err == nil {
		err = c.rerr
	}
	if err != nil && c.nudged.Swap(false) && errors.Is(err, os.ErrDeadlineExceeded) {
		err = errSettle
	}
	if err == nil && !c.state.CompareAndSwap(connIdle, connActive) {
		err = net.ErrClosed
	}
	if err != nil {
		if x != nil {
			putExchange(x)
		}
		return nil, err
	}
	if c.settled.Load() {
		c.settled.Store(false)
		c.nudged.Store(false)
	}
	return x, nil
}

func (c *fastConn) tryRead(fd uintptr) bool {
	if c.x == nil {
		c.x = getExchange()
	}
	n, block, err := rawRead(fd, c.x.in)
	if block {
		putExchange(c.x)
		c.x = nil
		return false
	}
	if n == 0 && err == nil {
		err = io.EOF
	}
	c.x.w, c.rerr = n, err
	return true
}

// serveRequest serves the request at x.in[x.r:], reading the rest of its
// head if need be.
func (c *fastConn) serveRequest(x *exchange) outcome {
	timed := false
	for {
		switch parseRequest(x.in[x.r:x.w], &x.req) {
		case headDone:
		case headBad:
			return c.handOver(x)
		case headMore:
			if x.r > 0 {
				x.w = copy(x.in, x.in[x.r:x.w])
				x.r = 0
			}
			if x.w == len(x.in) {
				return c.handOver(x) // a large head: net/http reads on, to 64 KiB
			}
			if !timed { // slow headers are cut at the header timeout
				timed = true
				_ = c.ic.SetReadDeadline(time.Now().Add(c.l.plane.o.HeaderTimeout))
			}
			n, err := c.ic.Read(x.in[x.w:])
			x.w += n
			if n == 0 && err != nil {
				return closeConn
			}
			continue
		}
		break
	}
	if timed {
		_ = c.ic.SetReadDeadline(time.Time{})
	}
	return c.route(x)
}

// route applies the listener's rules to the parsed request.
func (c *fastConn) route(x *exchange) outcome {
	t := c.l.table.Load()
	h := &x.req
	now := time.Now()
	closeAfter := h.close || t.keepAlive > 0 && now.Sub(c.ic.start) > t.keepAlive
	bodyEnd := int64(x.r+h.end) + h.contentLength
	buffered := bodyEnd <= int64(x.w)
	var act *action
	for i := range t.rules {
		ru := &t.rules[i]
		if ru.match != nil {
			r := c.request(x)
			if r == nil {
				return c.handOver(x)
			}
			if !ru.match.Match(r, c.ic.peer.Addr()) {
				continue
			}
		}
		act = &ru.act
		break
	}
	if !buffered && (act == nil || act.kind != elb.ActionForward) {
		return c.handOver(x) // net/http reads or discards the body
	}
	if act == nil || act.kind != elb.ActionForward {
		r := c.request(x)
		if r == nil {
			return c.handOver(x)
		}
		x.r = int(bodyEnd)
		return c.reply(x, closeAfter, func(w http.ResponseWriter) {
			switch {
			case act == nil:
				writeError(w, http.StatusServiceUnavailable)
			case act.kind == elb.ActionRedirect:
				redirect(t, act.redirect, w, r)
			default:
				fixedResponse(act.fixed, w)
			}
		})
	}
	var r *http.Request
	if act.groupSticky > 0 {
		if r = c.request(x); r == nil {
			return c.handOver(x)
		}
	}
	g, groupCookie := act.pickGroup(r)
	if g != nil && g.sticky > 0 && r == nil {
		if r = c.request(x); r == nil {
			return c.handOver(x)
		}
	}
	var b *backend
	var targetCookie string
	if g != nil && g.registered > 0 {
		b, targetCookie = g.pick(r, now)
	}
	if b == nil && !buffered || b != nil && b.scheme != "http" {
		return c.handOver(x)
	}
	if b == nil {
		x.r = int(bodyEnd)
		return c.replyError(x, http.StatusServiceUnavailable, closeAfter)
	}
	cookies := replyCookies(groupCookie, targetCookie, act.groupSticky, g.sticky, now)
	b.inflight.Add(1)
	defer b.inflight.Add(-1)
	return c.proxy(x, t, b, cookies, now, closeAfter)
}

// request makes the net/http form of the request, for rule conditions,
// stickiness and the load balancer's own answers; nil if net/http would
// not accept it.
func (c *fastConn) request(x *exchange) *http.Request {
	if x.httpReq != nil {
		return x.httpReq
	}
	h, b := &x.req, x.in[x.r:x.w]
	target := string(h.target.of(b))
	u, err := url.ParseRequestURI(target)
	if err != nil {
		return nil
	}
	hdr := make(http.Header, len(h.hdrs))
	for _, hl := range h.hdrs {
		k := http.CanonicalHeaderKey(string(hl.name.of(b)))
		hdr[k] = append(hdr[k], string(hl.value.of(b)))
	}
	x.httpReq = &http.Request{Method: string(h.method.of(b)), URL: u, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: hdr, Host: string(h.host.of(b)), RequestURI: target, RemoteAddr: c.ic.peer.String(),
		ContentLength: h.contentLength, Close: h.close}
	return x.httpReq
}

// handOver gives the connection, with every byte read and not yet used,
// to the general path's net/http server.
func (c *fastConn) handOver(x *exchange) outcome {
	pending := bytes.Clone(x.in[x.r:x.w])
	putExchange(x)
	c.l.hl.deliver(&prefixConn{idleConn: c.ic, pending: pending})
	return handedOver
}
