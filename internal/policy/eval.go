package policy

import "strings"

// Context holds a request's condition keys (aws:SourceIp,
// ecs:cluster, ...) and their values. Key names compare ignoring case.
type Context map[string][]string

// values returns a key's values.
func (c Context) values(key string) []string {
	if v, ok := c[key]; ok {
		return v
	}
	for k, v := range c {
		if strings.EqualFold(k, key) {
			return v
		}
	}
	return nil
}

// Request is what a policy is asked about.
type Request struct {
	// Caller is who asks; principal elements (trust and resource
	// policies) match against it. Identity policies ignore it.
	Caller   Caller
	Action   string // "ssm:GetParameters"
	Resource string // an ARN, or "*" for actions on no resource
	Context  Context
}

// Decision is the outcome of evaluating policies.
type Decision int

// Decisions. NotApplicable is the implicit deny: no statement allowed the
// request.
const (
	NotApplicable Decision = iota
	Allowed
	Denied
)

func (d Decision) String() string {
	switch d {
	case Allowed:
		return "Allow"
	case Denied:
		return "ExplicitDeny"
	}
	return "ImplicitDeny"
}

// Evaluate decides a request against a set of documents that apply
// together (a role's inline and managed policies, say): an explicit deny
// in any of them wins, then an allow in any, else the implicit deny.
func Evaluate(req Request, docs ...*Document) Decision {
	out := NotApplicable
	for _, d := range docs {
		switch d.Evaluate(req) {
		case Denied:
			return Denied
		case Allowed:
			out = Allowed
		}
	}
	return out
}

// Evaluate decides a request against one document.
func (d *Document) Evaluate(req Request) Decision {
	out := NotApplicable
	vars := d.Version == Version2012
	for i := range d.Statements {
		st := &d.Statements[i]
		if !st.applies(req, vars) {
			continue
		}
		if st.Effect == Deny {
			return Denied
		}
		out = Allowed
	}
	return out
}

// applies reports whether every element of the statement matches.
func (st *Statement) applies(req Request, vars bool) bool {
	switch {
	case st.Principal != nil && !st.Principal.matches(req.Caller):
		return false
	case st.NotPrincipal != nil && st.NotPrincipal.matches(req.Caller):
		return false
	}
	if st.NotAction != nil {
		if anyMatch(st.NotAction, req.Action, matchAction) {
			return false
		}
	} else if !anyMatch(st.Action, req.Action, matchAction) {
		return false
	}
	if st.hasResource {
		res := func(pattern, resource string) bool {
			if vars {
				s, ok := substitute(pattern, req.Context)
				if !ok {
					return false
				}
				pattern = s
			}
			return globLiteral(pattern, resource)
		}
		if st.NotResource != nil {
			if anyMatch(st.NotResource, req.Resource, res) {
				return false
			}
		} else if !anyMatch(st.Resource, req.Resource, res) {
			return false
		}
	}
	for i := range st.Conditions {
		if !st.Conditions[i].holds(req.Context, vars) {
			return false
		}
	}
	return true
}

func anyMatch(patterns []string, s string, match func(p, s string) bool) bool {
	for _, p := range patterns {
		if match(p, s) {
			return true
		}
	}
	return false
}
