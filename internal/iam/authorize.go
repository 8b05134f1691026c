package iam

import (
	"context"
	"fmt"

	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/policy"
	"github.com/quayside/quayside/internal/store"
)

// RoleAllowed decides whether the role may perform action on resource,
// from its inline policies and the default versions of its attached
// managed policies: an explicit deny wins, then an allow, else the
// implicit deny (policy.NotApplicable). ctx holds condition keys; it may
// be nil. A role that does not exist is an ErrNoSuchEntity error.
func (s *Service) RoleAllowed(ctx context.Context, roleARN, action, resource string, keys policy.Context) (policy.Decision, error) {
	var docs []*policy.Document
	err := s.view(ctx, func(tx store.ReadTx) error {
		var err error
		docs, err = roleDocuments(tx, roleARN)
		return err
	})
	if err != nil {
		return policy.NotApplicable, err
	}
	return policy.Evaluate(policy.Request{
		Caller: policy.Caller{Type: policy.PrincipalAWS, ID: roleARN}, Action: action, Resource: resource, Context: keys,
	}, docs...), nil
}

// roleDocuments returns the parsed identity policies of a role.
func roleDocuments(tx store.ReadTx, roleARN string) ([]*policy.Document, error) {
	account, _, name, ok := ParseRoleARN(roleARN)
	if !ok {
		return nil, invalidARN(roleARN)
	}
	r, err := getRole(tx, account, name)
	if err != nil {
		return nil, err
	}
	if r.ARN != roleARN {
		return nil, noSuchRole(name)
	}
	var texts []string
	inline, err := store.List[InlinePolicy](tx, RolePolicies, inlinePrefix(account, name), "", 0)
	if err != nil {
		return nil, err
	}
	for _, p := range inline {
		texts = append(texts, p.Document)
	}
	for _, arn := range r.Attached {
		p, err := getPolicy(tx, account, arn, noSuchPolicy)
		if err != nil {
			return nil, err
		}
		texts = append(texts, p.Default().Document)
	}
	docs := make([]*policy.Document, 0, len(texts))
	for _, t := range texts {
		d, err := policy.Parse(t, policy.Identity)
		if err != nil {
			// Documents are validated when written; one that no longer
			// parses is a server fault.
			return nil, fault.Wrap(fault.Internal, err, fmt.Sprintf("stored policy of role %s does not parse", roleARN))
		}
		docs = append(docs, d)
	}
	return docs, nil
}
