package ssm

import (
	"strings"

	"github.com/quayside/quayside/internal/fault"
)

// Filter is a ParameterStringFilter (or a legacy ParametersFilter).
type Filter struct {
	Key    string
	Option string
	Values []string
}

// Filter options.
const (
	OptEquals     = "Equals"
	OptBeginsWith = "BeginsWith"
	OptContains   = "Contains"
	OptRecursive  = "Recursive"
	OptOneLevel   = "OneLevel"
)

// filterMode says which operation the filters are for: the keys and
// options each allows differ.
type filterMode int

const (
	forDescribe filterMode = iota
	forPath
)

// match is a compiled filter set.
type match struct {
	preds  []func(p *Parameter, v *Version) bool
	labels []string // GetParametersByPath's Label filter: the version to return
}

func (m *match) ok(p *Parameter, v *Version) bool {
	for _, pred := range m.preds {
		if !pred(p, v) {
			return false
		}
	}
	return true
}

func ensureSlash(n string) string {
	if strings.HasPrefix(n, "/") {
		return n
	}
	return "/" + n
}

// LegacyFilters converts DescribeParameters' old Filters to
// ParameterFilters: Name matches the beginning of names, Type and KeyId
// match exactly.
func LegacyFilters(fs []Filter) []Filter {
	out := make([]Filter, len(fs))
	for i, f := range fs {
		f.Option = OptEquals
		if f.Key == "Name" {
			f.Option = OptBeginsWith
		}
		out[i] = f
	}
	return out
}

func compileFilters(fs []Filter, mode filterMode) (*match, error) {
	m := &match{}
	seen := map[string]bool{}
	for _, f := range fs {
		if seen[f.Key] {
			return nil, fault.Newf(ErrValidation, "The following filter is duplicated in the request: %s. A request can contain only one occurrence of a specific filter.", f.Key)
		}
		seen[f.Key] = true
		pred, err := compileFilter(f, mode, m)
		if err != nil {
			return nil, err
		}
		if pred != nil {
			m.preds = append(m.preds, pred)
		}
	}
	return m, nil
}

func compileFilter(f Filter, mode filterMode, m *match) (func(*Parameter, *Version) bool, error) {
	isTag := strings.HasPrefix(f.Key, "tag:")
	switch {
	case isTag:
	case mode == forPath && f.Key != "Type" && f.Key != "KeyId" && f.Key != "Label":
		return nil, invalidFilterKey(f.Key, "Type, KeyId, Label, tag:.+")
	case mode == forDescribe && f.Key == "Label":
		return nil, invalidFilterKey(f.Key, "Name, Type, KeyId, Path, Tier, DataType, tag:.+")
	}
	opt := f.Option
	if opt == "" {
		opt = OptEquals
		if f.Key == "Path" {
			opt = OptOneLevel
		}
	}
	if !validOption(f.Key, opt, mode) {
		return nil, fault.New(ErrInvalidFilterOption, msgFilterOption)
	}
	if len(f.Values) == 0 && !isTag {
		return nil, invalidFilterValue(f.Key, "(none)")
	}
	vals := f.Values
	switch f.Key {
	case "Name":
		return func(p *Parameter, _ *Version) bool { return matchAny(ensureSlash(p.Name), vals, opt, ensureSlash) }, nil
	case "Type":
		for _, v := range vals {
			if v != TypeString && v != TypeStringList && v != TypeSecureString {
				return nil, invalidFilterValue(f.Key, v)
			}
		}
		return func(_ *Parameter, v *Version) bool { return matchAny(v.Type, vals, opt, nil) }, nil
	case "KeyId":
		return func(_ *Parameter, v *Version) bool {
			return v.Type == TypeSecureString && matchAny(v.KeyID, vals, opt, nil)
		}, nil
	case "Tier":
		for _, v := range vals {
			if v != TierStandard && v != TierAdvanced && v != TierIntelligentTiering {
				return nil, invalidFilterValue(f.Key, v)
			}
		}
		return func(_ *Parameter, v *Version) bool { return matchAny(v.Tier, vals, opt, nil) }, nil
	case "DataType":
		return func(_ *Parameter, v *Version) bool { return matchAny(v.DataType, vals, opt, nil) }, nil
	case "Label":
		m.labels = vals
		return nil, nil
	case "Path":
		for _, v := range vals {
			if err := ValidatePath(v); err != nil {
				return nil, err
			}
		}
		rec := opt == OptRecursive
		return func(p *Parameter, _ *Version) bool {
			for _, path := range vals {
				if underPath(p.Name, path, rec) {
					return true
				}
			}
			return false
		}, nil
	}
	key := strings.TrimPrefix(f.Key, "tag:")
	return func(p *Parameter, _ *Version) bool {
		for _, t := range p.Tags {
			if t.Key == key {
				return len(vals) == 0 || matchAny(t.Value, vals, opt, nil)
			}
		}
		return false
	}, nil
}

func validOption(key, opt string, mode filterMode) bool {
	switch {
	case key == "Path":
		return opt == OptRecursive || opt == OptOneLevel
	case key == "Label":
		return opt == OptEquals
	case key == "Name" && mode == forDescribe:
		return opt == OptEquals || opt == OptBeginsWith || opt == OptContains
	}
	return opt == OptEquals || opt == OptBeginsWith
}

func matchAny(s string, vals []string, opt string, norm func(string) string) bool {
	for _, v := range vals {
		if norm != nil {
			v = norm(v)
		}
		switch opt {
		case OptEquals:
			if s == v {
				return true
			}
		case OptBeginsWith:
			if strings.HasPrefix(s, v) {
				return true
			}
		case OptContains:
			if strings.Contains(s, v) {
				return true
			}
		}
	}
	return false
}

// underPath reports whether name lies under path: directly (one level) or
// anywhere below (recursive). A name without a leading slash lies at the
// root.
func underPath(name, path string, recursive bool) bool {
	name = ensureSlash(name)
	if path != "/" {
		path = strings.TrimSuffix(path, "/")
	}
	prefix := path
	if prefix != "/" {
		prefix += "/"
	}
	rest, ok := strings.CutPrefix(name, prefix)
	if !ok || rest == "" {
		return false
	}
	return recursive || !strings.Contains(rest, "/")
}
