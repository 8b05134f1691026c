package lifecycle

import (
	"errors"
	"strings"
	"testing"

	"github.com/quayside/quayside/internal/ecr"
)

const prefix = "Invalid parameter at 'LifecyclePolicyText' failed to satisfy constraint: 'Lifecycle policy validation failure: "

func rule(prio, sel string) string {
	return `{"rulePriority":` + prio + `,"selection":` + sel + `,"action":{"type":"expire"}}`
}

func policy(rules ...string) string { return `{"rules":[` + strings.Join(rules, ",") + `]}` }

const (
	untaggedCount = `{"tagStatus":"untagged","countType":"imageCountMoreThan","countNumber":1}`
	anyDays       = `{"tagStatus":"any","countType":"sinceImagePushed","countUnit":"days","countNumber":14}`
	prodPattern   = `{"tagStatus":"tagged","tagPatternList":["prod*"],"countType":"imageCountMoreThan","countNumber":3}`
	releasePrefix = `{"tagStatus":"tagged","tagPrefixList":["release","v"],"countType":"imageCountMoreThan","countNumber":5}`
)

func TestParseValid(t *testing.T) {
	p, err := Parse(policy(rule("10", anyDays), rule("1", untaggedCount), rule("2", prodPattern), rule("3", releasePrefix)))
	if err != nil {
		t.Fatal(err)
	}
	var prios []int
	for _, r := range p.Rules {
		prios = append(prios, r.Priority)
	}
	if got := p.Rules; len(got) != 4 || prios[0] != 1 || prios[3] != 10 {
		t.Fatalf("rules not sorted by priority: %v", prios)
	}
	if r := p.Rules[3]; r.TagStatus != Any || r.CountType != SinceImagePushed || r.CountUnit != "days" || r.CountNumber != 14 {
		t.Fatalf("any rule = %+v", r)
	}
	if r := p.Rules[2]; len(r.TagPrefixList) != 2 || r.TagPrefixList[1] != "v" {
		t.Fatalf("prefix rule = %+v", r)
	}
}

func TestParseInvalid(t *testing.T) {
	tests := []struct {
		name, text, detail string
	}{
		{"not json", `{"rules":`, "Could not map policyString into LifecyclePolicy."},
		{"not an object", `[1]`, `instance type (array) does not match any allowed primitive type (allowed: ["object"])`},
		{"no rules", `{"rule":[]}`, `object has missing required properties (["rules"])`},
		{"extra top-level", `{"rules":[` + rule("1", untaggedCount) + `],"x":1}`, `object instance has properties which are not allowed by the schema: (["x"])`},
		{"empty rules", `{"rules":[]}`, "array is too short: must have at least 1 elements but instance has 0 elements"},
		{"rule not object", `{"rules":["x"]}`, `instance type (string) does not match any allowed primitive type (allowed: ["object"])`},
		{"rule missing members", `{"rules":[{"selection":` + untaggedCount + `}]}`, `object has missing required properties (["action","rulePriority"])`},
		{"rule extra member", `{"rules":[{"rulePriority":1,"selection":` + untaggedCount + `,"action":{"type":"expire"},"name":"x"}]}`, `object instance has properties which are not allowed by the schema: (["name"])`},
		{"priority zero", policy(rule("0", untaggedCount)), "numeric instance is lower than the required minimum (minimum: 1, found: 0)"},
		{"priority string", policy(rule(`"1"`, untaggedCount)), `instance type (string) does not match any allowed primitive type (allowed: ["integer"])`},
		{"priority fraction", policy(rule("1.5", untaggedCount)), `instance type (number) does not match any allowed primitive type (allowed: ["integer"])`},
		{"bad tag status", policy(rule("1", `{"tagStatus":"some","countType":"imageCountMoreThan","countNumber":1}`)), `instance value ("some") not found in enum (possible values: ["tagged","untagged","any"])`},
		{"bad count type", policy(rule("1", `{"tagStatus":"any","countType":"sinceImagePulled","countUnit":"days","countNumber":1}`)), "instance failed to match exactly one schema (matched 0 out of 2)"},
		{"days without unit", policy(rule("1", `{"tagStatus":"any","countType":"sinceImagePushed","countNumber":1}`)), "instance failed to match exactly one schema (matched 0 out of 2)"},
		{"count with unit", policy(rule("1", `{"tagStatus":"any","countType":"imageCountMoreThan","countUnit":"days","countNumber":1}`)), "instance failed to match exactly one schema (matched 0 out of 2)"},
		{"hours", policy(rule("1", `{"tagStatus":"any","countType":"sinceImagePushed","countUnit":"hours","countNumber":1}`)), "instance failed to match exactly one schema (matched 0 out of 2)"},
		{"count zero", policy(rule("1", `{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":0}`)), "numeric instance is lower than the required minimum (minimum: 1, found: 0)"},
		{"missing count number", policy(rule("1", `{"tagStatus":"any","countType":"imageCountMoreThan"}`)), `object has missing required properties (["countNumber"])`},
		{"bad action", `{"rules":[{"rulePriority":1,"selection":` + untaggedCount + `,"action":{"type":"delete"}}]}`, `instance value ("delete") not found in enum (possible values: ["expire"])`},
		{"tagged without lists", policy(rule("1", `{"tagStatus":"tagged","countType":"imageCountMoreThan","countNumber":1}`)), "Must specify tagPrefixList or tagPatternList when tagStatus=TAGGED."},
		{"both lists", policy(rule("1", `{"tagStatus":"tagged","tagPrefixList":["a"],"tagPatternList":["b*"],"countType":"imageCountMoreThan","countNumber":1}`)), "A rule may specify tagPrefixList or tagPatternList, not both."},
		{"lists on untagged", policy(rule("1", `{"tagStatus":"untagged","tagPrefixList":["a"],"countType":"imageCountMoreThan","countNumber":1}`)), "tagPrefixList and tagPatternList can only be used when tagStatus=TAGGED."},
		{"empty prefix list", policy(rule("1", `{"tagStatus":"tagged","tagPrefixList":[],"countType":"imageCountMoreThan","countNumber":1}`)), "array is too short: must have at least 1 elements but instance has 0 elements"},
		{"five wildcards", policy(rule("1", `{"tagStatus":"tagged","tagPatternList":["*a*b*c*d*"],"countType":"imageCountMoreThan","countNumber":1}`)), "tagPatternList entry '*a*b*c*d*' has more than 4 wildcards"},
		{"duplicate priority", policy(rule("1", untaggedCount), rule("1", prodPattern)), "Rule priorities must be unique; 1 is given to more than one rule"},
		{"two untagged rules", policy(rule("1", untaggedCount), rule("2", untaggedCount)), "Only one rule can select Untagged images per storage class"},
		{"any not last", policy(rule("1", anyDays), rule("2", prodPattern)), "Rule for tagStatus=ANY must have the lowest priority per storage class"},
		{"trailing data", policy(rule("1", untaggedCount)) + "{}", "Could not map policyString into LifecyclePolicy."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(tt.text)
			if !errors.Is(err, ecr.ErrInvalidParameter) {
				t.Fatalf("Parse = %v, want InvalidParameter", err)
			}
			if want := prefix + tt.detail + "'"; err.Error() != want {
				t.Fatalf("message\n got %s\nwant %s", err.Error(), want)
			}
		})
	}
}

// FuzzParse: Parse never panics, and what it accepts is consistent:
// sorted unique priorities, the any rule last, known count types.
func FuzzParse(f *testing.F) {
	f.Add(policy(rule("1", untaggedCount), rule("2", prodPattern), rule("9", anyDays)))
	f.Add(`{"rules":[{"rulePriority":1,"selection":{},"action":{}}]}`)
	f.Fuzz(func(t *testing.T, text string) {
		p, err := Parse(text)
		if err != nil {
			if !errors.Is(err, ecr.ErrInvalidParameter) {
				t.Fatalf("error of unexpected kind: %v", err)
			}
			return
		}
		for i, r := range p.Rules {
			if i > 0 && p.Rules[i-1].Priority >= r.Priority {
				t.Fatalf("priorities not strictly increasing: %+v", p.Rules)
			}
			if r.TagStatus == Any && i != len(p.Rules)-1 {
				t.Fatalf("any rule not last: %+v", p.Rules)
			}
			if r.CountType != ImageCountMoreThan && r.CountType != SinceImagePushed || r.CountNumber < 1 {
				t.Fatalf("bad rule accepted: %+v", r)
			}
		}
	})
}
