package policy

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"math/big"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// operator is one condition operator without its qualifiers.
type operator struct {
	name    string
	negated bool // true for the Not forms: absent keys match, and a key matches when no value does
	match   func(policyValue, requestValue string) bool
}

var operators = map[string]operator{}

func init() {
	add := func(name string, negated bool, fn func(p, r string) bool) {
		operators[strings.ToLower(name)] = operator{name: name, negated: negated, match: fn}
	}
	eq := func(p, r string) bool { return unescape(p) == r }
	fold := func(p, r string) bool { return strings.EqualFold(unescape(p), r) }
	add("StringEquals", false, eq)
	add("StringNotEquals", true, eq)
	add("StringEqualsIgnoreCase", false, fold)
	add("StringNotEqualsIgnoreCase", true, fold)
	add("StringLike", false, globLiteral)
	add("StringNotLike", true, globLiteral)
	add("ArnEquals", false, matchARN)
	add("ArnLike", false, matchARN)
	add("ArnNotEquals", true, matchARN)
	add("ArnNotLike", true, matchARN)
	add("Bool", false, func(p, r string) bool { return strings.EqualFold(p, r) })
	add("BinaryEquals", false, binaryEquals)
	add("IpAddress", false, ipInRange)
	add("NotIpAddress", true, ipInRange)
	num := func(cmp func(int) bool) func(p, r string) bool {
		return func(p, r string) bool {
			pv, ok1 := new(big.Float).SetString(p)
			rv, ok2 := new(big.Float).SetString(r)
			return ok1 && ok2 && cmp(rv.Cmp(pv))
		}
	}
	add("NumericEquals", false, num(func(c int) bool { return c == 0 }))
	add("NumericNotEquals", true, num(func(c int) bool { return c == 0 }))
	add("NumericLessThan", false, num(func(c int) bool { return c < 0 }))
	add("NumericLessThanEquals", false, num(func(c int) bool { return c <= 0 }))
	add("NumericGreaterThan", false, num(func(c int) bool { return c > 0 }))
	add("NumericGreaterThanEquals", false, num(func(c int) bool { return c >= 0 }))
	date := func(cmp func(int) bool) func(p, r string) bool {
		return func(p, r string) bool {
			pt, ok1 := parseDate(p)
			rt, ok2 := parseDate(r)
			return ok1 && ok2 && cmp(rt.Compare(pt))
		}
	}
	add("DateEquals", false, date(func(c int) bool { return c == 0 }))
	add("DateNotEquals", true, date(func(c int) bool { return c == 0 }))
	add("DateLessThan", false, date(func(c int) bool { return c < 0 }))
	add("DateLessThanEquals", false, date(func(c int) bool { return c <= 0 }))
	add("DateGreaterThan", false, date(func(c int) bool { return c > 0 }))
	add("DateGreaterThanEquals", false, date(func(c int) bool { return c >= 0 }))
	add("Null", false, nil) // evaluated on presence, see holds
}

func parseDate(s string) (time.Time, bool) {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return time.Unix(n, 0), true
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04Z", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

func binaryEquals(p, r string) bool {
	pb, err1 := base64.StdEncoding.DecodeString(p)
	rb, err2 := base64.StdEncoding.DecodeString(r)
	return err1 == nil && err2 == nil && bytes.Equal(pb, rb)
}

func ipInRange(p, r string) bool {
	ip, err := netip.ParseAddr(r)
	if err != nil {
		return false
	}
	if pfx, err := netip.ParsePrefix(p); err == nil {
		return pfx.Contains(ip)
	}
	a, err := netip.ParseAddr(p)
	return err == nil && a == ip
}

// parseOperator splits "ForAnyValue:StringLikeIfExists" into its parts.
func parseOperator(s string) (op operator, ifExists bool, set setQualifier, ok bool) {
	name := s
	if q, rest, found := strings.Cut(s, ":"); found {
		switch strings.ToLower(q) {
		case "foranyvalue":
			set = setAnyValue
		case "forallvalues":
			set = setAllValues
		default:
			return op, false, 0, false
		}
		name = rest
	}
	lower := strings.ToLower(name)
	if base, found := strings.CutSuffix(lower, "ifexists"); found && base != "null" {
		lower, ifExists = base, true
	}
	op, ok = operators[lower]
	return op, ifExists, set, ok
}

func parseConditions(v any) ([]Condition, error) {
	block, ok := v.(map[string]any)
	if !ok {
		return nil, malformed(msgSyntax)
	}
	var out []Condition
	for _, opName := range sortedKeys(block) {
		op, ifExists, set, ok := parseOperator(opName)
		if !ok {
			return nil, malformed(fmt.Sprintf("Invalid Condition type : %s", opName))
		}
		keys, ok := block[opName].(map[string]any)
		if !ok || len(keys) == 0 {
			return nil, malformed(msgSyntax)
		}
		for _, key := range sortedKeys(keys) {
			if !strings.Contains(key, ":") {
				return nil, malformed(msgVendor)
			}
			vals, err := scalarList(keys[key])
			if err != nil {
				return nil, err
			}
			out = append(out, Condition{Operator: opName, Key: key, Values: vals, op: op, ifExists: ifExists, set: set})
		}
	}
	return out, nil
}

// holds evaluates one condition against the request context.
func (c *Condition) holds(ctx Context, substituteVars bool) bool {
	reqVals := ctx.values(c.Key)
	present := len(reqVals) > 0
	if c.op.name == "Null" {
		want := len(c.Values) > 0 && strings.EqualFold(c.Values[0], "true")
		return want != present
	}
	if !present {
		switch {
		case c.ifExists:
			return true
		case c.set == setAllValues:
			return true // ForAllValues holds vacuously for an absent key
		case c.set == setAnyValue:
			return false
		}
		return c.op.negated
	}
	policyVals := c.Values
	if substituteVars {
		policyVals = make([]string, 0, len(c.Values))
		for _, v := range c.Values {
			if s, ok := substitute(v, ctx); ok {
				policyVals = append(policyVals, s)
			}
		}
	}
	// matchesAny: the request value equals (or is like) some policy value.
	matchesAny := func(r string) bool {
		for _, p := range policyVals {
			if c.op.match(p, r) {
				return true
			}
		}
		return false
	}
	// valueHolds applies the operator to one request value.
	valueHolds := func(r string) bool {
		if c.op.negated {
			return !matchesAny(r)
		}
		return matchesAny(r)
	}
	switch c.set {
	case setAllValues:
		for _, r := range reqVals {
			if !valueHolds(r) {
				return false
			}
		}
		return true
	case setAnyValue:
		for _, r := range reqVals {
			if valueHolds(r) {
				return true
			}
		}
		return false
	}
	// Unqualified: a negated operator holds when no request value matches;
	// a positive one when any does.
	if c.op.negated {
		for _, r := range reqVals {
			if matchesAny(r) {
				return false
			}
		}
		return true
	}
	for _, r := range reqVals {
		if matchesAny(r) {
			return true
		}
	}
	return false
}
