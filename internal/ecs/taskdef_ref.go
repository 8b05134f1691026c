package ecs

import (
	"strconv"
	"strings"

	"github.com/quayside/quayside/internal/fault"
)

// MaxNameLength is the longest family, container, cluster or service name.
const MaxNameLength = 255

// ValidName reports whether s is a valid ECS resource name: 1 to 255
// letters, digits, underscores and hyphens. Families, container names,
// clusters, services and volumes share this rule.
func ValidName(s string) bool {
	if s == "" || len(s) > MaxNameLength {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// TaskDefinitionRef names a task definition: a family and, optionally, a
// revision. Revision 0 means the latest ACTIVE revision of the family.
type TaskDefinitionRef struct {
	Scope
	Family   string
	Revision int
}

// String formats the reference as family or family:revision.
func (r TaskDefinitionRef) String() string {
	if r.Revision == 0 {
		return r.Family
	}
	return r.Family + ":" + strconv.Itoa(r.Revision)
}

// ARN returns the reference's ARN in the given region and account; it
// needs a revision.
func (r TaskDefinitionRef) ARN(region, account string) string {
	return TaskDefinitionARN(region, account, r.Family, r.Revision)
}

// maxRevision bounds revision numbers; ECS models them as 32-bit integers.
const maxRevision = 1<<31 - 1

// ParseTaskDefinitionRef accepts the forms ECS accepts where a task
// definition is named: family, family:revision, or the task definition
// ARN (with or without a revision). Errors are ClientExceptions.
func ParseTaskDefinitionRef(s string) (TaskDefinitionRef, error) {
	var r TaskDefinitionRef
	body := s
	if IsARN(s) {
		a, err := ParseARN(s)
		if err != nil {
			return r, fault.New(ErrClient, "Invalid task definition ARN.") // message not confirmed
		}
		typ, rest, ok := strings.Cut(a.Resource, "/")
		if a.Service != ServiceName || !ok || typ != ResourceTaskDefinition {
			return r, fault.New(ErrClient, "Invalid task definition ARN.") // message not confirmed
		}
		r.Scope = Scope{Region: a.Region, AccountID: a.AccountID}
		body = rest
	}
	family, rev, hasRev := strings.Cut(body, ":")
	if family == "" {
		return TaskDefinitionRef{}, fault.New(ErrClient, "Family can not be blank.")
	}
	if !ValidName(family) {
		return TaskDefinitionRef{}, fault.New(ErrClient, "Family contains invalid characters.")
	}
	r.Family = family
	if hasRev {
		n, err := strconv.Atoi(rev)
		if err != nil || n < 1 || n > maxRevision || strings.TrimLeft(rev, "0123456789") != "" {
			// message not confirmed
			return TaskDefinitionRef{}, fault.Newf(ErrClient, "Invalid revision number. Number: %s", rev)
		}
		r.Revision = n
	}
	return r, nil
}
