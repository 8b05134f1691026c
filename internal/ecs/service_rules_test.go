package ecs

import (
	"errors"
	"testing"
	"time"

	"github.com/quayside/quayside/internal/fault"
)

func TestDeploymentConfigurationValidate(t *testing.T) {
	replica, daemon := DefaultDeploymentConfiguration(SchedulingReplica), DefaultDeploymentConfiguration(SchedulingDaemon)
	with := func(c DeploymentConfiguration, f func(*DeploymentConfiguration)) DeploymentConfiguration {
		f(&c)
		return c
	}
	cases := []struct {
		name  string
		c     DeploymentConfiguration
		sched SchedulingStrategy
		ok    bool
	}{
		{"replica defaults", replica, SchedulingReplica, true},
		{"daemon defaults", daemon, SchedulingDaemon, true},
		{"min 0 max 100", with(replica, func(c *DeploymentConfiguration) { c.MinimumHealthyPercent, c.MaximumPercent = 0, 100 }), SchedulingReplica, true},
		{"min 100 max 100 (blocked, but accepted)", with(replica, func(c *DeploymentConfiguration) { c.MaximumPercent = 100 }), SchedulingReplica, true},
		{"min above 100", with(replica, func(c *DeploymentConfiguration) { c.MinimumHealthyPercent = 101 }), SchedulingReplica, false},
		{"min negative", with(replica, func(c *DeploymentConfiguration) { c.MinimumHealthyPercent = -1 }), SchedulingReplica, false},
		{"replica max below 100", with(replica, func(c *DeploymentConfiguration) { c.MaximumPercent = 99 }), SchedulingReplica, false},
		{"daemon max above 100", with(daemon, func(c *DeploymentConfiguration) { c.MaximumPercent = 150 }), SchedulingDaemon, false},
		{"bake time too long", with(replica, func(c *DeploymentConfiguration) { c.BakeTime = 1441 * time.Minute }), SchedulingReplica, false},
		{"alarms without names", with(replica, func(c *DeploymentConfiguration) { c.Alarms.Enable = true }), SchedulingReplica, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.c.Validate(tc.sched)
			if (err == nil) != tc.ok {
				t.Fatalf("Validate = %v, want ok=%v", err, tc.ok)
			}
			if err != nil && !errors.Is(err, ErrInvalidParameter) {
				t.Fatalf("kind of %v", err)
			}
		})
	}
}

func TestResolvePlatformVersion(t *testing.T) {
	cases := []struct {
		lt        LaunchType
		requested string
		windows   bool
		want      string
		kind      *fault.Kind
	}{
		{LaunchTypeFargate, "", false, "1.4.0", nil},
		{LaunchTypeFargate, "LATEST", false, "1.4.0", nil},
		{LaunchTypeFargate, "1.3.0", false, "1.3.0", nil},
		{LaunchTypeFargate, "LATEST", true, "1.0.0", nil},
		{LaunchTypeFargate, "1.4.0", true, "", ErrPlatformUnknown},
		{LaunchTypeFargate, "2.0.0", false, "", ErrPlatformUnknown},
		{LaunchTypeEC2, "", false, "", nil},
		{LaunchTypeEC2, "LATEST", false, "", ErrInvalidParameter},
	}
	for _, tc := range cases {
		got, err := ResolvePlatformVersion(tc.lt, tc.requested, tc.windows)
		if got != tc.want || (tc.kind == nil) != (err == nil) || tc.kind != nil && !errors.Is(err, tc.kind) {
			t.Errorf("ResolvePlatformVersion(%s, %q, %v) = %q, %v", tc.lt, tc.requested, tc.windows, got, err)
		}
	}
}

func TestValidatePlacement(t *testing.T) {
	ten := make([]PlacementConstraint, 10)
	for i := range ten {
		ten[i] = PlacementConstraint{Type: PlacementConstraintMemberOf, Expression: "attribute:ecs.instance-type =~ t3.*"}
	}
	cases := []struct {
		name        string
		constraints []PlacementConstraint
		strategies  []PlacementStrategy
		fromTD      int
		ok          bool
	}{
		{"none", nil, nil, 0, true},
		{"distinct and spread", []PlacementConstraint{{Type: PlacementConstraintDistinctInstance}},
			[]PlacementStrategy{{Type: PlacementSpread, Field: "attribute:ecs.availability-zone"}, {Type: PlacementBinpack, Field: "memory"}}, 0, true},
		{"ten constraints", ten, nil, 0, true},
		{"ten plus the task definition's", ten, nil, 1, false},
		{"memberOf without expression", []PlacementConstraint{{Type: PlacementConstraintMemberOf}}, nil, 0, false},
		{"distinctInstance with expression", []PlacementConstraint{{Type: PlacementConstraintDistinctInstance, Expression: "x"}}, nil, 0, false},
		{"unknown constraint", []PlacementConstraint{{Type: "sameHost"}}, nil, 0, false},
		{"binpack on disk", nil, []PlacementStrategy{{Type: PlacementBinpack, Field: "disk"}}, 0, false},
		{"spread without field", nil, []PlacementStrategy{{Type: PlacementSpread}}, 0, false},
		{"random with field", nil, []PlacementStrategy{{Type: PlacementRandom, Field: "cpu"}}, 0, false},
		{"six strategies", nil, make([]PlacementStrategy, 6), 0, false},
		{"compound expression", []PlacementConstraint{{Type: PlacementConstraintMemberOf,
			Expression: "attribute:ecs.availability-zone in [us-east-1a, us-east-1b] and not(task:group == service:db)"}}, nil, 0, true},
		{"spread over hosts", nil, []PlacementStrategy{{Type: PlacementSpread, Field: "host"}, {Type: PlacementSpread, Field: "instanceId"}}, 0, true},
		{"spread over a custom attribute", nil, []PlacementStrategy{{Type: PlacementSpread, Field: "attribute:rack"}}, 0, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if err := ValidatePlacement(tc.constraints, tc.strategies, tc.fromTD); (err == nil) != tc.ok {
				t.Fatalf("ValidatePlacement = %v, want ok=%v", err, tc.ok)
			}
		})
	}
}

// The messages of rejected placement, each an InvalidParameterException.
func TestValidatePlacementMessages(t *testing.T) {
	cases := []struct {
		name        string
		constraints []PlacementConstraint
		strategies  []PlacementStrategy
		msg         string
	}{
		{"distinctInstance with expression", []PlacementConstraint{{Type: PlacementConstraintDistinctInstance, Expression: "x"}}, nil,
			"distinctInstance expression should not be specified."},
		{"expression without operator", []PlacementConstraint{{Type: PlacementConstraintMemberOf, Expression: "attribute:ecs.os-type linux"}}, nil,
			"The placement constraint expression is invalid: expected an operator after attribute:ecs.os-type but found 'l' at character 23."},
		{"unknown subject", []PlacementConstraint{{Type: PlacementConstraintMemberOf, Expression: "instance-type == t2.micro"}}, nil,
			`The placement constraint expression is invalid: unknown subject "instance-type" at character 1.`},
		{"spread over a resource", nil, []PlacementStrategy{{Type: PlacementSpread, Field: "memory"}},
			"Invalid spread field 'memory': use instanceId, host or attribute:<name>."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := ValidatePlacement(tc.constraints, tc.strategies, 0)
			msg, _ := fault.Message(err)
			if !errors.Is(err, ErrInvalidParameter) || msg != tc.msg {
				t.Fatalf("ValidatePlacement = %v\nwant InvalidParameterException %q", err, tc.msg)
			}
		})
	}
}

func TestSameSpecIgnoresWhatECSAssigns(t *testing.T) {
	a := Service{Name: "api", DesiredCount: 2, ClientToken: "t", CreatedAt: time.Now(), Status: ServiceActive,
		Deployments: []Deployment{{ID: "ecs-svc/1"}}, Events: []ServiceEvent{{ID: "e"}}}
	b := Service{Name: "api", DesiredCount: 2, ClientToken: "t", Tags: []Tag{}}
	if !SameSpec(a, b) {
		t.Fatal("services with the same parameters differ")
	}
	b.DesiredCount = 3
	if SameSpec(a, b) {
		t.Fatal("a different desired count is the same spec")
	}
}

func TestNetworkConfigurationValidate(t *testing.T) {
	many := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = "x"
		}
		return out
	}
	cases := []struct {
		n  NetworkConfiguration
		ok bool
	}{
		{NetworkConfiguration{Subnets: many(1)}, true},
		{NetworkConfiguration{Subnets: many(16), SecurityGroups: many(5)}, true},
		{NetworkConfiguration{}, false},
		{NetworkConfiguration{Subnets: []string{" "}}, false},
		{NetworkConfiguration{Subnets: many(17)}, false},
		{NetworkConfiguration{Subnets: many(1), SecurityGroups: many(6)}, false},
	}
	for i, tc := range cases {
		if err := tc.n.Validate(); (err == nil) != tc.ok {
			t.Errorf("case %d: Validate = %v, want ok=%v", i, err, tc.ok)
		}
	}
	if err := CheckNetworkMode(NetworkModeBridge, nil); err != nil {
		t.Errorf("bridge without configuration: %v", err)
	}
	if msg, _ := fault.Message(CheckNetworkMode(NetworkModeAWSVPC, nil)); msg != MsgNetworkConfigRequired {
		t.Errorf("awsvpc without configuration: %q", msg)
	}
	if msg, _ := fault.Message(CheckNetworkMode(NetworkModeHost, &NetworkConfiguration{Subnets: many(1)})); msg != MsgNetworkConfigNotValid {
		t.Errorf("host with configuration: %q", msg)
	}
}
