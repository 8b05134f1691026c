package ssm

import (
	"strconv"
	"strings"

	"github.com/quayside/quayside/internal/fault"
)

// Limits of Parameter Store.
const (
	MaxHierarchyLevels  = 15
	MaxVersions         = 100
	MaxLabelsPerVersion = 10
	MaxTags             = 50
	MaxStandardValue    = 4096
	MaxAdvancedValue    = 8192
	maxARNLength        = 1011
)

// Scope is the region and account a request acts in.
type Scope struct {
	Region  string
	Account string
}

func (s Scope) prefix() string { return s.Region + "/" + s.Account + "/" }

// Partition is the ARN partition of a region.
func Partition(region string) string {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	}
	return "aws"
}

// ARN is a parameter's ARN. A name without a leading slash gets one, as
// in AWS: "foo" and "/foo" both have ARN ...:parameter/foo.
func ARN(s Scope, name string) string {
	if !strings.HasPrefix(name, "/") {
		name = "/" + name
	}
	return "arn:" + Partition(s.Region) + ":ssm:" + s.Region + ":" + s.Account + ":parameter" + name
}

func nameChar(r byte) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '.' || r == '-'
}

// reserved reports whether a name begins with aws or ssm (case-insensitive).
func reserved(name string) bool {
	n := strings.ToLower(strings.TrimPrefix(name, "/"))
	return strings.HasPrefix(n, "aws") || strings.HasPrefix(n, "ssm")
}

// ValidateName checks a name that PutParameter would create.
func ValidateName(s Scope, name string) error {
	if len(ARN(s, name)) > maxARNLength {
		return fault.New(ErrValidation, msgNameTooLong)
	}
	if !strings.Contains(name, "/") {
		for i := 0; i < len(name); i++ {
			if !nameChar(name[i]) {
				return fault.New(ErrValidation, msgBadName)
			}
		}
		if reserved(name) {
			return fault.New(ErrValidation, msgReservedName)
		}
		return nil
	}
	if !validPath(name) || strings.HasSuffix(name, "/") || reserved(name) {
		return fault.New(ErrValidation, msgBadName)
	}
	if Levels(name) > MaxHierarchyLevels {
		return fault.New(ErrHierarchyLevelLimit, msgHierarchy)
	}
	return nil
}

// validPath reports whether p is /seg/seg/... with non-empty segments of
// name characters; a trailing slash is allowed.
func validPath(p string) bool {
	if !strings.HasPrefix(p, "/") {
		return false
	}
	segs := strings.Split(strings.TrimSuffix(p[1:], "/"), "/")
	for _, seg := range segs {
		if seg == "" && p != "/" {
			return false
		}
		for i := 0; i < len(seg); i++ {
			if !nameChar(seg[i]) {
				return false
			}
		}
	}
	return true
}

// Levels is the depth of a name in the hierarchy: "/a/b" and "a" are 2 and 1.
func Levels(name string) int {
	name = strings.Trim(name, "/")
	if name == "" {
		return 0
	}
	return strings.Count(name, "/") + 1
}

// ValidatePath checks a GetParametersByPath path or a Path filter value.
func ValidatePath(p string) error {
	if !validPath(p) || (p != "/" && reserved(p)) {
		return fault.New(ErrValidation, msgBadPath)
	}
	if Levels(p) > MaxHierarchyLevels {
		return fault.New(ErrHierarchyLevelLimit, msgHierarchy)
	}
	return nil
}

// Ref is a parsed parameter reference: a name or ARN, optionally with a
// ":version" or ":label" selector.
type Ref struct {
	Scope    Scope  // from the ARN, or the request's
	Name     string // as stored
	Alt      string // the other spelling of a name given by ARN ("foo" for "/foo"), tried second
	Selector string // "", ":3" or ":label"
	Version  int64  // > 0 when the selector is a version
	Label    string // when the selector is a label
}

// ParseRef parses a name, name:selector, ARN or ARN:selector.
func ParseRef(s Scope, ref string) (Ref, error) {
	r := Ref{Scope: s}
	rest := ref
	if strings.HasPrefix(ref, "arn:") {
		parts := strings.SplitN(ref, ":", 6)
		if len(parts) != 6 || parts[2] != "ssm" || !strings.HasPrefix(parts[5], "parameter/") {
			return r, fault.New(ErrValidation, msgBadName)
		}
		r.Scope = Scope{Region: parts[3], Account: parts[4]}
		rest = strings.TrimPrefix(parts[5], "parameter")
	}
	name, sel, hasSel := strings.Cut(rest, ":")
	if hasSel {
		if sel == "" || strings.Contains(sel, ":") {
			return r, fault.New(ErrValidation, msgSelectorFormat)
		}
		r.Selector = ":" + sel
		if v, err := strconv.ParseInt(sel, 10, 64); err == nil {
			if v < 1 {
				return r, versionNotFound(sel, name)
			}
			r.Version = v
		} else {
			r.Label = sel
		}
	}
	r.Name = name
	if strings.HasPrefix(ref, "arn:") && strings.Count(name, "/") == 1 {
		r.Alt = strings.TrimPrefix(name, "/")
	}
	return r, nil
}

// validLabel reports whether a label may be attached to a version.
func validLabel(l string) bool {
	if l == "" || len(l) > 100 || l[0] >= '0' && l[0] <= '9' || reserved(l) || strings.HasPrefix(l, "/") {
		return false
	}
	for i := 0; i < len(l); i++ {
		if !nameChar(l[i]) {
			return false
		}
	}
	return true
}
