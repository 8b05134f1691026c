package elbapi_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/smithy-go"

	"github.com/quayside/quayside/internal/servertest"
)

// fixture is a running Quayside and an ELBv2 client for it.
type fixture struct {
	t   *testing.T
	ctx context.Context
	c   *elbv2.Client
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	srv := servertest.Start(t)
	return &fixture{t: t, ctx: context.Background(), c: elbv2.NewFromConfig(srv.AWSConfig("us-east-1"))}
}

// wantErr checks an error's ELBv2 code and that its message contains msg.
func wantErr(t *testing.T, err error, code, msg string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("error %v, want %s", err, code)
	}
	if ae.ErrorCode() != code || !strings.Contains(ae.ErrorMessage(), msg) {
		t.Fatalf("error %s: %q, want %s containing %q", ae.ErrorCode(), ae.ErrorMessage(), code, msg)
	}
}

// must returns v, or fails the test by panicking on err (Go cannot pass a
// *testing.T alongside a call's two results).
func must[T any](v T, err error) T {
	if err != nil {
		panic(fmt.Sprintf("unexpected error: %v", err))
	}
	return v
}

// freePort returns a TCP port that is free on loopback now.
func freePort(t *testing.T) int32 {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return int32(ln.Addr().(*net.TCPAddr).Port)
}

func (f *fixture) loadBalancer(name string) types.LoadBalancer {
	f.t.Helper()
	out := must(f.c.CreateLoadBalancer(f.ctx, &elbv2.CreateLoadBalancerInput{Name: aws.String(name), Subnets: []string{"subnet-local"}}))
	return out.LoadBalancers[0]
}

func (f *fixture) targetGroup(name string, port int32) types.TargetGroup {
	f.t.Helper()
	out := must(f.c.CreateTargetGroup(f.ctx, &elbv2.CreateTargetGroupInput{Name: aws.String(name), Protocol: types.ProtocolEnumHttp,
		Port: aws.Int32(port), VpcId: aws.String("vpc-local"), TargetType: types.TargetTypeEnumIp}))
	return out.TargetGroups[0]
}

func forward(tgARN string) []types.Action {
	return []types.Action{{Type: types.ActionTypeEnumForward, TargetGroupArn: aws.String(tgARN)}}
}

func (f *fixture) listener(lbARN, tgARN string) types.Listener {
	f.t.Helper()
	out := must(f.c.CreateListener(f.ctx, &elbv2.CreateListenerInput{LoadBalancerArn: aws.String(lbARN), Protocol: types.ProtocolEnumHttp,
		Port: aws.Int32(freePort(f.t)), DefaultActions: forward(tgARN)}))
	return out.Listeners[0]
}

func pathRule(p string) []types.RuleCondition {
	return []types.RuleCondition{{Field: aws.String("path-pattern"), PathPatternConfig: &types.PathPatternConditionConfig{Values: []string{p}}}}
}
