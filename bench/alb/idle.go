package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/quayside/quayside/bench/internal/benchproc"
)

// idleResult is the memory one proxy holds for idle keep-alive
// connections.
type idleResult struct {
	Connections int     `json:"connections"`
	RSSBefore   int64   `json:"rss_before_bytes"`
	RSSAfter    int64   `json:"rss_after_bytes"`
	PerConn     float64 `json:"bytes_per_connection"`
}

// idleConnections opens n keep-alive connections to the proxy, makes one
// request on each, and leaves them idle; the proxy's RSS growth divided by
// n is the cost of an idle connection. The connections close at the end.
func idleConnections(p *benchproc.Proc, target string, n int) (idleResult, error) {
	u, err := url.Parse(target)
	if err != nil {
		return idleResult{}, err
	}
	r := idleResult{Connections: n}
	time.Sleep(time.Second)
	r.RSSBefore = treeRSS(p)
	conns := make([]net.Conn, n)
	errs := make(chan error, 1)
	var wg sync.WaitGroup
	work := make(chan int)
	for range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				c, err := openIdle(u.Host)
				if err != nil {
					select {
					case errs <- fmt.Errorf("connection %d: %w", i, err):
					default:
					}
					continue
				}
				conns[i] = c
			}
		}()
	}
	for i := range n {
		work <- i
	}
	close(work)
	wg.Wait()
	defer func() {
		for _, c := range conns {
			if c != nil {
				c.Close()
			}
		}
	}()
	select {
	case err := <-errs:
		return r, err
	default:
	}
	time.Sleep(3 * time.Second) // let the proxy settle (and Go's collector run)
	r.RSSAfter = treeRSS(p)
	r.PerConn = float64(r.RSSAfter-r.RSSBefore) / float64(n)
	return r, nil
}

// openIdle connects, makes one request and reads the whole answer, and
// returns the connection, kept alive.
func openIdle(addr string) (net.Conn, error) {
	c, err := net.DialTimeout("tcp", addr, 10*time.Second)
	if err != nil {
		return nil, err
	}
	c.SetDeadline(time.Now().Add(30 * time.Second))
	if _, err := io.WriteString(c, "GET / HTTP/1.1\r\nHost: bench\r\n\r\n"); err != nil {
		c.Close()
		return nil, err
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		c.Close()
		return nil, err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != 200 || resp.Close {
		c.Close()
		return nil, fmt.Errorf("status %d, close %v, %v", resp.StatusCode, resp.Close, err)
	}
	c.SetDeadline(time.Time{})
	return c, nil
}
