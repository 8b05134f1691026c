package ec2

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strings"

	"github.com/quayside/quayside/internal/ecs"
	"github.com/quayside/quayside/internal/ecs/ecsdb"
	"github.com/quayside/quayside/internal/store"
)

// taskInterfaces returns the network interfaces of the scope's awsvpc
// tasks that have not stopped.
func taskInterfaces(tx store.ReadTx, st *state) ([]NetworkInterface, error) {
	sc := st.scope
	var out []NetworkInterface
	services := map[string]*ecs.NetworkConfiguration{}
	err := tx.Scan(ecsdb.Tasks, sc.prefix(), "", func(_ string, b []byte) error {
		var t ecs.Task
		if err := json.Unmarshal(b, &t); err != nil {
			return err
		}
		if t.LastStatus == ecs.TaskStopped {
			return nil
		}
		for _, a := range t.Attachments {
			if a.Type != ecs.AttachmentTypeENI {
				continue
			}
			// Tasks record their awsvpc configuration; older records fall
			// back to their service's.
			cfg := t.NetworkConfiguration
			if cfg == nil {
				var err error
				if cfg, err = serviceNetwork(tx, sc, t, services); err != nil {
					return err
				}
			}
			out = append(out, interfaceOf(st, t, a, cfg))
		}
		return nil
	})
	return out, err
}

// serviceNetwork returns the awsvpc configuration of a service task's
// service (nil for standalone tasks), caching it per service.
func serviceNetwork(tx store.ReadTx, sc Scope, t ecs.Task, cache map[string]*ecs.NetworkConfiguration) (*ecs.NetworkConfiguration, error) {
	name, ok := strings.CutPrefix(t.Group, "service:")
	if !ok {
		return nil, nil
	}
	_, cluster, _ := strings.Cut(t.ClusterARN, ":cluster/")
	key := cluster + "/" + name
	if cfg, ok := cache[key]; ok {
		return cfg, nil
	}
	svc, err := ecsdb.GetService(tx, ecsdb.Scope{Region: sc.Region, Account: sc.Account}, cluster, name)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	cache[key] = svc.NetworkConfiguration
	return svc.NetworkConfiguration, nil
}

// interfaceOf presents a task's ENI attachment as an EC2 interface.
func interfaceOf(st *state, t ecs.Task, a ecs.Attachment, cfg *ecs.NetworkConfiguration) NetworkInterface {
	eni := ecs.ENIFromAttachment(a)
	sc := st.scope
	n := NetworkInterface{
		ID: eni.NetworkInterfaceID, SubnetID: eni.SubnetID, AvailabilityZone: t.AvailabilityZone,
		PrivateIP: eni.PrivateIPv4Address, MACAddress: eni.MACAddress,
		Description:  "arn:aws:ecs:" + sc.Region + ":" + sc.Account + ":attachment/" + a.ID,
		AttachmentID: "ela-attach-" + shortHash(eni.NetworkInterfaceID), AttachTime: t.CreatedAt,
	}
	switch a.Status {
	case ecs.AttachmentAttached:
		n.Status = "in-use"
	case ecs.AttachmentDetaching, ecs.AttachmentDetached, ecs.AttachmentDeleted:
		n.Status = "detaching"
	default:
		n.Status = "attaching"
	}
	if sn, ok := st.subnet(eni.SubnetID); ok {
		n.VpcID, n.AvailabilityZone = sn.VpcID, sn.AvailabilityZone
	} else if v, ok := st.defaultVpc(); ok {
		n.VpcID = v.ID
	}
	var groups []string
	if cfg != nil {
		groups = cfg.SecurityGroups
		if cfg.AssignPublicIP == ecs.Enabled {
			// Locally the task's "public" address is its address on the
			// Quayside bridge network: the host reaches the task there.
			n.PublicIP = eni.PrivateIPv4Address
		}
	}
	for _, id := range groups {
		g := SecurityGroup{ID: id}
		if have, ok := st.group(id); ok {
			g.Name = have.Name
		}
		n.Groups = append(n.Groups, g)
	}
	if len(n.Groups) == 0 {
		if g, ok := st.groupByName(n.VpcID, "default"); ok {
			n.Groups = []SecurityGroup{{ID: g.ID, Name: g.Name}}
		}
	}
	return n
}

func shortHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])[:17]
}

func eniFields(n NetworkInterface, account string) fieldFunc {
	return func(name string) ([]string, bool) {
		switch name {
		case "network-interface-id":
			return []string{n.ID}, true
		case "subnet-id":
			return []string{n.SubnetID}, true
		case "vpc-id":
			return []string{n.VpcID}, true
		case "availability-zone":
			return []string{n.AvailabilityZone}, true
		case "private-ip-address", "addresses.private-ip-address":
			return nonEmpty(n.PrivateIP), true
		case "association.public-ip":
			return nonEmpty(n.PublicIP), true
		case "mac-address":
			return nonEmpty(n.MACAddress), true
		case "status":
			return []string{n.Status}, true
		case "description":
			return []string{n.Description}, true
		case "interface-type":
			return []string{"interface"}, true
		case "owner-id":
			return []string{account}, true
		case "requester-managed":
			return []string{"true"}, true
		case "attachment.status":
			return []string{"attached"}, true
		case "attachment.attachment-id":
			return []string{n.AttachmentID}, true
		case "group-id", "group-name":
			var out []string
			for _, g := range n.Groups {
				if name == "group-id" {
					out = append(out, g.ID)
				} else {
					out = append(out, g.Name)
				}
			}
			return out, true
		}
		return nil, false
	}
}

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

// DescribeNetworkInterfaces lists the network interfaces of awsvpc tasks.
func (s *Service) DescribeNetworkInterfaces(ctx context.Context, sc Scope, q Query) (out []NetworkInterface, next string, err error) {
	if err := checkFilters(q.Filters, eniFields(NetworkInterface{}, "")); err != nil {
		return nil, "", err
	}
	err = s.view(ctx, sc, func(tx store.ReadTx, st *state) error {
		all, err := taskInterfaces(tx, st)
		if err != nil {
			return err
		}
		sel, err := selectIDs(all, func(n NetworkInterface) string { return n.ID }, q.IDs, eniNotFound)
		if err != nil {
			return err
		}
		for _, n := range sel {
			if matches(q.Filters, eniFields(n, sc.Account), nil) {
				out = append(out, n)
			}
		}
		out, next, err = paginate(out, func(n NetworkInterface) string { return n.ID }, q.NextToken, q.Max)
		return err
	})
	return out, next, err
}
