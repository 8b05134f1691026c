package ecsapi

import (
	"context"
	"slices"

	"github.com/quayside/quayside/internal/ecs"
	"github.com/quayside/quayside/internal/ecs/ecsdb"
	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/protocol/awsjson"
	"github.com/quayside/quayside/internal/store"
	"github.com/quayside/quayside/internal/wire"
	"github.com/quayside/quayside/internal/wire/ecswire"
)

// Task definitions. A revision is registered ACTIVE, deregistered to
// INACTIVE, and deleted through DELETE_IN_PROGRESS; Quayside removes the
// record as soon as it is marked, since nothing here waits on it. The
// revision counter survives deletion, so numbers are never reused.
//
//	ACTIVE ──Deregister──▶ INACTIVE ──DeleteTaskDefinitions──▶ DELETE_IN_PROGRESS ──▶ (gone)

func (a *API) mountTaskDefinitions(s *awsjson.Service) {
	awsjson.Handle(s, "RegisterTaskDefinition", a.registerTaskDefinition)
	awsjson.Handle(s, "DescribeTaskDefinition", a.describeTaskDefinition)
	awsjson.Handle(s, "ListTaskDefinitions", a.listTaskDefinitions)
	awsjson.Handle(s, "ListTaskDefinitionFamilies", a.listTaskDefinitionFamilies)
	awsjson.Handle(s, "DeregisterTaskDefinition", a.deregisterTaskDefinition)
	awsjson.Handle(s, "DeleteTaskDefinitions", a.deleteTaskDefinitions)
}

// Messages for task definition references. MsgTaskDefinitionMissing and
// MsgTaskDefinitionInactive are ECS's; the rest are not confirmed.
const (
	msgRevisionRequired     = "A task definition revision must be specified: use family:revision or the full ARN."
	msgDeleteStillActive    = "The specified task definition is still in ACTIVE status. Please first deregister the target and try again."
	msgDeleteMissing        = "The specified task definition does not exist. Specify a valid account, family, revision and try again."
	maxDeleteTaskDefinition = 10
)

func (a *API) registerTaskDefinition(ctx context.Context, in *ecswire.RegisterTaskDefinitionRequest) (*ecswire.RegisterTaskDefinitionResponse, error) {
	td := taskDefinitionFromWire(in)
	if err := td.Validate(); err != nil {
		return nil, err
	}
	s := scope(ctx)
	td.Status = ecs.TaskDefinitionActive
	td.RegisteredAt = a.now()
	td.RegisteredBy = rootARN(s.Account)
	td.Compatibilities = compatibilities(&td)
	td.RequiresAttributes = requiresAttributes(&td)
	var out ecs.TaskDefinition
	err := a.store.Update(ctx, func(tx store.Tx) error {
		rev, err := ecsdb.NextRevision(tx, s, td.Family)
		if err != nil {
			return err
		}
		out = td
		out.Revision = rev
		out.ARN = ecs.TaskDefinitionARN(s.Region, s.Account, td.Family, rev)
		return ecsdb.PutTaskDefinition(tx, s, out)
	})
	if err != nil {
		return nil, err
	}
	return &ecswire.RegisterTaskDefinitionResponse{TaskDefinition: taskDefinitionView(out), Tags: tagsToWire(out.Tags)}, nil
}

func (a *API) describeTaskDefinition(ctx context.Context, in *ecswire.DescribeTaskDefinitionRequest) (*ecswire.DescribeTaskDefinitionResponse, error) {
	ref, err := taskDefinitionRef(ctx, wire.ToString(in.TaskDefinition), false)
	if err != nil {
		return nil, err
	}
	s := scope(ctx)
	var td ecs.TaskDefinition
	err = a.store.View(ctx, func(tx store.ReadTx) error {
		var err error // the closure's own: a captured one would live on the heap
		if ref.Revision == 0 {
			td, err = ecsdb.LatestTaskDefinition(tx, s, ref.Family)
		} else {
			err = ecsdb.LoadTaskDefinition(tx, s, ref.Family, ref.Revision, &td)
		}
		if ecsdb.IsNotFound(err) {
			return fault.New(ecs.ErrTaskDefinitionNotFound, ecs.MsgTaskDefinitionNotFound)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	out := &ecswire.DescribeTaskDefinitionResponse{TaskDefinition: taskDefinitionView(td)}
	if slices.Contains(in.Include, ecswire.TaskDefinitionFieldTags) {
		out.Tags = tagsToWire(td.Tags)
	}
	return out, nil
}

func (a *API) deregisterTaskDefinition(ctx context.Context, in *ecswire.DeregisterTaskDefinitionRequest) (*ecswire.DeregisterTaskDefinitionResponse, error) {
	ref, err := taskDefinitionRef(ctx, wire.ToString(in.TaskDefinition), true)
	if err != nil {
		return nil, err
	}
	s := scope(ctx)
	now := a.now()
	var out ecs.TaskDefinition
	err = a.store.Update(ctx, func(tx store.Tx) error {
		td, err := ecsdb.GetTaskDefinition(tx, s, ref.Family, ref.Revision)
		if ecsdb.IsNotFound(err) {
			return fault.New(ecs.ErrTaskDefinitionNotFound, ecs.MsgTaskDefinitionMissing)
		}
		if err != nil {
			return err
		}
		if td.Status != ecs.TaskDefinitionActive {
			return fault.New(ecs.ErrClient, ecs.MsgTaskDefinitionInactive)
		}
		td.Status, td.DeregisteredAt = ecs.TaskDefinitionInactive, now
		out = td
		return ecsdb.PutTaskDefinition(tx, s, td)
	})
	if err != nil {
		return nil, err
	}
	return &ecswire.DeregisterTaskDefinitionResponse{TaskDefinition: taskDefinitionView(out)}, nil
}

func (a *API) deleteTaskDefinitions(ctx context.Context, in *ecswire.DeleteTaskDefinitionsRequest) (*ecswire.DeleteTaskDefinitionsResponse, error) {
	if len(in.TaskDefinitions) == 0 || len(in.TaskDefinitions) > maxDeleteTaskDefinition {
		// message not confirmed
		return nil, fault.Newf(ecs.ErrInvalidParameter, "Specify between 1 and %d task definitions to delete.", maxDeleteTaskDefinition)
	}
	var refs []ecs.TaskDefinitionRef
	for _, r := range in.TaskDefinitions {
		ref, err := taskDefinitionRef(ctx, r, true)
		if err != nil {
			return nil, err
		}
		refs = append(refs, ref)
	}
	s := scope(ctx)
	now := a.now()
	var out *ecswire.DeleteTaskDefinitionsResponse
	err := a.store.Update(ctx, func(tx store.Tx) error {
		out = &ecswire.DeleteTaskDefinitionsResponse{TaskDefinitions: []ecswire.TaskDefinition{}, Failures: []ecswire.Failure{}}
		for _, ref := range refs {
			arn := ref.ARN(s.Region, s.Account)
			td, err := ecsdb.GetTaskDefinition(tx, s, ref.Family, ref.Revision)
			switch {
			case ecsdb.IsNotFound(err):
				out.Failures = append(out.Failures, ecswire.Failure{Arn: wire.String(arn), Reason: wire.String(msgDeleteMissing)})
				continue
			case err != nil:
				return err
			case td.Status == ecs.TaskDefinitionActive:
				out.Failures = append(out.Failures, ecswire.Failure{Arn: wire.String(arn), Reason: wire.String(msgDeleteStillActive)})
				continue
			}
			td.Status, td.DeleteRequestedAt = ecs.TaskDefinitionDeleteInProgress, now
			out.TaskDefinitions = append(out.TaskDefinitions, *taskDefinitionView(td))
			if err := ecsdb.DeleteTaskDefinition(tx, s, ref.Family, ref.Revision); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

// taskDefinitionRef parses a task definition reference of the request's
// scope; needRevision rejects a bare family, as Deregister and Delete do.
func taskDefinitionRef(ctx context.Context, s string, needRevision bool) (ecs.TaskDefinitionRef, error) {
	ref, err := ecs.ParseTaskDefinitionRef(s)
	if err != nil {
		return ref, err
	}
	sc := scope(ctx)
	if err := ref.Check(sc.Region, sc.Account); err != nil {
		return ref, err
	}
	if needRevision && ref.Revision == 0 {
		return ref, fault.New(ecs.ErrClient, msgRevisionRequired)
	}
	return ref, nil
}

// taskDefinitionView is the task definition as ECS shows it. ECS leaves
// requiresAttributes out when there are none.
func taskDefinitionView(td ecs.TaskDefinition) *ecswire.TaskDefinition {
	w := taskDefinitionToWire(td)
	if len(td.RequiresAttributes) == 0 {
		w.RequiresAttributes = nil
	}
	return w
}
