package cql

import (
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// op is a comparison operator. Each negative operator is the negation of
// the positive one before it.
type op int

const (
	opEq op = iota
	opNe
	opGt
	opGe
	opLt
	opLe
	opExists
	opNotExists
	opIn
	opNotIn
	opMatches
	opNotMatches
)

var opText = [...]string{"==", "!=", ">", ">=", "<", "<=", "exists", "!exists", "in", "!in", "=~", "!~"}

func (o op) String() string { return opText[o] }

// positive is the operator without its negation, and whether there was one.
func (o op) positive() (op, bool) {
	switch o {
	case opNe, opNotExists, opNotIn, opNotMatches:
		return o - 1, true
	}
	return o, false
}

// symbolOps are the symbolic operators, longest first where one is a
// prefix of another.
var symbolOps = []struct {
	text string
	op   op
}{
	{"!exists", opNotExists}, {"!in", opNotIn}, {"==", opEq}, {"!=", opNe}, {">=", opGe}, {"<=", opLe},
	{"=~", opMatches}, {"!~", opNotMatches}, {">", opGt}, {"<", opLt},
}

var wordOps = map[string]op{
	"equals": opEq, "not_equals": opNe, "greater_than": opGt, "greater_than_equal": opGe,
	"less_than": opLt, "less_than_equal": opLe, "exists": opExists, "not_exists": opNotExists,
	"in": opIn, "not_in": opNotIn, "matches": opMatches, "not_matches": opNotMatches,
}

type subjectKind int

const (
	subjAttribute subjectKind = iota
	subjTaskGroup
	subjEC2InstanceID
	subjAgentConnected
	subjAgentVersion
	subjRegisteredAt
	subjRunningTasksCount
)

// subject is what a comparison looks at; name is the attribute's name.
type subject struct {
	kind subjectKind
	name string
}

var fixedSubjects = map[string]subjectKind{
	"task:group": subjTaskGroup, "ec2InstanceId": subjEC2InstanceID, "agentConnected": subjAgentConnected,
	"agentVersion": subjAgentVersion, "registeredAt": subjRegisteredAt, "runningTasksCount": subjRunningTasksCount,
}

// maxAttributeName is the longest attribute name ECS allows.
const maxAttributeName = 128

func parseSubject(s string) (subject, bool) {
	if k, ok := fixedSubjects[s]; ok {
		return subject{kind: k}, true
	}
	name, ok := strings.CutPrefix(s, "attribute:")
	if !ok || name == "" || len(name) > maxAttributeName || strings.Contains(name, ":") {
		return subject{}, false
	}
	return subject{kind: subjAttribute, name: name}, true
}

func (s subject) String() string {
	if s.kind == subjAttribute {
		return "attribute:" + s.name
	}
	for name, k := range fixedSubjects {
		if k == s.kind {
			return name
		}
	}
	return "?"
}

// accepts reports whether the developer guide lists o for the subject.
func (s subject) accepts(o op) bool {
	p, _ := o.positive()
	switch s.kind {
	case subjAttribute:
		return true
	case subjTaskGroup, subjEC2InstanceID, subjAgentConnected:
		return p == opEq || p == opIn || p == opMatches
	default: // agentVersion, registeredAt, runningTasksCount
		return p >= opEq && p <= opLe
	}
}

// cmpNode is one comparison.
type cmpNode struct {
	subj  subject
	op    op
	args  []string
	re    *regexp.Regexp // matches, not_matches
	when  time.Time      // registeredAt
	day   bool           // registeredAt given as a date alone
	count int            // runningTasksCount
}

func (c *cmpNode) match(in *Instance) bool {
	p, neg := c.op.positive()
	return c.holds(p, in) != neg
}

// holds evaluates the positive operator p.
func (c *cmpNode) holds(p op, in *Instance) bool {
	switch c.subj.kind {
	case subjRegisteredAt:
		if in.RegisteredAt.IsZero() {
			return false
		}
		return ordered(compareTime(in.RegisteredAt, c.when, c.day), p)
	case subjRunningTasksCount:
		return ordered(compareInt(in.RunningTasksCount, c.count), p)
	}
	vals := c.values(in)
	if p == opExists {
		return len(vals) > 0
	}
	for _, v := range vals {
		if c.test(p, v) {
			return true
		}
	}
	return false
}

// values are the subject's values on the instance: none when it has none.
func (c *cmpNode) values(in *Instance) []string {
	switch c.subj.kind {
	case subjAttribute:
		if v, ok := in.Attributes[c.subj.name]; ok {
			return []string{v}
		}
	case subjTaskGroup:
		return in.TaskGroups
	case subjEC2InstanceID:
		if in.EC2InstanceID != "" {
			return []string{in.EC2InstanceID}
		}
	case subjAgentConnected:
		return []string{strconv.FormatBool(in.AgentConnected)}
	case subjAgentVersion:
		if in.AgentVersion != "" {
			return []string{in.AgentVersion}
		}
	}
	return nil
}

func (c *cmpNode) test(p op, v string) bool {
	switch p {
	case opIn:
		return slices.ContainsFunc(c.args, func(a string) bool { return c.equal(v, a) })
	case opMatches:
		return c.re.MatchString(v)
	case opEq:
		return c.equal(v, c.args[0])
	}
	if c.subj.kind == subjAgentVersion {
		return ordered(compareVersions(v, c.args[0]), p)
	}
	return ordered(compareValues(v, c.args[0]), p)
}

func (c *cmpNode) equal(v, arg string) bool {
	if c.subj.kind == subjAgentConnected {
		return strings.EqualFold(v, arg)
	}
	return v == arg
}

// ordered applies an ordering operator (or ==) to a comparison's result.
func ordered(cmp int, p op) bool {
	switch p {
	case opEq:
		return cmp == 0
	case opGt:
		return cmp > 0
	case opGe:
		return cmp >= 0
	case opLt:
		return cmp < 0
	case opLe:
		return cmp <= 0
	}
	return false
}

func compareInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// compareValues compares two values as numbers when both are, else as text.
func compareValues(a, b string) int {
	x, errA := strconv.ParseFloat(a, 64)
	y, errB := strconv.ParseFloat(b, 64)
	if errA == nil && errB == nil && !math.IsNaN(x) && !math.IsNaN(y) {
		switch {
		case x < y:
			return -1
		case x > y:
			return 1
		}
		return 0
	}
	return strings.Compare(a, b)
}

// compareVersions compares dotted versions part by part, numerically
// where both parts are numbers; a version that is a prefix of another is
// the smaller.
func compareVersions(a, b string) int {
	pa, pb := strings.Split(strings.TrimPrefix(a, "v"), "."), strings.Split(strings.TrimPrefix(b, "v"), ".")
	for i := 0; i < len(pa) && i < len(pb); i++ {
		x, errX := strconv.Atoi(pa[i])
		y, errY := strconv.Atoi(pb[i])
		var c int
		if errX == nil && errY == nil {
			c = compareInt(x, y)
		} else {
			c = strings.Compare(pa[i], pb[i])
		}
		if c != 0 {
			return c
		}
	}
	return compareInt(len(pa), len(pb))
}

// dateLayouts are the formats the developer guide lists for registeredAt.
var dateLayouts = []string{time.RFC3339, "2006-01-02T15:04:05"}

// parseDate reads a registeredAt argument; day is set for a date alone.
func parseDate(s string) (t time.Time, day bool, ok bool) {
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, false, true
		}
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, true, true
	}
	return time.Time{}, false, false
}

// compareTime compares a registration time with an argument, to the
// second, or by UTC day when the argument is a date alone.
func compareTime(at, arg time.Time, day bool) int {
	if day {
		y, m, d := at.UTC().Date()
		at = time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	} else {
		at = at.Truncate(time.Second)
	}
	return at.Compare(arg)
}
