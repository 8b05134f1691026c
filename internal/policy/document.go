package policy

// Kind says where a document is used; it decides which elements a
// statement must and must not have.
type Kind int

// Document kinds.
const (
	// Identity policies are attached to a role (inline or managed): no
	// principal, and every statement names resources.
	Identity Kind = iota
	// Trust policies say who may assume a role: every statement names a
	// principal, no statement names resources, and actions are STS's.
	Trust
	// ResourceBased policies are attached to a resource: a principal and
	// resources in every statement.
	ResourceBased
)

// Versions of the policy language.
const (
	Version2012 = "2012-10-17"
	Version2008 = "2008-10-17" // the default when a document names none
)

// Effect is a statement's Allow or Deny.
type Effect string

// Effects.
const (
	Allow Effect = "Allow"
	Deny  Effect = "Deny"
)

// Document is a parsed, valid policy document.
type Document struct {
	Version    string
	ID         string
	Statements []Statement
}

// Statement is one statement of a document. Exactly one of Action and
// NotAction is set; at most one of Resource and NotResource, and of
// Principal and NotPrincipal.
type Statement struct {
	Sid          string
	Effect       Effect
	Principal    *Principal
	NotPrincipal *Principal
	Action       []string
	NotAction    []string
	Resource     []string
	NotResource  []string
	Conditions   []Condition
	// hasResource records whether Resource or NotResource was present.
	hasResource bool
}

// Principal is a Principal or NotPrincipal element: "*" (Any), or
// identifiers by type ("AWS", "Service", "Federated", "CanonicalUser").
type Principal struct {
	Any bool
	IDs map[string][]string
}

// Condition is one operator and key of a Condition block with the values
// the policy gives for it.
type Condition struct {
	// Operator is as written, e.g. "ForAnyValue:StringLikeIfExists".
	Operator string
	Key      string
	Values   []string

	op       operator
	ifExists bool
	set      setQualifier
}

type setQualifier int

const (
	setNone setQualifier = iota
	setAnyValue
	setAllValues
)

// MalformedError says why a document is not a valid policy. Its message
// is what IAM puts in a MalformedPolicyDocument error.
type MalformedError struct{ Msg string }

func (e *MalformedError) Error() string { return e.Msg }

func malformed(msg string) error { return &MalformedError{Msg: msg} }

// Messages IAM gives for malformed documents.
const (
	msgSyntax            = "Syntax errors in policy."
	msgLegacy            = "The policy failed legacy parsing"
	msgNoPrincipal       = "Policy document should not specify a principal."
	msgNeedPrincipal     = "Missing required field Principal"
	msgNeedActions       = "Policy statement must contain actions."
	msgNeedResources     = "Policy statement must contain resources."
	msgNeedEffect        = "Missing required field Effect"
	msgNeedStatement     = "Missing required field Statement"
	msgVendor            = "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."
	msgOneColon          = "Actions/Condition can contain only one colon."
	msgTrustActions      = "AssumeRole policy may only specify STS AssumeRole actions."
	msgProhibitedResrc   = "Has prohibited field Resource"
	msgProhibitedNotResr = "Has prohibited field NotResource"
)
