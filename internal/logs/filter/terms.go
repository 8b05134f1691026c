package filter

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"
)

// terms is an unstructured pattern: every plain term must occur, no
// excluded term may occur, and when there are ?terms at least one of them
// must occur. Matching is a case-sensitive substring search, as AWS
// documents ("Filter patterns are case sensitive").
//
//	ERROR                 events containing ERROR
//	ERROR ARGUMENTS       both
//	"INTERNAL ERROR"      the exact phrase
//	ERROR -ARGUMENTS      ERROR but not ARGUMENTS
//	?ERROR ?WARN          either
//	" "                   every event
type terms struct {
	all     [][]byte // each must occur
	none    [][]byte // none may occur
	any     [][]byte // at least one must occur, if any are given
	anyAll  bool     // one of the ?terms matches everything (?" ")
	allOnly bool     // nothing but match-everything terms
}

func parseTerms(src, s string) (*terms, error) {
	t := &terms{allOnly: true}
	for i := 0; i < len(s); {
		c := s[i]
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' {
			i++
			continue
		}
		prefix := byte(0)
		if c == '-' || c == '?' {
			prefix = c
			i++
			if i >= len(s) || s[i] == ' ' || s[i] == '\t' {
				return nil, errorf(src, "Invalid character(s) in term '%c'", prefix)
			}
		}
		var term string
		var everything bool
		if s[i] == '"' {
			q, n, err := readQuoted(src, s[i:])
			if err != nil {
				return nil, err
			}
			if q == "" {
				return nil, errorf(src, "Invalid character(s) in term '\"\"'")
			}
			term, everything = q, strings.TrimSpace(q) == ""
			i += n
			if i < len(s) && !isSpace(s[i]) {
				return nil, errorf(src, "Invalid character(s) in term '%s'", s[i-n:wordEnd(s, i)])
			}
		} else {
			end := wordEnd(s, i)
			term = s[i:end]
			if !validBareTerm(term) {
				return nil, errorf(src, "Invalid character(s) in term '%s'", term)
			}
			i = end
		}
		t.add(prefix, term, everything)
	}
	return t, nil
}

func (t *terms) add(prefix byte, term string, everything bool) {
	switch prefix {
	case '-':
		t.allOnly = false
		t.none = append(t.none, []byte(term))
	case '?':
		if everything {
			t.anyAll = true
			return
		}
		t.allOnly = false
		t.any = append(t.any, []byte(term))
	default:
		if everything {
			return
		}
		t.allOnly = false
		t.all = append(t.all, []byte(term))
	}
}

// matchesAll reports whether the pattern has only match-everything terms.
func (t *terms) matchesAll() bool {
	return t.allOnly || (len(t.all) == 0 && len(t.none) == 0 && t.anyAll)
}

func (t *terms) match(msg []byte) bool {
	for _, w := range t.all {
		if !bytes.Contains(msg, w) {
			return false
		}
	}
	for _, w := range t.none {
		if bytes.Contains(msg, w) {
			return false
		}
	}
	if len(t.any) == 0 || t.anyAll {
		return true
	}
	for _, w := range t.any {
		if bytes.Contains(msg, w) {
			return true
		}
	}
	return false
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func wordEnd(s string, i int) int {
	for i < len(s) && !isSpace(s[i]) {
		i++
	}
	return i
}

// validBareTerm reports whether an unquoted term has only the characters
// AWS accepts without quotes: letters, digits, and _ . - inside a word.
// Anything else must be quoted.
func validBareTerm(w string) bool {
	if w == "" {
		return false
	}
	for _, r := range w {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '.' || r == '-' {
			continue
		}
		return false
	}
	return true
}

// readQuoted reads a double-quoted string at the start of s, with \" and
// \\ escapes. It returns the unquoted text and the bytes consumed.
func readQuoted(src, s string) (string, int, error) {
	var b strings.Builder
	for i := 1; i < len(s); {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s) && (s[i+1] == '"' || s[i+1] == '\\'):
			b.WriteByte(s[i+1])
			i += 2
		case c == '"':
			return b.String(), i + 1, nil
		default:
			r, n := utf8.DecodeRuneInString(s[i:])
			b.WriteRune(r)
			i += n
		}
	}
	return "", 0, errorf(src, "unterminated quoted string %s", s)
}
