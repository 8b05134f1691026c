package ecsapi

import (
	"github.com/quayside/quayside/internal/ecs"
	"github.com/quayside/quayside/internal/wire"
	"github.com/quayside/quayside/internal/wire/ecswire"
)

// serviceDeploymentToWire renders a service deployment as
// DescribeServiceDeployments shows it: sourceServiceRevisions is always
// there (empty for a service's first deployment), the circuit breaker
// and alarms always carry a status.
func serviceDeploymentToWire(d ecs.ServiceDeployment) ecswire.ServiceDeployment {
	w := ecswire.ServiceDeployment{
		ServiceDeploymentArn:    wire.String(d.ARN()),
		ServiceArn:              wire.String(d.ServiceARN),
		ClusterArn:              wire.String(d.ClusterARN),
		CreatedAt:               wire.NewTime(d.CreatedAt),
		StartedAt:               wire.NewTime(d.StartedAt),
		FinishedAt:              wire.NewTime(d.FinishedAt),
		StoppedAt:               wire.NewTime(d.StoppedAt),
		UpdatedAt:               wire.NewTime(d.UpdatedAt),
		SourceServiceRevisions:  []ecswire.ServiceRevisionSummary{},
		TargetServiceRevision:   revisionSummaryToWire(&d, d.Target),
		Status:                  wire.String(string(d.Status)),
		StatusReason:            optString(d.StatusReason),
		DeploymentConfiguration: deploymentConfigToWire(d.DeploymentConfiguration),
		DeploymentCircuitBreaker: &ecswire.ServiceDeploymentCircuitBreaker{
			Status:       wire.String(string(d.CircuitBreaker.Status)),
			FailureCount: wire.Int64(int64(d.CircuitBreaker.FailureCount)),
			Threshold:    wire.Int64(int64(d.CircuitBreaker.Threshold)),
		},
		Alarms: &ecswire.ServiceDeploymentAlarms{Status: wire.String(string(d.Alarms.Status))},
	}
	for _, s := range d.Source {
		w.SourceServiceRevisions = append(w.SourceServiceRevisions, *revisionSummaryToWire(&d, s))
	}
	if len(d.Alarms.AlarmNames) > 0 {
		w.Alarms.AlarmNames = append([]string{}, d.Alarms.AlarmNames...)
	}
	if rb := d.Rollback; rb != nil {
		w.Rollback = &ecswire.Rollback{Reason: optString(rb.Reason), StartedAt: wire.NewTime(rb.StartedAt),
			ServiceRevisionArn: wire.String(d.RevisionARN(rb.RevisionID))}
	}
	return w
}

func revisionSummaryToWire(d *ecs.ServiceDeployment, s ecs.RevisionSummary) *ecswire.ServiceRevisionSummary {
	return &ecswire.ServiceRevisionSummary{
		Arn:                wire.String(d.RevisionARN(s.RevisionID)),
		RequestedTaskCount: wire.Int64(int64(s.Requested)),
		RunningTaskCount:   wire.Int64(int64(s.Running)),
		PendingTaskCount:   wire.Int64(int64(s.Pending)),
	}
}

// serviceDeploymentBriefToWire is a ListServiceDeployments entry.
func serviceDeploymentBriefToWire(d ecs.ServiceDeployment) ecswire.ServiceDeploymentBrief {
	return ecswire.ServiceDeploymentBrief{
		ServiceDeploymentArn:     wire.String(d.ARN()),
		ServiceArn:               wire.String(d.ServiceARN),
		ClusterArn:               wire.String(d.ClusterARN),
		StartedAt:                wire.NewTime(d.StartedAt),
		CreatedAt:                wire.NewTime(d.CreatedAt),
		FinishedAt:               wire.NewTime(d.FinishedAt),
		TargetServiceRevisionArn: wire.String(d.RevisionARN(d.Target.RevisionID)),
		Status:                   wire.String(string(d.Status)),
		StatusReason:             optString(d.StatusReason),
	}
}

// serviceRevisionToWire renders a revision as DescribeServiceRevisions
// shows it: empty load balancer and registry lists are left out, and
// Service Connect and GuardDuty, which Quayside does not offer, show as
// off.
func serviceRevisionToWire(r ecs.ServiceRevision) ecswire.ServiceRevision {
	w := ecswire.ServiceRevision{
		ServiceRevisionArn:          wire.String(r.ARN()),
		ServiceArn:                  wire.String(r.ServiceARN),
		ClusterArn:                  wire.String(r.ClusterARN),
		TaskDefinition:              wire.String(r.TaskDefinition),
		LaunchType:                  optString(string(r.LaunchType)),
		PlatformVersion:             optString(r.PlatformVersion),
		PlatformFamily:              optString(r.PlatformFamily),
		NetworkConfiguration:        networkConfigToWire(r.NetworkConfiguration),
		GuardDutyEnabled:            wire.Bool(false),
		ServiceConnectConfiguration: &ecswire.ServiceConnectConfiguration{Enabled: wire.Bool(false)},
		CreatedAt:                   wire.NewTime(r.CreatedAt),
	}
	if len(r.CapacityProviderStrategy) > 0 {
		w.CapacityProviderStrategy = strategyToWire(r.CapacityProviderStrategy)
	}
	if len(r.LoadBalancers) > 0 {
		w.LoadBalancers = loadBalancersToWire(r.LoadBalancers)
	}
	if len(r.ServiceRegistries) > 0 {
		w.ServiceRegistries = registriesToWire(r.ServiceRegistries)
	}
	for _, img := range r.ContainerImages {
		w.ContainerImages = append(w.ContainerImages, ecswire.ContainerImage{
			ContainerName: wire.String(img.ContainerName), Image: wire.String(img.Image), ImageDigest: optString(img.ImageDigest)})
	}
	return w
}
