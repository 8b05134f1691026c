package elbapi_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
)

func (f *fixture) health(tgARN string, targets ...types.TargetDescription) []types.TargetHealthDescription {
	f.t.Helper()
	return must(f.c.DescribeTargetHealth(f.ctx, &elbv2.DescribeTargetHealthInput{TargetGroupArn: aws.String(tgARN), Targets: targets})).TargetHealthDescriptions
}

// waitState polls DescribeTargetHealth until the target is in state.
func (f *fixture) waitState(tgARN string, target types.TargetDescription, state types.TargetHealthStateEnum) types.TargetHealth {
	f.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		h := f.health(tgARN, target)[0].TargetHealth
		if h.State == state {
			return *h
		}
		if time.Now().After(deadline) {
			f.t.Fatalf("target %s is %s (%s), want %s", *target.Id, h.State, h.Reason, state)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestTargets(t *testing.T) {
	f := newFixture(t)
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer target.Close()
	port, _ := strconv.Atoi(target.URL[strings.LastIndexByte(target.URL, ':')+1:])
	tg := f.targetGroup("web-tg", int32(port))
	must(f.c.ModifyTargetGroupAttributes(f.ctx, &elbv2.ModifyTargetGroupAttributesInput{TargetGroupArn: tg.TargetGroupArn,
		Attributes: []types.TargetGroupAttribute{{Key: aws.String("deregistration_delay.timeout_seconds"), Value: aws.String("1")}}}))
	me := types.TargetDescription{Id: aws.String("127.0.0.1"), Port: aws.Int32(int32(port))}
	must(f.c.RegisterTargets(f.ctx, &elbv2.RegisterTargetsInput{TargetGroupArn: tg.TargetGroupArn, Targets: []types.TargetDescription{{Id: aws.String("127.0.0.1")}}}))

	// No listener forwards to the group yet.
	rows := f.health(*tg.TargetGroupArn)
	if len(rows) != 1 || *rows[0].Target.Port != int32(port) || *rows[0].HealthCheckPort != strconv.Itoa(port) {
		t.Fatalf("rows %+v", rows)
	}
	if h := rows[0].TargetHealth; h.State != types.TargetHealthStateEnumUnused || h.Reason != "Target.NotInUse" ||
		*h.Description != "Target group is not configured to receive traffic from the load balancer" {
		t.Fatalf("before use: %+v", h)
	}
	// Once a listener uses it, one passed check makes it healthy.
	lb := f.loadBalancer("web")
	f.listener(*lb.LoadBalancerArn, *tg.TargetGroupArn)
	if h := f.waitState(*tg.TargetGroupArn, me, types.TargetHealthStateEnumHealthy); h.Reason != "" || h.Description != nil {
		t.Fatalf("healthy with a reason: %+v", h)
	}

	// A target that is not registered is unused, Target.NotRegistered.
	other := types.TargetDescription{Id: aws.String("127.0.0.9"), Port: aws.Int32(80)}
	if h := f.health(*tg.TargetGroupArn, other)[0].TargetHealth; h.State != types.TargetHealthStateEnumUnused || h.Reason != "Target.NotRegistered" ||
		*h.Description != "Target is not registered to the target group" {
		t.Fatalf("unregistered: %+v", h)
	}
	_, err := f.c.DeregisterTargets(f.ctx, &elbv2.DeregisterTargetsInput{TargetGroupArn: tg.TargetGroupArn, Targets: []types.TargetDescription{other}})
	wantErr(t, err, "InvalidTarget", "not registered")

	// Deregistration drains for the delay (1 s here), then the target goes.
	must(f.c.DeregisterTargets(f.ctx, &elbv2.DeregisterTargetsInput{TargetGroupArn: tg.TargetGroupArn, Targets: []types.TargetDescription{me}}))
	h := f.health(*tg.TargetGroupArn, me)[0].TargetHealth
	if h.State != types.TargetHealthStateEnumDraining || h.Reason != "Target.DeregistrationInProgress" || *h.Description != "Target deregistration is in progress" {
		t.Fatalf("draining: %+v", h)
	}
	if h := f.waitState(*tg.TargetGroupArn, me, types.TargetHealthStateEnumUnused); h.Reason != "Target.NotRegistered" {
		t.Fatalf("after draining: %+v", h)
	}
	if rows := f.health(*tg.TargetGroupArn); len(rows) != 0 {
		t.Fatalf("a removed target is still listed: %+v", rows)
	}

	// Bad targets.
	for _, c := range []struct {
		target     types.TargetDescription
		code, want string
	}{
		{types.TargetDescription{Id: aws.String("i-0123456789abcdef0")}, "InvalidTarget", "not a valid IPv4 address"},
		{types.TargetDescription{Id: aws.String("10.0.0.1"), Port: aws.Int32(0)}, "ValidationError", "greater than or equal to 1"},
	} {
		_, err := f.c.RegisterTargets(f.ctx, &elbv2.RegisterTargetsInput{TargetGroupArn: tg.TargetGroupArn, Targets: []types.TargetDescription{c.target}})
		wantErr(t, err, c.code, c.want)
	}
	_, err = f.c.RegisterTargets(f.ctx, &elbv2.RegisterTargetsInput{TargetGroupArn: aws.String(strings.Replace(*tg.TargetGroupArn, "web-tg", "nope", 1)),
		Targets: []types.TargetDescription{me}})
	wantErr(t, err, "TargetGroupNotFound", "One or more target groups not found")
	var many []types.TargetDescription
	for i := range 1001 {
		many = append(many, types.TargetDescription{Id: aws.String(fmt.Sprintf("10.0.%d.%d", i/250, i%250+1))})
	}
	_, err = f.c.RegisterTargets(f.ctx, &elbv2.RegisterTargetsInput{TargetGroupArn: tg.TargetGroupArn, Targets: many})
	wantErr(t, err, "TooManyTargets", "maximum number of targets (1000)")
	if rows := f.health(*tg.TargetGroupArn); len(rows) != 0 {
		t.Fatal("a refused registration registered some targets")
	}
}

func TestInstanceTargets(t *testing.T) {
	f := newFixture(t)
	tg := must(f.c.CreateTargetGroup(f.ctx, &elbv2.CreateTargetGroupInput{Name: aws.String("inst"), Protocol: types.ProtocolEnumHttp,
		Port: aws.Int32(80), VpcId: aws.String("vpc-local")})).TargetGroups[0]
	must(f.c.RegisterTargets(f.ctx, &elbv2.RegisterTargetsInput{TargetGroupArn: tg.TargetGroupArn,
		Targets: []types.TargetDescription{{Id: aws.String("i-0123456789abcdef0"), Port: aws.Int32(32768)}}}))
	rows := f.health(*tg.TargetGroupArn)
	if len(rows) != 1 || *rows[0].Target.Id != "i-0123456789abcdef0" || *rows[0].Target.Port != 32768 {
		t.Fatalf("%+v", rows)
	}
	_, err := f.c.RegisterTargets(f.ctx, &elbv2.RegisterTargetsInput{TargetGroupArn: tg.TargetGroupArn,
		Targets: []types.TargetDescription{{Id: aws.String("10.0.0.1")}}})
	wantErr(t, err, "InvalidTarget", "not valid instance IDs")
}

func TestTags(t *testing.T) {
	f := newFixture(t)
	lb := f.loadBalancer("tagged")
	tg := f.targetGroup("tagged-tg", 80)
	l := f.listener(*lb.LoadBalancerArn, *tg.TargetGroupArn)
	r := must(f.c.CreateRule(f.ctx, &elbv2.CreateRuleInput{ListenerArn: l.ListenerArn, Priority: aws.Int32(1), Conditions: pathRule("/x"),
		Actions: forward(*tg.TargetGroupArn), Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("web")}}})).Rules[0]
	arns := []string{*lb.LoadBalancerArn, *tg.TargetGroupArn, *l.ListenerArn, *r.RuleArn}
	must(f.c.AddTags(f.ctx, &elbv2.AddTagsInput{ResourceArns: arns, Tags: []types.Tag{{Key: aws.String("env"), Value: aws.String("dev")}}}))
	got := must(f.c.DescribeTags(f.ctx, &elbv2.DescribeTagsInput{ResourceArns: arns})).TagDescriptions
	if len(got) != 4 {
		t.Fatalf("%d descriptions", len(got))
	}
	for _, d := range got {
		found := false
		for _, tag := range d.Tags {
			found = found || (*tag.Key == "env" && *tag.Value == "dev")
		}
		if !found {
			t.Errorf("%s: %+v", *d.ResourceArn, d.Tags)
		}
	}
	if tags := got[3].Tags; len(tags) != 2 || *tags[0].Key != "team" {
		t.Fatalf("rule tags %+v", tags)
	}
	must(f.c.RemoveTags(f.ctx, &elbv2.RemoveTagsInput{ResourceArns: arns[:1], TagKeys: []string{"env"}}))
	if tags := must(f.c.DescribeTags(f.ctx, &elbv2.DescribeTagsInput{ResourceArns: arns[:1]})).TagDescriptions[0].Tags; len(tags) != 0 {
		t.Fatalf("after removal %+v", tags)
	}
	_, err := f.c.AddTags(f.ctx, &elbv2.AddTagsInput{ResourceArns: arns[:1], Tags: []types.Tag{{Key: aws.String("a")}, {Key: aws.String("a")}}})
	wantErr(t, err, "DuplicateTagKeys", "'a'")
	var fifty []types.Tag
	for i := range 51 {
		fifty = append(fifty, types.Tag{Key: aws.String(fmt.Sprint("k", i)), Value: aws.String("v")})
	}
	_, err = f.c.AddTags(f.ctx, &elbv2.AddTagsInput{ResourceArns: arns[:1], Tags: fifty})
	wantErr(t, err, "TooManyTags", "(50)")
	_, err = f.c.DescribeTags(f.ctx, &elbv2.DescribeTagsInput{ResourceArns: []string{strings.Replace(*tg.TargetGroupArn, "tagged-tg", "nope", 1)}})
	wantErr(t, err, "TargetGroupNotFound", "")
	_, err = f.c.DescribeTags(f.ctx, &elbv2.DescribeTagsInput{ResourceArns: []string{"arn:aws:s3:::bucket"}})
	wantErr(t, err, "ValidationError", "not a valid resource ARN")
	// Tags given at creation are kept.
	lb2 := must(f.c.CreateLoadBalancer(f.ctx, &elbv2.CreateLoadBalancerInput{Name: aws.String("born-tagged"), Subnets: []string{"s"},
		Tags: []types.Tag{{Key: aws.String("owner"), Value: aws.String("me")}}})).LoadBalancers[0]
	if tags := must(f.c.DescribeTags(f.ctx, &elbv2.DescribeTagsInput{ResourceArns: []string{*lb2.LoadBalancerArn}})).TagDescriptions[0].Tags; len(tags) != 1 || *tags[0].Value != "me" {
		t.Fatalf("%+v", tags)
	}
}

func TestUnsupportedOperation(t *testing.T) {
	f := newFixture(t)
	_, err := f.c.DescribeSSLPolicies(f.ctx, &elbv2.DescribeSSLPoliciesInput{})
	wantErr(t, err, "NotImplementedException", "DescribeSSLPolicies")
	limits := must(f.c.DescribeAccountLimits(f.ctx, &elbv2.DescribeAccountLimitsInput{})).Limits
	if len(limits) == 0 || *limits[0].Name != "application-load-balancers" || *limits[0].Max != "50" {
		t.Fatalf("%+v", limits)
	}
}
