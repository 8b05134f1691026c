// Package ecsdb keeps ECS records in the store: one table per resource,
// typed accessors per table, and the key layout in one place.
//
//	table               key                                              value
//	ecs.clusters        <region>/<account>/<cluster>                     ecs.Cluster
//	ecs.taskdefs        <region>/<account>/<family>/<revision:010d>      ecs.TaskDefinition
//	ecs.taskdefs.status <region>/<account>/<status>/<family>\x00<revision:010d>  (empty)
//	ecs.services        <region>/<account>/<cluster>/<service>           ecs.Service
//	ecs.tasks           <region>/<account>/<cluster>/<task id>           ecs.Task
//	ecs.instances       <region>/<account>/<cluster>/<instance id>       ecs.ContainerInstance
//	ecs.settings        <region>/<account>/<principal|"default">/<name>  ecs.AccountSetting
//
// Task definition revisions come from the durable sequence
// "ecs.taskdef/<region>/<account>/<family>", so a revision is never
// reused, even after deletion, as in ECS. ecs.taskdefs.status indexes
// them by status, in family-name then revision order (see taskdefs.go).
//
// Every accessor takes the transaction it runs in; callers compose them
// inside one store.View or store.Update.
package ecsdb

import (
	"encoding/json"
	"errors"
	"strings"

	"github.com/quayside/quayside/internal/ecs"
	"github.com/quayside/quayside/internal/store"
)

// Table names.
const (
	Clusters  = "ecs.clusters"
	TaskDefs  = "ecs.taskdefs"
	Services  = "ecs.services"
	Tasks     = "ecs.tasks"
	Instances = "ecs.instances"
	Settings  = "ecs.settings"
)

// TaskDefStatus indexes TaskDefs by status (see taskdefs.go).
const TaskDefStatus = "ecs.taskdefs.status"

// Scope is the region and account a request acts in.
type Scope struct {
	Region  string
	Account string
}

// Prefix is the key prefix of the scope.
func (s Scope) Prefix() string { return s.Region + "/" + s.Account + "/" }

func (s Scope) key(parts ...string) string { return s.Prefix() + strings.Join(parts, "/") }

// ---- clusters ----

// GetCluster returns the named cluster, or store.ErrNotFound.
func GetCluster(tx store.ReadTx, s Scope, name string) (ecs.Cluster, error) {
	return store.Get[ecs.Cluster](tx, Clusters, s.key(name))
}

// PutCluster writes a cluster.
func PutCluster(tx store.Tx, s Scope, c ecs.Cluster) error {
	return store.Put(tx, Clusters, s.key(c.Name), c)
}

// ListClusters returns the scope's clusters in name order, after the
// named cluster, at most limit (0: all).
func ListClusters(tx store.ReadTx, s Scope, after string, limit int) ([]ecs.Cluster, error) {
	return store.List[ecs.Cluster](tx, Clusters, s.Prefix(), afterKey(s.Prefix(), after), limit)
}

// ScanClusters calls fn for the scope's clusters in name order, after the
// named cluster; fn returns store.ErrStop to end early.
func ScanClusters(tx store.ReadTx, s Scope, after string, fn func(ecs.Cluster) error) error {
	return tx.Scan(Clusters, s.Prefix(), afterKey(s.Prefix(), after), func(_ string, b []byte) error {
		c, err := decode[ecs.Cluster](b)
		if err != nil {
			return err
		}
		return fn(c)
	})
}

// ---- services ----

// GetService returns a service, or store.ErrNotFound.
func GetService(tx store.ReadTx, s Scope, cluster, name string) (ecs.Service, error) {
	return store.Get[ecs.Service](tx, Services, s.key(cluster, name))
}

// PutService writes a service.
func PutService(tx store.Tx, s Scope, cluster string, svc ecs.Service) error {
	return store.Put(tx, Services, s.key(cluster, svc.Name), svc)
}

// DeleteService removes a service record for good.
func DeleteService(tx store.Tx, s Scope, cluster, name string) error {
	return tx.Delete(Services, s.key(cluster, name))
}

// ListServices returns a cluster's services in name order after `after`.
func ListServices(tx store.ReadTx, s Scope, cluster, after string, limit int) ([]ecs.Service, error) {
	p := s.key(cluster) + "/"
	return store.List[ecs.Service](tx, Services, p, afterKey(p, after), limit)
}

// ---- tasks ----

// GetTask returns a task, or store.ErrNotFound.
func GetTask(tx store.ReadTx, s Scope, cluster, id string) (ecs.Task, error) {
	return store.Get[ecs.Task](tx, Tasks, s.key(cluster, id))
}

// PutTask writes a task.
func PutTask(tx store.Tx, s Scope, cluster string, t ecs.Task) error {
	return store.Put(tx, Tasks, s.key(cluster, t.ID), t)
}

// DeleteTask removes a task record for good.
func DeleteTask(tx store.Tx, s Scope, cluster, id string) error {
	return tx.Delete(Tasks, s.key(cluster, id))
}

// ListTasks returns a cluster's tasks in ID order after the given ID.
func ListTasks(tx store.ReadTx, s Scope, cluster, after string, limit int) ([]ecs.Task, error) {
	p := s.key(cluster) + "/"
	return store.List[ecs.Task](tx, Tasks, p, afterKey(p, after), limit)
}

// TaskKey is the store key of a task, for watchers.
func TaskKey(s Scope, cluster, id string) string { return s.key(cluster, id) }

// ParseKey splits a key of a region/account-scoped table into its scope
// and the rest of its parts.
func ParseKey(key string) (Scope, []string, bool) {
	p := strings.Split(key, "/")
	if len(p) < 3 {
		return Scope{}, nil, false
	}
	return Scope{Region: p[0], Account: p[1]}, p[2:], true
}

// ---- container instances ----

// GetInstance returns a container instance, or store.ErrNotFound.
func GetInstance(tx store.ReadTx, s Scope, cluster, id string) (ecs.ContainerInstance, error) {
	return store.Get[ecs.ContainerInstance](tx, Instances, s.key(cluster, id))
}

// PutInstance writes a container instance.
func PutInstance(tx store.Tx, s Scope, cluster, id string, ci ecs.ContainerInstance) error {
	return store.Put(tx, Instances, s.key(cluster, id), ci)
}

// ListInstances returns a cluster's container instances.
func ListInstances(tx store.ReadTx, s Scope, cluster, after string, limit int) ([]ecs.ContainerInstance, error) {
	p := s.key(cluster) + "/"
	return store.List[ecs.ContainerInstance](tx, Instances, p, afterKey(p, after), limit)
}

// ---- account settings ----

// GetSetting returns a principal's setting ("default" for the account
// default), or store.ErrNotFound.
func GetSetting(tx store.ReadTx, s Scope, principal, name string) (ecs.AccountSetting, error) {
	return store.Get[ecs.AccountSetting](tx, Settings, s.key(principal, name))
}

// PutSetting writes a setting.
func PutSetting(tx store.Tx, s Scope, principal string, st ecs.AccountSetting) error {
	return store.Put(tx, Settings, s.key(principal, string(st.Name)), st)
}

// DeleteSetting removes a setting.
func DeleteSetting(tx store.Tx, s Scope, principal, name string) error {
	return tx.Delete(Settings, s.key(principal, name))
}

// ListSettings returns every setting of the scope, for all principals.
func ListSettings(tx store.ReadTx, s Scope) ([]ecs.AccountSetting, error) {
	return store.List[ecs.AccountSetting](tx, Settings, s.Prefix(), "", 0)
}

// ---- helpers ----

func afterKey(prefix, after string) string {
	if after == "" {
		return ""
	}
	return prefix + after
}

func decode[T any](b []byte) (T, error) {
	var v T
	err := json.Unmarshal(b, &v)
	return v, err
}

// IsNotFound reports whether err is the store's not-found error.
func IsNotFound(err error) bool { return errors.Is(err, store.ErrNotFound) }
