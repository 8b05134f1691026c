package elbdb

import (
	"slices"

	"github.com/quayside/quayside/internal/elb"
	"github.com/quayside/quayside/internal/store"
)

// ---- listeners ----

// GetListener reads the listener an ARN names.
func GetListener(tx store.ReadTx, a elb.ARN) (elb.Listener, bool, error) {
	if a.Kind != elb.KindListener {
		return elb.Listener{}, false, nil
	}
	l, err := store.Get[elb.Listener](tx, Listeners, listenerKey(a))
	ok, err := found(err)
	return l, ok, err
}

// PutListener writes a listener.
func PutListener(tx store.Tx, l elb.Listener) error {
	a, _ := elb.ParseKind(l.ARN, elb.KindListener)
	return store.Put(tx, Listeners, listenerKey(a), l)
}

// DeleteListener deletes a listener and its rules.
func DeleteListener(tx store.Tx, a elb.ARN) error {
	var keys []string
	err := tx.Scan(Rules, rulesPrefix(a), "", func(k string, _ []byte) error {
		keys = append(keys, k)
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range keys {
		if err := tx.Delete(Rules, k); err != nil {
			return err
		}
	}
	return tx.Delete(Listeners, listenerKey(a))
}

// ListenersOf lists a load balancer's listeners, in ID order.
func ListenersOf(tx store.ReadTx, lb elb.ARN) ([]elb.Listener, error) {
	return store.List[elb.Listener](tx, Listeners, listenersPrefix(lb), "", 0)
}

// AllListeners lists every listener of every load balancer.
func AllListeners(tx store.ReadTx) ([]elb.Listener, error) {
	return store.List[elb.Listener](tx, Listeners, "", "", 0)
}

// ---- rules ----

// GetRule reads the rule an ARN names (not a default rule).
func GetRule(tx store.ReadTx, a elb.ARN) (elb.Rule, bool, error) {
	if a.Kind != elb.KindRule {
		return elb.Rule{}, false, nil
	}
	r, err := store.Get[elb.Rule](tx, Rules, ruleKey(a))
	ok, err := found(err)
	return r, ok, err
}

// PutRule writes a rule.
func PutRule(tx store.Tx, r elb.Rule) error {
	a, _ := elb.ParseKind(r.ARN, elb.KindRule)
	return store.Put(tx, Rules, ruleKey(a), r)
}

// DeleteRule deletes a rule.
func DeleteRule(tx store.Tx, a elb.ARN) error { return tx.Delete(Rules, ruleKey(a)) }

// RulesOf lists a listener's rules (its default rule excluded), by
// priority.
func RulesOf(tx store.ReadTx, listener elb.ARN) ([]elb.Rule, error) {
	rs, err := store.List[elb.Rule](tx, Rules, rulesPrefix(listener), "", 0)
	slices.SortFunc(rs, func(a, b elb.Rule) int { return a.Priority - b.Priority })
	return rs, err
}

// CountRules counts a load balancer's rules, default rules excluded.
func CountRules(tx store.ReadTx, lb elb.ARN) (int, error) {
	n := 0
	err := tx.Scan(Rules, listenersPrefix(lb), "", func(string, []byte) error { n++; return nil })
	return n, err
}

// AllRules lists every rule of every listener.
func AllRules(tx store.ReadTx) ([]elb.Rule, error) {
	return store.List[elb.Rule](tx, Rules, "", "", 0)
}

// ---- usage ----

// Usage maps each target group ARN that a listener or rule of the scope
// forwards to onto the ARNs of the load balancers that use it, sorted.
func Usage(tx store.ReadTx, s elb.Scope) (map[string][]string, error) {
	use := map[string][]string{}
	add := func(tgs []string, lb string) {
		for _, tg := range tgs {
			if !slices.Contains(use[tg], lb) {
				use[tg] = append(use[tg], lb)
			}
		}
	}
	ls, err := store.List[elb.Listener](tx, Listeners, s.Prefix(), "", 0)
	if err != nil {
		return nil, err
	}
	for _, l := range ls {
		add(elb.TargetGroupARNs(l.DefaultActions), l.LoadBalancerARN)
	}
	rs, err := store.List[elb.Rule](tx, Rules, s.Prefix(), "", 0)
	if err != nil {
		return nil, err
	}
	for _, r := range rs {
		a, _ := elb.ParseKind(r.ARN, elb.KindRule)
		add(elb.TargetGroupARNs(r.Actions), a.LoadBalancerARN().String())
	}
	for _, lbs := range use {
		slices.Sort(lbs)
	}
	return use, nil
}
