package elbapi

import (
	"context"
	"slices"
	"strconv"

	"github.com/quayside/quayside/internal/elb"
	"github.com/quayside/quayside/internal/elb/elbdb"
	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/store"
	"github.com/quayside/quayside/internal/wire/elbv2wire"
)

func (a *API) createRule(ctx context.Context, in *elbv2wire.CreateRuleInput) (*elbv2wire.CreateRuleOutput, error) {
	s := scope(ctx)
	if len(in.Transforms) > 0 {
		return nil, fault.New(elb.ErrValidation, "Quayside does not support rule transforms yet")
	}
	conds, err := conditionsIn(in.Conditions)
	if err != nil {
		return nil, err
	}
	if len(conds) == 0 {
		return nil, fault.New(elb.ErrValidation, "At least one condition must be specified")
	}
	if err := elb.ValidateConditions(conds); err != nil {
		return nil, err
	}
	actions, err := actionsIn(in.Actions)
	if err != nil {
		return nil, err
	}
	r := elb.Rule{ListenerARN: deref(in.ListenerArn), Priority: int(deref(in.Priority)), Conditions: conds, Tags: tagsIn(in.Tags)}
	if err := elb.ValidateNewTags(r.Tags); err != nil {
		return nil, err
	}
	id := a.ids.New()
	err = a.st.Update(ctx, func(tx store.Tx) error {
		l, err := mustListener(tx, s, r.ListenerARN)
		if err != nil {
			return err
		}
		if r.Actions, err = a.checkActions(tx, s, l.LoadBalancerARN, actions, l.Protocol); err != nil {
			return err
		}
		la, _ := elb.ParseKind(l.ARN, elb.KindListener)
		rules, err := elbdb.RulesOf(tx, la)
		if err != nil {
			return err
		}
		for _, o := range rules {
			if o.Priority == r.Priority {
				return fault.Newf(elb.ErrPriorityInUse, "Priority '%d' is currently in use", r.Priority)
			}
		}
		if n, err := elbdb.CountRules(tx, la.LoadBalancerARN()); err != nil || n >= elb.MaxRules {
			if err != nil {
				return err
			}
			return fault.Newf(elb.ErrTooManyRules, "You have reached the maximum number of rules (%d) for load balancer '%s'", elb.MaxRules, l.LoadBalancerARN)
		}
		ra := la
		ra.Kind, ra.Rule = elb.KindRule, id
		r.ID, r.ARN = id, ra.String()
		return elbdb.PutRule(tx, r)
	})
	if err != nil {
		return nil, err
	}
	return &elbv2wire.CreateRuleOutput{Rules: []elbv2wire.Rule{ruleOut(r)}}, nil
}

// ruleRef is a rule an ARN names: a rule record, or a listener's default
// rule.
type ruleRef struct {
	rule      elb.Rule
	listener  elb.Listener
	isDefault bool
}

func (r ruleRef) out() elbv2wire.Rule {
	if r.isDefault {
		return defaultRuleOut(r.listener)
	}
	return ruleOut(r.rule)
}

// mustRule reads the rule an ARN names, or fails as AWS does.
func mustRule(tx store.ReadTx, s elb.Scope, arn string) (ruleRef, error) {
	ra, ok := elb.ParseKind(arn, elb.KindRule)
	if !ok {
		return ruleRef{}, fault.Newf(elb.ErrValidation, "'%s' is not a valid listener rule ARN", arn)
	}
	notFound := fault.New(elb.ErrRuleNotFound, "One or more rules not found")
	if ra.Scope != s {
		return ruleRef{}, notFound
	}
	l, ok, err := elbdb.GetListener(tx, ra.ListenerARN())
	if err != nil || !ok {
		if err == nil {
			err = notFound
		}
		return ruleRef{}, err
	}
	if l.DefaultRuleID == ra.Rule {
		return ruleRef{listener: l, isDefault: true}, nil
	}
	r, ok, err := elbdb.GetRule(tx, ra)
	if err == nil && !ok {
		err = notFound
	}
	return ruleRef{rule: r, listener: l}, err
}

func (a *API) describeRules(ctx context.Context, in *elbv2wire.DescribeRulesInput) (*elbv2wire.DescribeRulesOutput, error) {
	s := scope(ctx)
	if (in.ListenerArn == nil) == (len(in.RuleArns) == 0) {
		return nil, fault.New(elb.ErrValidation, "You must specify either listener rule ARNs or a listener ARN")
	}
	size, err := pageSize(in.PageSize)
	if err != nil {
		return nil, err
	}
	after, err := decodeMarker(in.Marker)
	if err != nil {
		return nil, err
	}
	out := &elbv2wire.DescribeRulesOutput{Rules: []elbv2wire.Rule{}}
	err = a.st.View(ctx, func(tx store.ReadTx) error {
		var refs []ruleRef
		if in.ListenerArn != nil {
			l, err := mustListener(tx, s, *in.ListenerArn)
			if err != nil {
				return err
			}
			la, _ := elb.ParseKind(l.ARN, elb.KindListener)
			rules, err := elbdb.RulesOf(tx, la)
			if err != nil {
				return err
			}
			for _, r := range rules {
				refs = append(refs, ruleRef{rule: r, listener: l})
			}
			refs = append(refs, ruleRef{listener: l, isDefault: true})
		} else {
			for _, arn := range in.RuleArns {
				ref, err := mustRule(tx, s, arn)
				if err != nil {
					return err
				}
				refs = append(refs, ref)
			}
		}
		// A marker is the position to continue from (rules are in priority
		// order, the default rule last).
		start, err := strconv.Atoi(orDefault(after, "0"))
		if err != nil || start < 0 || start > len(refs) {
			return fault.New(elb.ErrValidation, "The marker is not valid")
		}
		end := min(len(refs), start+size)
		if end < len(refs) {
			out.NextMarker = ptr(encodeMarker(strconv.Itoa(end)))
		}
		for _, ref := range refs[start:end] {
			out.Rules = append(out.Rules, ref.out())
		}
		return nil
	})
	return out, err
}

func (a *API) modifyRule(ctx context.Context, in *elbv2wire.ModifyRuleInput) (*elbv2wire.ModifyRuleOutput, error) {
	s := scope(ctx)
	if len(in.Transforms) > 0 || deref(in.ResetTransforms) {
		return nil, fault.New(elb.ErrValidation, "Quayside does not support rule transforms yet")
	}
	var conds []elb.Condition
	if in.Conditions != nil {
		var err error
		if conds, err = conditionsIn(in.Conditions); err != nil {
			return nil, err
		}
		if err := elb.ValidateConditions(conds); err != nil {
			return nil, err
		}
	}
	var actions []elb.Action
	if in.Actions != nil {
		var err error
		if actions, err = actionsIn(in.Actions); err != nil {
			return nil, err
		}
	}
	var ref ruleRef
	err := a.st.Update(ctx, func(tx store.Tx) error {
		var err error
		if ref, err = mustRule(tx, s, deref(in.RuleArn)); err != nil {
			return err
		}
		l := ref.listener
		if in.Actions != nil {
			if actions, err = a.checkActions(tx, s, l.LoadBalancerARN, actions, l.Protocol); err != nil {
				return err
			}
		}
		if ref.isDefault {
			if len(conds) > 0 {
				return fault.New(elb.ErrOperationNotPermitted, "The conditions of a default rule cannot be modified")
			}
			if in.Actions != nil {
				ref.listener.DefaultActions = actions
			}
			return elbdb.PutListener(tx, ref.listener)
		}
		if in.Conditions != nil {
			if len(conds) == 0 {
				return fault.New(elb.ErrValidation, "At least one condition must be specified")
			}
			ref.rule.Conditions = conds
		}
		if in.Actions != nil {
			ref.rule.Actions = actions
		}
		return elbdb.PutRule(tx, ref.rule)
	})
	if err != nil {
		return nil, err
	}
	return &elbv2wire.ModifyRuleOutput{Rules: []elbv2wire.Rule{ref.out()}}, nil
}

func (a *API) deleteRule(ctx context.Context, in *elbv2wire.DeleteRuleInput) (*elbv2wire.DeleteRuleOutput, error) {
	s := scope(ctx)
	arn := deref(in.RuleArn)
	err := a.st.Update(ctx, func(tx store.Tx) error {
		ref, err := mustRule(tx, s, arn)
		if err != nil {
			return err
		}
		if ref.isDefault {
			return fault.Newf(elb.ErrOperationNotPermitted, "Default rule '%s' cannot be deleted", arn)
		}
		ra, _ := elb.ParseKind(arn, elb.KindRule)
		return elbdb.DeleteRule(tx, ra)
	})
	return &elbv2wire.DeleteRuleOutput{}, err
}

func (a *API) setRulePriorities(ctx context.Context, in *elbv2wire.SetRulePrioritiesInput) (*elbv2wire.SetRulePrioritiesOutput, error) {
	s := scope(ctx)
	var changed []elb.Rule
	err := a.st.Update(ctx, func(tx store.Tx) error {
		changed = nil
		byListener := map[string][]elb.Rule{}
		moving := map[string]bool{}
		seen := map[string]bool{}
		for _, p := range in.RulePriorities {
			arn := deref(p.RuleArn)
			ref, err := mustRule(tx, s, arn)
			if err != nil {
				return err
			}
			if ref.isDefault {
				return fault.Newf(elb.ErrOperationNotPermitted, "The priority of default rule '%s' cannot be changed", arn)
			}
			if seen[arn] {
				return fault.Newf(elb.ErrValidation, "Rule '%s' is specified more than once", arn)
			}
			seen[arn] = true
			r := ref.rule
			r.Priority = int(deref(p.Priority))
			moving[r.ARN] = true
			byListener[r.ListenerARN] = append(byListener[r.ListenerARN], r)
			changed = append(changed, r)
		}
		for lARN, rs := range byListener {
			la, _ := elb.ParseKind(lARN, elb.KindListener)
			others, err := elbdb.RulesOf(tx, la)
			if err != nil {
				return err
			}
			taken := map[int]bool{}
			for _, o := range others {
				if !moving[o.ARN] {
					taken[o.Priority] = true
				}
			}
			for _, r := range rs {
				if taken[r.Priority] {
					return fault.Newf(elb.ErrPriorityInUse, "Priority '%d' is currently in use", r.Priority)
				}
				taken[r.Priority] = true
			}
		}
		for _, r := range changed {
			if err := elbdb.PutRule(tx, r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(changed, func(a, b elb.Rule) int { return a.Priority - b.Priority })
	out := &elbv2wire.SetRulePrioritiesOutput{Rules: []elbv2wire.Rule{}}
	for _, r := range changed {
		out.Rules = append(out.Rules, ruleOut(r))
	}
	return out, nil
}
