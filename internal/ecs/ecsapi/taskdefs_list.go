package ecsapi

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/quayside/quayside/internal/ecs"
	"github.com/quayside/quayside/internal/ecs/ecsdb"
	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/store"
	"github.com/quayside/quayside/internal/wire"
	"github.com/quayside/quayside/internal/wire/ecswire"
)

// ListTaskDefinitions and ListTaskDefinitionFamilies sort in memory:
// revisions by family name then revision number (reversed for DESC),
// families by name. Store key order is not family-name order ("web-api/"
// sorts before "web/"), and the store cannot scan backwards. A page
// token is the last item a page returned.

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
	family := wire.ToString(in.FamilyPrefix)
	s := scope(ctx)
	var heads []ecsdb.TaskDefinitionHead
	err = a.store.View(ctx, func(tx store.ReadTx) error {
		// familyPrefix names one whole family, as ECS documents: "web"
		// does not list "web-api".
		if family != "" {
			heads, err = ecsdb.FamilyHeads(tx, s, family)
		} else {
			heads, err = ecsdb.TaskDefinitionHeads(tx, s, "")
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	heads = slices.DeleteFunc(heads, func(h ecsdb.TaskDefinitionHead) bool { return h.Status != status })
	order := func(x, y ecsdb.TaskDefinitionHead) int {
		c := cmp.Or(strings.Compare(x.Family, y.Family), cmp.Compare(x.Revision, y.Revision))
		if desc {
			return -c
		}
		return c
	}
	slices.SortFunc(heads, order)
	if tok != "" {
		// Resume after the token's revision, even if it is gone since.
		i, _ := slices.BinarySearchFunc(heads, after, order)
		for i < len(heads) && order(heads[i], after) <= 0 {
			i++
		}
		heads = heads[i:]
	}
	out := &ecswire.ListTaskDefinitionsResponse{TaskDefinitionArns: []string{}}
	if len(heads) > limit {
		heads = heads[:limit]
		last := heads[limit-1]
		out.NextToken = encodeToken(last.Family + ":" + strconv.Itoa(last.Revision))
	}
	for _, h := range heads {
		out.TaskDefinitionArns = append(out.TaskDefinitionArns, ecs.TaskDefinitionARN(s.Region, s.Account, h.Family, h.Revision))
	}
	return out, nil
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
	s := scope(ctx)
	var heads []ecsdb.TaskDefinitionHead
	err = a.store.View(ctx, func(tx store.ReadTx) error {
		heads, err = ecsdb.TaskDefinitionHeads(tx, s, wire.ToString(in.FamilyPrefix))
		return err
	})
	if err != nil {
		return nil, err
	}
	// A family is ACTIVE while it has an ACTIVE revision, INACTIVE after.
	active := map[string]bool{}
	for _, h := range heads {
		active[h.Family] = active[h.Family] || h.Status == ecs.TaskDefinitionActive
	}
	var families []string
	for f, act := range active {
		switch {
		case status == ecswire.TaskDefinitionFamilyStatusActive && !act,
			status == ecswire.TaskDefinitionFamilyStatusInactive && act:
			continue
		}
		families = append(families, f)
	}
	slices.Sort(families)
	if after != "" {
		i, _ := slices.BinarySearch(families, after)
		for i < len(families) && families[i] <= after {
			i++
		}
		families = families[i:]
	}
	out := &ecswire.ListTaskDefinitionFamiliesResponse{Families: []string{}}
	if len(families) > limit {
		families = families[:limit]
		out.NextToken = encodeToken(families[limit-1])
	}
	out.Families = append(out.Families, families...)
	return out, nil
}
