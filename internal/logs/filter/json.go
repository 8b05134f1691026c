package filter

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
)

// A JSON pattern tests properties of events that are JSON objects:
//
//	{ $.level = "error" }                 string equality (also !=)
//	{ $.user = Adm* }                     * wildcards, quoted or not
//	{ $.latency > 100 }                   = != < <= > >= on numbers
//	{ $.msg = %tim.*out% }                a regular expression
//	{ ($.a = 1 && $.b = 2) || $.c IS TRUE }
//	{ $.x IS NULL }  { $.x NOT EXISTS }  { $.x EXISTS }  { $.ok IS FALSE }
//	{ $.users[0].email = "a@b.c" }        array indexing
//
// && binds tighter than ||. Events that are not JSON objects never match.

type jexpr interface{ eval(doc any) bool }

type jand struct{ a, b jexpr }
type jor struct{ a, b jexpr }

func (e jand) eval(d any) bool { return e.a.eval(d) && e.b.eval(d) }
func (e jor) eval(d any) bool  { return e.a.eval(d) || e.b.eval(d) }

// step is one selector step: a property name, or an array index (idx >= 0).
type step struct {
	name string
	idx  int
}

// jtest is the kind of test a jcond makes.
type jtest int

const (
	jCompare jtest = iota
	jIsNull
	jIsTrue
	jIsFalse
	jExists
	jNotExists
)

type jcond struct {
	path []step
	test jtest
	c    cond
}

func parseJSON(src, s string) (func([]byte) bool, error) {
	toks, err := lex(src, s)
	if err != nil {
		return nil, err
	}
	p := &parser{src: src, toks: toks}
	if _, err := p.expect(tLBrace, "{"); err != nil {
		return nil, err
	}
	e, err := p.jsonOr()
	if err != nil {
		return nil, err
	}
	if _, err := p.expect(tRBrace, "&&, || or the closing }"); err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tEOF {
		return nil, p.unexpected(t, "the end of the pattern after }")
	}
	return func(msg []byte) bool {
		doc, ok := decodeObject(msg)
		return ok && e.eval(doc)
	}, nil
}

func (p *parser) jsonOr() (jexpr, error) {
	left, err := p.jsonAnd()
	if err != nil {
		return nil, err
	}
	for p.peek().kind == tOr {
		p.next()
		right, err := p.jsonAnd()
		if err != nil {
			return nil, err
		}
		left = jor{left, right}
	}
	return left, nil
}

func (p *parser) jsonAnd() (jexpr, error) {
	left, err := p.jsonUnary()
	if err != nil {
		return nil, err
	}
	for p.peek().kind == tAnd {
		p.next()
		right, err := p.jsonUnary()
		if err != nil {
			return nil, err
		}
		left = jand{left, right}
	}
	return left, nil
}

func (p *parser) jsonUnary() (jexpr, error) {
	if p.peek().kind == tLParen {
		p.next()
		e, err := p.jsonOr()
		if err != nil {
			return nil, err
		}
		if _, err := p.expect(tRParen, "&&, || or )"); err != nil {
			return nil, err
		}
		return e, nil
	}
	sel := p.next()
	if sel.kind != tWord || !strings.HasPrefix(sel.text, "$") {
		return nil, p.unexpected(sel, "a selector such as $.level")
	}
	path, err := parseSelector(p.src, sel.text)
	if err != nil {
		return nil, err
	}
	jc := &jcond{path: path}
	switch t := p.peek(); {
	case t.kind == tOp:
		if jc.c, err = parseCond(p); err != nil {
			return nil, err
		}
	case t.kind == tWord:
		if jc.test, err = p.keywordTest(); err != nil {
			return nil, err
		}
	default:
		return nil, p.unexpected(t, "an operator, IS or NOT EXISTS after "+sel.text)
	}
	return jc, nil
}

// keywordTest reads IS NULL, IS TRUE, IS FALSE, EXISTS or NOT EXISTS.
func (p *parser) keywordTest() (jtest, error) {
	t := p.next()
	switch strings.ToUpper(t.text) {
	case "EXISTS":
		return jExists, nil
	case "NOT":
		if u := p.next(); strings.ToUpper(u.text) != "EXISTS" || u.kind != tWord {
			return 0, p.unexpected(u, "EXISTS after NOT")
		}
		return jNotExists, nil
	case "IS":
		u := p.next()
		if u.kind == tWord {
			switch strings.ToUpper(u.text) {
			case "NULL":
				return jIsNull, nil
			case "TRUE":
				return jIsTrue, nil
			case "FALSE":
				return jIsFalse, nil
			}
		}
		return 0, p.unexpected(u, "NULL, TRUE or FALSE after IS")
	}
	return 0, p.unexpected(t, "an operator, IS or NOT EXISTS")
}

// parseSelector reads $.a.b[0].c into steps.
func parseSelector(src, sel string) ([]step, error) {
	bad := func() error {
		return errorf(src, "invalid selector %s: use $.property, $.a.b or $.a[0]", sel)
	}
	rest := sel[1:]
	var path []step
	for rest != "" {
		switch rest[0] {
		case '.':
			rest = rest[1:]
			n := strings.IndexAny(rest, ".[")
			if n < 0 {
				n = len(rest)
			}
			if n == 0 || strings.ContainsAny(rest[:n], "]") {
				return nil, bad()
			}
			path = append(path, step{name: rest[:n], idx: -1})
			rest = rest[n:]
		case '[':
			end := strings.IndexByte(rest, ']')
			if end < 0 {
				return nil, bad()
			}
			i, err := strconv.Atoi(rest[1:end])
			if err != nil || i < 0 || i > 1<<20 {
				return nil, bad()
			}
			path = append(path, step{idx: i})
			rest = rest[end+1:]
		default:
			return nil, bad()
		}
	}
	if len(path) == 0 {
		return nil, bad()
	}
	return path, nil
}

func (c *jcond) eval(doc any) bool {
	v, found := lookup(doc, c.path)
	switch c.test {
	case jExists:
		return found
	case jNotExists:
		return !found
	case jIsNull:
		return found && v == nil
	case jIsTrue:
		b, ok := v.(bool)
		return found && ok && b
	case jIsFalse:
		b, ok := v.(bool)
		return found && ok && !b
	}
	if !found {
		return false
	}
	switch x := v.(type) {
	case json.Number:
		if c.c.isN {
			f, err := x.Float64()
			return err == nil && c.c.numeric(f)
		}
		return c.c.text(string(x))
	case string:
		if c.c.isN {
			// A number never equals a string property.
			return c.c.op == "!="
		}
		return c.c.text(x)
	case bool:
		if c.c.isN {
			return c.c.op == "!="
		}
		return c.c.text(strconv.FormatBool(x))
	}
	return false // null, objects and arrays compare with nothing
}

func lookup(doc any, path []step) (any, bool) {
	v := doc
	for _, s := range path {
		if s.idx >= 0 {
			arr, ok := v.([]any)
			if !ok || s.idx >= len(arr) {
				return nil, false
			}
			v = arr[s.idx]
			continue
		}
		obj, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		if v, ok = obj[s.name]; !ok {
			return nil, false
		}
	}
	return v, true
}

// decodeObject parses an event that is a JSON object.
func decodeObject(msg []byte) (map[string]any, bool) {
	msg = bytes.TrimSpace(msg)
	if len(msg) < 2 || msg[0] != '{' {
		return nil, false
	}
	dec := json.NewDecoder(bytes.NewReader(msg))
	dec.UseNumber()
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil {
		return nil, false
	}
	return doc, true
}
