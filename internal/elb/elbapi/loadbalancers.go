package elbapi

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/quayside/quayside/internal/elb"
	"github.com/quayside/quayside/internal/elb/elbdb"
	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/store"
	"github.com/quayside/quayside/internal/wire/elbv2wire"
)

func (a *API) createLoadBalancer(ctx context.Context, in *elbv2wire.CreateLoadBalancerInput) (*elbv2wire.CreateLoadBalancerOutput, error) {
	s := scope(ctx)
	name := deref(in.Name)
	if err := elb.ValidateLoadBalancerName(name); err != nil {
		return nil, err
	}
	switch t := deref(in.Type); t {
	case "", elb.TypeApplication:
	default:
		return nil, fault.Newf(elb.ErrValidation, "Load balancers of type '%s' are not supported: Quayside serves Application Load Balancers", t)
	}
	if err := elb.ValidateScheme(deref(in.Scheme)); err != nil {
		return nil, err
	}
	if err := elb.ValidateLoadBalancerIPAddressType(deref(in.IpAddressType)); err != nil {
		return nil, err
	}
	subnets := slices.Clone(in.Subnets)
	for _, m := range in.SubnetMappings {
		subnets = append(subnets, deref(m.SubnetId))
	}
	if len(subnets) == 0 {
		return nil, fault.New(elb.ErrValidation, "At least one subnet must be specified")
	}
	for _, sn := range subnets {
		if sn == "" {
			return nil, fault.New(elb.ErrInvalidSubnet, "A subnet ID must not be empty")
		}
	}
	tags := tagsIn(in.Tags)
	if err := elb.ValidateNewTags(tags); err != nil {
		return nil, err
	}
	if _, err := elb.MergeTags(nil, tags); err != nil {
		return nil, err
	}
	want := elb.LoadBalancer{
		Name: name, Scheme: orDefault(deref(in.Scheme), elb.SchemeInternet),
		IPAddressType: orDefault(deref(in.IpAddressType), elb.IPAddressTypeIPv4),
		VpcID:         elb.DefaultVPC, Subnets: elb.Zones(s.Region, subnets),
		SecurityGroups: in.SecurityGroups, Tags: tags,
	}
	var lb elb.LoadBalancer
	id := a.ids.New()
	now := a.now().UTC()
	err := a.st.Update(ctx, func(tx store.Tx) error {
		old, ok, err := elbdb.GetLoadBalancer(tx, s, name)
		if err != nil {
			return err
		}
		if ok {
			if !sameLoadBalancer(old, want) {
				return fault.Newf(elb.ErrDuplicateLoadBalancerName, "A load balancer with the same name '%s' exists, but with different settings", name)
			}
			lb = old
			return nil
		}
		all, err := elbdb.AllLoadBalancers(tx)
		if err != nil {
			return err
		}
		used, inScope := map[string]bool{}, 0
		for _, o := range all {
			used[o.Address] = true
			if strings.HasPrefix(o.ARN, "arn:aws:elasticloadbalancing:"+s.Region+":"+s.Account+":") {
				inScope++
			}
		}
		if inScope >= elb.MaxLoadBalancers {
			return fault.Newf(elb.ErrTooManyLoadBalancers, "You have reached the maximum number of load balancers (%d) for your account in this region", elb.MaxLoadBalancers)
		}
		addr, err := a.pool.Allocate(used)
		if err != nil {
			return fault.Wrap(elb.ErrTooManyLoadBalancers, err, "No address is left for a new load balancer")
		}
		lb = want
		lb.ID, lb.CreatedAt, lb.Address, lb.DNSName = id, now, addr, elb.DNSName(addr)
		lb.ARN = elb.ARN{Scope: s, Kind: elb.KindLoadBalancer, LB: name, LBID: id}.String()
		return elbdb.PutLoadBalancer(tx, s, lb)
	})
	if err != nil {
		return nil, err
	}
	return &elbv2wire.CreateLoadBalancerOutput{LoadBalancers: []elbv2wire.LoadBalancer{a.lbOut(lb)}}, nil
}

// sameLoadBalancer reports whether a create request matches an existing
// load balancer, which makes CreateLoadBalancer idempotent as in AWS.
func sameLoadBalancer(old, want elb.LoadBalancer) bool {
	return old.Scheme == want.Scheme && old.IPAddressType == want.IPAddressType &&
		slices.Equal(old.Subnets, want.Subnets) && slices.Equal(old.SecurityGroups, want.SecurityGroups)
}

func (a *API) describeLoadBalancers(ctx context.Context, in *elbv2wire.DescribeLoadBalancersInput) (*elbv2wire.DescribeLoadBalancersOutput, error) {
	s := scope(ctx)
	if len(in.Names) > 0 && len(in.LoadBalancerArns) > 0 {
		return nil, fault.New(elb.ErrValidation, "Load balancer names and load balancer ARNs cannot be specified at the same time")
	}
	size, err := pageSize(in.PageSize)
	if err != nil {
		return nil, err
	}
	after, err := decodeMarker(in.Marker)
	if err != nil {
		return nil, err
	}
	out := &elbv2wire.DescribeLoadBalancersOutput{LoadBalancers: []elbv2wire.LoadBalancer{}}
	err = a.st.View(ctx, func(tx store.ReadTx) error {
		var lbs []elb.LoadBalancer
		switch {
		case len(in.LoadBalancerArns) > 0:
			for _, arn := range in.LoadBalancerArns {
				lb, err := mustLoadBalancer(tx, s, arn)
				if err != nil {
					return err
				}
				lbs = append(lbs, lb)
			}
		case len(in.Names) > 0:
			var missing []string
			for _, n := range in.Names {
				lb, ok, err := elbdb.GetLoadBalancer(tx, s, n)
				if err != nil {
					return err
				}
				if !ok {
					missing = append(missing, n)
					continue
				}
				lbs = append(lbs, lb)
			}
			if len(missing) > 0 {
				return fault.Newf(elb.ErrLoadBalancerNotFound, "Load balancers '[%s]' not found", strings.Join(missing, ", "))
			}
		default:
			all, err := elbdb.ListLoadBalancers(tx, s, after, size+1)
			if err != nil {
				return err
			}
			if len(all) > size {
				all = all[:size]
				out.NextMarker = ptr(encodeMarker(all[size-1].Name))
			}
			lbs = all
		}
		for _, lb := range lbs {
			out.LoadBalancers = append(out.LoadBalancers, a.lbOut(lb))
		}
		return nil
	})
	return out, err
}

// mustLoadBalancer reads the load balancer an ARN names, or fails as AWS
// does.
func mustLoadBalancer(tx store.ReadTx, s elb.Scope, arn string) (elb.LoadBalancer, error) {
	a, ok := elb.ParseKind(arn, elb.KindLoadBalancer)
	if !ok {
		return elb.LoadBalancer{}, fault.Newf(elb.ErrValidation, "'%s' is not a valid load balancer ARN", arn)
	}
	lb, ok, err := elbdb.LoadBalancerByARN(tx, a)
	if err == nil && (!ok || a.Scope != s) {
		err = fault.New(elb.ErrLoadBalancerNotFound, "One or more load balancers not found")
	}
	return lb, err
}

func (a *API) deleteLoadBalancer(ctx context.Context, in *elbv2wire.DeleteLoadBalancerInput) (*elbv2wire.DeleteLoadBalancerOutput, error) {
	s := scope(ctx)
	arn := deref(in.LoadBalancerArn)
	err := a.st.Update(ctx, func(tx store.Tx) error {
		lb, err := mustLoadBalancer(tx, s, arn)
		if err != nil {
			if errors.Is(err, elb.ErrLoadBalancerNotFound) {
				return nil // deleting a missing load balancer succeeds, as in AWS
			}
			return err
		}
		if lb.Attribute(elb.AttrDeletionProtection) == "true" {
			return fault.Newf(elb.ErrOperationNotPermitted, "Load balancer '%s' cannot be deleted because deletion protection is enabled", arn)
		}
		la, _ := elb.ParseKind(arn, elb.KindLoadBalancer)
		ls, err := elbdb.ListenersOf(tx, la)
		if err != nil {
			return err
		}
		for _, l := range ls {
			lla, _ := elb.ParseKind(l.ARN, elb.KindListener)
			if err := elbdb.DeleteListener(tx, lla); err != nil {
				return err
			}
		}
		return elbdb.DeleteLoadBalancer(tx, s, lb.Name)
	})
	return &elbv2wire.DeleteLoadBalancerOutput{}, err
}

func (a *API) modifyLoadBalancerAttributes(ctx context.Context, in *elbv2wire.ModifyLoadBalancerAttributesInput) (*elbv2wire.ModifyLoadBalancerAttributesOutput, error) {
	s := scope(ctx)
	changes := map[string]string{}
	for _, at := range in.Attributes {
		k, v := deref(at.Key), deref(at.Value)
		if err := elb.ValidateLoadBalancerAttribute(k, v); err != nil {
			return nil, err
		}
		changes[k] = v
	}
	var lb elb.LoadBalancer
	err := a.st.Update(ctx, func(tx store.Tx) error {
		var err error
		if lb, err = mustLoadBalancer(tx, s, deref(in.LoadBalancerArn)); err != nil {
			return err
		}
		lb.Attributes = elb.MergeAttributes(lb.Attributes, changes)
		return elbdb.PutLoadBalancer(tx, s, lb)
	})
	if err != nil {
		return nil, err
	}
	return &elbv2wire.ModifyLoadBalancerAttributesOutput{Attributes: lbAttrsOut(lb)}, nil
}

func (a *API) describeLoadBalancerAttributes(ctx context.Context, in *elbv2wire.DescribeLoadBalancerAttributesInput) (*elbv2wire.DescribeLoadBalancerAttributesOutput, error) {
	var lb elb.LoadBalancer
	err := a.st.View(ctx, func(tx store.ReadTx) error {
		var err error
		lb, err = mustLoadBalancer(tx, scope(ctx), deref(in.LoadBalancerArn))
		return err
	})
	if err != nil {
		return nil, err
	}
	return &elbv2wire.DescribeLoadBalancerAttributesOutput{Attributes: lbAttrsOut(lb)}, nil
}

func lbAttrsOut(lb elb.LoadBalancer) []elbv2wire.LoadBalancerAttribute {
	var out []elbv2wire.LoadBalancerAttribute
	for _, kv := range elb.AllAttributes(elb.LoadBalancerAttributeDefaults, lb.Attributes) {
		out = append(out, elbv2wire.LoadBalancerAttribute{Key: ptr(kv[0]), Value: ptr(kv[1])})
	}
	return out
}

func (a *API) describeAccountLimits(ctx context.Context, _ *elbv2wire.DescribeAccountLimitsInput) (*elbv2wire.DescribeAccountLimitsOutput, error) {
	limits := [][2]any{
		{"application-load-balancers", elb.MaxLoadBalancers}, {"target-groups", elb.MaxTargetGroups},
		{"targets-per-application-load-balancer", elb.MaxTargets}, {"listeners-per-application-load-balancer", elb.MaxListeners},
		{"rules-per-application-load-balancer", elb.MaxRules}, {"targets-per-target-group", elb.MaxTargets},
		{"target-groups-per-action-on-application-load-balancer", elb.MaxTargetGroupsPerRule},
		{"certificates-per-application-load-balancer", elb.MaxCertificates},
	}
	out := &elbv2wire.DescribeAccountLimitsOutput{}
	for _, l := range limits {
		out.Limits = append(out.Limits, elbv2wire.Limit{Name: ptr(l[0].(string)), Max: ptr(itoa(l[1].(int)))})
	}
	return out, nil
}
