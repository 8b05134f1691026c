package filter

import "strings"

// A space-delimited pattern names the fields of events whose fields are
// separated by spaces, and may test them:
//
//	[ip, user, username, timestamp, request, status_code, bytes]
//	[ip, user, ..., status_code=5*, bytes>1000]
//	[w1=ERROR, ...]
//	[..., status >= 400 && status < 500, size]
//	[..., status = 404 || status = 500, size]
//	[ip = %10\.0\.0\.[0-9]+%, ...]
//
// In an event, text between double quotes or square brackets is one
// field, without its quotes or brackets. Without "..." the event must
// have exactly as many fields as the pattern; each "..." stands for any
// number of fields (possibly none).

// dfield is one pattern field: an ellipsis, or a name with an optional
// test made of conditions joined by && and ||.
type dfield struct {
	ellipsis bool
	name     string
	any      [][]cond // OR of ANDs; empty: no test
}

func parseDelimited(src, s string) (func([]byte) bool, error) {
	toks, err := lex(src, s)
	if err != nil {
		return nil, err
	}
	p := &parser{src: src, toks: toks}
	if _, err := p.expect(tLBrack, "["); err != nil {
		return nil, err
	}
	var fields []dfield
	for {
		f, err := p.delimitedField()
		if err != nil {
			return nil, err
		}
		fields = append(fields, f)
		t := p.next()
		if t.kind == tRBrack {
			break
		}
		if t.kind != tComma {
			return nil, p.unexpected(t, ", or ]")
		}
	}
	if t := p.peek(); t.kind != tEOF {
		return nil, p.unexpected(t, "the end of the pattern after ]")
	}
	return func(msg []byte) bool {
		return matchFields(fields, splitFields(string(msg)))
	}, nil
}

func (p *parser) delimitedField() (dfield, error) {
	t := p.next()
	if t.kind != tWord || t.text == "" {
		return dfield{}, p.unexpected(t, "a field name or ...")
	}
	if t.text == "..." {
		return dfield{ellipsis: true}, nil
	}
	if !validFieldName(t.text) {
		return dfield{}, errorf(p.src, "invalid field name %q at position %d", t.text, t.pos+1)
	}
	f := dfield{name: t.text}
	if p.peek().kind != tOp {
		return f, nil
	}
	and := []cond{}
	for {
		c, err := parseCond(p)
		if err != nil {
			return dfield{}, err
		}
		and = append(and, c)
		switch p.peek().kind {
		case tAnd:
			p.next()
		case tOr:
			p.next()
			f.any = append(f.any, and)
			and = []cond{}
		default:
			f.any = append(f.any, and)
			return f, nil
		}
		// The field's name may be repeated before the next condition:
		// status >= 400 && status < 500.
		if n := p.peek(); n.kind == tWord && n.text == f.name {
			p.next()
		}
	}
}

func validFieldName(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '_' || c == '-' || c == '.' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80) {
			return false
		}
	}
	return true
}

func (f *dfield) test(v string) bool {
	if len(f.any) == 0 {
		return true
	}
	for _, and := range f.any {
		ok := true
		for i := range and {
			if !and[i].text(v) {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// splitFields splits an event at spaces, keeping "quoted" and [bracketed]
// text as single fields without their delimiters.
func splitFields(s string) []string {
	var out []string
	for i := 0; i < len(s); {
		if s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r' {
			i++
			continue
		}
		var close byte
		switch s[i] {
		case '"':
			close = '"'
		case '[':
			close = ']'
		}
		if close != 0 {
			if end := strings.IndexByte(s[i+1:], close); end >= 0 {
				out = append(out, s[i+1:i+1+end])
				i += end + 2
				continue
			}
		}
		j := i
		for j < len(s) && s[j] != ' ' && s[j] != '\t' && s[j] != '\n' && s[j] != '\r' {
			j++
		}
		out = append(out, s[i:j])
		i = j
	}
	return out
}

// matchFields matches event fields against pattern fields, each ellipsis
// standing for any run of fields (wildcard matching with backtracking to
// the last ellipsis).
func matchFields(pat []dfield, ev []string) bool {
	pi, ei := 0, 0
	star, mark := -1, 0
	for ei < len(ev) {
		switch {
		case pi < len(pat) && pat[pi].ellipsis:
			star, mark = pi, ei
			pi++
		case pi < len(pat) && pat[pi].test(ev[ei]):
			pi++
			ei++
		case star >= 0:
			pi = star + 1
			mark++
			ei = mark
		default:
			return false
		}
	}
	for pi < len(pat) && pat[pi].ellipsis {
		pi++
	}
	return pi == len(pat)
}
