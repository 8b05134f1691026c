package filter

import "strings"

// tokKind is the kind of a token in JSON and space-delimited patterns.
type tokKind int

const (
	tEOF    tokKind = iota
	tLParen         // (
	tRParen         // )
	tLBrack         // [
	tRBrack         // ]
	tLBrace         // {
	tRBrace         // }
	tComma          // ,
	tAnd            // &&
	tOr             // ||
	tOp             // = != < <= > >=
	tString         // "quoted"
	tRegex          // %regex%
	tWord           // a bare word: name, number, glob, selector, keyword, ...
)

type token struct {
	kind tokKind
	text string // the operator, the unquoted string, the regex body, the word
	pos  int
}

// wordStop lists the bytes that end a bare word.
const wordStop = " \t\r\n(){}[],=!<>&|\"%"

// lex splits a JSON or space-delimited pattern into tokens. In selector
// words (starting with $), brackets belong to the word: $.a[0].b.
func lex(src, s string) ([]token, error) {
	var out []token
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case isSpace(c):
			i++
		case c == '(' || c == ')' || c == '[' || c == ']' || c == '{' || c == '}' || c == ',':
			out = append(out, token{kind: punct(c), text: s[i : i+1], pos: i})
			i++
		case c == '&' || c == '|':
			if i+1 >= len(s) || s[i+1] != c {
				return nil, errorf(src, "unexpected '%c' at position %d: use && or ||", c, i+1)
			}
			kind := tAnd
			if c == '|' {
				kind = tOr
			}
			out = append(out, token{kind: kind, text: s[i : i+2], pos: i})
			i += 2
		case c == '=' || c == '<' || c == '>' || c == '!':
			n := 1
			if i+1 < len(s) && s[i+1] == '=' {
				n = 2
			}
			op := s[i : i+n]
			if op == "!" {
				return nil, errorf(src, "unexpected '!' at position %d: use != to compare", i+1)
			}
			if op == "==" {
				op = "="
			}
			out = append(out, token{kind: tOp, text: op, pos: i})
			i += n
		case c == '"':
			q, n, err := readQuoted(src, s[i:])
			if err != nil {
				return nil, err
			}
			out = append(out, token{kind: tString, text: q, pos: i})
			i += n
		case c == '%':
			end := strings.IndexByte(s[i+1:], '%')
			if end < 0 {
				return nil, errorf(src, "unterminated regular expression at position %d: close it with %%", i+1)
			}
			out = append(out, token{kind: tRegex, text: s[i+1 : i+1+end], pos: i})
			i += end + 2
		default:
			j := i
			if c == '$' {
				for j < len(s) && !strings.ContainsRune(" \t\r\n(){},=!<>&|\"%", rune(s[j])) {
					j++
				}
			} else {
				for j < len(s) && !strings.ContainsRune(wordStop, rune(s[j])) {
					j++
				}
			}
			out = append(out, token{kind: tWord, text: s[i:j], pos: i})
			i = j
		}
	}
	return append(out, token{kind: tEOF, pos: len(s)}), nil
}

func punct(c byte) tokKind {
	switch c {
	case '(':
		return tLParen
	case ')':
		return tRParen
	case '[':
		return tLBrack
	case ']':
		return tRBrack
	case '{':
		return tLBrace
	case '}':
		return tRBrace
	}
	return tComma
}

// parser walks a token list.
type parser struct {
	src  string
	toks []token
	i    int
}

func (p *parser) peek() token { return p.toks[p.i] }

func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tEOF {
		p.i++
	}
	return t
}

func (p *parser) expect(k tokKind, what string) (token, error) {
	t := p.next()
	if t.kind != k {
		return t, p.unexpected(t, what)
	}
	return t, nil
}

func (p *parser) unexpected(t token, want string) error {
	got := "the end of the pattern"
	if t.kind != tEOF {
		got = "'" + t.text + "'"
		if t.kind == tString {
			got = `"` + t.text + `"`
		}
	}
	return errorf(p.src, "expected %s at position %d, found %s", want, t.pos+1, got)
}
