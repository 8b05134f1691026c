package alb

import (
	"context"
	"crypto/tls"
	"io"
	"log"
	"net"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/quayside/quayside/internal/elb"
)

// listener is one listener's socket and HTTP server.
type listener struct {
	plane *Plane
	arn   string
	lbARN string
	addr  string // host:port bound
	proto string // HTTP or HTTPS
	table atomic.Pointer[table]
	ln    net.Listener
	srv   *http.Server
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
	ln.srv = &http.Server{
		Handler:           ln,
		ReadHeaderTimeout: p.o.HeaderTimeout,
		MaxHeaderBytes:    MaxHeaderBytes,
		ErrorLog:          log.New(io.Discard, "", 0),
		ConnContext: func(ctx context.Context, c net.Conn) context.Context {
			if tc, ok := c.(*tls.Conn); ok {
				c = tc.NetConn()
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
		_ = ln.srv.Serve(inner)
	}()
	return ln, nil
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
