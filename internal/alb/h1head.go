package alb

import "bytes"

// The fast path (fastconn.go) parses HTTP/1.1 heads in place: a header is
// a pair of offsets into the buffer that holds the head, so parsing
// allocates nothing.

// span is bytes [start, end) of a head.
type span struct{ start, end int32 }

func (s span) of(b []byte) []byte { return b[s.start:s.end] }

// hdrLine is one header line of a head.
type hdrLine struct {
	name, value span
	kind        hdrKind
}

// hdrKind sorts the headers a proxy treats specially.
type hdrKind uint8

const (
	hOther hdrKind = iota
	hHost
	hConnection
	hContentLength
	hTransferEncoding
	hUpgrade
	hExpect
	hTrailer
	hHop // Keep-Alive, Proxy-Connection, Proxy-Authenticate, Proxy-Authorization, Te
	hXFF
	hXFProto
	hXFPort
	hTrace
)

// classify names the kind of a header, matching its name without regard
// to case.
func classify(name []byte) hdrKind {
	switch len(name) {
	case 2:
		if eqFold(name, "te") {
			return hHop
		}
	case 4:
		if eqFold(name, "host") {
			return hHost
		}
	case 6:
		if eqFold(name, "expect") {
			return hExpect
		}
	case 7:
		if eqFold(name, "upgrade") {
			return hUpgrade
		}
		if eqFold(name, "trailer") {
			return hTrailer
		}
	case 10:
		if eqFold(name, "connection") {
			return hConnection
		}
		if eqFold(name, "keep-alive") {
			return hHop
		}
	case 14:
		if eqFold(name, "content-length") {
			return hContentLength
		}
	case 15:
		if eqFold(name, "x-forwarded-for") {
			return hXFF
		}
		if eqFold(name, "x-amzn-trace-id") {
			return hTrace
		}
	case 16:
		if eqFold(name, "x-forwarded-port") {
			return hXFPort
		}
		if eqFold(name, "proxy-connection") {
			return hHop
		}
	case 17:
		if eqFold(name, "transfer-encoding") {
			return hTransferEncoding
		}
		if eqFold(name, "x-forwarded-proto") {
			return hXFProto
		}
	case 18:
		if eqFold(name, "proxy-authenticate") {
			return hHop
		}
	case 19:
		if eqFold(name, "proxy-authorization") {
			return hHop
		}
	}
	return hOther
}

// eqFold reports whether b equals lower, a lower-case ASCII string,
// ignoring ASCII case.
func eqFold(b []byte, lower string) bool {
	if len(b) != len(lower) {
		return false
	}
	for i := 0; i < len(b); i++ {
		c := b[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}

// eqFoldBytes is eqFold for two byte slices of any case.
func eqFoldBytes(a, b []byte) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// isTchar reports whether c may appear in a token (RFC 9110 5.6.2).
func isTchar(c byte) bool { return c < 0x80 && tchar[c] }

var tchar = func() (t [128]bool) {
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = true, true
	}
	for _, c := range "!#$%&'*+-.^_`|~" {
		t[c] = true
	}
	return t
}()

// parseResult is what parsing a head found.
type parseResult int

const (
	headDone parseResult = iota // the head is complete
	headMore                    // the head is incomplete: read more
	headBad                     // not a head the parser accepts
)

// forEachToken calls f with each comma-separated token of a header
// value, trimmed, until f returns false.
func forEachToken(v []byte, f func(tok []byte) bool) {
	for len(v) > 0 {
		tok := v
		if i := bytes.IndexByte(v, ','); i >= 0 {
			tok, v = v[:i], v[i+1:]
		} else {
			v = nil
		}
		if tok = bytes.Trim(tok, " \t"); len(tok) > 0 && !f(tok) {
			return
		}
	}
}

// trimOWS returns the offsets of line[from:to] without leading and
// trailing spaces and tabs.
func trimOWS(line []byte, from, to int) (int, int) {
	for from < to && (line[from] == ' ' || line[from] == '\t') {
		from++
	}
	for to > from && (line[to-1] == ' ' || line[to-1] == '\t') {
		to--
	}
	return from, to
}

// parseDecimal parses a Content-Length: digits only, at most 18 of them.
func parseDecimal(b []byte) (int64, bool) {
	if len(b) == 0 || len(b) > 18 {
		return 0, false
	}
	var n int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	return n, true
}
