package benchproc

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"time"
)

// FreeAddr returns a loopback address, 127.0.0.1:port, that nothing
// listens on now.
func FreeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// WaitListening waits until addr accepts TCP connections, the process
// exits or timeout passes.
func (p *Proc) WaitListening(addr string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if p.Exited() {
			return fmt.Errorf("%s exited; its log:\n%s", p.name, p.Tail(20))
		}
		if c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond); err == nil {
			c.Close()
			return nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	return fmt.Errorf("%s does not listen on %s after %v; its log:\n%s", p.name, addr, timeout, p.Tail(20))
}

// WaitHTTP polls base+path every 10 ms until it answers 200, the process
// exits, ctx ends or timeout passes.
func (p *Proc) WaitHTTP(ctx context.Context, base, path string, timeout time.Duration) error {
	hc := &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{Proxy: nil, DisableKeepAlives: true}}
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if err := p.Check(ctx); err != nil {
			return err
		}
		resp, err := hc.Get(base + path)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	return fmt.Errorf("%s did not answer %s within %s; its log:\n%s", p.name, path, timeout, p.Tail(20))
}

// Check returns an error, with the tail of the log, when the process has
// exited, and ctx's error when ctx has ended.
func (p *Proc) Check(ctx context.Context) error {
	if p.Exited() {
		return fmt.Errorf("%s exited (%v); its log:\n%s", p.name, p.err, p.Tail(20))
	}
	return ctx.Err()
}
