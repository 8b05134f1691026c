package elb

import (
	"net/netip"
	"slices"
	"strings"

	"github.com/quayside/quayside/internal/fault"
)

// ValidateConditions checks a rule's conditions against AWS's rules: at
// most one host-header, http-request-method, path-pattern and source-ip
// condition; up to 3 values per condition and 5 per rule; up to 5
// wildcards per rule; and each value's length and characters.
func ValidateConditions(conds []Condition) error {
	seen := map[string]bool{}
	total, wildcards := 0, 0
	for _, c := range conds {
		switch c.Field {
		case FieldHostHeader, FieldMethod, FieldPathPattern, FieldSourceIP:
			if seen[c.Field] {
				return invalid("A rule can only have one '%s' condition", c.Field)
			}
			seen[c.Field] = true
		case FieldHTTPHeader, FieldQueryString:
		case "":
			return invalid("A condition field must be specified")
		default:
			return invalid("Condition field '%s' is not valid", c.Field)
		}
		n := len(c.Values)
		if c.Field == FieldQueryString {
			n = len(c.Query)
		}
		if n == 0 {
			return invalid("A condition value must be specified for condition field '%s'", c.Field)
		}
		if n > MaxValuesPerCondition {
			return invalid("A rule condition can only have '%d' values", MaxValuesPerCondition)
		}
		total += n
		w, err := validateCondition(c)
		if err != nil {
			return err
		}
		wildcards += w
	}
	if total > MaxConditionValues {
		return invalid("A rule can only have '%d' condition values", MaxConditionValues)
	}
	if wildcards > MaxWildcardsPerRule {
		return invalid("A rule can only have '%d' wildcards", MaxWildcardsPerRule)
	}
	return nil
}

// validateCondition checks one condition's values and counts wildcards.
func validateCondition(c Condition) (wildcards int, err error) {
	check := func(v, what string, ok func(byte) bool) error {
		if v == "" {
			return invalid("A %s value cannot be empty", what)
		}
		if len(v) > MaxConditionValueLength {
			return invalid("The %s value '%s' cannot be longer than %d characters", what, v, MaxConditionValueLength)
		}
		for i := 0; i < len(v); i++ {
			if !ok(v[i]) {
				return invalid("The %s value '%s' contains a character that is not valid: '%c'", what, v, v[i])
			}
		}
		wildcards += strings.Count(v, "*") + strings.Count(v, "?")
		return nil
	}
	switch c.Field {
	case FieldHostHeader:
		for _, v := range c.Values {
			if err := check(v, "host header", hostChar); err != nil {
				return 0, err
			}
			dot := strings.LastIndexByte(v, '.')
			if dot < 0 || dot == len(v)-1 || !isAlnum(v[dot+1:]) {
				return 0, invalid("The host header value '%s' must contain a '.' followed only by alphanumeric characters", v)
			}
		}
	case FieldPathPattern:
		for _, v := range c.Values {
			if err := check(v, "path pattern", pathChar); err != nil {
				return 0, err
			}
		}
	case FieldHTTPHeader:
		if c.HeaderName == "" || len(c.HeaderName) > 40 || !allBytes(c.HeaderName, tokenChar) {
			return 0, invalid("The HTTP header name '%s' is not valid: it must be 1 to 40 token characters", c.HeaderName)
		}
		if strings.EqualFold(c.HeaderName, "host") {
			return 0, invalid("You cannot use the 'Host' header in an 'http-header' condition; use a 'host-header' condition")
		}
		for _, v := range c.Values {
			if err := check(v, "HTTP header", visibleChar); err != nil {
				return 0, err
			}
		}
	case FieldMethod:
		for _, v := range c.Values {
			if len(v) > 40 {
				return 0, invalid("The HTTP request method '%s' cannot be longer than 40 characters", v)
			}
			if v == "" || !allBytes(v, methodChar) {
				return 0, invalid("The HTTP request method '%s' is not valid: use A-Z, '-' and '_'", v)
			}
		}
	case FieldQueryString:
		for _, q := range c.Query {
			if q.Key != "" {
				if err := check(q.Key, "query string key", visibleChar); err != nil {
					return 0, err
				}
			}
			if err := check(q.Value, "query string", visibleChar); err != nil {
				return 0, err
			}
		}
	case FieldSourceIP:
		for _, v := range c.Values {
			if _, err := netip.ParsePrefix(v); err != nil {
				return 0, invalid("The source IP '%s' is not a valid CIDR block", v)
			}
		}
	}
	return wildcards, nil
}

// ValidateActions checks a rule's actions, assigns missing orders by
// position and sorts them. tgExists looks a target group up by ARN and
// reports whether it exists.
func ValidateActions(actions []Action, tgExists func(arn string) bool) ([]Action, error) {
	if len(actions) == 0 {
		return nil, invalid("At least one action must be specified")
	}
	if len(actions) > MaxActions {
		return nil, fault.Newf(ErrTooManyActions, "A rule can only have '%d' actions", MaxActions)
	}
	out := slices.Clone(actions)
	for i := range out {
		if out[i].Order == 0 {
			out[i].Order = i + 1
		}
		if out[i].Order < 1 || out[i].Order > MaxPriority {
			return nil, invalid("Action order '%d' must be from 1 to 50000", out[i].Order)
		}
	}
	slices.SortStableFunc(out, func(a, b Action) int { return a.Order - b.Order })
	for i := 1; i < len(out); i++ {
		if out[i].Order == out[i-1].Order {
			return nil, invalid("The action order '%d' is used by more than one action", out[i].Order)
		}
	}
	for i := range out {
		if err := validateAction(&out[i], tgExists); err != nil {
			return nil, err
		}
		if i < len(out)-1 {
			return nil, fault.Newf(ErrInvalidLoadBalancerAction, "The '%s' action must be the last action: a rule can have only one forward, redirect or fixed-response action", out[i].Type)
		}
	}
	return out, nil
}

func validateAction(a *Action, tgExists func(string) bool) error {
	switch a.Type {
	case ActionForward:
		f := a.Forward
		if f == nil || len(f.TargetGroups) == 0 {
			return invalid("A target group ARN must be specified for a forward action")
		}
		if len(f.TargetGroups) > MaxTargetGroupsPerRule {
			return fault.Newf(ErrTooManyTargetGroups, "A forward action can only have '%d' target groups", MaxTargetGroupsPerRule)
		}
		seen := map[string]bool{}
		for _, tg := range f.TargetGroups {
			if seen[tg.ARN] {
				return invalid("Target group '%s' is specified more than once in the forward action", tg.ARN)
			}
			seen[tg.ARN] = true
			if tg.Weight < 0 || tg.Weight > 999 {
				return invalid("Target group weight '%d' must be from 0 to 999", tg.Weight)
			}
			if _, ok := ParseKind(tg.ARN, KindTargetGroup); !ok {
				return invalid("'%s' is not a valid target group ARN", tg.ARN)
			}
			if !tgExists(tg.ARN) {
				return fault.Newf(ErrTargetGroupNotFound, "Target groups '%s' not found", tg.ARN)
			}
		}
		if f.Stickiness && (f.StickinessSeconds < 1 || f.StickinessSeconds > 604800) {
			return invalid("Target group stickiness duration must be from 1 to 604800 seconds")
		}
	case ActionRedirect:
		return validateRedirect(a.Redirect)
	case ActionFixedResponse:
		return validateFixed(a.Fixed)
	case "authenticate-oidc", "authenticate-cognito", "jwt-validation":
		return fault.Newf(ErrInvalidLoadBalancerAction, "Quayside does not support '%s' actions", a.Type)
	case "":
		return invalid("An action type must be specified")
	default:
		return invalid("Action type '%s' is not valid", a.Type)
	}
	return nil
}

func hostChar(c byte) bool { return isAlnumByte(c) || c == '-' || c == '.' || c == '*' || c == '?' }

func pathChar(c byte) bool {
	return isAlnumByte(c) || strings.IndexByte("_-.$/~\"'@:+&*?", c) >= 0
}

func tokenChar(c byte) bool { return isAlnumByte(c) || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0 }

func methodChar(c byte) bool { return c >= 'A' && c <= 'Z' || c == '-' || c == '_' }

func visibleChar(c byte) bool { return c > 0x20 && c < 0x7f || c == ' ' }

func isAlnumByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func isAlnum(s string) bool { return allBytes(s, isAlnumByte) }

func allBytes(s string, ok func(byte) bool) bool {
	for i := 0; i < len(s); i++ {
		if !ok(s[i]) {
			return false
		}
	}
	return true
}
