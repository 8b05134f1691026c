package alb

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	"github.com/quayside/quayside/internal/elb"
	"github.com/quayside/quayside/internal/elb/elbdb"
	"github.com/quayside/quayside/internal/store"
)

// snapshot is the whole ELB configuration at one store revision.
type snapshot struct {
	rev       int64                       // the store revision read
	lbs       map[string]elb.LoadBalancer // by ARN
	listeners []elb.Listener
	rules     map[string][]elb.Rule         // by listener ARN, by priority
	tgs       map[string]elb.TargetGroup    // by ARN
	regs      map[string][]elb.Registration // by target group ARN
	health    map[string]elb.Health         // by targetKey
	inUse     map[string]bool               // target group ARNs a listener or rule forwards to
}

// targetKey names a target of a group in maps: "<tg arn>|<id>|<port>".
func targetKey(tgARN string, t elb.Target) string {
	return tgARN + "|" + t.ID + "|" + strconv.Itoa(t.Port)
}

// loadSnapshot reads every ELB table in one transaction.
func loadSnapshot(ctx context.Context, st store.Store) (*snapshot, error) {
	s := &snapshot{lbs: map[string]elb.LoadBalancer{}, rules: map[string][]elb.Rule{}, tgs: map[string]elb.TargetGroup{},
		regs: map[string][]elb.Registration{}, health: map[string]elb.Health{}, inUse: map[string]bool{}}
	err := st.View(ctx, func(tx store.ReadTx) error {
		s.rev = tx.Revision()
		lbs, err := elbdb.AllLoadBalancers(tx)
		if err != nil {
			return err
		}
		for _, lb := range lbs {
			s.lbs[lb.ARN] = lb
		}
		if s.listeners, err = elbdb.AllListeners(tx); err != nil {
			return err
		}
		rules, err := elbdb.AllRules(tx)
		if err != nil {
			return err
		}
		for _, r := range rules {
			s.rules[r.ListenerARN] = append(s.rules[r.ListenerARN], r)
		}
		tgs, err := elbdb.AllTargetGroups(tx)
		if err != nil {
			return err
		}
		for _, tg := range tgs {
			s.tgs[tg.ARN] = tg
		}
		if err := tx.Scan(elbdb.Targets, "", "", func(k string, b []byte) error {
			var reg elb.Registration
			if err := json.Unmarshal(b, &reg); err != nil {
				return err
			}
			if arn, ok := tgARNOfKey(k); ok {
				s.regs[arn] = append(s.regs[arn], reg)
			}
			return nil
		}); err != nil {
			return err
		}
		return tx.Scan(elbdb.Health, "", "", func(k string, b []byte) error {
			var h elb.Health
			if err := json.Unmarshal(b, &h); err != nil {
				return err
			}
			if arn, ok := tgARNOfKey(k); ok {
				parts := strings.Split(k, "/")
				port, _ := strconv.Atoi(parts[len(parts)-1])
				s.health[targetKey(arn, elb.Target{ID: parts[len(parts)-2], Port: port})] = h
			}
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	for lARN := range s.rules {
		slices.SortFunc(s.rules[lARN], func(a, b elb.Rule) int { return a.Priority - b.Priority })
	}
	for _, l := range s.listeners {
		if _, ok := s.lbs[l.LoadBalancerARN]; !ok {
			continue
		}
		for _, tg := range elb.TargetGroupARNs(l.DefaultActions) {
			s.inUse[tg] = true
		}
		for _, r := range s.rules[l.ARN] {
			for _, tg := range elb.TargetGroupARNs(r.Actions) {
				s.inUse[tg] = true
			}
		}
	}
	return s, nil
}

// tgARNOfKey recovers the target group ARN from an elb.targets or
// elb.health key: <region>/<account>/<tg name>/<tg id>/<target id>/<port>.
func tgARNOfKey(k string) (string, bool) {
	p := strings.Split(k, "/")
	if len(p) != 6 {
		return "", false
	}
	a := elb.ARN{Scope: elb.Scope{Region: p[0], Account: p[1]}, Kind: elb.KindTargetGroup, TG: p[2], TGID: p[3]}
	return a.String(), true
}
