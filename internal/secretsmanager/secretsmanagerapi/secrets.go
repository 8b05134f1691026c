package secretsmanagerapi

import (
	"context"

	"github.com/quayside/quayside/internal/secretsmanager"
	"github.com/quayside/quayside/internal/wire"
	sw "github.com/quayside/quayside/internal/wire/secretsmanagerwire"
)

func (a *API) describeSecret(ctx context.Context, in *sw.DescribeSecretRequest) (*sw.DescribeSecretResponse, error) {
	s := scope(ctx)
	sec, err := a.m.Describe(ctx, s, wire.ToString(in.SecretId))
	if err != nil {
		return nil, err
	}
	return describe(s, &sec), nil
}

func (a *API) listSecrets(ctx context.Context, in *sw.ListSecretsRequest) (*sw.ListSecretsResponse, error) {
	s := scope(ctx)
	max := 100
	if in.MaxResults != nil {
		max = int(*in.MaxResults)
	}
	secs, next, err := a.m.List(ctx, s, secretsmanager.ListQuery{Filters: fromFilters(in.Filters), IncludePlannedDeletion: wire.ToBool(in.IncludePlannedDeletion),
		SortBy: wire.ToString(in.SortBy), SortOrder: wire.ToString(in.SortOrder), Max: max, Token: wire.ToString(in.NextToken)})
	if err != nil {
		return nil, err
	}
	out := &sw.ListSecretsResponse{SecretList: []sw.SecretListEntry{}, NextToken: opt(next)}
	for i := range secs {
		out.SecretList = append(out.SecretList, listEntry(s, &secs[i]))
	}
	return out, nil
}

func (a *API) listSecretVersionIds(ctx context.Context, in *sw.ListSecretVersionIdsRequest) (*sw.ListSecretVersionIdsResponse, error) {
	max := 100
	if in.MaxResults != nil {
		max = int(*in.MaxResults)
	}
	p, err := a.m.ListVersions(ctx, scope(ctx), wire.ToString(in.SecretId), wire.ToBool(in.IncludeDeprecated), max, wire.ToString(in.NextToken))
	if err != nil {
		return nil, err
	}
	key := p.Secret.KmsKeyID
	if key == "" {
		key = "DefaultEncryptionKey"
	}
	out := &sw.ListSecretVersionIdsResponse{ARN: wire.String(p.Secret.ARN), Name: wire.String(p.Secret.Name),
		Versions: []sw.SecretVersionsListEntry{}, NextToken: opt(p.Next)}
	for _, v := range p.Versions {
		out.Versions = append(out.Versions, sw.SecretVersionsListEntry{VersionId: wire.String(v.ID), VersionStages: secretsmanager.Stages(v),
			LastAccessedDate: date(v.LastAccessed), CreatedDate: date(v.Created), KmsKeyIds: []string{key}})
	}
	return out, nil
}

func (a *API) deleteSecret(ctx context.Context, in *sw.DeleteSecretRequest) (*sw.DeleteSecretResponse, error) {
	d, err := a.m.Delete(ctx, scope(ctx), wire.ToString(in.SecretId), in.RecoveryWindowInDays, wire.ToBool(in.ForceDeleteWithoutRecovery))
	if err != nil {
		return nil, err
	}
	return &sw.DeleteSecretResponse{ARN: wire.String(d.ARN), Name: wire.String(d.Name), DeletionDate: date(d.DeletionDate)}, nil
}

func (a *API) restoreSecret(ctx context.Context, in *sw.RestoreSecretRequest) (*sw.RestoreSecretResponse, error) {
	sec, err := a.m.Restore(ctx, scope(ctx), wire.ToString(in.SecretId))
	if err != nil {
		return nil, err
	}
	return &sw.RestoreSecretResponse{ARN: wire.String(sec.ARN), Name: wire.String(sec.Name)}, nil
}

func (a *API) tagResource(ctx context.Context, in *sw.TagResourceRequest) (*struct{}, error) {
	return nil, a.m.Tag(ctx, scope(ctx), wire.ToString(in.SecretId), fromTags(in.Tags))
}

func (a *API) untagResource(ctx context.Context, in *sw.UntagResourceRequest) (*struct{}, error) {
	return nil, a.m.Untag(ctx, scope(ctx), wire.ToString(in.SecretId), in.TagKeys)
}

func (a *API) getRandomPassword(ctx context.Context, in *sw.GetRandomPasswordRequest) (*sw.GetRandomPasswordResponse, error) {
	pw, err := a.m.RandomPassword(secretsmanager.PasswordInput{
		Length: in.PasswordLength, ExcludeCharacters: wire.ToString(in.ExcludeCharacters),
		ExcludeNumbers: wire.ToBool(in.ExcludeNumbers), ExcludePunctuation: wire.ToBool(in.ExcludePunctuation),
		ExcludeUppercase: wire.ToBool(in.ExcludeUppercase), ExcludeLowercase: wire.ToBool(in.ExcludeLowercase),
		IncludeSpace: wire.ToBool(in.IncludeSpace), RequireEachIncludedType: in.RequireEachIncludedType,
	})
	if err != nil {
		return nil, err
	}
	return &sw.GetRandomPasswordResponse{RandomPassword: wire.String(pw)}, nil
}
