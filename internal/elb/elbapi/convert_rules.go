package elbapi

import (
	"slices"

	"github.com/quayside/quayside/internal/elb"
	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/wire/elbv2wire"
)

// actionsIn converts wire actions to domain actions. Shapes are checked
// here; rules (order, terminal action, limits) in elb.ValidateActions.
func actionsIn(ws []elbv2wire.Action) ([]elb.Action, error) {
	out := make([]elb.Action, 0, len(ws))
	for _, w := range ws {
		a := elb.Action{Type: deref(w.Type), Order: int(deref(w.Order))}
		if (w.RedirectConfig != nil && a.Type != elb.ActionRedirect) || (w.FixedResponseConfig != nil && a.Type != elb.ActionFixedResponse) ||
			((w.ForwardConfig != nil || w.TargetGroupArn != nil) && a.Type != elb.ActionForward) {
			return nil, fault.Newf(elb.ErrValidation, "The configuration given does not match action type '%s'", a.Type)
		}
		switch a.Type {
		case elb.ActionForward:
			f, err := forwardIn(w)
			if err != nil {
				return nil, err
			}
			a.Forward = f
		case elb.ActionRedirect:
			if r := w.RedirectConfig; r != nil {
				a.Redirect = &elb.RedirectConfig{Protocol: deref(r.Protocol), Port: deref(r.Port), Host: deref(r.Host),
					Path: deref(r.Path), Query: deref(r.Query), StatusCode: deref(r.StatusCode)}
			}
		case elb.ActionFixedResponse:
			if f := w.FixedResponseConfig; f != nil {
				a.Fixed = &elb.FixedResponseConfig{StatusCode: deref(f.StatusCode), ContentType: deref(f.ContentType), MessageBody: deref(f.MessageBody)}
			}
		}
		out = append(out, a)
	}
	return out, nil
}

func forwardIn(w elbv2wire.Action) (*elb.ForwardConfig, error) {
	arn := deref(w.TargetGroupArn)
	fc := w.ForwardConfig
	if fc == nil || len(fc.TargetGroups) == 0 {
		if arn == "" {
			return nil, nil // elb.ValidateActions reports it
		}
		return &elb.ForwardConfig{TargetGroups: []elb.WeightedTargetGroup{{ARN: arn, Weight: 1}}}, nil
	}
	f := &elb.ForwardConfig{}
	for _, t := range fc.TargetGroups {
		weight := 1
		if t.Weight != nil {
			weight = int(*t.Weight)
		}
		f.TargetGroups = append(f.TargetGroups, elb.WeightedTargetGroup{ARN: deref(t.TargetGroupArn), Weight: weight})
	}
	if arn != "" && (len(f.TargetGroups) != 1 || f.TargetGroups[0].ARN != arn) {
		return nil, fault.New(elb.ErrValidation, "You cannot specify both a target group ARN and a forward configuration with different target groups")
	}
	if s := fc.TargetGroupStickinessConfig; s != nil && deref(s.Enabled) {
		f.Stickiness, f.StickinessSeconds = true, int(deref(s.DurationSeconds))
	}
	return f, nil
}

// actionsOut renders actions as DescribeRules and DescribeListeners do.
func actionsOut(as []elb.Action) []elbv2wire.Action {
	out := make([]elbv2wire.Action, 0, len(as))
	for _, a := range as {
		w := elbv2wire.Action{Type: ptr(a.Type), Order: ptr(int64(a.Order))}
		switch {
		case a.Forward != nil:
			fc := &elbv2wire.ForwardActionConfig{TargetGroupStickinessConfig: &elbv2wire.TargetGroupStickinessConfig{Enabled: ptr(a.Forward.Stickiness)}}
			if a.Forward.Stickiness {
				fc.TargetGroupStickinessConfig.DurationSeconds = ptr(int64(a.Forward.StickinessSeconds))
			}
			for _, tg := range a.Forward.TargetGroups {
				fc.TargetGroups = append(fc.TargetGroups, elbv2wire.TargetGroupTuple{TargetGroupArn: ptr(tg.ARN), Weight: ptr(int64(tg.Weight))})
			}
			if len(a.Forward.TargetGroups) == 1 {
				w.TargetGroupArn = ptr(a.Forward.TargetGroups[0].ARN)
			}
			w.ForwardConfig = fc
		case a.Redirect != nil:
			r := a.Redirect
			w.RedirectConfig = &elbv2wire.RedirectActionConfig{Protocol: ptr(r.Protocol), Port: ptr(r.Port), Host: ptr(r.Host),
				Path: ptr(r.Path), Query: ptr(r.Query), StatusCode: ptr(r.StatusCode)}
		case a.Fixed != nil:
			f := a.Fixed
			w.FixedResponseConfig = &elbv2wire.FixedResponseActionConfig{StatusCode: ptr(f.StatusCode)}
			if f.ContentType != "" {
				w.FixedResponseConfig.ContentType = ptr(f.ContentType)
			}
			if f.MessageBody != "" {
				w.FixedResponseConfig.MessageBody = ptr(f.MessageBody)
			}
		}
		out = append(out, w)
	}
	return out
}

// conditionsIn converts wire conditions. A host-header or path-pattern
// condition may give its values in Values or in its *Config, not both.
func conditionsIn(ws []elbv2wire.RuleCondition) ([]elb.Condition, error) {
	out := make([]elb.Condition, 0, len(ws))
	for _, w := range ws {
		c := elb.Condition{Field: deref(w.Field)}
		if len(w.RegexValues) > 0 || regexIn(w) {
			return nil, fault.New(elb.ErrValidation, "Quayside does not support regular expression rule conditions (RegexValues) yet")
		}
		var cfgValues []string
		hasCfg := false
		switch c.Field {
		case elb.FieldHostHeader:
			if w.HostHeaderConfig != nil {
				cfgValues, hasCfg = w.HostHeaderConfig.Values, true
			}
		case elb.FieldPathPattern:
			if w.PathPatternConfig != nil {
				cfgValues, hasCfg = w.PathPatternConfig.Values, true
			}
		case elb.FieldHTTPHeader:
			if w.HttpHeaderConfig != nil {
				c.HeaderName, cfgValues, hasCfg = deref(w.HttpHeaderConfig.HttpHeaderName), w.HttpHeaderConfig.Values, true
			}
		case elb.FieldMethod:
			if w.HttpRequestMethodConfig != nil {
				cfgValues, hasCfg = w.HttpRequestMethodConfig.Values, true
			}
		case elb.FieldSourceIP:
			if w.SourceIpConfig != nil {
				cfgValues, hasCfg = w.SourceIpConfig.Values, true
			}
		case elb.FieldQueryString:
			if w.QueryStringConfig != nil {
				hasCfg = true
				for _, q := range w.QueryStringConfig.Values {
					c.Query = append(c.Query, elb.QueryPair{Key: deref(q.Key), Value: deref(q.Value)})
				}
			}
		}
		switch {
		case len(w.Values) > 0 && hasCfg:
			return nil, fault.Newf(elb.ErrValidation, "You cannot specify both 'Values' and a condition configuration for field '%s'", c.Field)
		case len(w.Values) > 0:
			if c.Field != elb.FieldHostHeader && c.Field != elb.FieldPathPattern {
				return nil, fault.Newf(elb.ErrValidation, "'Values' can only be specified for the 'host-header' and 'path-pattern' fields; use the configuration of field '%s'", c.Field)
			}
			c.Values, c.Legacy = slices.Clone(w.Values), true
		default:
			c.Values = slices.Clone(cfgValues)
		}
		out = append(out, c)
	}
	return out, nil
}

func regexIn(w elbv2wire.RuleCondition) bool {
	return (w.HostHeaderConfig != nil && len(w.HostHeaderConfig.RegexValues) > 0) ||
		(w.PathPatternConfig != nil && len(w.PathPatternConfig.RegexValues) > 0) ||
		(w.HttpHeaderConfig != nil && len(w.HttpHeaderConfig.RegexValues) > 0)
}

// conditionsOut renders conditions as DescribeRules does: host-header and
// path-pattern with both Values and their configuration.
func conditionsOut(cs []elb.Condition) []elbv2wire.RuleCondition {
	out := make([]elbv2wire.RuleCondition, 0, len(cs))
	for _, c := range cs {
		w := elbv2wire.RuleCondition{Field: ptr(c.Field)}
		vals := slices.Clone(c.Values)
		switch c.Field {
		case elb.FieldHostHeader:
			w.Values, w.HostHeaderConfig = vals, &elbv2wire.HostHeaderConditionConfig{Values: vals}
		case elb.FieldPathPattern:
			w.Values, w.PathPatternConfig = vals, &elbv2wire.PathPatternConditionConfig{Values: vals}
		case elb.FieldHTTPHeader:
			w.HttpHeaderConfig = &elbv2wire.HttpHeaderConditionConfig{HttpHeaderName: ptr(c.HeaderName), Values: vals}
		case elb.FieldMethod:
			w.HttpRequestMethodConfig = &elbv2wire.HttpRequestMethodConditionConfig{Values: vals}
		case elb.FieldSourceIP:
			w.SourceIpConfig = &elbv2wire.SourceIpConditionConfig{Values: vals}
		case elb.FieldQueryString:
			q := &elbv2wire.QueryStringConditionConfig{}
			for _, p := range c.Query {
				kv := elbv2wire.QueryStringKeyValuePair{Value: ptr(p.Value)}
				if p.Key != "" {
					kv.Key = ptr(p.Key)
				}
				q.Values = append(q.Values, kv)
			}
			w.QueryStringConfig = q
		}
		out = append(out, w)
	}
	return out
}
