package ecsapi

import (
	"context"
	"errors"

	"github.com/quayside/quayside/internal/ec2"
	"github.com/quayside/quayside/internal/ecs"
	"github.com/quayside/quayside/internal/ecs/ecsdb"
	"github.com/quayside/quayside/internal/store"
)

// An awsvpc task lives in EC2's network: the subnets and security groups
// of its awsvpcConfiguration must exist (checkSubnets, when a service or
// task is asked for), and the task runs in the availability zone of the
// subnet its network interface is in (subnetZones, when its tasks are
// placed).

// checkSubnets checks an awsvpc configuration against EC2 in the
// request's transaction. An unknown subnet or security group, or a group
// of another VPC, is ECS's InvalidParameterException with ECS's message
// (see ec2.Validate). A nil configuration (no awsvpc) passes.
func checkSubnets(tx store.ReadTx, s ecsdb.Scope, n *ecs.NetworkConfiguration) error {
	if n == nil {
		return nil
	}
	_, err := ec2.Validate(tx, s.Region, s.Account, n.Subnets, n.SecurityGroups)
	return err
}

// setZones sets each awsvpc task's availabilityZone to its ENI subnet's.
func setZones(tx store.ReadTx, s ecsdb.Scope, tasks []ecs.Task) error {
	zones := map[string]string{}
	for i := range tasks {
		if err := setZone(tx, s, &tasks[i], zones); err != nil {
			return err
		}
	}
	return nil
}

// setZone sets an awsvpc task's availabilityZone to its ENI subnet's,
// remembering subnets' zones in zones (which may be nil). A subnet EC2 no
// longer knows (deleted since its service was created) leaves the zone as
// it was.
func setZone(tx store.ReadTx, s ecsdb.Scope, t *ecs.Task, zones map[string]string) error {
	subnet := eniSubnet(*t)
	if subnet == "" {
		return nil
	}
	az, ok := zones[subnet]
	if !ok {
		got, err := ec2.Validate(tx, s.Region, s.Account, []string{subnet}, nil)
		if err != nil && !errors.Is(err, ecs.ErrInvalidParameter) {
			return err
		}
		az = got[subnet]
		if zones != nil {
			zones[subnet] = az
		}
	}
	if az != "" {
		t.AvailabilityZone = az
	}
	return nil
}

// eniSubnet is the subnet of a task's ENI attachment, if it has one.
func eniSubnet(t ecs.Task) string {
	for _, a := range t.Attachments {
		if a.Type == ecs.AttachmentTypeENI {
			return ecs.ENIFromAttachment(a).SubnetID
		}
	}
	return ""
}

// subnetZones is the API's own first placement step, ahead of the
// installed Placer (next, nil for none): it puts each awsvpc task in its
// subnet's availability zone, for RunTask's tasks and a service's alike.
type subnetZones struct{ next Placer }

// Place implements Placer.
func (p subnetZones) Place(ctx context.Context, tx store.ReadTx, req PlacementRequest) ([]ecs.Task, []PlacementFailure, error) {
	if err := setZones(tx, req.Scope, req.Tasks); err != nil {
		return nil, nil, err
	}
	if p.next == nil {
		return req.Tasks, nil, nil
	}
	return p.next.Place(ctx, tx, req)
}
