package ecsapi_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/quayside/quayside/internal/ecs/ecsdb"
	"github.com/quayside/quayside/internal/elb"
	"github.com/quayside/quayside/internal/elb/elbdb"
	"github.com/quayside/quayside/internal/store"
)

// putTargetGroup writes an ELBv2 target group straight into the store
// and, when attached, a load balancer whose listener forwards to it. It
// returns the target group's ARN.
func putTargetGroup(t *testing.T, api *apiServer, name, targetType string, attached bool) string {
	t.Helper()
	es := elb.Scope{Region: "us-east-1", Account: testAccount}
	tgARN := fmt.Sprintf("arn:aws:elasticloadbalancing:us-east-1:%s:targetgroup/%s/0123456789abcdef", testAccount, name)
	lbARN := fmt.Sprintf("arn:aws:elasticloadbalancing:us-east-1:%s:loadbalancer/app/%s-alb/0123456789abcdef", testAccount, name)
	api.put(t, func(tx store.Tx, _ ecsdb.Scope) error {
		tg := elb.TargetGroup{Name: name, ID: "0123456789abcdef", ARN: tgARN, Protocol: "HTTP", Port: 80, TargetType: targetType}
		if err := elbdb.PutTargetGroup(tx, es, tg); err != nil || !attached {
			return err
		}
		lb := elb.LoadBalancer{Name: name + "-alb", ID: "0123456789abcdef", ARN: lbARN}
		if err := elbdb.PutLoadBalancer(tx, es, lb); err != nil {
			return err
		}
		return elbdb.PutListener(tx, elb.Listener{ID: "fedcba9876543210", ARN: lbARN[:len(lbARN)-len("loadbalancer/app/"+name+"-alb/0123456789abcdef")] + "listener/app/" + name + "-alb/0123456789abcdef/fedcba9876543210",
			LoadBalancerARN: lbARN, Port: 80, Protocol: "HTTP",
			DefaultActions: []elb.Action{{Type: elb.ActionForward, Order: 1, Forward: &elb.ForwardConfig{TargetGroups: []elb.WeightedTargetGroup{{ARN: tgARN, Weight: 1}}}}}})
	})
	return tgARN
}

func TestServiceTargetGroupsValidated(t *testing.T) {
	api := startAPI(t, apiOptions{})
	c := api.Client
	mustCreateCluster(t, c, "prod")
	mustRegister(t, c, fargateWeb("web"))
	detached := putTargetGroup(t, api, "lonely", "ip", false)
	instance := putTargetGroup(t, api, "hosts", "instance", true)
	missing := fmt.Sprintf("arn:aws:elasticloadbalancing:us-east-1:%s:targetgroup/nope/0123456789abcdef", testAccount)
	cases := []struct{ tg, msg string }{
		{detached, "The target group with targetGroupArn " + detached + " does not have an associated load balancer."},
		{instance, "The provided target group " + instance + " has target type instance, which is incompatible with the awsvpc network mode specified in the task definition."},
		{missing, "The target group " + missing + " does not exist. Create it with elbv2 create-target-group first."},
	}
	for _, tc := range cases {
		in := fargateService("prod", "api", "web")
		in.LoadBalancers = []types.LoadBalancer{{TargetGroupArn: aws.String(tc.tg), ContainerName: aws.String("web"), ContainerPort: aws.Int32(80)}}
		_, err := c.CreateService(context.Background(), in)
		wantAPIError(t, err, "InvalidParameterException", tc.msg)
	}
}

// tgARN names a target group that the checks before ELBv2's reject
// first.
const tgARN = "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/web/0123456789abcdef"
