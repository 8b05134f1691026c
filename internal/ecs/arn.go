package ecs

import (
	"strconv"
	"strings"

	"github.com/quayside/quayside/internal/fault"
)

// Partition is the ARN partition Quayside uses.
const Partition = "aws"

// ServiceName is the ARN service segment of ECS resources.
const ServiceName = "ecs"

// DefaultClusterName is the cluster ECS assumes when a request names none.
const DefaultClusterName = "default"

// Resource types: the first path segment of an ECS ARN's resource part.
const (
	ResourceCluster           = "cluster"
	ResourceTaskDefinition    = "task-definition"
	ResourceService           = "service"
	ResourceTask              = "task"
	ResourceContainer         = "container"
	ResourceContainerInstance = "container-instance"
	ResourceCapacityProvider  = "capacity-provider"
	ResourceTaskSet           = "task-set"
)

// ARN is an Amazon Resource Name split into its sections:
// arn:<partition>:<service>:<region>:<account>:<resource>. Resource keeps
// any further colons (task-definition/web:3).
type ARN struct {
	Partition string
	Service   string
	Region    string
	AccountID string
	Resource  string
}

// String formats the ARN.
func (a ARN) String() string {
	return "arn:" + a.Partition + ":" + a.Service + ":" + a.Region + ":" + a.AccountID + ":" + a.Resource
}

// IsARN reports whether s looks like an ARN rather than a name or ID.
func IsARN(s string) bool { return strings.HasPrefix(s, "arn:") }

// ParseARN splits an ARN into its sections. It checks the shape only:
// six colon-separated sections, a non-empty partition, service and
// resource.
func ParseARN(s string) (ARN, error) {
	parts := strings.SplitN(s, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[1] == "" || parts[2] == "" || parts[5] == "" {
		// message not confirmed
		return ARN{}, fault.Newf(ErrInvalidParameter, "Invalid ARN: %q is not a valid Amazon Resource Name.", s)
	}
	return ARN{Partition: parts[1], Service: parts[2], Region: parts[3], AccountID: parts[4], Resource: parts[5]}, nil
}

func ecsARN(region, account, resource string) string {
	return ARN{Partition: Partition, Service: ServiceName, Region: region, AccountID: account, Resource: resource}.String()
}

// ClusterARN is arn:aws:ecs:<region>:<account>:cluster/<name>.
func ClusterARN(region, account, name string) string {
	return ecsARN(region, account, ResourceCluster+"/"+name)
}

// TaskDefinitionARN is arn:aws:ecs:<region>:<account>:task-definition/<family>:<revision>.
func TaskDefinitionARN(region, account, family string, revision int) string {
	return ecsARN(region, account, ResourceTaskDefinition+"/"+family+":"+strconv.Itoa(revision))
}

// ServiceARN is arn:aws:ecs:<region>:<account>:service/<cluster>/<name>.
func ServiceARN(region, account, cluster, name string) string {
	return ecsARN(region, account, ResourceService+"/"+cluster+"/"+name)
}

// TaskARN is arn:aws:ecs:<region>:<account>:task/<cluster>/<task id>.
func TaskARN(region, account, cluster, taskID string) string {
	return ecsARN(region, account, ResourceTask+"/"+cluster+"/"+taskID)
}

// ContainerARN is arn:aws:ecs:<region>:<account>:container/<cluster>/<task id>/<container id>.
func ContainerARN(region, account, cluster, taskID, containerID string) string {
	return ecsARN(region, account, ResourceContainer+"/"+cluster+"/"+taskID+"/"+containerID)
}

// ContainerInstanceARN is arn:aws:ecs:<region>:<account>:container-instance/<cluster>/<id>.
func ContainerInstanceARN(region, account, cluster, id string) string {
	return ecsARN(region, account, ResourceContainerInstance+"/"+cluster+"/"+id)
}

// CapacityProviderARN is arn:aws:ecs:<region>:<account>:capacity-provider/<name>.
func CapacityProviderARN(region, account, name string) string {
	return ecsARN(region, account, ResourceCapacityProvider+"/"+name)
}

// TaskSetARN is arn:aws:ecs:<region>:<account>:task-set/<cluster>/<service>/<id>;
// a task set ID has the deployment form ecs-svc/<19 digits>, so the ARN
// ends .../ecs-svc/<digits>.
func TaskSetARN(region, account, cluster, service, id string) string {
	return ecsARN(region, account, ResourceTaskSet+"/"+cluster+"/"+service+"/"+id)
}

// Scope is where a reference was scoped: the region and account of the
// ARN that named the resource, or empty when a bare name or ID did.
type Scope struct {
	Region    string
	AccountID string
}

// Check reports an error when an ARN reference points outside the
// caller's region or account. A bare name is always in scope.
func (s Scope) Check(region, account string) error {
	if s.AccountID != "" && s.AccountID != account {
		return fault.Newf(ErrInvalidParameter, "Invalid identifier: Identifier is for %s. Your accountId is %s", s.AccountID, account)
	}
	if s.Region != "" && s.Region != region {
		// message not confirmed (written by analogy with the account message)
		return fault.Newf(ErrInvalidParameter, "Invalid identifier: Identifier is for %s. Your region is %s", s.Region, region)
	}
	return nil
}

// ClusterRef names a cluster.
type ClusterRef struct {
	Scope
	Name string
}

// ParseClusterRef accepts a cluster name or cluster ARN. An empty string
// names the default cluster, as ECS assumes when no cluster is given.
func ParseClusterRef(s string) (ClusterRef, error) {
	if s == "" {
		return ClusterRef{Name: DefaultClusterName}, nil
	}
	if !IsARN(s) {
		if strings.Contains(s, "/") {
			return ClusterRef{}, invalidIdentifier("a cluster name may not contain '/'")
		}
		return ClusterRef{Name: s}, nil
	}
	a, segs, err := parseECSARN(s, ResourceCluster)
	if err != nil {
		return ClusterRef{}, err
	}
	if len(segs) != 1 {
		return ClusterRef{}, invalidIdentifier("a cluster ARN ends in cluster/<name>")
	}
	return ClusterRef{Scope: Scope{Region: a.Region, AccountID: a.AccountID}, Name: segs[0]}, nil
}

// ServiceRef names a service. Cluster is set only when an ARN in the
// long format named it.
type ServiceRef struct {
	Scope
	Cluster string
	Name    string
}

// ParseServiceRef accepts a service name or a service ARN, in the long
// form service/<cluster>/<name> or the old form service/<name>.
func ParseServiceRef(s string) (ServiceRef, error) {
	a, segs, err := parseNameOrARN(s, ResourceService, "service")
	if err != nil {
		return ServiceRef{}, err
	}
	r := ServiceRef{Scope: Scope{Region: a.Region, AccountID: a.AccountID}}
	switch len(segs) {
	case 1:
		r.Name = segs[0]
	case 2:
		r.Cluster, r.Name = segs[0], segs[1]
	default:
		return ServiceRef{}, invalidIdentifier("Unexpected number of separators")
	}
	return r, nil
}

// TaskRef names a task by ID. Cluster is set only when a long-format ARN
// named it.
type TaskRef struct {
	Scope
	Cluster string
	ID      string
}

// ParseTaskRef accepts a task ID or task ARN (task/<cluster>/<id> or the
// old task/<id>).
func ParseTaskRef(s string) (TaskRef, error) {
	a, segs, err := parseNameOrARN(s, ResourceTask, "task")
	if err != nil {
		return TaskRef{}, err
	}
	r := TaskRef{Scope: Scope{Region: a.Region, AccountID: a.AccountID}}
	switch len(segs) {
	case 1:
		r.ID = segs[0]
	case 2:
		r.Cluster, r.ID = segs[0], segs[1]
	default:
		return TaskRef{}, invalidIdentifier("Unexpected number of separators")
	}
	return r, nil
}

// ContainerInstanceRef names a container instance by ID.
type ContainerInstanceRef struct {
	Scope
	Cluster string
	ID      string
}

// ParseContainerInstanceRef accepts a container instance ID or ARN
// (container-instance/<cluster>/<id> or the old container-instance/<id>).
func ParseContainerInstanceRef(s string) (ContainerInstanceRef, error) {
	a, segs, err := parseNameOrARN(s, ResourceContainerInstance, "container instance")
	if err != nil {
		return ContainerInstanceRef{}, err
	}
	r := ContainerInstanceRef{Scope: Scope{Region: a.Region, AccountID: a.AccountID}}
	switch len(segs) {
	case 1:
		r.ID = segs[0]
	case 2:
		r.Cluster, r.ID = segs[0], segs[1]
	default:
		return ContainerInstanceRef{}, invalidIdentifier("Unexpected number of separators")
	}
	return r, nil
}

// CapacityProviderRef names a capacity provider.
type CapacityProviderRef struct {
	Scope
	Name string
}

// ParseCapacityProviderRef accepts a capacity provider name or ARN.
func ParseCapacityProviderRef(s string) (CapacityProviderRef, error) {
	a, segs, err := parseNameOrARN(s, ResourceCapacityProvider, "capacity provider")
	if err != nil {
		return CapacityProviderRef{}, err
	}
	if len(segs) != 1 {
		return CapacityProviderRef{}, invalidIdentifier("Unexpected number of separators")
	}
	return CapacityProviderRef{Scope: Scope{Region: a.Region, AccountID: a.AccountID}, Name: segs[0]}, nil
}

// TaskSetRef names a task set by ID (ecs-svc/<digits>).
type TaskSetRef struct {
	Scope
	Cluster string
	Service string
	ID      string
}

// ParseTaskSetRef accepts a task set ID or ARN
// (task-set/<cluster>/<service>/<id>).
func ParseTaskSetRef(s string) (TaskSetRef, error) {
	if s == "" {
		return TaskSetRef{}, invalidIdentifier("a task set ID is required")
	}
	if !IsARN(s) {
		return TaskSetRef{ID: s}, nil
	}
	a, segs, err := parseECSARN(s, ResourceTaskSet)
	if err != nil {
		return TaskSetRef{}, err
	}
	// cluster/service/ecs-svc/<digits>
	if len(segs) != 4 || segs[0] == "" || segs[1] == "" {
		return TaskSetRef{}, invalidIdentifier("Unexpected number of separators")
	}
	return TaskSetRef{Scope: Scope{Region: a.Region, AccountID: a.AccountID},
		Cluster: segs[0], Service: segs[1], ID: segs[2] + "/" + segs[3]}, nil
}

// parseNameOrARN returns the '/'-separated segments after the resource
// type for an ARN, or the bare name as one segment.
func parseNameOrARN(s, resource, what string) (ARN, []string, error) {
	if s == "" {
		// message not confirmed
		return ARN{}, nil, fault.Newf(ErrInvalidParameter, "The %s identifier must not be empty.", what)
	}
	if !IsARN(s) {
		if strings.Contains(s, "/") {
			return ARN{}, nil, invalidIdentifier("Unexpected number of separators")
		}
		return ARN{}, []string{s}, nil
	}
	return parseECSARN(s, resource)
}

// parseECSARN parses an ECS ARN of the given resource type and returns
// the non-empty segments after the type.
func parseECSARN(s, resource string) (ARN, []string, error) {
	a, err := ParseARN(s)
	if err != nil {
		return ARN{}, nil, err
	}
	if a.Service != ServiceName {
		return ARN{}, nil, invalidIdentifier("Unexpected ARN service " + a.Service)
	}
	typ, rest, ok := strings.Cut(a.Resource, "/")
	if !ok || typ != resource || rest == "" {
		return ARN{}, nil, invalidIdentifier("Unexpected ARN resource type")
	}
	segs := strings.Split(rest, "/")
	for _, seg := range segs {
		if seg == "" {
			return ARN{}, nil, invalidIdentifier("Unexpected number of separators")
		}
	}
	return a, segs, nil
}

// invalidIdentifier is ECS's InvalidParameterException for a malformed
// name or ARN. The "Invalid identifier: " prefix is ECS's; the reasons
// after it are not confirmed word for word.
func invalidIdentifier(why string) error {
	return fault.New(ErrInvalidParameter, "Invalid identifier: "+why)
}
