package taskmeta

import (
	"strconv"
	"time"
)

// The wire shapes, field for field as AWS documents them for Fargate
// (task-metadata-endpoint-v4-fargate-response). Order follows AWS's
// examples.

type taskResponse struct {
	Cluster            string                 `json:"Cluster"`
	ServiceName        string                 `json:"ServiceName,omitempty"`
	VPCID              string                 `json:"VPCID,omitempty"`
	TaskARN            string                 `json:"TaskARN"`
	Family             string                 `json:"Family"`
	Revision           string                 `json:"Revision"`
	DesiredStatus      string                 `json:"DesiredStatus"`
	KnownStatus        string                 `json:"KnownStatus"`
	Limits             *taskLimits            `json:"Limits,omitempty"`
	PullStartedAt      string                 `json:"PullStartedAt,omitempty"`
	PullStoppedAt      string                 `json:"PullStoppedAt,omitempty"`
	ExecutionStoppedAt string                 `json:"ExecutionStoppedAt,omitempty"`
	AvailabilityZone   string                 `json:"AvailabilityZone,omitempty"`
	Containers         []containerResponse    `json:"Containers"`
	LaunchType         string                 `json:"LaunchType,omitempty"`
	ClockDrift         *clockDriftResponse    `json:"ClockDrift,omitempty"`
	EphemeralStorage   *ephemeralStorageUsage `json:"EphemeralStorageMetrics,omitempty"`
}

// taskWithTagsResponse is /taskWithTags: the task plus its tags. A
// Fargate task has no container instance, so ContainerInstanceTags is
// always empty.
type taskWithTagsResponse struct {
	*taskResponse
	TaskTags              map[string]string `json:"TaskTags"`
	ContainerInstanceTags map[string]string `json:"ContainerInstanceTags"`
}

type taskLimits struct {
	CPU    float64 `json:"CPU,omitempty"`    // vCPUs
	Memory int     `json:"Memory,omitempty"` // MiB
}

type containerResponse struct {
	DockerID      string            `json:"DockerId"`
	Name          string            `json:"Name"`
	DockerName    string            `json:"DockerName"`
	Image         string            `json:"Image"`
	ImageID       string            `json:"ImageID"`
	Labels        map[string]string `json:"Labels,omitempty"`
	DesiredStatus string            `json:"DesiredStatus"`
	KnownStatus   string            `json:"KnownStatus"`
	ExitCode      *int              `json:"ExitCode,omitempty"`
	Limits        containerLimits   `json:"Limits"`
	CreatedAt     string            `json:"CreatedAt,omitempty"`
	StartedAt     string            `json:"StartedAt,omitempty"`
	FinishedAt    string            `json:"FinishedAt,omitempty"`
	Type          string            `json:"Type"`
	Health        *healthResponse   `json:"Health,omitempty"`
	Networks      []networkResponse `json:"Networks,omitempty"`
	ContainerARN  string            `json:"ContainerARN,omitempty"`
	LogOptions    map[string]string `json:"LogOptions,omitempty"`
	LogDriver     string            `json:"LogDriver,omitempty"`
	Snapshotter   string            `json:"Snapshotter,omitempty"`
	RestartCount  *int              `json:"RestartCount,omitempty"`
}

// containerLimits always carries CPU, as AWS's examples do even for 0;
// Memory is left out when the definition sets none.
type containerLimits struct {
	CPU    int `json:"CPU"`              // CPU units
	Memory int `json:"Memory,omitempty"` // MiB
}

type healthResponse struct {
	Status      string `json:"status"`
	StatusSince string `json:"statusSince,omitempty"`
	ExitCode    *int   `json:"exitCode,omitempty"`
	Output      string `json:"output,omitempty"`
}

type networkResponse struct {
	NetworkMode              string   `json:"NetworkMode"`
	IPv4Addresses            []string `json:"IPv4Addresses"`
	AttachmentIndex          *int     `json:"AttachmentIndex,omitempty"`
	MACAddress               string   `json:"MACAddress,omitempty"`
	IPv4SubnetCIDRBlock      string   `json:"IPv4SubnetCIDRBlock,omitempty"`
	DomainNameServers        []string `json:"DomainNameServers,omitempty"`
	DomainNameSearchList     []string `json:"DomainNameSearchList,omitempty"`
	PrivateDNSName           string   `json:"PrivateDNSName,omitempty"`
	SubnetGatewayIPv4Address string   `json:"SubnetGatewayIpv4Address,omitempty"`
}

type clockDriftResponse struct {
	ClockErrorBound            float64 `json:"ClockErrorBound"`
	ReferenceTimestamp         string  `json:"ReferenceTimestamp,omitempty"`
	ClockSynchronizationStatus string  `json:"ClockSynchronizationStatus"`
}

type ephemeralStorageUsage struct {
	Utilized int64 `json:"Utilized"`
	Reserved int64 `json:"Reserved"`
}

// version is the endpoint version a request came in on.
type version int

const (
	v3 version = 3
	v4 version = 4
)

func taskOf(t TaskInfo, v version) *taskResponse {
	out := &taskResponse{
		Cluster:            t.Cluster,
		TaskARN:            t.TaskARN,
		Family:             t.Family,
		Revision:           strconv.Itoa(t.Revision),
		DesiredStatus:      t.DesiredStatus,
		KnownStatus:        t.KnownStatus,
		PullStartedAt:      stamp(t.PullStartedAt),
		PullStoppedAt:      stamp(t.PullStoppedAt),
		ExecutionStoppedAt: stamp(t.ExecutionStoppedAt),
		AvailabilityZone:   t.AvailabilityZone,
		Containers:         make([]containerResponse, 0, len(t.Containers)),
	}
	if t.CPU != 0 || t.MemoryMiB != 0 {
		out.Limits = &taskLimits{CPU: float64(t.CPU) / 1024, Memory: t.MemoryMiB}
	}
	for _, c := range t.Containers {
		out.Containers = append(out.Containers, containerOf(c, v))
	}
	if d := t.ClockDrift; d != nil {
		status := "NOT_SYNCHRONIZED"
		if d.Synchronized {
			status = "SYNCHRONIZED"
		}
		out.ClockDrift = &clockDriftResponse{
			ClockErrorBound:            d.ErrorBoundMillis,
			ReferenceTimestamp:         stamp(d.ReferenceTime),
			ClockSynchronizationStatus: status,
		}
	}
	if v == v3 {
		return out
	}
	out.ServiceName = t.ServiceName
	out.VPCID = t.VPCID
	out.LaunchType = t.LaunchType
	if s := t.EphemeralStorage; s != nil {
		out.EphemeralStorage = &ephemeralStorageUsage{Utilized: s.UtilizedMiB, Reserved: s.ReservedMiB}
	}
	return out
}

func taskWithTagsOf(t TaskInfo) *taskWithTagsResponse {
	tags := t.Tags
	if tags == nil {
		tags = map[string]string{}
	}
	return &taskWithTagsResponse{
		taskResponse:          taskOf(t, v4),
		TaskTags:              tags,
		ContainerInstanceTags: map[string]string{},
	}
}

func containerOf(c ContainerInfo, v version) containerResponse {
	out := containerResponse{
		DockerID:      c.DockerID,
		Name:          c.Name,
		DockerName:    c.DockerName,
		Image:         c.Image,
		ImageID:       c.ImageID,
		Labels:        c.Labels,
		DesiredStatus: c.DesiredStatus,
		KnownStatus:   c.KnownStatus,
		ExitCode:      c.ExitCode,
		Limits:        containerLimits{CPU: c.CPU, Memory: c.MemoryMiB},
		CreatedAt:     stamp(c.CreatedAt),
		StartedAt:     stamp(c.StartedAt),
		FinishedAt:    stamp(c.FinishedAt),
		Type:          "NORMAL",
	}
	if h := c.Health; h != nil {
		out.Health = &healthResponse{
			Status:      h.Status,
			StatusSince: stamp(h.Since),
			ExitCode:    h.ExitCode,
			Output:      h.Output,
		}
	}
	for _, n := range c.Networks {
		out.Networks = append(out.Networks, networkOf(n, v))
	}
	if v == v3 {
		return out
	}
	out.ContainerARN = c.ContainerARN
	out.LogDriver = c.LogDriver
	out.LogOptions = c.LogOptions
	out.Snapshotter = c.Snapshotter
	out.RestartCount = c.RestartCount
	return out
}

func networkOf(n NetworkInfo, v version) networkResponse {
	out := networkResponse{NetworkMode: n.NetworkMode, IPv4Addresses: n.IPv4Addresses}
	if out.IPv4Addresses == nil {
		out.IPv4Addresses = []string{}
	}
	if v == v3 || n.NetworkMode != "awsvpc" {
		return out
	}
	idx := n.AttachmentIndex
	out.AttachmentIndex = &idx
	out.MACAddress = n.MACAddress
	out.IPv4SubnetCIDRBlock = n.IPv4SubnetCIDRBlock
	out.DomainNameServers = n.DomainNameServers
	out.DomainNameSearchList = n.DomainNameSearchList
	out.PrivateDNSName = n.PrivateDNSName
	out.SubnetGatewayIPv4Address = n.SubnetGatewayIPv4Address
	return out
}

// stamp formats a time as ECS does: RFC 3339 in UTC with up to nine
// fractional digits, trailing zeros dropped. The zero time is "", which
// omitempty leaves out.
func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}
