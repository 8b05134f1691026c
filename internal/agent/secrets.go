package agent

import (
	"context"
	"encoding/json"
	"errors"
	"strings"

	"github.com/quayside/quayside/internal/docker"
	"github.com/quayside/quayside/internal/ecs"
)

// Secrets resolves what a task needs from SSM Parameter Store and Secrets
// Manager at start, as ECS does with the task execution role. valueFrom
// is an SSM parameter name or ARN, or a Secrets Manager ARN (optionally
// with :json-key:version-stage:version-id). The text of an error is the
// task's stoppedReason (ResourceInitializationError: ...).
type Secrets interface {
	Resolve(ctx context.Context, region, account, valueFrom string) (string, error)
}

// resolveSecrets fetches the values of a container's secrets, by
// environment variable name. The values are never logged.
func (r *runner) resolveSecrets(ctx context.Context, c ecs.ContainerDefinition) (map[string]string, error) {
	if len(c.Secrets) == 0 {
		return nil, nil
	}
	if r.a.cfg.Secrets == nil {
		return nil, errors.New("ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: this Quayside has no secret store configured")
	}
	region, account := r.scope()
	out := make(map[string]string, len(c.Secrets))
	for _, s := range c.Secrets {
		v, err := r.a.cfg.Secrets.Resolve(ctx, region, account, s.ValueFrom)
		if err != nil {
			return nil, err
		}
		out[s.Name] = v
	}
	return out, nil
}

// resolveLogSecrets fetches a container's logConfiguration secretOptions,
// which ECS passes to the log driver as options; a failure stops the task
// as a failed secret does.
func (r *runner) resolveLogSecrets(ctx context.Context, c ecs.ContainerDefinition) (map[string]string, error) {
	if c.LogConfiguration == nil || len(c.LogConfiguration.SecretOptions) == 0 {
		return nil, nil
	}
	return r.resolveSecrets(ctx, ecs.ContainerDefinition{Secrets: c.LogConfiguration.SecretOptions})
}

// withLogSecrets returns c with its resolved secretOptions merged into its
// log options, as the log driver sees them.
func (r *runner) withLogSecrets(c ecs.ContainerDefinition) ecs.ContainerDefinition {
	extra := r.logSecrets[c.Name]
	if len(extra) == 0 || c.LogConfiguration == nil {
		return c
	}
	lc := *c.LogConfiguration
	lc.Options = make(map[string]string, len(c.LogConfiguration.Options)+len(extra))
	for k, v := range c.LogConfiguration.Options {
		lc.Options[k] = v
	}
	for k, v := range extra {
		lc.Options[k] = v
	}
	c.LogConfiguration = &lc
	return c
}

// repositoryAuth is the private registry login of a container whose
// definition names repositoryCredentials: a Secrets Manager secret
// holding {"username": ..., "password": ...}.
func (r *runner) repositoryAuth(ctx context.Context, c ecs.ContainerDefinition) (*docker.AuthConfig, error) {
	if c.RepositoryCredentials == nil || c.RepositoryCredentials.CredentialsParameter == "" {
		return nil, nil
	}
	if r.a.cfg.Secrets == nil {
		return nil, errors.New("ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: this Quayside has no secret store configured")
	}
	region, account := r.scope()
	v, err := r.a.cfg.Secrets.Resolve(ctx, region, account, c.RepositoryCredentials.CredentialsParameter)
	if err != nil {
		return nil, err
	}
	var creds struct {
		Username string `json:"username"`
		Password string `json:"password"`
	}
	if err := json.Unmarshal([]byte(v), &creds); err != nil || creds.Username == "" {
		return nil, errors.New("ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: " +
			"the repositoryCredentials secret must be a JSON object with \"username\" and \"password\"")
	}
	host := "docker.io"
	if hasRegistry(c.Image) {
		host, _, _ = strings.Cut(c.Image, "/")
	}
	return &docker.AuthConfig{Username: creds.Username, Password: creds.Password, ServerAddress: host}, nil
}

// scope is the region and account of the task, from its ARN.
func (r *runner) scope() (region, account string) { return arnScope(r.task.ARN) }
