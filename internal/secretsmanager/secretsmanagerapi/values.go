package secretsmanagerapi

import (
	"context"

	"github.com/quayside/quayside/internal/awserr"
	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/secretsmanager"
	"github.com/quayside/quayside/internal/wire"
	sw "github.com/quayside/quayside/internal/wire/secretsmanagerwire"
)

func (a *API) createSecret(ctx context.Context, in *sw.CreateSecretRequest) (*sw.CreateSecretResponse, error) {
	v, err := value(in.SecretString, in.SecretBinary)
	if err != nil {
		return nil, err
	}
	var replicas []secretsmanager.Replica
	for _, r := range in.AddReplicaRegions {
		replicas = append(replicas, secretsmanager.Replica{Region: wire.ToString(r.Region), KmsKeyID: wire.ToString(r.KmsKeyId)})
	}
	w, err := a.m.Create(ctx, scope(ctx), secretsmanager.CreateInput{
		Name: wire.ToString(in.Name), Description: wire.ToString(in.Description), KmsKeyID: wire.ToString(in.KmsKeyId),
		Type: wire.ToString(in.Type), Token: wire.ToString(in.ClientRequestToken), Value: v, Tags: fromTags(in.Tags), Replicas: replicas,
	})
	if err != nil {
		return nil, err
	}
	return &sw.CreateSecretResponse{ARN: wire.String(w.Secret.ARN), Name: wire.String(w.Secret.Name),
		VersionId: opt(w.VersionID), ReplicationStatus: replication(&w.Secret)}, nil
}

func toValue(g secretsmanager.Got) sw.SecretValueEntry {
	return sw.SecretValueEntry{ARN: wire.String(g.ARN), Name: wire.String(g.Name), VersionId: wire.String(g.VersionID),
		SecretString: g.Value.String, SecretBinary: g.Value.Binary, VersionStages: g.Stages, CreatedDate: date(g.Created)}
}

func (a *API) getSecretValue(ctx context.Context, in *sw.GetSecretValueRequest) (*sw.GetSecretValueResponse, error) {
	g, err := a.m.GetValue(ctx, scope(ctx), wire.ToString(in.SecretId), wire.ToString(in.VersionId), wire.ToString(in.VersionStage))
	if err != nil {
		return nil, err
	}
	e := toValue(g)
	return &sw.GetSecretValueResponse{ARN: e.ARN, Name: e.Name, VersionId: e.VersionId, SecretString: e.SecretString,
		SecretBinary: e.SecretBinary, VersionStages: e.VersionStages, CreatedDate: e.CreatedDate}, nil
}

func (a *API) batchGetSecretValue(ctx context.Context, in *sw.BatchGetSecretValueRequest) (*sw.BatchGetSecretValueResponse, error) {
	if (len(in.SecretIdList) > 0) == (len(in.Filters) > 0) {
		return nil, fault.New(secretsmanager.ErrInvalidParameter, "Either SecretIdList or Filters must be specified, but not both.")
	}
	if in.MaxResults != nil && len(in.SecretIdList) > 0 {
		return nil, fault.New(secretsmanager.ErrInvalidParameter, "MaxResults can only be used with Filters, not with SecretIdList.")
	}
	s := scope(ctx)
	ids := in.SecretIdList
	var next string
	if len(in.Filters) > 0 {
		max := 20
		if in.MaxResults != nil {
			max = int(*in.MaxResults)
		}
		secs, n, err := a.m.List(ctx, s, secretsmanager.ListQuery{Filters: fromFilters(in.Filters), Max: max, Token: wire.ToString(in.NextToken)})
		if err != nil {
			return nil, err
		}
		next = n
		for _, sec := range secs {
			ids = append(ids, sec.ARN)
		}
	}
	results, err := a.m.BatchGet(ctx, s, ids)
	if err != nil {
		return nil, err
	}
	out := &sw.BatchGetSecretValueResponse{SecretValues: []sw.SecretValueEntry{}, Errors: []sw.APIErrorType{}, NextToken: opt(next)}
	for _, r := range results {
		if r.Err != nil {
			res := awserr.Resolve("secretsmanager", r.Err)
			out.Errors = append(out.Errors, sw.APIErrorType{SecretId: wire.String(r.SecretID), ErrorCode: wire.String(res.Code), Message: wire.String(res.Message)})
			continue
		}
		out.SecretValues = append(out.SecretValues, toValue(r.Got))
	}
	return out, nil
}

func (a *API) putSecretValue(ctx context.Context, in *sw.PutSecretValueRequest) (*sw.PutSecretValueResponse, error) {
	v, err := value(in.SecretString, in.SecretBinary)
	if err != nil {
		return nil, err
	}
	w, err := a.m.PutValue(ctx, scope(ctx), secretsmanager.PutInput{SecretID: wire.ToString(in.SecretId),
		Token: wire.ToString(in.ClientRequestToken), Value: v, Stages: in.VersionStages})
	if err != nil {
		return nil, err
	}
	return &sw.PutSecretValueResponse{ARN: wire.String(w.Secret.ARN), Name: wire.String(w.Secret.Name),
		VersionId: wire.String(w.VersionID), VersionStages: w.Stages}, nil
}

func (a *API) updateSecret(ctx context.Context, in *sw.UpdateSecretRequest) (*sw.UpdateSecretResponse, error) {
	v, err := value(in.SecretString, in.SecretBinary)
	if err != nil {
		return nil, err
	}
	w, err := a.m.Update(ctx, scope(ctx), secretsmanager.UpdateInput{SecretID: wire.ToString(in.SecretId),
		Token: wire.ToString(in.ClientRequestToken), Description: in.Description, KmsKeyID: in.KmsKeyId, Type: in.Type, Value: v})
	if err != nil {
		return nil, err
	}
	return &sw.UpdateSecretResponse{ARN: wire.String(w.Secret.ARN), Name: wire.String(w.Secret.Name), VersionId: opt(w.VersionID)}, nil
}

func (a *API) updateSecretVersionStage(ctx context.Context, in *sw.UpdateSecretVersionStageRequest) (*sw.UpdateSecretVersionStageResponse, error) {
	sec, err := a.m.UpdateStage(ctx, scope(ctx), secretsmanager.StageInput{SecretID: wire.ToString(in.SecretId),
		Stage: wire.ToString(in.VersionStage), RemoveFromID: wire.ToString(in.RemoveFromVersionId), MoveToID: wire.ToString(in.MoveToVersionId)})
	if err != nil {
		return nil, err
	}
	return &sw.UpdateSecretVersionStageResponse{ARN: wire.String(sec.ARN), Name: wire.String(sec.Name)}, nil
}
