package ecsapi

import (
	"context"
	"strconv"

	"github.com/quayside/quayside/internal/ecs"
	"github.com/quayside/quayside/internal/ecs/ecsdb"
	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/protocol/awsjson"
	"github.com/quayside/quayside/internal/store"
	"github.com/quayside/quayside/internal/wire/ecswire"
)

// Service deployments and revisions: the read side of a service's
// history, which ecsdb.RecordServiceDeployments keeps as the API and the
// scheduler write the service (see ecs.DiffServiceHistory), and
// StopServiceDeployment (service_deployments_stop.go).

func (a *API) mountServiceDeployments(s *awsjson.Service) {
	awsjson.Handle(s, "ListServiceDeployments", a.listServiceDeployments)
	awsjson.Handle(s, "DescribeServiceDeployments", a.describeServiceDeployments)
	awsjson.Handle(s, "DescribeServiceRevisions", a.describeServiceRevisions)
	awsjson.Handle(s, "StopServiceDeployment", a.stopServiceDeployment)
}

// Page sizes of the history operations.
const (
	defaultListServiceDeployments = 20
	maxListServiceDeployments     = 100
	maxDescribeServiceHistory     = 20
)

func (a *API) listServiceDeployments(ctx context.Context, in *ecswire.ListServiceDeploymentsRequest) (*ecswire.ListServiceDeploymentsResponse, error) {
	limit, err := pageSize(in.MaxResults, defaultListServiceDeployments, maxListServiceDeployments)
	if err != nil {
		return nil, err
	}
	afterSeq, err := decodeSeqToken(in.NextToken)
	if err != nil {
		return nil, err
	}
	cluster, name, err := serviceName(ctx, in.Cluster, in.Service)
	if err != nil {
		return nil, err
	}
	keep := deploymentFilter(in)
	s := scope(ctx)
	out := &ecswire.ListServiceDeploymentsResponse{ServiceDeployments: []ecswire.ServiceDeploymentBrief{}}
	err = a.store.View(ctx, func(tx store.ReadTx) error {
		if _, err := activeCluster(tx, s, cluster); err != nil {
			return err
		}
		if _, err := ecsdb.GetService(tx, s, cluster, name); ecsdb.IsNotFound(err) {
			return fault.New(ecs.ErrServiceNotFound, ecs.MsgServiceNotFound)
		} else if err != nil {
			return err
		}
		all, err := ecsdb.ListServiceDeployments(tx, s, cluster, name)
		if err != nil {
			return err
		}
		var last int64
		for _, d := range all { // newest first
			if afterSeq > 0 && d.Seq >= afterSeq || !keep(d) {
				continue
			}
			if len(out.ServiceDeployments) == limit {
				out.NextToken = encodeToken(strconv.FormatInt(last, 10))
				break
			}
			out.ServiceDeployments = append(out.ServiceDeployments, serviceDeploymentBriefToWire(d))
			last = d.Seq
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// deploymentFilter is ListServiceDeployments' status and createdAt
// filter.
func deploymentFilter(in *ecswire.ListServiceDeploymentsRequest) func(ecs.ServiceDeployment) bool {
	statuses := map[string]bool{}
	for _, st := range in.Status {
		statuses[st] = true
	}
	var c ecswire.CreatedAt
	if in.CreatedAt != nil {
		c = *in.CreatedAt
	}
	return func(d ecs.ServiceDeployment) bool {
		switch {
		case len(statuses) > 0 && !statuses[string(d.Status)]:
			return false
		case c.Before != nil && !d.CreatedAt.Before(c.Before.Time):
			return false
		case c.After != nil && !d.CreatedAt.After(c.After.Time):
			return false
		}
		return true
	}
}

// decodeSeqToken reads a ListServiceDeployments nextToken: the Seq of
// the last deployment the previous page returned, encoded as the other
// listings' tokens are (paging.go).
func decodeSeqToken(tok *string) (int64, error) {
	last, err := decodeToken(tok)
	if err != nil || last == "" {
		return 0, err
	}
	n, err := strconv.ParseInt(last, 10, 64)
	if err != nil || n <= 0 {
		return 0, fault.New(ecs.ErrInvalidParameter, "Invalid nextToken: pass the nextToken value from the previous response unchanged.")
	}
	return n, nil
}

func checkHistoryARNs(arns []string, what string) error {
	switch {
	case len(arns) == 0:
		return fault.Newf(ecs.ErrInvalidParameter, "%s cannot be empty.", what) // message not confirmed
	case len(arns) > maxDescribeServiceHistory:
		return fault.Newf(ecs.ErrInvalidParameter, "%s can have at most %d items.", what, maxDescribeServiceHistory) // message not confirmed
	}
	return nil
}

func (a *API) describeServiceDeployments(ctx context.Context, in *ecswire.DescribeServiceDeploymentsRequest) (*ecswire.DescribeServiceDeploymentsResponse, error) {
	if err := checkHistoryARNs(in.ServiceDeploymentArns, "serviceDeploymentArns"); err != nil {
		return nil, err
	}
	s := scope(ctx)
	refs := make([]ecs.ServiceChildRef, len(in.ServiceDeploymentArns))
	for i, arn := range in.ServiceDeploymentArns {
		r, err := ecs.ParseServiceDeploymentARN(arn)
		if err != nil {
			return nil, err
		}
		if err := r.Check(s.Region, s.Account); err != nil {
			return nil, err
		}
		refs[i] = r
	}
	out := &ecswire.DescribeServiceDeploymentsResponse{ServiceDeployments: []ecswire.ServiceDeployment{}, Failures: []ecswire.Failure{}}
	err := a.store.View(ctx, func(tx store.ReadTx) error {
		for i, r := range refs {
			d, err := ecsdb.GetServiceDeployment(tx, s, r.Cluster, r.Service, r.ID)
			if ecsdb.IsNotFound(err) {
				out.Failures = append(out.Failures, missing(in.ServiceDeploymentArns[i]))
				continue
			}
			if err != nil {
				return err
			}
			out.ServiceDeployments = append(out.ServiceDeployments, serviceDeploymentToWire(d))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (a *API) describeServiceRevisions(ctx context.Context, in *ecswire.DescribeServiceRevisionsRequest) (*ecswire.DescribeServiceRevisionsResponse, error) {
	if err := checkHistoryARNs(in.ServiceRevisionArns, "serviceRevisionArns"); err != nil {
		return nil, err
	}
	s := scope(ctx)
	refs := make([]ecs.ServiceChildRef, len(in.ServiceRevisionArns))
	for i, arn := range in.ServiceRevisionArns {
		r, err := ecs.ParseServiceRevisionARN(arn)
		if err != nil {
			return nil, err
		}
		if err := r.Check(s.Region, s.Account); err != nil {
			return nil, err
		}
		refs[i] = r
	}
	out := &ecswire.DescribeServiceRevisionsResponse{ServiceRevisions: []ecswire.ServiceRevision{}, Failures: []ecswire.Failure{}}
	err := a.store.View(ctx, func(tx store.ReadTx) error {
		for i, r := range refs {
			rev, err := ecsdb.GetServiceRevision(tx, s, r.Cluster, r.Service, r.ID)
			if ecsdb.IsNotFound(err) {
				out.Failures = append(out.Failures, missing(in.ServiceRevisionArns[i]))
				continue
			}
			if err != nil {
				return err
			}
			out.ServiceRevisions = append(out.ServiceRevisions, serviceRevisionToWire(rev))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
