package alb

import (
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"testing"
	"time"
)

// TestFastPathClientGone: a client that closes its connection while its
// request waits on a target has the target connection closed within a
// settle or two (not after the idle timeout), while a client that waits
// on gets its late answer.
func TestFastPathClientGone(t *testing.T) {
	h := newHarness(t)
	a := h.newALB("gone")
	// The target holds each request until the load balancer closes the
	// connection (reported on gone) or 2.5 s pass (then it answers).
	gone := make(chan string, 4)
	h.register(*a.tg.TargetGroupArn, rawTarget(t, func(r *http.Request, w io.Writer) bool {
		c := w.(net.Conn)
		c.SetReadDeadline(time.Now().Add(2500 * time.Millisecond))
		_, err := c.Read(make([]byte, 1))
		c.SetReadDeadline(time.Time{})
		if errors.Is(err, os.ErrDeadlineExceeded) {
			io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nlate")
			return true
		}
		gone <- r.URL.Path
		return false
	}))

	stays := dial(t, a)
	stays.send("GET /stays HTTP/1.1\r\nHost: x\r\n\r\n")
	leaves := dial(t, a)
	leaves.send("GET /leaves HTTP/1.1\r\nHost: x\r\n\r\n")
	time.Sleep(300 * time.Millisecond)
	leaves.conn.Close()
	closed := time.Now()

	select {
	case path := <-gone:
		if path != "/leaves" {
			t.Fatalf("the target connection of %s was closed; want only /leaves's", path)
		}
		if d := time.Since(closed); d > 2*settleAfter+500*time.Millisecond {
			t.Fatalf("target connection closed %v after the client left; want within two settles", d)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the target connection of a request whose client left was not closed")
	}
	resp, body := stays.read("GET")
	if resp.StatusCode != 200 || body != "late" {
		t.Fatalf("the client that stayed got %d %q; want 200 \"late\"", resp.StatusCode, body)
	}
	select {
	case path := <-gone:
		t.Fatalf("the target connection of %s was closed too", path)
	default:
	}
	// The connection that stayed serves on.
	stays.send("GET /stays HTTP/1.1\r\nHost: x\r\n\r\n")
	if resp, body := stays.read("GET"); resp.StatusCode != 200 || body != "late" {
		t.Fatalf("next request: %d %q", resp.StatusCode, body)
	}
}
