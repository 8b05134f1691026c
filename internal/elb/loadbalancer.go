package elb

import (
	"strings"
	"time"

	"github.com/quayside/quayside/internal/fault"
)

// LoadBalancer is an Application Load Balancer.
type LoadBalancer struct {
	Name           string            `json:"name"`
	ID             string            `json:"id"`
	ARN            string            `json:"arn"`
	DNSName        string            `json:"dnsName"`
	Address        string            `json:"address"` // the IP its listeners bind
	Scheme         string            `json:"scheme"`  // internet-facing or internal
	IPAddressType  string            `json:"ipAddressType"`
	VpcID          string            `json:"vpcId"`
	Subnets        []Subnet          `json:"subnets"`
	SecurityGroups []string          `json:"securityGroups,omitempty"`
	CreatedAt      time.Time         `json:"createdAt"`
	Attributes     map[string]string `json:"attributes,omitempty"` // only values set explicitly
	Tags           []Tag             `json:"tags,omitempty"`
}

// Subnet is a subnet a load balancer was created in, with the
// Availability Zone Quayside reports for it.
type Subnet struct {
	ID   string `json:"id"`
	Zone string `json:"zone"`
}

// Values of the load balancer fields.
const (
	TypeApplication    = "application"
	SchemeInternet     = "internet-facing"
	SchemeInternal     = "internal"
	IPAddressTypeIPv4  = "ipv4"
	IPAddressTypeDual  = "dualstack"
	IPAddressTypeDualP = "dualstack-without-public-ipv4"
	// DefaultVPC is the VPC Quayside reports for load balancers: there is
	// one network, and target groups' VPC IDs are recorded as given.
	DefaultVPC = "vpc-local"
	// CanonicalHostedZoneID is us-east-1's ALB zone; Quayside has no Route 53.
	CanonicalHostedZoneID = "Z35SXDOTRQ7X7K"
)

// Attribute returns the load balancer attribute's effective value: the
// one set, or AWS's default.
func (lb LoadBalancer) Attribute(key string) string {
	if v, ok := lb.Attributes[key]; ok {
		return v
	}
	return LoadBalancerAttributeDefaults[key]
}

// IdleTimeout is idle_timeout.timeout_seconds.
func (lb LoadBalancer) IdleTimeout() time.Duration {
	return time.Duration(atoiOr(lb.Attribute(AttrIdleTimeout), 60)) * time.Second
}

// ValidateLoadBalancerName checks a load balancer name as AWS does: up to
// 32 alphanumerics and hyphens, not starting or ending with a hyphen, and
// not starting with "internal-".
func ValidateLoadBalancerName(name string) error {
	switch {
	case name == "":
		return invalid("A load balancer name must be specified")
	case len(name) > 32:
		return invalid("Load balancer name '%s' cannot be longer than '32' characters", name)
	case !alnumHyphen(name):
		return invalid("Load balancer name '%s' can only contain characters that are alphanumeric characters or hyphens(-)", name)
	case strings.HasPrefix(name, "-") || strings.HasSuffix(name, "-"):
		return invalid("Load balancer name '%s' cannot begin or end with a hyphen(-)", name)
	case strings.HasPrefix(strings.ToLower(name), "internal-"):
		return invalid("Load balancer name '%s' cannot begin with 'internal-'", name)
	}
	return nil
}

// ValidateScheme checks a load balancer scheme; "" means internet-facing.
func ValidateScheme(s string) error {
	switch s {
	case "", SchemeInternet, SchemeInternal:
		return nil
	}
	return fault.Newf(ErrInvalidScheme, "The scheme '%s' is not valid", s)
}

// ValidateLoadBalancerIPAddressType checks IpAddressType.
func ValidateLoadBalancerIPAddressType(t string) error {
	switch t {
	case "", IPAddressTypeIPv4, IPAddressTypeDual, IPAddressTypeDualP:
		return nil
	}
	return invalid("IP address type '%s' is not valid", t)
}

// Zones assigns Availability Zones to subnets in order: the first gets
// <region>a, the second <region>b, and so on.
func Zones(region string, subnets []string) []Subnet {
	out := make([]Subnet, len(subnets))
	for i, s := range subnets {
		out[i] = Subnet{ID: s, Zone: region + string(rune('a'+i%26))}
	}
	return out
}

func alnumHyphen(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}
