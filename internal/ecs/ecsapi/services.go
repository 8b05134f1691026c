package ecsapi

import (
	"context"
	"time"

	"github.com/quayside/quayside/internal/awsctx"
	"github.com/quayside/quayside/internal/ecs"
	"github.com/quayside/quayside/internal/ecs/ecsdb"
	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/protocol/awsjson"
	"github.com/quayside/quayside/internal/store"
	"github.com/quayside/quayside/internal/wire"
	"github.com/quayside/quayside/internal/wire/ecswire"
)

// Services. The API records a service and its deployments; the scheduler
// (not this package) starts and stops their tasks, moves deployments
// along and marks a DRAINING service INACTIVE once its tasks are gone.

func (a *API) mountServices(s *awsjson.Service) {
	awsjson.Handle(s, "CreateService", a.createService)
	awsjson.Handle(s, "UpdateService", a.updateService)
	awsjson.Handle(s, "DeleteService", a.deleteService)
	awsjson.Handle(s, "DescribeServices", a.describeServices)
	awsjson.Handle(s, "ListServices", a.listServices)
}

// Page sizes of ListServices.
const (
	defaultListServices = 10
	maxListServices     = 100
	maxDescribeServices = 10
)

func (a *API) createService(ctx context.Context, in *ecswire.CreateServiceRequest) (*ecswire.CreateServiceResponse, error) {
	name := wire.ToString(in.ServiceName)
	if !ecs.ValidName(name) {
		// message not confirmed
		return nil, fault.New(ecs.ErrInvalidParameter, "Service name must be between 1 and 255 characters and contain only letters (uppercase and lowercase), numbers, underscores and hyphens.")
	}
	if err := unsupportedServiceMembers(in.DeploymentController, in.ServiceConnectConfiguration, in.VolumeConfigurations,
		in.VpcLatticeConfigurations, in.DeploymentConfiguration, in.LoadBalancers); err != nil {
		return nil, err
	}
	sched := ecs.SchedulingStrategy(wire.ToString(in.SchedulingStrategy))
	if sched == "" {
		sched = ecs.SchedulingReplica
	}
	if err := checkDesiredCount(sched, in.DesiredCount, true); err != nil {
		return nil, err
	}
	if sched == ecs.SchedulingDaemon {
		switch {
		case len(in.PlacementStrategy) > 0:
			return nil, fault.New(ecs.ErrInvalidParameter, ecs.MsgDaemonPlacementStrategy)
		case len(in.CapacityProviderStrategy) > 0:
			return nil, fault.New(ecs.ErrInvalidParameter, ecs.MsgDaemonCapacityStrategy)
		case ecs.LaunchType(wire.ToString(in.LaunchType)) == ecs.LaunchTypeFargate:
			return nil, fault.New(ecs.ErrInvalidParameter, "The daemon scheduling strategy does not support the FARGATE launch type.") // message not confirmed
		}
	}
	if err := checkGracePeriod(in.HealthCheckGracePeriodSeconds); err != nil {
		return nil, err
	}
	tags := tagsFromWire(in.Tags)
	if err := ecs.ValidateTags(tags); err != nil {
		return nil, err
	}
	cfg := deploymentConfigFromWire(in.DeploymentConfiguration, ecs.DefaultDeploymentConfiguration(sched))
	if err := cfg.Validate(sched); err != nil {
		return nil, err
	}
	clusterRef, err := clusterName(ctx, in.Cluster)
	if err != nil {
		return nil, err
	}
	m := awsctx.From(ctx)
	s := scope(ctx)
	svc := ecs.Service{
		ARN: ecs.ServiceARN(s.Region, s.Account, clusterRef, name), Name: name, Status: ecs.ServiceActive,
		DesiredCount: int(wire.ToInt64(in.DesiredCount)), DeploymentConfiguration: cfg, DeploymentController: ecs.ControllerECS,
		LoadBalancers: loadBalancersFromWire(in.LoadBalancers), ServiceRegistries: registriesFromWire(in.ServiceRegistries),
		CreatedBy:            rootARN(m.Account),
		PlacementConstraints: svcConstraintsFromWire(in.PlacementConstraints), PlacementStrategy: svcStrategyFromWire(in.PlacementStrategy),
		NetworkConfiguration:   networkConfigFromWire(in.NetworkConfiguration),
		HealthCheckGracePeriod: time.Duration(wire.ToInt64(in.HealthCheckGracePeriodSeconds)) * time.Second,
		SchedulingStrategy:     sched, Tags: tags, EnableECSManagedTags: wire.ToBool(in.EnableECSManagedTags),
		PropagateTags:               ecs.PropagateTags(wire.ToString(in.PropagateTags)),
		EnableExecuteCommand:        wire.ToBool(in.EnableExecuteCommand),
		AvailabilityZoneRebalancing: ecs.Switch(wire.ToString(in.AvailabilityZoneRebalancing)),
		ClientToken:                 wire.ToString(in.ClientToken),
	}
	if svc.PropagateTags == "" {
		svc.PropagateTags = ecs.PropagateNone
	}
	if svc.AvailabilityZoneRebalancing == "" {
		svc.AvailabilityZoneRebalancing = ecs.Enabled
	}
	role := wire.ToString(in.Role)
	var out ecs.Service
	err = a.store.Update(ctx, func(tx store.Tx) error {
		c, err := activeCluster(tx, s, clusterRef)
		if err != nil {
			return err
		}
		td, err := runnableTaskDef(ctx, tx, wire.ToString(in.TaskDefinition))
		if err != nil {
			return err
		}
		if sched == ecs.SchedulingDaemon && in.LaunchType == nil && len(c.DefaultCapacityProviderStrategy) > 0 {
			return fault.New(ecs.ErrInvalidParameter, ecs.MsgDaemonCapacityStrategy)
		}
		l, err := resolveLaunch(c, &td, in.LaunchType, in.CapacityProviderStrategy, in.PlatformVersion)
		if err != nil {
			return err
		}
		if err := a.checkServiceAgainstTaskDef(&svc, &td, role); err != nil {
			return err
		}
		if err := checkSubnets(tx, s, svc.NetworkConfiguration); err != nil {
			return err
		}
		if err := checkTargetGroups(tx, s, &td, svc.LoadBalancers); err != nil {
			return err
		}
		cand := svc
		cand.ClusterARN, cand.TaskDefinition = c.ARN, td.ARN
		cand.LaunchType, cand.CapacityProviderStrategy = l.recorded, l.strategy
		cand.PlatformVersion, cand.PlatformFamily = l.platformVersion, l.platformFamily
		cand.RoleARN = ecs.ServiceLinkedRoleARN(s.Account)
		if role != "" {
			cand.RoleARN = ecs.RoleARN(s.Account, role)
		}
		existing, err := ecsdb.GetService(tx, s, clusterRef, name)
		switch {
		case err == nil && existing.Status != ecs.ServiceInactive:
			if cand.ClientToken != "" && existing.ClientToken == cand.ClientToken && ecs.SameSpec(existing, cand) {
				out = existing
				return nil
			}
			return fault.New(ecs.ErrInvalidParameter, ecs.MsgServiceNotIdempotent)
		case err != nil && !ecsdb.IsNotFound(err):
			return err
		}
		now := a.now()
		cand.CreatedAt = now
		cand.Deployments = []ecs.Deployment{a.newDeployment(cand, l, now)}
		out = cand
		if err := ecsdb.RecordServiceDeployments(tx, s, clusterRef, existing, cand, now, a.ids.ServiceDeploymentID); err != nil {
			return err
		}
		return ecsdb.PutService(tx, s, clusterRef, cand)
	})
	if err != nil {
		return nil, err
	}
	return &ecswire.CreateServiceResponse{Service: serviceToWire(out, serviceCounts{}, true)}, nil
}

// checkServiceAgainstTaskDef applies the rules that need the task
// definition: network mode, load balancers, registries, role, placement.
func (a *API) checkServiceAgainstTaskDef(svc *ecs.Service, td *ecs.TaskDefinition, role string) error {
	if err := ecs.CheckNetworkMode(td.NetworkMode, svc.NetworkConfiguration); err != nil {
		return err
	}
	if err := ecs.ValidateLoadBalancers(td, svc.LoadBalancers); err != nil {
		return err
	}
	if err := ecs.ValidateServiceRegistries(td, svc.ServiceRegistries); err != nil {
		return err
	}
	if err := checkRole(role, td, svc.LoadBalancers); err != nil {
		return err
	}
	return ecs.ValidatePlacement(svc.PlacementConstraints, svc.PlacementStrategy, len(td.PlacementConstraints))
}

// newDeployment starts a PRIMARY deployment of the service's current
// task definition and configuration. Its counts start at 0: the
// scheduler raises its desired count and starts its tasks.
func (a *API) newDeployment(svc ecs.Service, l launch, now time.Time) ecs.Deployment {
	d := ecs.Deployment{
		ID: a.ids.DeploymentID(), Status: ecs.DeploymentPrimary, TaskDefinition: svc.TaskDefinition,
		CreatedAt: now, UpdatedAt: now,
		LaunchType: l.recorded, CapacityProviderStrategy: l.strategy,
		PlatformVersion: l.resolved, PlatformFamily: l.platformFamily,
		NetworkConfiguration:    svc.NetworkConfiguration,
		DeploymentConfiguration: svc.DeploymentConfiguration,
	}
	classic := false
	for _, lb := range svc.LoadBalancers {
		classic = classic || lb.LoadBalancerName != ""
	}
	if !classic { // ECS shows no rollout state behind a Classic Load Balancer
		d.RolloutState, d.RolloutStateReason = ecs.RolloutInProgress, ecs.RolloutReasonInProgress(d.ID)
	}
	return d
}

func (a *API) deleteService(ctx context.Context, in *ecswire.DeleteServiceRequest) (*ecswire.DeleteServiceResponse, error) {
	var out ecs.Service
	var counts serviceCounts
	err := a.modifyService(ctx, in.Cluster, in.Service, func(tx store.Tx, c ecs.Cluster, svc *ecs.Service) error {
		if svc.Status != ecs.ServiceActive {
			return fault.New(ecs.ErrServiceNotActive, ecs.MsgServiceNotActive)
		}
		if svc.SchedulingStrategy != ecs.SchedulingDaemon && svc.DesiredCount > 0 && !wire.ToBool(in.Force) {
			return fault.New(ecs.ErrInvalidParameter, ecs.MsgServiceScaledAbove0)
		}
		svc.DesiredCount, svc.Status = 0, ecs.ServiceDraining
		t, err := tallyTasks(tx, scope(ctx), c.Name)
		out, counts = *svc, t.of(*svc)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &ecswire.DeleteServiceResponse{Service: serviceToWire(out, counts, true)}, nil
}

// modifyService loads a service in one transaction, lets change modify
// it, and writes it back. A missing cluster is ClusterNotFoundException
// and a missing service ServiceNotFoundException.
func (a *API) modifyService(ctx context.Context, clusterRef, serviceRef *string, change func(store.Tx, ecs.Cluster, *ecs.Service) error) error {
	cluster, name, err := serviceName(ctx, clusterRef, serviceRef)
	if err != nil {
		return err
	}
	s := scope(ctx)
	return a.store.Update(ctx, func(tx store.Tx) error {
		c, err := activeCluster(tx, s, cluster)
		if err != nil {
			return err
		}
		svc, err := ecsdb.GetService(tx, s, cluster, name)
		if ecsdb.IsNotFound(err) {
			return fault.New(ecs.ErrServiceNotFound, ecs.MsgServiceNotFound)
		}
		if err != nil {
			return err
		}
		before := svc
		if err := change(tx, c, &svc); err != nil {
			return err
		}
		if err := ecsdb.RecordServiceDeployments(tx, s, cluster, before, svc, a.now(), a.ids.ServiceDeploymentID); err != nil {
			return err
		}
		return ecsdb.PutService(tx, s, cluster, svc)
	})
}

// serviceName resolves the cluster and service of a request. A service
// ARN in the long format names its cluster, which must agree with the
// cluster parameter when both are given.
func serviceName(ctx context.Context, clusterRef, serviceRef *string) (cluster, name string, err error) {
	r, err := ecs.ParseServiceRef(wire.ToString(serviceRef))
	if err != nil {
		return "", "", err
	}
	s := scope(ctx)
	if err := r.Check(s.Region, s.Account); err != nil {
		return "", "", err
	}
	cluster, err = clusterName(ctx, clusterRef)
	if err != nil {
		return "", "", err
	}
	if r.Cluster != "" && clusterRef == nil {
		cluster = r.Cluster
	}
	if r.Cluster != "" && r.Cluster != cluster {
		return "", "", fault.New(ecs.ErrServiceNotFound, ecs.MsgServiceNotFound)
	}
	return cluster, r.Name, nil
}

func (a *API) describeServices(ctx context.Context, in *ecswire.DescribeServicesRequest) (*ecswire.DescribeServicesResponse, error) {
	switch {
	case len(in.Services) == 0:
		return nil, fault.New(ecs.ErrInvalidParameter, "Services cannot be empty.") // message not confirmed
	case len(in.Services) > maxDescribeServices:
		return nil, fault.Newf(ecs.ErrInvalidParameter, "services can have at most %d items.", maxDescribeServices) // message not confirmed
	}
	cluster, err := clusterName(ctx, in.Cluster)
	if err != nil {
		return nil, err
	}
	withTags := false
	for _, f := range in.Include {
		withTags = withTags || f == ecswire.ServiceFieldTags
	}
	s := scope(ctx)
	out := &ecswire.DescribeServicesResponse{Services: []ecswire.Service{}, Failures: []ecswire.Failure{}}
	err = a.store.View(ctx, func(tx store.ReadTx) error {
		if _, err := activeCluster(tx, s, cluster); err != nil {
			return err
		}
		t, err := tallyTasks(tx, s, cluster)
		if err != nil {
			return err
		}
		for _, ref := range in.Services {
			r, err := ecs.ParseServiceRef(ref)
			if err != nil {
				return err
			}
			svc, err := ecsdb.GetService(tx, s, cluster, r.Name)
			if ecsdb.IsNotFound(err) || err == nil && r.Cluster != "" && r.Cluster != cluster {
				out.Failures = append(out.Failures, missing(ecs.ServiceARN(s.Region, s.Account, cluster, r.Name)))
				continue
			}
			if err != nil {
				return err
			}
			out.Services = append(out.Services, *serviceToWire(svc, t.of(svc), withTags))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func missing(arn string) ecswire.Failure {
	return ecswire.Failure{Arn: wire.String(arn), Reason: wire.String("MISSING")}
}

func (a *API) listServices(ctx context.Context, in *ecswire.ListServicesRequest) (*ecswire.ListServicesResponse, error) {
	limit, err := pageSize(in.MaxResults, defaultListServices, maxListServices)
	if err != nil {
		return nil, err
	}
	after, err := decodeToken(in.NextToken)
	if err != nil {
		return nil, err
	}
	cluster, err := clusterName(ctx, in.Cluster)
	if err != nil {
		return nil, err
	}
	lt, sched := ecs.LaunchType(wire.ToString(in.LaunchType)), ecs.SchedulingStrategy(wire.ToString(in.SchedulingStrategy))
	s := scope(ctx)
	out := &ecswire.ListServicesResponse{ServiceArns: []string{}}
	err = a.store.View(ctx, func(tx store.ReadTx) error {
		if _, err := activeCluster(tx, s, cluster); err != nil {
			return err
		}
		last := ""
		return ecsdb.ScanServices(tx, s, cluster, after, func(svc ecs.Service) error {
			if len(out.ServiceArns) == limit {
				out.NextToken = encodeToken(last)
				return store.ErrStop
			}
			last = svc.Name
			// ECS lists ACTIVE services only: a deleted service is no
			// longer listed once it is DRAINING.
			if svc.Status != ecs.ServiceActive || lt != "" && svc.LaunchType != lt || sched != "" && svc.SchedulingStrategy != sched ||
				wire.ToString(in.ResourceManagementType) == "ECS" {
				return nil
			}
			out.ServiceArns = append(out.ServiceArns, svc.ARN)
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
