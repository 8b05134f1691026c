package ecsdb

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/quayside/quayside/internal/ecs"
	"github.com/quayside/quayside/internal/store"
)

// A service's history (see ecs.DiffServiceHistory):
//
//	table                   key                                                   value
//	ecs.servicedeployments  <region>/<account>/<cluster>/<service>/<id>           ecs.ServiceDeployment
//	ecs.servicerevisions    <region>/<account>/<cluster>/<service>/<revision id>  ecs.ServiceRevision
//	ecs.servicehistory      <region>/<account>/<cluster>/<service>                ecs.ServiceHistory
//
// ecs.servicehistory holds the bookkeeping that RecordServiceDeployments
// needs on every service write (the unfinished records, which revision
// each deployment runs), so that it reads one key rather than the whole
// history. The history goes when the service does, as on AWS.
const (
	ServiceDeployments = "ecs.servicedeployments"
	ServiceRevisions   = "ecs.servicerevisions"
	ServiceHistories   = "ecs.servicehistory"
)

// GetServiceDeployment returns one service deployment, or
// store.ErrNotFound.
func GetServiceDeployment(tx store.ReadTx, s Scope, cluster, service, id string) (ecs.ServiceDeployment, error) {
	return store.Get[ecs.ServiceDeployment](tx, ServiceDeployments, s.key(cluster, service, id))
}

// PutServiceDeployment writes a service deployment.
func PutServiceDeployment(tx store.Tx, s Scope, cluster, service string, d ecs.ServiceDeployment) error {
	return store.Put(tx, ServiceDeployments, s.key(cluster, service, d.ID), d)
}

// ListServiceDeployments returns a service's deployments, newest first.
func ListServiceDeployments(tx store.ReadTx, s Scope, cluster, service string) ([]ecs.ServiceDeployment, error) {
	out, err := store.List[ecs.ServiceDeployment](tx, ServiceDeployments, s.key(cluster, service)+"/", "", 0)
	slices.SortFunc(out, func(a, b ecs.ServiceDeployment) int { return cmp.Compare(b.Seq, a.Seq) })
	return out, err
}

// GetServiceRevision returns one service revision, or store.ErrNotFound.
func GetServiceRevision(tx store.ReadTx, s Scope, cluster, service, id string) (ecs.ServiceRevision, error) {
	return store.Get[ecs.ServiceRevision](tx, ServiceRevisions, s.key(cluster, service, id))
}

// GetServiceHistory returns a service's history bookkeeping, empty when
// it has none.
func GetServiceHistory(tx store.ReadTx, s Scope, cluster, service string) (ecs.ServiceHistory, error) {
	h, err := store.Get[ecs.ServiceHistory](tx, ServiceHistories, s.key(cluster, service))
	if IsNotFound(err) {
		return ecs.ServiceHistory{}, nil
	}
	return h, err
}

// DeleteServiceHistory removes a service's deployments, revisions and
// bookkeeping.
func DeleteServiceHistory(tx store.Tx, s Scope, cluster, service string) error {
	p := s.key(cluster, service) + "/"
	for _, table := range []string{ServiceDeployments, ServiceRevisions} {
		var keys []string
		err := tx.Scan(table, p, "", func(k string, _ []byte) error {
			keys = append(keys, k)
			return nil
		})
		if err != nil {
			return err
		}
		for _, k := range keys {
			if err := tx.Delete(table, k); err != nil {
				return err
			}
		}
	}
	return tx.Delete(ServiceHistories, s.key(cluster, service))
}

// RecordServiceDeployments brings a service's history up to date with a
// change to the service, in the transaction that writes it. Call it
// right before PutService with the service as stored (before) and as
// about to be written (after). before matters only for its status: pass
// the zero Service (or the INACTIVE record) when the service is created,
// and a shallow copy taken before the change otherwise. An INACTIVE after
// removes the history, as AWS does when a service is deleted. newID makes
// service deployment IDs (ecs.IDs.ServiceDeploymentID).
func RecordServiceDeployments(tx store.Tx, s Scope, cluster string, before, after ecs.Service, now time.Time, newID func() string) error {
	service := after.Name
	h, err := GetServiceHistory(tx, s, cluster, service)
	if err != nil {
		return err
	}
	in := ecs.HistoryInput{Before: before, After: after, History: h, Now: now, NewID: newID}
	for _, id := range h.Open {
		d, err := GetServiceDeployment(tx, s, cluster, service, id)
		if IsNotFound(err) {
			continue
		}
		if err != nil {
			return err
		}
		in.Open = append(in.Open, d)
	}
	ch := ecs.DiffServiceHistory(in)
	if ch.Purge {
		if err := DeleteServiceHistory(tx, s, cluster, service); err != nil {
			return err
		}
		if after.Status == ecs.ServiceInactive {
			return nil
		}
	}
	for _, r := range ch.Revisions {
		if err := putRevisionOnce(tx, s, cluster, service, r); err != nil {
			return err
		}
	}
	for _, d := range ch.Deployments {
		if err := PutServiceDeployment(tx, s, cluster, service, d); err != nil {
			return err
		}
	}
	if ch.History.Seq != h.Seq {
		if err := pruneServiceDeployments(tx, s, cluster, service, now.Add(-ecs.HistoryRetention)); err != nil {
			return err
		}
	}
	return store.Put(tx, ServiceHistories, s.key(cluster, service), ch.History)
}

// putRevisionOnce writes a revision unless it exists (revisions never
// change), with the container images of its task definition.
func putRevisionOnce(tx store.Tx, s Scope, cluster, service string, r ecs.ServiceRevision) error {
	key := s.key(cluster, service, r.ID)
	if _, err := tx.Get(ServiceRevisions, key); err == nil {
		return nil
	} else if !IsNotFound(err) {
		return err
	}
	if ref, err := ecs.ParseTaskDefinitionRef(r.TaskDefinition); err == nil {
		td, err := GetTaskDefinition(tx, s, ref.Family, ref.Revision)
		switch {
		case err == nil:
			r.ContainerImages = ecs.ContainerImagesOf(&td)
		case !IsNotFound(err):
			return fmt.Errorf("ecsdb: task definition of service revision %s: %w", r.ID, err)
		}
	}
	return store.Put(tx, ServiceRevisions, key, r)
}

// pruneServiceDeployments deletes the finished service deployments
// created before the cutoff.
func pruneServiceDeployments(tx store.Tx, s Scope, cluster, service string, cutoff time.Time) error {
	all, err := ListServiceDeployments(tx, s, cluster, service)
	if err != nil {
		return err
	}
	for _, d := range all {
		if d.Status.Finished() && d.CreatedAt.Before(cutoff) {
			if err := tx.Delete(ServiceDeployments, s.key(cluster, service, d.ID)); err != nil {
				return err
			}
		}
	}
	return nil
}
