package ecsapi

import (
	"context"
	"slices"

	"github.com/quayside/quayside/internal/ecs"
	"github.com/quayside/quayside/internal/ecs/ecsdb"
	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/store"
	"github.com/quayside/quayside/internal/wire"
	"github.com/quayside/quayside/internal/wire/ecswire"
)

// This file resolves what services and tasks share: the task definition
// they run and how they launch (launch type or capacity provider
// strategy, platform version).

// runnableTaskDef resolves a task definition reference (family,
// family:revision or ARN) to a revision that may start tasks: missing
// is ECS's ClientException "TaskDefinition not found.", a revision that
// is not ACTIVE its InvalidParameterException "TaskDefinition is
// inactive".
func runnableTaskDef(ctx context.Context, tx store.ReadTx, ref string) (ecs.TaskDefinition, error) {
	td, err := lookupTaskDef(ctx, tx, ref)
	if err != nil {
		return td, err
	}
	return td, td.CheckRunnable()
}

// lookupTaskDef resolves a task definition reference whatever its status;
// a family alone means its latest ACTIVE revision.
func lookupTaskDef(ctx context.Context, tx store.ReadTx, ref string) (ecs.TaskDefinition, error) {
	if ref == "" {
		return ecs.TaskDefinition{}, fault.New(ecs.ErrInvalidParameter, "TaskDefinition can not be blank.") // message not confirmed
	}
	r, err := ecs.ParseTaskDefinitionRef(ref)
	if err != nil {
		return ecs.TaskDefinition{}, err
	}
	s := scope(ctx)
	if err := r.Check(s.Region, s.Account); err != nil {
		return ecs.TaskDefinition{}, err
	}
	var td ecs.TaskDefinition
	if r.Revision == 0 {
		td, err = ecsdb.LatestTaskDefinition(tx, s, r.Family)
	} else {
		td, err = ecsdb.GetTaskDefinition(tx, s, r.Family, r.Revision)
	}
	if ecsdb.IsNotFound(err) {
		return td, fault.New(ecs.ErrTaskDefinitionNotFound, ecs.MsgTaskDefinitionMissing)
	}
	return td, err
}

// launch is how a service's or task's tasks launch.
type launch struct {
	// launchType is what the tasks run as; recorded is what a service or
	// deployment shows (nothing when a capacity provider strategy is used).
	launchType, recorded ecs.LaunchType
	strategy             []ecs.CapacityProviderStrategyItem
	// platformVersion is as requested (LATEST when Fargate and none was
	// given); resolved is what tasks run (1.4.0 for LATEST on Linux).
	platformVersion, resolved string
	platformFamily            string
}

// provider is the capacity provider tasks are placed with: the one with
// a base, else the first with weight.
func (l launch) provider() string {
	for _, s := range l.strategy {
		if s.Base > 0 {
			return s.CapacityProvider
		}
	}
	for _, s := range l.strategy {
		if s.Weight > 0 {
			return s.CapacityProvider
		}
	}
	if len(l.strategy) > 0 {
		return l.strategy[0].CapacityProvider
	}
	return ""
}

// resolveLaunch applies ECS's rules: a launch type and a capacity
// provider strategy are mutually exclusive; with neither, the cluster's
// default strategy applies, and without one the EC2 launch type; the
// providers must be associated with the cluster; the task definition
// must be compatible with the launch type; a platform version only goes
// with Fargate.
func resolveLaunch(c ecs.Cluster, td *ecs.TaskDefinition, lt *string, cps []ecswire.CapacityProviderStrategyItem, pv *string) (launch, error) {
	var l launch
	if lt != nil && len(cps) > 0 {
		return l, fault.New(ecs.ErrInvalidParameter, ecs.MsgLaunchTypeAndStrategy)
	}
	strategy, err := strategyFromWire(cps)
	if err != nil {
		return l, err
	}
	switch {
	case lt != nil:
		l.launchType = ecs.LaunchType(*lt)
		l.recorded = l.launchType
	case len(strategy) > 0:
		l.strategy = strategy
	case len(c.DefaultCapacityProviderStrategy) > 0:
		l.strategy = slices.Clone(c.DefaultCapacityProviderStrategy)
	default:
		l.launchType, l.recorded = ecs.LaunchTypeEC2, ecs.LaunchTypeEC2
	}
	if len(l.strategy) > 0 {
		if err := checkStrategyProviders(c, l.strategy); err != nil {
			return l, err
		}
		l.launchType = ecs.LaunchTypeOfProvider(l.provider())
	}
	if err := td.SupportsLaunchType(l.launchType); err != nil {
		return l, err
	}
	requested := wire.ToString(pv)
	l.resolved, err = ecs.ResolvePlatformVersion(l.launchType, requested, td.IsWindows())
	if err != nil {
		return l, err
	}
	if l.launchType == ecs.LaunchTypeFargate {
		l.platformVersion = requested
		if l.platformVersion == "" {
			l.platformVersion = ecs.PlatformVersionLatest
		}
		l.platformFamily = td.PlatformFamily()
	}
	return l, nil
}

// checkStrategyProviders requires every provider of a strategy to be
// associated with the cluster, as ECS does.
func checkStrategyProviders(c ecs.Cluster, strategy []ecs.CapacityProviderStrategyItem) error {
	for _, s := range strategy {
		if !slices.Contains(c.CapacityProviders, s.CapacityProvider) {
			return fault.Newf(ecs.ErrInvalidParameter, "The specified capacity provider strategy cannot contain a capacity provider that is not associated with the cluster. Associate the capacity provider with the cluster or specify a valid capacity provider and try again. Capacity provider: %s", s.CapacityProvider)
		}
	}
	return nil
}

// unsupportedServiceMembers refuses the members Quayside does not model
// yet, rather than accepting and silently dropping them.
func unsupportedServiceMembers(dc *ecswire.DeploymentController, sc *ecswire.ServiceConnectConfiguration,
	vols []ecswire.ServiceVolumeConfiguration, lattice []ecswire.VpcLatticeConfiguration,
	cfg *ecswire.DeploymentConfiguration, lbs []ecswire.LoadBalancer) error {
	unsupported := func(what string) error {
		return fault.Newf(ecs.ErrUnsupportedFeature, "%s is not supported by Quayside yet.", what)
	}
	switch {
	case dc != nil && dc.Type != nil && ecs.DeploymentControllerType(*dc.Type) != ecs.ControllerECS:
		return unsupported("The " + *dc.Type + " deployment controller")
	case sc != nil && wire.ToBool(sc.Enabled):
		return unsupported("Service Connect")
	case len(vols) > 0:
		return unsupported("volumeConfigurations")
	case len(lattice) > 0:
		return unsupported("vpcLatticeConfigurations")
	case cfg != nil && (len(cfg.LifecycleHooks) > 0 || cfg.LinearConfiguration != nil || cfg.CanaryConfiguration != nil):
		return unsupported("Deployment lifecycle hooks and linear or canary configurations")
	}
	for _, lb := range lbs {
		if lb.AdvancedConfiguration != nil {
			return unsupported("advancedConfiguration of a load balancer")
		}
	}
	return nil
}

// checkRole applies the role rules: a role only goes with load balancers,
// and not with awsvpc, which uses the service-linked role.
func checkRole(role string, td *ecs.TaskDefinition, lbs []ecs.LoadBalancer) error {
	if role == "" {
		return nil
	}
	if td.NetworkMode == ecs.NetworkModeAWSVPC {
		return fault.New(ecs.ErrInvalidParameter, ecs.MsgRoleWithServiceLinkedRole)
	}
	if len(lbs) == 0 {
		return fault.New(ecs.ErrInvalidParameter, "Role is only valid for services configured to use load balancers.") // message not confirmed
	}
	return nil
}

// checkGracePeriod bounds healthCheckGracePeriodSeconds to 0..2147483647.
func checkGracePeriod(v *int64) error {
	if v != nil && (*v < 0 || *v > 1<<31-1) {
		return fault.New(ecs.ErrInvalidParameter, "healthCheckGracePeriodSeconds must be between 0 and 2147483647.") // message not confirmed
	}
	return nil
}

// checkDesiredCount applies the desiredCount rules of a scheduling
// strategy; required says whether a REPLICA service must give one.
func checkDesiredCount(sched ecs.SchedulingStrategy, v *int64, required bool) error {
	switch {
	case sched == ecs.SchedulingDaemon && v != nil:
		return fault.New(ecs.ErrInvalidParameter, ecs.MsgDaemonDesiredCount)
	case sched != ecs.SchedulingDaemon && v == nil && required:
		return fault.New(ecs.ErrInvalidParameter, "desiredCount is required for services using the REPLICA scheduling strategy.") // message not confirmed
	case v != nil && (*v < 0 || *v > 1<<31-1):
		return fault.New(ecs.ErrInvalidParameter, "desiredCount must be greater than or equal to 0.") // message not confirmed
	}
	return nil
}
