package lifecycle

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/quayside/quayside/internal/ecr"
)

// Tag statuses of a rule's selection, as the policy JSON spells them.
const (
	Tagged   = "tagged"
	Untagged = "untagged"
	Any      = "any"
)

// Count types.
const (
	ImageCountMoreThan = "imageCountMoreThan"
	SinceImagePushed   = "sinceImagePushed"
)

// ActionExpire is the one action Quayside performs.
const ActionExpire = "expire"

// MaxWildcards is the most '*' a tagPatternList entry may have.
const MaxWildcards = 4

// Policy is a parsed, valid lifecycle policy.
type Policy struct {
	Rules []Rule // sorted by Priority
}

// Rule is one rule of a policy.
type Rule struct {
	Priority    int
	Description string
	TagStatus   string
	// At most one of TagPrefixList and TagPatternList, only for tagged.
	TagPrefixList  []string
	TagPatternList []string
	CountType      string
	CountUnit      string // "days" for sinceImagePushed
	CountNumber    int
	Action         string
}

// Parse reads and validates a lifecycle policy as PutLifecyclePolicy
// does. Errors are ecr.ErrInvalidParameter with ECR's message: "Invalid
// parameter at 'LifecyclePolicyText' failed to satisfy constraint:
// 'Lifecycle policy validation failure: ...'". The details follow ECR's
// JSON schema validator where its wording is known (see policy_test.go).
func Parse(text string) (Policy, error) {
	dec := json.NewDecoder(strings.NewReader(text))
	dec.UseNumber()
	var raw any
	if err := dec.Decode(&raw); err != nil {
		return Policy{}, invalid("Could not map policyString into LifecyclePolicy.")
	}
	if _, err := dec.Token(); err != io.EOF {
		return Policy{}, invalid("Could not map policyString into LifecyclePolicy.")
	}
	top, err := object(raw, []string{"rules"}, []string{"rules"})
	if err != nil {
		return Policy{}, err
	}
	list, ok := top["rules"].([]any)
	if !ok {
		return Policy{}, wrongType(top["rules"], "array")
	}
	if len(list) == 0 {
		return Policy{}, invalid("array is too short: must have at least 1 elements but instance has 0 elements")
	}
	var p Policy
	for _, r := range list {
		rule, err := parseRule(r)
		if err != nil {
			return Policy{}, err
		}
		p.Rules = append(p.Rules, rule)
	}
	sort.SliceStable(p.Rules, func(i, j int) bool { return p.Rules[i].Priority < p.Rules[j].Priority })
	return p, p.check()
}

func parseRule(v any) (Rule, error) {
	m, err := object(v, []string{"action", "rulePriority", "selection"}, []string{"rulePriority", "description", "selection", "action"})
	if err != nil {
		return Rule{}, err
	}
	var r Rule
	if r.Priority, err = integer(m["rulePriority"], 1); err != nil {
		return r, err
	}
	if d, ok := m["description"]; ok {
		if r.Description, ok = d.(string); !ok {
			return r, wrongType(d, "string")
		}
	}
	if err := r.parseSelection(m["selection"]); err != nil {
		return r, err
	}
	action, err := object(m["action"], []string{"type"}, []string{"type"})
	if err != nil {
		return r, err
	}
	if r.Action, err = enum(action["type"], ActionExpire); err != nil {
		return r, err
	}
	return r, nil
}

func (r *Rule) parseSelection(v any) error {
	sel, err := object(v, []string{"countNumber", "countType", "tagStatus"},
		[]string{"tagStatus", "tagPrefixList", "tagPatternList", "countType", "countUnit", "countNumber"})
	if err != nil {
		return err
	}
	if r.TagStatus, err = enum(sel["tagStatus"], Tagged, Untagged, Any); err != nil {
		return err
	}
	if r.TagPrefixList, err = stringList(sel, "tagPrefixList"); err != nil {
		return err
	}
	if r.TagPatternList, err = stringList(sel, "tagPatternList"); err != nil {
		return err
	}
	// ECR's schema is a oneOf of the two count types (with and without
	// countUnit); any mismatch fails both branches alike.
	oneOf := invalid("instance failed to match exactly one schema (matched 0 out of 2)")
	ct, _ := sel["countType"].(string)
	unit, hasUnit := sel["countUnit"]
	switch ct {
	case ImageCountMoreThan:
		if hasUnit {
			return oneOf
		}
	case SinceImagePushed:
		if u, _ := unit.(string); u != "days" {
			return oneOf
		}
		r.CountUnit = "days"
	default:
		return oneOf
	}
	r.CountType = ct
	if r.CountNumber, err = integer(sel["countNumber"], 1); err != nil {
		return err
	}
	return nil
}

// check enforces the rules that span a rule's members or several rules.
func (p Policy) check() error {
	untagged := 0
	for i, r := range p.Rules {
		if i > 0 && p.Rules[i-1].Priority == r.Priority {
			return invalid(fmt.Sprintf("Rule priorities must be unique; %d is given to more than one rule", r.Priority))
		}
		lists := len(r.TagPrefixList) > 0 || len(r.TagPatternList) > 0
		switch r.TagStatus {
		case Tagged:
			if !lists {
				return invalid("Must specify tagPrefixList or tagPatternList when tagStatus=TAGGED.")
			}
			if len(r.TagPrefixList) > 0 && len(r.TagPatternList) > 0 {
				return invalid("A rule may specify tagPrefixList or tagPatternList, not both.")
			}
		case Untagged:
			untagged++
			if untagged > 1 {
				return invalid("Only one rule can select Untagged images per storage class")
			}
			fallthrough
		case Any:
			if lists {
				return invalid("tagPrefixList and tagPatternList can only be used when tagStatus=TAGGED.")
			}
			if r.TagStatus == Any && i != len(p.Rules)-1 {
				return invalid("Rule for tagStatus=ANY must have the lowest priority per storage class")
			}
		}
		for _, pat := range r.TagPatternList {
			if strings.Count(pat, "*") > MaxWildcards {
				return invalid(fmt.Sprintf("tagPatternList entry '%s' has more than %d wildcards", pat, MaxWildcards))
			}
		}
	}
	return nil
}

func invalid(detail string) error {
	return ecr.InvalidParameter("LifecyclePolicyText", "Lifecycle policy validation failure: "+detail)
}

// object checks that v is a JSON object with the required members and
// no others.
func object(v any, required, allowed []string) (map[string]any, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, wrongType(v, "object")
	}
	var missing []string
	for _, k := range required {
		if _, ok := m[k]; !ok {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		return nil, invalid("object has missing required properties (" + jsonList(missing) + ")")
	}
	var extra []string
	for k := range m {
		if !contains(allowed, k) {
			extra = append(extra, k)
		}
	}
	if len(extra) > 0 {
		sort.Strings(extra)
		return nil, invalid("object instance has properties which are not allowed by the schema: (" + jsonList(extra) + ")")
	}
	return m, nil
}

func integer(v any, min int64) (int, error) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, wrongType(v, "integer")
	}
	i, err := n.Int64()
	if err != nil {
		return 0, wrongType(v, "integer")
	}
	if i < min {
		return 0, invalid(fmt.Sprintf("numeric instance is lower than the required minimum (minimum: %d, found: %d)", min, i))
	}
	if i > 1<<31-1 {
		return 0, invalid(fmt.Sprintf("numeric instance is greater than the required maximum (maximum: %d, found: %d)", 1<<31-1, i))
	}
	return int(i), nil
}

func enum(v any, values ...string) (string, error) {
	s, ok := v.(string)
	if !ok {
		return "", wrongType(v, "string")
	}
	if !contains(values, s) {
		return "", invalid(fmt.Sprintf("instance value (%s) not found in enum (possible values: %s)", quote(s), jsonList(values)))
	}
	return s, nil
}

func stringList(m map[string]any, key string) ([]string, error) {
	v, ok := m[key]
	if !ok {
		return nil, nil
	}
	list, ok := v.([]any)
	if !ok {
		return nil, wrongType(v, "array")
	}
	if len(list) == 0 {
		return nil, invalid("array is too short: must have at least 1 elements but instance has 0 elements")
	}
	out := make([]string, 0, len(list))
	for _, e := range list {
		s, ok := e.(string)
		if !ok {
			return nil, wrongType(e, "string")
		}
		if s == "" {
			return nil, invalid("string \"\" is too short (length: 0, required minimum: 1)")
		}
		out = append(out, s)
	}
	return out, nil
}

func wrongType(v any, want string) error {
	return invalid(fmt.Sprintf("instance type (%s) does not match any allowed primitive type (allowed: [%s])", jsonType(v), quote(want)))
}

func jsonType(v any) string {
	switch t := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case json.Number:
		if _, err := t.Int64(); err == nil {
			return "integer"
		}
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	}
	return "object"
}

func jsonList(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = quote(s)
	}
	return "[" + strings.Join(q, ",") + "]"
}

func quote(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	return strings.TrimSuffix(b.String(), "\n")
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}
