package ecsapi

import (
	"context"
	"slices"

	"github.com/quayside/quayside/internal/ecs"
	"github.com/quayside/quayside/internal/ecs/ecsdb"
	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/store"
	"github.com/quayside/quayside/internal/wire"
	"github.com/quayside/quayside/internal/wire/ecswire"
)

// Messages of StopServiceDeployment. AWS documents none of them; the
// wording is Quayside's.
const (
	msgServiceDeploymentNotFound = "The service deployment does not exist."                                         // message not confirmed
	msgStopTypeAbort             = "The stop type ABORT is not supported. The valid value is ROLLBACK."             // message not confirmed
	msgDeploymentNotInProgress   = "The service deployment can't be stopped because it is not in progress."         // message not confirmed
	msgNoRevisionToRollBackTo    = "The service deployment can't be rolled back because it has no source revision." // message not confirmed
)

// stopServiceDeployment stops an ongoing service deployment by rolling
// the service back to the revision it came from, as AWS documents for
// stopType ROLLBACK (the default; ABORT is in the model but AWS lists
// ROLLBACK as the only valid value). A deployment already rolling back
// or stopping carries on; a finished one cannot be stopped.
//
// The rollback is written as a new PRIMARY deployment of the source
// revision's settings, which the scheduler then rolls out like any
// other; the stopped deployment goes ACTIVE and its service deployment
// ROLLBACK_REQUESTED, then ROLLBACK_IN_PROGRESS as the new deployment is
// recorded.
func (a *API) stopServiceDeployment(ctx context.Context, in *ecswire.StopServiceDeploymentRequest) (*ecswire.StopServiceDeploymentResponse, error) {
	arn := wire.ToString(in.ServiceDeploymentArn)
	if wire.ToString(in.StopType) == ecswire.StopServiceDeploymentStopTypeAbort {
		return nil, fault.New(ecs.ErrInvalidParameter, msgStopTypeAbort)
	}
	r, err := ecs.ParseServiceDeploymentARN(arn)
	if err != nil {
		return nil, err
	}
	s := scope(ctx)
	if err := r.Check(s.Region, s.Account); err != nil {
		return nil, err
	}
	err = a.store.Update(ctx, func(tx store.Tx) error {
		d, err := ecsdb.GetServiceDeployment(tx, s, r.Cluster, r.Service, r.ID)
		if ecsdb.IsNotFound(err) {
			return fault.New(ecs.ErrServiceDeploymentNotFound, msgServiceDeploymentNotFound)
		}
		if err != nil {
			return err
		}
		switch d.Status {
		case ecs.ServiceDeploymentStopRequested, ecs.ServiceDeploymentRollbackRequested, ecs.ServiceDeploymentRollbackInProgress:
			return nil // already stopping: it carries on
		case ecs.ServiceDeploymentPending, ecs.ServiceDeploymentInProgress:
			return a.rollBack(tx, s, r.Cluster, r.Service, d)
		}
		return fault.New(ecs.ErrConflict, msgDeploymentNotInProgress)
	})
	if err != nil {
		return nil, err
	}
	return &ecswire.StopServiceDeploymentResponse{ServiceDeploymentArn: wire.String(arn)}, nil
}

// rollBack starts the rollback of an in-progress service deployment.
func (a *API) rollBack(tx store.Tx, s ecsdb.Scope, cluster, service string, d ecs.ServiceDeployment) error {
	svc, err := ecsdb.GetService(tx, s, cluster, service)
	if err != nil {
		if ecsdb.IsNotFound(err) {
			return fault.New(ecs.ErrServiceDeploymentNotFound, msgServiceDeploymentNotFound)
		}
		return err
	}
	p, ok := svc.Primary()
	if !ok || p.ID != d.Target.DeploymentID || svc.Status != ecs.ServiceActive {
		return fault.New(ecs.ErrConflict, msgDeploymentNotInProgress)
	}
	revID, err := rollbackRevision(tx, s, cluster, svc, d)
	if err != nil {
		return err
	}
	rev, err := ecsdb.GetServiceRevision(tx, s, cluster, svc.Name, revID)
	if ecsdb.IsNotFound(err) {
		return fault.New(ecs.ErrConflict, msgNoRevisionToRollBackTo)
	}
	if err != nil {
		return err
	}
	now := a.now()
	after := svc
	after.Deployments = slices.Clone(svc.Deployments)
	for i := range after.Deployments {
		if after.Deployments[i].Status == ecs.DeploymentPrimary {
			after.Deployments[i].Status, after.Deployments[i].UpdatedAt = ecs.DeploymentActive, now
		}
	}
	after.TaskDefinition = rev.TaskDefinition
	after.LaunchType, after.CapacityProviderStrategy = rev.LaunchType, slices.Clone(rev.CapacityProviderStrategy)
	after.PlatformVersion, after.PlatformFamily = rev.ServicePlatformVersion, rev.PlatformFamily
	after.NetworkConfiguration = rev.NetworkConfiguration
	after.LoadBalancers, after.ServiceRegistries = slices.Clone(rev.LoadBalancers), slices.Clone(rev.ServiceRegistries)
	after.Deployments = append([]ecs.Deployment{a.newDeployment(after, launchOf(after), now)}, after.Deployments...)
	after.AddEvent(ecs.ServiceEvent{ID: a.ids.UUID(), CreatedAt: now,
		Message: ecs.EventRollingBack(svc.Name, ecs.DeploymentIDPrefix+rev.ID)})

	d.Status, d.StoppedAt, d.UpdatedAt = ecs.ServiceDeploymentRollbackRequested, now, now
	d.Rollback = &ecs.DeploymentRollback{Reason: ecs.ReasonRollbackRequested, StartedAt: now, RevisionID: rev.ID}
	if err := ecsdb.PutServiceDeployment(tx, s, cluster, svc.Name, d); err != nil {
		return err
	}
	if err := ecsdb.RecordServiceDeployments(tx, s, cluster, svc, after, now, a.ids.ServiceDeploymentID); err != nil {
		return err
	}
	return ecsdb.PutService(tx, s, cluster, after)
}

// rollbackRevision picks the revision a stopped deployment returns to:
// of its source revisions, the one the service last completed if it is
// among them, else the newest.
func rollbackRevision(tx store.ReadTx, s ecsdb.Scope, cluster string, svc ecs.Service, d ecs.ServiceDeployment) (string, error) {
	if len(d.Source) == 0 {
		return "", fault.New(ecs.ErrConflict, msgNoRevisionToRollBackTo)
	}
	if svc.LastCompleted != nil {
		h, err := ecsdb.GetServiceHistory(tx, s, cluster, svc.Name)
		if err != nil {
			return "", err
		}
		if id, ok := h.Revisions[svc.LastCompleted.ID]; ok {
			for _, src := range d.Source {
				if src.RevisionID == id {
					return id, nil
				}
			}
		}
	}
	return d.Source[0].RevisionID, nil
}
