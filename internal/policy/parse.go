package policy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"
)

// Parse reads and validates a policy document used as kind. The error is
// a *MalformedError for any document IAM would refuse.
func Parse(doc string, kind Kind) (*Document, error) {
	dec := json.NewDecoder(strings.NewReader(doc))
	dec.UseNumber()
	var raw any
	if err := dec.Decode(&raw); err != nil {
		return nil, malformed(msgSyntax)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, malformed(msgSyntax) // trailing data after the document
	}
	top, ok := raw.(map[string]any)
	if !ok {
		return nil, malformed(msgSyntax)
	}
	d := &Document{Version: Version2008}
	for _, k := range sortedKeys(top) {
		v := top[k]
		switch k {
		case "Version":
			s, ok := v.(string)
			if !ok {
				return nil, malformed(msgSyntax)
			}
			if s != Version2012 && s != Version2008 {
				return nil, malformed(msgLegacy)
			}
			d.Version = s
		case "Id":
			s, ok := v.(string)
			if !ok {
				return nil, malformed(msgSyntax)
			}
			d.ID = s
		case "Statement":
		default:
			return nil, malformed(msgSyntax)
		}
	}
	rawStmts, ok := top["Statement"]
	if !ok {
		return nil, malformed(msgNeedStatement)
	}
	var list []any
	switch s := rawStmts.(type) {
	case map[string]any:
		list = []any{s}
	case []any:
		list = s
	default:
		return nil, malformed(msgSyntax)
	}
	if len(list) == 0 {
		return nil, malformed(msgSyntax)
	}
	for _, rs := range list {
		m, ok := rs.(map[string]any)
		if !ok {
			return nil, malformed(msgSyntax)
		}
		st, err := parseStatement(m, kind)
		if err != nil {
			return nil, err
		}
		d.Statements = append(d.Statements, st)
	}
	return d, nil
}

// MustParse parses a document known to be valid (built-in policies) and
// panics otherwise.
func MustParse(doc string, kind Kind) *Document {
	d, err := Parse(doc, kind)
	if err != nil {
		panic(fmt.Sprintf("policy: %v", err))
	}
	return d
}

func parseStatement(m map[string]any, kind Kind) (Statement, error) {
	var st Statement
	var err error
	for _, k := range sortedKeys(m) {
		v := m[k]
		switch k {
		case "Sid":
			s, ok := v.(string)
			if !ok {
				return st, malformed(msgSyntax)
			}
			st.Sid = s
		case "Effect":
			s, ok := v.(string)
			if !ok {
				return st, malformed(msgSyntax)
			}
			if s != string(Allow) && s != string(Deny) {
				return st, malformed("Invalid effect: " + s)
			}
			st.Effect = Effect(s)
		case "Action", "NotAction", "Resource", "NotResource":
			vals, err := stringList(v)
			if err != nil {
				return st, err
			}
			switch k {
			case "Action":
				st.Action = vals
			case "NotAction":
				st.NotAction = vals
			case "Resource":
				st.Resource, st.hasResource = vals, true
			case "NotResource":
				st.NotResource, st.hasResource = vals, true
			}
		case "Principal":
			if st.Principal, err = parsePrincipal(v); err != nil {
				return st, err
			}
		case "NotPrincipal":
			if st.NotPrincipal, err = parsePrincipal(v); err != nil {
				return st, err
			}
		case "Condition":
			if st.Conditions, err = parseConditions(v); err != nil {
				return st, err
			}
		default:
			return st, malformed(msgSyntax)
		}
	}
	return st, checkStatement(m, &st, kind)
}

// checkStatement enforces the elements a statement must and must not
// have, in the order IAM reports them.
func checkStatement(m map[string]any, st *Statement, kind Kind) error {
	_, hasAction := m["Action"]
	_, hasNotAction := m["NotAction"]
	_, hasResource := m["Resource"]
	_, hasNotResource := m["NotResource"]
	_, hasPrincipal := m["Principal"]
	_, hasNotPrincipal := m["NotPrincipal"]
	if hasAction && hasNotAction || hasResource && hasNotResource || hasPrincipal && hasNotPrincipal {
		return malformed(msgSyntax)
	}
	if st.Effect == "" {
		return malformed(msgNeedEffect)
	}
	switch kind {
	case Identity:
		if hasPrincipal || hasNotPrincipal {
			return malformed(msgNoPrincipal)
		}
	default:
		if !hasPrincipal && !hasNotPrincipal {
			return malformed(msgNeedPrincipal)
		}
	}
	actions := st.Action
	if hasNotAction {
		actions = st.NotAction
	}
	if len(actions) == 0 {
		return malformed(msgNeedActions)
	}
	for _, a := range actions {
		if err := checkAction(a); err != nil {
			return err
		}
	}
	switch kind {
	case Trust:
		if hasResource {
			return malformed(msgProhibitedResrc)
		}
		if hasNotResource {
			return malformed(msgProhibitedNotResr)
		}
		for _, a := range actions {
			if a != "*" && !strings.HasPrefix(strings.ToLower(a), "sts:") {
				return malformed(msgTrustActions)
			}
		}
	default:
		res := st.Resource
		if hasNotResource {
			res = st.NotResource
		}
		if len(res) == 0 {
			return malformed(msgNeedResources)
		}
		for _, r := range res {
			if err := checkResource(r); err != nil {
				return err
			}
		}
	}
	return nil
}

var vendorRE = regexp.MustCompile(`^[a-zA-Z0-9*?-]+$`)

func checkAction(a string) error {
	if a == "*" {
		return nil
	}
	vendor, name, ok := strings.Cut(a, ":")
	if !ok || vendor == "" {
		return malformed(msgVendor)
	}
	if strings.Contains(name, ":") {
		return malformed(msgOneColon)
	}
	if !vendorRE.MatchString(vendor) || name == "" {
		return malformed(fmt.Sprintf("Vendor %s is not valid", vendor))
	}
	return nil
}

func checkResource(r string) error {
	if r == "*" {
		return nil
	}
	parts := strings.SplitN(r, ":", 6)
	if len(parts) < 6 || parts[0] != "arn" {
		return malformed(fmt.Sprintf("Resource %s must be in ARN format or \"*\".", r))
	}
	if p := parts[1]; p != "aws" && !strings.ContainsAny(p, "*?") {
		return malformed(fmt.Sprintf("Partition \"%s\" is not valid for resource \"%s\".", p, r))
	}
	return nil
}

// stringList reads a string or a list of strings.
func stringList(v any) ([]string, error) {
	switch t := v.(type) {
	case string:
		return []string{t}, nil
	case []any:
		out := make([]string, 0, len(t))
		for _, e := range t {
			s, ok := e.(string)
			if !ok {
				return nil, malformed(msgSyntax)
			}
			out = append(out, s)
		}
		return out, nil
	}
	return nil, malformed(msgSyntax)
}

// scalarList reads a condition value: a string, number or boolean, or a
// list of them, each as its string form.
func scalarList(v any) ([]string, error) {
	scalar := func(e any) (string, bool) {
		switch t := e.(type) {
		case string:
			return t, true
		case json.Number:
			return t.String(), true
		case bool:
			if t {
				return "true", true
			}
			return "false", true
		}
		return "", false
	}
	if l, ok := v.([]any); ok {
		out := make([]string, 0, len(l))
		for _, e := range l {
			s, ok := scalar(e)
			if !ok {
				return nil, malformed(msgSyntax)
			}
			out = append(out, s)
		}
		return out, nil
	}
	s, ok := scalar(v)
	if !ok {
		return nil, malformed(msgSyntax)
	}
	return []string{s}, nil
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Compact returns doc without insignificant whitespace, as IAM counts a
// document's size against its quotas; a document that is not JSON comes
// back unchanged.
func Compact(doc string) string {
	var b bytes.Buffer
	if err := json.Compact(&b, []byte(doc)); err != nil {
		return doc
	}
	return b.String()
}
