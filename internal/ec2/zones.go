package ec2

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
)

// zoneLetters are the availability zones every region has.
var zoneLetters = []string{"a", "b", "c"}

// Zones returns a region's availability zones in name order.
func Zones(region string) []AvailabilityZone {
	out := make([]AvailabilityZone, len(zoneLetters))
	for i, l := range zoneLetters {
		out[i] = AvailabilityZone{Name: region + l, ID: zoneIDPrefix(region) + "-az" + strconv.Itoa(i+1), Region: region}
	}
	return out
}

// zoneIDPrefix abbreviates a region the way zone IDs do: us-east-1 →
// use1, ap-southeast-2 → apse2, eu-central-1 → euc1.
func zoneIDPrefix(region string) string {
	parts := strings.Split(region, "-")
	if len(parts) < 3 {
		return region
	}
	dir := strings.Join(parts[1:len(parts)-1], "")
	abbrev := map[string]string{
		"east": "e", "west": "w", "north": "n", "south": "s", "central": "c",
		"northeast": "ne", "southeast": "se", "northwest": "nw", "southwest": "sw",
		"govwest": "gw", "goveast": "ge",
	}[dir]
	if abbrev == "" && dir != "" {
		abbrev = dir[:1]
	}
	return parts[0] + abbrev + parts[len(parts)-1]
}

// zone returns the named zone of a region.
func zone(region, name string) (AvailabilityZone, bool) {
	for _, z := range Zones(region) {
		if z.Name == name || z.ID == name {
			return z, true
		}
	}
	return AvailabilityZone{}, false
}

// stableID derives a resource ID (prefix and 17 hex digits) from the
// scope and a name, for the default VPC and its parts.
func stableID(prefix string, s Scope, name string) string {
	sum := sha256.Sum256([]byte("quayside/" + s.Region + "/" + s.Account + "/" + name))
	return prefix + hex.EncodeToString(sum[:])[:17]
}

// defaults returns the scope's default VPC, subnets and security group.
func defaults(s Scope) (Vpc, []Subnet, SecurityGroup) {
	vpc := Vpc{
		ID: stableID("vpc-", s, "default-vpc"), CidrBlock: "172.31.0.0/16", AssociationID: stableID("vpc-cidr-assoc-", s, "default-vpc"),
		DhcpOptionsID: stableID("dopt-", s, "default-dhcp"), Tenancy: "default", IsDefault: true,
	}
	var subnets []Subnet
	for i, z := range Zones(s.Region) {
		subnets = append(subnets, Subnet{
			ID: stableID("subnet-", s, "default-subnet-"+z.Name), VpcID: vpc.ID,
			CidrBlock: "172.31." + strconv.Itoa(16*i) + ".0/20", AvailabilityZone: z.Name, DefaultForAz: true, MapPublicIP: true,
		})
	}
	sg := SecurityGroup{ID: stableID("sg-", s, "default-sg"), Name: "default", Description: "default VPC security group", VpcID: vpc.ID}
	sg.Rules = defaultGroupRules(s, sg.ID)
	return vpc, subnets, sg
}

// defaultGroupRules are the rules of a VPC's default security group:
// all traffic in from members of the group, all traffic out.
func defaultGroupRules(s Scope, groupID string) []Rule {
	return []Rule{
		{ID: stableID("sgr-", s, groupID+"/ingress"), Protocol: "-1", GroupID: groupID, GroupOwner: s.Account},
		{ID: stableID("sgr-", s, groupID+"/egress"), Egress: true, Protocol: "-1", CidrIPv4: "0.0.0.0/0"},
	}
}
