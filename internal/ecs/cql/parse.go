package cql

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Parse checks an expression and returns it ready to match. An
// expression that does not parse returns an *Error.
func Parse(src string) (*Expr, error) {
	if len(src) > MaxLength {
		return nil, &Error{Pos: MaxLength, Msg: fmt.Sprintf("the expression is longer than %d characters", MaxLength)}
	}
	p := &parser{src: src}
	n, err := p.or()
	if err != nil {
		return nil, err
	}
	p.space()
	if !p.eof() {
		return nil, p.errorf("unexpected %s", p.next())
	}
	return &Expr{root: n, src: src}, nil
}

type parser struct {
	src   string
	pos   int
	depth int
}

func (p *parser) eof() bool { return p.pos >= len(p.src) }

func (p *parser) errorf(format string, args ...any) error {
	return &Error{Pos: p.pos, Msg: fmt.Sprintf(format, args...)}
}

// next describes what comes next, for error messages.
func (p *parser) next() string {
	if p.eof() {
		return "end of expression"
	}
	r, _ := utf8.DecodeRuneInString(p.src[p.pos:])
	return strconv.QuoteRune(r)
}

func (p *parser) space() {
	for !p.eof() && isSpace(p.src[p.pos]) {
		p.pos++
	}
}

// symbol consumes s if it comes next.
func (p *parser) symbol(s string) bool {
	if strings.HasPrefix(p.src[p.pos:], s) {
		p.pos += len(s)
		return true
	}
	return false
}

// keyword consumes the word w if it comes next as a whole word, in any case.
func (p *parser) keyword(w string) bool {
	end := p.pos + len(w)
	if end > len(p.src) || !strings.EqualFold(p.src[p.pos:end], w) || end < len(p.src) && isWordChar(p.src[end]) {
		return false
	}
	p.pos = end
	return true
}

func (p *parser) or() (node, error) {
	l, err := p.and()
	if err != nil {
		return nil, err
	}
	for {
		p.space()
		if !p.symbol("||") && !p.keyword("or") {
			return l, nil
		}
		r, err := p.and()
		if err != nil {
			return nil, err
		}
		l = orNode{l, r}
	}
}

func (p *parser) and() (node, error) {
	l, err := p.unary()
	if err != nil {
		return nil, err
	}
	for {
		p.space()
		if !p.symbol("&&") && !p.keyword("and") {
			return l, nil
		}
		r, err := p.unary()
		if err != nil {
			return nil, err
		}
		l = andNode{l, r}
	}
}

func (p *parser) unary() (node, error) {
	p.space()
	if p.depth >= maxDepth {
		return nil, p.errorf("the expression is nested too deeply")
	}
	p.depth++
	defer func() { p.depth-- }()
	switch {
	case p.symbol("("):
		n, err := p.or()
		if err != nil {
			return nil, err
		}
		p.space()
		if !p.symbol(")") {
			return nil, p.errorf("expected \")\" but found %s", p.next())
		}
		return n, nil
	case p.keyword("not"), p.symbol("!"):
		x, err := p.unary()
		if err != nil {
			return nil, err
		}
		return notNode{x}, nil
	}
	return p.comparison()
}

func (p *parser) comparison() (node, error) {
	start := p.pos
	for !p.eof() && isSubjectChar(p.src[p.pos]) {
		p.pos++
	}
	if start == p.pos {
		return nil, p.errorf("expected a subject but found %s", p.next())
	}
	subj, ok := parseSubject(p.src[start:p.pos])
	if !ok {
		return nil, &Error{Pos: start, Msg: fmt.Sprintf("unknown subject %q", p.src[start:p.pos])}
	}
	p.space()
	opPos := p.pos
	o, ok := p.operator()
	if !ok {
		return nil, p.errorf("expected an operator after %s but found %s", subj, p.next())
	}
	if !subj.accepts(o) {
		return nil, &Error{Pos: opPos, Msg: fmt.Sprintf("the operator %s is not valid for %s", o, subj)}
	}
	c := &cmpNode{subj: subj, op: o}
	switch o {
	case opExists, opNotExists:
		return c, nil
	case opIn, opNotIn:
		args, err := p.list()
		if err != nil {
			return nil, err
		}
		c.args = args
		return c, nil
	}
	p.space()
	argPos := p.pos
	arg, err := p.literal(false)
	if err != nil {
		return nil, err
	}
	c.args = []string{arg}
	if err := c.prepare(); err != nil {
		return nil, &Error{Pos: argPos, Msg: err.Error()}
	}
	return c, nil
}

// operator reads a symbolic or word operator.
func (p *parser) operator() (op, bool) {
	for _, s := range symbolOps {
		if !strings.HasPrefix(p.src[p.pos:], s.text) {
			continue
		}
		end := p.pos + len(s.text)
		if isWordChar(s.text[len(s.text)-1]) && end < len(p.src) && isWordChar(p.src[end]) {
			continue // "!inside" is not "!in"
		}
		p.pos = end
		return s.op, true
	}
	end := p.pos
	for end < len(p.src) && isWordChar(p.src[end]) {
		end++
	}
	if o, ok := wordOps[strings.ToLower(p.src[p.pos:end])]; ok {
		p.pos = end
		return o, true
	}
	return 0, false
}

// list reads an argument list, "[a, b, …]".
func (p *parser) list() ([]string, error) {
	p.space()
	if !p.symbol("[") {
		return nil, p.errorf("expected an argument list \"[…]\" but found %s", p.next())
	}
	var out []string
	for {
		p.space()
		v, err := p.literal(true)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
		p.space()
		switch {
		case p.symbol(","):
		case p.symbol("]"):
			return out, nil
		default:
			return nil, p.errorf("expected \",\" or \"]\" but found %s", p.next())
		}
	}
}

// literal reads a quoted or bare value. A bare value ends at a space, at
// "&&" or "||", at a ")" it did not open, and in a list at "," or "]".
func (p *parser) literal(inList bool) (string, error) {
	if !p.eof() && (p.src[p.pos] == '\'' || p.src[p.pos] == '"') {
		q := p.src[p.pos]
		end := strings.IndexByte(p.src[p.pos+1:], q)
		if end < 0 {
			return "", p.errorf("unterminated quoted value")
		}
		v := p.src[p.pos+1 : p.pos+1+end]
		p.pos += end + 2
		return v, nil
	}
	start, depth := p.pos, 0
scan:
	for ; !p.eof(); p.pos++ {
		c := p.src[p.pos]
		switch {
		case isSpace(c):
			break scan
		case inList && (c == ',' || c == ']'):
			break scan
		case c == '(':
			depth++
		case c == ')':
			if depth == 0 {
				break scan
			}
			depth--
		case depth == 0 && (strings.HasPrefix(p.src[p.pos:], "&&") || strings.HasPrefix(p.src[p.pos:], "||")):
			break scan
		}
	}
	if start == p.pos {
		return "", p.errorf("expected a value but found %s", p.next())
	}
	return p.src[start:p.pos], nil
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// isWordChar reports whether c may continue a keyword or word operator:
// "notice" is not "not", "orange" is not "or".
func isWordChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}

// isSubjectChar reports whether c may appear in a subject: the letters,
// digits, hyphens, underscores, slashes, backslashes and periods of an
// attribute name, and the colon after "attribute" or "task".
func isSubjectChar(c byte) bool {
	return isWordChar(c) || c == '-' || c == '.' || c == '/' || c == '\\' || c == ':'
}

// prepare checks the argument of a single-value comparison and compiles
// it: the pattern of matches, the date of registeredAt, the count of
// runningTasksCount.
func (c *cmpNode) prepare() error {
	arg := c.args[0]
	if c.op == opMatches || c.op == opNotMatches {
		re, err := regexp.Compile(`^(?:` + arg + `)$`)
		if err != nil {
			return fmt.Errorf("invalid regular expression %q", arg)
		}
		c.re = re
		return nil
	}
	switch c.subj.kind {
	case subjRegisteredAt:
		t, day, ok := parseDate(arg)
		if !ok {
			return fmt.Errorf("invalid date %q: use 2018-06-18T22:28:28+00:00, 2018-06-18T22:28:28Z, 2018-06-18T22:28:28 or 2018-06-18", arg)
		}
		c.when, c.day = t, day
	case subjRunningTasksCount:
		n, err := strconv.Atoi(arg)
		if err != nil || n < 0 {
			return fmt.Errorf("invalid task count %q", arg)
		}
		c.count = n
	}
	return nil
}
