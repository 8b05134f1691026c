package elbapi

import (
	"context"
	"reflect"

	"github.com/quayside/quayside/internal/elb"
	"github.com/quayside/quayside/internal/elb/elbdb"
	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/store"
	"github.com/quayside/quayside/internal/wire/elbv2wire"
)

func certificatesIn(ws []elbv2wire.Certificate) []elb.Certificate {
	var out []elb.Certificate
	for _, c := range ws {
		out = append(out, elb.Certificate{ARN: deref(c.CertificateArn)})
	}
	return out
}

func (a *API) createListener(ctx context.Context, in *elbv2wire.CreateListenerInput) (*elbv2wire.CreateListenerOutput, error) {
	s := scope(ctx)
	l := elb.Listener{LoadBalancerARN: deref(in.LoadBalancerArn), Port: int(deref(in.Port)), Protocol: deref(in.Protocol),
		SslPolicy: deref(in.SslPolicy), Certificates: certificatesIn(in.Certificates), AlpnPolicy: in.AlpnPolicy, Tags: tagsIn(in.Tags)}
	if in.Port == nil {
		return nil, fault.New(elb.ErrValidation, "A listener port must be specified")
	}
	if err := elb.ValidateListener(&l); err != nil {
		return nil, err
	}
	if err := elb.ValidateNewTags(l.Tags); err != nil {
		return nil, err
	}
	actions, err := actionsIn(in.DefaultActions)
	if err != nil {
		return nil, err
	}
	id, ruleID := a.ids.New(), a.ids.New()
	err = a.st.Update(ctx, func(tx store.Tx) error {
		lb, err := mustLoadBalancer(tx, s, l.LoadBalancerARN)
		if err != nil {
			return err
		}
		lba, _ := elb.ParseKind(lb.ARN, elb.KindLoadBalancer)
		if l.DefaultActions, err = a.checkActions(tx, s, lb.ARN, actions, l.Protocol); err != nil {
			return err
		}
		ls, err := elbdb.ListenersOf(tx, lba)
		if err != nil {
			return err
		}
		for _, o := range ls {
			if o.Port != l.Port {
				continue
			}
			if o.Protocol == l.Protocol && reflect.DeepEqual(o.DefaultActions, l.DefaultActions) && o.SslPolicy == l.SslPolicy {
				l = o // the same listener again: AWS answers with the existing one
				return nil
			}
			return fault.Newf(elb.ErrDuplicateListener, "A listener already exists on this port for this load balancer '%s'", lb.ARN)
		}
		if len(ls) >= elb.MaxListeners {
			return fault.Newf(elb.ErrTooManyListeners, "You have reached the maximum number of listeners (%d) for load balancer '%s'", elb.MaxListeners, lb.ARN)
		}
		if err := a.checkSharedPort(tx, lb, l.Port, ""); err != nil {
			return err
		}
		la := lba
		la.Kind, la.Listener = elb.KindListener, id
		l.ID, l.ARN, l.DefaultRuleID = id, la.String(), ruleID
		return elbdb.PutListener(tx, l)
	})
	if err != nil {
		return nil, err
	}
	return &elbv2wire.CreateListenerOutput{Listeners: []elbv2wire.Listener{listenerOut(l)}}, nil
}

// checkActions validates actions for a listener of lbARN: target groups
// must exist, be of this load balancer (or of none), and the redirect
// rules of the listener's protocol hold.
func (a *API) checkActions(tx store.ReadTx, s elb.Scope, lbARN string, actions []elb.Action, protocol string) ([]elb.Action, error) {
	out, err := elb.ValidateActions(actions, func(arn string) bool {
		_, err := mustTargetGroup(tx, s, arn)
		return err == nil
	})
	if err != nil {
		return nil, err
	}
	if err := elb.CheckRedirectFromListener(out, protocol); err != nil {
		return nil, err
	}
	use, err := elbdb.Usage(tx, s)
	if err != nil {
		return nil, err
	}
	for _, tg := range elb.TargetGroupARNs(out) {
		for _, other := range use[tg] {
			if other != lbARN {
				return nil, fault.Newf(elb.ErrTargetGroupAssociation, "The following target groups cannot be associated with more than one load balancer: %s", tg)
			}
		}
	}
	return out, nil
}

// checkSharedPort refuses a port another load balancer's listener uses
// when every load balancer shares one address (see elb.AddressPool).
func (a *API) checkSharedPort(tx store.ReadTx, lb elb.LoadBalancer, port int, self string) error {
	if !a.pool.Shared() {
		return nil
	}
	all, err := elbdb.AllListeners(tx)
	if err != nil {
		return err
	}
	for _, o := range all {
		if o.Port == port && o.LoadBalancerARN != lb.ARN && o.ARN != self {
			return fault.Newf(elb.ErrInvalidConfiguration, "Port %d is in use by load balancer '%s': every load balancer shares the address %s (Quayside's --elb-address), so listener ports must differ across load balancers", port, o.LoadBalancerARN, lb.Address)
		}
	}
	return nil
}

func (a *API) describeListeners(ctx context.Context, in *elbv2wire.DescribeListenersInput) (*elbv2wire.DescribeListenersOutput, error) {
	s := scope(ctx)
	if (in.LoadBalancerArn == nil) == (len(in.ListenerArns) == 0) {
		return nil, fault.New(elb.ErrValidation, "You must specify either listener ARNs or a load balancer ARN")
	}
	size, err := pageSize(in.PageSize)
	if err != nil {
		return nil, err
	}
	after, err := decodeMarker(in.Marker)
	if err != nil {
		return nil, err
	}
	out := &elbv2wire.DescribeListenersOutput{Listeners: []elbv2wire.Listener{}}
	err = a.st.View(ctx, func(tx store.ReadTx) error {
		var ls []elb.Listener
		if in.LoadBalancerArn != nil {
			lb, err := mustLoadBalancer(tx, s, *in.LoadBalancerArn)
			if err != nil {
				return err
			}
			lba, _ := elb.ParseKind(lb.ARN, elb.KindLoadBalancer)
			if ls, err = elbdb.ListenersOf(tx, lba); err != nil {
				return err
			}
		} else {
			for _, arn := range in.ListenerArns {
				l, err := mustListener(tx, s, arn)
				if err != nil {
					return err
				}
				ls = append(ls, l)
			}
		}
		ls, out.NextMarker = page(ls, func(l elb.Listener) string { return l.ARN }, after, size)
		for _, l := range ls {
			out.Listeners = append(out.Listeners, listenerOut(l))
		}
		return nil
	})
	return out, err
}

// mustListener reads the listener an ARN names, or fails as AWS does.
func mustListener(tx store.ReadTx, s elb.Scope, arn string) (elb.Listener, error) {
	la, ok := elb.ParseKind(arn, elb.KindListener)
	if !ok {
		return elb.Listener{}, fault.Newf(elb.ErrValidation, "'%s' is not a valid listener ARN", arn)
	}
	l, ok, err := elbdb.GetListener(tx, la)
	if err == nil && (!ok || la.Scope != s) {
		err = fault.New(elb.ErrListenerNotFound, "One or more listeners not found")
	}
	return l, err
}

func (a *API) modifyListener(ctx context.Context, in *elbv2wire.ModifyListenerInput) (*elbv2wire.ModifyListenerOutput, error) {
	s := scope(ctx)
	var actions []elb.Action
	if in.DefaultActions != nil {
		var err error
		if actions, err = actionsIn(in.DefaultActions); err != nil {
			return nil, err
		}
	}
	var l elb.Listener
	err := a.st.Update(ctx, func(tx store.Tx) error {
		var err error
		if l, err = mustListener(tx, s, deref(in.ListenerArn)); err != nil {
			return err
		}
		if in.Protocol != nil && *in.Protocol != l.Protocol {
			l.Protocol = *in.Protocol
			if l.Protocol == elb.ProtocolHTTP {
				l.Certificates, l.SslPolicy = nil, ""
			}
		}
		if in.Port != nil {
			l.Port = int(*in.Port)
		}
		if in.SslPolicy != nil {
			l.SslPolicy = *in.SslPolicy
		}
		if in.Certificates != nil {
			l.Certificates = certificatesIn(in.Certificates)
		}
		if err := elb.ValidateListener(&l); err != nil {
			return err
		}
		lb, err := mustLoadBalancer(tx, s, l.LoadBalancerARN)
		if err != nil {
			return err
		}
		if in.DefaultActions != nil {
			if l.DefaultActions, err = a.checkActions(tx, s, lb.ARN, actions, l.Protocol); err != nil {
				return err
			}
		} else if err := elb.CheckRedirectFromListener(l.DefaultActions, l.Protocol); err != nil {
			return err
		}
		lba, _ := elb.ParseKind(lb.ARN, elb.KindLoadBalancer)
		ls, err := elbdb.ListenersOf(tx, lba)
		if err != nil {
			return err
		}
		for _, o := range ls {
			if o.Port == l.Port && o.ARN != l.ARN {
				return fault.Newf(elb.ErrDuplicateListener, "A listener already exists on this port for this load balancer '%s'", lb.ARN)
			}
		}
		if err := a.checkSharedPort(tx, lb, l.Port, l.ARN); err != nil {
			return err
		}
		return elbdb.PutListener(tx, l)
	})
	if err != nil {
		return nil, err
	}
	return &elbv2wire.ModifyListenerOutput{Listeners: []elbv2wire.Listener{listenerOut(l)}}, nil
}

func (a *API) deleteListener(ctx context.Context, in *elbv2wire.DeleteListenerInput) (*elbv2wire.DeleteListenerOutput, error) {
	s := scope(ctx)
	err := a.st.Update(ctx, func(tx store.Tx) error {
		l, err := mustListener(tx, s, deref(in.ListenerArn))
		if err != nil {
			return err
		}
		la, _ := elb.ParseKind(l.ARN, elb.KindListener)
		return elbdb.DeleteListener(tx, la)
	})
	return &elbv2wire.DeleteListenerOutput{}, err
}
