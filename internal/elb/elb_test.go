package elb

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParseARN(t *testing.T) {
	s := Scope{Region: "us-east-1", Account: "000000000000"}
	for _, a := range []ARN{
		{Scope: s, Kind: KindLoadBalancer, LB: "web", LBID: "50dc6c495c0c9188"},
		{Scope: s, Kind: KindListener, LB: "web", LBID: "50dc6c495c0c9188", Listener: "f2f7dc8efc522ab2"},
		{Scope: s, Kind: KindRule, LB: "web", LBID: "50dc6c495c0c9188", Listener: "f2f7dc8efc522ab2", Rule: "9683b2d02a6cabee"},
		{Scope: s, Kind: KindTargetGroup, TG: "web-tg", TGID: "73e2d6bc24d8a067"},
	} {
		got, ok := ParseARN(a.String())
		if !ok || got != a {
			t.Errorf("ParseARN(%s) = %+v, %v", a, got, ok)
		}
	}
	for _, bad := range []string{"", "arn:aws:ecs:us-east-1:1:cluster/x", "arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/x",
		"arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/net/x/1", "arn:aws:elasticloadbalancing::1:targetgroup/x/1",
		"arn:aws:elasticloadbalancing:us-east-1:1:targetgroup//1"} {
		if _, ok := ParseARN(bad); ok {
			t.Errorf("ParseARN(%q) ok", bad)
		}
	}
}

func TestNames(t *testing.T) {
	cases := []struct {
		name string
		ok   bool
	}{
		{"web", true}, {"web-alb-1", true}, {strings.Repeat("a", 32), true},
		{"", false}, {strings.Repeat("a", 33), false}, {"-web", false}, {"web-", false}, {"web_alb", false}, {"wéb", false},
	}
	for _, c := range cases {
		if err := ValidateTargetGroupName(c.name); (err == nil) != c.ok {
			t.Errorf("ValidateTargetGroupName(%q) = %v", c.name, err)
		}
		if err := ValidateLoadBalancerName(c.name); (err == nil) != c.ok {
			t.Errorf("ValidateLoadBalancerName(%q) = %v", c.name, err)
		}
	}
	if err := ValidateLoadBalancerName("internal-web"); err == nil {
		t.Error("internal- prefix accepted")
	}
}

func TestMatcher(t *testing.T) {
	cases := []struct {
		in, out string
		match   []int
		miss    []int
	}{
		{"200", "200", []int{200}, []int{201, 302}},
		{"200-299", "200-299", []int{200, 250, 299}, []int{300}},
		{"200,302", "200,302", []int{200, 302}, []int{301}},
		{"200, 400-404", "200,400-404", []int{200, 404}, []int{405}},
	}
	for _, c := range cases {
		m, err := ParseMatcher(c.in)
		if err != nil || m.String() != c.out {
			t.Fatalf("ParseMatcher(%q) = %v, %v", c.in, m, err)
		}
		for _, code := range c.match {
			if !m.Match(code) {
				t.Errorf("%q does not match %d", c.in, code)
			}
		}
		for _, code := range c.miss {
			if m.Match(code) {
				t.Errorf("%q matches %d", c.in, code)
			}
		}
	}
	for _, bad := range []string{"", "199", "500", "abc", "300-200", "200-"} {
		if _, err := ParseMatcher(bad); !errors.Is(err, ErrValidation) {
			t.Errorf("ParseMatcher(%q) = %v", bad, err)
		}
	}
}

func TestDefaultHealthCheck(t *testing.T) {
	hc := DefaultHealthCheck("HTTP", 0)
	want := HealthCheck{Enabled: true, Protocol: "HTTP", Port: TrafficPort, Path: "/", IntervalSeconds: 30, TimeoutSeconds: 5,
		HealthyThreshold: 5, UnhealthyThreshold: 2, Matcher: "200"}
	if hc != want {
		t.Fatalf("got %+v", hc)
	}
	if err := hc.Validate(TargetTypeIP); err != nil {
		t.Fatal(err)
	}
	short := DefaultHealthCheck("HTTP", 2*time.Second)
	if short.IntervalSeconds != 2 || short.TimeoutSeconds != 1 {
		t.Fatalf("shortened: %+v", short)
	}
	bad := hc
	bad.TimeoutSeconds = 30
	if err := bad.Validate(TargetTypeIP); err == nil || !strings.Contains(err.Error(), "greater than the timeout") {
		t.Fatalf("timeout ≥ interval: %v", err)
	}
	bad = hc
	bad.Enabled = false
	if err := bad.Validate(TargetTypeIP); err == nil {
		t.Fatal("disabled health check accepted for ip targets")
	}
}

func TestAttributes(t *testing.T) {
	ok := [][2]string{{AttrIdleTimeout, "1"}, {AttrIdleTimeout, "4000"}, {AttrDeletionProtection, "true"}, {AttrXFFMode, "preserve"}}
	for _, kv := range ok {
		if err := ValidateLoadBalancerAttribute(kv[0], kv[1]); err != nil {
			t.Errorf("%v: %v", kv, err)
		}
	}
	bad := [][2]string{{AttrIdleTimeout, "0"}, {AttrIdleTimeout, "4001"}, {AttrIdleTimeout, "x"}, {"no.such.key", "1"}, {AttrDeletionProtection, "yes"}}
	for _, kv := range bad {
		if err := ValidateLoadBalancerAttribute(kv[0], kv[1]); !errors.Is(err, ErrValidation) {
			t.Errorf("%v accepted: %v", kv, err)
		}
	}
	for _, kv := range [][2]string{{AttrDeregistrationDelay, "0"}, {AttrDeregistrationDelay, "3600"}, {AttrSlowStart, "0"}, {AttrSlowStart, "30"}, {AttrAlgorithm, AlgorithmLeastOutReq}} {
		if err := ValidateTargetGroupAttribute(kv[0], kv[1]); err != nil {
			t.Errorf("%v: %v", kv, err)
		}
	}
	for _, kv := range [][2]string{{AttrDeregistrationDelay, "3601"}, {AttrSlowStart, "29"}, {AttrSlowStart, "901"}, {AttrAlgorithm, "random"}} {
		if err := ValidateTargetGroupAttribute(kv[0], kv[1]); err == nil {
			t.Errorf("%v accepted", kv)
		}
	}
	lb := LoadBalancer{}
	if lb.IdleTimeout() != 60*time.Second {
		t.Errorf("default idle timeout %v", lb.IdleTimeout())
	}
	tg := TargetGroup{Attributes: map[string]string{AttrDeregistrationDelay: "5"}}
	if tg.DeregistrationDelay() != 5*time.Second || (TargetGroup{}).DeregistrationDelay() != 300*time.Second {
		t.Error("deregistration delay")
	}
}

func TestAddressPool(t *testing.T) {
	p, err := NewAddressPool("")
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]bool{}
	var got []string
	for range 3 {
		a, err := p.Allocate(used)
		if err != nil {
			t.Fatal(err)
		}
		used[a] = true
		got = append(got, a)
	}
	if strings.Join(got, " ") != "127.1.0.1 127.1.0.2 127.1.0.3" {
		t.Fatalf("got %v", got)
	}
	delete(used, "127.1.0.2")
	if a, _ := p.Allocate(used); a != "127.1.0.2" {
		t.Fatalf("a freed address is reused first, got %s", a)
	}
	small, _ := NewAddressPool("127.2.0.0/30") // .1 and .2 are usable
	if _, err := small.Allocate(map[string]bool{"127.2.0.1": true, "127.2.0.2": true, "127.2.0.3": true}); err == nil {
		t.Fatal("a full pool allocated")
	}
	shared, _ := SharedAddress("0.0.0.0")
	if a, _ := shared.Allocate(map[string]bool{"0.0.0.0": true}); a != "0.0.0.0" || !shared.Shared() || DNSName(a) != "127.0.0.1" {
		t.Fatal("shared address")
	}
}

func TestTargets(t *testing.T) {
	ipTG := TargetGroup{TargetType: TargetTypeIP, Port: 80, IPAddressType: "ipv4"}
	got, err := ValidateTarget(Target{ID: "127.0.0.5"}, ipTG)
	if err != nil || got.Port != 80 {
		t.Fatalf("got %+v, %v", got, err)
	}
	for _, bad := range []Target{{ID: ""}, {ID: "i-123"}, {ID: "::1"}, {ID: "10.0.0.1", Port: 70000}} {
		if _, err := ValidateTarget(bad, ipTG); err == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
	if _, err := ValidateTarget(Target{ID: "10.0.0.1"}, TargetGroup{TargetType: TargetTypeInstance, Port: 80}); !errors.Is(err, ErrInvalidTarget) {
		t.Errorf("IP as instance ID: %v", err)
	}
	h := CodeMismatch(404, time.Time{})
	if h.Description != "Health checks failed with these codes: [404]" || h.Reason != ReasonResponseCodeMismatch {
		t.Fatalf("%+v", h)
	}
	if NewHealth(StateInitial, ReasonRegistrationInProgress, time.Time{}).Description != "Target registration is in progress" {
		t.Fatal("description")
	}
}

func TestTags(t *testing.T) {
	if err := ValidateNewTags([]Tag{{Key: "a"}, {Key: "a"}}); !errors.Is(err, ErrDuplicateTagKeys) {
		t.Fatalf("duplicate keys: %v", err)
	}
	if err := ValidateNewTags([]Tag{{Key: "aws:x"}}); err == nil {
		t.Fatal("aws: prefix accepted")
	}
	tags, _ := MergeTags([]Tag{{"a", "1"}, {"b", "2"}}, []Tag{{"b", "3"}, {"c", "4"}})
	if len(tags) != 3 || tags[1].Value != "3" || tags[2].Key != "c" {
		t.Fatalf("%v", tags)
	}
	if got := RemoveTags(tags, []string{"a", "c"}); len(got) != 1 || got[0].Key != "b" {
		t.Fatalf("%v", got)
	}
	many := make([]Tag, MaxTags+1)
	for i := range many {
		many[i].Key = strings.Repeat("k", i+1)
	}
	if _, err := MergeTags(nil, many); !errors.Is(err, ErrTooManyTags) {
		t.Fatalf("too many: %v", err)
	}
}
