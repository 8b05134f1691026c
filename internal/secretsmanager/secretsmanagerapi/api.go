// Package secretsmanagerapi serves AWS Secrets Manager over AWS JSON 1.1
// (target prefix secretsmanager): it turns secretsmanagerwire requests
// into calls on secretsmanager.Manager and the results back into wire
// responses.
//
// Handlers per concern: values.go (create, read, write, stages),
// secrets.go (describe, list, delete, restore, tags, passwords).
// Conversions live in convert.go. Errors are fault errors; awserr maps
// them to Secrets Manager's exceptions.
package secretsmanagerapi

import (
	"context"
	"io"
	"log/slog"
	"time"

	"github.com/quayside/quayside/internal/awsctx"
	"github.com/quayside/quayside/internal/protocol/awsjson"
	"github.com/quayside/quayside/internal/secretbox"
	"github.com/quayside/quayside/internal/secretsmanager"
	"github.com/quayside/quayside/internal/store"
	"github.com/quayside/quayside/internal/wire/secretsmanagerwire"
)

// Options configure the API.
type Options struct {
	Now  func() time.Time // default time.Now
	Rand io.Reader        // default crypto/rand
	Log  *slog.Logger     // for the purge sweep; default discard
}

// API serves Secrets Manager.
type API struct {
	m *secretsmanager.Manager
}

// New returns the API over a store, sealing values with box.
func New(st store.Store, box *secretbox.Box, o Options) *API {
	return &API{m: secretsmanager.New(st, box, secretsmanager.Options{Now: o.Now, Rand: o.Rand, Log: o.Log})}
}

// Run purges secrets whose recovery window has ended, until ctx ends: the
// server runs it as a controller.
func (a *API) Run(ctx context.Context) { a.m.Run(ctx) }

// Service returns the AWS JSON service with every supported operation.
func (a *API) Service() *awsjson.Service {
	s := awsjson.NewService("secretsmanager", secretsmanagerwire.TargetPrefix, secretsmanagerwire.JSONVersion, secretsmanagerwire.Operations)
	awsjson.Handle(s, "CreateSecret", a.createSecret)
	awsjson.Handle(s, "GetSecretValue", a.getSecretValue)
	awsjson.Handle(s, "BatchGetSecretValue", a.batchGetSecretValue)
	awsjson.Handle(s, "PutSecretValue", a.putSecretValue)
	awsjson.Handle(s, "UpdateSecret", a.updateSecret)
	awsjson.Handle(s, "UpdateSecretVersionStage", a.updateSecretVersionStage)
	awsjson.Handle(s, "DescribeSecret", a.describeSecret)
	awsjson.Handle(s, "ListSecrets", a.listSecrets)
	awsjson.Handle(s, "ListSecretVersionIds", a.listSecretVersionIds)
	awsjson.Handle(s, "DeleteSecret", a.deleteSecret)
	awsjson.Handle(s, "RestoreSecret", a.restoreSecret)
	awsjson.Handle(s, "TagResource", a.tagResource)
	awsjson.Handle(s, "UntagResource", a.untagResource)
	awsjson.Handle(s, "GetRandomPassword", a.getRandomPassword)
	return s
}

func scope(ctx context.Context) secretsmanager.Scope {
	m := awsctx.From(ctx)
	return secretsmanager.Scope{Region: m.Region, Account: m.Account}
}
