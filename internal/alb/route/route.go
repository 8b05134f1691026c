// Package route evaluates listener rule conditions against requests, as
// an Application Load Balancer does:
//
//	path-pattern         the URL path; '*' matches any run, '?' one character; case-sensitive
//	host-header          the Host without its port; case-insensitive; *.example.com ≠ example.com
//	http-header          any value of the named header; wildcards; case-insensitive
//	http-request-method  the method, exactly; case-sensitive
//	query-string         any key=value of the query (key optional); wildcards; case-insensitive
//	source-ip            the client's address (not X-Forwarded-For) in any of the CIDR blocks
//
// A condition matches when any of its values does; a rule matches when
// all of its conditions do. Conditions are compiled once per routing
// table, so matching allocates nothing in the common cases.
package route

import (
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"

	"github.com/quayside/quayside/internal/elb"
)

// Matcher is a rule's compiled conditions.
type Matcher struct {
	conds []cond
	query bool // some condition reads the query string
}

type cond struct {
	field    string
	patterns []string // lower-cased where matching is case-insensitive
	header   string   // canonical header name
	query    []elb.QueryPair
	prefixes []netip.Prefix
}

// Compile compiles validated conditions.
func Compile(cs []elb.Condition) *Matcher {
	m := &Matcher{}
	for _, c := range cs {
		k := cond{field: c.Field}
		switch c.Field {
		case elb.FieldPathPattern, elb.FieldMethod:
			k.patterns = append(k.patterns, c.Values...)
		case elb.FieldHostHeader:
			for _, v := range c.Values {
				k.patterns = append(k.patterns, strings.ToLower(v))
			}
		case elb.FieldHTTPHeader:
			k.header = http.CanonicalHeaderKey(c.HeaderName)
			for _, v := range c.Values {
				k.patterns = append(k.patterns, strings.ToLower(v))
			}
		case elb.FieldQueryString:
			m.query = true
			for _, q := range c.Query {
				k.query = append(k.query, elb.QueryPair{Key: strings.ToLower(q.Key), Value: strings.ToLower(q.Value)})
			}
		case elb.FieldSourceIP:
			for _, v := range c.Values {
				if p, err := netip.ParsePrefix(v); err == nil {
					k.prefixes = append(k.prefixes, p.Masked())
				}
			}
		}
		m.conds = append(m.conds, k)
	}
	return m
}

// Match reports whether the request, from client address ip, satisfies
// every condition.
func (m *Matcher) Match(r *http.Request, ip netip.Addr) bool {
	var q url.Values
	if m.query {
		q, _ = url.ParseQuery(r.URL.RawQuery)
	}
	for i := range m.conds {
		if !m.conds[i].match(r, ip, q) {
			return false
		}
	}
	return true
}

func (c *cond) match(r *http.Request, ip netip.Addr, q url.Values) bool {
	switch c.field {
	case elb.FieldPathPattern:
		p := r.URL.Path
		if p == "" {
			p = "/"
		}
		return anyGlob(c.patterns, p)
	case elb.FieldHostHeader:
		return anyGlob(c.patterns, lowerASCII(HostOnly(r.Host)))
	case elb.FieldMethod:
		for _, m := range c.patterns {
			if m == r.Method {
				return true
			}
		}
		return false
	case elb.FieldHTTPHeader:
		for _, v := range r.Header[c.header] {
			if anyGlob(c.patterns, lowerASCII(v)) {
				return true
			}
		}
		return false
	case elb.FieldQueryString:
		for k, vs := range q {
			lk := lowerASCII(k)
			for _, v := range vs {
				lv := lowerASCII(v)
				for _, p := range c.query {
					if (p.Key == "" || Glob(p.Key, lk)) && Glob(p.Value, lv) {
						return true
					}
				}
			}
		}
		return false
	case elb.FieldSourceIP:
		ip = ip.Unmap()
		for _, p := range c.prefixes {
			if p.Contains(ip) {
				return true
			}
		}
		return false
	}
	return false
}

func anyGlob(patterns []string, s string) bool {
	for _, p := range patterns {
		if Glob(p, s) {
			return true
		}
	}
	return false
}

// Glob reports whether s matches pattern, where '*' matches any run of
// characters (none included) and '?' exactly one. It runs in time linear
// in len(pattern)·len(s) at worst, with no recursion.
func Glob(pattern, s string) bool {
	px, sx := 0, 0
	starPx, starSx := -1, 0 // where to resume after the last '*'
	for px < len(pattern) || sx < len(s) {
		if px < len(pattern) {
			switch c := pattern[px]; c {
			case '*':
				starPx, starSx = px, sx
				px++
				continue
			case '?':
				if sx < len(s) {
					px++
					sx++
					continue
				}
			default:
				if sx < len(s) && s[sx] == c {
					px++
					sx++
					continue
				}
			}
		}
		if starPx >= 0 && starSx < len(s) {
			starSx++
			px, sx = starPx+1, starSx
			continue
		}
		return false
	}
	return true
}

// HostOnly strips the port from a Host header value.
func HostOnly(host string) string {
	if strings.IndexByte(host, ':') < 0 {
		return host
	}
	if h, _, err := net.SplitHostPort(host); err == nil {
		return h
	}
	return strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
}

// lowerASCII lower-cases ASCII letters, allocating only when it must.
func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if c := b[j]; c >= 'A' && c <= 'Z' {
					b[j] = c + 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}
