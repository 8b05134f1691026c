package ecsapi

import (
	"github.com/quayside/quayside/internal/ecs"
	"github.com/quayside/quayside/internal/ecs/ecsdb"
	"github.com/quayside/quayside/internal/elb"
	"github.com/quayside/quayside/internal/elb/elbdb"
	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/store"
)

// checkTargetGroups checks a service's target groups against ELBv2, as
// ECS does when a service is created or updated: each must exist, be
// forwarded to by a load balancer, and have the target type the task
// definition's network mode needs (ip for awsvpc, instance otherwise).
func checkTargetGroups(tx store.ReadTx, s ecsdb.Scope, td *ecs.TaskDefinition, lbs []ecs.LoadBalancer) error {
	es := elb.Scope{Region: s.Region, Account: s.Account}
	var use map[string][]string
	for _, lb := range lbs {
		if lb.TargetGroupARN == "" {
			continue
		}
		a, ok := elb.ParseKind(lb.TargetGroupARN, elb.KindTargetGroup)
		tg, found, err := elbdb.TargetGroupByARN(tx, a)
		if err != nil {
			return err
		}
		if !ok || !found || a.Scope != es {
			// Message not confirmed against AWS.
			return fault.Newf(ecs.ErrInvalidParameter, "The target group %s does not exist. Create it with elbv2 create-target-group first.", lb.TargetGroupARN)
		}
		if use == nil {
			if use, err = elbdb.Usage(tx, es); err != nil {
				return err
			}
		}
		if len(use[lb.TargetGroupARN]) == 0 {
			return fault.Newf(ecs.ErrInvalidParameter, "The target group with targetGroupArn %s does not have an associated load balancer.", lb.TargetGroupARN)
		}
		mode := td.NetworkMode.Effective()
		awsvpc := mode == ecs.NetworkModeAWSVPC
		if (tg.TargetType == elb.TargetTypeIP) != awsvpc || (tg.TargetType != elb.TargetTypeIP && tg.TargetType != elb.TargetTypeInstance) {
			return fault.Newf(ecs.ErrInvalidParameter, "The provided target group %s has target type %s, which is incompatible with the %s network mode specified in the task definition.",
				lb.TargetGroupARN, tg.TargetType, mode)
		}
	}
	return nil
}
