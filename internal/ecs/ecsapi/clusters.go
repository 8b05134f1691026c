package ecsapi

import (
	"context"
	"slices"

	"github.com/quayside/quayside/internal/ecs"
	"github.com/quayside/quayside/internal/ecs/ecsdb"
	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/protocol/awsjson"
	"github.com/quayside/quayside/internal/store"
	"github.com/quayside/quayside/internal/wire"
	"github.com/quayside/quayside/internal/wire/ecswire"
)

func (a *API) mountClusters(s *awsjson.Service) {
	awsjson.Handle(s, "CreateCluster", a.createCluster)
	awsjson.Handle(s, "DescribeClusters", a.describeClusters)
	awsjson.Handle(s, "ListClusters", a.listClusters)
	awsjson.Handle(s, "UpdateCluster", a.updateCluster)
	awsjson.Handle(s, "UpdateClusterSettings", a.updateClusterSettings)
	awsjson.Handle(s, "DeleteCluster", a.deleteCluster)
	awsjson.Handle(s, "PutClusterCapacityProviders", a.putClusterCapacityProviders)
}

// clusterName resolves a cluster reference ("" means "default") within
// the request's scope.
func clusterName(ctx context.Context, ref *string) (string, error) {
	r, err := ecs.ParseClusterRef(wire.ToString(ref))
	if err != nil {
		return "", err
	}
	s := scope(ctx)
	if err := r.Check(s.Region, s.Account); err != nil {
		return "", err
	}
	return r.Name, nil
}

// activeCluster loads a cluster that must exist and be ACTIVE.
func activeCluster(tx store.ReadTx, s ecsdb.Scope, name string) (ecs.Cluster, error) {
	c, err := ecsdb.GetCluster(tx, s, name)
	if ecsdb.IsNotFound(err) || (err == nil && c.Status != ecs.ClusterActive) {
		return c, fault.New(ecs.ErrClusterNotFound, "Cluster not found.")
	}
	return c, err
}

func (a *API) createCluster(ctx context.Context, in *ecswire.CreateClusterRequest) (*ecswire.CreateClusterResponse, error) {
	name := wire.ToString(in.ClusterName)
	if name == "" {
		name = "default"
	}
	if !ecs.ValidName(name) {
		return nil, fault.New(ecs.ErrInvalidParameter, "Cluster name must be between 1 and 255 characters and contain only letters (uppercase and lowercase), numbers, underscores and hyphens.")
	}
	tags := tagsFromWire(in.Tags)
	if err := ecs.ValidateTags(tags); err != nil {
		return nil, err
	}
	settings, err := clusterSettingsFromWire(in.Settings)
	if err != nil {
		return nil, err
	}
	providers, strategy, err := capacityFromWire(in.CapacityProviders, in.DefaultCapacityProviderStrategy)
	if err != nil {
		return nil, err
	}
	s := scope(ctx)
	var (
		out ecs.Cluster
		st  clusterStats
	)
	err = a.store.Update(ctx, func(tx store.Tx) error {
		st = clusterStats{}
		existing, err := ecsdb.GetCluster(tx, s, name)
		if err == nil && existing.Status == ecs.ClusterActive {
			// ECS answers a repeated CreateCluster with the existing
			// cluster, as it is.
			out = existing
			st, err = countCluster(tx, s, name)
			return err
		}
		if err != nil && !ecsdb.IsNotFound(err) {
			return err
		}
		out = ecs.Cluster{
			ARN: ecs.ClusterARN(s.Region, s.Account, name), Name: name, Status: ecs.ClusterActive,
			Settings: settings, Configuration: clusterConfigFromWire(in.Configuration),
			CapacityProviders: providers, DefaultCapacityProviderStrategy: strategy,
			ServiceConnectDefaults: serviceConnectDefaultsFromWire(in.ServiceConnectDefaults),
			Tags:                   tags, CreatedAt: a.now(),
		}
		if len(out.Settings) == 0 {
			// A new cluster takes containerInsights from the account setting.
			insights, err := effectiveSetting(tx, s, defaultPrincipal, ecs.SettingContainerInsights)
			if err != nil {
				return err
			}
			out.Settings = []ecs.ClusterSetting{{Name: ecs.ClusterSettingContainerInsights, Value: insights.Value}}
		}
		return ecsdb.PutCluster(tx, s, out)
	})
	if err != nil {
		return nil, err
	}
	return &ecswire.CreateClusterResponse{Cluster: clusterToWire(out, st, allClusterFields)}, nil
}

func (a *API) describeClusters(ctx context.Context, in *ecswire.DescribeClustersRequest) (*ecswire.DescribeClustersResponse, error) {
	refs := in.Clusters
	if len(refs) == 0 {
		refs = []string{"default"}
	}
	if len(refs) > 100 {
		return nil, fault.New(ecs.ErrInvalidParameter, "Clusters cannot have more than 100 elements")
	}
	include := clusterFields(in.Include)
	s := scope(ctx)
	out := &ecswire.DescribeClustersResponse{Clusters: []ecswire.Cluster{}, Failures: []ecswire.Failure{}}
	err := a.store.View(ctx, func(tx store.ReadTx) error {
		for _, ref := range refs {
			name, err := clusterName(ctx, &ref)
			if err != nil {
				return err
			}
			c, err := ecsdb.GetCluster(tx, s, name)
			if ecsdb.IsNotFound(err) {
				out.Failures = append(out.Failures, ecswire.Failure{Arn: wire.String(ecs.ClusterARN(s.Region, s.Account, name)), Reason: wire.String("MISSING")})
				continue
			}
			if err != nil {
				return err
			}
			st, err := countCluster(tx, s, name)
			if err != nil {
				return err
			}
			out.Clusters = append(out.Clusters, *clusterToWire(c, st, include))
		}
		return nil
	})
	return out, err
}

func (a *API) listClusters(ctx context.Context, in *ecswire.ListClustersRequest) (*ecswire.ListClustersResponse, error) {
	limit, err := pageSize(in.MaxResults, 100, 100)
	if err != nil {
		return nil, err
	}
	after, err := decodeToken(in.NextToken)
	if err != nil {
		return nil, err
	}
	s := scope(ctx)
	out := &ecswire.ListClustersResponse{ClusterArns: []string{}}
	err = a.store.View(ctx, func(tx store.ReadTx) error {
		last := ""
		return ecsdb.ScanClusters(tx, s, after, func(c ecs.Cluster) error {
			if c.Status != ecs.ClusterActive {
				return nil
			}
			if len(out.ClusterArns) == limit {
				// Another ACTIVE cluster follows: offer the next page.
				out.NextToken = encodeToken(last)
				return store.ErrStop
			}
			last = c.Name
			out.ClusterArns = append(out.ClusterArns, c.ARN)
			return nil
		})
	})
	return out, err
}

func (a *API) updateCluster(ctx context.Context, in *ecswire.UpdateClusterRequest) (*ecswire.UpdateClusterResponse, error) {
	settings, err := clusterSettingsFromWire(in.Settings)
	if err != nil {
		return nil, err
	}
	c, err := a.modifyCluster(ctx, in.Cluster, func(c *ecs.Cluster) {
		if in.Settings != nil {
			c.Settings = mergeSettings(c.Settings, settings)
		}
		if in.Configuration != nil {
			c.Configuration = clusterConfigFromWire(in.Configuration)
		}
		if in.ServiceConnectDefaults != nil {
			c.ServiceConnectDefaults = serviceConnectDefaultsFromWire(in.ServiceConnectDefaults)
		}
	})
	if err != nil {
		return nil, err
	}
	return &ecswire.UpdateClusterResponse{Cluster: clusterToWire(c.cluster, c.stats, allClusterFields)}, nil
}

func (a *API) updateClusterSettings(ctx context.Context, in *ecswire.UpdateClusterSettingsRequest) (*ecswire.UpdateClusterSettingsResponse, error) {
	settings, err := clusterSettingsFromWire(in.Settings)
	if err != nil {
		return nil, err
	}
	c, err := a.modifyCluster(ctx, in.Cluster, func(c *ecs.Cluster) { c.Settings = mergeSettings(c.Settings, settings) })
	if err != nil {
		return nil, err
	}
	return &ecswire.UpdateClusterSettingsResponse{Cluster: clusterToWire(c.cluster, c.stats, allClusterFields)}, nil
}

func (a *API) putClusterCapacityProviders(ctx context.Context, in *ecswire.PutClusterCapacityProvidersRequest) (*ecswire.PutClusterCapacityProvidersResponse, error) {
	providers, strategy, err := capacityFromWire(in.CapacityProviders, in.DefaultCapacityProviderStrategy)
	if err != nil {
		return nil, err
	}
	c, err := a.modifyCluster(ctx, in.Cluster, func(c *ecs.Cluster) {
		c.CapacityProviders, c.DefaultCapacityProviderStrategy = providers, strategy
	})
	if err != nil {
		return nil, err
	}
	return &ecswire.PutClusterCapacityProvidersResponse{Cluster: clusterToWire(c.cluster, c.stats, allClusterFields)}, nil
}

type clusterWithStats struct {
	cluster ecs.Cluster
	stats   clusterStats
}

// modifyCluster applies change to an ACTIVE cluster in one transaction.
func (a *API) modifyCluster(ctx context.Context, ref *string, change func(*ecs.Cluster)) (clusterWithStats, error) {
	name, err := clusterName(ctx, ref)
	if err != nil {
		return clusterWithStats{}, err
	}
	s := scope(ctx)
	var out clusterWithStats
	err = a.store.Update(ctx, func(tx store.Tx) error {
		c, err := activeCluster(tx, s, name)
		if err != nil {
			return err
		}
		change(&c)
		st, err := countCluster(tx, s, name)
		if err != nil {
			return err
		}
		out = clusterWithStats{c, st}
		return ecsdb.PutCluster(tx, s, c)
	})
	return out, err
}

func (a *API) deleteCluster(ctx context.Context, in *ecswire.DeleteClusterRequest) (*ecswire.DeleteClusterResponse, error) {
	name, err := clusterName(ctx, in.Cluster)
	if err != nil {
		return nil, err
	}
	s := scope(ctx)
	var out ecs.Cluster
	err = a.store.Update(ctx, func(tx store.Tx) error {
		c, err := activeCluster(tx, s, name)
		if err != nil {
			return err
		}
		st, err := countCluster(tx, s, name)
		if err != nil {
			return err
		}
		switch {
		case st.activeServices > 0 || st.drainingServices > 0:
			return fault.New(ecs.ErrClusterContainsServices, ecs.MsgClusterContainsServices)
		case st.runningTasks > 0 || st.pendingTasks > 0:
			return fault.New(ecs.ErrClusterContainsTasks, ecs.MsgClusterContainsTasks)
		case st.instances > 0:
			return fault.New(ecs.ErrClusterContainsContainerInstances, ecs.MsgClusterContainsInstances)
		}
		c.Status = ecs.ClusterInactive
		out = c
		return ecsdb.PutCluster(tx, s, c)
	})
	if err != nil {
		return nil, err
	}
	return &ecswire.DeleteClusterResponse{Cluster: clusterToWire(out, clusterStats{}, allClusterFields)}, nil
}

// clusterStats are the counts DescribeClusters derives from the cluster's
// services, tasks and container instances.
type clusterStats struct {
	instances, runningTasks, pendingTasks, activeServices, drainingServices int
}

func countCluster(tx store.ReadTx, s ecsdb.Scope, name string) (clusterStats, error) {
	var st clusterStats
	services, err := ecsdb.ListServices(tx, s, name, "", 0)
	if err != nil {
		return st, err
	}
	for _, svc := range services {
		switch svc.Status {
		case ecs.ServiceActive:
			st.activeServices++
		case ecs.ServiceDraining:
			st.drainingServices++
		}
	}
	tasks, err := ecsdb.ListTasks(tx, s, name, "", 0)
	if err != nil {
		return st, err
	}
	for _, t := range tasks {
		switch {
		case t.LastStatus == ecs.TaskRunning && t.DesiredStatus == ecs.TaskRunning:
			st.runningTasks++
		case t.LastStatus != ecs.TaskStopped && t.LastStatus.Rank() < ecs.TaskRunning.Rank():
			st.pendingTasks++
		case t.LastStatus != ecs.TaskStopped:
			st.runningTasks++
		}
	}
	instances, err := ecsdb.ListInstances(tx, s, name, "", 0)
	if err != nil {
		return st, err
	}
	for _, ci := range instances {
		if ci.Status == ecs.InstanceActive || ci.Status == ecs.InstanceDraining {
			st.instances++
		}
	}
	return st, nil
}

func mergeSettings(have, set []ecs.ClusterSetting) []ecs.ClusterSetting {
	out := slices.Clone(have)
	for _, s := range set {
		i := slices.IndexFunc(out, func(h ecs.ClusterSetting) bool { return h.Name == s.Name })
		if i >= 0 {
			out[i] = s
		} else {
			out = append(out, s)
		}
	}
	return out
}
