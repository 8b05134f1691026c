package ecsapi

import (
	"context"
	"slices"
	"strconv"

	"github.com/quayside/quayside/internal/ecs"
	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/protocol/awsjson"
	"github.com/quayside/quayside/internal/store"
	"github.com/quayside/quayside/internal/wire"
	"github.com/quayside/quayside/internal/wire/ecswire"
)

// Capacity providers. Only the built-in FARGATE and FARGATE_SPOT exist
// so far; they are the same in every account and region and are not
// stored.

func (a *API) mountCapacityProviders(s *awsjson.Service) {
	awsjson.Handle(s, "DescribeCapacityProviders", a.describeCapacityProviders)
}

func (a *API) describeCapacityProviders(ctx context.Context, in *ecswire.DescribeCapacityProvidersRequest) (*ecswire.DescribeCapacityProvidersResponse, error) {
	limit, err := pageSize(in.MaxResults, 10, 10)
	if err != nil {
		return nil, err
	}
	tok, err := decodeToken(in.NextToken)
	if err != nil {
		return nil, err
	}
	offset := 0
	if tok != "" {
		if offset, err = strconv.Atoi(tok); err != nil || offset < 0 {
			return nil, fault.New(ecs.ErrInvalidParameter, "Invalid nextToken: pass the nextToken value from the previous response unchanged.")
		}
	}
	if len(in.CapacityProviders) > 100 {
		// message not confirmed
		return nil, fault.New(ecs.ErrInvalidParameter, "capacityProviders cannot have more than 100 elements")
	}
	s := scope(ctx)
	builtins := ecs.BuiltinCapacityProviders(s.Region, s.Account)
	var (
		found    []ecs.CapacityProvider
		failures = []ecswire.Failure{}
	)
	if len(in.CapacityProviders) == 0 {
		found = builtins
	}
	for _, ref := range in.CapacityProviders {
		r, err := ecs.ParseCapacityProviderRef(ref)
		if err != nil {
			return nil, err
		}
		if err := r.Check(s.Region, s.Account); err != nil {
			return nil, err
		}
		i := slices.IndexFunc(builtins, func(p ecs.CapacityProvider) bool { return p.Name == r.Name })
		if i < 0 {
			arn := ref
			if !ecs.IsARN(ref) {
				arn = ecs.CapacityProviderARN(s.Region, s.Account, r.Name)
			}
			failures = append(failures, ecswire.Failure{Arn: wire.String(arn), Reason: wire.String("MISSING")})
			continue
		}
		found = append(found, builtins[i])
	}
	if in.Cluster != nil {
		name, err := clusterName(ctx, in.Cluster)
		if err != nil {
			return nil, err
		}
		var attached []string
		err = a.store.View(ctx, func(tx store.ReadTx) error {
			c, err := activeCluster(tx, s, name)
			attached = c.CapacityProviders
			return err
		})
		if err != nil {
			return nil, err
		}
		found = slices.DeleteFunc(found, func(p ecs.CapacityProvider) bool { return !slices.Contains(attached, p.Name) })
	}
	if offset > 0 {
		failures = []ecswire.Failure{} // reported with the first page
	}
	tags := slices.Contains(in.Include, ecswire.CapacityProviderFieldTags)
	out := &ecswire.DescribeCapacityProvidersResponse{CapacityProviders: []ecswire.CapacityProvider{}, Failures: failures}
	for i := offset; i < len(found); i++ {
		if len(out.CapacityProviders) == limit {
			out.NextToken = encodeToken(strconv.Itoa(i))
			break
		}
		out.CapacityProviders = append(out.CapacityProviders, capacityProviderToWire(found[i], tags))
	}
	return out, nil
}

func capacityProviderToWire(p ecs.CapacityProvider, tags bool) ecswire.CapacityProvider {
	w := ecswire.CapacityProvider{
		CapacityProviderArn: wire.String(p.ARN), Name: wire.String(p.Name), Status: wire.String(string(p.Status)),
		Cluster: optString(p.Cluster), Type: optString(string(p.Type)),
		UpdateStatus: optString(p.UpdateStatus), UpdateStatusReason: optString(p.UpdateStatusReason),
	}
	if tags {
		w.Tags = tagsToWire(p.Tags)
	}
	return w
}
