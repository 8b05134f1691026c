package ecsapi

import (
	"context"
	"encoding/json"
	"time"

	"github.com/quayside/quayside/internal/ecs"
	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/store"
	"github.com/quayside/quayside/internal/wire"
	"github.com/quayside/quayside/internal/wire/ecswire"
)

// updateService changes a service. Some parameters start a new
// deployment (task definition, network configuration, platform version,
// load balancers, service registries, forceNewDeployment); the others
// take effect in place. The service is read and written in one
// transaction, so concurrent updates serialize: each builds on the
// deployments the previous one left.
func (a *API) updateService(ctx context.Context, in *ecswire.UpdateServiceRequest) (*ecswire.UpdateServiceResponse, error) {
	if err := unsupportedServiceMembers(in.DeploymentController, in.ServiceConnectConfiguration, in.VolumeConfigurations,
		in.VpcLatticeConfigurations, in.DeploymentConfiguration, in.LoadBalancers); err != nil {
		return nil, err
	}
	if err := checkGracePeriod(in.HealthCheckGracePeriodSeconds); err != nil {
		return nil, err
	}
	var out ecs.Service
	var counts serviceCounts
	err := a.modifyService(ctx, in.Cluster, in.Service, func(tx store.Tx, c ecs.Cluster, svc *ecs.Service) error {
		if svc.Status != ecs.ServiceActive {
			return fault.New(ecs.ErrServiceNotActive, ecs.MsgServiceNotActive)
		}
		redeploy, err := a.applyUpdate(ctx, tx, c, svc, in)
		if err != nil {
			return err
		}
		if redeploy {
			now := a.now()
			for i := range svc.Deployments {
				if svc.Deployments[i].Status == ecs.DeploymentPrimary {
					svc.Deployments[i].Status, svc.Deployments[i].UpdatedAt = ecs.DeploymentActive, now
				}
			}
			l := launchOf(*svc)
			svc.Deployments = append([]ecs.Deployment{a.newDeployment(*svc, l, now)}, svc.Deployments...)
		}
		t, err := tallyTasks(tx, scope(ctx), c.Name)
		out, counts = *svc, t.of(*svc)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &ecswire.UpdateServiceResponse{Service: serviceToWire(out, counts, true)}, nil
}

// launchOf rebuilds the launch of a service's next deployment from what
// the service records.
func launchOf(svc ecs.Service) launch {
	l := launch{recorded: svc.LaunchType, launchType: svc.LaunchType, strategy: svc.CapacityProviderStrategy,
		platformVersion: svc.PlatformVersion, platformFamily: svc.PlatformFamily}
	if len(l.strategy) > 0 {
		l.launchType = ecs.LaunchTypeOfProvider(l.provider())
	}
	if l.launchType == ecs.LaunchTypeFargate {
		l.resolved = svc.PlatformVersion
		if l.resolved == ecs.PlatformVersionLatest || l.resolved == "" {
			l.resolved = ecs.FargateLinuxPlatformVersion
			if svc.PlatformFamily != "" && svc.PlatformFamily != ecs.PlatformFamilyLinux {
				l.resolved = ecs.FargateWindowsPlatformVersion
			}
		}
	}
	return l
}

// applyUpdate changes svc as the request asks and reports whether a new
// deployment must start.
func (a *API) applyUpdate(ctx context.Context, tx store.ReadTx, c ecs.Cluster, svc *ecs.Service, in *ecswire.UpdateServiceRequest) (bool, error) {
	before := *svc
	if err := checkDesiredCount(svc.SchedulingStrategy, in.DesiredCount, false); err != nil {
		return false, err
	}
	if in.DesiredCount != nil {
		svc.DesiredCount = int(*in.DesiredCount)
	}
	var td ecs.TaskDefinition
	var err error
	if in.TaskDefinition != nil {
		td, err = runnableTaskDef(ctx, tx, *in.TaskDefinition)
	} else {
		td, err = lookupTaskDef(ctx, tx, svc.TaskDefinition)
	}
	if err != nil {
		return false, err
	}
	svc.TaskDefinition = td.ARN
	if err := a.updateLaunch(c, &td, svc, in); err != nil {
		return false, err
	}
	if in.NetworkConfiguration != nil {
		svc.NetworkConfiguration = networkConfigFromWire(in.NetworkConfiguration)
	}
	if in.LoadBalancers != nil {
		svc.LoadBalancers = loadBalancersFromWire(in.LoadBalancers)
	}
	if in.ServiceRegistries != nil {
		svc.ServiceRegistries = registriesFromWire(in.ServiceRegistries)
	}
	if in.PlacementConstraints != nil {
		svc.PlacementConstraints = svcConstraintsFromWire(in.PlacementConstraints)
	}
	if in.PlacementStrategy != nil {
		if svc.SchedulingStrategy == ecs.SchedulingDaemon && len(in.PlacementStrategy) > 0 {
			return false, fault.New(ecs.ErrInvalidParameter, ecs.MsgDaemonPlacementStrategy)
		}
		svc.PlacementStrategy = svcStrategyFromWire(in.PlacementStrategy)
	}
	// The role is fixed at creation; the load balancer rules still apply.
	if err := a.checkServiceAgainstTaskDef(svc, &td, ""); err != nil {
		return false, err
	}
	if in.NetworkConfiguration != nil { // a kept configuration was checked when given
		if err := checkSubnets(tx, scope(ctx), svc.NetworkConfiguration); err != nil {
			return false, err
		}
	}
	if err := checkTargetGroups(tx, scope(ctx), &td, svc.LoadBalancers); err != nil {
		return false, err
	}
	svc.DeploymentConfiguration = deploymentConfigFromWire(in.DeploymentConfiguration, svc.DeploymentConfiguration)
	if err := svc.DeploymentConfiguration.Validate(svc.SchedulingStrategy); err != nil {
		return false, err
	}
	if in.HealthCheckGracePeriodSeconds != nil {
		svc.HealthCheckGracePeriod = time.Duration(*in.HealthCheckGracePeriodSeconds) * time.Second
	}
	if in.EnableExecuteCommand != nil {
		svc.EnableExecuteCommand = *in.EnableExecuteCommand
	}
	if in.EnableECSManagedTags != nil {
		svc.EnableECSManagedTags = *in.EnableECSManagedTags
	}
	if in.PropagateTags != nil {
		svc.PropagateTags = ecs.PropagateTags(*in.PropagateTags)
	}
	if in.AvailabilityZoneRebalancing != nil {
		svc.AvailabilityZoneRebalancing = ecs.Switch(*in.AvailabilityZoneRebalancing)
	}
	redeploy := wire.ToBool(in.ForceNewDeployment) ||
		svc.TaskDefinition != before.TaskDefinition ||
		svc.PlatformVersion != before.PlatformVersion ||
		!sameJSON(svc.NetworkConfiguration, before.NetworkConfiguration) ||
		!sameJSON(svc.LoadBalancers, before.LoadBalancers) ||
		!sameJSON(svc.ServiceRegistries, before.ServiceRegistries)
	return redeploy, nil
}

// updateLaunch applies a new capacity provider strategy or platform
// version. An empty strategy returns the service to the launch type its
// providers run.
func (a *API) updateLaunch(c ecs.Cluster, td *ecs.TaskDefinition, svc *ecs.Service, in *ecswire.UpdateServiceRequest) error {
	cur := launchOf(*svc)
	lt := string(cur.launchType)
	var cps []ecswire.CapacityProviderStrategyItem
	switch {
	case in.CapacityProviderStrategy != nil && len(in.CapacityProviderStrategy) > 0:
		cps = in.CapacityProviderStrategy
	case in.CapacityProviderStrategy == nil && len(cur.strategy) > 0:
		cps = strategyToWire(cur.strategy)
	}
	var ltp *string
	if len(cps) == 0 {
		ltp = &lt
	}
	pv := in.PlatformVersion
	if pv == nil && svc.PlatformVersion != "" && cur.launchType == ecs.LaunchTypeFargate {
		pv = &svc.PlatformVersion
	}
	l, err := resolveLaunch(c, td, ltp, cps, pv)
	if err != nil {
		return err
	}
	svc.LaunchType, svc.CapacityProviderStrategy = l.recorded, l.strategy
	svc.PlatformVersion, svc.PlatformFamily = l.platformVersion, l.platformFamily
	return nil
}

// sameJSON compares two domain values by their stored form, so that nil
// and empty lists compare equal.
func sameJSON(a, b any) bool {
	x, err1 := json.Marshal(a)
	y, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && string(normalizeEmpty(x)) == string(normalizeEmpty(y))
}

func normalizeEmpty(b []byte) []byte {
	if string(b) == "[]" {
		return []byte("null")
	}
	return b
}
