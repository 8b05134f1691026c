// Package tasksecrets resolves a task definition's secret references for
// the agent at task start: SSM parameters (by name or ARN) through
// ssm.Resolver and Secrets Manager ARNs (with the optional
// :json-key:version-stage:version-id suffix) through
// secretsmanager.Resolver. It satisfies the agent's Secrets interface:
//
//	agent.Config{Secrets: tasksecrets.New(store, box), ...}
//
// An error's text is the task's whole stoppedReason, in ECS's words:
//
//	ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed:
//	unable to retrieve secrets from ssm: service call has been retried 1 time(s): invalid ssm parameters: /app/db-url
//
//	ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed:
//	unable to retrieve secret from asm: retrieved secret from Secrets Manager did not contain json key password
//
// Values are never logged and never part of an error.
package tasksecrets

import (
	"context"
	"errors"
	"strings"

	"github.com/quayside/quayside/internal/secretbox"
	"github.com/quayside/quayside/internal/secretsmanager"
	"github.com/quayside/quayside/internal/ssm"
	"github.com/quayside/quayside/internal/store"
)

// Resolver resolves secret references of either store.
type Resolver struct {
	ssm *ssm.Resolver
	asm *secretsmanager.Resolver
}

// New returns a resolver over the store, opening values with box.
func New(st store.Store, box *secretbox.Box) *Resolver {
	return &Resolver{ssm: ssm.NewResolver(st, box), asm: secretsmanager.NewResolver(st, box)}
}

// Resolve returns the value valueFrom names, in the task's region and
// account unless valueFrom is an ARN of another.
func (r *Resolver) Resolve(ctx context.Context, region, account, valueFrom string) (string, error) {
	if IsSecretsManager(valueFrom) {
		v, err := r.asm.Resolve(ctx, region, account, valueFrom)
		if err != nil {
			return "", errors.New(secretsmanager.ECSStoppedReason(err))
		}
		return v, nil
	}
	v, err := r.ssm.Get(ctx, region, account, valueFrom)
	if err != nil {
		return "", errors.New(ssm.ECSStoppedReason(err))
	}
	return v, nil
}

// IsSecretsManager reports whether valueFrom names a Secrets Manager
// secret (an ARN of service secretsmanager); anything else is an SSM
// parameter name or ARN.
func IsSecretsManager(valueFrom string) bool {
	parts := strings.SplitN(valueFrom, ":", 4)
	return len(parts) == 4 && parts[0] == "arn" && parts[2] == "secretsmanager"
}
