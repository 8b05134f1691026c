package alb

import "bytes"

// respHead is a parsed response head: offsets into the bytes parsed.
type respHead struct {
	status        int
	reason        span // the status line after "HTTP/1.x ", code included
	hdrs          []hdrLine
	end           int   // the head's length, blank line included
	contentLength int64 // -1 when absent
	chunked       bool  // Transfer-Encoding ends in chunked
	otherTE       bool  // Transfer-Encoding without chunked last: the body runs to the close
	close         bool  // the target closes the connection after this response
	connTokens    bool  // Connection names other headers, to be removed
}

// parseResponse parses the head of a target's HTTP/1.x response at the
// start of b. It is as lenient as net/http's client on line ends, and
// headBad means the target did not answer HTTP (502).
func parseResponse(b []byte, h *respHead) parseResult {
	*h = respHead{hdrs: h.hdrs[:0], contentLength: -1}
	if n := min(len(b), 5); string(b[:n]) != "HTTP/"[:n] {
		return headBad
	}
	eol := bytes.IndexByte(b, '\n')
	if eol < 0 {
		return headMore
	}
	line := bytes.TrimSuffix(b[:eol], []byte("\r"))
	if len(line) < 12 || string(line[:7]) != "HTTP/1." || line[7] != '0' && line[7] != '1' || line[8] != ' ' ||
		len(line) > 12 && line[12] != ' ' {
		return headBad
	}
	for _, c := range line[9:12] {
		if c < '0' || c > '9' {
			return headBad
		}
		h.status = h.status*10 + int(c-'0')
	}
	if h.status < 100 {
		return headBad
	}
	h.reason = span{9, int32(len(line))}
	http10, keepAlive := line[7] == '0', false
	pos, cls := eol+1, 0
	for {
		i := bytes.IndexByte(b[pos:], '\n')
		if i < 0 {
			return headMore
		}
		end := pos + i
		if end > pos && b[end-1] == '\r' {
			end--
		}
		if end == pos {
			h.end = pos + i + 1
			break
		}
		line := b[pos:end]
		colon := bytes.IndexByte(line, ':')
		if colon <= 0 {
			return headBad
		}
		for _, c := range line[:colon] {
			if !isTchar(c) {
				return headBad
			}
		}
		v0, v1 := trimOWS(line, colon+1, len(line))
		if bytes.IndexByte(line[v0:v1], '\r') >= 0 || bytes.IndexByte(line[v0:v1], 0) >= 0 {
			return headBad
		}
		hl := hdrLine{name: span{int32(pos), int32(pos + colon)}, value: span{int32(pos + v0), int32(pos + v1)},
			kind: classify(line[:colon])}
		v := hl.value.of(b)
		switch hl.kind {
		case hContentLength:
			n, ok := parseDecimal(v)
			if cls++; !ok || cls > 1 && n != h.contentLength {
				return headBad
			}
			h.contentLength = n
		case hTransferEncoding:
			h.chunked, h.otherTE = false, false
			forEachToken(v, func(tok []byte) bool {
				h.chunked = eqFold(tok, "chunked")
				return true
			})
			h.otherTE = !h.chunked
		case hConnection:
			forEachToken(v, func(tok []byte) bool {
				switch {
				case eqFold(tok, "close"):
					h.close = true
				case eqFold(tok, "keep-alive"):
					keepAlive = true
				default:
					h.connTokens = true
				}
				return true
			})
		}
		h.hdrs = append(h.hdrs, hl)
		pos += i + 1
	}
	if http10 && !keepAlive {
		h.close = true
	}
	return headDone
}

// chunkScanner follows a chunked body (RFC 9112 7.1) as it passes
// through, to find where it ends; the bytes themselves go on unchanged.
type chunkScanner struct {
	state  int
	size   int64 // of the chunk being read, then what is left of it
	digits int
}

const (
	chSize        = iota // chunk size digits
	chExt                // chunk extensions, up to the LF
	chData               // chunk data
	chDataCR             // the CR after the data
	chDataLF             // the LF after the data
	chTrailer            // the start of a trailer line, or the final CRLF
	chTrailerLine        // inside a trailer line
	chFinalLF            // the LF of the final CRLF
	chDone
)

// scan consumes bytes of the body from p. It returns how many belong to
// it and whether the body has ended; bytes after the end are not
// consumed. ok is false when the body is not valid chunked encoding.
func (s *chunkScanner) scan(p []byte) (n int, done, ok bool) {
	for n < len(p) {
		c := p[n]
		switch s.state {
		case chSize:
			switch {
			case isHex(c):
				if s.digits++; s.digits > 15 {
					return n, false, false
				}
				s.size = s.size<<4 | int64(hexVal(c))
			case s.digits > 0 && (c == ';' || c == ' ' || c == '\t' || c == '\r'):
				s.state = chExt
			case s.digits > 0 && c == '\n':
				s.endSizeLine()
			default:
				return n, false, false
			}
		case chExt:
			if c == '\n' {
				s.endSizeLine()
			}
		case chData:
			k := int(min(s.size, int64(len(p)-n)))
			s.size -= int64(k)
			n += k
			if s.size == 0 {
				s.state = chDataCR
			}
			continue
		case chDataCR:
			switch c {
			case '\r':
				s.state = chDataLF
			case '\n':
				s.state = chSize
			default:
				return n, false, false
			}
		case chDataLF:
			if c != '\n' {
				return n, false, false
			}
			s.state = chSize
		case chTrailer:
			switch c {
			case '\r':
				s.state = chFinalLF
			case '\n':
				s.state = chDone
				return n + 1, true, true
			default:
				s.state = chTrailerLine
			}
		case chTrailerLine:
			if c == '\n' {
				s.state = chTrailer
			}
		case chFinalLF:
			if c != '\n' {
				return n, false, false
			}
			s.state = chDone
			return n + 1, true, true
		case chDone:
			return n, true, true
		}
		n++
	}
	return n, s.state == chDone, true
}

func (s *chunkScanner) endSizeLine() {
	if s.size == 0 {
		s.state = chTrailer
	} else {
		s.state = chData
	}
	s.digits = 0
}

func hexVal(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c >= 'a':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}
