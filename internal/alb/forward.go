package alb

import (
	"errors"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"sync"
	"time"
)

var bufPool = sync.Pool{New: func() any { b := make([]byte, 32<<10); return &b }}

// forward sends a request to a target of the action's target groups and
// streams the answer back.
func (p *Plane) forward(t *table, a *action, w http.ResponseWriter, r *http.Request, client netip.AddrPort, ic *idleConn) {
	now := time.Now()
	g, groupCookie := a.pickGroup(r)
	if g == nil || g.registered == 0 {
		writeError(w, http.StatusServiceUnavailable)
		return
	}
	b, targetCookie := g.pick(r, now)
	if b == nil {
		writeError(w, http.StatusServiceUnavailable)
		return
	}
	cookies := replyCookies(groupCookie, targetCookie, a.groupSticky, g.sticky, now)
	b.inflight.Add(1)
	defer b.inflight.Add(-1)
	p.proxy(t, b, w, r, client, ic, cookies, now)
}

// proxy is one round trip to a target. The client's context cancels it;
// the target's connection carries the idle timeout (see backend).
func (p *Plane) proxy(t *table, b *backend, w http.ResponseWriter, r *http.Request, client netip.AddrPort, ic *idleConn, cookies []string, now time.Time) {
	upgrade := isUpgrade(r.Header)
	var clientIP string
	if ic != nil {
		clientIP = ic.peerIP
	}
	host := prepareHeaders(t, r, client, clientIP, upgrade, now)
	out := &http.Request{
		Method: r.Method, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		URL:    &url.URL{Scheme: b.scheme, Host: b.addr, Path: r.URL.Path, RawPath: r.URL.RawPath, RawQuery: r.URL.RawQuery},
		Header: r.Header, Host: host, ContentLength: r.ContentLength, Body: r.Body,
	}
	if r.ContentLength == 0 {
		out.Body = nil
	}
	if ic != nil {
		// Once the request is in, the target's idle deadline takes over.
		if out.Body == nil {
			ic.setWaiting(true)
		} else {
			out.Body = &eofBody{ReadCloser: out.Body, eof: func() { ic.setWaiting(true) }}
		}
		defer ic.setWaiting(false)
	}
	out = out.WithContext(r.Context())
	resp, err := b.tr.RoundTrip(out)
	if ic != nil {
		ic.setWaiting(false)
	}
	if err != nil {
		if r.Context().Err() != nil {
			return // the client went away
		}
		writeError(w, targetErrorStatus(err))
		return
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusSwitchingProtocols {
		p.splice(w, resp)
		return
	}
	dst := w.Header()
	copyResponseHeaders(dst, resp.Header)
	dst["Set-Cookie"] = append(dst["Set-Cookie"], cookies...)
	for k := range resp.Trailer {
		dst.Add("Trailer", k)
	}
	w.WriteHeader(resp.StatusCode)
	if err := copyBody(w, resp.Body); err != nil {
		if r.Context().Err() == nil {
			// The target failed mid-response: the status is gone, so cut the
			// client's connection rather than end the body as if complete.
			panic(http.ErrAbortHandler)
		}
		return
	}
	for k, vv := range resp.Trailer {
		dst[http.TrailerPrefix+k] = vv
	}
}

// targetErrorStatus is the status ALB answers when a round trip fails:
// 504 when the target sent nothing for the idle timeout (or could not be
// reached within the connect timeout), 502 when it refused, reset or
// answered something that is not HTTP, or was removed meanwhile.
func targetErrorStatus(err error) int {
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return http.StatusGatewayTimeout
	}
	return http.StatusBadGateway
}

// copyBody streams a response body to the client, flushing each chunk as
// it arrives.
func copyBody(w http.ResponseWriter, body io.Reader) error {
	bp := bufPool.Get().(*[]byte)
	defer bufPool.Put(bp)
	buf := *bp
	flusher, _ := w.(http.Flusher)
	for {
		n, rerr := body.Read(buf)
		if n > 0 {
			if _, werr := w.Write(buf[:n]); werr != nil {
				return nil // the client went away; nothing to tell it
			}
			if flusher != nil {
				flusher.Flush()
			}
		}
		if rerr == io.EOF {
			return nil
		}
		if rerr != nil {
			return rerr
		}
	}
}

// eofBody calls eof once the request body has been read to its end.
type eofBody struct {
	io.ReadCloser
	eof  func()
	done bool
}

func (b *eofBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err == io.EOF && !b.done {
		b.done = true
		b.eof()
	}
	return n, err
}
