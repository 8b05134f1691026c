package elb

import (
	"fmt"
	"net/netip"
)

// DefaultAddressPool is where load balancers get their addresses by
// default: a loopback range that Linux answers on without configuration.
const DefaultAddressPool = "127.1.0.0/16"

// AddressPool hands out one address per load balancer.
type AddressPool struct {
	prefix netip.Prefix
	// shared, when valid, is the one address every load balancer uses.
	shared netip.Addr
}

// NewAddressPool returns a pool over a CIDR block ("" for the default).
func NewAddressPool(cidr string) (AddressPool, error) {
	if cidr == "" {
		cidr = DefaultAddressPool
	}
	p, err := netip.ParsePrefix(cidr)
	if err != nil || !p.Addr().Is4() || p.Bits() > 30 {
		return AddressPool{}, fmt.Errorf("load balancer address pool %q must be an IPv4 CIDR block of at least 4 addresses", cidr)
	}
	return AddressPool{prefix: p.Masked()}, nil
}

// SharedAddress returns a pool in which every load balancer uses addr.
func SharedAddress(addr string) (AddressPool, error) {
	a, err := netip.ParseAddr(addr)
	if err != nil {
		return AddressPool{}, fmt.Errorf("load balancer address %q is not an IP address", addr)
	}
	return AddressPool{shared: a}, nil
}

// Shared reports whether every load balancer uses the same address, in
// which case listener ports must differ across load balancers.
func (p AddressPool) Shared() bool { return p.shared.IsValid() }

// Allocate returns the lowest address of the pool not in used, skipping
// the network and broadcast addresses of each /24 so that addresses read
// naturally (127.1.0.1, 127.1.0.2, ...).
func (p AddressPool) Allocate(used map[string]bool) (string, error) {
	if p.Shared() {
		return p.shared.String(), nil
	}
	for a := p.prefix.Addr(); p.prefix.Contains(a); a = a.Next() {
		last := a.As4()[3]
		if last == 0 || last == 255 || used[a.String()] {
			continue
		}
		return a.String(), nil
	}
	return "", fmt.Errorf("every address of %s is taken", p.prefix)
}

// DNSName is the DNSName reported for a load balancer bound on addr: the
// address itself, which resolves without any resolver, except for an
// unspecified bind address, which the host reaches as 127.0.0.1.
func DNSName(addr string) string {
	if a, err := netip.ParseAddr(addr); err == nil && a.IsUnspecified() {
		if a.Is4() {
			return "127.0.0.1"
		}
		return "::1"
	}
	return addr
}
