package elbapi

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/quayside/quayside/internal/elb"
	"github.com/quayside/quayside/internal/elb/elbdb"
	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/store"
	"github.com/quayside/quayside/internal/wire/elbv2wire"
)

func (a *API) createTargetGroup(ctx context.Context, in *elbv2wire.CreateTargetGroupInput) (*elbv2wire.CreateTargetGroupOutput, error) {
	s := scope(ctx)
	name := deref(in.Name)
	if err := elb.ValidateTargetGroupName(name); err != nil {
		return nil, err
	}
	want := elb.TargetGroup{Name: name, TargetType: orDefault(deref(in.TargetType), elb.TargetTypeInstance),
		Protocol: deref(in.Protocol), ProtocolVersion: orDefault(deref(in.ProtocolVersion), elb.ProtocolVersionH1),
		Port: int(deref(in.Port)), VpcID: deref(in.VpcId), IPAddressType: orDefault(deref(in.IpAddressType), "ipv4"),
		Tags: tagsIn(in.Tags)}
	if err := elb.ValidateTargetType(want.TargetType); err != nil {
		return nil, err
	}
	if err := elb.ValidateTargetGroupProtocol(want.Protocol); err != nil {
		return nil, err
	}
	switch {
	case in.Port == nil:
		return nil, fault.New(elb.ErrValidation, "A port must be specified")
	case want.VpcID == "":
		return nil, fault.New(elb.ErrValidation, "A VPC ID must be specified")
	case want.ProtocolVersion != elb.ProtocolVersionH1:
		return nil, fault.Newf(elb.ErrValidation, "Protocol version '%s' is not supported by Quayside yet; use HTTP1", want.ProtocolVersion)
	case want.IPAddressType != "ipv4" && want.IPAddressType != "ipv6":
		return nil, fault.Newf(elb.ErrValidation, "IP address type '%s' is not valid", want.IPAddressType)
	}
	hc, err := healthCheckIn(elb.DefaultHealthCheck(want.Protocol, a.opts.HealthCheckInterval), healthCheckFields{
		in.HealthCheckEnabled, in.HealthCheckProtocol, in.HealthCheckPort, in.HealthCheckPath, in.HealthCheckIntervalSeconds,
		in.HealthCheckTimeoutSeconds, in.HealthyThresholdCount, in.UnhealthyThresholdCount, in.Matcher}, want.TargetType)
	if err != nil {
		return nil, err
	}
	want.HealthCheck = hc
	if err := elb.ValidateNewTags(want.Tags); err != nil {
		return nil, err
	}
	if _, err := elb.MergeTags(nil, want.Tags); err != nil {
		return nil, err
	}
	if d := a.opts.DeregistrationDelay; d > 0 {
		want.Attributes = map[string]string{elb.AttrDeregistrationDelay: strconv.Itoa(int(d / time.Second))}
	}
	var tg elb.TargetGroup
	id, now := a.ids.New(), a.now().UTC()
	err = a.st.Update(ctx, func(tx store.Tx) error {
		old, ok, err := elbdb.GetTargetGroup(tx, s, name)
		if err != nil {
			return err
		}
		if ok {
			if !sameTargetGroup(old, want) {
				return fault.Newf(elb.ErrDuplicateTargetGroupName, "A target group with the same name '%s' exists, but with different settings", name)
			}
			tg = old
			return nil
		}
		if n, err := elbdb.CountTargetGroups(tx, s); err != nil || n >= elb.MaxTargetGroups {
			if err != nil {
				return err
			}
			return fault.Newf(elb.ErrTooManyTargetGroups, "You have reached the maximum number of target groups (%d) for your account in this region", elb.MaxTargetGroups)
		}
		tg = want
		tg.ID, tg.CreatedAt = id, now
		tg.ARN = elb.ARN{Scope: s, Kind: elb.KindTargetGroup, TG: name, TGID: id}.String()
		return elbdb.PutTargetGroup(tx, s, tg)
	})
	if err != nil {
		return nil, err
	}
	return &elbv2wire.CreateTargetGroupOutput{TargetGroups: []elbv2wire.TargetGroup{tgOut(tg, nil)}}, nil
}

func sameTargetGroup(old, want elb.TargetGroup) bool {
	return old.Protocol == want.Protocol && old.Port == want.Port && old.VpcID == want.VpcID &&
		old.TargetType == want.TargetType && old.HealthCheck == want.HealthCheck && old.ProtocolVersion == want.ProtocolVersion
}

// healthCheckFields are the health check members of Create- and
// ModifyTargetGroup.
type healthCheckFields struct {
	enabled              *bool
	protocol, port, path *string
	interval, timeout    *int64
	healthy, unhealthy   *int64
	matcher              *elbv2wire.Matcher
}

// healthCheckIn applies the fields given onto hc and validates the result.
func healthCheckIn(hc elb.HealthCheck, f healthCheckFields, targetType string) (elb.HealthCheck, error) {
	set := func(dst *int, p *int64) {
		if p != nil {
			*dst = int(*p)
		}
	}
	if f.enabled != nil {
		hc.Enabled = *f.enabled
	}
	if f.protocol != nil {
		hc.Protocol = *f.protocol
	}
	if f.port != nil {
		hc.Port = *f.port
	}
	if f.path != nil {
		hc.Path = *f.path
	}
	set(&hc.IntervalSeconds, f.interval)
	set(&hc.TimeoutSeconds, f.timeout)
	set(&hc.HealthyThreshold, f.healthy)
	set(&hc.UnhealthyThreshold, f.unhealthy)
	if f.interval != nil && f.timeout == nil && hc.TimeoutSeconds >= hc.IntervalSeconds {
		// A shortened default timeout never blocks an interval a user sets.
		hc.TimeoutSeconds = max(2, min(5, hc.IntervalSeconds-1))
	}
	if m := f.matcher; m != nil {
		if m.GrpcCode != nil {
			return hc, fault.New(elb.ErrValidation, "A gRPC code matcher can only be used with the GRPC protocol version")
		}
		if m.HttpCode != nil {
			pm, err := elb.ParseMatcher(*m.HttpCode)
			if err != nil {
				return hc, err
			}
			hc.Matcher = pm.String()
		}
	}
	v := hc
	if f.interval == nil && f.timeout == nil {
		// Defaults shortened by a server option may leave the timeout equal
		// to a 1 s interval; only values a user sets must obey the rule.
		v.TimeoutSeconds = min(v.TimeoutSeconds, v.IntervalSeconds-1)
	}
	return hc, v.Validate(targetType)
}

func (a *API) describeTargetGroups(ctx context.Context, in *elbv2wire.DescribeTargetGroupsInput) (*elbv2wire.DescribeTargetGroupsOutput, error) {
	s := scope(ctx)
	given := 0
	for _, b := range []bool{in.LoadBalancerArn != nil, len(in.TargetGroupArns) > 0, len(in.Names) > 0} {
		if b {
			given++
		}
	}
	if given > 1 {
		return nil, fault.New(elb.ErrValidation, "Only one of load balancer ARN, target group ARNs or names can be specified")
	}
	size, err := pageSize(in.PageSize)
	if err != nil {
		return nil, err
	}
	after, err := decodeMarker(in.Marker)
	if err != nil {
		return nil, err
	}
	out := &elbv2wire.DescribeTargetGroupsOutput{TargetGroups: []elbv2wire.TargetGroup{}}
	err = a.st.View(ctx, func(tx store.ReadTx) error {
		use, err := elbdb.Usage(tx, s)
		if err != nil {
			return err
		}
		var tgs []elb.TargetGroup
		switch {
		case len(in.TargetGroupArns) > 0:
			for _, arn := range in.TargetGroupArns {
				tg, err := mustTargetGroup(tx, s, arn)
				if err != nil {
					return err
				}
				tgs = append(tgs, tg)
			}
		case len(in.Names) > 0:
			var missing []string
			for _, n := range in.Names {
				tg, ok, err := elbdb.GetTargetGroup(tx, s, n)
				if err != nil {
					return err
				}
				if !ok {
					missing = append(missing, n)
					continue
				}
				tgs = append(tgs, tg)
			}
			if len(missing) > 0 {
				return fault.Newf(elb.ErrTargetGroupNotFound, "Target groups '[%s]' not found", strings.Join(missing, ", "))
			}
		default:
			lbARN := deref(in.LoadBalancerArn)
			if in.LoadBalancerArn != nil {
				if _, err := mustLoadBalancer(tx, s, lbARN); err != nil {
					return err
				}
			}
			all, err := elbdb.ListTargetGroups(tx, s, "", 0)
			if err != nil {
				return err
			}
			for _, tg := range all {
				if in.LoadBalancerArn == nil || contains(use[tg.ARN], lbARN) {
					tgs = append(tgs, tg)
				}
			}
			tgs, out.NextMarker = page(tgs, func(tg elb.TargetGroup) string { return tg.Name }, after, size)
		}
		for _, tg := range tgs {
			out.TargetGroups = append(out.TargetGroups, tgOut(tg, use[tg.ARN]))
		}
		return nil
	})
	return out, err
}

// mustTargetGroup reads the target group an ARN names, or fails as AWS
// does.
func mustTargetGroup(tx store.ReadTx, s elb.Scope, arn string) (elb.TargetGroup, error) {
	a, ok := elb.ParseKind(arn, elb.KindTargetGroup)
	if !ok {
		return elb.TargetGroup{}, fault.Newf(elb.ErrValidation, "'%s' is not a valid target group ARN", arn)
	}
	tg, ok, err := elbdb.TargetGroupByARN(tx, a)
	if err == nil && (!ok || a.Scope != s) {
		err = fault.New(elb.ErrTargetGroupNotFound, "One or more target groups not found")
	}
	return tg, err
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
