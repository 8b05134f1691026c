package elbapi_test

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
)

func TestLoadBalancers(t *testing.T) {
	f := newFixture(t)
	lb := f.loadBalancer("web-alb")
	if !regexp.MustCompile(`^arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/app/web-alb/[0-9a-f]{16}$`).MatchString(*lb.LoadBalancerArn) {
		t.Fatalf("ARN %s", *lb.LoadBalancerArn)
	}
	if *lb.DNSName != "127.1.0.1" || lb.Scheme != types.LoadBalancerSchemeEnumInternetFacing || lb.Type != types.LoadBalancerTypeEnumApplication ||
		lb.IpAddressType != types.IpAddressTypeIpv4 || lb.State.Code != types.LoadBalancerStateEnumActive || lb.CreatedTime == nil ||
		len(lb.AvailabilityZones) != 1 || *lb.AvailabilityZones[0].SubnetId != "subnet-local" || *lb.AvailabilityZones[0].ZoneName != "us-east-1a" {
		t.Fatalf("load balancer %+v", lb)
	}
	// The same request again is answered with the same load balancer.
	again := f.loadBalancer("web-alb")
	if *again.LoadBalancerArn != *lb.LoadBalancerArn {
		t.Fatal("create is not idempotent")
	}
	_, err := f.c.CreateLoadBalancer(f.ctx, &elbv2.CreateLoadBalancerInput{Name: aws.String("web-alb"), Subnets: []string{"subnet-other"}})
	wantErr(t, err, "DuplicateLoadBalancerName", "A load balancer with the same name 'web-alb' exists, but with different settings")

	second := must(f.c.CreateLoadBalancer(f.ctx, &elbv2.CreateLoadBalancerInput{Name: aws.String("api-alb"), Subnets: []string{"a", "b"},
		Scheme: types.LoadBalancerSchemeEnumInternal})).LoadBalancers[0]
	if *second.DNSName != "127.1.0.2" || second.Scheme != types.LoadBalancerSchemeEnumInternal || *second.AvailabilityZones[1].ZoneName != "us-east-1b" {
		t.Fatalf("second %+v", second)
	}

	// Validation, in AWS's shapes.
	for _, c := range []struct {
		in         elbv2.CreateLoadBalancerInput
		code, want string
	}{
		{elbv2.CreateLoadBalancerInput{Name: aws.String("bad_name"), Subnets: []string{"s"}}, "ValidationError", "alphanumeric characters or hyphens"},
		{elbv2.CreateLoadBalancerInput{Name: aws.String("internal-x"), Subnets: []string{"s"}}, "ValidationError", "cannot begin with 'internal-'"},
		{elbv2.CreateLoadBalancerInput{Name: aws.String("no-subnets")}, "ValidationError", "At least one subnet"},
		{elbv2.CreateLoadBalancerInput{Name: aws.String("nlb"), Subnets: []string{"s"}, Type: types.LoadBalancerTypeEnumNetwork}, "ValidationError", "type 'network'"},
		{elbv2.CreateLoadBalancerInput{Name: aws.String("sch"), Subnets: []string{"s"}, Scheme: "public"}, "ValidationError", "enum value set"},
	} {
		_, err := f.c.CreateLoadBalancer(f.ctx, &c.in)
		wantErr(t, err, c.code, c.want)
	}

	// Describe by name, by ARN, all, and by pages.
	got := must(f.c.DescribeLoadBalancers(f.ctx, &elbv2.DescribeLoadBalancersInput{Names: []string{"web-alb"}}))
	if len(got.LoadBalancers) != 1 || *got.LoadBalancers[0].LoadBalancerArn != *lb.LoadBalancerArn {
		t.Fatalf("by name: %+v", got.LoadBalancers)
	}
	got = must(f.c.DescribeLoadBalancers(f.ctx, &elbv2.DescribeLoadBalancersInput{LoadBalancerArns: []string{*second.LoadBalancerArn}}))
	if len(got.LoadBalancers) != 1 || *got.LoadBalancers[0].LoadBalancerName != "api-alb" {
		t.Fatalf("by ARN: %+v", got.LoadBalancers)
	}
	_, err = f.c.DescribeLoadBalancers(f.ctx, &elbv2.DescribeLoadBalancersInput{Names: []string{"web-alb", "nope"}})
	wantErr(t, err, "LoadBalancerNotFound", "Load balancers '[nope]' not found")
	_, err = f.c.DescribeLoadBalancers(f.ctx, &elbv2.DescribeLoadBalancersInput{LoadBalancerArns: []string{*lb.LoadBalancerArn + "0"}})
	wantErr(t, err, "LoadBalancerNotFound", "One or more load balancers not found")
	_, err = f.c.DescribeLoadBalancers(f.ctx, &elbv2.DescribeLoadBalancersInput{LoadBalancerArns: []string{"web-alb"}})
	wantErr(t, err, "ValidationError", "is not a valid load balancer ARN")
	for i := range 3 {
		f.loadBalancer(fmt.Sprintf("page-%d", i))
	}
	var names []string
	p := elbv2.NewDescribeLoadBalancersPaginator(f.c, &elbv2.DescribeLoadBalancersInput{PageSize: aws.Int32(2)})
	pages := 0
	for p.HasMorePages() {
		page := must(p.NextPage(f.ctx))
		pages++
		for _, l := range page.LoadBalancers {
			names = append(names, *l.LoadBalancerName)
		}
	}
	if pages != 3 || fmt.Sprint(names) != "[api-alb page-0 page-1 page-2 web-alb]" {
		t.Fatalf("%d pages: %v", pages, names)
	}

	// Delete: a missing load balancer is fine, deletion protection is not.
	must(f.c.ModifyLoadBalancerAttributes(f.ctx, &elbv2.ModifyLoadBalancerAttributesInput{LoadBalancerArn: second.LoadBalancerArn,
		Attributes: []types.LoadBalancerAttribute{{Key: aws.String("deletion_protection.enabled"), Value: aws.String("true")}}}))
	_, err = f.c.DeleteLoadBalancer(f.ctx, &elbv2.DeleteLoadBalancerInput{LoadBalancerArn: second.LoadBalancerArn})
	wantErr(t, err, "OperationNotPermitted", "deletion protection is enabled")
	must(f.c.DeleteLoadBalancer(f.ctx, &elbv2.DeleteLoadBalancerInput{LoadBalancerArn: lb.LoadBalancerArn}))
	must(f.c.DeleteLoadBalancer(f.ctx, &elbv2.DeleteLoadBalancerInput{LoadBalancerArn: lb.LoadBalancerArn}))
	_, err = f.c.DescribeLoadBalancers(f.ctx, &elbv2.DescribeLoadBalancersInput{Names: []string{"web-alb"}})
	wantErr(t, err, "LoadBalancerNotFound", "")
	// Its address is free again for the next load balancer.
	if next := f.loadBalancer("next"); *next.DNSName != "127.1.0.1" {
		t.Fatalf("address not reused: %s", *next.DNSName)
	}
}

func TestLoadBalancerAttributes(t *testing.T) {
	f := newFixture(t)
	lb := f.loadBalancer("attrs")
	attrs := func() map[string]string {
		out := must(f.c.DescribeLoadBalancerAttributes(f.ctx, &elbv2.DescribeLoadBalancerAttributesInput{LoadBalancerArn: lb.LoadBalancerArn}))
		m := map[string]string{}
		for _, a := range out.Attributes {
			m[*a.Key] = *a.Value
		}
		return m
	}
	m := attrs()
	for k, v := range map[string]string{"idle_timeout.timeout_seconds": "60", "deletion_protection.enabled": "false",
		"routing.http2.enabled": "true", "routing.http.xff_header_processing.mode": "append", "client_keep_alive.seconds": "3600",
		"routing.http.desync_mitigation_mode": "defensive", "access_logs.s3.enabled": "false"} {
		if m[k] != v {
			t.Errorf("%s = %q, want %q", k, m[k], v)
		}
	}
	out := must(f.c.ModifyLoadBalancerAttributes(f.ctx, &elbv2.ModifyLoadBalancerAttributesInput{LoadBalancerArn: lb.LoadBalancerArn,
		Attributes: []types.LoadBalancerAttribute{{Key: aws.String("idle_timeout.timeout_seconds"), Value: aws.String("120")}}}))
	if len(out.Attributes) == 0 || attrs()["idle_timeout.timeout_seconds"] != "120" {
		t.Fatal("idle timeout not changed")
	}
	for _, c := range [][2]string{{"idle_timeout.timeout_seconds", "0"}, {"idle_timeout.timeout_seconds", "4001"}, {"no.such", "1"}} {
		_, err := f.c.ModifyLoadBalancerAttributes(f.ctx, &elbv2.ModifyLoadBalancerAttributesInput{LoadBalancerArn: lb.LoadBalancerArn,
			Attributes: []types.LoadBalancerAttribute{{Key: aws.String(c[0]), Value: aws.String(c[1])}}})
		wantErr(t, err, "ValidationError", c[0])
	}
	_, err := f.c.DescribeLoadBalancerAttributes(f.ctx, &elbv2.DescribeLoadBalancerAttributesInput{
		LoadBalancerArn: aws.String("arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/app/nope/0123456789abcdef")})
	wantErr(t, err, "LoadBalancerNotFound", "")
}
