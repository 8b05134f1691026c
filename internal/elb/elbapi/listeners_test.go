package elbapi_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
)

func TestListeners(t *testing.T) {
	f := newFixture(t)
	lb := f.loadBalancer("web")
	tg := f.targetGroup("web-tg", 8080)
	port := freePort(t)
	in := &elbv2.CreateListenerInput{LoadBalancerArn: lb.LoadBalancerArn, Protocol: types.ProtocolEnumHttp, Port: aws.Int32(port),
		DefaultActions: forward(*tg.TargetGroupArn)}
	l := must(f.c.CreateListener(f.ctx, in)).Listeners[0]
	if !strings.HasPrefix(*l.ListenerArn, "arn:aws:elasticloadbalancing:us-east-1:000000000000:listener/app/web/") || *l.Port != port ||
		len(l.DefaultActions) != 1 || *l.DefaultActions[0].TargetGroupArn != *tg.TargetGroupArn || *l.DefaultActions[0].Order != 1 ||
		*l.DefaultActions[0].ForwardConfig.TargetGroups[0].Weight != 1 {
		t.Fatalf("listener %+v", l)
	}
	if again := must(f.c.CreateListener(f.ctx, in)).Listeners[0]; *again.ListenerArn != *l.ListenerArn {
		t.Fatal("the same listener again is not the same")
	}
	in.DefaultActions = []types.Action{{Type: types.ActionTypeEnumFixedResponse, FixedResponseConfig: &types.FixedResponseActionConfig{StatusCode: aws.String("404")}}}
	_, err := f.c.CreateListener(f.ctx, in)
	wantErr(t, err, "DuplicateListener", "A listener already exists on this port for this load balancer '"+*lb.LoadBalancerArn+"'")

	for _, c := range []struct {
		name       string
		in         elbv2.CreateListenerInput
		code, want string
	}{
		{"no load balancer", elbv2.CreateListenerInput{LoadBalancerArn: aws.String(strings.Replace(*lb.LoadBalancerArn, "/web/", "/nope/", 1)),
			Protocol: types.ProtocolEnumHttp, Port: aws.Int32(81), DefaultActions: forward(*tg.TargetGroupArn)}, "LoadBalancerNotFound", ""},
		{"no target group", elbv2.CreateListenerInput{LoadBalancerArn: lb.LoadBalancerArn, Protocol: types.ProtocolEnumHttp, Port: aws.Int32(81),
			DefaultActions: forward(strings.Replace(*tg.TargetGroupArn, "web-tg", "nope", 1))}, "TargetGroupNotFound", "not found"},
		{"tcp", elbv2.CreateListenerInput{LoadBalancerArn: lb.LoadBalancerArn, Protocol: types.ProtocolEnumTcp, Port: aws.Int32(81),
			DefaultActions: forward(*tg.TargetGroupArn)}, "UnsupportedProtocol", "application"},
		{"https without certificate", elbv2.CreateListenerInput{LoadBalancerArn: lb.LoadBalancerArn, Protocol: types.ProtocolEnumHttps, Port: aws.Int32(443),
			DefaultActions: forward(*tg.TargetGroupArn)}, "ValidationError", "certificate must be specified"},
		{"port", elbv2.CreateListenerInput{LoadBalancerArn: lb.LoadBalancerArn, Protocol: types.ProtocolEnumHttp, Port: aws.Int32(0),
			DefaultActions: forward(*tg.TargetGroupArn)}, "ValidationError", "greater than or equal to 1"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := f.c.CreateListener(f.ctx, &c.in)
			wantErr(t, err, c.code, c.want)
		})
	}

	// A target group serves one load balancer.
	other := f.loadBalancer("other")
	_, err = f.c.CreateListener(f.ctx, &elbv2.CreateListenerInput{LoadBalancerArn: other.LoadBalancerArn, Protocol: types.ProtocolEnumHttp,
		Port: aws.Int32(freePort(t)), DefaultActions: forward(*tg.TargetGroupArn)})
	wantErr(t, err, "TargetGroupAssociationLimit", "cannot be associated with more than one load balancer")

	// HTTPS: accepted and recorded, with the default policy.
	https := must(f.c.CreateListener(f.ctx, &elbv2.CreateListenerInput{LoadBalancerArn: lb.LoadBalancerArn, Protocol: types.ProtocolEnumHttps,
		Port: aws.Int32(freePort(t)), DefaultActions: forward(*tg.TargetGroupArn),
		Certificates: []types.Certificate{{CertificateArn: aws.String("arn:aws:acm:us-east-1:000000000000:certificate/abc")}}})).Listeners[0]
	if *https.SslPolicy != "ELBSecurityPolicy-2016-08" || *https.Certificates[0].CertificateArn != "arn:aws:acm:us-east-1:000000000000:certificate/abc" {
		t.Fatalf("https %+v", https)
	}

	got := must(f.c.DescribeListeners(f.ctx, &elbv2.DescribeListenersInput{LoadBalancerArn: lb.LoadBalancerArn}))
	if len(got.Listeners) != 2 {
		t.Fatalf("%d listeners", len(got.Listeners))
	}
	got = must(f.c.DescribeListeners(f.ctx, &elbv2.DescribeListenersInput{ListenerArns: []string{*l.ListenerArn}}))
	if len(got.Listeners) != 1 || *got.Listeners[0].Port != port {
		t.Fatalf("%+v", got.Listeners)
	}
	_, err = f.c.DescribeListeners(f.ctx, &elbv2.DescribeListenersInput{})
	wantErr(t, err, "ValidationError", "either listener ARNs or a load balancer ARN")
	_, err = f.c.DescribeListeners(f.ctx, &elbv2.DescribeListenersInput{ListenerArns: []string{*l.ListenerArn + "0"}})
	wantErr(t, err, "ListenerNotFound", "One or more listeners not found")

	// Modify: the port, and the default actions to a fixed response.
	newPort := freePort(t)
	mod := must(f.c.ModifyListener(f.ctx, &elbv2.ModifyListenerInput{ListenerArn: l.ListenerArn, Port: aws.Int32(newPort),
		DefaultActions: []types.Action{{Type: types.ActionTypeEnumFixedResponse, FixedResponseConfig: &types.FixedResponseActionConfig{
			StatusCode: aws.String("200"), ContentType: aws.String("text/plain"), MessageBody: aws.String("ok")}}}})).Listeners[0]
	if *mod.Port != newPort || mod.DefaultActions[0].Type != types.ActionTypeEnumFixedResponse || *mod.DefaultActions[0].FixedResponseConfig.MessageBody != "ok" {
		t.Fatalf("modified %+v", mod)
	}
	_, err = f.c.ModifyListener(f.ctx, &elbv2.ModifyListenerInput{ListenerArn: l.ListenerArn, Port: https.Port})
	wantErr(t, err, "DuplicateListener", "")
	// HTTPS to HTTP drops the certificate and the policy.
	toHTTP := must(f.c.ModifyListener(f.ctx, &elbv2.ModifyListenerInput{ListenerArn: https.ListenerArn, Protocol: types.ProtocolEnumHttp})).Listeners[0]
	if toHTTP.SslPolicy != nil || len(toHTTP.Certificates) != 0 {
		t.Fatalf("%+v", toHTTP)
	}

	must(f.c.DeleteListener(f.ctx, &elbv2.DeleteListenerInput{ListenerArn: l.ListenerArn}))
	_, err = f.c.DeleteListener(f.ctx, &elbv2.DeleteListenerInput{ListenerArn: l.ListenerArn})
	wantErr(t, err, "ListenerNotFound", "")
	// Deleting the load balancer deletes its listeners.
	must(f.c.DeleteLoadBalancer(f.ctx, &elbv2.DeleteLoadBalancerInput{LoadBalancerArn: lb.LoadBalancerArn}))
	_, err = f.c.DescribeListeners(f.ctx, &elbv2.DescribeListenersInput{ListenerArns: []string{*https.ListenerArn}})
	wantErr(t, err, "ListenerNotFound", "")
}
