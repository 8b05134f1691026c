package alb

import (
	"io"
	"net/http"
	"time"
)

// How a response body is delimited.
const (
	bodyNone    = iota // HEAD, 204, 304
	bodyLength         // Content-Length
	bodyChunked        // passed on chunked, as it came
	bodyToClose        // until the target closes: the client's connection closes too
)

func bodyMode(rs *respHead, head bool) int {
	switch {
	case head || rs.status == http.StatusNoContent || rs.status == http.StatusNotModified:
		return bodyNone
	case rs.chunked:
		return bodyChunked
	case rs.otherTE || rs.contentLength < 0:
		return bodyToClose
	}
	return bodyLength
}

// relay reads the target's answer to the request just sent on uc and
// copies it to the client: the head and the body bytes that came with it
// in one write, then the rest of the body as it arrives. It owns uc: back
// to the pool when the exchange ended cleanly, else closed. retry reports
// that the target closed the connection without answering a byte, and
// nothing was written to the client.
func (c *fastConn) relay(x *exchange, b *backend, uc *upConn, cookies []string, closeAfter bool) (o outcome, retry bool) {
	rs := &x.res
	start, end, got := 0, 0, false // x.resp[start:end] is read and not yet used
	for {
		st := parseResponse(x.resp[start:end], rs)
		if st == headMore {
			if start > 0 {
				end, start = copy(x.resp, x.resp[start:end]), 0
			}
			if end == len(x.resp) {
				if len(x.resp) >= maxRespHead {
					uc.Close()
					return c.replyError(x, http.StatusBadGateway, closeAfter), false
				}
				grown := make([]byte, maxRespHead)
				copy(grown, x.resp[:end])
				x.resp = grown
			}
			n, err := uc.Read(x.resp[end:])
			end += n
			if n == 0 && err != nil {
				uc.Close()
				if !got && isReusedConnGone(err) {
					return keepOpen, true
				}
				return c.replyError(x, targetErrorStatus(err), closeAfter), false
			}
			got = true
			continue
		}
		if st == headBad || rs.status == http.StatusSwitchingProtocols {
			uc.Close() // not HTTP, or a protocol switch nobody asked for
			return c.replyError(x, http.StatusBadGateway, closeAfter), false
		}
		if rs.status >= 200 {
			break
		}
		// An interim answer (103 Early Hints, ...) goes on as it is.
		x.out = appendResponseHead(x.out[:0], x.resp[start:end], rs, nil, false)
		if _, err := c.ic.Write(x.out); err != nil {
			uc.Close()
			return closeConn, false
		}
		start += rs.end
	}

	mode := bodyMode(rs, x.req.head)
	clientClose := closeAfter || mode == bodyToClose || c.l.closing.Load()
	reuse := !rs.close && mode != bodyToClose
	x.out = appendResponseHead(x.out[:0], x.resp[start:end], rs, cookies, clientClose)
	first := x.resp[start+rs.end : end]
	left, done := int64(0), false
	switch mode {
	case bodyNone:
		reuse = reuse && len(first) == 0
		first, done = nil, true
	case bodyLength:
		k := int(min(int64(len(first)), rs.contentLength))
		reuse = reuse && k == len(first)
		first, left = first[:k], rs.contentLength-int64(k)
		done = left == 0
	case bodyChunked:
		x.chunk = chunkScanner{}
		k, fin, ok := x.chunk.scan(first)
		if !ok {
			uc.Close()
			return c.replyError(x, http.StatusBadGateway, closeAfter), false
		}
		reuse = reuse && (!fin || k == len(first))
		first, done = first[:k], fin
	}
	x.out = append(x.out, first...)
	if _, err := c.ic.Write(x.out); err != nil {
		c.release(b, uc, reuse && done)
		return closeConn, false
	}
	for !done {
		n, err := uc.Read(x.resp)
		p := x.resp[:n]
		switch mode {
		case bodyLength:
			if int64(n) > left {
				p, reuse = p[:left], false
			}
			left -= int64(len(p))
			done = left == 0
		case bodyChunked:
			k, fin, ok := x.chunk.scan(p)
			if !ok {
				uc.Close()
				return closeConn, false // cut: the client sees a broken body
			}
			reuse = reuse && (!fin || k == n)
			p, done = p[:k], fin
		case bodyToClose:
			done = err == io.EOF
		}
		if len(p) > 0 {
			if _, werr := c.ic.Write(p); werr != nil {
				c.release(b, uc, false)
				return closeConn, false
			}
		}
		if err != nil {
			reuse = false
			if !done {
				// The target failed mid-response: the status has gone out,
				// so cut the client rather than end the body as if complete.
				uc.Close()
				return closeConn, false
			}
		}
	}
	c.release(b, uc, reuse)
	if clientClose {
		return closeConn, false
	}
	return keepOpen, false
}

// release puts a target connection back in the pool, or closes it. It
// takes uc back from c.up first, so that settle's abandon cannot close a
// pooled connection: whichever takes it first owns it.
func (c *fastConn) release(b *backend, uc *upConn, reuse bool) {
	if reuse && c.up.CompareAndSwap(uc, nil) {
		b.putConn(uc, time.Now())
	} else {
		uc.Close()
	}
}

// appendResponseHead writes a target's response head for the client: the
// status line as HTTP/1.1, the headers but hop-by-hop ones (the body's
// framing headers stay, as the body goes on as it came), the stickiness
// cookies, and Connection: close when the client's connection ends.
func appendResponseHead(out, b []byte, rs *respHead, cookies []string, close bool) []byte {
	out = append(out, "HTTP/1.1 "...)
	out = append(out, rs.reason.of(b)...)
	if rs.reason.end-rs.reason.start == 3 {
		out = append(out, ' ')
	}
	out = append(out, "\r\n"...)
	for _, hl := range rs.hdrs {
		switch hl.kind {
		case hConnection, hHop, hUpgrade:
			continue
		case hContentLength:
			if rs.chunked || rs.otherTE {
				continue
			}
		}
		name := hl.name.of(b)
		if rs.connTokens && connectionNames(b, rs.hdrs, name) {
			continue
		}
		out = append(out, name...)
		out = append(out, ": "...)
		out = append(out, hl.value.of(b)...)
		out = append(out, "\r\n"...)
	}
	for _, ck := range cookies {
		out = append(out, "Set-Cookie: "...)
		out = append(out, ck...)
		out = append(out, "\r\n"...)
	}
	if close {
		out = append(out, "Connection: close\r\n"...)
	}
	return append(out, "\r\n"...)
}
