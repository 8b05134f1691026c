package ecs

import (
	"testing"
	"time"
)

func TestTaskStatusCanMoveTo(t *testing.T) {
	for i, from := range TaskLifecycle {
		for j, to := range TaskLifecycle {
			if got, want := from.CanMoveTo(to), j > i; got != want {
				t.Errorf("%s.CanMoveTo(%s) = %v, want %v", from, to, got, want)
			}
		}
	}
	if TaskStatus("BOGUS").CanMoveTo(TaskStopped) || TaskRunning.CanMoveTo("BOGUS") {
		t.Error("unknown statuses must not move")
	}
	if !TaskProvisioning.CanMoveTo(TaskStopped) {
		t.Error("an early failure jumps to STOPPED")
	}
}

func TestDeploymentArithmetic(t *testing.T) {
	for _, tc := range []struct {
		name               string
		min, max, desired  int
		wantLow, wantUpper int
	}{
		{"defaults", 100, 200, 4, 4, 8},
		{"min 75 of 2 rounds up", 75, 200, 2, 2, 4},
		{"max 125 of 3 rounds down", 100, 125, 3, 3, 3},
		{"min 50 of 3", 50, 200, 3, 2, 6},
		{"daemon", 0, 100, 5, 0, 5},
		{"zero desired", 100, 200, 0, 0, 0},
	} {
		c := DeploymentConfiguration{MinimumHealthyPercent: tc.min, MaximumPercent: tc.max}
		if got := c.MinHealthyTasks(tc.desired); got != tc.wantLow {
			t.Errorf("%s: MinHealthyTasks = %d, want %d", tc.name, got, tc.wantLow)
		}
		if got := c.MaxTasks(tc.desired); got != tc.wantUpper {
			t.Errorf("%s: MaxTasks = %d, want %d", tc.name, got, tc.wantUpper)
		}
	}
	if d := DefaultDeploymentConfiguration(SchedulingReplica); d.MinimumHealthyPercent != 100 || d.MaximumPercent != 200 {
		t.Errorf("replica defaults %+v", d)
	}
	if d := DefaultDeploymentConfiguration(SchedulingDaemon); d.MinimumHealthyPercent != 0 || d.MaximumPercent != 100 {
		t.Errorf("daemon defaults %+v", d)
	}
}

func TestCircuitBreakerThreshold(t *testing.T) {
	def := DefaultDeploymentConfiguration(SchedulingReplica).CircuitBreaker
	for desired, want := range map[int]int{0: 3, 1: 3, 5: 3, 6: 3, 7: 4, 10: 5, 100: 50, 399: 200, 1000: 200} {
		if got := def.FailureThreshold(desired); got != want {
			t.Errorf("FailureThreshold(%d) = %d, want %d", desired, got, want)
		}
	}
	if got := (DeploymentCircuitBreaker{}).FailureThreshold(10); got != 5 {
		t.Errorf("zero threshold config uses the default: %d", got)
	}
	count := DeploymentCircuitBreaker{Threshold: ThresholdConfiguration{Type: ThresholdCount, Value: 7}}
	if got := count.FailureThreshold(1000); got != 7 {
		t.Errorf("COUNT threshold = %d", got)
	}
	unbounded := DeploymentCircuitBreaker{Threshold: ThresholdConfiguration{Type: ThresholdUnboundedPercent, Value: 50}}
	if got := unbounded.FailureThreshold(1000); got != 500 {
		t.Errorf("UNBOUNDED_PERCENT threshold = %d", got)
	}
}

func TestServiceEventsAndSteadiness(t *testing.T) {
	s := &Service{DesiredCount: 2, Deployments: []Deployment{{ID: "ecs-svc/1", Status: DeploymentPrimary}}}
	for i := 0; i < MaxServiceEvents+5; i++ {
		s.AddEvent(ServiceEvent{ID: string(rune('a' + i%26)), CreatedAt: time.Unix(int64(i), 0)})
	}
	if len(s.Events) != MaxServiceEvents || s.Events[0].CreatedAt.Unix() != MaxServiceEvents+4 {
		t.Errorf("events not newest first and capped: %d, first at %d", len(s.Events), s.Events[0].CreatedAt.Unix())
	}
	if !s.Steady(2) || s.Steady(1) {
		t.Error("Steady with one deployment")
	}
	s.Deployments = append(s.Deployments, Deployment{ID: "ecs-svc/2", Status: DeploymentActive})
	if s.Steady(2) {
		t.Error("two deployments are not steady")
	}
	if d, ok := s.Primary(); !ok || d.ID != "ecs-svc/1" {
		t.Errorf("Primary() = %+v, %v", d, ok)
	}
}

func TestEventMessages(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{EventStartedTasks("web", []string{"a", "b"}), "(service web) has started 2 tasks: (task a) (task b)."},
		{EventStoppedTasks("web", []string{"a"}), "(service web) has stopped 1 running tasks: (task a)."},
		{EventRegisteredTargets("web", 1, "arn:tg"), "(service web) registered 1 targets in (target-group arn:tg)"},
		{EventDeregisteredTargets("web", 1, "arn:tg"), "(service web) deregistered 1 targets in (target-group arn:tg)"},
		{EventDraining("web", 2), "(service web) has begun draining connections on 2 tasks."},
		{EventDeploymentCompleted("web", "ecs-svc/1"), "(service web) (deployment ecs-svc/1) deployment completed."},
		{EventSteadyState("web"), "(service web) has reached a steady state."},
		{EventTargetUnhealthy("web", "t1", 80, "arn:tg", "Health checks failed with these codes: [404]"),
			"(service web) (task t1) (port 80) is unhealthy in (target-group arn:tg) due to (reason Health checks failed with these codes: [404])."},
		{EventContainerHealthFailed("web", "t1"), "(service web) (task t1) failed container health checks."},
		{EventDeploymentFailed("web", "ecs-svc/1"), "(service web) (deployment ecs-svc/1) deployment failed: tasks failed to start."},
		{EventRollingBack("web", "ecs-svc/1"), "(service web) rolling back to deployment ecs-svc/1."},
		{EventUnableToPlace("web"), "(service web) was unable to place a task because no container instance met all of its requirements."},
		{EventThrottled("web"), "(service web) is unable to consistently start tasks successfully."},
		{EventDeploymentBlocked("web"), "(service web) was unable to stop or start tasks during a deployment because of the service deployment configuration. Update the minimumHealthyPercent or maximumPercent value and try again."},
		{RolloutReasonInProgress("ecs-svc/1"), "ECS deployment ecs-svc/1 in progress."},
		{RolloutReasonCompleted("ecs-svc/1"), "ECS deployment ecs-svc/1 completed."},
		{ReasonScalingActivity("ecs-svc/1"), "Scaling activity initiated by (deployment ecs-svc/1)"},
		{ReasonELBHealthFailed("arn:tg"), "Task failed ELB health checks in (target-group arn:tg)"},
	} {
		if tc.got != tc.want {
			t.Errorf("got  %q\nwant %q", tc.got, tc.want)
		}
	}
}

func TestENIAttachmentRoundTrip(t *testing.T) {
	eni := ElasticNetworkInterface{SubnetID: "subnet-1", NetworkInterfaceID: "eni-1", MACAddress: "02:00:00:00:00:01",
		PrivateDNSName: "ip-10-0-0-5.ec2.internal", PrivateIPv4Address: "10.0.0.5"}
	a := eni.Attachment("att-1", AttachmentAttached)
	if a.Type != AttachmentTypeENI || len(a.Details) != 5 {
		t.Fatalf("attachment %+v", a)
	}
	if ip, ok := a.Detail(DetailPrivateIPv4Address); !ok || ip != "10.0.0.5" {
		t.Errorf("Detail = %q %v", ip, ok)
	}
	if back := ENIFromAttachment(a); back != eni {
		t.Errorf("round trip %+v", back)
	}
}

func TestClusterAndCapacityProviders(t *testing.T) {
	c := &Cluster{}
	if c.ContainerInsights() != ContainerInsightsDisabled {
		t.Error("containerInsights defaults to disabled")
	}
	c.Settings = []ClusterSetting{{Name: ClusterSettingContainerInsights, Value: ContainerInsightsEnhanced}}
	if c.ContainerInsights() != ContainerInsightsEnhanced {
		t.Error("containerInsights setting")
	}
	cps := BuiltinCapacityProviders(region, account)
	if len(cps) != 2 || cps[0].Name != "FARGATE" || cps[1].Type != CapacityProviderFargateSpot ||
		cps[0].ARN != "arn:aws:ecs:us-east-1:000000000000:capacity-provider/FARGATE" {
		t.Errorf("builtin capacity providers %+v", cps)
	}
	if !IsBuiltinCapacityProvider("FARGATE_SPOT") || IsBuiltinCapacityProvider("mine") {
		t.Error("IsBuiltinCapacityProvider")
	}
}
