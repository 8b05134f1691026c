package ec2

import (
	"context"
	"fmt"
	"net/netip"
	"strings"

	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/store"
)

// parseCIDR reads an IPv4 CIDR block that names a network (no host bits).
func parseCIDR(cidr, param string) (netip.Prefix, error) {
	p, err := netip.ParsePrefix(cidr)
	if err != nil || !p.Addr().Is4() || p.Masked() != p {
		return netip.Prefix{}, invalidValue(cidr, param, "This is not a valid CIDR block.")
	}
	return p, nil
}

func overlaps(a, b netip.Prefix) bool { return a.Overlaps(b) }

// tagsFor returns the tags of the tag specifications that name a
// resource type.
func tagsFor(specs []TagSpec, resourceType string) ([]Tag, error) {
	var out []Tag
	for _, sp := range specs {
		if sp.ResourceType != resourceType {
			continue
		}
		out = append(out, sp.Tags...)
	}
	return out, checkTags(out)
}

// TagSpec tags a resource as it is created.
type TagSpec struct {
	ResourceType string
	Tags         []Tag
}

// CreateVpc records a VPC (with its default security group).
func (s *Service) CreateVpc(ctx context.Context, sc Scope, cidr, tenancy string, specs []TagSpec) (Vpc, error) {
	if cidr == "" {
		return Vpc{}, fault.New(ErrMissingParameter, "Either 'cidrBlock' or 'ipv4IpamPoolId' should be provided.")
	}
	p, err := parseCIDR(cidr, "cidrBlock")
	if err != nil {
		return Vpc{}, err
	}
	if p.Bits() < 16 || p.Bits() > 28 {
		return Vpc{}, fault.Newf(ErrInvalidVpcRange, "The CIDR '%s' is invalid.", cidr)
	}
	tags, err := tagsFor(specs, "vpc")
	if err != nil {
		return Vpc{}, err
	}
	if tenancy == "" {
		tenancy = "default"
	}
	v := Vpc{ID: s.newID("vpc-"), CidrBlock: cidr, DhcpOptionsID: stableID("dopt-", sc, "default-dhcp"), Tenancy: tenancy, Tags: tags}
	v.AssociationID = s.newID("vpc-cidr-assoc-")
	g := SecurityGroup{ID: s.newID("sg-"), Name: "default", Description: "default VPC security group", VpcID: v.ID}
	g.Rules = []Rule{
		{ID: s.newID("sgr-"), Protocol: "-1", GroupID: g.ID, GroupOwner: sc.Account},
		{ID: s.newID("sgr-"), Egress: true, Protocol: "-1", CidrIPv4: "0.0.0.0/0"},
	}
	err = s.update(ctx, sc, func(tx store.Tx, _ *state) error {
		if err := putVpc(tx, sc, v); err != nil {
			return err
		}
		return putGroup(tx, sc, g)
	})
	return v, err
}

// DeleteVpc deletes a VPC that has no subnets and no security groups but
// its default one.
func (s *Service) DeleteVpc(ctx context.Context, sc Scope, id string) error {
	return s.update(ctx, sc, func(tx store.Tx, st *state) error {
		if _, ok := st.vpc(id); !ok {
			return vpcNotFound(id)
		}
		var defaultGroup string
		for _, sn := range st.subnets {
			if sn.VpcID == id {
				return dependency("vpc", id)
			}
		}
		for _, g := range st.groups {
			if g.VpcID != id {
				continue
			}
			if !g.IsDefault() {
				return dependency("vpc", id)
			}
			defaultGroup = g.ID
		}
		if defaultGroup != "" {
			if err := tx.Delete(Groups, sc.prefix()+defaultGroup); err != nil {
				return err
			}
		}
		return tx.Delete(Vpcs, sc.prefix()+id)
	})
}

// CreateSubnetInput is what CreateSubnet is told.
type CreateSubnetInput struct {
	VpcID, CidrBlock string
	// AvailabilityZone is a zone name or zone ID; empty picks the first.
	AvailabilityZone string
	Tags             []TagSpec
}

// CreateSubnet records a subnet of a VPC.
func (s *Service) CreateSubnet(ctx context.Context, sc Scope, in CreateSubnetInput) (Subnet, error) {
	if in.CidrBlock == "" {
		return Subnet{}, fault.New(ErrMissingParameter, "The request must contain the parameter cidrBlock")
	}
	p, err := parseCIDR(in.CidrBlock, "cidrBlock")
	if err != nil {
		return Subnet{}, err
	}
	z := Zones(sc.Region)[0]
	if in.AvailabilityZone != "" {
		var ok bool
		if z, ok = zone(sc.Region, in.AvailabilityZone); !ok {
			var names []string
			for _, z := range Zones(sc.Region) {
				names = append(names, z.Name)
			}
			return Subnet{}, invalidValue(in.AvailabilityZone, "availabilityZone",
				fmt.Sprintf("Subnets can currently only be created in the following availability zones: %s.", strings.Join(names, ", ")))
		}
	}
	tags, err := tagsFor(in.Tags, "subnet")
	if err != nil {
		return Subnet{}, err
	}
	sn := Subnet{ID: s.newID("subnet-"), VpcID: in.VpcID, CidrBlock: in.CidrBlock, AvailabilityZone: z.Name, Tags: tags}
	err = s.update(ctx, sc, func(tx store.Tx, st *state) error {
		v, ok := st.vpc(in.VpcID)
		if !ok {
			return vpcNotFound(in.VpcID)
		}
		vp, _ := netip.ParsePrefix(v.CidrBlock)
		if p.Bits() < 16 || p.Bits() > 28 || !vp.Contains(p.Addr()) || p.Bits() < vp.Bits() {
			return fault.Newf(ErrInvalidSubnetRange, "The CIDR '%s' is invalid.", in.CidrBlock)
		}
		for _, other := range st.subnets {
			op, _ := netip.ParsePrefix(other.CidrBlock)
			if other.VpcID == in.VpcID && overlaps(op, p) {
				return fault.Newf(ErrInvalidSubnetConflict, "The CIDR '%s' conflicts with another subnet", in.CidrBlock)
			}
		}
		return putSubnet(tx, sc, sn)
	})
	return sn, err
}

// DeleteSubnet deletes a subnet no task's network interface is in.
func (s *Service) DeleteSubnet(ctx context.Context, sc Scope, id string) error {
	return s.update(ctx, sc, func(tx store.Tx, st *state) error {
		if _, ok := st.subnet(id); !ok {
			return subnetNotFound(id)
		}
		enis, err := taskInterfaces(tx, st)
		if err != nil {
			return err
		}
		for _, e := range enis {
			if e.SubnetID == id {
				return dependency("subnet", id)
			}
		}
		return tx.Delete(Subnets, sc.prefix()+id)
	})
}

// AvailableAddresses is how many addresses a subnet has free: AWS keeps
// five of every subnet, and each task's interface takes one.
func AvailableAddresses(cidr string, used int) int {
	p, err := netip.ParsePrefix(cidr)
	if err != nil {
		return 0
	}
	return 1<<(32-p.Bits()) - 5 - used
}
