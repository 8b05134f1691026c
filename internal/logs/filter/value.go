package filter

import (
	"regexp"
	"strconv"
	"strings"
)

// cond is one comparison: op and a value, tested against a JSON property
// or a space-delimited field.
type cond struct {
	op  string // = != < <= > >=
	num float64
	isN bool           // the value is a number
	str string         // the string value (for = and !=)
	glb []string       // str split at '*' when it has wildcards
	re  *regexp.Regexp // a %regex% value
}

// parseCond reads "op value" from p.
func parseCond(p *parser) (cond, error) {
	opTok, err := p.expect(tOp, "a comparison operator (=, !=, <, <=, >, >=)")
	if err != nil {
		return cond{}, err
	}
	c := cond{op: opTok.text}
	v := p.next()
	switch v.kind {
	case tString:
		c.setString(v.text)
	case tRegex:
		re, err := compileRegex(p.src, v.text)
		if err != nil {
			return cond{}, err
		}
		c.re = re
	case tWord:
		if f, ok := parseNumber(v.text); ok {
			c.num, c.isN = f, true
			c.str = v.text
		} else {
			c.setString(v.text)
		}
	default:
		return cond{}, p.unexpected(v, "a value after "+c.op)
	}
	if !c.isN && c.op != "=" && c.op != "!=" {
		return cond{}, errorf(p.src, "operator %s at position %d needs a number, found %q", c.op, opTok.pos+1, v.text)
	}
	return c, nil
}

func (c *cond) setString(s string) {
	c.str = s
	if strings.Contains(s, "*") {
		c.glb = strings.Split(s, "*")
	}
}

// parseNumber accepts AWS's numeric values: integers, decimals and
// exponents (1, -2.5, 1e3).
func parseNumber(s string) (float64, bool) {
	if s == "" || strings.ContainsAny(s, "xX_pPiInN") {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil
}

// compileRegex compiles a %regex% body. AWS does not allow ( and ).
func compileRegex(src, body string) (*regexp.Regexp, error) {
	if body == "" {
		return nil, errorf(src, "empty regular expression %%%%")
	}
	if strings.ContainsAny(body, "()") {
		return nil, errorf(src, "regular expression %%%s%%: ( and ) are not supported", body)
	}
	re, err := regexp.Compile(body)
	if err != nil {
		return nil, errorf(src, "regular expression %%%s%%: %v", body, err)
	}
	return re, nil
}

// numeric compares a number against a numeric condition.
func (c *cond) numeric(x float64) bool {
	switch c.op {
	case "=":
		return x == c.num
	case "!=":
		return x != c.num
	case "<":
		return x < c.num
	case "<=":
		return x <= c.num
	case ">":
		return x > c.num
	case ">=":
		return x >= c.num
	}
	return false
}

// text tests a field's text. Numeric conditions parse the text as a
// number: a field that is not a number never equals one (so != holds)
// and is never less or greater.
func (c *cond) text(s string) bool {
	if c.isN {
		if f, ok := parseNumber(s); ok {
			return c.numeric(f)
		}
		return c.op == "!="
	}
	eq := c.equal(s)
	if c.op == "!=" {
		return !eq
	}
	return eq
}

func (c *cond) equal(s string) bool {
	switch {
	case c.re != nil:
		return c.re.MatchString(s)
	case c.glb != nil:
		return globMatch(c.glb, s)
	}
	return s == c.str
}

// globMatch matches s against a pattern split at its '*' wildcards.
func globMatch(parts []string, s string) bool {
	if !strings.HasPrefix(s, parts[0]) {
		return false
	}
	s = s[len(parts[0]):]
	last := parts[len(parts)-1]
	for _, mid := range parts[1 : len(parts)-1] {
		i := strings.Index(s, mid)
		if i < 0 {
			return false
		}
		s = s[i+len(mid):]
	}
	return len(s) >= len(last) && strings.HasSuffix(s, last)
}
