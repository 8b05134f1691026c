package docker

import "time"

// ContainerConfig is the portable part of a container's configuration,
// as sent to create and as found in inspections of containers and images.
type ContainerConfig struct {
	Image      string            `json:"Image,omitempty"`
	Hostname   string            `json:"Hostname,omitempty"`
	User       string            `json:"User,omitempty"`
	Env        []string          `json:"Env,omitempty"` // "NAME=value"
	Cmd        []string          `json:"Cmd,omitempty"`
	Entrypoint []string          `json:"Entrypoint,omitempty"`
	WorkingDir string            `json:"WorkingDir,omitempty"`
	Labels     map[string]string `json:"Labels,omitempty"`
	// ExposedPorts has keys "8080/tcp". Ports in HostConfig.PortBindings
	// need not be listed here; Docker exposes them.
	ExposedPorts map[string]struct{} `json:"ExposedPorts,omitempty"`
	Healthcheck  *HealthConfig       `json:"Healthcheck,omitempty"`
	// StopSignal is sent by ContainerStop; the default is SIGTERM.
	StopSignal string `json:"StopSignal,omitempty"`
	// StopTimeout is the default grace period, in seconds, between the
	// stop signal and SIGKILL.
	StopTimeout *int `json:"StopTimeout,omitempty"`
	Tty         bool `json:"Tty,omitempty"`
	OpenStdin   bool `json:"OpenStdin,omitempty"`
}

// HealthConfig is a container health check. Durations travel as
// nanoseconds, which is how time.Duration encodes in JSON; Docker wants
// each of them 0 (the default) or at least one millisecond.
type HealthConfig struct {
	// Test is ["CMD", exe, args...], ["CMD-SHELL", "command"] or ["NONE"].
	Test        []string      `json:"Test,omitempty"`
	Interval    time.Duration `json:"Interval,omitempty"`
	Timeout     time.Duration `json:"Timeout,omitempty"`
	StartPeriod time.Duration `json:"StartPeriod,omitempty"`
	Retries     int           `json:"Retries,omitempty"`
}

// HostConfig is the host-dependent part of a container's configuration.
type HostConfig struct {
	// NetworkMode is "bridge", "host", "none", "container:<id>" or the
	// name of a network.
	NetworkMode string `json:"NetworkMode,omitempty"`
	// PortBindings maps "8080/tcp" to host ports; a binding with an
	// empty HostPort gets a dynamic port, found in the inspection's
	// NetworkSettings.Ports.
	PortBindings    map[string][]PortBinding `json:"PortBindings,omitempty"`
	PublishAllPorts bool                     `json:"PublishAllPorts,omitempty"`

	Memory            int64    `json:"Memory,omitempty"`            // hard limit, bytes
	MemoryReservation int64    `json:"MemoryReservation,omitempty"` // soft limit, bytes
	MemorySwap        int64    `json:"MemorySwap,omitempty"`        // memory+swap; -1 unlimited
	MemorySwappiness  *int64   `json:"MemorySwappiness,omitempty"`
	NanoCPUs          int64    `json:"NanoCpus,omitempty"`
	CPUShares         int64    `json:"CpuShares,omitempty"`
	PidsLimit         *int64   `json:"PidsLimit,omitempty"`
	Ulimits           []Ulimit `json:"Ulimits,omitempty"`

	CapAdd         []string          `json:"CapAdd,omitempty"`
	CapDrop        []string          `json:"CapDrop,omitempty"`
	Privileged     bool              `json:"Privileged,omitempty"`
	SecurityOpt    []string          `json:"SecurityOpt,omitempty"`
	Init           *bool             `json:"Init,omitempty"`
	ShmSize        int64             `json:"ShmSize,omitempty"`
	Tmpfs          map[string]string `json:"Tmpfs,omitempty"` // path → mount options
	ReadonlyRootfs bool              `json:"ReadonlyRootfs,omitempty"`
	Sysctls        map[string]string `json:"Sysctls,omitempty"`
	PidMode        string            `json:"PidMode,omitempty"`
	IpcMode        string            `json:"IpcMode,omitempty"`

	Devices []DeviceMapping `json:"Devices,omitempty"`
	Links   []string        `json:"Links,omitempty"` // "container:alias", default bridge only

	Binds       []string `json:"Binds,omitempty"` // "src:dst[:ro]"
	Mounts      []Mount  `json:"Mounts,omitempty"`
	VolumesFrom []string `json:"VolumesFrom,omitempty"` // "container[:ro]"

	DNS        []string `json:"Dns,omitempty"`
	DNSSearch  []string `json:"DnsSearch,omitempty"`
	DNSOptions []string `json:"DnsOptions,omitempty"`
	ExtraHosts []string `json:"ExtraHosts,omitempty"` // "host:ip"

	LogConfig     LogConfig      `json:"LogConfig,omitempty"`
	RestartPolicy *RestartPolicy `json:"RestartPolicy,omitempty"`
	AutoRemove    bool           `json:"AutoRemove,omitempty"`
}

// DeviceMapping exposes a host device in a container.
type DeviceMapping struct {
	PathOnHost        string `json:"PathOnHost"`
	PathInContainer   string `json:"PathInContainer"`
	CgroupPermissions string `json:"CgroupPermissions"` // some of "rwm"
}

// PortBinding is a host address and port for a container port.
type PortBinding struct {
	HostIP   string `json:"HostIp"`
	HostPort string `json:"HostPort"`
}

// Ulimit is a resource limit, as in ECS's ulimits.
type Ulimit struct {
	Name string `json:"Name"` // "nofile", "nproc", ...
	Soft int64  `json:"Soft"`
	Hard int64  `json:"Hard"`
}

// Mount is a volume, bind or tmpfs mount.
type Mount struct {
	Type     string `json:"Type"` // "volume", "bind" or "tmpfs"
	Source   string `json:"Source,omitempty"`
	Target   string `json:"Target"`
	ReadOnly bool   `json:"ReadOnly,omitempty"`
}

// LogConfig selects the container's log driver.
type LogConfig struct {
	Type   string            `json:"Type,omitempty"` // "json-file", "none", ...
	Config map[string]string `json:"Config,omitempty"`
}

// RestartPolicy tells the daemon whether to restart a container. The
// agent leaves it unset: ECS restarts tasks, not containers.
type RestartPolicy struct {
	Name              string `json:"Name"` // "", "no", "always", "on-failure", "unless-stopped"
	MaximumRetryCount int    `json:"MaximumRetryCount,omitempty"`
}

// NetworkingConfig attaches a new container to networks, each with its
// own endpoint settings.
type NetworkingConfig struct {
	EndpointsConfig map[string]*EndpointSettings `json:"EndpointsConfig,omitempty"`
}

// EndpointSettings describe a container's attachment to one network. To
// request a fixed address, set IPAMConfig; the other fields are reported
// by inspections.
type EndpointSettings struct {
	IPAMConfig  *EndpointIPAMConfig `json:"IPAMConfig,omitempty"`
	Aliases     []string            `json:"Aliases,omitempty"`
	NetworkID   string              `json:"NetworkID,omitempty"`
	EndpointID  string              `json:"EndpointID,omitempty"`
	Gateway     string              `json:"Gateway,omitempty"`
	IPAddress   string              `json:"IPAddress,omitempty"`
	IPPrefixLen int                 `json:"IPPrefixLen,omitempty"`
	MacAddress  string              `json:"MacAddress,omitempty"`
}

// EndpointIPAMConfig requests an address on a network.
type EndpointIPAMConfig struct {
	IPv4Address string `json:"IPv4Address,omitempty"`
}

// Container is a container's inspection.
type Container struct {
	ID              string           `json:"Id"`
	Name            string           `json:"Name"`  // with a leading "/"
	Image           string           `json:"Image"` // the image ID
	Created         time.Time        `json:"Created"`
	RestartCount    int              `json:"RestartCount"`
	State           ContainerState   `json:"State"`
	Config          *ContainerConfig `json:"Config"`
	HostConfig      *HostConfig      `json:"HostConfig"`
	NetworkSettings NetworkSettings  `json:"NetworkSettings"`
	// LogPath is the json-file log driver's file on the daemon's host
	// ("" for other drivers).
	LogPath string `json:"LogPath"`
}

// ContainerState is a container's run state. Times are zero until the
// event happens.
type ContainerState struct {
	// Status is "created", "running", "paused", "restarting",
	// "removing", "exited" or "dead".
	Status     string    `json:"Status"`
	Running    bool      `json:"Running"`
	OOMKilled  bool      `json:"OOMKilled"`
	Dead       bool      `json:"Dead"`
	Pid        int       `json:"Pid"`
	ExitCode   int       `json:"ExitCode"`
	Error      string    `json:"Error"`
	StartedAt  time.Time `json:"StartedAt"`
	FinishedAt time.Time `json:"FinishedAt"`
	Health     *Health   `json:"Health"` // nil without a health check
}

// Health statuses.
const (
	HealthStarting  = "starting"
	HealthHealthy   = "healthy"
	HealthUnhealthy = "unhealthy"
)

// Health is a container's health-check state.
type Health struct {
	Status        string        `json:"Status"`
	FailingStreak int           `json:"FailingStreak"`
	Log           []HealthProbe `json:"Log"`
}

// HealthProbe is one run of the health check (the daemon keeps five).
type HealthProbe struct {
	Start    time.Time `json:"Start"`
	End      time.Time `json:"End"`
	ExitCode int       `json:"ExitCode"`
	Output   string    `json:"Output"`
}

// NetworkSettings are a container's network attachments and ports.
type NetworkSettings struct {
	// Networks are keyed by network name. A container sharing another's
	// namespace (NetworkMode "container:<id>") has none.
	Networks map[string]*EndpointSettings `json:"Networks"`
	// Ports maps "8080/tcp" to the host bindings made for it; nil values
	// are exposed ports without a binding.
	Ports map[string][]PortBinding `json:"Ports"`
}

// ContainerSummary is one entry of ContainerList.
type ContainerSummary struct {
	ID      string            `json:"Id"`
	Names   []string          `json:"Names"`
	Image   string            `json:"Image"`
	ImageID string            `json:"ImageID"`
	Created int64             `json:"Created"` // Unix seconds
	Labels  map[string]string `json:"Labels"`
	State   string            `json:"State"`  // as ContainerState.Status
	Status  string            `json:"Status"` // human text, "Up 2 minutes"
}
