package ecrapi

import (
	"context"
	"encoding/json"
	"io"
	"strings"

	"github.com/quayside/quayside/internal/ecr"
	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/protocol/awsjson"
	"github.com/quayside/quayside/internal/wire"
	"github.com/quayside/quayside/internal/wire/ecrwire"
)

type (
	setRepositoryPolicyIn struct {
		ecrwire.SetRepositoryPolicyRequest
		unchecked
	}
	getRepositoryPolicyIn struct {
		ecrwire.GetRepositoryPolicyRequest
		unchecked
	}
	deleteRepositoryPolicyIn struct {
		ecrwire.DeleteRepositoryPolicyRequest
		unchecked
	}
)

func (a *API) mountPolicy(s *awsjson.Service) {
	handle(a, s, "SetRepositoryPolicy", a.setRepositoryPolicy)
	handle(a, s, "GetRepositoryPolicy", a.getRepositoryPolicy)
	handle(a, s, "DeleteRepositoryPolicy", a.deleteRepositoryPolicy)
}

// setRepositoryPolicy stores a repository policy, kept as given after it
// is checked as a resource policy document. Quayside does not enforce
// repository policies (it has no IAM principals yet); they are stored and
// returned, as Terraform and the CLI expect.
func (a *API) setRepositoryPolicy(ctx context.Context, c *call, in *setRepositoryPolicyIn) (*ecrwire.SetRepositoryPolicyResponse, error) {
	text := str(in.PolicyText)
	if err := validatePolicy(text); err != nil {
		return nil, err
	}
	r, err := a.updateRepository(ctx, c, str(in.RepositoryName), func(r *ecr.Repository) error {
		r.PolicyText = text
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &ecrwire.SetRepositoryPolicyResponse{RegistryId: c.registryID(), RepositoryName: wire.String(r.Name), PolicyText: wire.String(r.PolicyText)}, nil
}

func (a *API) getRepositoryPolicy(ctx context.Context, c *call, in *getRepositoryPolicyIn) (*ecrwire.GetRepositoryPolicyResponse, error) {
	r, err := a.repository(ctx, c, str(in.RepositoryName))
	if err != nil {
		return nil, err
	}
	if r.PolicyText == "" {
		return nil, fault.Newf(ecr.ErrRepositoryPolicyNotFound, ecr.MsgRepositoryPolicyNotFound, r.Name, c.scope.Account)
	}
	return &ecrwire.GetRepositoryPolicyResponse{RegistryId: c.registryID(), RepositoryName: wire.String(r.Name), PolicyText: wire.String(r.PolicyText)}, nil
}

func (a *API) deleteRepositoryPolicy(ctx context.Context, c *call, in *deleteRepositoryPolicyIn) (*ecrwire.DeleteRepositoryPolicyResponse, error) {
	var old string
	r, err := a.updateRepository(ctx, c, str(in.RepositoryName), func(r *ecr.Repository) error {
		if r.PolicyText == "" {
			return fault.Newf(ecr.ErrRepositoryPolicyNotFound, ecr.MsgRepositoryPolicyNotFound, r.Name, c.scope.Account)
		}
		old, r.PolicyText = r.PolicyText, ""
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &ecrwire.DeleteRepositoryPolicyResponse{RegistryId: c.registryID(), RepositoryName: wire.String(r.Name), PolicyText: wire.String(old)}, nil
}

// validatePolicy checks a repository policy's shape: a JSON object with
// an optional Version (2012-10-17 or 2008-10-17) and Id, and a Statement
// (one object or a non-empty list) whose every statement has an Effect
// of Allow or Deny, a Principal or NotPrincipal, and an Action or
// NotAction. Anything else is ECR's "Invalid repository policy provided".
func validatePolicy(text string) error {
	bad := ecr.InvalidParameter("PolicyText", "Invalid repository policy provided")
	dec := json.NewDecoder(strings.NewReader(text))
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil || doc == nil {
		return bad
	}
	if _, err := dec.Token(); err != io.EOF {
		return bad
	}
	for k, v := range doc {
		switch k {
		case "Version":
			if v != "2012-10-17" && v != "2008-10-17" {
				return bad
			}
		case "Id":
			if _, ok := v.(string); !ok {
				return bad
			}
		case "Statement":
		default:
			return bad
		}
	}
	var stmts []any
	switch s := doc["Statement"].(type) {
	case map[string]any:
		stmts = []any{s}
	case []any:
		stmts = s
	}
	if len(stmts) == 0 {
		return bad
	}
	for _, s := range stmts {
		if !validStatement(s) {
			return bad
		}
	}
	return nil
}

func validStatement(v any) bool {
	st, ok := v.(map[string]any)
	if !ok {
		return false
	}
	allowed := map[string]bool{"Sid": true, "Effect": true, "Principal": true, "NotPrincipal": true,
		"Action": true, "NotAction": true, "Resource": true, "NotResource": true, "Condition": true}
	for k := range st {
		if !allowed[k] {
			return false
		}
	}
	if e := st["Effect"]; e != "Allow" && e != "Deny" {
		return false
	}
	_, p := st["Principal"]
	_, np := st["NotPrincipal"]
	if p == np {
		return false
	}
	a, hasA := st["Action"]
	na, hasNA := st["NotAction"]
	if hasA == hasNA {
		return false
	}
	if !hasA {
		a = na
	}
	return stringOrList(a)
}

func stringOrList(v any) bool {
	switch t := v.(type) {
	case string:
		return t != ""
	case []any:
		if len(t) == 0 {
			return false
		}
		for _, e := range t {
			if s, ok := e.(string); !ok || s == "" {
				return false
			}
		}
		return true
	}
	return false
}
