package elbdb

import (
	"strings"
	"time"

	"github.com/quayside/quayside/internal/elb"
	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/store"
)

// Registrations lists a target group's registered targets (draining ones
// included) in key order: by ID, then port.
func Registrations(tx store.ReadTx, tg elb.ARN) ([]elb.Registration, error) {
	return store.List[elb.Registration](tx, Targets, targetsPrefix(tg), "", 0)
}

// GetRegistration reads one target's registration.
func GetRegistration(tx store.ReadTx, tg elb.ARN, t elb.Target) (elb.Registration, bool, error) {
	r, err := store.Get[elb.Registration](tx, Targets, targetKey(tg, t))
	ok, err := found(err)
	return r, ok, err
}

// GetHealth reads the health the checker last recorded for a target.
func GetHealth(tx store.ReadTx, tg elb.ARN, t elb.Target) (elb.Health, bool, error) {
	h, err := store.Get[elb.Health](tx, Health, targetKey(tg, t))
	ok, err := found(err)
	return h, ok, err
}

// PutHealth records a target's observed health; it writes nothing when
// the target is not registered (any more), or is draining.
func PutHealth(tx store.Tx, tg elb.ARN, t elb.Target, h elb.Health) error {
	reg, ok, err := GetRegistration(tx, tg, t)
	if err != nil || !ok || reg.Draining() {
		return err
	}
	return store.Put(tx, Health, targetKey(tg, t), h)
}

// mustTargetGroup reads a target group by ARN, in the given scope.
func mustTargetGroup(tx store.ReadTx, s elb.Scope, arn string) (elb.ARN, elb.TargetGroup, error) {
	a, ok := elb.ParseKind(arn, elb.KindTargetGroup)
	if !ok {
		return a, elb.TargetGroup{}, fault.Newf(elb.ErrValidation, "'%s' is not a valid target group ARN", arn)
	}
	tg, ok, err := TargetGroupByARN(tx, a)
	if err == nil && (!ok || a.Scope != s) {
		err = fault.New(elb.ErrTargetGroupNotFound, "One or more target groups not found")
	}
	return a, tg, err
}

// RegisterTargets registers targets with a target group, in the caller's
// transaction. A new target starts initial (Elb.RegistrationInProgress);
// registering a target that is already registered changes nothing, and
// registering one that is draining registers it afresh.
func RegisterTargets(tx store.Tx, s elb.Scope, tgARN string, targets []elb.Target, now time.Time) error {
	a, tg, err := mustTargetGroup(tx, s, tgARN)
	if err != nil {
		return err
	}
	regs, err := Registrations(tx, a)
	if err != nil {
		return err
	}
	count := len(regs)
	for _, t := range targets {
		t, err := elb.ValidateTarget(t, tg)
		if err != nil {
			return err
		}
		old, ok, err := GetRegistration(tx, a, t)
		if err != nil {
			return err
		}
		if ok && !old.Draining() {
			continue
		}
		if !ok {
			count++
		}
		if count > elb.MaxTargets {
			return fault.Newf(elb.ErrTooManyTargets, "You have reached the maximum number of targets (%d) for target group '%s'", elb.MaxTargets, tgARN)
		}
		reg := elb.Registration{Target: t, RegisteredAt: now}
		if err := store.Put(tx, Targets, targetKey(a, t), reg); err != nil {
			return err
		}
		h := elb.NewHealth(elb.StateInitial, elb.ReasonRegistrationInProgress, now)
		if err := store.Put(tx, Health, targetKey(a, t), h); err != nil {
			return err
		}
	}
	return nil
}

// DeregisterTargets starts draining targets: each stays registered, in
// state draining, for the target group's deregistration delay, and the
// load balancer sends it no new requests. Every target must be
// registered (a target that is already draining keeps its deadline).
func DeregisterTargets(tx store.Tx, s elb.Scope, tgARN string, targets []elb.Target, now time.Time) error {
	a, tg, err := mustTargetGroup(tx, s, tgARN)
	if err != nil {
		return err
	}
	var regs []elb.Registration
	var missing []string
	for _, t := range targets {
		if t.Port == 0 {
			t.Port = tg.Port
		}
		reg, ok, err := GetRegistration(tx, a, t)
		if err != nil {
			return err
		}
		if !ok {
			missing = append(missing, "'"+t.ID+"'")
			continue
		}
		regs = append(regs, reg)
	}
	if len(missing) > 0 {
		return fault.Newf(elb.ErrInvalidTarget, "The following targets are not registered in target group '%s': %s", tgARN, strings.Join(missing, ", "))
	}
	for _, reg := range regs {
		if reg.Draining() {
			continue
		}
		reg.DrainUntil = now.Add(tg.DeregistrationDelay())
		if err := store.Put(tx, Targets, targetKey(a, reg.Target), reg); err != nil {
			return err
		}
	}
	return nil
}

// TargetHealth is one row of DescribeTargetHealth.
type TargetHealth struct {
	Target          elb.Target
	HealthCheckPort int
	Health          elb.Health
}

// DescribeTargetHealth reports the health of the given targets, or of
// every registered target when targets is empty. inUse says whether any
// listener or rule forwards to the group.
func DescribeTargetHealth(tx store.ReadTx, s elb.Scope, tgARN string, targets []elb.Target) ([]TargetHealth, error) {
	a, tg, err := mustTargetGroup(tx, s, tgARN)
	if err != nil {
		return nil, err
	}
	use, err := Usage(tx, s)
	if err != nil {
		return nil, err
	}
	inUse := len(use[tgARN]) > 0
	if len(targets) == 0 {
		regs, err := Registrations(tx, a)
		if err != nil {
			return nil, err
		}
		for _, r := range regs {
			targets = append(targets, r.Target)
		}
	}
	out := make([]TargetHealth, 0, len(targets))
	for _, t := range targets {
		if t.Port == 0 {
			t.Port = tg.Port
		}
		h, err := effectiveHealth(tx, a, t, inUse)
		if err != nil {
			return nil, err
		}
		out = append(out, TargetHealth{Target: t, HealthCheckPort: tg.HealthCheckPort(t.Port), Health: h})
	}
	return out, nil
}

// effectiveHealth combines registration, use and observed health into the
// state AWS reports.
func effectiveHealth(tx store.ReadTx, a elb.ARN, t elb.Target, inUse bool) (elb.Health, error) {
	reg, ok, err := GetRegistration(tx, a, t)
	switch {
	case err != nil:
		return elb.Health{}, err
	case !ok:
		return elb.NewHealth(elb.StateUnused, elb.ReasonNotRegistered, time.Time{}), nil
	case reg.Draining():
		h := elb.NewHealth(elb.StateDraining, elb.ReasonDeregistrationInProgress, time.Time{})
		h.DrainUntil = reg.DrainUntil
		return h, nil
	case !inUse:
		return elb.NewHealth(elb.StateUnused, elb.ReasonNotInUse, reg.RegisteredAt), nil
	}
	h, ok, err := GetHealth(tx, a, t)
	if err != nil || ok {
		return h, err
	}
	return elb.NewHealth(elb.StateInitial, elb.ReasonRegistrationInProgress, reg.RegisteredAt), nil
}
