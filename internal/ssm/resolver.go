package ssm

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/quayside/quayside/internal/secretbox"
	"github.com/quayside/quayside/internal/store"
)

// ECSReasonPrefix is what ECS writes before a ResolveError's text in a
// task's stoppedReason:
//
//	"ResourceInitializationError: unable to pull secrets or registry auth: " +
//	"execution resource retrieval failed: " + ECSReasonPrefix + err.Error()
const ECSReasonPrefix = "unable to retrieve secrets from ssm: "

// ECSStoppedReason is the task stoppedReason for a failed resolution.
func ECSStoppedReason(err error) string {
	return "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: " +
		ECSReasonPrefix + err.Error()
}

// Resolver fetches decrypted parameter values for task start, as the ECS
// agent does with GetParameters(WithDecryption=true).
type Resolver struct{ ps *ParameterStore }

// NewResolver returns a resolver over the store.
func NewResolver(st store.Store, box *secretbox.Box) *Resolver {
	return &Resolver{ps: NewParameterStore(st, box, nil)}
}

// ResolveError says which references did not resolve. Its text is ECS's,
// without the prefix (see ECSReasonPrefix), e.g.
//
//	service call has been retried 1 time(s): invalid ssm parameters: /app/db-url
type ResolveError struct {
	Invalid []string // the references that don't exist, as given
	Err     error    // set instead of Invalid when the lookup itself failed
}

func (e *ResolveError) Error() string {
	if e.Err != nil {
		return "service call has been retried 1 time(s): " + e.Err.Error()
	}
	return "service call has been retried 1 time(s): invalid ssm parameters: " + strings.Join(e.Invalid, ",")
}

func (e *ResolveError) Unwrap() error { return e.Err }

// Get returns the decrypted value of one parameter: a name, an ARN
// (whose region and account win over the arguments), either with an
// optional :version or :label selector.
func (r *Resolver) Get(ctx context.Context, region, account, ref string) (string, error) {
	vals, err := r.GetAll(ctx, region, account, []string{ref})
	if err != nil {
		return "", err
	}
	return vals[ref], nil
}

// GetAll resolves several references in one consistent read and returns
// their values keyed by reference. If any does not resolve, it returns a
// *ResolveError naming all that don't, and no values.
func (r *Resolver) GetAll(ctx context.Context, region, account string, refs []string) (map[string]string, error) {
	s := Scope{Region: region, Account: account}
	found, invalid, err := r.ps.GetMany(ctx, s, refs)
	if err != nil {
		return nil, &ResolveError{Err: errors.New("failed to read the parameters")}
	}
	if len(invalid) > 0 {
		return nil, &ResolveError{Invalid: invalid}
	}
	out := make(map[string]string, len(refs))
	for i, ref := range uniq(refs) {
		f := found[i]
		v, err := r.ps.Value(f)
		if err != nil {
			return nil, &ResolveError{Err: fmt.Errorf("failed to decrypt parameter %s", f.Name)}
		}
		out[ref] = v
	}
	return out, nil
}

// uniq is refs without repeats, in order, as GetMany reads them.
func uniq(refs []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, r := range refs {
		if !seen[r] {
			seen[r] = true
			out = append(out, r)
		}
	}
	return out
}
