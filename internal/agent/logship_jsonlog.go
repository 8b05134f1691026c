package agent

// This file parses the log files of Docker's json-file driver, one JSON
// object per line as the daemon writes them:
//
//	{"log":"GET / 200\n","stream":"stdout","time":"2026-11-23T06:32:26.722755123Z"}
//
// "log" is one message the container wrote: a line with its newline, or
// a piece of a longer line (16 KiB) without it. The parser turns them
// into the same lines, split and joined the same way, that
// docker.LogReader makes of the logs endpoint's stream. Lines in the
// daemon's own layout take a fast path; anything else (extra "attrs",
// another field order) goes through encoding/json. It is pure: no files.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/quayside/quayside/internal/docker"
)

// jsonLogParser turns json-file entries into lines. A line longer than
// docker.MaxLogLine, or the pieces of one the daemon wrote apart, are
// joined or split as docker.LogReader does; the state carries across
// rotated files.
type jsonLogParser struct {
	// tty drops the "\r" before each newline: the log of a container
	// with a TTY, whose lines end "\r\n".
	tty     bool
	pending [2]pendingLine // stdout, stderr
	text    []byte         // scratch for unescaped text
	// The last "YYYY-MM-DDTHH:MM:SS" parsed and its Unix seconds: lines
	// written in the same second share them.
	secPrefix [19]byte
	sec       int64
	secOK     bool
}

type pendingLine struct {
	text []byte
	time time.Time
}

// errBadEntry is a line of the file that is not a json-file entry.
var errBadEntry = errors.New("not a json-file log entry")

// entry parses one line of the file (without its newline) and appends
// the lines it completes to out.
func (p *jsonLogParser) entry(out []docker.LogLine, line []byte) ([]docker.LogLine, error) {
	s, text, t, ok := p.fast(line)
	if !ok {
		var e struct {
			Log    string    `json:"log"`
			Stream string    `json:"stream"`
			Time   time.Time `json:"time"`
		}
		if err := json.Unmarshal(line, &e); err != nil {
			return out, fmt.Errorf("%w: %v", errBadEntry, err)
		}
		switch e.Stream {
		case "stdout":
			s = docker.Stdout
		case "stderr":
			s = docker.Stderr
		default:
			return out, fmt.Errorf("%w: stream %q", errBadEntry, e.Stream)
		}
		p.text = append(p.text[:0], e.Log...)
		text, t = p.text, e.Time
	}
	return p.add(out, s, text, t), nil
}

// add splits text, from stream s at time t, into lines, as
// docker.LogReader splits a frame.
func (p *jsonLogParser) add(out []docker.LogLine, s docker.Stream, text []byte, t time.Time) []docker.LogLine {
	buf := &p.pending[s-1]
	if len(buf.text) == 0 && len(text) > 0 && len(text) <= docker.MaxLogLine+1 &&
		bytes.IndexByte(text, '\n') == len(text)-1 {
		// The usual entry: one whole line.
		return append(out, docker.LogLine{Stream: s, Text: string(p.trim(text[:len(text)-1])), Time: t})
	}
	for len(text) > 0 {
		if len(buf.text) == 0 {
			buf.time = t
		}
		i := bytes.IndexByte(text, '\n')
		if i < 0 {
			buf.text = append(buf.text, text...)
			break
		}
		buf.text = append(buf.text, text[:i]...)
		text = text[i+1:]
		for len(buf.text) > docker.MaxLogLine {
			out = p.emit(out, s, true)
		}
		out = p.emit(out, s, false)
	}
	for len(buf.text) > docker.MaxLogLine {
		out = p.emit(out, s, true)
	}
	return out
}

// emit appends the pending line of stream s, or its first
// docker.MaxLogLine bytes if partial.
func (p *jsonLogParser) emit(out []docker.LogLine, s docker.Stream, partial bool) []docker.LogLine {
	buf := &p.pending[s-1]
	n := len(buf.text)
	text := buf.text
	if partial {
		n = min(n, docker.MaxLogLine)
		text = text[:n]
	} else {
		text = p.trim(text)
	}
	out = append(out, docker.LogLine{Stream: s, Text: string(text), Time: buf.time, Partial: partial})
	buf.text = append(buf.text[:0], buf.text[n:]...)
	return out
}

// trim drops the carriage returns ending a TTY's line.
func (p *jsonLogParser) trim(line []byte) []byte {
	if p.tty {
		return bytes.TrimRight(line, "\r")
	}
	return line
}

// flush appends the unterminated lines, stdout first, as docker.LogReader
// does at the end of a stream.
func (p *jsonLogParser) flush(out []docker.LogLine) []docker.LogLine {
	for _, s := range []docker.Stream{docker.Stdout, docker.Stderr} {
		if len(p.pending[s-1].text) > 0 {
			out = p.emit(out, s, true)
		}
	}
	return out
}

// fast parses an entry in the daemon's own layout. The text it returns
// is only valid until the next call.
func (p *jsonLogParser) fast(line []byte) (s docker.Stream, text []byte, t time.Time, ok bool) {
	rest, ok := bytes.CutPrefix(line, []byte(`{"log":"`))
	if !ok {
		return 0, nil, time.Time{}, false
	}
	text, n, ok := p.unquote(rest)
	if !ok {
		return 0, nil, time.Time{}, false
	}
	rest = rest[n:]
	switch {
	case bytes.HasPrefix(rest, []byte(`,"stream":"stdout","time":"`)):
		s = docker.Stdout
	case bytes.HasPrefix(rest, []byte(`,"stream":"stderr","time":"`)):
		s = docker.Stderr
	default:
		return 0, nil, time.Time{}, false
	}
	rest = rest[len(`,"stream":"stdout","time":"`):]
	ts, ok := bytes.CutSuffix(rest, []byte(`"}`))
	if !ok {
		return 0, nil, time.Time{}, false
	}
	if t, ok = p.parseTime(ts); !ok {
		return 0, nil, time.Time{}, false
	}
	return s, text, t, true
}

// unquote reads a JSON string body up to its closing quote: the text
// and how many bytes of b it took, quote included. Text without escapes
// is returned in place.
func (p *jsonLogParser) unquote(b []byte) (text []byte, n int, ok bool) {
	i := 0
	for i < len(b) && b[i] != '"' && b[i] != '\\' && b[i] >= 0x20 {
		i++
	}
	if i < len(b) && b[i] == '"' {
		return b[:i], i + 1, true
	}
	out := append(p.text[:0], b[:i]...)
	for i < len(b) {
		c := b[i]
		switch {
		case c == '"':
			p.text = out
			return out, i + 1, true
		case c < 0x20:
			return nil, 0, false
		case c != '\\':
			out = append(out, c)
			i++
			continue
		}
		if i+1 >= len(b) {
			return nil, 0, false
		}
		switch b[i+1] {
		case '"', '\\', '/':
			out = append(out, b[i+1])
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r, used, ok := unquoteRune(b[i:])
			if !ok {
				return nil, 0, false
			}
			out = utf8.AppendRune(out, r)
			i += used
			continue
		default:
			return nil, 0, false
		}
		i += 2
	}
	return nil, 0, false
}

// unquoteRune reads a \uXXXX escape at the start of b, or a surrogate
// pair of two, as encoding/json does: a lone surrogate is U+FFFD.
func unquoteRune(b []byte) (r rune, n int, ok bool) {
	r1, ok := hex4(b)
	if !ok {
		return 0, 0, false
	}
	if !utf16.IsSurrogate(r1) {
		return r1, 6, true
	}
	if r2, ok := hex4(b[6:]); ok {
		if r := utf16.DecodeRune(r1, r2); r != utf8.RuneError {
			return r, 12, true
		}
	}
	return utf8.RuneError, 6, true
}

// hex4 reads "\uXXXX".
func hex4(b []byte) (rune, bool) {
	if len(b) < 6 || b[0] != '\\' || b[1] != 'u' {
		return 0, false
	}
	var r rune
	for _, c := range b[2:6] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		case c >= 'A' && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// parseTime reads the daemon's timestamp, RFC 3339 in UTC with up to
// nine digits of fraction ("2026-11-23T06:32:26.72275512Z"). Lines of
// the same second reuse its conversion; any other form goes through
// time.Parse.
func (p *jsonLogParser) parseTime(b []byte) (time.Time, bool) {
	const secLen = len("2006-01-02T15:04:05")
	if len(b) < secLen+1 || b[len(b)-1] != 'Z' {
		return parseTimeSlow(b)
	}
	if !p.secOK || !bytes.Equal(p.secPrefix[:], b[:secLen]) {
		t, err := time.Parse("2006-01-02T15:04:05", string(b[:secLen]))
		if err != nil {
			return parseTimeSlow(b)
		}
		copy(p.secPrefix[:], b[:secLen])
		p.sec, p.secOK = t.Unix(), true
	}
	frac := b[secLen : len(b)-1]
	var nsec int64
	if len(frac) > 0 {
		if frac[0] != '.' || len(frac) < 2 || len(frac) > 10 {
			return parseTimeSlow(b)
		}
		digits := 0
		for _, c := range frac[1:] {
			if c < '0' || c > '9' {
				return parseTimeSlow(b)
			}
			nsec = nsec*10 + int64(c-'0')
			digits++
		}
		for ; digits < 9; digits++ {
			nsec *= 10
		}
	}
	return time.Unix(p.sec, nsec).UTC(), true
}

func parseTimeSlow(b []byte) (time.Time, bool) {
	t, err := time.Parse(time.RFC3339Nano, string(b))
	return t, err == nil
}
