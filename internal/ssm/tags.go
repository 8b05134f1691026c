package ssm

import (
	"context"

	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/store"
)

// ResourceTypeParameter is the only taggable resource type Quayside has.
const ResourceTypeParameter = "Parameter"

func tagTarget(tx store.ReadTx, s Scope, resourceType, id string) (Parameter, error) {
	if resourceType != ResourceTypeParameter {
		return Parameter{}, fault.Newf(ErrInvalidResourceType, "The resource type %s isn't supported by Quayside; only Parameter resources can be tagged.", resourceType)
	}
	r, err := ParseRef(s, id)
	if err != nil || r.Selector != "" || r.Scope != s {
		return Parameter{}, fault.New(ErrInvalidResourceID, "")
	}
	p, ok, err := lookup(tx, r)
	if err != nil {
		return p, err
	}
	if !ok {
		return p, fault.New(ErrInvalidResourceID, "")
	}
	return p, nil
}

// Tags lists a parameter's tags.
func (ps *ParameterStore) Tags(ctx context.Context, s Scope, resourceType, id string) ([]Tag, error) {
	var tags []Tag
	err := ps.st.View(ctx, func(tx store.ReadTx) error {
		p, err := tagTarget(tx, s, resourceType, id)
		tags = p.Tags
		return err
	})
	return tags, err
}

// AddTags adds tags to a parameter, replacing the values of keys it has.
func (ps *ParameterStore) AddTags(ctx context.Context, s Scope, resourceType, id string, tags []Tag) error {
	return ps.st.Update(ctx, func(tx store.Tx) error {
		p, err := tagTarget(tx, s, resourceType, id)
		if err != nil {
			return err
		}
		p.Tags = MergeTags(p.Tags, tags)
		if len(p.Tags) > MaxTags {
			return fault.New(ErrTooManyTags, msgTooManyTags)
		}
		return store.Put(tx, Parameters, paramKey(s, p.Name), p)
	})
}

// RemoveTags removes tag keys from a parameter; absent keys are ignored.
func (ps *ParameterStore) RemoveTags(ctx context.Context, s Scope, resourceType, id string, keys []string) error {
	return ps.st.Update(ctx, func(tx store.Tx) error {
		p, err := tagTarget(tx, s, resourceType, id)
		if err != nil {
			return err
		}
		drop := map[string]bool{}
		for _, k := range keys {
			drop[k] = true
		}
		kept := p.Tags[:0]
		for _, t := range p.Tags {
			if !drop[t.Key] {
				kept = append(kept, t)
			}
		}
		p.Tags = kept
		return store.Put(tx, Parameters, paramKey(s, p.Name), p)
	})
}

// MergeTags returns tags with add applied: new keys appended in order,
// existing keys given their new value.
func MergeTags(tags, add []Tag) []Tag {
	out := append([]Tag(nil), tags...)
	for _, a := range add {
		found := false
		for i := range out {
			if out[i].Key == a.Key {
				out[i].Value = a.Value
				found = true
				break
			}
		}
		if !found {
			out = append(out, a)
		}
	}
	return out
}
