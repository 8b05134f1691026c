package alb

import (
	"context"
	"crypto/tls"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// backend is one registered target: its keep-alive connection pool and
// its count of outstanding requests. Backends outlive routing tables; a
// backend is closed when its target is removed (deregistration finished,
// target group or load balancer gone), which closes its connections and
// so cuts the requests still running on them.
//
// Connections to the target are idleConns too: a target that sends
// nothing for the load balancer's idle timeout, before or during its
// answer, fails the request (504 before the status line).
type backend struct {
	key      string // targetKey
	addr     string // host:port
	scheme   string // http or https
	dialer   *net.Dialer
	tr       *http.Transport // the general path's pool
	inflight atomic.Int64
	idle     atomic.Int64 // the idle timeout of the load balancer using it, in ns

	mu       sync.Mutex
	conns    map[*trackedConn]struct{}
	closed   bool
	upIdle   []*upConn   // the fast path's pool (upstream.go), oldest first
	sweeper  *time.Timer // closes pooled connections idle too long
	sweeping bool        // sweeper is armed
}

// ConnectTimeout is how long the load balancer waits to connect to a
// target before answering 504, as ALB does (10 s).
const ConnectTimeout = 10 * time.Second

func newBackend(key, addr string, https bool, connectTimeout time.Duration) *backend {
	b := &backend{key: key, addr: addr, scheme: "http", conns: map[*trackedConn]struct{}{}}
	b.idle.Store(int64(60 * time.Second))
	dialer := &net.Dialer{Timeout: connectTimeout, KeepAlive: 30 * time.Second}
	b.dialer = dialer
	b.tr = &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			c, err := dialer.DialContext(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			return b.track(c)
		},
		MaxIdleConns:          0, // no overall limit
		MaxIdleConnsPerHost:   4096,
		IdleConnTimeout:       90 * time.Second,
		DisableCompression:    true, // pass bodies through as they are
		ExpectContinueTimeout: time.Second,
		WriteBufferSize:       16 << 10,
		ReadBufferSize:        16 << 10,
	}
	if https {
		b.scheme = "https"
		// Like ALB, the load balancer does not verify targets' certificates.
		b.tr.TLSClientConfig = &tls.Config{InsecureSkipVerify: true}
	}
	return b
}

func (b *backend) idleTimeout() time.Duration { return time.Duration(b.idle.Load()) }

// trackedConn is a connection to the target that the backend can close.
// The general path's http.Transport and the fast path's own pool
// (upstream.go) both make them.
type trackedConn struct {
	*idleConn
	b    *backend
	once sync.Once
}

func (c *trackedConn) Close() error {
	c.once.Do(func() {
		c.b.mu.Lock()
		delete(c.b.conns, c)
		c.b.mu.Unlock()
	})
	return c.idleConn.Close()
}

func (b *backend) track(c net.Conn) (net.Conn, error) {
	tc := &trackedConn{idleConn: newIdleConn(c, b.idleTimeout), b: b}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		c.Close()
		return nil, net.ErrClosed
	}
	b.conns[tc] = struct{}{}
	return tc, nil
}

// close closes the backend's connections, idle and busy.
func (b *backend) close() {
	b.mu.Lock()
	b.closed = true
	conns := b.conns
	b.conns = map[*trackedConn]struct{}{}
	b.upIdle = nil
	if b.sweeper != nil {
		b.sweeper.Stop()
	}
	b.mu.Unlock()
	for c := range conns {
		c.idleConn.Close()
	}
	b.tr.CloseIdleConnections()
}
