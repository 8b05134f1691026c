// Package cql is Amazon ECS's cluster query language: the expressions of
// memberOf placement constraints, which select the container instances a
// task may be placed on. Parse checks an expression and returns it as an
// Expr; Expr.Match tells whether one container instance, seen as an
// Instance, belongs to the group the expression describes.
//
// An expression compares a subject with an argument, or combines such
// comparisons with Boolean operators and parentheses:
//
//	expr       = and { ("or" | "||") and }
//	and        = unary { ("and" | "&&") unary }
//	unary      = ("not" | "!") unary | "(" expr ")" | comparison
//	comparison = subject operator [argument]
//	argument   = literal | "[" literal { "," literal } "]"   (in, not_in)
//	literal    = 'text' | "text" | bare text, ended by a space
//
// Subjects and the operators each accepts, as the ECS developer guide
// lists them ("Cluster query language"):
//
//	subject              operators
//	attribute:<name>     all
//	task:group           == != in !in =~ !~
//	ec2InstanceId        == != in !in =~ !~
//	agentConnected       == != in !in =~ !~
//	agentVersion         == != > >= < <=
//	registeredAt         == != > >= < <=   (2018-06-18T22:28:28+00:00, …Z, no zone (UTC), or 2018-06-18)
//	runningTasksCount    == != > >= < <=
//
// Each operator has a word form: equals, not_equals, greater_than,
// greater_than_equal, less_than, less_than_equal, exists, not_exists
// (!exists), in, not_in (!in), matches (=~), not_matches (!~). Keywords
// and word operators are case-insensitive; subjects and values are not,
// except agentConnected's true and false.
//
// Evaluation. A subject may have no value on an instance (an attribute it
// lacks, an empty EC2 instance ID) or several (task:group has the group of
// every task on the instance). A positive operator holds when some value
// satisfies it; a negative one (!=, !in, !~, !exists) is the negation of
// its positive form, so it holds when no value does. Ordering compares
// numbers as numbers, agent versions part by part, dates as times (a bare
// date compares whole UTC days), and other text lexically. matches takes
// the pattern as a whole-value regular expression (ECS documents Java
// syntax; Go's RE2 syntax is its common subset).
package cql

import (
	"fmt"
	"time"
)

// MaxLength is the longest expression ECS accepts, in characters.
const MaxLength = 2000

// maxDepth bounds the nesting of parentheses and negations.
const maxDepth = 64

// Instance is a container instance as an expression sees it.
type Instance struct {
	// Attributes maps each attribute's name to its value ("" when the
	// attribute has none).
	Attributes        map[string]string
	EC2InstanceID     string
	AgentConnected    bool
	AgentVersion      string
	RegisteredAt      time.Time
	RunningTasksCount int
	// TaskGroups are the groups of the tasks on the instance that have
	// not stopped, each once.
	TaskGroups []string
}

// Expr is a parsed expression. It is immutable and safe for concurrent use.
type Expr struct {
	root node
	src  string
}

// Match reports whether the instance is in the group the expression
// selects.
func (e *Expr) Match(in *Instance) bool { return e.root.match(in) }

// String returns the expression as it was written.
func (e *Expr) String() string { return e.src }

// Error is an expression that does not parse: what is wrong, and where.
type Error struct {
	Pos int // byte offset in the expression
	Msg string
}

func (e *Error) Error() string { return fmt.Sprintf("%s at character %d", e.Msg, e.Pos+1) }

// node is one part of a parsed expression.
type node interface {
	match(in *Instance) bool
}

type orNode struct{ l, r node }

func (n orNode) match(in *Instance) bool { return n.l.match(in) || n.r.match(in) }

type andNode struct{ l, r node }

func (n andNode) match(in *Instance) bool { return n.l.match(in) && n.r.match(in) }

type notNode struct{ x node }

func (n notNode) match(in *Instance) bool { return !n.x.match(in) }
