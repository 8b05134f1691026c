package ec2

import "time"

// Scope is the region and account a request acts in.
type Scope struct {
	Region  string
	Account string
}

func (s Scope) prefix() string { return s.Region + "/" + s.Account + "/" }

// Tag is a key-value pair on a VPC, subnet or security group.
type Tag struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// Vpc is a virtual private cloud.
type Vpc struct {
	ID            string `json:"id"`
	CidrBlock     string `json:"cidrBlock"`
	AssociationID string `json:"associationId"` // of the primary CIDR block
	DhcpOptionsID string `json:"dhcpOptionsId"`
	Tenancy       string `json:"tenancy"`
	IsDefault     bool   `json:"isDefault,omitempty"`
	Tags          []Tag  `json:"tags,omitempty"`
}

// Subnet is a subnet of a VPC in one availability zone.
type Subnet struct {
	ID               string `json:"id"`
	VpcID            string `json:"vpcId"`
	CidrBlock        string `json:"cidrBlock"`
	AvailabilityZone string `json:"availabilityZone"`
	DefaultForAz     bool   `json:"defaultForAz,omitempty"`
	MapPublicIP      bool   `json:"mapPublicIpOnLaunch,omitempty"`
	Tags             []Tag  `json:"tags,omitempty"`
	// Used counts the task interfaces in the subnet; DescribeSubnets
	// fills it in.
	Used int `json:"-"`
}

// SecurityGroup is a security group with its rules.
type SecurityGroup struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	VpcID       string `json:"vpcId"`
	Rules       []Rule `json:"rules,omitempty"`
	Tags        []Tag  `json:"tags,omitempty"`
}

// IsDefault reports whether the group is its VPC's default group.
func (g *SecurityGroup) IsDefault() bool { return g.Name == "default" }

// Rule is one security group rule: one protocol and port range, and one
// peer (an IPv4 or IPv6 CIDR, a security group or a prefix list).
type Rule struct {
	ID          string `json:"id"` // sgr-...
	Egress      bool   `json:"egress,omitempty"`
	Protocol    string `json:"protocol"` // "-1" (all), "tcp", "udp", "icmp", "icmpv6" or a number
	FromPort    *int   `json:"fromPort,omitempty"`
	ToPort      *int   `json:"toPort,omitempty"`
	CidrIPv4    string `json:"cidrIpv4,omitempty"`
	CidrIPv6    string `json:"cidrIpv6,omitempty"`
	GroupID     string `json:"groupId,omitempty"` // the referenced group
	GroupOwner  string `json:"groupOwner,omitempty"`
	PrefixList  string `json:"prefixList,omitempty"`
	Description string `json:"description,omitempty"`
}

// samePermission reports whether two rules grant the same thing
// (descriptions and IDs aside).
func (r Rule) samePermission(o Rule) bool {
	eq := func(a, b *int) bool { return a == nil && b == nil || a != nil && b != nil && *a == *b }
	return r.Egress == o.Egress && r.Protocol == o.Protocol && eq(r.FromPort, o.FromPort) && eq(r.ToPort, o.ToPort) &&
		r.CidrIPv4 == o.CidrIPv4 && r.CidrIPv6 == o.CidrIPv6 && r.GroupID == o.GroupID && r.PrefixList == o.PrefixList
}

// AvailabilityZone is a zone of a region.
type AvailabilityZone struct {
	Name   string // us-east-1a
	ID     string // use1-az1
	Region string
}

// NetworkInterface is the ENI of an awsvpc ECS task.
type NetworkInterface struct {
	ID               string
	SubnetID         string
	VpcID            string
	AvailabilityZone string
	PrivateIP        string // empty until the task has an address
	PublicIP         string // set when the task was given a public IP
	MACAddress       string
	Groups           []SecurityGroup // ID and name only
	Status           string          // in-use, attaching, detaching
	Description      string
	AttachmentID     string
	AttachTime       time.Time
}
