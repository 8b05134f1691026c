package alb

import (
	"fmt"
	"io"
	"net/http"
	"sync"
)

// splice completes a protocol switch (WebSocket): it hijacks the client's
// connection, relays the target's 101 answer, then copies bytes both ways
// until either side closes. Both connections' idle deadlines (see
// idleConn) close the pair when nothing moves for the idle timeout.
func (p *Plane) splice(w http.ResponseWriter, resp *http.Response) {
	back, ok := resp.Body.(io.ReadWriteCloser)
	hj, ok2 := w.(http.Hijacker)
	if !ok || !ok2 {
		writeError(w, http.StatusBadGateway)
		return
	}
	conn, brw, err := hj.Hijack()
	if err != nil {
		return
	}
	defer conn.Close()
	defer back.Close() // also closed with its backend: the target removed, the plane stopped

	removeHopHeaders(resp.Header, true)
	fmt.Fprintf(brw, "HTTP/1.1 101 %s\r\n", http.StatusText(http.StatusSwitchingProtocols))
	if err := resp.Header.Write(brw); err != nil {
		return
	}
	if _, err := io.WriteString(brw, "\r\n"); err != nil || brw.Flush() != nil {
		return
	}
	// Bytes the client sent after its request may already be buffered.
	if n := brw.Reader.Buffered(); n > 0 {
		pending, _ := brw.Peek(n)
		if _, err := back.Write(pending); err != nil {
			return
		}
	}
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		_, _ = io.Copy(back, conn)
		back.Close()
	}()
	go func() {
		defer wg.Done()
		_, _ = io.Copy(conn, back)
		conn.Close()
	}()
	wg.Wait()
}
