package alb

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/quayside/quayside/internal/elb"
)

// listener is one listener's socket and HTTP server. An HTTP listener's
// connections start on the fast path (fastconn.go), which hands those it
// does not serve to the net/http server through hl; an HTTPS listener's
// go to the net/http server directly.
type listener struct {
	plane *Plane
	arn   string
	lbARN string
	addr  string // host:port bound
	proto string // HTTP or HTTPS
	table atomic.Pointer[table]
	ln    net.Listener
	srv   *http.Server
	hl    *handoffListener // nil for HTTPS

	closing atomic.Bool // stopping: fast connections close when idle
	mu      sync.Mutex
	fast    map[*fastConn]struct{}
	drained chan struct{} // closed when the last fast connection is gone, while closing
	settler *time.Timer   // runs settle (settle.go)
}

// MaxHeaderBytes is how much request line and headers a client may send
// (ALB: 64 KiB of headers); beyond it the answer is 431.
const MaxHeaderBytes = 64 << 10

// start binds the listener's socket and serves it.
func (p *Plane) startListener(l elb.Listener, lb elb.LoadBalancer, t *table) (*listener, error) {
	ln := &listener{plane: p, arn: l.ARN, lbARN: lb.ARN, proto: l.Protocol,
		addr: net.JoinHostPort(lb.Address, strconv.Itoa(l.Port))}
	ln.table.Store(t)
	sock, err := net.Listen("tcp", ln.addr)
	if err != nil {
		return nil, err
	}
	var inner net.Listener = idleListener{Listener: sock, idle: func() time.Duration { return ln.table.Load().idle }}
	if l.Protocol == elb.ProtocolHTTPS {
		cert, err := p.certificate(lb)
		if err != nil {
			sock.Close()
			return nil, err
		}
		inner = tls.NewListener(inner, &tls.Config{Certificates: []tls.Certificate{*cert}, NextProtos: []string{"http/1.1"},
			MinVersion: tls.VersionTLS12})
	}
	ln.ln = inner
	var served net.Listener = inner
	if l.Protocol != elb.ProtocolHTTPS {
		ln.hl = newHandoffListener(sock.Addr())
		ln.fast = map[*fastConn]struct{}{}
		served = ln.hl
	}
	ln.srv = &http.Server{
		Handler:           ln,
		ReadHeaderTimeout: p.o.HeaderTimeout,
		MaxHeaderBytes:    MaxHeaderBytes,
		ErrorLog:          log.New(io.Discard, "", 0),
		ConnContext: func(ctx context.Context, c net.Conn) context.Context {
			if tc, ok := c.(*tls.Conn); ok {
				c = tc.NetConn()
			}
			if pc, ok := c.(*prefixConn); ok {
				c = pc.idleConn
			}
			if ic, ok := c.(*idleConn); ok {
				return context.WithValue(ctx, connKey{}, ic)
			}
			return ctx
		},
	}
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		_ = ln.srv.Serve(served)
	}()
	if ln.hl != nil {
		ln.mu.Lock() // settle reads settler under mu
		ln.settler = time.AfterFunc(settleAfter, ln.settle)
		ln.mu.Unlock()
		p.wg.Add(1)
		go ln.accept()
	}
	return ln, nil
}

// accept takes an HTTP listener's connections onto the fast path, until
// the socket closes.
func (l *listener) accept() {
	defer l.plane.wg.Done()
	var delay time.Duration
	for {
		c, err := l.ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			// Out of descriptors or the like: back off, as net/http does.
			delay = min(max(2*delay, 5*time.Millisecond), time.Second)
			time.Sleep(delay)
			continue
		}
		delay = 0
		l.serveFast(c.(*idleConn))
	}
}

// serveFast starts the fast path on a connection, or hands it to net/http
// where the fast path cannot run.
func (l *listener) serveFast(ic *idleConn) {
	if ic.raw == nil || l.plane.o.generalOnly { // not TCP, or no raw calls here
		l.hl.deliver(ic)
		return
	}
	c := &fastConn{l: l, ic: ic, rc: ic.raw.rc}
	c.readFn = c.tryRead
	l.mu.Lock()
	if l.closing.Load() {
		l.mu.Unlock()
		ic.Close()
		return
	}
	l.fast[c] = struct{}{}
	l.mu.Unlock()
	l.plane.wg.Add(1) // the accept loop holds one: not racing Wait
	go c.serve()
}

func (l *listener) untrack(c *fastConn) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.fast, c)
	if len(l.fast) == 0 && l.drained != nil {
		close(l.drained)
		l.drained = nil
	}
}

// drainFast stops the fast path: idle connections close now, busy ones
// after their request, and any left when ctx ends are cut, with the
// target connections they are using.
func (l *listener) drainFast(ctx context.Context) {
	l.mu.Lock()
	l.closing.Store(true)
	l.settler.Stop()
	var drained chan struct{}
	if len(l.fast) > 0 {
		drained = make(chan struct{})
		l.drained = drained
	}
	for c := range l.fast {
		if c.state.CompareAndSwap(connIdle, connClosed) {
			c.ic.Close()
		}
	}
	l.mu.Unlock()
	if drained == nil {
		return
	}
	select {
	case <-drained:
	case <-ctx.Done():
		l.mu.Lock()
		for c := range l.fast {
			c.ic.Close()
			if uc := c.up.Load(); uc != nil {
				uc.Close()
			}
		}
		l.mu.Unlock()
	}
}

// stop closes the listener's socket at once and lets its requests in
// flight finish (for up to the drain timeout) in the background.
func (l *listener) stop(timeout time.Duration) {
	l.ln.Close()
	l.plane.wg.Add(1)
	go func() {
		defer l.plane.wg.Done()
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		if l.hl != nil {
			l.drainFast(ctx)
			l.hl.Close()
		}
		if l.srv.Shutdown(ctx) != nil {
			l.srv.Close()
		}
	}()
}

// certificate returns the load balancer's self-signed certificate.
func (p *Plane) certificate(lb elb.LoadBalancer) (*tls.Certificate, error) {
	if c, ok := p.certs[lb.Address]; ok {
		return c, nil
	}
	c, err := selfSigned(lb.Address, lb.DNSName, time.Now())
	if err == nil {
		p.certs[lb.Address] = c
	}
	return c, err
}
