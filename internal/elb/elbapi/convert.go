package elbapi

import (
	"strconv"

	"github.com/quayside/quayside/internal/elb"
	"github.com/quayside/quayside/internal/wire"
	"github.com/quayside/quayside/internal/wire/elbv2wire"
)

func (a *API) lbOut(lb elb.LoadBalancer) elbv2wire.LoadBalancer {
	code, reason := "active", ""
	if a.state != nil {
		code, reason = a.state.LoadBalancerState(lb.ARN)
	}
	st := &elbv2wire.LoadBalancerState{Code: ptr(code)}
	if reason != "" {
		st.Reason = ptr(reason)
	}
	out := elbv2wire.LoadBalancer{
		LoadBalancerArn: ptr(lb.ARN), DNSName: ptr(lb.DNSName), CanonicalHostedZoneId: ptr(elb.CanonicalHostedZoneID),
		CreatedTime: wire.NewTime(lb.CreatedAt), LoadBalancerName: ptr(lb.Name), Scheme: ptr(lb.Scheme),
		VpcId: ptr(lb.VpcID), State: st, Type: ptr(elb.TypeApplication), IpAddressType: ptr(lb.IPAddressType),
		SecurityGroups: lb.SecurityGroups,
	}
	for _, s := range lb.Subnets {
		out.AvailabilityZones = append(out.AvailabilityZones, elbv2wire.AvailabilityZone{ZoneName: ptr(s.Zone), SubnetId: ptr(s.ID)})
	}
	return out
}

func tgOut(tg elb.TargetGroup, lbARNs []string) elbv2wire.TargetGroup {
	hc := tg.HealthCheck
	return elbv2wire.TargetGroup{
		TargetGroupArn: ptr(tg.ARN), TargetGroupName: ptr(tg.Name), Protocol: ptr(tg.Protocol),
		ProtocolVersion: ptr(tg.ProtocolVersion), Port: ptr(int64(tg.Port)), VpcId: ptr(tg.VpcID),
		HealthCheckProtocol: ptr(hc.Protocol), HealthCheckPort: ptr(hc.Port), HealthCheckEnabled: ptr(hc.Enabled),
		HealthCheckIntervalSeconds: ptr(int64(hc.IntervalSeconds)), HealthCheckTimeoutSeconds: ptr(int64(hc.TimeoutSeconds)),
		HealthyThresholdCount: ptr(int64(hc.HealthyThreshold)), UnhealthyThresholdCount: ptr(int64(hc.UnhealthyThreshold)),
		HealthCheckPath: ptr(hc.Path), Matcher: &elbv2wire.Matcher{HttpCode: ptr(hc.Matcher)},
		LoadBalancerArns: lbARNs, TargetType: ptr(tg.TargetType), IpAddressType: ptr(tg.IPAddressType),
	}
}

func listenerOut(l elb.Listener) elbv2wire.Listener {
	out := elbv2wire.Listener{
		ListenerArn: ptr(l.ARN), LoadBalancerArn: ptr(l.LoadBalancerARN), Port: ptr(int64(l.Port)),
		Protocol: ptr(l.Protocol), DefaultActions: actionsOut(l.DefaultActions),
	}
	if l.SslPolicy != "" {
		out.SslPolicy = ptr(l.SslPolicy)
	}
	for _, c := range l.Certificates {
		out.Certificates = append(out.Certificates, elbv2wire.Certificate{CertificateArn: ptr(c.ARN)})
	}
	return out
}

func ruleOut(r elb.Rule) elbv2wire.Rule {
	return elbv2wire.Rule{RuleArn: ptr(r.ARN), Priority: ptr(strconv.Itoa(r.Priority)),
		Conditions: conditionsOut(r.Conditions), Actions: actionsOut(r.Actions), IsDefault: ptr(false)}
}

func defaultRuleOut(l elb.Listener) elbv2wire.Rule {
	return elbv2wire.Rule{RuleArn: ptr(l.DefaultRuleARN()), Priority: ptr("default"),
		Conditions: []elbv2wire.RuleCondition{}, Actions: actionsOut(l.DefaultActions), IsDefault: ptr(true)}
}

func tagsIn(ws []elbv2wire.Tag) []elb.Tag {
	out := make([]elb.Tag, 0, len(ws))
	for _, w := range ws {
		out = append(out, elb.Tag{Key: deref(w.Key), Value: deref(w.Value)})
	}
	return out
}

func tagsOut(ts []elb.Tag) []elbv2wire.Tag {
	out := make([]elbv2wire.Tag, 0, len(ts))
	for _, t := range ts {
		out = append(out, elbv2wire.Tag{Key: ptr(t.Key), Value: ptr(t.Value)})
	}
	return out
}
