package elbdb

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/quayside/quayside/internal/elb"
	"github.com/quayside/quayside/internal/store"
	"github.com/quayside/quayside/internal/store/boltstore"
)

var scope = elb.Scope{Region: "us-east-1", Account: "000000000000"}

// fixture stores a target group (deregistration delay 10 s) and a
// listener forwarding to it.
func fixture(t *testing.T) (store.Store, elb.TargetGroup) {
	t.Helper()
	st, err := boltstore.Open(filepath.Join(t.TempDir(), "q.db"), boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	tg := elb.TargetGroup{Name: "web", ID: "0123456789abcdef", Protocol: "HTTP", Port: 8080, TargetType: elb.TargetTypeIP,
		IPAddressType: "ipv4", HealthCheck: elb.DefaultHealthCheck("HTTP", 0), Attributes: map[string]string{elb.AttrDeregistrationDelay: "10"}}
	tg.ARN = elb.ARN{Scope: scope, Kind: elb.KindTargetGroup, TG: tg.Name, TGID: tg.ID}.String()
	lb := elb.ARN{Scope: scope, Kind: elb.KindLoadBalancer, LB: "lb", LBID: "fedcba9876543210"}
	la := lb
	la.Kind, la.Listener = elb.KindListener, "1111111111111111"
	l := elb.Listener{ID: la.Listener, ARN: la.String(), LoadBalancerARN: lb.String(), Port: 80, Protocol: "HTTP", DefaultRuleID: "2222222222222222",
		DefaultActions: []elb.Action{{Type: elb.ActionForward, Order: 1, Forward: &elb.ForwardConfig{TargetGroups: []elb.WeightedTargetGroup{{ARN: tg.ARN, Weight: 1}}}}}}
	err = st.Update(context.Background(), func(tx store.Tx) error {
		if err := PutTargetGroup(tx, scope, tg); err != nil {
			return err
		}
		return PutListener(tx, l)
	})
	if err != nil {
		t.Fatal(err)
	}
	return st, tg
}

func TestTargetRegistry(t *testing.T) {
	st, tg := fixture(t)
	ctx := context.Background()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	reg := &TargetRegistry{Store: st, Now: func() time.Time { return now }}
	target := elb.Target{ID: "172.18.0.5"}

	info, err := reg.TargetGroup(ctx, "us-east-1", "000000000000", tg.ARN)
	if err != nil || info.TargetType != elb.TargetTypeIP || info.Port != 8080 || len(info.LoadBalancerARNs) != 1 || info.HealthCheck.Path != "/" {
		t.Fatalf("info %+v %v", info, err)
	}
	if _, err := reg.TargetGroup(ctx, "eu-west-1", "000000000000", tg.ARN); !errors.Is(err, elb.ErrTargetGroupNotFound) {
		t.Fatalf("other region: %v", err)
	}
	if err := reg.RegisterTargets(ctx, "us-east-1", "000000000000", tg.ARN, []elb.Target{target}); err != nil {
		t.Fatal(err)
	}
	target.Port = 8080 // the group's port, filled in
	state, reason, desc, err := reg.TargetHealth(ctx, "us-east-1", "000000000000", tg.ARN, target)
	if err != nil || state != "initial" || reason != "Elb.RegistrationInProgress" || desc != "Target registration is in progress" {
		t.Fatalf("registered: %s %s %s %v", state, reason, desc, err)
	}
	// The data plane reports health.
	a, _ := elb.ParseKind(tg.ARN, elb.KindTargetGroup)
	st.Update(ctx, func(tx store.Tx) error { return PutHealth(tx, a, target, elb.NewHealth(elb.StateHealthy, "", now)) })
	if h, _ := reg.Health(ctx, "us-east-1", "000000000000", tg.ARN, target); h.State != elb.StateHealthy {
		t.Fatalf("healthy: %+v", h)
	}
	// Deregistered: draining until the delay has passed.
	if err := reg.DeregisterTargets(ctx, "us-east-1", "000000000000", tg.ARN, []elb.Target{{ID: "172.18.0.5"}}); err != nil {
		t.Fatal(err)
	}
	h, _ := reg.Health(ctx, "us-east-1", "000000000000", tg.ARN, target)
	if h.State != elb.StateDraining || !h.DrainUntil.Equal(now.Add(10*time.Second)) {
		t.Fatalf("draining: %+v", h)
	}
	// Health reports for a draining target are ignored.
	st.Update(ctx, func(tx store.Tx) error { return PutHealth(tx, a, target, elb.NewHealth(elb.StateHealthy, "", now)) })
	if done, _ := reg.Drained(ctx, "us-east-1", "000000000000", tg.ARN, target); done {
		t.Fatal("drained before the delay")
	}

	var wg sync.WaitGroup
	var waitErr error
	wg.Add(1)
	go func() { defer wg.Done(); waitErr = reg.WaitDrained(ctx, "us-east-1", "000000000000", tg.ARN, target) }()
	reaper := &Reaper{Store: st, Now: func() time.Time { return now }}
	if next, err := reaper.Sweep(ctx); err != nil || !next.Equal(now.Add(10*time.Second)) {
		t.Fatalf("early sweep: %v %v", next, err)
	}
	now = now.Add(10 * time.Second)
	if next, err := reaper.Sweep(ctx); err != nil || !next.IsZero() {
		t.Fatalf("sweep: %v %v", next, err)
	}
	wg.Wait()
	if waitErr != nil {
		t.Fatal(waitErr)
	}
	if state, reason, _, _ := reg.TargetHealth(ctx, "us-east-1", "000000000000", tg.ARN, target); state != "unused" || reason != "Target.NotRegistered" {
		t.Fatalf("after draining: %s %s", state, reason)
	}
	// The health record went with the registration.
	err = st.View(ctx, func(tx store.ReadTx) error {
		_, ok, err := GetHealth(tx, a, target)
		if ok {
			return errors.New("health record left behind")
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestReaperRun(t *testing.T) {
	st, tg := fixture(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	zero := tg
	zero.Attributes = map[string]string{elb.AttrDeregistrationDelay: "0"}
	st.Update(ctx, func(tx store.Tx) error { return PutTargetGroup(tx, scope, zero) })
	go (&Reaper{Store: st}).Run(ctx)
	reg := NewTargetRegistry(st)
	target := elb.Target{ID: "10.0.0.1", Port: 8080}
	if err := reg.RegisterTargets(ctx, "us-east-1", "000000000000", tg.ARN, []elb.Target{target}); err != nil {
		t.Fatal(err)
	}
	if err := reg.DeregisterTargets(ctx, "us-east-1", "000000000000", tg.ARN, []elb.Target{target}); err != nil {
		t.Fatal(err)
	}
	wctx, wcancel := context.WithTimeout(ctx, 5*time.Second)
	defer wcancel()
	if err := reg.WaitDrained(wctx, "us-east-1", "000000000000", tg.ARN, target); err != nil {
		t.Fatalf("a zero delay did not remove the target: %v", err)
	}
}
