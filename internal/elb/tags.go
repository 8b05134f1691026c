package elb

import (
	"strings"

	"github.com/quayside/quayside/internal/fault"
)

// Tag is a resource tag.
type Tag struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// ValidateNewTags checks tags given in one request: no key twice, no
// reserved "aws:" prefix.
func ValidateNewTags(tags []Tag) error {
	seen := map[string]bool{}
	for _, t := range tags {
		if seen[t.Key] {
			return fault.Newf(ErrDuplicateTagKeys, "Tag key '%s' is duplicated", t.Key)
		}
		seen[t.Key] = true
		if strings.HasPrefix(strings.ToLower(t.Key), "aws:") {
			return invalid("Tag keys starting with 'aws:' are reserved for internal use")
		}
	}
	return nil
}

// MergeTags adds or replaces tags, keeping the order of first addition,
// and refuses to grow past MaxTags.
func MergeTags(have, add []Tag) ([]Tag, error) {
	out := append([]Tag(nil), have...)
	for _, t := range add {
		replaced := false
		for i := range out {
			if out[i].Key == t.Key {
				out[i].Value, replaced = t.Value, true
				break
			}
		}
		if !replaced {
			out = append(out, t)
		}
	}
	if len(out) > MaxTags {
		return nil, fault.Newf(ErrTooManyTags, "The quota for the number of tags that can be assigned to a load balancer resource has been reached (%d)", MaxTags)
	}
	return out, nil
}

// RemoveTags drops the named keys.
func RemoveTags(have []Tag, keys []string) []Tag {
	out := have[:0:0]
	for _, t := range have {
		keep := true
		for _, k := range keys {
			if t.Key == k {
				keep = false
				break
			}
		}
		if keep {
			out = append(out, t)
		}
	}
	return out
}
