// Package policy parses and evaluates IAM policy documents: identity
// policies (attached to roles), trust policies (who may assume a role)
// and resource policies.
//
// Parse validates a document strictly, as IAM does before storing it, and
// returns a *MalformedError whose message is the one IAM gives in its
// MalformedPolicyDocument errors where IAM's wording is known:
//
//	{"Version": "2012-10-17", "Statement": [ {stmt}, ... ] }   (or one {stmt})
//	stmt = Sid? Effect (Allow|Deny)
//	       Principal|NotPrincipal  (trust and resource policies only)
//	       Action|NotAction        (string or list; "svc:Name" with * and ?)
//	       Resource|NotResource    (identity and resource policies; ARN or "*")
//	       Condition? { Operator: { key: value or [values] } }
//
// Evaluation follows AWS's logic for one account:
//
//	any matching Deny statement     → Deny (explicit)
//	else any matching Allow         → Allow
//	else                            → implicit deny (NotApplicable)
//
// A statement matches a request when its principal element (if any), its
// action element, its resource element (if any) and every condition
// match. Actions compare case-insensitively, resources case-sensitively,
// both with the wildcards * (any run) and ? (one character). Policy
// variables such as ${aws:username} are replaced from the request context
// in documents of version 2012-10-17.
//
// Conditions: every operator of a block must hold, every key of an
// operator must hold, and a key holds when any of its values matches.
// Supported operators: String*, Numeric*, Date*, Bool, BinaryEquals,
// IpAddress/NotIpAddress, Arn*, Null, each (but Null) with an IfExists
// variant, and the ForAnyValue: / ForAllValues: set qualifiers. A key
// absent from the request makes positive operators false and negated
// ones (StringNotEquals, ArnNotLike, ...) true; IfExists makes it true.
package policy
