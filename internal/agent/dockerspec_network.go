// This file maps a container's networking, ports and mounts for
// ContainerSpec.
//
// Networking by mode:
//
//   - awsvpc: the container joins the pause container's network namespace
//     (NetworkMode "container:<PauseID>"). Its hostname, /etc/hosts,
//     resolv.conf and ports are the namespace's, so hostname, extraHosts,
//     dnsServers and dnsSearchDomains are not set (ECS does not support
//     them with awsvpc), and neither are ExposedPorts: Docker refuses to
//     expose ports on a container that shares another's namespace.
//   - bridge: the container joins BridgeNetwork (default "bridge").
//     Every port mapping is exposed and published; hostPort 0 asks
//     Docker for a dynamic port. A containerPortRange publishes each of
//     its ports on a dynamic host port of its own: Docker picks them one
//     by one, so unlike ECS the host ports need not be contiguous.
//   - host: NetworkMode "host"; ports are exposed but not published (the
//     container's ports are the host's).
//   - none, or disableNetworking in any mode: NetworkMode "none" and no
//     ports.

package agent

import (
	"slices"
	"strconv"
	"strings"

	"github.com/quayside/quayside/internal/docker"
	"github.com/quayside/quayside/internal/ecs"
	"github.com/quayside/quayside/internal/fault"
)

// VolumeSource kinds.
const (
	specVolumeBind   = "bind"
	specVolumeDocker = "volume"
	specVolumeTmpfs  = "tmpfs"
)

// specNetwork sets the container's network mode, ports, hostname, DNS and
// hosts entries, and returns the networks to attach it to (bridge only).
func specNetwork(in SpecInput, cfg *docker.ContainerConfig, host *docker.HostConfig) (*docker.NetworkingConfig, error) {
	c := &in.Container
	mode := in.NetworkMode.Effective()
	if mode == ecs.NetworkModeBridge {
		cfg.Hostname = c.Hostname
	}
	if mode != ecs.NetworkModeAWSVPC {
		host.DNS = slices.Clone(c.DNSServers)
		host.DNSSearch = slices.Clone(c.DNSSearchDomains)
		for _, h := range c.ExtraHosts {
			host.ExtraHosts = append(host.ExtraHosts, h.Hostname+":"+h.IPAddress)
		}
	}
	if c.DisableNetworking {
		host.NetworkMode = string(ecs.NetworkModeNone)
		return nil, nil
	}
	switch mode {
	case ecs.NetworkModeAWSVPC:
		if in.PauseID == "" {
			return nil, fault.Newf(fault.Internal, "container '%s' of an awsvpc task needs the task's pause container, and there is none", c.Name)
		}
		host.NetworkMode = "container:" + in.PauseID
		return nil, nil
	case ecs.NetworkModeBridge:
		for _, l := range c.Links {
			target, alias, _ := strings.Cut(l, ":")
			id, ok := in.ContainerIDs[target]
			if !ok {
				return nil, fault.Newf(fault.Internal, "container '%s' links to '%s', which has not been created", c.Name, target)
			}
			if alias == "" {
				alias = target
			}
			host.Links = append(host.Links, id+":"+alias)
		}
		name := in.BridgeNetwork
		if name == "" {
			name = string(ecs.NetworkModeBridge)
		}
		host.NetworkMode = name
		if err := specPorts(c, cfg, host, true); err != nil {
			return nil, err
		}
		return &docker.NetworkingConfig{EndpointsConfig: map[string]*docker.EndpointSettings{name: {}}}, nil
	case ecs.NetworkModeHost:
		host.NetworkMode = string(ecs.NetworkModeHost)
		return nil, specPorts(c, cfg, host, false)
	case ecs.NetworkModeNone:
		host.NetworkMode = string(ecs.NetworkModeNone)
		return nil, nil
	}
	return nil, fault.Newf(ecs.ErrClient, "Network mode '%s' is not supported.", mode)
}

// specPorts exposes every port of the container's port mappings and,
// with publish, binds each to its host port ("" for a dynamic one).
func specPorts(c *ecs.ContainerDefinition, cfg *docker.ContainerConfig, host *docker.HostConfig, publish bool) error {
	for _, m := range c.PortMappings {
		proto := m.EffectiveProtocol()
		if proto != ecs.ProtocolTCP && proto != ecs.ProtocolUDP {
			return fault.Newf(ecs.ErrClient, "Invalid port mapping protocol '%s' in container '%s'.", proto, c.Name)
		}
		first, last, hostPort := m.ContainerPort, m.ContainerPort, m.HostPort
		if m.ContainerPortRange != "" {
			var ok bool
			if first, last, ok = ecs.ParsePortRange(m.ContainerPortRange); !ok {
				return fault.Newf(ecs.ErrClient, "Invalid 'containerPortRange' setting for container '%s'.", c.Name)
			}
			hostPort = 0
		}
		if first < 1 || last > ecs.MaxPort || hostPort < 0 || hostPort > ecs.MaxPort {
			return fault.Newf(ecs.ErrClient, "Invalid port mapping in container '%s'. Ports must be between 1 and %d.", c.Name, ecs.MaxPort)
		}
		hp := ""
		if hostPort > 0 {
			hp = strconv.Itoa(hostPort)
		}
		for p := first; p <= last; p++ {
			key := strconv.Itoa(p) + "/" + string(proto)
			if cfg.ExposedPorts == nil {
				cfg.ExposedPorts = map[string]struct{}{}
			}
			cfg.ExposedPorts[key] = struct{}{}
			if publish {
				if host.PortBindings == nil {
					host.PortBindings = map[string][]docker.PortBinding{}
				}
				host.PortBindings[key] = append(host.PortBindings[key], docker.PortBinding{HostPort: hp})
			}
		}
	}
	return nil
}

// specMounts maps mountPoints onto the task's volumes and volumesFrom
// onto the task's created containers.
func specMounts(in SpecInput, host *docker.HostConfig) error {
	c := &in.Container
	for _, mp := range c.MountPoints {
		if mp.ContainerPath == "" {
			return fault.Newf(ecs.ErrClient,
				"Invalid mount point in container '%s'. containerPath should not be null or empty.", c.Name)
		}
		src, ok := in.Volumes[mp.SourceVolume]
		if !ok {
			return fault.Newf(fault.Internal, "volume '%s' of container '%s' was not prepared", mp.SourceVolume, c.Name)
		}
		m := docker.Mount{Type: src.Kind, Source: src.Source, Target: mp.ContainerPath, ReadOnly: mp.ReadOnly}
		switch src.Kind {
		case specVolumeBind:
			if src.Source == "" {
				return fault.Newf(fault.Internal, "bind volume '%s' of container '%s' has no host path", mp.SourceVolume, c.Name)
			}
		case specVolumeDocker:
		case specVolumeTmpfs:
			m.Source = ""
		default:
			return fault.Newf(fault.Internal, "volume '%s' of container '%s' has unknown kind '%s'", mp.SourceVolume, c.Name, src.Kind)
		}
		host.Mounts = append(host.Mounts, m)
	}
	for _, vf := range c.VolumesFrom {
		id := in.ContainerIDs[vf.SourceContainer]
		if id == "" {
			return fault.Newf(fault.Internal,
				"container '%s', named in volumesFrom of container '%s', has not been created", vf.SourceContainer, c.Name)
		}
		if vf.ReadOnly {
			id += ":ro"
		}
		host.VolumesFrom = append(host.VolumesFrom, id)
	}
	return nil
}
