package ecsapi

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/quayside/quayside/internal/ecs"
	"github.com/quayside/quayside/internal/ecs/ecsdb"
	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/protocol/awsjson"
	"github.com/quayside/quayside/internal/store"
	"github.com/quayside/quayside/internal/wire"
	"github.com/quayside/quayside/internal/wire/ecswire"
)

// Tags live inside each resource's record. TagResource, UntagResource and
// ListTagsForResource parse the ARN, load the record it names, and read or
// rewrite its tags in one transaction.

func (a *API) mountTags(s *awsjson.Service) {
	awsjson.Handle(s, "TagResource", a.tagResource)
	awsjson.Handle(s, "UntagResource", a.untagResource)
	awsjson.Handle(s, "ListTagsForResource", a.listTagsForResource)
}

// Tagging errors. The invalid-ARN message is the one AWS users report for
// ARNs ECS cannot tag; the long-ARN and inactive-cluster messages are
// ECS's. The resource-not-found message is not confirmed.
const (
	msgInvalidTagARN       = "The ARN provided is invalid."
	msgLongARNRequired     = "Long arn format must be used for tagging operations"
	msgClusterInactive     = "The specified cluster is inactive. Specify an active cluster and try again."
	msgTagResourceNotFound = "The specified resource could not be found."
)

// taggable is the record an ARN names, with access to its tags.
type taggable struct {
	get func() []ecs.Tag
	put func(tx store.Tx, tags []ecs.Tag) error
}

func (a *API) tagResource(ctx context.Context, in *ecswire.TagResourceRequest) (*ecswire.TagResourceResponse, error) {
	add := tagsFromWire(in.Tags)
	if err := ecs.ValidateTags(add); err != nil {
		return nil, err
	}
	err := a.store.Update(ctx, func(tx store.Tx) error {
		r, err := lookupTaggable(ctx, tx, wire.ToString(in.ResourceArn), ecs.ErrResourceNotFound)
		if err != nil {
			return err
		}
		tags := mergeTags(r.get(), add)
		if err := ecs.ValidateTags(tags); err != nil {
			return err
		}
		return r.put(tx, tags)
	})
	if err != nil {
		return nil, err
	}
	return &ecswire.TagResourceResponse{}, nil
}

func (a *API) untagResource(ctx context.Context, in *ecswire.UntagResourceRequest) (*ecswire.UntagResourceResponse, error) {
	err := a.store.Update(ctx, func(tx store.Tx) error {
		r, err := lookupTaggable(ctx, tx, wire.ToString(in.ResourceArn), ecs.ErrResourceNotFound)
		if err != nil {
			return err
		}
		tags := slices.DeleteFunc(slices.Clone(r.get()), func(t ecs.Tag) bool { return slices.Contains(in.TagKeys, t.Key) })
		return r.put(tx, tags)
	})
	if err != nil {
		return nil, err
	}
	return &ecswire.UntagResourceResponse{}, nil
}

func (a *API) listTagsForResource(ctx context.Context, in *ecswire.ListTagsForResourceRequest) (*ecswire.ListTagsForResourceResponse, error) {
	var tags []ecs.Tag
	err := a.store.View(ctx, func(tx store.ReadTx) error {
		// ListTagsForResource documents no ResourceNotFoundException: a
		// missing resource is an invalid parameter (message not confirmed).
		r, err := lookupTaggable(ctx, tx, wire.ToString(in.ResourceArn), ecs.ErrInvalidParameter)
		if err != nil {
			return err
		}
		tags = r.get()
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &ecswire.ListTagsForResourceResponse{Tags: tagsToWire(tags)}, nil
}

// mergeTags sets each of add on have, replacing values of existing keys
// in place and appending new keys.
func mergeTags(have, add []ecs.Tag) []ecs.Tag {
	out := slices.Clone(have)
	for _, t := range add {
		if i := slices.IndexFunc(out, func(h ecs.Tag) bool { return h.Key == t.Key }); i >= 0 {
			out[i] = t
		} else {
			out = append(out, t)
		}
	}
	return out
}

// lookupTaggable finds the record an ECS ARN names. A missing resource is
// an error of kind notFound; a missing cluster is ClusterNotFoundException
// and an INACTIVE one an InvalidParameterException, as ECS answers for
// resources whose cluster was deleted.
func lookupTaggable(ctx context.Context, tx store.ReadTx, arn string, notFound *fault.Kind) (taggable, error) {
	a, err := ecs.ParseARN(arn)
	if err != nil || a.Service != ecs.ServiceName {
		return taggable{}, fault.New(ecs.ErrInvalidParameter, msgInvalidTagARN)
	}
	s := scope(ctx)
	if err := (ecs.Scope{Region: a.Region, AccountID: a.AccountID}).Check(s.Region, s.Account); err != nil {
		return taggable{}, err
	}
	typ, rest, _ := strings.Cut(a.Resource, "/")
	segs := strings.Split(rest, "/")
	if rest == "" || slices.Contains(segs, "") {
		return taggable{}, fault.New(ecs.ErrInvalidParameter, msgInvalidTagARN)
	}
	missing := fault.New(notFound, msgTagResourceNotFound)
	switch typ {
	case ecs.ResourceCluster:
		if len(segs) != 1 {
			return taggable{}, fault.New(ecs.ErrInvalidParameter, msgInvalidTagARN)
		}
		c, err := taggableCluster(tx, s, segs[0])
		if err != nil {
			return taggable{}, err
		}
		return taggable{
			get: func() []ecs.Tag { return c.Tags },
			put: func(tx store.Tx, tags []ecs.Tag) error { c.Tags = tags; return ecsdb.PutCluster(tx, s, c) },
		}, nil
	case ecs.ResourceTaskDefinition:
		return taggableTaskDefinition(tx, s, rest, missing)
	case ecs.ResourceService, ecs.ResourceTask, ecs.ResourceContainerInstance:
		if len(segs) == 1 {
			return taggable{}, fault.New(ecs.ErrInvalidParameter, msgLongARNRequired)
		}
		if len(segs) != 2 {
			return taggable{}, fault.New(ecs.ErrInvalidParameter, msgInvalidTagARN)
		}
		if _, err := taggableCluster(tx, s, segs[0]); err != nil {
			return taggable{}, err
		}
		return taggableInCluster(tx, s, typ, segs[0], segs[1], missing)
	case ecs.ResourceCapacityProvider:
		if len(segs) != 1 {
			return taggable{}, fault.New(ecs.ErrInvalidParameter, msgInvalidTagARN)
		}
		if !ecs.IsBuiltinCapacityProvider(segs[0]) {
			return taggable{}, missing
		}
		// FARGATE and FARGATE_SPOT belong to AWS: they have no tags and
		// cannot be tagged (behaviour not confirmed).
		return taggable{
			get: func() []ecs.Tag { return nil },
			put: func(store.Tx, []ecs.Tag) error {
				return fault.Newf(ecs.ErrInvalidParameter, "The %s capacity provider is managed by AWS and can't be tagged.", segs[0])
			},
		}, nil
	}
	return taggable{}, fault.New(ecs.ErrInvalidParameter, msgInvalidTagARN)
}

func taggableCluster(tx store.ReadTx, s ecsdb.Scope, name string) (ecs.Cluster, error) {
	c, err := ecsdb.GetCluster(tx, s, name)
	switch {
	case ecsdb.IsNotFound(err):
		return c, fault.New(ecs.ErrClusterNotFound, ecs.MsgClusterNotFound)
	case err != nil:
		return c, err
	case c.Status != ecs.ClusterActive:
		return c, fault.New(ecs.ErrInvalidParameter, msgClusterInactive)
	}
	return c, nil
}

func taggableTaskDefinition(tx store.ReadTx, s ecsdb.Scope, rest string, missing error) (taggable, error) {
	family, rev, ok := strings.Cut(rest, ":")
	n, err := strconv.Atoi(rev)
	if !ok || err != nil || n < 1 || !ecs.ValidName(family) {
		return taggable{}, fault.New(ecs.ErrInvalidParameter, msgInvalidTagARN)
	}
	td, err := ecsdb.GetTaskDefinition(tx, s, family, n)
	if ecsdb.IsNotFound(err) {
		return taggable{}, missing
	}
	if err != nil {
		return taggable{}, err
	}
	return taggable{
		get: func() []ecs.Tag { return td.Tags },
		put: func(tx store.Tx, tags []ecs.Tag) error { td.Tags = tags; return ecsdb.PutTaskDefinition(tx, s, td) },
	}, nil
}

func taggableInCluster(tx store.ReadTx, s ecsdb.Scope, typ, cluster, id string, missing error) (taggable, error) {
	var (
		t   taggable
		err error
	)
	switch typ {
	case ecs.ResourceService:
		var svc ecs.Service
		svc, err = ecsdb.GetService(tx, s, cluster, id)
		t = taggable{
			get: func() []ecs.Tag { return svc.Tags },
			put: func(tx store.Tx, tags []ecs.Tag) error { svc.Tags = tags; return ecsdb.PutService(tx, s, cluster, svc) },
		}
	case ecs.ResourceTask:
		var task ecs.Task
		task, err = ecsdb.GetTask(tx, s, cluster, id)
		t = taggable{
			get: func() []ecs.Tag { return task.Tags },
			put: func(tx store.Tx, tags []ecs.Tag) error { task.Tags = tags; return ecsdb.PutTask(tx, s, cluster, task) },
		}
	default:
		var ci ecs.ContainerInstance
		ci, err = ecsdb.GetInstance(tx, s, cluster, id)
		t = taggable{
			get: func() []ecs.Tag { return ci.Tags },
			put: func(tx store.Tx, tags []ecs.Tag) error {
				ci.Tags = tags
				return ecsdb.PutInstance(tx, s, cluster, id, ci)
			},
		}
	}
	if ecsdb.IsNotFound(err) {
		return taggable{}, missing
	}
	return t, err
}
