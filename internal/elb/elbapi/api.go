// Package elbapi serves Elastic Load Balancing v2 over the AWS Query
// protocol (XML replies): it validates elbv2wire requests, applies them to
// the store through package elbdb in one transaction each, and converts
// the records back to elbv2wire shapes.
//
// Handlers by resource: loadbalancers.go, listeners.go, rules.go,
// targetgroups.go, targets.go, tags.go. Conversions between wire and
// domain live in convert_*.go; paging in paging.go. Errors are fault
// errors of package elb's kinds; awserr maps them to ELBv2's codes.
package elbapi

import (
	"context"
	"io"
	"time"

	"github.com/quayside/quayside/internal/awsctx"
	"github.com/quayside/quayside/internal/elb"
	"github.com/quayside/quayside/internal/protocol/awsquery"
	"github.com/quayside/quayside/internal/store"
	"github.com/quayside/quayside/internal/wire/elbv2wire"
)

// Options configure the API.
type Options struct {
	// Addresses hands out load balancer addresses (default: one per load
	// balancer from elb.DefaultAddressPool).
	Addresses *elb.AddressPool
	// HealthCheckInterval, when set, replaces AWS's 30 s default interval
	// of new target groups whose creator gives none. A value a user sets
	// is always kept.
	HealthCheckInterval time.Duration
	// DeregistrationDelay, when set, replaces AWS's 300 s default
	// deregistration delay of new target groups.
	DeregistrationDelay time.Duration
	// Status reports a load balancer's state as the data plane sees it;
	// default: always active.
	Status StatusSource
	Now    func() time.Time // default time.Now
	Rand   io.Reader        // for IDs; default crypto/rand
}

// StatusSource tells the API how a load balancer is doing: "active", or
// "active_impaired" with a reason when a listener could not bind.
type StatusSource interface {
	LoadBalancerState(arn string) (code, reason string)
}

// API serves ELBv2.
type API struct {
	st    store.Store
	opts  Options
	pool  elb.AddressPool
	ids   *elb.IDs
	now   func() time.Time
	state StatusSource
}

// New returns the API over a store.
func New(st store.Store, o Options) *API {
	a := &API{st: st, opts: o, ids: elb.NewIDs(o.Rand), now: o.Now, state: o.Status}
	if a.now == nil {
		a.now = time.Now
	}
	if o.Addresses != nil {
		a.pool = *o.Addresses
	} else {
		a.pool, _ = elb.NewAddressPool("")
	}
	return a
}

// SetStatus sets the source of load balancer states (the data plane,
// which is built after the API).
func (a *API) SetStatus(s StatusSource) { a.state = s }

// Service returns the Query service with every supported operation.
func (a *API) Service() *awsquery.Service {
	s := awsquery.NewService("elasticloadbalancing", elbv2wire.APIVersion, elbv2wire.XMLNamespace, false, elbv2wire.Operations)
	awsquery.Handle(s, "CreateLoadBalancer", a.createLoadBalancer)
	awsquery.Handle(s, "DescribeLoadBalancers", a.describeLoadBalancers)
	awsquery.Handle(s, "DeleteLoadBalancer", a.deleteLoadBalancer)
	awsquery.Handle(s, "ModifyLoadBalancerAttributes", a.modifyLoadBalancerAttributes)
	awsquery.Handle(s, "DescribeLoadBalancerAttributes", a.describeLoadBalancerAttributes)
	awsquery.Handle(s, "CreateListener", a.createListener)
	awsquery.Handle(s, "DescribeListeners", a.describeListeners)
	awsquery.Handle(s, "ModifyListener", a.modifyListener)
	awsquery.Handle(s, "DeleteListener", a.deleteListener)
	awsquery.Handle(s, "CreateRule", a.createRule)
	awsquery.Handle(s, "DescribeRules", a.describeRules)
	awsquery.Handle(s, "ModifyRule", a.modifyRule)
	awsquery.Handle(s, "DeleteRule", a.deleteRule)
	awsquery.Handle(s, "SetRulePriorities", a.setRulePriorities)
	awsquery.Handle(s, "CreateTargetGroup", a.createTargetGroup)
	awsquery.Handle(s, "DescribeTargetGroups", a.describeTargetGroups)
	awsquery.Handle(s, "ModifyTargetGroup", a.modifyTargetGroup)
	awsquery.Handle(s, "DeleteTargetGroup", a.deleteTargetGroup)
	awsquery.Handle(s, "ModifyTargetGroupAttributes", a.modifyTargetGroupAttributes)
	awsquery.Handle(s, "DescribeTargetGroupAttributes", a.describeTargetGroupAttributes)
	awsquery.Handle(s, "RegisterTargets", a.registerTargets)
	awsquery.Handle(s, "DeregisterTargets", a.deregisterTargets)
	awsquery.Handle(s, "DescribeTargetHealth", a.describeTargetHealth)
	awsquery.Handle(s, "AddTags", a.addTags)
	awsquery.Handle(s, "RemoveTags", a.removeTags)
	awsquery.Handle(s, "DescribeTags", a.describeTags)
	awsquery.Handle(s, "DescribeAccountLimits", a.describeAccountLimits)
	return s
}

// scope is the region and account of the request.
func scope(ctx context.Context) elb.Scope {
	m := awsctx.From(ctx)
	return elb.Scope{Region: m.Region, Account: m.Account}
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

func ptr[T any](v T) *T { return &v }
