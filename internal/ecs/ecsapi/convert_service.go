package ecsapi

import (
	"time"

	"github.com/quayside/quayside/internal/ecs"
	"github.com/quayside/quayside/internal/wire"
	"github.com/quayside/quayside/internal/wire/ecswire"
)

// serviceCounts are the task counts DescribeServices derives from a
// service's tasks: for the service, and per deployment ID.
type serviceCounts struct {
	running, pending int
	deployments      map[string][2]int // deployment ID → running, pending
}

// serviceToWire renders a service as ECS shows it. Lists ECS always
// shows (loadBalancers, events, placement) are empty rather than absent.
func serviceToWire(s ecs.Service, n serviceCounts, withTags bool) *ecswire.Service {
	w := &ecswire.Service{
		ServiceArn:                  wire.String(s.ARN),
		ServiceName:                 wire.String(s.Name),
		ClusterArn:                  wire.String(s.ClusterARN),
		LoadBalancers:               loadBalancersToWire(s.LoadBalancers),
		ServiceRegistries:           registriesToWire(s.ServiceRegistries),
		Status:                      wire.String(string(s.Status)),
		DesiredCount:                wire.Int64(int64(s.DesiredCount)),
		RunningCount:                wire.Int64(int64(n.running)),
		PendingCount:                wire.Int64(int64(n.pending)),
		LaunchType:                  optString(string(s.LaunchType)),
		PlatformVersion:             optString(s.PlatformVersion),
		PlatformFamily:              optString(s.PlatformFamily),
		TaskDefinition:              optString(s.TaskDefinition),
		DeploymentConfiguration:     deploymentConfigToWire(s.DeploymentConfiguration),
		Deployments:                 []ecswire.Deployment{},
		RoleArn:                     optString(s.RoleARN),
		Events:                      []ecswire.ServiceEvent{},
		CreatedAt:                   wire.NewTime(s.CreatedAt),
		PlacementConstraints:        svcConstraintsToWire(s.PlacementConstraints),
		PlacementStrategy:           svcStrategyToWire(s.PlacementStrategy),
		NetworkConfiguration:        networkConfigToWire(s.NetworkConfiguration),
		SchedulingStrategy:          wire.String(string(s.SchedulingStrategy)),
		DeploymentController:        &ecswire.DeploymentController{Type: wire.String(string(controllerOf(s)))},
		CreatedBy:                   optString(s.CreatedBy),
		EnableECSManagedTags:        wire.Bool(s.EnableECSManagedTags),
		PropagateTags:               wire.String(string(propagateOf(s.PropagateTags))),
		EnableExecuteCommand:        wire.Bool(s.EnableExecuteCommand),
		AvailabilityZoneRebalancing: optString(string(s.AvailabilityZoneRebalancing)),
	}
	if len(s.CapacityProviderStrategy) > 0 {
		w.CapacityProviderStrategy = strategyToWire(s.CapacityProviderStrategy)
	}
	if len(s.LoadBalancers) > 0 || s.HealthCheckGracePeriod > 0 {
		w.HealthCheckGracePeriodSeconds = wire.Int64(int64(s.HealthCheckGracePeriod / time.Second))
	}
	for _, d := range s.Deployments {
		w.Deployments = append(w.Deployments, deploymentToWire(d, n.deployments[d.ID]))
	}
	for _, e := range s.Events {
		w.Events = append(w.Events, ecswire.ServiceEvent{Id: wire.String(e.ID), CreatedAt: wire.NewTime(e.CreatedAt), Message: wire.String(e.Message)})
	}
	if withTags {
		w.Tags = tagsToWire(s.Tags)
	}
	return w
}

func controllerOf(s ecs.Service) ecs.DeploymentControllerType {
	if s.DeploymentController == "" {
		return ecs.ControllerECS
	}
	return s.DeploymentController
}

func propagateOf(p ecs.PropagateTags) ecs.PropagateTags {
	if p == "" {
		return ecs.PropagateNone
	}
	return p
}

func deploymentToWire(d ecs.Deployment, counts [2]int) ecswire.Deployment {
	w := ecswire.Deployment{
		Id:                   wire.String(d.ID),
		Status:               wire.String(string(d.Status)),
		TaskDefinition:       wire.String(d.TaskDefinition),
		DesiredCount:         wire.Int64(int64(d.DesiredCount)),
		PendingCount:         wire.Int64(int64(counts[1])),
		RunningCount:         wire.Int64(int64(counts[0])),
		FailedTasks:          wire.Int64(int64(d.FailedTasks)),
		CreatedAt:            wire.NewTime(d.CreatedAt),
		UpdatedAt:            wire.NewTime(d.UpdatedAt),
		LaunchType:           optString(string(d.LaunchType)),
		PlatformVersion:      optString(d.PlatformVersion),
		PlatformFamily:       optString(d.PlatformFamily),
		NetworkConfiguration: networkConfigToWire(d.NetworkConfiguration),
		RolloutState:         optString(string(d.RolloutState)),
		RolloutStateReason:   optString(d.RolloutStateReason),
	}
	if len(d.CapacityProviderStrategy) > 0 {
		w.CapacityProviderStrategy = strategyToWire(d.CapacityProviderStrategy)
	}
	return w
}

// deploymentConfigFromWire overlays the request's deployment
// configuration on base (the defaults on create, the service's current
// configuration on update).
func deploymentConfigFromWire(in *ecswire.DeploymentConfiguration, base ecs.DeploymentConfiguration) ecs.DeploymentConfiguration {
	c := base
	if in == nil {
		return c
	}
	if in.MaximumPercent != nil {
		c.MaximumPercent = int(*in.MaximumPercent)
	}
	if in.MinimumHealthyPercent != nil {
		c.MinimumHealthyPercent = int(*in.MinimumHealthyPercent)
	}
	if b := in.DeploymentCircuitBreaker; b != nil {
		c.CircuitBreaker.Enable, c.CircuitBreaker.Rollback = wire.ToBool(b.Enable), wire.ToBool(b.Rollback)
		// The threshold stays unset (the default, BOUNDED_PERCENT 50, applies)
		// unless given, so that responses echo only what the user set.
		c.CircuitBreaker.Threshold, c.CircuitBreaker.ResetOnHealthyTask = ecs.ThresholdConfiguration{}, true
		if t := b.ThresholdConfiguration; t != nil {
			c.CircuitBreaker.Threshold = ecs.ThresholdConfiguration{Type: ecs.ThresholdType(wire.ToString(t.Type)), Value: int(wire.ToInt64(t.Value))}
			if c.CircuitBreaker.Threshold.Type == "" {
				c.CircuitBreaker.Threshold.Type = ecs.ThresholdBoundedPercent
			}
		}
		if b.ResetOnHealthyTask != nil {
			c.CircuitBreaker.ResetOnHealthyTask = *b.ResetOnHealthyTask
		}
	}
	if al := in.Alarms; al != nil {
		c.Alarms = ecs.DeploymentAlarms{AlarmNames: append([]string(nil), al.AlarmNames...), Enable: wire.ToBool(al.Enable), Rollback: wire.ToBool(al.Rollback)}
	}
	if in.Strategy != nil {
		c.Strategy = ecs.DeploymentStrategy(*in.Strategy)
	}
	if in.BakeTimeInMinutes != nil {
		c.BakeTime = time.Duration(*in.BakeTimeInMinutes) * time.Minute
	}
	return c
}

func deploymentConfigToWire(c ecs.DeploymentConfiguration) *ecswire.DeploymentConfiguration {
	cb := &ecswire.DeploymentCircuitBreaker{Enable: wire.Bool(c.CircuitBreaker.Enable), Rollback: wire.Bool(c.CircuitBreaker.Rollback)}
	if c.CircuitBreaker.Enable && c.CircuitBreaker.Threshold.Type != "" {
		cb.ThresholdConfiguration = &ecswire.ThresholdConfiguration{Type: wire.String(string(c.CircuitBreaker.Threshold.Type)), Value: wire.Int64(int64(c.CircuitBreaker.Threshold.Value))}
		cb.ResetOnHealthyTask = wire.Bool(c.CircuitBreaker.ResetOnHealthyTask)
	}
	w := &ecswire.DeploymentConfiguration{
		DeploymentCircuitBreaker: cb,
		MaximumPercent:           wire.Int64(int64(c.MaximumPercent)),
		MinimumHealthyPercent:    wire.Int64(int64(c.MinimumHealthyPercent)),
		Strategy:                 optString(string(c.Strategy)),
	}
	if c.Alarms.Enable || len(c.Alarms.AlarmNames) > 0 {
		w.Alarms = &ecswire.DeploymentAlarms{AlarmNames: append([]string{}, c.Alarms.AlarmNames...), Enable: wire.Bool(c.Alarms.Enable), Rollback: wire.Bool(c.Alarms.Rollback)}
	}
	if c.Strategy != "" && c.Strategy != ecs.StrategyRolling || c.BakeTime > 0 {
		w.BakeTimeInMinutes = wire.Int64(int64(c.BakeTime / time.Minute))
	}
	return w
}

// networkConfigFromWire reads a network configuration; assignPublicIp
// defaults to DISABLED, as ECS echoes it.
func networkConfigFromWire(in *ecswire.NetworkConfiguration) *ecs.NetworkConfiguration {
	if in == nil {
		return nil
	}
	n := &ecs.NetworkConfiguration{AssignPublicIP: ecs.Disabled}
	if v := in.AwsvpcConfiguration; v != nil {
		n.Subnets = append([]string(nil), v.Subnets...)
		n.SecurityGroups = append([]string(nil), v.SecurityGroups...)
		if v.AssignPublicIp != nil {
			n.AssignPublicIP = ecs.AssignPublicIP(*v.AssignPublicIp)
		}
	}
	return n
}

func networkConfigToWire(n *ecs.NetworkConfiguration) *ecswire.NetworkConfiguration {
	if n == nil {
		return nil
	}
	return &ecswire.NetworkConfiguration{AwsvpcConfiguration: &ecswire.AwsVpcConfiguration{
		Subnets:        append([]string{}, n.Subnets...),
		SecurityGroups: append([]string{}, n.SecurityGroups...),
		AssignPublicIp: optString(string(n.AssignPublicIP)),
	}}
}

func loadBalancersFromWire(in []ecswire.LoadBalancer) []ecs.LoadBalancer {
	var out []ecs.LoadBalancer
	for _, lb := range in {
		out = append(out, ecs.LoadBalancer{
			TargetGroupARN: wire.ToString(lb.TargetGroupArn), LoadBalancerName: wire.ToString(lb.LoadBalancerName),
			ContainerName: wire.ToString(lb.ContainerName), ContainerPort: int(wire.ToInt64(lb.ContainerPort)),
		})
	}
	return out
}

func loadBalancersToWire(in []ecs.LoadBalancer) []ecswire.LoadBalancer {
	out := []ecswire.LoadBalancer{}
	for _, lb := range in {
		out = append(out, ecswire.LoadBalancer{
			TargetGroupArn: optString(lb.TargetGroupARN), LoadBalancerName: optString(lb.LoadBalancerName),
			ContainerName: optString(lb.ContainerName), ContainerPort: wire.Int64(int64(lb.ContainerPort)),
		})
	}
	return out
}

func registriesFromWire(in []ecswire.ServiceRegistry) []ecs.ServiceRegistry {
	var out []ecs.ServiceRegistry
	for _, r := range in {
		out = append(out, ecs.ServiceRegistry{
			RegistryARN: wire.ToString(r.RegistryArn), Port: int(wire.ToInt64(r.Port)),
			ContainerName: wire.ToString(r.ContainerName), ContainerPort: int(wire.ToInt64(r.ContainerPort)),
		})
	}
	return out
}

func registriesToWire(in []ecs.ServiceRegistry) []ecswire.ServiceRegistry {
	out := []ecswire.ServiceRegistry{}
	for _, r := range in {
		w := ecswire.ServiceRegistry{RegistryArn: optString(r.RegistryARN), ContainerName: optString(r.ContainerName)}
		if r.Port > 0 {
			w.Port = wire.Int64(int64(r.Port))
		}
		if r.ContainerPort > 0 {
			w.ContainerPort = wire.Int64(int64(r.ContainerPort))
		}
		out = append(out, w)
	}
	return out
}

func svcConstraintsFromWire(in []ecswire.PlacementConstraint) []ecs.PlacementConstraint {
	var out []ecs.PlacementConstraint
	for _, c := range in {
		out = append(out, ecs.PlacementConstraint{Type: ecs.PlacementConstraintType(wire.ToString(c.Type)), Expression: wire.ToString(c.Expression)})
	}
	return out
}

func svcConstraintsToWire(in []ecs.PlacementConstraint) []ecswire.PlacementConstraint {
	out := []ecswire.PlacementConstraint{}
	for _, c := range in {
		out = append(out, ecswire.PlacementConstraint{Type: wire.String(string(c.Type)), Expression: optString(c.Expression)})
	}
	return out
}

func svcStrategyFromWire(in []ecswire.PlacementStrategy) []ecs.PlacementStrategy {
	var out []ecs.PlacementStrategy
	for _, s := range in {
		out = append(out, ecs.PlacementStrategy{Type: ecs.PlacementStrategyType(wire.ToString(s.Type)), Field: wire.ToString(s.Field)})
	}
	return out
}

func svcStrategyToWire(in []ecs.PlacementStrategy) []ecswire.PlacementStrategy {
	out := []ecswire.PlacementStrategy{}
	for _, s := range in {
		out = append(out, ecswire.PlacementStrategy{Type: wire.String(string(s.Type)), Field: optString(s.Field)})
	}
	return out
}
