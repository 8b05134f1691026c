package ssmapi

import (
	"context"

	"github.com/quayside/quayside/internal/awserr"
	"github.com/quayside/quayside/internal/ssm"
	"github.com/quayside/quayside/internal/wire"
	"github.com/quayside/quayside/internal/wire/ssmwire"
)

func (a *API) putParameter(ctx context.Context, in *ssmwire.PutParameterRequest) (*ssmwire.PutParameterResult, error) {
	if wire.ToString(in.Value) == "" {
		return nil, awserr.Violations([]wire.Violation{{Field: "Value", Rule: "minlen", Limit: "1"}})
	}
	v, err := a.ps.Put(ctx, scope(ctx), ssm.PutInput{
		Name:           wire.ToString(in.Name),
		Value:          wire.ToString(in.Value),
		Type:           wire.ToString(in.Type),
		KeyID:          wire.ToString(in.KeyId),
		Description:    wire.ToString(in.Description),
		AllowedPattern: in.AllowedPattern,
		Overwrite:      wire.ToBool(in.Overwrite),
		Tags:           fromTags(in.Tags),
		Tier:           wire.ToString(in.Tier),
		Policies:       wire.ToString(in.Policies),
		DataType:       wire.ToString(in.DataType),
		User:           caller(ctx),
	})
	if err != nil {
		return nil, err
	}
	return &ssmwire.PutParameterResult{Version: wire.Int64(v.Version), Tier: wire.String(v.Tier)}, nil
}

func (a *API) getParameter(ctx context.Context, in *ssmwire.GetParameterRequest) (*ssmwire.GetParameterResult, error) {
	f, err := a.ps.Get(ctx, scope(ctx), wire.ToString(in.Name))
	if err != nil {
		return nil, err
	}
	p, err := a.toParameter(f, wire.ToBool(in.WithDecryption))
	if err != nil {
		return nil, err
	}
	return &ssmwire.GetParameterResult{Parameter: &p}, nil
}

func (a *API) getParameters(ctx context.Context, in *ssmwire.GetParametersRequest) (*ssmwire.GetParametersResult, error) {
	found, invalid, err := a.ps.GetMany(ctx, scope(ctx), in.Names)
	if err != nil {
		return nil, err
	}
	out := &ssmwire.GetParametersResult{Parameters: []ssmwire.Parameter{}, InvalidParameters: invalid}
	if invalid == nil {
		out.InvalidParameters = []string{}
	}
	for _, f := range found {
		p, err := a.toParameter(f, wire.ToBool(in.WithDecryption))
		if err != nil {
			return nil, err
		}
		out.Parameters = append(out.Parameters, p)
	}
	return out, nil
}

func (a *API) getParametersByPath(ctx context.Context, in *ssmwire.GetParametersByPathRequest) (*ssmwire.GetParametersByPathResult, error) {
	found, next, err := a.ps.ByPath(ctx, scope(ctx), ssm.PathQuery{
		Path:      wire.ToString(in.Path),
		Recursive: wire.ToBool(in.Recursive),
		Filters:   fromFilters(in.ParameterFilters),
		Max:       maxResults(in.MaxResults, 10),
		Token:     wire.ToString(in.NextToken),
	})
	if err != nil {
		return nil, err
	}
	out := &ssmwire.GetParametersByPathResult{Parameters: []ssmwire.Parameter{}, NextToken: optString(next)}
	for _, f := range found {
		p, err := a.toParameter(f, wire.ToBool(in.WithDecryption))
		if err != nil {
			return nil, err
		}
		out.Parameters = append(out.Parameters, p)
	}
	return out, nil
}

func (a *API) deleteParameter(ctx context.Context, in *ssmwire.DeleteParameterRequest) (*ssmwire.DeleteParameterResult, error) {
	return nil, a.ps.Delete(ctx, scope(ctx), wire.ToString(in.Name))
}

func (a *API) deleteParameters(ctx context.Context, in *ssmwire.DeleteParametersRequest) (*ssmwire.DeleteParametersResult, error) {
	deleted, invalid, err := a.ps.DeleteMany(ctx, scope(ctx), in.Names)
	if err != nil {
		return nil, err
	}
	if deleted == nil {
		deleted = []string{}
	}
	if invalid == nil {
		invalid = []string{}
	}
	return &ssmwire.DeleteParametersResult{DeletedParameters: deleted, InvalidParameters: invalid}, nil
}
