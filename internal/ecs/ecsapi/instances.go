package ecsapi

import (
	"context"
	"slices"
	"strings"

	"github.com/quayside/quayside/internal/ecs"
	"github.com/quayside/quayside/internal/ecs/ecsdb"
	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/protocol/awsjson"
	"github.com/quayside/quayside/internal/store"
	"github.com/quayside/quayside/internal/wire"
	"github.com/quayside/quayside/internal/wire/ecswire"
)

// Container instances. The agent registers and updates them; the API
// lists and describes them here.

func (a *API) mountContainerInstances(s *awsjson.Service) {
	awsjson.Handle(s, "ListContainerInstances", a.listContainerInstances)
	awsjson.Handle(s, "DescribeContainerInstances", a.describeContainerInstances)
}

const (
	defaultListInstances = 100
	maxListInstances     = 100
	maxDescribeInstances = 100
)

// InstanceSource supplies the container instances that are not stored
// per cluster: Quayside's agents, each of which serves every cluster.
type InstanceSource interface {
	Instances(tx store.ReadTx, s ecsdb.Scope, cluster string) ([]ecs.ContainerInstance, error)
}

// SetInstanceSource installs the agents' container instances. Call it
// before serving requests.
func (a *API) SetInstanceSource(src InstanceSource) { a.instanceSource = src }

// instances returns a cluster's container instances, stored and supplied,
// in ID order.
func (a *API) instances(tx store.ReadTx, s ecsdb.Scope, cluster string) ([]ecs.ContainerInstance, error) {
	out, err := ecsdb.ListInstances(tx, s, cluster, "", 0)
	if err != nil || a.instanceSource == nil {
		return out, err
	}
	more, err := a.instanceSource.Instances(tx, s, cluster)
	if err != nil {
		return nil, err
	}
	out = append(out, more...)
	slices.SortFunc(out, func(x, y ecs.ContainerInstance) int { return strings.Compare(x.ID, y.ID) })
	return out, nil
}

// instanceByRef loads a container instance by ID or ARN. A missing or
// malformed reference, or an ARN of another cluster, is a fault error.
func (a *API) instanceByRef(tx store.ReadTx, s ecsdb.Scope, cluster, ref string) (ecs.ContainerInstance, error) {
	notFound := fault.New(ecs.ErrInvalidParameter, "The referenced container instance was not found.") // message not confirmed
	r, err := ecs.ParseContainerInstanceRef(ref)
	if err != nil {
		return ecs.ContainerInstance{}, err
	}
	if err := r.Check(s.Region, s.Account); err != nil || r.Cluster != "" && r.Cluster != cluster {
		return ecs.ContainerInstance{}, notFound
	}
	all, err := a.instances(tx, s, cluster)
	if err != nil {
		return ecs.ContainerInstance{}, err
	}
	for _, ci := range all {
		if ci.ID == r.ID {
			return ci, nil
		}
	}
	return ecs.ContainerInstance{}, notFound
}

// instanceARNOf is the ARN a failure names for a container instance
// reference: the reference itself when it is an ARN.
func instanceARNOf(s ecsdb.Scope, cluster, ref string) string {
	if ecs.IsARN(ref) {
		return ref
	}
	return ecs.ContainerInstanceARN(s.Region, s.Account, cluster, ref)
}

// instanceAZ is the instance's ecs.availability-zone attribute.
func instanceAZ(ci ecs.ContainerInstance) string {
	for _, at := range ci.Attributes {
		if at.Name == "ecs.availability-zone" {
			return at.Value
		}
	}
	return ""
}

func (a *API) listContainerInstances(ctx context.Context, in *ecswire.ListContainerInstancesRequest) (*ecswire.ListContainerInstancesResponse, error) {
	if strings.TrimSpace(wire.ToString(in.Filter)) != "" {
		return nil, fault.New(ecs.ErrUnsupportedFeature, "Cluster query language filters are not supported by Quayside yet.")
	}
	limit, err := pageSize(in.MaxResults, defaultListInstances, maxListInstances)
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
	status := ecs.ContainerInstanceStatus(wire.ToString(in.Status))
	s := scope(ctx)
	out := &ecswire.ListContainerInstancesResponse{ContainerInstanceArns: []string{}}
	err = a.store.View(ctx, func(tx store.ReadTx) error {
		if _, err := activeCluster(tx, s, cluster); err != nil {
			return err
		}
		all, err := a.instances(tx, s, cluster)
		if err != nil {
			return err
		}
		last := ""
		for _, ci := range all {
			if after != "" && ci.ID <= after {
				continue
			}
			if len(out.ContainerInstanceArns) == limit {
				out.NextToken = encodeToken(last)
				return nil
			}
			last = ci.ID
			// Without a status filter, every status but INACTIVE is listed.
			if status == "" && ci.Status == ecs.InstanceInactive || status != "" && ci.Status != status {
				continue
			}
			out.ContainerInstanceArns = append(out.ContainerInstanceArns, ci.ARN)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (a *API) describeContainerInstances(ctx context.Context, in *ecswire.DescribeContainerInstancesRequest) (*ecswire.DescribeContainerInstancesResponse, error) {
	switch {
	case len(in.ContainerInstances) == 0:
		return nil, fault.New(ecs.ErrInvalidParameter, "Container instances cannot be empty.") // message not confirmed
	case len(in.ContainerInstances) > maxDescribeInstances:
		return nil, fault.Newf(ecs.ErrInvalidParameter, "containerInstances can have at most %d items.", maxDescribeInstances) // message not confirmed
	}
	withTags := false
	for _, f := range in.Include {
		withTags = withTags || f == ecswire.ContainerInstanceFieldTags
	}
	cluster, err := clusterName(ctx, in.Cluster)
	if err != nil {
		return nil, err
	}
	s := scope(ctx)
	out := &ecswire.DescribeContainerInstancesResponse{ContainerInstances: []ecswire.ContainerInstance{}, Failures: []ecswire.Failure{}}
	err = a.store.View(ctx, func(tx store.ReadTx) error {
		if _, err := activeCluster(tx, s, cluster); err != nil {
			return err
		}
		counts := map[string][2]int{} // instance ARN → running, pending
		err := ecsdb.ScanTasks(tx, s, cluster, "", func(t ecs.Task) error {
			if t.ContainerInstanceARN == "" || t.LastStatus == ecs.TaskStopped {
				return nil
			}
			n := counts[t.ContainerInstanceARN]
			if t.LastStatus == ecs.TaskRunning {
				n[0]++
			} else if t.LastStatus.Rank() < ecs.TaskRunning.Rank() {
				n[1]++
			}
			counts[t.ContainerInstanceARN] = n
			return nil
		})
		if err != nil {
			return err
		}
		for _, ref := range in.ContainerInstances {
			ci, err := a.instanceByRef(tx, s, cluster, ref)
			if _, ok := fault.Message(err); ok {
				out.Failures = append(out.Failures, missing(instanceARNOf(s, cluster, ref)))
				continue
			}
			if err != nil {
				return err
			}
			out.ContainerInstances = append(out.ContainerInstances, instanceToWire(ci, counts[ci.ARN], withTags))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func instanceToWire(ci ecs.ContainerInstance, counts [2]int, withTags bool) ecswire.ContainerInstance {
	w := ecswire.ContainerInstance{
		ContainerInstanceArn: wire.String(ci.ARN),
		Ec2InstanceId:        optString(ci.EC2InstanceID),
		CapacityProviderName: optString(ci.CapacityProviderName),
		Version:              wire.Int64(ci.Version),
		VersionInfo: &ecswire.VersionInfo{AgentVersion: optString(ci.VersionInfo.AgentVersion),
			AgentHash: optString(ci.VersionInfo.AgentHash), DockerVersion: optString(ci.VersionInfo.DockerVersion)},
		RemainingResources:  resourcesToWire(ci.RemainingResources),
		RegisteredResources: resourcesToWire(ci.RegisteredResources),
		Status:              wire.String(string(ci.Status)),
		StatusReason:        optString(ci.StatusReason),
		AgentConnected:      wire.Bool(ci.AgentConnected),
		RunningTasksCount:   wire.Int64(int64(counts[0])),
		PendingTasksCount:   wire.Int64(int64(counts[1])),
		AgentUpdateStatus:   optString(ci.AgentUpdateStatus),
		Attributes:          taskAttributesToWire(ci.Attributes),
		RegisteredAt:        wire.NewTime(ci.RegisteredAt),
		Attachments:         attachmentsToWire(ci.Attachments),
	}
	if withTags {
		w.Tags = tagsToWire(ci.Tags)
	}
	return w
}

func resourcesToWire(in []ecs.Resource) []ecswire.Resource {
	out := []ecswire.Resource{}
	for _, r := range in {
		w := ecswire.Resource{Name: wire.String(r.Name), Type: wire.String(r.Type)}
		switch r.Type {
		case ecs.ResourceTypeInteger:
			w.IntegerValue = wire.Int64(int64(r.IntegerValue))
		case ecs.ResourceTypeLong:
			w.LongValue = wire.Int64(r.LongValue)
		case ecs.ResourceTypeDouble:
			w.DoubleValue = wire.Float64(r.DoubleValue)
		case ecs.ResourceTypeStringSet:
			w.StringSetValue = append([]string{}, r.StringSetValue...)
		}
		out = append(out, w)
	}
	return out
}
