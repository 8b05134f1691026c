package elbapi_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
)

func TestTargetGroups(t *testing.T) {
	f := newFixture(t)
	tg := f.targetGroup("web-tg", 8080)
	if tg.TargetType != types.TargetTypeEnumIp || *tg.Port != 8080 || *tg.VpcId != "vpc-local" || *tg.ProtocolVersion != "HTTP1" ||
		tg.HealthCheckProtocol != types.ProtocolEnumHttp || *tg.HealthCheckPort != "traffic-port" || *tg.HealthCheckPath != "/" ||
		*tg.HealthCheckIntervalSeconds != 30 || *tg.HealthCheckTimeoutSeconds != 5 || *tg.HealthyThresholdCount != 5 ||
		*tg.UnhealthyThresholdCount != 2 || *tg.Matcher.HttpCode != "200" || !*tg.HealthCheckEnabled || len(tg.LoadBalancerArns) != 0 {
		t.Fatalf("defaults: %+v", tg)
	}
	custom := must(f.c.CreateTargetGroup(f.ctx, &elbv2.CreateTargetGroupInput{Name: aws.String("custom"), Protocol: types.ProtocolEnumHttp,
		Port: aws.Int32(80), VpcId: aws.String("vpc-local"), HealthCheckPath: aws.String("/health"), HealthCheckIntervalSeconds: aws.Int32(5),
		HealthyThresholdCount: aws.Int32(2), HealthCheckPort: aws.String("9000"), Matcher: &types.Matcher{HttpCode: aws.String("200-299")}})).TargetGroups[0]
	if custom.TargetType != types.TargetTypeEnumInstance || *custom.HealthCheckIntervalSeconds != 5 || *custom.HealthCheckTimeoutSeconds != 4 ||
		*custom.HealthCheckPort != "9000" || *custom.Matcher.HttpCode != "200-299" {
		t.Fatalf("custom: %+v", custom)
	}
	again := f.targetGroup("web-tg", 8080)
	if *again.TargetGroupArn != *tg.TargetGroupArn {
		t.Fatal("create is not idempotent")
	}
	_, err := f.c.CreateTargetGroup(f.ctx, &elbv2.CreateTargetGroupInput{Name: aws.String("web-tg"), Protocol: types.ProtocolEnumHttp,
		Port: aws.Int32(9090), VpcId: aws.String("vpc-local"), TargetType: types.TargetTypeEnumIp})
	wantErr(t, err, "DuplicateTargetGroupName", "A target group with the same name 'web-tg' exists, but with different settings")

	base := func() *elbv2.CreateTargetGroupInput {
		return &elbv2.CreateTargetGroupInput{Name: aws.String("x"), Protocol: types.ProtocolEnumHttp, Port: aws.Int32(80), VpcId: aws.String("vpc-local")}
	}
	for _, c := range []struct {
		name       string
		mod        func(*elbv2.CreateTargetGroupInput)
		code, want string
	}{
		{"lambda", func(in *elbv2.CreateTargetGroupInput) { in.TargetType = types.TargetTypeEnumLambda }, "ValidationError", "Target type 'lambda' is not supported"},
		{"alb", func(in *elbv2.CreateTargetGroupInput) { in.TargetType = types.TargetTypeEnumAlb }, "ValidationError", "Target type 'alb' is not supported"},
		{"tcp", func(in *elbv2.CreateTargetGroupInput) { in.Protocol = types.ProtocolEnumTcp }, "UnsupportedProtocol", "TCP"},
		{"no protocol", func(in *elbv2.CreateTargetGroupInput) { in.Protocol = "" }, "ValidationError", "A protocol must be specified"},
		{"no port", func(in *elbv2.CreateTargetGroupInput) { in.Port = nil }, "ValidationError", "A port must be specified"},
		{"no vpc", func(in *elbv2.CreateTargetGroupInput) { in.VpcId = nil }, "ValidationError", "A VPC ID must be specified"},
		{"interval range", func(in *elbv2.CreateTargetGroupInput) { in.HealthCheckIntervalSeconds = aws.Int32(4) }, "ValidationError", "greater than or equal to 5"},
		{"timeout range", func(in *elbv2.CreateTargetGroupInput) { in.HealthCheckTimeoutSeconds = aws.Int32(121) }, "ValidationError", "less than or equal to 120"},
		{"timeout ≥ interval", func(in *elbv2.CreateTargetGroupInput) {
			in.HealthCheckIntervalSeconds, in.HealthCheckTimeoutSeconds = aws.Int32(10), aws.Int32(10)
		}, "ValidationError", "Health check interval must be greater than the timeout."},
		{"thresholds", func(in *elbv2.CreateTargetGroupInput) { in.HealthyThresholdCount = aws.Int32(11) }, "ValidationError", "less than or equal to 10"},
		{"matcher", func(in *elbv2.CreateTargetGroupInput) { in.Matcher = &types.Matcher{HttpCode: aws.String("500")} }, "ValidationError", "200-499"},
		{"path", func(in *elbv2.CreateTargetGroupInput) { in.HealthCheckPath = aws.String("health") }, "ValidationError", "must begin with a '/'"},
		{"disabled", func(in *elbv2.CreateTargetGroupInput) { in.HealthCheckEnabled = aws.Bool(false) }, "ValidationError", "cannot be disabled"},
		{"name", func(in *elbv2.CreateTargetGroupInput) { in.Name = aws.String("-x") }, "ValidationError", "cannot begin or end with '-'"},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := base()
			c.mod(in)
			_, err := f.c.CreateTargetGroup(f.ctx, in)
			wantErr(t, err, c.code, c.want)
		})
	}

	// Describe by names, ARNs, load balancer, and pages.
	got := must(f.c.DescribeTargetGroups(f.ctx, &elbv2.DescribeTargetGroupsInput{Names: []string{"custom"}}))
	if len(got.TargetGroups) != 1 || *got.TargetGroups[0].TargetGroupArn != *custom.TargetGroupArn {
		t.Fatalf("%+v", got.TargetGroups)
	}
	_, err = f.c.DescribeTargetGroups(f.ctx, &elbv2.DescribeTargetGroupsInput{Names: []string{"nope"}})
	wantErr(t, err, "TargetGroupNotFound", "Target groups '[nope]' not found")
	_, err = f.c.DescribeTargetGroups(f.ctx, &elbv2.DescribeTargetGroupsInput{TargetGroupArns: []string{*tg.TargetGroupArn + "0"}})
	wantErr(t, err, "TargetGroupNotFound", "One or more target groups not found")
	page := must(f.c.DescribeTargetGroups(f.ctx, &elbv2.DescribeTargetGroupsInput{PageSize: aws.Int32(1)}))
	if len(page.TargetGroups) != 1 || page.NextMarker == nil || *page.TargetGroups[0].TargetGroupName != "custom" {
		t.Fatalf("page 1: %+v", page)
	}
	page = must(f.c.DescribeTargetGroups(f.ctx, &elbv2.DescribeTargetGroupsInput{PageSize: aws.Int32(1), Marker: page.NextMarker}))
	if len(page.TargetGroups) != 1 || page.NextMarker != nil || *page.TargetGroups[0].TargetGroupName != "web-tg" {
		t.Fatalf("page 2: %+v", page)
	}
	lb := f.loadBalancer("lb")
	f.listener(*lb.LoadBalancerArn, *tg.TargetGroupArn)
	byLB := must(f.c.DescribeTargetGroups(f.ctx, &elbv2.DescribeTargetGroupsInput{LoadBalancerArn: lb.LoadBalancerArn}))
	if len(byLB.TargetGroups) != 1 || byLB.TargetGroups[0].LoadBalancerArns[0] != *lb.LoadBalancerArn {
		t.Fatalf("by load balancer: %+v", byLB.TargetGroups)
	}

	// Modify health checks; the rules apply to the result.
	mod := must(f.c.ModifyTargetGroup(f.ctx, &elbv2.ModifyTargetGroupInput{TargetGroupArn: tg.TargetGroupArn,
		HealthCheckPath: aws.String("/ready"), HealthCheckIntervalSeconds: aws.Int32(10), UnhealthyThresholdCount: aws.Int32(3)})).TargetGroups[0]
	if *mod.HealthCheckPath != "/ready" || *mod.HealthCheckIntervalSeconds != 10 || *mod.UnhealthyThresholdCount != 3 || len(mod.LoadBalancerArns) != 1 {
		t.Fatalf("modified: %+v", mod)
	}
	_, err = f.c.ModifyTargetGroup(f.ctx, &elbv2.ModifyTargetGroupInput{TargetGroupArn: tg.TargetGroupArn, HealthCheckTimeoutSeconds: aws.Int32(10)})
	wantErr(t, err, "ValidationError", "greater than the timeout")

	// Delete: not while a listener uses it.
	_, err = f.c.DeleteTargetGroup(f.ctx, &elbv2.DeleteTargetGroupInput{TargetGroupArn: tg.TargetGroupArn})
	wantErr(t, err, "ResourceInUse", "Target group '"+*tg.TargetGroupArn+"' is currently in use by a listener or a rule")
	must(f.c.DeleteTargetGroup(f.ctx, &elbv2.DeleteTargetGroupInput{TargetGroupArn: custom.TargetGroupArn}))
	_, err = f.c.DeleteTargetGroup(f.ctx, &elbv2.DeleteTargetGroupInput{TargetGroupArn: custom.TargetGroupArn})
	wantErr(t, err, "TargetGroupNotFound", "")
	must(f.c.DeleteLoadBalancer(f.ctx, &elbv2.DeleteLoadBalancerInput{LoadBalancerArn: lb.LoadBalancerArn}))
	must(f.c.DeleteTargetGroup(f.ctx, &elbv2.DeleteTargetGroupInput{TargetGroupArn: tg.TargetGroupArn}))
}

func TestTargetGroupAttributes(t *testing.T) {
	f := newFixture(t)
	tg := f.targetGroup("attrs", 80)
	attrs := func() map[string]string {
		out := must(f.c.DescribeTargetGroupAttributes(f.ctx, &elbv2.DescribeTargetGroupAttributesInput{TargetGroupArn: tg.TargetGroupArn}))
		m := map[string]string{}
		for _, a := range out.Attributes {
			m[*a.Key] = *a.Value
		}
		return m
	}
	m := attrs()
	for k, v := range map[string]string{"deregistration_delay.timeout_seconds": "300", "slow_start.duration_seconds": "0",
		"load_balancing.algorithm.type": "round_robin", "stickiness.enabled": "false", "stickiness.type": "lb_cookie",
		"stickiness.lb_cookie.duration_seconds": "86400"} {
		if m[k] != v {
			t.Errorf("%s = %q, want %q", k, m[k], v)
		}
	}
	set := func(kv ...string) error {
		var in []types.TargetGroupAttribute
		for i := 0; i < len(kv); i += 2 {
			in = append(in, types.TargetGroupAttribute{Key: aws.String(kv[i]), Value: aws.String(kv[i+1])})
		}
		_, err := f.c.ModifyTargetGroupAttributes(f.ctx, &elbv2.ModifyTargetGroupAttributesInput{TargetGroupArn: tg.TargetGroupArn, Attributes: in})
		return err
	}
	if err := set("deregistration_delay.timeout_seconds", "5", "load_balancing.algorithm.type", "least_outstanding_requests",
		"slow_start.duration_seconds", "30", "stickiness.enabled", "true"); err != nil {
		t.Fatal(err)
	}
	m = attrs()
	if m["deregistration_delay.timeout_seconds"] != "5" || m["load_balancing.algorithm.type"] != "least_outstanding_requests" ||
		m["slow_start.duration_seconds"] != "30" || m["stickiness.enabled"] != "true" {
		t.Fatalf("%v", m)
	}
	wantErr(t, set("deregistration_delay.timeout_seconds", "3601"), "ValidationError", "deregistration_delay.timeout_seconds")
	wantErr(t, set("slow_start.duration_seconds", "10"), "ValidationError", "slow_start.duration_seconds")
	wantErr(t, set("load_balancing.algorithm.type", "fastest"), "ValidationError", "load_balancing.algorithm.type")
	wantErr(t, set("stickiness.type", "app_cookie"), "ValidationError", "application cookie name")
}
