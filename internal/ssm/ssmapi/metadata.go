package ssmapi

import (
	"context"

	"github.com/quayside/quayside/internal/ssm"
	"github.com/quayside/quayside/internal/wire"
	"github.com/quayside/quayside/internal/wire/ssmwire"
)

func (a *API) describeParameters(ctx context.Context, in *ssmwire.DescribeParametersRequest) (*ssmwire.DescribeParametersResult, error) {
	legacy := make([]ssm.Filter, len(in.Filters))
	for i, f := range in.Filters {
		legacy[i] = ssm.Filter{Key: wire.ToString(f.Key), Values: f.Values}
	}
	s := scope(ctx)
	params, next, err := a.ps.Describe(ctx, s, ssm.DescribeQuery{
		Filters: fromFilters(in.ParameterFilters),
		Legacy:  legacy,
		Max:     maxResults(in.MaxResults, 10),
		Token:   wire.ToString(in.NextToken),
	})
	if err != nil {
		return nil, err
	}
	out := &ssmwire.DescribeParametersResult{Parameters: []ssmwire.ParameterMetadata{}, NextToken: optString(next)}
	for _, p := range params {
		out.Parameters = append(out.Parameters, toMetadata(s, p))
	}
	return out, nil
}

func (a *API) getParameterHistory(ctx context.Context, in *ssmwire.GetParameterHistoryRequest) (*ssmwire.GetParameterHistoryResult, error) {
	s := scope(ctx)
	h, err := a.ps.History(ctx, s, wire.ToString(in.Name), maxResults(in.MaxResults, 50), wire.ToString(in.NextToken))
	if err != nil {
		return nil, err
	}
	out := &ssmwire.GetParameterHistoryResult{Parameters: []ssmwire.ParameterHistory{}, NextToken: optString(h.Next)}
	for _, v := range h.Versions {
		ph, err := a.toHistory(ssm.Found{Scope: h.Scope, Name: h.Name, Version: v}, h.Labels[v.Version], wire.ToBool(in.WithDecryption))
		if err != nil {
			return nil, err
		}
		out.Parameters = append(out.Parameters, ph)
	}
	return out, nil
}

func (a *API) labelParameterVersion(ctx context.Context, in *ssmwire.LabelParameterVersionRequest) (*ssmwire.LabelParameterVersionResult, error) {
	v, invalid, err := a.ps.Label(ctx, scope(ctx), wire.ToString(in.Name), wire.ToInt64(in.ParameterVersion), in.Labels)
	if err != nil {
		return nil, err
	}
	if invalid == nil {
		invalid = []string{}
	}
	return &ssmwire.LabelParameterVersionResult{InvalidLabels: invalid, ParameterVersion: wire.Int64(v)}, nil
}

func (a *API) unlabelParameterVersion(ctx context.Context, in *ssmwire.UnlabelParameterVersionRequest) (*ssmwire.UnlabelParameterVersionResult, error) {
	removed, invalid, err := a.ps.Unlabel(ctx, scope(ctx), wire.ToString(in.Name), wire.ToInt64(in.ParameterVersion), in.Labels)
	if err != nil {
		return nil, err
	}
	if removed == nil {
		removed = []string{}
	}
	if invalid == nil {
		invalid = []string{}
	}
	return &ssmwire.UnlabelParameterVersionResult{RemovedLabels: removed, InvalidLabels: invalid}, nil
}
