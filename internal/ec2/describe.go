package ec2

import (
	"context"
	"strings"

	"github.com/quayside/quayside/internal/store"
)

func vpcFields(v Vpc) fieldFunc {
	return func(name string) ([]string, bool) {
		switch name {
		case "vpc-id":
			return []string{v.ID}, true
		case "cidr", "cidr-block", "cidrBlock", "cidr-block-association.cidr-block":
			return []string{v.CidrBlock}, true
		case "cidr-block-association.association-id":
			return []string{v.AssociationID}, true
		case "cidr-block-association.state":
			return []string{"associated"}, true
		case "state":
			return []string{"available"}, true
		case "is-default", "isDefault":
			return []string{boolString(v.IsDefault)}, true
		case "dhcp-options-id":
			return []string{v.DhcpOptionsID}, true
		case "instance-tenancy":
			return []string{v.Tenancy}, true
		case "owner-id":
			return nil, true // answered by withOwner
		}
		return nil, false
	}
}

func subnetFields(sn Subnet, zoneID string) fieldFunc {
	return func(name string) ([]string, bool) {
		switch name {
		case "subnet-id":
			return []string{sn.ID}, true
		case "vpc-id":
			return []string{sn.VpcID}, true
		case "availability-zone", "availabilityZone":
			return []string{sn.AvailabilityZone}, true
		case "availability-zone-id", "availabilityZoneId":
			return []string{zoneID}, true
		case "cidr", "cidr-block", "cidrBlock":
			return []string{sn.CidrBlock}, true
		case "default-for-az", "defaultForAz":
			return []string{boolString(sn.DefaultForAz)}, true
		case "map-public-ip-on-launch":
			return []string{boolString(sn.MapPublicIP)}, true
		case "state":
			return []string{"available"}, true
		case "owner-id", "subnet-arn":
			return nil, true
		}
		return nil, false
	}
}

// withOwner adds the account (owner-id) and ARN filters to a field func.
func withOwner(f fieldFunc, account, arn string) fieldFunc {
	return func(name string) ([]string, bool) {
		switch name {
		case "owner-id":
			return []string{account}, true
		case "subnet-arn":
			if strings.Contains(arn, ":subnet/") {
				return []string{arn}, true
			}
		}
		return f(name)
	}
}

// DescribeVpcs lists VPCs.
func (s *Service) DescribeVpcs(ctx context.Context, sc Scope, q Query) (out []Vpc, next string, err error) {
	if err := checkFilters(q.Filters, vpcFields(Vpc{})); err != nil {
		return nil, "", err
	}
	err = s.view(ctx, sc, func(_ store.ReadTx, st *state) error {
		sel, err := selectIDs(st.vpcs, func(v Vpc) string { return v.ID }, q.IDs, vpcNotFound)
		if err != nil {
			return err
		}
		for _, v := range sel {
			if matches(q.Filters, withOwner(vpcFields(v), sc.Account, ""), v.Tags) {
				out = append(out, v)
			}
		}
		out, next, err = paginate(out, func(v Vpc) string { return v.ID }, q.NextToken, q.Max)
		return err
	})
	return out, next, err
}

// SubnetARN is a subnet's ARN.
func SubnetARN(sc Scope, id string) string {
	return "arn:aws:ec2:" + sc.Region + ":" + sc.Account + ":subnet/" + id
}

// DescribeSubnets lists subnets.
func (s *Service) DescribeSubnets(ctx context.Context, sc Scope, q Query) (out []Subnet, next string, err error) {
	if err := checkFilters(q.Filters, subnetFields(Subnet{}, "")); err != nil {
		return nil, "", err
	}
	err = s.view(ctx, sc, func(tx store.ReadTx, st *state) error {
		sel, err := selectIDs(st.subnets, func(v Subnet) string { return v.ID }, q.IDs, subnetNotFound)
		if err != nil {
			return err
		}
		enis, err := taskInterfaces(tx, st)
		if err != nil {
			return err
		}
		used := map[string]int{}
		for _, n := range enis {
			used[n.SubnetID]++
		}
		for _, sn := range sel {
			sn.Used = used[sn.ID]
			z, _ := zone(sc.Region, sn.AvailabilityZone)
			if matches(q.Filters, withOwner(subnetFields(sn, z.ID), sc.Account, SubnetARN(sc, sn.ID)), sn.Tags) {
				out = append(out, sn)
			}
		}
		out, next, err = paginate(out, func(v Subnet) string { return v.ID }, q.NextToken, q.Max)
		return err
	})
	return out, next, err
}

// DescribeAvailabilityZones lists the region's zones, selected by name or
// ID and by filters.
func (s *Service) DescribeAvailabilityZones(region string, names, ids []string, filters []Filter) ([]AvailabilityZone, error) {
	fields := func(z AvailabilityZone) fieldFunc {
		return func(name string) ([]string, bool) {
			switch name {
			case "zone-name":
				return []string{z.Name}, true
			case "zone-id":
				return []string{z.ID}, true
			case "region-name", "group-name", "network-border-group":
				return []string{z.Region}, true
			case "state":
				return []string{"available"}, true
			case "opt-in-status":
				return []string{"opt-in-not-required"}, true
			case "zone-type":
				return []string{"availability-zone"}, true
			}
			return nil, false
		}
	}
	if err := checkFilters(filters, fields(AvailabilityZone{})); err != nil {
		return nil, err
	}
	var out []AvailabilityZone
	for _, want := range append(append([]string{}, names...), ids...) {
		if _, ok := zone(region, want); !ok {
			return nil, invalidValue(want, "availabilityZone", "The zone does not exist in this region.")
		}
	}
	for _, z := range Zones(region) {
		if len(names)+len(ids) > 0 && !contains(names, z.Name) && !contains(ids, z.ID) {
			continue
		}
		if matches(filters, fields(z), nil) {
			out = append(out, z)
		}
	}
	return out, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
