package alb

import "bytes"

// reqHead is a parsed request head: offsets into the bytes parsed.
type reqHead struct {
	method, target, host span
	hdrs                 []hdrLine
	end                  int   // the head's length, blank line included
	contentLength        int64 // 0 when absent
	head                 bool  // a HEAD request: its answer has no body
	close                bool  // Connection: close
	connTokens           bool  // Connection names other headers, to be removed
	nXFF                 int   // X-Forwarded-For lines
	trace                int   // index in hdrs of the first X-Amzn-Trace-Id, or -1
}

// parseRequest parses the head of an HTTP/1.1 request at the start of b.
// It accepts only what the fast path forwards as it is: HTTP/1.1, an
// origin-form target, one valid Host, no body or a Content-Length one,
// and no Upgrade, Expect or Transfer-Encoding. Anything else, malformed
// input included, is headBad and left to net/http, which answers it as
// the general path does (400, 431, 501, upgrades, chunked bodies, ...).
func parseRequest(b []byte, h *reqHead) parseResult {
	*h = reqHead{hdrs: h.hdrs[:0], trace: -1}
	eol := bytes.IndexByte(b, '\n')
	if eol < 0 {
		return headMore
	}
	if eol == 0 || b[eol-1] != '\r' {
		return headBad
	}
	line := b[:eol-1]
	sp := bytes.IndexByte(line, ' ')
	if sp <= 0 {
		return headBad
	}
	for _, c := range line[:sp] {
		if !isTchar(c) {
			return headBad
		}
	}
	rest := line[sp+1:]
	sp2 := bytes.IndexByte(rest, ' ')
	if sp2 <= 0 || string(rest[sp2+1:]) != "HTTP/1.1" || !validTarget(rest[:sp2]) {
		return headBad
	}
	h.method = span{0, int32(sp)}
	h.target = span{int32(sp + 1), int32(sp + 1 + sp2)}
	switch string(h.method.of(b)) {
	case "CONNECT":
		return headBad
	case "HEAD":
		h.head = true
	}
	pos, hosts, cls := eol+1, 0, 0
	for {
		i := bytes.IndexByte(b[pos:], '\n')
		if i < 0 {
			return headMore
		}
		end := pos + i
		if i == 0 || b[end-1] != '\r' {
			return headBad // a bare LF: net/http's lenience, not ours
		}
		if end-1 == pos {
			h.end = end + 1
			break
		}
		line := b[pos : end-1]
		colon := bytes.IndexByte(line, ':')
		if colon <= 0 {
			return headBad // also obs-fold continuation lines
		}
		for _, c := range line[:colon] {
			if !isTchar(c) {
				return headBad
			}
		}
		v0, v1 := trimOWS(line, colon+1, len(line))
		for _, c := range line[v0:v1] {
			if c < ' ' && c != '\t' || c == 0x7f {
				return headBad
			}
		}
		hl := hdrLine{name: span{int32(pos), int32(pos + colon)}, value: span{int32(pos + v0), int32(pos + v1)},
			kind: classify(line[:colon])}
		switch hl.kind {
		case hHost:
			hosts++
			h.host = hl.value
		case hContentLength:
			n, ok := parseDecimal(hl.value.of(b))
			if cls++; !ok || cls > 1 {
				return headBad
			}
			h.contentLength = n
		case hTransferEncoding, hUpgrade, hExpect:
			return headBad
		case hConnection:
			bad := false
			forEachToken(hl.value.of(b), func(tok []byte) bool {
				switch {
				case eqFold(tok, "close"):
					h.close = true
				case eqFold(tok, "keep-alive"):
				case eqFold(tok, "upgrade"):
					bad = true
				default:
					h.connTokens = true
				}
				return !bad
			})
			if bad {
				return headBad
			}
		case hXFF:
			h.nXFF++
		case hTrace:
			if h.trace < 0 {
				h.trace = len(h.hdrs)
			}
		}
		h.hdrs = append(h.hdrs, hl)
		pos = end + 1
	}
	if hosts != 1 || !validHost(h.host.of(b)) {
		return headBad
	}
	return headDone
}

// validTarget accepts an origin-form request target ("/path?query") of
// visible ASCII whose path has only well-formed percent escapes, which
// net/http would parse the same way.
func validTarget(t []byte) bool {
	if len(t) == 0 || t[0] != '/' {
		return false
	}
	inPath := true
	for i := 0; i < len(t); i++ {
		c := t[i]
		switch {
		case c <= ' ' || c >= 0x7f:
			return false
		case c == '?':
			inPath = false
		case c == '%' && inPath:
			if i+2 >= len(t) || !isHex(t[i+1]) || !isHex(t[i+2]) {
				return false
			}
		}
	}
	return true
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// validHost accepts a non-empty Host of the characters a host name, an
// IP address (IPv6 in brackets) and a port are made of.
func validHost(h []byte) bool {
	if len(h) == 0 {
		return false
	}
	for _, c := range h {
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case c == '.' || c == '-' || c == ':' || c == '[' || c == ']' || c == '_' || c == '~':
		default:
			return false
		}
	}
	return true
}

// connectionNames reports whether a header's name is one of the tokens of
// the head's Connection headers (which make it hop-by-hop).
func connectionNames(b []byte, hdrs []hdrLine, name []byte) bool {
	found := false
	for _, hl := range hdrs {
		if hl.kind != hConnection {
			continue
		}
		forEachToken(hl.value.of(b), func(tok []byte) bool {
			found = eqFoldBytes(tok, name)
			return !found
		})
		if found {
			return true
		}
	}
	return false
}
