// Package filter implements CloudWatch Logs filter patterns, the syntax
// FilterLogEvents (and metric and subscription filters) use to select log
// events. Parse compiles a pattern once; Match tests one event message.
//
// The syntax is chosen by the pattern's first character:
//
//	""  or  " "                  every event
//	ERROR "bad thing" -x ?a ?b   terms: case-sensitive substrings (terms.go)
//	%ERR[0-9]+%                  a regular expression (RE2, as AWS limits it)
//	{ $.level = "error" }        a JSON pattern (json.go)
//	[ip, user, ..., status=5*]   a space-delimited pattern (delimited.go)
//
// Values in JSON and space-delimited conditions share one grammar
// (value.go): numbers compare numerically, strings match exactly or with
// `*` wildcards, and %regex% values match a regular expression.
//
// Parse never panics: an invalid pattern is an *Error whose text reads as
// AWS's does ("Invalid character(s) in term ..."). Match never panics on
// any message.
package filter

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// MaxLen is the longest pattern the API accepts (the model's limit).
const MaxLen = 1024

// Pattern is a compiled filter pattern. It is safe for concurrent use.
type Pattern struct {
	src   string
	all   bool
	match func(msg []byte) bool
}

// Error is an invalid pattern. Msg says what is wrong in AWS's words.
type Error struct {
	Pattern string
	Msg     string
}

func (e *Error) Error() string { return "Invalid filter pattern: " + e.Msg }

func errorf(src, format string, args ...any) *Error {
	return &Error{Pattern: src, Msg: fmt.Sprintf(format, args...)}
}

// Parse compiles a filter pattern.
func Parse(src string) (*Pattern, error) {
	if len(src) > MaxLen {
		return nil, errorf(src, "the pattern is longer than %d characters", MaxLen)
	}
	if !utf8.ValidString(src) {
		return nil, errorf(src, "the pattern is not valid UTF-8")
	}
	s := strings.TrimSpace(src)
	switch {
	case s == "":
		return &Pattern{src: src, all: true}, nil
	case s[0] == '{':
		m, err := parseJSON(src, s)
		if err != nil {
			return nil, err
		}
		return &Pattern{src: src, match: m}, nil
	case s[0] == '[':
		m, err := parseDelimited(src, s)
		if err != nil {
			return nil, err
		}
		return &Pattern{src: src, match: m}, nil
	case len(s) >= 2 && s[0] == '%' && s[len(s)-1] == '%' && !strings.ContainsAny(s[1:len(s)-1], "%"):
		re, err := compileRegex(src, s[1:len(s)-1])
		if err != nil {
			return nil, err
		}
		return &Pattern{src: src, match: re.Match}, nil
	}
	t, err := parseTerms(src, s)
	if err != nil {
		return nil, err
	}
	if t.matchesAll() {
		return &Pattern{src: src, all: true}, nil
	}
	return &Pattern{src: src, match: t.match}, nil
}

// MustParse is Parse for patterns known to be valid (tests, constants).
func MustParse(src string) *Pattern {
	p, err := Parse(src)
	if err != nil {
		panic(err)
	}
	return p
}

// String returns the pattern as written.
func (p *Pattern) String() string { return p.src }

// MatchesAll reports whether the pattern selects every event.
func (p *Pattern) MatchesAll() bool { return p == nil || p.all }

// Match reports whether an event message matches. A nil pattern matches
// everything.
func (p *Pattern) Match(msg []byte) bool {
	if p == nil || p.all {
		return true
	}
	return p.match(msg)
}

// MatchString is Match for a string message.
func (p *Pattern) MatchString(msg string) bool { return p.Match([]byte(msg)) }
