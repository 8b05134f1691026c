package ecr

import (
	"regexp"
	"strings"

	"github.com/quayside/quayside/internal/fault"
)

// FilterTypeWildcard is the only exclusion filter type.
const FilterTypeWildcard = "WILDCARD"

// MaxExclusionFilters is the most filters a repository may have.
const MaxExclusionFilters = 5

var filterRE = regexp.MustCompile(`^[0-9a-zA-Z._*-]{1,128}$`)

// ValidateExclusionFilters checks filters against the mutability setting:
// the *_WITH_EXCLUSION settings need 1 to 5 filters, the others none.
func ValidateExclusionFilters(m TagMutability, fs []ExclusionFilter) error {
	withExclusion := m == ImmutableWithExclusion || m == MutableWithExclusion
	switch {
	case !withExclusion && len(fs) > 0:
		return fault.Newf(ErrInvalidParameter, "Invalid parameter: imageTagMutabilityExclusionFilters may only be given with %s or %s", ImmutableWithExclusion, MutableWithExclusion)
	case withExclusion && (len(fs) == 0 || len(fs) > MaxExclusionFilters):
		return fault.Newf(ErrInvalidParameter, "Invalid parameter: %s needs between 1 and %d imageTagMutabilityExclusionFilters", m, MaxExclusionFilters)
	}
	for _, f := range fs {
		if f.FilterType != FilterTypeWildcard {
			return fault.Newf(ErrInvalidParameter, "Invalid parameter at 'filterType' failed to satisfy constraint: 'Member must satisfy enum value set: [WILDCARD]'")
		}
		if !filterRE.MatchString(f.Filter) {
			return fault.Newf(ErrInvalidParameter, "Invalid parameter at 'filter' failed to satisfy constraint: 'Member must satisfy regular expression pattern: ^[0-9a-zA-Z._*-]{1,128}'")
		}
	}
	return nil
}

// TagImmutable reports whether an existing tag may not be moved or
// re-pushed: IMMUTABLE repositories protect every tag,
// IMMUTABLE_WITH_EXCLUSION every tag that matches no filter, and
// MUTABLE_WITH_EXCLUSION only the tags that match a filter.
func (r Repository) TagImmutable(tag string) bool {
	switch r.ImageTagMutability {
	case Immutable:
		return true
	case ImmutableWithExclusion:
		return !matchesAny(r.ImageTagMutabilityExclusionFilters, tag)
	case MutableWithExclusion:
		return matchesAny(r.ImageTagMutabilityExclusionFilters, tag)
	}
	return false
}

func matchesAny(fs []ExclusionFilter, tag string) bool {
	for _, f := range fs {
		if WildcardMatch(f.Filter, tag) {
			return true
		}
	}
	return false
}

// WildcardMatch matches s against a pattern in which '*' stands for any
// run of characters (possibly empty) and every other character for itself.
func WildcardMatch(pattern, s string) bool {
	parts := strings.Split(pattern, "*")
	if len(parts) == 1 {
		return pattern == s
	}
	if !strings.HasPrefix(s, parts[0]) {
		return false
	}
	s = s[len(parts[0]):]
	last := parts[len(parts)-1]
	for _, p := range parts[1 : len(parts)-1] {
		i := strings.Index(s, p)
		if i < 0 {
			return false
		}
		s = s[i+len(p):]
	}
	return len(s) >= len(last) && strings.HasSuffix(s, last)
}
