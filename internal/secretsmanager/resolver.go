package secretsmanager

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/secretbox"
	"github.com/quayside/quayside/internal/store"
)

// ECSReasonPrefix is what ECS writes before a resolution error's text in
// a task's stoppedReason (see ECSStoppedReason).
const ECSReasonPrefix = "unable to retrieve secret from asm: "

// ECSStoppedReason is the task stoppedReason for a failed resolution.
func ECSStoppedReason(err error) string {
	return "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: " +
		ECSReasonPrefix + err.Error()
}

// Reference is a parsed secret valueFrom:
//
//	arn:aws:secretsmanager:<region>:<account>:secret:<name>[:<json-key>:<version-stage>:<version-id>]
//
// or a bare secret name or ID.
type Reference struct {
	SecretID     string // the secret's ARN (or name) without the suffix fields
	Region       string // from the ARN; "" for a name
	Account      string
	JSONKey      string
	VersionStage string
	VersionID    string
}

// ParseReference parses a valueFrom as the ECS agent does. Its error text
// is ECS's (after ECSReasonPrefix).
func ParseReference(valueFrom string) (Reference, error) {
	if !strings.HasPrefix(valueFrom, "arn:") {
		return Reference{SecretID: valueFrom}, nil
	}
	parts := strings.Split(valueFrom, ":")
	if (len(parts) != 7 && len(parts) != 10) || parts[2] != "secretsmanager" || parts[5] != "secret" || parts[6] == "" {
		return Reference{}, fmt.Errorf("trying to retrieve secret with value %s resulted in error: an invalid ARN format for the "+
			"AWS Secrets Manager secret was specified. Specify a valid ARN and try again.", valueFrom)
	}
	r := Reference{SecretID: strings.Join(parts[:7], ":"), Region: parts[3], Account: parts[4]}
	if len(parts) == 10 {
		r.JSONKey, r.VersionStage, r.VersionID = parts[7], parts[8], parts[9]
	}
	if r.VersionStage != "" && r.VersionID != "" {
		return Reference{}, fmt.Errorf("trying to retrieve secret with value %s resulted in error: specify either a version-stage "+
			"or a version-id, not both", valueFrom)
	}
	return r, nil
}

// Resolver fetches secret values for task start, as the ECS agent does.
type Resolver struct{ m *Manager }

// NewResolver returns a resolver over the store.
func NewResolver(st store.Store, box *secretbox.Box) *Resolver {
	return &Resolver{m: New(st, box, Options{})}
}

// Get returns the AWSCURRENT SecretString of a secret named by name, ARN
// or partial ARN.
func (r *Resolver) Get(ctx context.Context, region, account, secretID string) (string, error) {
	return r.Resolve(ctx, region, account, secretID)
}

// Resolve returns the value a task definition's valueFrom names: the
// secret's SecretString (AWSCURRENT unless a stage or version ID is
// given), or one key of it when it is a JSON object. An ARN's region and
// account win over the arguments. Errors carry ECS's text after
// ECSReasonPrefix, and never the secret's value.
func (r *Resolver) Resolve(ctx context.Context, region, account, valueFrom string) (string, error) {
	ref, err := ParseReference(valueFrom)
	if err != nil {
		return "", err
	}
	s := Scope{Region: region, Account: account}
	if ref.Region != "" {
		s = Scope{Region: ref.Region, Account: ref.Account}
	}
	g, err := r.m.GetValue(ctx, s, ref.SecretID, ref.VersionID, ref.VersionStage)
	if err != nil {
		return "", fmt.Errorf("service call has been retried 1 time(s): failed to fetch secret %s from secrets manager: %s",
			ref.SecretID, describe(err))
	}
	str := ""
	if g.Value.String != nil {
		str = *g.Value.String
	}
	if ref.JSONKey == "" {
		return str, nil
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(str), &m); err != nil {
		// The decoder's message would quote the value; say why without it.
		return "", fmt.Errorf("retrieved secret from Secrets Manager is not a JSON object, so it has no json key %s", ref.JSONKey)
	}
	v, ok := m[ref.JSONKey]
	if !ok {
		return "", fmt.Errorf("retrieved secret from Secrets Manager did not contain json key %s", ref.JSONKey)
	}
	return fmt.Sprintf("%v", v), nil
}

// describe renders an error as the AWS SDK does: "Code: message".
func describe(err error) string {
	msg, ok := fault.Message(err)
	if !ok {
		return "InternalServiceError: An error occurred on the server side."
	}
	return exceptionCode(err) + ": " + msg
}

// exceptionCode is the AWS exception of a kind. It must agree with the
// awserr table; a test checks that it does.
func exceptionCode(err error) string {
	for _, c := range []struct {
		kind *fault.Kind
		code string
	}{
		{ErrResourceNotFound, "ResourceNotFoundException"},
		{ErrResourceExists, "ResourceExistsException"},
		{ErrInvalidParameter, "InvalidParameterException"},
		{ErrInvalidRequest, "InvalidRequestException"},
		{ErrLimitExceeded, "LimitExceededException"},
		{ErrValidation, "ValidationException"},
		{ErrInvalidNextToken, "InvalidNextTokenException"},
		{ErrEncryption, "EncryptionFailure"},
		{ErrDecryption, "DecryptionFailure"},
	} {
		if errors.Is(err, c.kind) {
			return c.code
		}
	}
	return "InternalServiceError"
}
