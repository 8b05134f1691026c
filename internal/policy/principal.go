package policy

import (
	"fmt"
	"regexp"
	"strings"
)

// Principal types as a request names its caller.
const (
	PrincipalAWS       = "AWS"
	PrincipalService   = "Service"
	PrincipalFederated = "Federated"
	PrincipalCanonical = "CanonicalUser"
)

var (
	accountRE      = regexp.MustCompile(`^\d{12}$`)
	awsPrincipalRE = regexp.MustCompile(`^arn:aws:(iam::\d{12}:(root|user/.+|role/.+|federated-user/.+)|sts::\d{12}:(assumed-role/[^/]+/.+|federated-user/.+))$`)
	servicePrincRE = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]*$`)
)

func parsePrincipal(v any) (*Principal, error) {
	switch t := v.(type) {
	case string:
		if t == "*" {
			return &Principal{Any: true}, nil
		}
		return nil, malformed(msgSyntax)
	case map[string]any:
		if len(t) == 0 {
			return nil, malformed(msgSyntax)
		}
		p := &Principal{IDs: map[string][]string{}}
		for _, typ := range sortedKeys(t) {
			ids, err := stringList(t[typ])
			if err != nil {
				return nil, err
			}
			if len(ids) == 0 {
				return nil, malformed(msgSyntax)
			}
			for _, id := range ids {
				if err := checkPrincipalID(typ, id); err != nil {
					return nil, err
				}
			}
			p.IDs[typ] = ids
		}
		return p, nil
	}
	return nil, malformed(msgSyntax)
}

func checkPrincipalID(typ, id string) error {
	ok := false
	switch typ {
	case PrincipalAWS:
		ok = id == "*" || accountRE.MatchString(id) || awsPrincipalRE.MatchString(id)
	case PrincipalService:
		ok = id == "*" || servicePrincRE.MatchString(id)
	case PrincipalFederated, PrincipalCanonical:
		ok = id != ""
	}
	if !ok {
		return malformed(fmt.Sprintf("Invalid principal in policy: \"%s\":\"%s\"", strings.ToUpper(typ), id))
	}
	return nil
}

// Caller is who makes a request, as principal elements see it.
type Caller struct {
	// Type is PrincipalAWS for IAM identities (an account root, a role,
	// an assumed-role session, a user) or PrincipalService for an AWS
	// service.
	Type string
	// ID is the caller's ARN (type AWS) or the service's name, such as
	// ecs-tasks.amazonaws.com.
	ID string
	// Exact turns off account-wide matching: an account ID or root ARN in
	// a principal element then names only the root itself. Use it to ask
	// whether a policy names the caller explicitly (AWS then needs no
	// identity policy of the caller's to allow the request too).
	Exact bool
}

// Account returns the account ID of an AWS caller's ARN.
func (c Caller) Account() string {
	if c.Type != PrincipalAWS {
		return ""
	}
	parts := strings.SplitN(c.ID, ":", 6)
	if len(parts) < 6 {
		return ""
	}
	return parts[4]
}

// matches reports whether the element names the caller. An account (its
// ID or root ARN) names every identity of the account.
func (p *Principal) matches(c Caller) bool {
	if p.Any {
		return true
	}
	for _, id := range p.IDs[c.Type] {
		if id == "*" || id == c.ID {
			return true
		}
		if c.Type != PrincipalAWS {
			continue
		}
		acct := c.Account()
		if !c.Exact && acct != "" && (id == acct || id == "arn:aws:iam::"+acct+":root") {
			return true
		}
		// A role's ARN names its sessions too.
		if role, ok := AssumedRoleARN(c.ID); ok && id == role {
			return true
		}
	}
	return false
}

// AssumedRoleARN returns the role ARN of an assumed-role session ARN
// (arn:aws:sts::ACCT:assumed-role/NAME/SESSION). The role's path is not in
// the session ARN, so only roles on the root path are recognised.
func AssumedRoleARN(arn string) (string, bool) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 || parts[2] != "sts" {
		return "", false
	}
	rest, ok := strings.CutPrefix(parts[5], "assumed-role/")
	if !ok {
		return "", false
	}
	name, _, ok := strings.Cut(rest, "/")
	if !ok {
		return "", false
	}
	return "arn:aws:iam::" + parts[4] + ":role/" + name, true
}
