package iam

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/policy"
	"github.com/quayside/quayside/internal/store"
)

// CreatePolicyInput is what CreatePolicy is told.
type CreatePolicyInput struct {
	Name, Path, Document, Description string
	Tags                              []Tag
}

func checkIdentityPolicy(doc string, limit int, quotaName string) error {
	if _, err := policy.Parse(doc, policy.Identity); err != nil {
		return malformed(err)
	}
	if quotaName != "" && len(policy.Compact(doc)) > limit {
		return quota(quotaName, limit)
	}
	return nil
}

func unmodifiable(arn string) error {
	return fault.Newf(ErrInvalidInput, "Policy %s is an AWS managed policy and cannot be changed.", arn)
}

// CreatePolicy creates a customer managed policy whose first version,
// v1, is the default.
func (s *Service) CreatePolicy(ctx context.Context, account string, in CreatePolicyInput) (ManagedPolicy, error) {
	if in.Path == "" {
		in.Path = "/"
	}
	if err := checkPath(in.Path); err != nil {
		return ManagedPolicy{}, err
	}
	if err := checkIdentityPolicy(in.Document, MaxManagedPolicySize, "PolicySize"); err != nil {
		return ManagedPolicy{}, err
	}
	if err := checkTags(in.Tags); err != nil {
		return ManagedPolicy{}, err
	}
	now := s.now()
	p := ManagedPolicy{
		Name: in.Name, ID: s.ids.PolicyID(), ARN: policyARN(account, in.Path, in.Name), Path: in.Path,
		Description: in.Description, CreateDate: now, UpdateDate: now, DefaultVersion: "v1",
		Versions: []PolicyVersion{{ID: "v1", Document: in.Document, CreateDate: now}}, Tags: in.Tags, NextVersion: 2,
	}
	err := s.update(ctx, func(tx store.Tx) error {
		_, err := tx.Get(Policies, policyKey(account, in.Name))
		switch {
		case err == nil:
			return fault.Newf(ErrEntityAlreadyExists, "A policy called %s already exists. Duplicate names are not allowed.", in.Name)
		case !errors.Is(err, store.ErrNotFound):
			return err
		}
		return store.Put(tx, Policies, policyKey(account, in.Name), p)
	})
	return p, err
}

// GetPolicy returns a managed policy with its attachment count.
func (s *Service) GetPolicy(ctx context.Context, account, arn string) (p ManagedPolicy, err error) {
	err = s.view(ctx, func(tx store.ReadTx) error {
		if p, err = getPolicy(tx, account, arn, noSuchPolicy); err != nil {
			return err
		}
		counts, err := attachments(tx, account)
		p.AttachmentCount = counts[p.ARN]
		return err
	})
	return p, err
}

// ListPoliciesInput selects managed policies.
type ListPoliciesInput struct {
	Scope        string // "All" (default), "AWS" or "Local"
	OnlyAttached bool
	PathPrefix   string
	Marker       string
	MaxItems     int
}

// ListPolicies lists managed policies: the AWS managed ones, then the
// account's, each in name order.
func (s *Service) ListPolicies(ctx context.Context, account string, in ListPoliciesInput) ([]ManagedPolicy, string, error) {
	if in.PathPrefix == "" {
		in.PathPrefix = "/"
	}
	var local []ManagedPolicy
	var counts map[string]int
	err := s.view(ctx, func(tx store.ReadTx) error {
		var err error
		if local, err = store.List[ManagedPolicy](tx, Policies, prefix(account), "", 0); err != nil {
			return err
		}
		counts, err = attachments(tx, account)
		return err
	})
	if err != nil {
		return nil, "", err
	}
	var all []ManagedPolicy
	if in.Scope != "Local" {
		all = append(all, awsManagedSorted()...)
	}
	if in.Scope != "AWS" {
		all = append(all, local...)
	}
	var match []ManagedPolicy
	for _, p := range all {
		p.AttachmentCount = counts[p.ARN]
		if !strings.HasPrefix(p.Path, in.PathPrefix) || in.OnlyAttached && p.AttachmentCount == 0 {
			continue
		}
		match = append(match, p)
	}
	key := func(p ManagedPolicy) string {
		if p.AWSManaged {
			return "0/" + strings.ToLower(p.Name)
		}
		return "1/" + strings.ToLower(p.Name)
	}
	return page(match, key, in.Marker, in.MaxItems)
}

// modifyPolicy runs fn on a customer managed policy and writes it back.
func (s *Service) modifyPolicy(ctx context.Context, account, arn string, fn func(tx store.Tx, p *ManagedPolicy) error) error {
	return s.update(ctx, func(tx store.Tx) error {
		p, err := getPolicy(tx, account, arn, noSuchPolicy)
		if err != nil {
			return err
		}
		if p.AWSManaged {
			return unmodifiable(arn)
		}
		if err := fn(tx, &p); err != nil {
			return err
		}
		return store.Put(tx, Policies, policyKey(account, p.Name), p)
	})
}

// DeletePolicy deletes a customer managed policy that is attached to no
// role and has only its default version left.
func (s *Service) DeletePolicy(ctx context.Context, account, arn string) error {
	return s.update(ctx, func(tx store.Tx) error {
		p, err := getPolicy(tx, account, arn, noSuchPolicy)
		if err != nil {
			return err
		}
		if p.AWSManaged {
			return unmodifiable(arn)
		}
		counts, err := attachments(tx, account)
		if err != nil {
			return err
		}
		if counts[arn] > 0 {
			return fault.New(ErrDeleteConflict, "Cannot delete a policy attached to entities.")
		}
		if len(p.Versions) > 1 {
			return fault.New(ErrDeleteConflict, "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.")
		}
		return tx.Delete(Policies, policyKey(account, p.Name))
	})
}

// CreatePolicyVersion adds a version, the default one if setDefault. A
// policy keeps at most five versions.
func (s *Service) CreatePolicyVersion(ctx context.Context, account, arn, doc string, setDefault bool) (v PolicyVersion, err error) {
	if err := checkIdentityPolicy(doc, MaxManagedPolicySize, "PolicySize"); err != nil {
		return v, err
	}
	err = s.modifyPolicy(ctx, account, arn, func(_ store.Tx, p *ManagedPolicy) error {
		if len(p.Versions) >= MaxPolicyVersions {
			return fault.New(ErrLimitExceeded, "A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.")
		}
		v = PolicyVersion{ID: "v" + strconv.Itoa(p.NextVersion), Document: doc, CreateDate: s.now()}
		p.NextVersion++
		p.Versions = append(p.Versions, v)
		if setDefault {
			p.DefaultVersion, p.UpdateDate = v.ID, v.CreateDate
		}
		return nil
	})
	return v, err
}

func noSuchVersion(arn, id string) error {
	return fault.Newf(ErrNoSuchEntity, "Policy %s version %s does not exist or is not attachable.", arn, id)
}

// GetPolicyVersion returns one version of a managed policy and whether it
// is the default.
func (s *Service) GetPolicyVersion(ctx context.Context, account, arn, id string) (v PolicyVersion, isDefault bool, err error) {
	err = s.view(ctx, func(tx store.ReadTx) error {
		p, err := getPolicy(tx, account, arn, noSuchPolicy)
		if err != nil {
			return err
		}
		var ok bool
		if v, ok = p.Version(id); !ok {
			return noSuchVersion(arn, id)
		}
		isDefault = id == p.DefaultVersion
		return nil
	})
	return v, isDefault, err
}

// ListPolicyVersions returns a policy with all its versions, newest first.
func (s *Service) ListPolicyVersions(ctx context.Context, account, arn string) (p ManagedPolicy, err error) {
	err = s.view(ctx, func(tx store.ReadTx) error {
		p, err = getPolicy(tx, account, arn, noSuchPolicy)
		return err
	})
	vs := make([]PolicyVersion, len(p.Versions))
	for i, v := range p.Versions {
		vs[len(vs)-1-i] = v
	}
	p.Versions = vs
	return p, err
}

// DeletePolicyVersion deletes a version other than the default.
func (s *Service) DeletePolicyVersion(ctx context.Context, account, arn, id string) error {
	return s.modifyPolicy(ctx, account, arn, func(_ store.Tx, p *ManagedPolicy) error {
		if _, ok := p.Version(id); !ok {
			return noSuchVersion(arn, id)
		}
		if id == p.DefaultVersion {
			return fault.New(ErrDeleteConflict, "Cannot delete the default version of a policy.")
		}
		kept := p.Versions[:0]
		for _, v := range p.Versions {
			if v.ID != id {
				kept = append(kept, v)
			}
		}
		p.Versions = kept
		return nil
	})
}

// SetDefaultPolicyVersion makes a version the default.
func (s *Service) SetDefaultPolicyVersion(ctx context.Context, account, arn, id string) error {
	return s.modifyPolicy(ctx, account, arn, func(_ store.Tx, p *ManagedPolicy) error {
		if _, ok := p.Version(id); !ok {
			return noSuchVersion(arn, id)
		}
		p.DefaultVersion, p.UpdateDate = id, s.now()
		return nil
	})
}
