package policy

import (
	"strings"
	"unicode/utf8"
)

// Glob reports whether s matches pattern, where * matches any run of
// characters (including none) and ? exactly one. It runs in time
// proportional to len(pattern)·len(s) at worst.
func Glob(pattern, s string) bool {
	p, t := 0, 0
	star, mark := -1, 0
	for t < len(s) {
		if p < len(pattern) {
			switch c := pattern[p]; c {
			case '*':
				star, mark = p, t
				p++
				continue
			case '?':
				_, n := utf8.DecodeRuneInString(s[t:])
				p++
				t += n
				continue
			default:
				if c == s[t] {
					p++
					t++
					continue
				}
			}
		}
		if star < 0 {
			return false
		}
		// Let the last star absorb one more character and retry.
		_, n := utf8.DecodeRuneInString(s[mark:])
		mark += n
		p, t = star+1, mark
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}

// matchAction compares an action pattern with a request's action,
// ignoring case.
func matchAction(pattern, action string) bool {
	return Glob(strings.ToLower(pattern), strings.ToLower(action))
}

// matchARN compares two ARNs component by component; each of the six
// components may hold wildcards, which do not cross a colon except in
// the last (resource) component.
func matchARN(pattern, arn string) bool {
	pp := strings.SplitN(pattern, ":", 6)
	ap := strings.SplitN(arn, ":", 6)
	if len(pp) != 6 || len(ap) != 6 {
		return pattern == "*" || Glob(pattern, arn)
	}
	for i := range pp {
		if !Glob(pp[i], ap[i]) {
			return false
		}
	}
	return true
}

// substitute replaces policy variables (${aws:username}, and the escapes
// ${*}, ${?}, ${$}) with values from ctx. A variable naming a key the
// request lacks, or one with several values, makes the string unusable:
// ok is false and the element it appears in matches nothing. A default
// may follow the key: ${aws:username, 'nobody'}.
func substitute(s string, ctx Context) (out string, ok bool) {
	if !strings.Contains(s, "${") {
		return s, true
	}
	var b strings.Builder
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			b.WriteString(s)
			return b.String(), true
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			b.WriteString(s)
			return b.String(), true
		}
		b.WriteString(s[:i])
		name := strings.TrimSpace(s[i+2 : i+j])
		s = s[i+j+1:]
		switch name {
		case "*", "?", "$":
			b.WriteString(escapeLiteral(name))
			continue
		}
		key, def, hasDef := strings.Cut(name, ",")
		vals := ctx.values(strings.TrimSpace(key))
		switch {
		case len(vals) == 1:
			b.WriteString(escapeLiteral(vals[0]))
		case len(vals) == 0 && hasDef:
			b.WriteString(escapeLiteral(strings.Trim(strings.TrimSpace(def), "'")))
		default:
			return "", false
		}
	}
}

// Substituted values are literal: a * in a user name must not act as a
// wildcard. Glob has no escape syntax, so literal wildcards are mapped to
// private-use runes that only match themselves.
func escapeLiteral(s string) string {
	return strings.NewReplacer("*", litStar, "?", litQuestion).Replace(s)
}

const (
	litStar     = "\uE000"
	litQuestion = "\uE001"
)

// unescape turns the literal markers back into the characters they stand
// for, for comparisons that do not use wildcards.
func unescape(s string) string {
	return strings.NewReplacer(litStar, "*", litQuestion, "?").Replace(s)
}

// globLiteral matches like Glob, where the markers of escapeLiteral match
// the literal * and ? in s.
func globLiteral(pattern, s string) bool {
	if !strings.Contains(pattern, litStar) && !strings.Contains(pattern, litQuestion) {
		return Glob(pattern, s)
	}
	return Glob(pattern, escapeLiteral(s))
}
