package iam

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/policy"
	"github.com/quayside/quayside/internal/store"
)

// CreateRoleInput is what CreateRole is told. The wire layer has already
// checked the model's constraints (name pattern, lengths, ranges).
type CreateRoleInput struct {
	Name, Path, TrustPolicy, Description, PermissionsBoundary string
	MaxSessionDuration                                        int
	Tags                                                      []Tag
}

// CreateRole creates a role whose trust policy must be a valid policy
// document naming principals.
func (s *Service) CreateRole(ctx context.Context, account string, in CreateRoleInput) (Role, error) {
	if in.Path == "" {
		in.Path = "/"
	}
	if in.MaxSessionDuration == 0 {
		in.MaxSessionDuration = DefaultSessionSeconds
	}
	if err := checkPath(in.Path); err != nil {
		return Role{}, err
	}
	if err := checkTrustPolicy(in.TrustPolicy); err != nil {
		return Role{}, err
	}
	if err := checkTags(in.Tags); err != nil {
		return Role{}, err
	}
	r := Role{
		Name: in.Name, ID: s.ids.RoleID(), ARN: roleARN(account, in.Path, in.Name), Path: in.Path,
		CreateDate: s.now(), TrustPolicy: in.TrustPolicy, Description: in.Description,
		MaxSessionDuration: in.MaxSessionDuration, PermissionsBoundary: in.PermissionsBoundary, Tags: in.Tags,
	}
	err := s.update(ctx, func(tx store.Tx) error {
		if _, err := getRole(tx, account, in.Name); err == nil {
			return fault.Newf(ErrEntityAlreadyExists, "Role with name %s already exists.", in.Name)
		} else if !errors.Is(err, ErrNoSuchEntity) {
			return err
		}
		if in.PermissionsBoundary != "" {
			if _, err := getPolicy(tx, account, in.PermissionsBoundary, scopeNotFound); err != nil {
				return err
			}
		}
		return store.Put(tx, Roles, roleKey(account, in.Name), r)
	})
	return r, err
}

func scopeNotFound(arn string) error {
	return fault.Newf(ErrNoSuchEntity, "Scope ARN: %s does not exist or is not attachable.", arn)
}

func checkTrustPolicy(doc string) error {
	if _, err := policy.Parse(doc, policy.Trust); err != nil {
		return malformed(err)
	}
	if len(policy.Compact(doc)) > MaxTrustPolicySize {
		return quota("ACLSizePerRole", MaxTrustPolicySize)
	}
	return nil
}

func checkTags(tags []Tag) error {
	seen := map[string]bool{}
	for _, t := range tags {
		k := strings.ToLower(t.Key)
		if seen[k] {
			return fault.New(ErrInvalidInput, "Duplicate tag keys found. Please note that Tag keys are case insensitive.")
		}
		seen[k] = true
	}
	return nil
}

// GetRole returns a role.
func (s *Service) GetRole(ctx context.Context, account, name string) (r Role, err error) {
	err = s.view(ctx, func(tx store.ReadTx) error {
		r, err = getRole(tx, account, name)
		return err
	})
	return r, err
}

// ListRoles lists the account's roles whose path starts with pathPrefix,
// in name order, a page at a time.
func (s *Service) ListRoles(ctx context.Context, account, pathPrefix, marker string, max int) (roles []Role, next string, err error) {
	if pathPrefix == "" {
		pathPrefix = "/"
	}
	var all []Role
	err = s.view(ctx, func(tx store.ReadTx) error {
		all, err = store.List[Role](tx, Roles, prefix(account), "", 0)
		return err
	})
	if err != nil {
		return nil, "", err
	}
	var match []Role
	for _, r := range all {
		if strings.HasPrefix(r.Path, pathPrefix) {
			match = append(match, r)
		}
	}
	return page(match, func(r Role) string { return strings.ToLower(r.Name) }, marker, max)
}

// DeleteRole deletes a role that has no policies left.
func (s *Service) DeleteRole(ctx context.Context, account, name string) error {
	return s.update(ctx, func(tx store.Tx) error {
		r, err := getRole(tx, account, name)
		if err != nil {
			return err
		}
		if len(r.Attached) > 0 {
			return fault.New(ErrDeleteConflict, "Cannot delete entity, must detach all policies first.")
		}
		inline := false
		if err := tx.Scan(RolePolicies, inlinePrefix(account, name), "", func(string, []byte) error {
			inline = true
			return store.ErrStop
		}); err != nil {
			return err
		}
		if inline {
			return fault.New(ErrDeleteConflict, "Cannot delete entity, must delete policies first.")
		}
		return tx.Delete(Roles, roleKey(account, name))
	})
}

// UpdateAssumeRolePolicy replaces a role's trust policy.
func (s *Service) UpdateAssumeRolePolicy(ctx context.Context, account, name, doc string) error {
	if err := checkTrustPolicy(doc); err != nil {
		return err
	}
	return s.modifyRole(ctx, account, name, func(r *Role) error {
		r.TrustPolicy = doc
		return nil
	})
}

// UpdateRole changes a role's description and maximum session duration;
// nil leaves a field as it is.
func (s *Service) UpdateRole(ctx context.Context, account, name string, description *string, maxSession *int) error {
	return s.modifyRole(ctx, account, name, func(r *Role) error {
		if description != nil {
			r.Description = *description
		}
		if maxSession != nil {
			r.MaxSessionDuration = *maxSession
		}
		return nil
	})
}

func (s *Service) modifyRole(ctx context.Context, account, name string, fn func(*Role) error) error {
	return s.update(ctx, func(tx store.Tx) error {
		r, err := getRole(tx, account, name)
		if err != nil {
			return err
		}
		if err := fn(&r); err != nil {
			return err
		}
		return store.Put(tx, Roles, roleKey(account, name), r)
	})
}

// TagRole adds tags to a role, replacing the values of keys it has
// (compared ignoring case).
func (s *Service) TagRole(ctx context.Context, account, name string, tags []Tag) error {
	if err := checkTags(tags); err != nil {
		return err
	}
	return s.modifyRole(ctx, account, name, func(r *Role) error {
		for _, t := range tags {
			replaced := false
			for i := range r.Tags {
				if strings.EqualFold(r.Tags[i].Key, t.Key) {
					r.Tags[i] = t
					replaced = true
				}
			}
			if !replaced {
				r.Tags = append(r.Tags, t)
			}
		}
		if len(r.Tags) > MaxTagsPerRole {
			return quota("TagsPerRole", MaxTagsPerRole)
		}
		return nil
	})
}

// UntagRole removes tags by key; keys the role lacks are ignored.
func (s *Service) UntagRole(ctx context.Context, account, name string, keys []string) error {
	return s.modifyRole(ctx, account, name, func(r *Role) error {
		kept := r.Tags[:0]
		for _, t := range r.Tags {
			drop := false
			for _, k := range keys {
				drop = drop || strings.EqualFold(k, t.Key)
			}
			if !drop {
				kept = append(kept, t)
			}
		}
		r.Tags = kept
		return nil
	})
}

// ListRoleTags returns a role's tags a page at a time, in the order they
// were added.
func (s *Service) ListRoleTags(ctx context.Context, account, name, marker string, max int) ([]Tag, string, error) {
	r, err := s.GetRole(ctx, account, name)
	if err != nil {
		return nil, "", err
	}
	type indexed struct {
		i int
		t Tag
	}
	items := make([]indexed, len(r.Tags))
	for i, t := range r.Tags {
		items[i] = indexed{i, t}
	}
	pg, next, err := page(items, func(x indexed) string { return fmt.Sprintf("%04d", x.i) }, marker, max)
	out := make([]Tag, len(pg))
	for i, x := range pg {
		out[i] = x.t
	}
	return out, next, err
}
