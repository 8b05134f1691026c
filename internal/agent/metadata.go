package agent

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"strconv"
	"strings"

	"github.com/quayside/quayside/internal/agent/taskmeta"
	"github.com/quayside/quayside/internal/ecs"
)

// The task metadata endpoint. ECS serves it at 169.254.170.2; Quayside
// serves the same paths on the gateway addresses of the Docker networks
// tasks use (and on 127.0.0.1 for host-mode tasks), and tells each
// container where in ECS_CONTAINER_METADATA_URI_V4. It never listens on
// 0.0.0.0.

// metadataEndpoints records where the endpoint listens, by network mode.
type metadataEndpoints map[ecs.NetworkMode]string // mode → host:port

// startMetadata serves the endpoint. A failure to listen is logged and
// leaves containers without the variables, rather than stopping tasks.
func (a *Agent) startMetadata(ctx context.Context) {
	want := map[ecs.NetworkMode]string{ecs.NetworkModeHost: "127.0.0.1"}
	if gw := hostOf(a.network.Gateway); gw != "" {
		want[ecs.NetworkModeAWSVPC] = gw
	}
	if n, err := a.docker.NetworkInspect(ctx, "bridge"); err == nil && len(n.IPAM.Config) > 0 {
		if gw := hostOf(n.IPAM.Config[0].Gateway); gw != "" {
			want[ecs.NetworkModeBridge] = gw
		}
	}
	srv := taskmeta.NewServer(taskmeta.Handler(a, a.log), a.log)
	a.metadata = metadataEndpoints{}
	for mode, host := range want {
		addr := net.JoinHostPort(host, strconv.Itoa(a.cfg.MetadataPort))
		if err := srv.Listen([]string{addr}); err != nil {
			a.log.Warn("task metadata endpoint unavailable", "network_mode", mode, "addr", addr, "err", err)
			continue
		}
		bound := srv.Addrs()
		a.metadata[mode] = bound[len(bound)-1].String()
	}
	go func() {
		<-ctx.Done()
		srv.Close()
	}()
}

func hostOf(s string) string {
	host, _, _ := strings.Cut(s, "/")
	return host
}

// metadataURLs returns the v4 and v3 endpoint URLs for a container.
func (a *Agent) metadataURLs(mode ecs.NetworkMode, token string) (v4, v3 string, ok bool) {
	if mode == ecs.NetworkModeNone || mode == "" {
		mode = ecs.NetworkModeBridge
	}
	addr, ok := a.metadata[mode]
	if !ok {
		return "", "", false
	}
	return "http://" + addr + "/v4/" + token, "http://" + addr + "/v3/" + token, true
}

// Lookup implements taskmeta.Source: it finds the container whose token
// (the last element of its container ARN) is given.
func (a *Agent) Lookup(token string) (taskmeta.View, bool) {
	a.mu.Lock()
	runners := make([]*runner, 0, len(a.runners))
	for _, r := range a.runners {
		runners = append(runners, r)
	}
	a.mu.Unlock()
	for _, r := range runners {
		t := r.latestTask()
		for _, c := range t.Containers {
			if strings.HasSuffix(c.ARN, "/"+token) {
				return taskmeta.View{Task: a.taskInfo(r, t), Container: c.Name}, true
			}
		}
	}
	return taskmeta.View{}, false
}

// Stats implements taskmeta.Source with one Docker stats sample.
func (a *Agent) Stats(ctx context.Context, dockerID string) (json.RawMessage, error) {
	s, err := a.docker.ContainerStats(ctx, dockerID)
	if err != nil {
		return nil, err
	}
	return s.Raw, nil
}

func (a *Agent) taskInfo(r *runner, t ecs.Task) taskmeta.TaskInfo {
	def := r.def
	cpu, _ := ecs.ParseCPU(t.CPU)
	mem, _ := ecs.ParseMemory(t.Memory)
	info := taskmeta.TaskInfo{
		Cluster: t.ClusterARN, TaskARN: t.ARN, Family: def.Family, Revision: def.Revision,
		DesiredStatus: string(t.DesiredStatus), KnownStatus: string(t.LastStatus),
		CPU: cpu, MemoryMiB: mem, PullStartedAt: t.PullStartedAt, PullStoppedAt: t.PullStoppedAt,
		ExecutionStoppedAt: t.ExecutionStoppedAt, AvailabilityZone: t.AvailabilityZone,
		LaunchType: string(t.LaunchType), Tags: map[string]string{},
	}
	if name, ok := strings.CutPrefix(t.Group, "service:"); ok {
		info.ServiceName = name
	}
	for _, tag := range t.Tags {
		info.Tags[tag.Key] = tag.Value
	}
	mode := networkModeOf(def, t)
	for _, c := range t.Containers {
		ci := taskmeta.ContainerInfo{
			Name: c.Name, DockerID: c.RuntimeID, DockerName: c.Name, Image: c.Image, ImageID: c.ImageDigest,
			ContainerARN: c.ARN, DesiredStatus: string(t.DesiredStatus), KnownStatus: string(c.LastStatus),
			ExitCode: c.ExitCode, Snapshotter: "overlayfs", Labels: r.labelsFor(t, "container", c.Name),
		}
		for _, d := range def.ContainerDefinitions {
			if d.Name != c.Name {
				continue
			}
			ci.CPU, ci.MemoryMiB = d.CPU, d.Memory
			if d.LogConfiguration != nil {
				ci.LogDriver, ci.LogOptions = string(d.LogConfiguration.LogDriver), d.LogConfiguration.Options
			}
			if d.HealthCheck != nil {
				ci.Health = &taskmeta.HealthInfo{Status: string(c.HealthStatus)}
			}
		}
		for _, ni := range c.NetworkInterfaces {
			n := taskmeta.NetworkInfo{NetworkMode: string(mode), IPv4Addresses: []string{ni.PrivateIPv4Address},
				IPv4SubnetCIDRBlock: a.network.Subnet, SubnetGatewayIPv4Address: gatewayWithPrefix(a.network)}
			for _, at := range t.Attachments {
				if at.ID == ni.AttachmentID {
					n.MACAddress, _ = at.Detail(ecs.DetailMACAddress)
					n.PrivateDNSName, _ = at.Detail(ecs.DetailPrivateDNSName)
				}
			}
			ci.Networks = append(ci.Networks, n)
		}
		info.Containers = append(info.Containers, ci)
	}
	return info
}

// gatewayWithPrefix writes the gateway as ECS does: 172.31.32.1/20.
func gatewayWithPrefix(n networkInfo) string {
	_, bits, ok := strings.Cut(n.Subnet, "/")
	if !ok || n.Gateway == "" {
		return n.Gateway
	}
	return fmt.Sprintf("%s/%s", hostOf(n.Gateway), bits)
}
