package secretsmanager

import (
	"context"
	"strings"

	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/store"
)

// MaxTags is the most tags a secret can have.
const MaxTags = 50

func checkTags(tags []Tag) error {
	if len(tags) > MaxTags {
		return fault.Newf(ErrValidation, "A secret can have at most %d tags.", MaxTags)
	}
	for _, t := range tags {
		if strings.HasPrefix(strings.ToLower(t.Key), "aws:") {
			return fault.New(ErrInvalidParameter, "The tag key prefix aws: is reserved for AWS use.")
		}
	}
	return nil
}

// Tag adds tags to a secret, replacing the values of keys it has.
func (m *Manager) Tag(ctx context.Context, s Scope, secretID string, tags []Tag) error {
	return m.st.Update(ctx, func(tx store.Tx) error {
		sec, err := m.live(tx, s, secretID)
		if err != nil {
			return err
		}
		for _, t := range tags {
			replaced := false
			for i := range sec.Tags {
				if sec.Tags[i].Key == t.Key {
					sec.Tags[i].Value, replaced = t.Value, true
				}
			}
			if !replaced {
				sec.Tags = append(sec.Tags, t)
			}
		}
		if err := checkTags(sec.Tags); err != nil {
			return err
		}
		return store.Put(tx, Secrets, secretKey(s, sec.Name), sec)
	})
}

// Untag removes tag keys from a secret; absent keys are ignored.
func (m *Manager) Untag(ctx context.Context, s Scope, secretID string, keys []string) error {
	return m.st.Update(ctx, func(tx store.Tx) error {
		sec, err := m.live(tx, s, secretID)
		if err != nil {
			return err
		}
		kept := sec.Tags[:0]
		for _, t := range sec.Tags {
			drop := false
			for _, k := range keys {
				drop = drop || t.Key == k
			}
			if !drop {
				kept = append(kept, t)
			}
		}
		sec.Tags = kept
		return store.Put(tx, Secrets, secretKey(s, sec.Name), sec)
	})
}
