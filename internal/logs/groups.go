package logs

import (
	"context"
	"errors"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/store"
)

// Log group classes.
const (
	ClassStandard         = "STANDARD"
	ClassInfrequentAccess = "INFREQUENT_ACCESS"
	ClassDelivery         = "DELIVERY"
)

// RetentionDays are the values PutRetentionPolicy accepts.
var RetentionDays = []int{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}

// MaxTags is the most tags a log group may carry.
const MaxTags = 50

// GroupSpec is a CreateLogGroup request.
type GroupSpec struct {
	Name               string
	KmsKeyID           string
	Class              string // default STANDARD
	Tags               map[string]string
	DeletionProtection bool
}

// CreateGroup creates a log group.
func (s *Service) CreateGroup(ctx context.Context, sc Scope, spec GroupSpec) error {
	if strings.HasPrefix(strings.ToLower(spec.Name), "aws/") {
		return invalid("Log groups starting with AWS/ are reserved for AWS.")
	}
	if err := validateTags(spec.Tags); err != nil {
		return err
	}
	if spec.Class == "" {
		spec.Class = ClassStandard
	}
	return s.meta.Update(ctx, func(tx store.Tx) error {
		key := groupKey(sc, spec.Name)
		if _, err := tx.Get(tableGroups, key); err == nil {
			return fault.New(ErrAlreadyExists, msgGroupExists)
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		id, err := tx.NextSequence(seqIDs)
		if err != nil {
			return err
		}
		return store.Put(tx, tableGroups, key, Group{
			ID: id, Name: spec.Name, Created: s.nowMS(), KmsKeyID: spec.KmsKeyID, Class: spec.Class,
			Tags: spec.Tags, DeletionProtection: spec.DeletionProtection,
		})
	})
}

// DeleteGroup deletes a log group, its streams and all their events.
func (s *Service) DeleteGroup(ctx context.Context, sc Scope, name string) error {
	var g Group
	err := s.meta.Update(ctx, func(tx store.Tx) error {
		var err error
		if g, err = getGroup(tx, sc, name); err != nil {
			return err
		}
		if g.DeletionProtection {
			return fault.Newf(ErrDeletionProtected, "Log group %s has deletion protection enabled. Disable it with PutLogGroupDeletionProtection before deleting the log group.", name)
		}
		var keys []string
		if err := tx.Scan(tableStreams, streamPrefix(sc, name), "", func(k string, _ []byte) error {
			keys = append(keys, k)
			return nil
		}); err != nil {
			return err
		}
		for _, k := range keys {
			if err := tx.Delete(tableStreams, k); err != nil {
				return err
			}
		}
		return tx.Delete(tableGroups, groupKey(sc, name))
	})
	if err != nil {
		return err
	}
	s.forget(sc, name, "")
	if err := s.events.DeleteGroup(g.ID); err != nil {
		// The group is gone; the next sweep removes what is left on disk.
		s.log.Warn("log group deleted, its files not yet", "group", name, "err", err)
	}
	return nil
}

// GroupQuery selects log groups for DescribeGroups.
type GroupQuery struct {
	Prefix      string   // names starting with Prefix
	Pattern     string   // names containing Pattern (case-sensitive)
	Class       string   // only this class, when set
	Identifiers []string // only these names, when set
	Limit       int      // page size
	After       string   // resume after this key (from the last page)
}

// GroupInfo is a described log group.
type GroupInfo struct {
	Group
	StoredBytes int64
}

// DescribeGroups lists log groups in name order. next is the resume key
// when more remain.
func (s *Service) DescribeGroups(ctx context.Context, sc Scope, q GroupQuery) (out []GroupInfo, next string, err error) {
	var want map[string]bool
	if len(q.Identifiers) > 0 {
		want = map[string]bool{}
		for _, id := range q.Identifiers {
			if name, err := GroupName(sc, id); err == nil {
				want[name] = true
			}
		}
	}
	after := q.After
	if after != "" && !strings.HasPrefix(after, sc.prefix()) {
		return nil, "", invalid("The specified nextToken is not valid.")
	}
	var lastKey string
	err = s.meta.View(ctx, func(tx store.ReadTx) error {
		return tx.Scan(tableGroups, sc.prefix()+q.Prefix, after, func(k string, v []byte) error {
			g, err := decode[Group](v)
			if err != nil {
				return err
			}
			if (q.Pattern != "" && !strings.Contains(g.Name, q.Pattern)) || (q.Class != "" && g.Class != q.Class) || (want != nil && !want[g.Name]) {
				return nil
			}
			if len(out) == q.Limit {
				next = lastKey
				return store.ErrStop
			}
			out = append(out, GroupInfo{Group: g})
			lastKey = k
			return nil
		})
	})
	for i := range out {
		out[i].StoredBytes = s.events.GroupBytes(out[i].ID)
	}
	return out, next, err
}

// GetGroup reads one log group.
func (s *Service) GetGroup(ctx context.Context, sc Scope, name string) (g Group, err error) {
	err = s.meta.View(ctx, func(tx store.ReadTx) error {
		g, err = getGroup(tx, sc, name)
		return err
	})
	return g, err
}

// updateGroup applies fn to a group in one transaction.
func (s *Service) updateGroup(ctx context.Context, sc Scope, name string, fn func(*Group) error) error {
	err := s.meta.Update(ctx, func(tx store.Tx) error {
		g, err := getGroup(tx, sc, name)
		if err != nil {
			return err
		}
		if err := fn(&g); err != nil {
			return err
		}
		return store.Put(tx, tableGroups, groupKey(sc, name), g)
	})
	if err == nil {
		s.forget(sc, name, "")
	}
	return err
}

// PutRetention sets a group's retention in days.
func (s *Service) PutRetention(ctx context.Context, sc Scope, name string, days int) error {
	if !slices.Contains(RetentionDays, days) {
		vals := make([]string, len(RetentionDays))
		for i, d := range RetentionDays {
			vals[i] = strconv.Itoa(d)
		}
		return fault.Newf(ErrInvalidParameter, "1 validation error detected: Value '%d' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: [%s]", days, strings.Join(vals, ", "))
	}
	return s.updateGroup(ctx, sc, name, func(g *Group) error { g.RetentionDays = days; return nil })
}

// DeleteRetention makes a group's events never expire.
func (s *Service) DeleteRetention(ctx context.Context, sc Scope, name string) error {
	return s.updateGroup(ctx, sc, name, func(g *Group) error { g.RetentionDays = 0; return nil })
}

// SetDeletionProtection turns a group's deletion protection on or off.
func (s *Service) SetDeletionProtection(ctx context.Context, sc Scope, name string, on bool) error {
	return s.updateGroup(ctx, sc, name, func(g *Group) error { g.DeletionProtection = on; return nil })
}

// TagGroup adds or replaces tags. A group may carry at most MaxTags.
func (s *Service) TagGroup(ctx context.Context, sc Scope, name string, tags map[string]string) error {
	if err := validateTags(tags); err != nil {
		return err
	}
	return s.updateGroup(ctx, sc, name, func(g *Group) error {
		merged := maps.Clone(g.Tags)
		if merged == nil {
			merged = map[string]string{}
		}
		maps.Copy(merged, tags)
		if len(merged) > MaxTags {
			return fault.Newf(ErrTooManyTags, "A resource can have no more than %d tags.", MaxTags)
		}
		g.Tags = merged
		return nil
	})
}

// UntagGroup removes tags by key; missing keys are ignored.
func (s *Service) UntagGroup(ctx context.Context, sc Scope, name string, keys []string) error {
	return s.updateGroup(ctx, sc, name, func(g *Group) error {
		for _, k := range keys {
			delete(g.Tags, k)
		}
		return nil
	})
}

var (
	tagKeyRE   = regexp.MustCompile(`^([\p{L}\p{Z}\p{N}_.:/=+\-@]+)$`)
	tagValueRE = regexp.MustCompile(`^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$`)
)

func validateTags(tags map[string]string) error {
	for _, k := range slices.Sorted(maps.Keys(tags)) {
		v := tags[k]
		switch n := utf8.RuneCountInString(k); {
		case n < 1 || n > 128 || !tagKeyRE.MatchString(k):
			return invalid("1 validation error detected: Value '%s' at 'tags' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal to 128, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: ^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+)$]", k)
		case utf8.RuneCountInString(v) > 256 || !tagValueRE.MatchString(v):
			return invalid("1 validation error detected: Value '%s' at 'tags.%s' failed to satisfy constraint: Member must have length less than or equal to 256, Member must satisfy regular expression pattern: ^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$", v, k)
		}
	}
	return nil
}
