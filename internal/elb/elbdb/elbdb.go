// Package elbdb keeps ELBv2 records in the store: one table per resource,
// typed accessors that run inside the caller's transaction, and the
// operations on targets that both the ELBv2 API and ECS use.
//
//	table              key                                                          value
//	elb.loadbalancers  <region>/<account>/<name>                                    elb.LoadBalancer
//	elb.listeners      <region>/<account>/<lb name>/<lb id>/<listener id>           elb.Listener
//	elb.rules          <region>/<account>/<lb name>/<lb id>/<listener id>/<rule id> elb.Rule
//	elb.targetgroups   <region>/<account>/<name>                                    elb.TargetGroup
//	elb.targets        <region>/<account>/<tg name>/<tg id>/<target id>/<port:05d>  elb.Registration
//	elb.health         (the same key as elb.targets)                                elb.Health
//
// The API owns every table but elb.health, which the data plane's health
// checker writes, one record per state change (desired state in the
// API's tables, observed state in elb.health). A deregistered target
// keeps its registration, with DrainUntil set, until the Reaper deletes
// it and its health once the deregistration delay has passed.
//
// Names never contain '/', and IDs are hex, so each prefix above names
// exactly one parent. Load balancer names are unique per region and
// account, as are target group names; both tables are keyed by name and
// an ARN's ID is checked against the record's.
package elbdb

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/quayside/quayside/internal/elb"
	"github.com/quayside/quayside/internal/store"
)

// Table names.
const (
	LoadBalancers = "elb.loadbalancers"
	Listeners     = "elb.listeners"
	Rules         = "elb.rules"
	TargetGroups  = "elb.targetgroups"
	Targets       = "elb.targets"
	Health        = "elb.health"
)

// AllTables lists every ELB table, for watchers.
var AllTables = []string{LoadBalancers, Listeners, Rules, TargetGroups, Targets, Health}

func lbKey(s elb.Scope, name string) string { return s.Prefix() + name }

// listenersPrefix is the key prefix of a load balancer's listeners.
func listenersPrefix(lb elb.ARN) string { return lb.Prefix() + lb.LB + "/" + lb.LBID + "/" }

func listenerKey(l elb.ARN) string { return listenersPrefix(l) + l.Listener }

// rulesPrefix is the key prefix of a listener's rules.
func rulesPrefix(l elb.ARN) string { return listenerKey(l) + "/" }

func ruleKey(r elb.ARN) string { return rulesPrefix(r) + r.Rule }

func tgKey(s elb.Scope, name string) string { return s.Prefix() + name }

// targetsPrefix is the key prefix of a target group's targets.
func targetsPrefix(tg elb.ARN) string { return tg.Prefix() + tg.TG + "/" + tg.TGID + "/" }

func targetKey(tg elb.ARN, t elb.Target) string {
	return targetsPrefix(tg) + t.ID + "/" + fmt.Sprintf("%05d", t.Port)
}

// found turns store.ErrNotFound into ok=false.
func found(err error) (bool, error) {
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

// ---- load balancers ----

// GetLoadBalancer reads a load balancer by name; ok is false if none.
func GetLoadBalancer(tx store.ReadTx, s elb.Scope, name string) (elb.LoadBalancer, bool, error) {
	lb, err := store.Get[elb.LoadBalancer](tx, LoadBalancers, lbKey(s, name))
	ok, err := found(err)
	return lb, ok, err
}

// LoadBalancerByARN reads the load balancer an ARN names.
func LoadBalancerByARN(tx store.ReadTx, a elb.ARN) (elb.LoadBalancer, bool, error) {
	if a.Kind != elb.KindLoadBalancer {
		return elb.LoadBalancer{}, false, nil
	}
	lb, ok, err := GetLoadBalancer(tx, a.Scope, a.LB)
	return lb, ok && lb.ID == a.LBID, err
}

// PutLoadBalancer writes a load balancer.
func PutLoadBalancer(tx store.Tx, s elb.Scope, lb elb.LoadBalancer) error {
	return store.Put(tx, LoadBalancers, lbKey(s, lb.Name), lb)
}

// DeleteLoadBalancer deletes a load balancer record (not its listeners).
func DeleteLoadBalancer(tx store.Tx, s elb.Scope, name string) error {
	return tx.Delete(LoadBalancers, lbKey(s, name))
}

// ListLoadBalancers lists a scope's load balancers by name, after the
// name `after`, up to limit (0: all).
func ListLoadBalancers(tx store.ReadTx, s elb.Scope, after string, limit int) ([]elb.LoadBalancer, error) {
	a := ""
	if after != "" {
		a = lbKey(s, after)
	}
	return store.List[elb.LoadBalancer](tx, LoadBalancers, s.Prefix(), a, limit)
}

// AllLoadBalancers lists every load balancer of every scope.
func AllLoadBalancers(tx store.ReadTx) ([]elb.LoadBalancer, error) {
	return store.List[elb.LoadBalancer](tx, LoadBalancers, "", "", 0)
}

// ---- target groups ----

// GetTargetGroup reads a target group by name.
func GetTargetGroup(tx store.ReadTx, s elb.Scope, name string) (elb.TargetGroup, bool, error) {
	tg, err := store.Get[elb.TargetGroup](tx, TargetGroups, tgKey(s, name))
	ok, err := found(err)
	return tg, ok, err
}

// TargetGroupByARN reads the target group an ARN names.
func TargetGroupByARN(tx store.ReadTx, a elb.ARN) (elb.TargetGroup, bool, error) {
	if a.Kind != elb.KindTargetGroup {
		return elb.TargetGroup{}, false, nil
	}
	tg, ok, err := GetTargetGroup(tx, a.Scope, a.TG)
	return tg, ok && tg.ID == a.TGID, err
}

// PutTargetGroup writes a target group.
func PutTargetGroup(tx store.Tx, s elb.Scope, tg elb.TargetGroup) error {
	return store.Put(tx, TargetGroups, tgKey(s, tg.Name), tg)
}

// DeleteTargetGroup deletes a target group with its targets and health.
func DeleteTargetGroup(tx store.Tx, tg elb.ARN) error {
	var keys []string
	err := tx.Scan(Targets, targetsPrefix(tg), "", func(k string, _ []byte) error {
		keys = append(keys, k)
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range keys {
		if err := tx.Delete(Targets, k); err != nil {
			return err
		}
		if err := tx.Delete(Health, k); err != nil {
			return err
		}
	}
	return tx.Delete(TargetGroups, tgKey(tg.Scope, tg.TG))
}

// ListTargetGroups lists a scope's target groups by name.
func ListTargetGroups(tx store.ReadTx, s elb.Scope, after string, limit int) ([]elb.TargetGroup, error) {
	a := ""
	if after != "" {
		a = tgKey(s, after)
	}
	return store.List[elb.TargetGroup](tx, TargetGroups, s.Prefix(), a, limit)
}

// AllTargetGroups lists every target group of every scope.
func AllTargetGroups(tx store.ReadTx) ([]elb.TargetGroup, error) {
	return store.List[elb.TargetGroup](tx, TargetGroups, "", "", 0)
}

// CountTargetGroups counts a scope's target groups.
func CountTargetGroups(tx store.ReadTx, s elb.Scope) (int, error) {
	n := 0
	err := tx.Scan(TargetGroups, s.Prefix(), "", func(string, []byte) error { n++; return nil })
	return n, err
}

func decode[T any](b []byte) (T, error) {
	var v T
	err := json.Unmarshal(b, &v)
	return v, err
}
