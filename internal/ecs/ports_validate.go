package ecs

import (
	"strconv"
	"strings"

	"github.com/quayside/quayside/internal/fault"
)

// Port limits.
const (
	MaxPort                   = 65535
	MaxPortRangesPerContainer = 100
	MaxPortMappingNameLength  = 64
)

var (
	transportProtocols   = []TransportProtocol{ProtocolTCP, ProtocolUDP}
	applicationProtocols = []ApplicationProtocol{AppProtocolHTTP, AppProtocolHTTP2, AppProtocolGRPC}
)

// EffectiveProtocol returns the mapping's protocol, tcp when none was given.
func (m PortMapping) EffectiveProtocol() TransportProtocol {
	if m.Protocol == "" {
		return ProtocolTCP
	}
	return m.Protocol
}

// ParsePortRange reads a containerPortRange such as "8000-8010".
func ParsePortRange(s string) (first, last int, ok bool) {
	a, b, found := strings.Cut(s, "-")
	if !found {
		return 0, 0, false
	}
	first, err1 := strconv.Atoi(strings.TrimSpace(a))
	last, err2 := strconv.Atoi(strings.TrimSpace(b))
	if err1 != nil || err2 != nil || first < 1 || last > MaxPort || first >= last {
		return 0, 0, false
	}
	return first, last, true
}

// ports checks one container's port mappings.
func (v *tdValidator) ports(i int, c *ContainerDefinition) error {
	mode := v.td.NetworkMode.Effective()
	if len(c.PortMappings) > 0 && mode == NetworkModeNone {
		// message not confirmed (written like the links message)
		return clientErr("Port mappings are not supported when networkMode=none.")
	}
	type key struct {
		port  int
		proto TransportProtocol
	}
	used := map[key]bool{}
	var spans [][2]int
	ranges := 0
	for j, m := range c.PortMappings {
		if m.Protocol != "" && !containsValue(transportProtocols, m.Protocol) {
			return enumErr(containerPath(i, "portMappings."+strconv.Itoa(j+1)+".protocol"), transportProtocols)
		}
		if m.AppProtocol != "" && !containsValue(applicationProtocols, m.AppProtocol) {
			return enumErr(containerPath(i, "portMappings."+strconv.Itoa(j+1)+".appProtocol"), applicationProtocols)
		}
		if m.Name != "" && !validPortMappingName(m.Name) {
			// message not confirmed
			return clientErr("Invalid port mapping name '%s' in container '%s'. Use up to 64 lowercase letters, numbers, underscores and hyphens, not starting with a hyphen.", m.Name, c.Name)
		}
		if m.ContainerPortRange != "" {
			if err := checkPortRange(c, m, mode); err != nil {
				return err
			}
			first, last, _ := ParsePortRange(m.ContainerPortRange)
			spans = append(spans, [2]int{first, last})
			if ranges++; ranges > MaxPortRangesPerContainer {
				return clientErr("Container '%s' can have at most %d port ranges.", c.Name, MaxPortRangesPerContainer) // message not confirmed
			}
			continue
		}
		if m.ContainerPort < 1 || m.ContainerPort > MaxPort {
			return clientErr("Invalid 'containerPort' setting for container '%s'.", c.Name)
		}
		if m.HostPort < 0 || m.HostPort > MaxPort {
			return clientErr("Invalid 'hostPort' setting for container '%s'.", c.Name) // message not confirmed
		}
		switch mode {
		case NetworkModeAWSVPC:
			if m.HostPort != m.ContainerPort {
				return clientErr("When networkMode=awsvpc, the host ports and container ports in port mappings must match.")
			}
		case NetworkModeHost:
			if m.HostPort != m.ContainerPort {
				// message not confirmed (ECS's awsvpc message, for host)
				return clientErr("When networkMode=host, the host ports and container ports in port mappings must match.")
			}
		}
		k := key{m.ContainerPort, m.EffectiveProtocol()}
		if used[k] {
			// ECS's InvalidParameterException wording, which has no final period
			return fault.Newf(ErrInvalidParameter, "Container port %d is used in more than one port mapping for container %s", m.ContainerPort, c.Name)
		}
		used[k] = true
		spans = append(spans, [2]int{m.ContainerPort, m.ContainerPort})
	}
	if len(spans) > 1 && overlapping(spans, ranges) {
		// message not confirmed
		return clientErr("Port ranges in container '%s' overlap. A port can be included in only one port mapping per container.", c.Name)
	}
	return nil
}

// checkPortRange checks a containerPortRange mapping.
func checkPortRange(c *ContainerDefinition, m PortMapping, mode NetworkMode) error {
	if mode != NetworkModeBridge && mode != NetworkModeAWSVPC {
		// message not confirmed
		return clientErr("containerPortRange is supported only when networkMode=bridge or networkMode=awsvpc.")
	}
	if m.ContainerPort != 0 || m.HostPort != 0 {
		// message not confirmed
		return clientErr("Invalid port mapping in container '%s'. Specify containerPortRange without containerPort or hostPort.", c.Name)
	}
	if _, _, ok := ParsePortRange(m.ContainerPortRange); !ok {
		// message not confirmed
		return clientErr("Invalid 'containerPortRange' setting for container '%s'. Use first-last, with 1 <= first < last <= 65535.", c.Name)
	}
	return nil
}

// overlapping reports whether any port range overlaps another span. Single
// ports appear once per protocol in spans, so with no ranges there is
// nothing to compare.
func overlapping(spans [][2]int, ranges int) bool {
	if ranges == 0 {
		return false
	}
	for a := 0; a < len(spans); a++ {
		for b := a + 1; b < len(spans); b++ {
			x, y := spans[a], spans[b]
			isRange := x[0] != x[1] || y[0] != y[1]
			if isRange && x[0] <= y[1] && y[0] <= x[1] {
				return true
			}
		}
	}
	return false
}

func validPortMappingName(s string) bool {
	if len(s) > MaxPortMappingNameLength || s[0] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// hostPorts checks that no host port is mapped twice in the task, and
// that port mapping names are unique.
func (v *tdValidator) hostPorts() error {
	type key struct {
		port  int
		proto TransportProtocol
	}
	used := map[key]bool{}
	names := map[string]bool{}
	for i := range v.td.ContainerDefinitions {
		for _, m := range v.td.ContainerDefinitions[i].PortMappings {
			if m.Name != "" {
				if names[m.Name] {
					return clientErr("Port mapping names must be unique within a Task Definition. '%s' is used more than once.", m.Name) // message not confirmed
				}
				names[m.Name] = true
			}
			if m.HostPort == 0 || m.ContainerPortRange != "" {
				continue
			}
			k := key{m.HostPort, m.EffectiveProtocol()}
			if used[k] {
				return clientErr("%s host port '%d' is mapped multiple times in task.", strings.ToUpper(string(k.proto)), m.HostPort)
			}
			used[k] = true
		}
	}
	return nil
}
