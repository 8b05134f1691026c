package ec2

import (
	"context"
	"net/netip"
	"strconv"
	"strings"

	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/store"
)

// Permission is one IpPermission of a request: a protocol and port range
// and the peers it applies to. Each peer becomes one rule.
type Permission struct {
	Protocol         string
	FromPort, ToPort *int
	IPv4, IPv6       []Peer // CIDR blocks
	Groups           []Peer // security group IDs (or names in the default VPC)
	PrefixLists      []Peer
}

// Peer is one peer of a permission with its description.
type Peer struct {
	ID, Name, Description string
}

var protocolNames = map[string]string{"6": "tcp", "17": "udp", "1": "icmp", "58": "icmpv6", "all": "-1"}

// rules expands a permission into rules (without IDs), checking it.
func (p Permission) rules(st *state, egress bool) ([]Rule, error) {
	proto := strings.ToLower(p.Protocol)
	if n, ok := protocolNames[proto]; ok {
		proto = n
	}
	base := Rule{Egress: egress, Protocol: proto}
	switch proto {
	case "-1":
	case "tcp", "udp":
		if p.FromPort == nil || p.ToPort == nil {
			return nil, fault.New(ErrInvalidParameterValue, "Invalid value 'Must specify both from and to ports with TCP/UDP.' for portRange.")
		}
		if *p.FromPort < 0 || *p.ToPort > 65535 || *p.FromPort > *p.ToPort {
			return nil, fault.Newf(ErrInvalidParameterValue, "Invalid TCP/UDP port range %d-%d.", *p.FromPort, *p.ToPort)
		}
		base.FromPort, base.ToPort = p.FromPort, p.ToPort
	case "icmp", "icmpv6":
		base.FromPort, base.ToPort = p.FromPort, p.ToPort
	default:
		n, err := strconv.Atoi(proto)
		if err != nil || n < 0 || n > 255 {
			return nil, fault.Newf(ErrInvalidParameterValue, "Invalid value '%s' for IP protocol. Unknown protocol.", p.Protocol)
		}
	}
	var out []Rule
	for _, c := range p.IPv4 {
		pf, err := netip.ParsePrefix(c.ID)
		if err != nil || !pf.Addr().Is4() {
			return nil, fault.Newf(ErrInvalidParameterValue, "CIDR block %s is malformed", c.ID)
		}
		r := base
		r.CidrIPv4, r.Description = pf.Masked().String(), c.Description
		out = append(out, r)
	}
	for _, c := range p.IPv6 {
		pf, err := netip.ParsePrefix(c.ID)
		if err != nil || !pf.Addr().Is6() {
			return nil, fault.Newf(ErrInvalidParameterValue, "CIDR block %s is malformed", c.ID)
		}
		r := base
		r.CidrIPv6, r.Description = pf.Masked().String(), c.Description
		out = append(out, r)
	}
	for _, gp := range p.Groups {
		g, err := findGroup(st, gp.ID, gp.Name)
		if err != nil {
			return nil, err
		}
		r := base
		r.GroupID, r.GroupOwner, r.Description = g.ID, st.scope.Account, gp.Description
		out = append(out, r)
	}
	for _, pl := range p.PrefixLists {
		r := base
		r.PrefixList, r.Description = pl.ID, pl.Description
		out = append(out, r)
	}
	if len(out) == 0 {
		return nil, fault.New(ErrMissingParameter, "The request must contain a CIDR block, a security group or a prefix list to authorize.")
	}
	return out, nil
}

// Authorize adds ingress (or egress) rules to a group, identified by ID
// or (ingress only) by name in the default VPC. It returns the new rules.
func (s *Service) Authorize(ctx context.Context, sc Scope, groupID, groupName string, egress bool, perms []Permission) ([]Rule, error) {
	var added []Rule
	err := s.update(ctx, sc, func(tx store.Tx, st *state) error {
		g, err := findGroup(st, groupID, groupName)
		if err != nil {
			return err
		}
		for _, p := range perms {
			rules, err := p.rules(st, egress)
			if err != nil {
				return err
			}
			for _, r := range rules {
				for _, have := range append(g.Rules, added...) {
					if have.samePermission(r) {
						return fault.Newf(ErrInvalidPermDuplicate, "the specified rule \"%s\" already exists", describeRule(r))
					}
				}
				r.ID = s.newID("sgr-")
				added = append(added, r)
			}
		}
		g.Rules = append(g.Rules, added...)
		return putGroup(tx, sc, *g)
	})
	return added, err
}

// Revoke removes rules from a group, named by rule ID or by permission,
// and returns them.
func (s *Service) Revoke(ctx context.Context, sc Scope, groupID, groupName string, egress bool, ruleIDs []string, perms []Permission) ([]Rule, error) {
	var removed []Rule
	err := s.update(ctx, sc, func(tx store.Tx, st *state) error {
		g, err := findGroup(st, groupID, groupName)
		if err != nil {
			return err
		}
		drop := map[string]bool{}
		for _, id := range ruleIDs {
			found := false
			for _, r := range g.Rules {
				if r.ID == id && r.Egress == egress {
					drop[id], found = true, true
				}
			}
			if !found {
				return fault.Newf(ErrInvalidRuleNotFound, "The security group rule ID '%s' does not exist", id)
			}
		}
		for _, p := range perms {
			rules, err := p.rules(st, egress)
			if err != nil {
				return err
			}
			for _, want := range rules {
				found := false
				for _, r := range g.Rules {
					if r.samePermission(want) {
						drop[r.ID], found = true, true
					}
				}
				if !found {
					return fault.New(ErrInvalidPermNotFound, "The specified rule does not exist in this security group.")
				}
			}
		}
		var kept []Rule
		for _, r := range g.Rules {
			if drop[r.ID] {
				removed = append(removed, r)
			} else {
				kept = append(kept, r)
			}
		}
		g.Rules = kept
		return putGroup(tx, sc, *g)
	})
	return removed, err
}

// GroupRule is a rule with the group it belongs to.
type GroupRule struct {
	GroupID string
	Rule
}

// DescribeSecurityGroupRules lists rules, selected by rule ID and by the
// filters group-id and security-group-rule-id.
func (s *Service) DescribeSecurityGroupRules(ctx context.Context, sc Scope, q Query) (out []GroupRule, next string, err error) {
	fields := func(r GroupRule) fieldFunc {
		return func(name string) ([]string, bool) {
			switch name {
			case "group-id":
				return []string{r.GroupID}, true
			case "security-group-rule-id":
				return []string{r.ID}, true
			}
			return nil, false
		}
	}
	if err := checkFilters(q.Filters, fields(GroupRule{})); err != nil {
		return nil, "", err
	}
	err = s.view(ctx, sc, func(_ store.ReadTx, st *state) error {
		var all []GroupRule
		for _, g := range st.groups {
			for _, r := range g.Rules {
				all = append(all, GroupRule{GroupID: g.ID, Rule: r})
			}
		}
		sel, err := selectIDs(all, func(r GroupRule) string { return r.ID }, q.IDs, func(id string) error {
			return fault.Newf(ErrInvalidRuleNotFound, "The security group rule ID '%s' does not exist", id)
		})
		if err != nil {
			return err
		}
		for _, r := range sel {
			if matches(q.Filters, fields(r), nil) {
				out = append(out, r)
			}
		}
		out, next, err = paginate(out, func(r GroupRule) string { return r.ID }, q.NextToken, q.Max)
		return err
	})
	return out, next, err
}
