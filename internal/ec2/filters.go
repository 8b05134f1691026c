package ec2

import (
	"encoding/base64"
	"sort"
	"strings"

	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/policy"
)

// Filter is one EC2 filter: a resource matches when any of the values
// matches any of the resource's values for the name. Values may hold the
// wildcards * and ?.
type Filter struct {
	Name   string
	Values []string
}

// fieldFunc returns a resource's values for a filter name; known is false
// for names the resource type does not support.
type fieldFunc func(name string) (values []string, known bool)

// checkFilters rejects filter names a resource type does not support;
// zero is the field function of an empty resource of the type.
func checkFilters(filters []Filter, zero fieldFunc) error {
	for _, f := range filters {
		if isTagFilter(f.Name) {
			continue
		}
		if _, ok := zero(f.Name); !ok {
			return InvalidFilter(f.Name)
		}
	}
	return nil
}

func isTagFilter(name string) bool {
	return strings.HasPrefix(name, "tag:") || name == "tag-key" || name == "tag-value"
}

// matches reports whether a resource with the given fields and tags
// passes every filter.
func matches(filters []Filter, fields fieldFunc, tags []Tag) bool {
	for _, f := range filters {
		var have []string
		switch {
		case strings.HasPrefix(f.Name, "tag:"):
			key := strings.TrimPrefix(f.Name, "tag:")
			for _, t := range tags {
				if t.Key == key {
					have = append(have, t.Value)
				}
			}
		case f.Name == "tag-key":
			for _, t := range tags {
				have = append(have, t.Key)
			}
		case f.Name == "tag-value":
			for _, t := range tags {
				have = append(have, t.Value)
			}
		default:
			have, _ = fields(f.Name)
		}
		if !anyMatch(f.Values, have) {
			return false
		}
	}
	return true
}

func anyMatch(patterns, values []string) bool {
	for _, p := range patterns {
		for _, v := range values {
			if policy.Glob(p, v) {
				return true
			}
		}
	}
	return false
}

func boolString(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// paginate returns up to max items after the token (items sorted by
// id), and the token of the next page ("" on the last). max 0 means all.
func paginate[T any](items []T, id func(T) string, token string, max int) ([]T, string, error) {
	sort.Slice(items, func(i, j int) bool { return id(items[i]) < id(items[j]) })
	start := 0
	if token != "" {
		b, err := base64.RawURLEncoding.DecodeString(token)
		if err != nil {
			return nil, "", fault.Newf(ErrInvalidNextToken, "The token '%s' is invalid.", token)
		}
		after := string(b)
		start = sort.Search(len(items), func(i int) bool { return id(items[i]) > after })
	}
	end := len(items)
	if max > 0 && start+max < end {
		end = start + max
	}
	next := ""
	if end < len(items) {
		next = base64.RawURLEncoding.EncodeToString([]byte(id(items[end-1])))
	}
	return items[start:end], next, nil
}

// Query selects resources: by IDs (each must exist), by filters, and a
// page at a time.
type Query struct {
	IDs       []string
	Filters   []Filter
	NextToken string
	Max       int
}

// selectIDs keeps the items named by ids; a missing one is an error made
// by notFound.
func selectIDs[T any](items []T, id func(T) string, ids []string, notFound func(string) error) ([]T, error) {
	if len(ids) == 0 {
		return items, nil
	}
	byID := map[string]T{}
	for _, it := range items {
		byID[id(it)] = it
	}
	var out []T
	seen := map[string]bool{}
	for _, want := range ids {
		it, ok := byID[want]
		if !ok {
			return nil, notFound(want)
		}
		if !seen[want] {
			seen[want] = true
			out = append(out, it)
		}
	}
	return out, nil
}
