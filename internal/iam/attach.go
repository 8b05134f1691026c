package iam

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/policy"
	"github.com/quayside/quayside/internal/store"
)

// AttachedPolicy names a managed policy attached to a role.
type AttachedPolicy struct{ Name, ARN string }

// AttachRolePolicy attaches a managed policy (the account's or an AWS
// managed one) to a role. Attaching it again changes nothing.
func (s *Service) AttachRolePolicy(ctx context.Context, account, role, arn string) error {
	return s.update(ctx, func(tx store.Tx) error {
		r, err := getRole(tx, account, role)
		if err != nil {
			return err
		}
		if _, err := getPolicy(tx, account, arn, notAttachable); err != nil {
			return err
		}
		if slices.Contains(r.Attached, arn) {
			return nil
		}
		if len(r.Attached) >= MaxPoliciesPerRole {
			return quota("PoliciesPerRole", MaxPoliciesPerRole)
		}
		r.Attached = append(r.Attached, arn)
		return store.Put(tx, Roles, roleKey(account, role), r)
	})
}

// DetachRolePolicy detaches a managed policy from a role.
func (s *Service) DetachRolePolicy(ctx context.Context, account, role, arn string) error {
	if _, _, _, err := ParsePolicyARN(arn); err != nil {
		return err
	}
	return s.modifyRole(ctx, account, role, func(r *Role) error {
		i := slices.Index(r.Attached, arn)
		if i < 0 {
			return noSuchPolicy(arn)
		}
		r.Attached = slices.Delete(r.Attached, i, i+1)
		return nil
	})
}

// ListAttachedRolePolicies lists the managed policies attached to a role
// whose path starts with pathPrefix, in the order they were attached.
func (s *Service) ListAttachedRolePolicies(ctx context.Context, account, role, pathPrefix, marker string, max int) ([]AttachedPolicy, string, error) {
	r, err := s.GetRole(ctx, account, role)
	if err != nil {
		return nil, "", err
	}
	if pathPrefix == "" {
		pathPrefix = "/"
	}
	type item struct {
		i int
		p AttachedPolicy
	}
	var items []item
	for i, arn := range r.Attached {
		_, path, name, err := ParsePolicyARN(arn)
		if err != nil || !strings.HasPrefix(path, pathPrefix) {
			continue
		}
		items = append(items, item{i, AttachedPolicy{Name: name, ARN: arn}})
	}
	pg, next, err := page(items, func(x item) string { return fmt.Sprintf("%04d", x.i) }, marker, max)
	out := make([]AttachedPolicy, len(pg))
	for i, x := range pg {
		out[i] = x.p
	}
	return out, next, err
}

// PutRolePolicy adds or replaces an inline policy of a role.
func (s *Service) PutRolePolicy(ctx context.Context, account, role, name, doc string) error {
	if err := checkIdentityPolicy(doc, 0, ""); err != nil {
		return err
	}
	return s.update(ctx, func(tx store.Tx) error {
		r, err := getRole(tx, account, role)
		if err != nil {
			return err
		}
		total := len(policy.Compact(doc))
		err = tx.Scan(RolePolicies, inlinePrefix(account, role), "", func(_ string, b []byte) error {
			var p InlinePolicy
			if err := json.Unmarshal(b, &p); err != nil {
				return err
			}
			if p.Name != name {
				total += len(policy.Compact(p.Document))
			}
			return nil
		})
		if err != nil {
			return err
		}
		if total > MaxInlinePolicySize {
			return fault.Newf(ErrLimitExceeded, "Maximum policy size of %d bytes exceeded for role %s", MaxInlinePolicySize, r.Name)
		}
		return store.Put(tx, RolePolicies, inlinePrefix(account, role)+name, InlinePolicy{RoleName: r.Name, Name: name, Document: doc})
	})
}

// GetRolePolicy returns an inline policy of a role.
func (s *Service) GetRolePolicy(ctx context.Context, account, role, name string) (p InlinePolicy, err error) {
	err = s.view(ctx, func(tx store.ReadTx) error {
		r, err := getRole(tx, account, role)
		if err != nil {
			return err
		}
		p, err = store.Get[InlinePolicy](tx, RolePolicies, inlinePrefix(account, role)+name)
		if errors.Is(err, store.ErrNotFound) {
			return noSuchRolePolicy(r.Name, name)
		}
		return err
	})
	return p, err
}

// ListRolePolicies lists the names of a role's inline policies in order.
func (s *Service) ListRolePolicies(ctx context.Context, account, role, marker string, max int) ([]string, string, error) {
	var names []string
	err := s.view(ctx, func(tx store.ReadTx) error {
		if _, err := getRole(tx, account, role); err != nil {
			return err
		}
		ps, err := store.List[InlinePolicy](tx, RolePolicies, inlinePrefix(account, role), "", 0)
		for _, p := range ps {
			names = append(names, p.Name)
		}
		return err
	})
	if err != nil {
		return nil, "", err
	}
	return page(names, func(n string) string { return n }, marker, max)
}

// DeleteRolePolicy deletes an inline policy of a role.
func (s *Service) DeleteRolePolicy(ctx context.Context, account, role, name string) error {
	return s.update(ctx, func(tx store.Tx) error {
		r, err := getRole(tx, account, role)
		if err != nil {
			return err
		}
		key := inlinePrefix(account, role) + name
		if _, err := tx.Get(RolePolicies, key); errors.Is(err, store.ErrNotFound) {
			return noSuchRolePolicy(r.Name, name)
		} else if err != nil {
			return err
		}
		return tx.Delete(RolePolicies, key)
	})
}
