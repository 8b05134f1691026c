package ecsapi

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/quayside/quayside/internal/ecs"
	"github.com/quayside/quayside/internal/ecs/ecsdb"
	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/store"
	"github.com/quayside/quayside/internal/wire"
	"github.com/quayside/quayside/internal/wire/ecswire"
)

// ListTaskDefinitions and ListTaskDefinitionFamilies read the status
// index of ecsdb in key order, which is AWS's order (family name, then
// revision; DESC scans it backwards), and stop at the end of the page. A
// page token is the last item a page returned.

func (a *API) listTaskDefinitions(ctx context.Context, in *ecswire.ListTaskDefinitionsRequest) (*ecswire.ListTaskDefinitionsResponse, error) {
	limit, err := pageSize(in.MaxResults, 100, 100)
	if err != nil {
		return nil, err
	}
	tok, err := decodeToken(in.NextToken)
	if err != nil {
		return nil, err
	}
	var after ecsdb.TaskDefinitionHead
	if tok != "" {
		if after, err = parseHeadToken(tok); err != nil {
			return nil, err
		}
	}
	status := ecs.TaskDefinitionStatus(wire.ToString(in.Status))
	if status == "" {
		status = ecs.TaskDefinitionActive
	}
	desc := wire.ToString(in.Sort) == ecswire.SortOrderDesc
	// familyPrefix names one whole family, as ECS documents: "web" does
	// not list "web-api".
	family := wire.ToString(in.FamilyPrefix)
	s := scope(ctx)
	prefix := taskDefinitionARNPrefix(s)
	var out *ecswire.ListTaskDefinitionsResponse
	err = a.viewIndexed(ctx, func(tx store.ReadTx) error {
		out = &ecswire.ListTaskDefinitionsResponse{TaskDefinitionArns: make([]string, 0, min(limit, 16))}
		var last ecsdb.TaskDefinitionHead
		arn := make([]byte, 0, 128)
		return ecsdb.ScanRevisions(tx, s, status, family, after, desc, func(h ecsdb.TaskDefinitionHead) error {
			if len(out.TaskDefinitionArns) == limit {
				out.NextToken = encodeToken(last.Family + ":" + strconv.Itoa(last.Revision))
				return store.ErrStop
			}
			arn = strconv.AppendInt(append(append(append(arn[:0], prefix...), h.Family...), ':'), int64(h.Revision), 10)
			out.TaskDefinitionArns = append(out.TaskDefinitionArns, string(arn))
			last = h
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// taskDefinitionARNPrefix is what the scope's task definition ARNs have
// before the family, so that a listing builds each ARN with one
// allocation.
func taskDefinitionARNPrefix(s ecsdb.Scope) string {
	return strings.TrimSuffix(ecs.TaskDefinitionARN(s.Region, s.Account, "f", 1), "f:1")
}

// viewIndexed runs fn in a View. A data file from before the task
// definition index has none until its first task definition write; then
// fn fails with ecsdb.ErrNoIndex, and viewIndexed builds the index and
// runs fn again.
func (a *API) viewIndexed(ctx context.Context, fn func(tx store.ReadTx) error) error {
	err := a.store.View(ctx, fn)
	if !errors.Is(err, ecsdb.ErrNoIndex) {
		return err
	}
	if err := a.store.Update(ctx, ecsdb.BuildTaskDefinitionIndex); err != nil {
		return err
	}
	return a.store.View(ctx, fn)
}

func parseHeadToken(tok string) (ecsdb.TaskDefinitionHead, error) {
	family, rev, ok := strings.Cut(tok, ":")
	n, err := strconv.Atoi(rev)
	if !ok || err != nil || family == "" {
		return ecsdb.TaskDefinitionHead{}, fault.New(ecs.ErrInvalidParameter, "Invalid nextToken: pass the nextToken value from the previous response unchanged.")
	}
	return ecsdb.TaskDefinitionHead{Family: family, Revision: n}, nil
}

func (a *API) listTaskDefinitionFamilies(ctx context.Context, in *ecswire.ListTaskDefinitionFamiliesRequest) (*ecswire.ListTaskDefinitionFamiliesResponse, error) {
	limit, err := pageSize(in.MaxResults, 100, 100)
	if err != nil {
		return nil, err
	}
	after, err := decodeToken(in.NextToken)
	if err != nil {
		return nil, err
	}
	status := wire.ToString(in.Status)
	if status == "" {
		// Both ACTIVE and INACTIVE families by default, as ECS documents.
		status = ecswire.TaskDefinitionFamilyStatusAll
	}
	which := ecsdb.AnyFamily
	switch status {
	case ecswire.TaskDefinitionFamilyStatusActive:
		which = ecsdb.ActiveFamily
	case ecswire.TaskDefinitionFamilyStatusInactive:
		which = ecsdb.InactiveFamily
	}
	s := scope(ctx)
	var out *ecswire.ListTaskDefinitionFamiliesResponse
	err = a.viewIndexed(ctx, func(tx store.ReadTx) error {
		out = &ecswire.ListTaskDefinitionFamiliesResponse{Families: []string{}}
		return ecsdb.ScanFamilies(tx, s, wire.ToString(in.FamilyPrefix), which, after, func(f string) error {
			if len(out.Families) == limit {
				out.NextToken = encodeToken(out.Families[limit-1])
				return store.ErrStop
			}
			out.Families = append(out.Families, f)
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
