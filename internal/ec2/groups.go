package ec2

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/store"
)

// GroupARN is a security group's ARN.
func GroupARN(sc Scope, id string) string {
	return "arn:aws:ec2:" + sc.Region + ":" + sc.Account + ":security-group/" + id
}

// RuleARN is a security group rule's ARN.
func RuleARN(sc Scope, id string) string {
	return "arn:aws:ec2:" + sc.Region + ":" + sc.Account + ":security-group-rule/" + id
}

// CreateSecurityGroup records a security group in a VPC (the default VPC
// when vpcID is empty). A new group allows all traffic out.
func (s *Service) CreateSecurityGroup(ctx context.Context, sc Scope, name, description, vpcID string, specs []TagSpec) (SecurityGroup, error) {
	switch {
	case name == "default":
		return SecurityGroup{}, fault.Newf(ErrInvalidGroupReserved, "The security group '%s' is reserved", name)
	case strings.HasPrefix(name, "sg-"):
		return SecurityGroup{}, fault.New(ErrInvalidParameterValue, "Group names may not be in the format sg-*.")
	}
	tags, err := tagsFor(specs, "security-group")
	if err != nil {
		return SecurityGroup{}, err
	}
	g := SecurityGroup{ID: s.newID("sg-"), Name: name, Description: description, Tags: tags}
	g.Rules = []Rule{{ID: s.newID("sgr-"), Egress: true, Protocol: "-1", CidrIPv4: "0.0.0.0/0"}}
	err = s.update(ctx, sc, func(tx store.Tx, st *state) error {
		if vpcID == "" {
			v, ok := st.defaultVpc()
			if !ok {
				return fault.New(ErrVPCIDNotSpecified, "No default VPC for this user")
			}
			vpcID = v.ID
		}
		if _, ok := st.vpc(vpcID); !ok {
			return vpcNotFound(vpcID)
		}
		if _, dup := st.groupByName(vpcID, name); dup {
			return fault.Newf(ErrInvalidGroupDuplicate, "The security group '%s' already exists for VPC '%s'", name, vpcID)
		}
		g.VpcID = vpcID
		return putGroup(tx, sc, g)
	})
	return g, err
}

// findGroup finds a group by ID, or by name in the default VPC.
func findGroup(st *state, id, name string) (*SecurityGroup, error) {
	if id != "" {
		g, ok := st.group(id)
		if !ok {
			return nil, groupNotFound(id)
		}
		return g, nil
	}
	if name == "" {
		return nil, fault.New(ErrMissingParameter, "The request must contain the parameter groupName or groupId")
	}
	v, ok := st.defaultVpc()
	if !ok {
		return nil, fault.New(ErrVPCIDNotSpecified, "No default VPC for this user")
	}
	g, ok := st.groupByName(v.ID, name)
	if !ok {
		return nil, groupNameNotFound(name, v.ID)
	}
	return g, nil
}

// DeleteSecurityGroup deletes a group that is not its VPC's default, not
// used by a task and not referenced by another group's rules.
func (s *Service) DeleteSecurityGroup(ctx context.Context, sc Scope, id, name string) (string, error) {
	var deleted string
	err := s.update(ctx, sc, func(tx store.Tx, st *state) error {
		g, err := findGroup(st, id, name)
		if err != nil {
			return err
		}
		if g.IsDefault() {
			return fault.Newf(ErrCannotDelete, "the specified group: \"%s\" name: \"default\" cannot be deleted by a user", g.ID)
		}
		inUse := fault.Newf(ErrDependencyViolation, "resource %s has a dependent object", g.ID)
		for _, other := range st.groups {
			for _, r := range other.Rules {
				if other.ID != g.ID && r.GroupID == g.ID {
					return inUse
				}
			}
		}
		enis, err := taskInterfaces(tx, st)
		if err != nil {
			return err
		}
		for _, n := range enis {
			for _, ng := range n.Groups {
				if ng.ID == g.ID {
					return inUse
				}
			}
		}
		deleted = g.ID
		return tx.Delete(Groups, sc.prefix()+g.ID)
	})
	return deleted, err
}

func groupFields(g SecurityGroup, account string) fieldFunc {
	ruleValues := func(egress bool, f func(Rule) string) []string {
		var out []string
		for _, r := range g.Rules {
			if r.Egress == egress {
				if v := f(r); v != "" {
					out = append(out, v)
				}
			}
		}
		return out
	}
	port := func(p *int) string {
		if p == nil {
			return ""
		}
		return strconv.Itoa(*p)
	}
	return func(name string) ([]string, bool) {
		egress := strings.HasPrefix(name, "egress.")
		switch strings.TrimPrefix(name, "egress.") {
		case "group-id":
			if !egress {
				return []string{g.ID}, true
			}
		case "group-name":
			if !egress {
				return []string{g.Name}, true
			}
		case "vpc-id":
			if !egress {
				return []string{g.VpcID}, true
			}
		case "description":
			if !egress {
				return []string{g.Description}, true
			}
		case "owner-id":
			if !egress {
				return []string{account}, true
			}
		case "ip-permission.protocol":
			return ruleValues(egress, func(r Rule) string { return r.Protocol }), true
		case "ip-permission.from-port":
			return ruleValues(egress, func(r Rule) string { return port(r.FromPort) }), true
		case "ip-permission.to-port":
			return ruleValues(egress, func(r Rule) string { return port(r.ToPort) }), true
		case "ip-permission.cidr":
			return ruleValues(egress, func(r Rule) string { return r.CidrIPv4 }), true
		case "ip-permission.ipv6-cidr":
			return ruleValues(egress, func(r Rule) string { return r.CidrIPv6 }), true
		case "ip-permission.group-id":
			return ruleValues(egress, func(r Rule) string { return r.GroupID }), true
		case "ip-permission.prefix-list-id":
			return ruleValues(egress, func(r Rule) string { return r.PrefixList }), true
		}
		return nil, false
	}
}

// GroupQuery selects security groups; Names are looked up in the default
// VPC.
type GroupQuery struct {
	Query
	Names []string
}

// DescribeSecurityGroups lists security groups.
func (s *Service) DescribeSecurityGroups(ctx context.Context, sc Scope, q GroupQuery) (out []SecurityGroup, next string, err error) {
	if err := checkFilters(q.Filters, groupFields(SecurityGroup{}, "")); err != nil {
		return nil, "", err
	}
	err = s.view(ctx, sc, func(_ store.ReadTx, st *state) error {
		sel := st.groups
		if len(q.IDs)+len(q.Names) > 0 {
			var err error
			if sel, err = selectIDs(st.groups, func(g SecurityGroup) string { return g.ID }, q.IDs, groupNotFound); err != nil {
				return err
			}
			if len(q.IDs) == 0 {
				sel = nil
			}
			for _, n := range q.Names {
				g, err := findGroup(st, "", n)
				if err != nil {
					return err
				}
				sel = append(sel, *g)
			}
		}
		for _, g := range sel {
			if matches(q.Filters, groupFields(g, sc.Account), g.Tags) {
				out = append(out, g)
			}
		}
		out, next, err = paginate(dedupGroups(out), func(g SecurityGroup) string { return g.ID }, q.NextToken, q.Max)
		return err
	})
	return out, next, err
}

func dedupGroups(gs []SecurityGroup) []SecurityGroup {
	seen := map[string]bool{}
	var out []SecurityGroup
	for _, g := range gs {
		if !seen[g.ID] {
			seen[g.ID] = true
			out = append(out, g)
		}
	}
	return out
}

// describeRule renders a rule the way EC2 quotes it in errors.
func describeRule(r Rule) string {
	peer := r.CidrIPv4 + r.CidrIPv6 + r.GroupID + r.PrefixList
	proto := strings.ToUpper(r.Protocol)
	if r.Protocol == "-1" {
		return fmt.Sprintf("peer: %s, ALL, ALLOW", peer)
	}
	from, to := "", ""
	if r.FromPort != nil {
		from = strconv.Itoa(*r.FromPort)
	}
	if r.ToPort != nil {
		to = strconv.Itoa(*r.ToPort)
	}
	return fmt.Sprintf("peer: %s, %s, from port: %s, to port: %s, ALLOW", peer, proto, from, to)
}
