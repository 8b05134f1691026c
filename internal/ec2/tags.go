package ec2

import (
	"context"
	"strings"

	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/store"
)

// MaxTags is the most tags a resource may have.
const MaxTags = 50

func checkTags(tags []Tag) error {
	for _, t := range tags {
		if strings.HasPrefix(strings.ToLower(t.Key), "aws:") {
			return fault.New(ErrInvalidParameterValue, "Tag keys starting with 'aws:' are reserved for internal use")
		}
		if t.Key == "" {
			return fault.New(ErrInvalidParameterValue, "Tag key cannot be empty")
		}
	}
	return nil
}

// tagged is a resource whose tags can change.
type tagged struct {
	id, kind string
	tags     *[]Tag
	save     func() error
}

// resource finds a taggable resource by ID.
func resource(tx store.Tx, st *state, id string) (tagged, error) {
	sc := st.scope
	switch {
	case strings.HasPrefix(id, "vpc-"):
		v, ok := st.vpc(id)
		if !ok {
			return tagged{}, vpcNotFound(id)
		}
		return tagged{id, "vpc", &v.Tags, func() error { return putVpc(tx, sc, *v) }}, nil
	case strings.HasPrefix(id, "subnet-"):
		sn, ok := st.subnet(id)
		if !ok {
			return tagged{}, subnetNotFound(id)
		}
		return tagged{id, "subnet", &sn.Tags, func() error { return putSubnet(tx, sc, *sn) }}, nil
	case strings.HasPrefix(id, "sg-"):
		g, ok := st.group(id)
		if !ok {
			return tagged{}, groupNotFound(id)
		}
		return tagged{id, "security-group", &g.Tags, func() error { return putGroup(tx, sc, *g) }}, nil
	}
	return tagged{}, fault.Newf(ErrInvalidID, "The ID '%s' is not valid", id)
}

// CreateTags adds or overwrites tags on resources.
func (s *Service) CreateTags(ctx context.Context, sc Scope, ids []string, tags []Tag) error {
	if err := checkTags(tags); err != nil {
		return err
	}
	return s.update(ctx, sc, func(tx store.Tx, st *state) error {
		for _, id := range ids {
			r, err := resource(tx, st, id)
			if err != nil {
				return err
			}
			*r.tags = mergeTags(*r.tags, tags)
			if len(*r.tags) > MaxTags {
				return fault.New(ErrTagLimitExceeded, "The maximum number of Tags for a resource has been reached.")
			}
			if err := r.save(); err != nil {
				return err
			}
		}
		return nil
	})
}

func mergeTags(have, add []Tag) []Tag {
	out := append([]Tag{}, have...)
	for _, t := range add {
		replaced := false
		for i := range out {
			if out[i].Key == t.Key {
				out[i].Value, replaced = t.Value, true
			}
		}
		if !replaced {
			out = append(out, t)
		}
	}
	return out
}

// TagFilter names a tag to delete; a nil Value deletes the key whatever
// its value.
type TagFilter struct {
	Key   string
	Value *string
}

// DeleteTags deletes tags from resources; no tags deletes them all.
func (s *Service) DeleteTags(ctx context.Context, sc Scope, ids []string, del []TagFilter) error {
	return s.update(ctx, sc, func(tx store.Tx, st *state) error {
		for _, id := range ids {
			r, err := resource(tx, st, id)
			if err != nil {
				return err
			}
			var kept []Tag
			for _, t := range *r.tags {
				drop := len(del) == 0
				for _, d := range del {
					if d.Key == t.Key && (d.Value == nil || *d.Value == t.Value) {
						drop = true
					}
				}
				if !drop {
					kept = append(kept, t)
				}
			}
			*r.tags = kept
			if err := r.save(); err != nil {
				return err
			}
		}
		return nil
	})
}

// TagDescription is one tag of one resource.
type TagDescription struct {
	ResourceID, ResourceType string
	Tag
}

// DescribeTags lists the tags of the scope's resources.
func (s *Service) DescribeTags(ctx context.Context, sc Scope, filters []Filter, token string, max int) (out []TagDescription, next string, err error) {
	fields := func(t TagDescription) fieldFunc {
		return func(name string) ([]string, bool) {
			switch name {
			case "key":
				return []string{t.Key}, true
			case "value":
				return []string{t.Value}, true
			case "resource-id":
				return []string{t.ResourceID}, true
			case "resource-type":
				return []string{t.ResourceType}, true
			}
			return nil, false
		}
	}
	if err := checkFilters(filters, fields(TagDescription{})); err != nil {
		return nil, "", err
	}
	err = s.view(ctx, sc, func(_ store.ReadTx, st *state) error {
		var all []TagDescription
		add := func(id, kind string, tags []Tag) {
			for _, t := range tags {
				all = append(all, TagDescription{ResourceID: id, ResourceType: kind, Tag: t})
			}
		}
		for _, v := range st.vpcs {
			add(v.ID, "vpc", v.Tags)
		}
		for _, sn := range st.subnets {
			add(sn.ID, "subnet", sn.Tags)
		}
		for _, g := range st.groups {
			add(g.ID, "security-group", g.Tags)
		}
		for _, t := range all {
			if matches(filters, fields(t), []Tag{t.Tag}) {
				out = append(out, t)
			}
		}
		out, next, err = paginate(out, func(t TagDescription) string { return t.ResourceID + "\x00" + t.Key }, token, max)
		return err
	})
	return out, next, err
}
