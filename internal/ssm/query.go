package ssm

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/store"
)

// PathQuery is a GetParametersByPath request.
type PathQuery struct {
	Path      string
	Recursive bool
	Filters   []Filter
	Max       int
	Token     string
}

// ByPath lists the parameters under a path, one page at a time.
func (ps *ParameterStore) ByPath(ctx context.Context, s Scope, q PathQuery) ([]Found, string, error) {
	if err := ValidatePath(q.Path); err != nil {
		return nil, "", err
	}
	m, err := compileFilters(q.Filters, forPath)
	if err != nil {
		return nil, "", err
	}
	// Names under /a/b are keyed <scope>/a/b/...; names without a leading
	// slash sit at the root, so the root scans the whole scope.
	prefix := s.prefix()
	if q.Path != "/" {
		prefix += strings.TrimSuffix(q.Path, "/") + "/"
	}
	return page(ctx, ps.st, prefix, q.Token, "p", q.Max, func(tx store.ReadTx, p *Parameter) (Found, bool, error) {
		if !underPath(p.Name, q.Path, q.Recursive) {
			return Found{}, false, nil
		}
		v := &p.Latest
		if len(m.labels) > 0 {
			lv, ok := labelled(p, m.labels)
			if !ok {
				return Found{}, false, nil
			}
			if lv != v.Version {
				ver, found, err := getVersion(tx, s, p.Name, lv)
				if err != nil || !found {
					return Found{}, false, err
				}
				v = &ver
			}
		}
		if !m.ok(p, v) {
			return Found{}, false, nil
		}
		return Found{Scope: s, Name: p.Name, Version: *v}, true, nil
	})
}

func labelled(p *Parameter, labels []string) (int64, bool) {
	for _, l := range labels {
		if v, ok := p.Labels[l]; ok {
			return v, true
		}
	}
	return 0, false
}

// DescribeQuery is a DescribeParameters request.
type DescribeQuery struct {
	Filters []Filter
	Legacy  []Filter // the old Filters member; not with Filters
	Max     int
	Token   string
}

// Describe lists parameters' metadata, one page at a time.
func (ps *ParameterStore) Describe(ctx context.Context, s Scope, q DescribeQuery) ([]Parameter, string, error) {
	filters := q.Filters
	if len(q.Legacy) > 0 {
		if len(q.Filters) > 0 {
			return nil, "", fault.New(ErrValidation, msgFiltersBoth)
		}
		filters = LegacyFilters(q.Legacy)
	}
	m, err := compileFilters(filters, forDescribe)
	if err != nil {
		return nil, "", err
	}
	return page(ctx, ps.st, s.prefix(), q.Token, "d", q.Max, func(_ store.ReadTx, p *Parameter) (Parameter, bool, error) {
		return *p, m.ok(p, &p.Latest), nil
	})
}

// page scans the parameters under prefix after the token's key, selecting
// up to max. The next token is returned only when another parameter would
// be selected.
func page[T any](ctx context.Context, st store.Store, prefix, token, kind string, max int,
	sel func(store.ReadTx, *Parameter) (T, bool, error)) ([]T, string, error) {
	after := ""
	if token != "" {
		a, err := decodeToken(token, kind)
		if err != nil {
			return nil, "", err
		}
		after = prefix + a
	}
	var out []T
	var next string
	err := st.View(ctx, func(tx store.ReadTx) error {
		out, next = nil, ""
		last := ""
		return tx.Scan(Parameters, prefix, after, func(k string, b []byte) error {
			var p Parameter
			if err := json.Unmarshal(b, &p); err != nil {
				return fmt.Errorf("ssm: decode %s: %w", k, err)
			}
			v, ok, err := sel(tx, &p)
			if err != nil || !ok {
				return err
			}
			if len(out) == max {
				next = encodeToken(kind, last[len(prefix):])
				return store.ErrStop
			}
			out = append(out, v)
			last = k
			return nil
		})
	})
	return out, next, err
}
