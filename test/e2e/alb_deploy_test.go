package e2e

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
)

// albService is a service of the test app behind a load balancer, as the
// ALB lesson builds it: a target group of type ip with a fast health
// check and a short deregistration delay, and a listener forwarding to it.
type albService struct {
	e     *env
	elb   *elbv2.Client
	url   string // the listener, at the load balancer's DNS name
	tgARN string
}

func newALBService(e *env, name string) *albService {
	return newALBServiceOf(e, name, elbtypes.TargetTypeEnumIp)
}

func newALBServiceOf(e *env, name string, targetType elbtypes.TargetTypeEnum) *albService {
	e.t.Helper()
	ctx := context.Background()
	c := elbv2.NewFromConfig(e.srv.AWSConfig("us-east-1"))
	lb, err := c.CreateLoadBalancer(ctx, &elbv2.CreateLoadBalancerInput{Name: aws.String(name + "-alb"), Subnets: []string{"subnet-local"}})
	if err != nil {
		e.t.Fatalf("create load balancer: %v", err)
	}
	tg, err := c.CreateTargetGroup(ctx, &elbv2.CreateTargetGroupInput{
		Name: aws.String(name + "-tg"), Protocol: elbtypes.ProtocolEnumHttp, Port: aws.Int32(8080),
		TargetType: targetType, VpcId: aws.String("vpc-local"),
		HealthCheckPath: aws.String("/health"), HealthCheckIntervalSeconds: aws.Int32(5),
		HealthyThresholdCount: aws.Int32(2), UnhealthyThresholdCount: aws.Int32(2),
	})
	if err != nil {
		e.t.Fatalf("create target group: %v", err)
	}
	tgARN := aws.ToString(tg.TargetGroups[0].TargetGroupArn)
	if _, err := c.ModifyTargetGroupAttributes(ctx, &elbv2.ModifyTargetGroupAttributesInput{TargetGroupArn: aws.String(tgARN),
		Attributes: []elbtypes.TargetGroupAttribute{{Key: aws.String("deregistration_delay.timeout_seconds"), Value: aws.String("2")}}}); err != nil {
		e.t.Fatalf("set deregistration delay: %v", err)
	}
	port := freePort(e.t)
	if _, err := c.CreateListener(ctx, &elbv2.CreateListenerInput{LoadBalancerArn: lb.LoadBalancers[0].LoadBalancerArn,
		Protocol: elbtypes.ProtocolEnumHttp, Port: aws.Int32(int32(port)),
		DefaultActions: []elbtypes.Action{{Type: elbtypes.ActionTypeEnumForward, TargetGroupArn: aws.String(tgARN)}}}); err != nil {
		e.t.Fatalf("create listener: %v", err)
	}
	url := fmt.Sprintf("http://%s:%d/", aws.ToString(lb.LoadBalancers[0].DNSName), port)
	return &albService{e: e, elb: c, url: url, tgARN: tgARN}
}

// create creates the ECS service behind the target group.
func (a *albService) create(name, td string, desired int32, cfg *types.DeploymentConfiguration) {
	a.e.t.Helper()
	_, err := a.e.ecs.CreateService(context.Background(), &ecs.CreateServiceInput{
		Cluster: aws.String(a.e.cluster), ServiceName: aws.String(name), TaskDefinition: aws.String(td),
		DesiredCount: aws.Int32(desired), LaunchType: types.LaunchTypeFargate, DeploymentConfiguration: cfg,
		NetworkConfiguration: &types.NetworkConfiguration{AwsvpcConfiguration: &types.AwsVpcConfiguration{Subnets: []string{"subnet-local"}}},
		LoadBalancers:        []types.LoadBalancer{{TargetGroupArn: aws.String(a.tgARN), ContainerName: aws.String("web"), ContainerPort: aws.Int32(8080)}},
	})
	if err != nil {
		a.e.t.Fatalf("create service: %v", err)
	}
}

// healthyTargets lists the IPs the target group reports healthy.
func (a *albService) healthyTargets() []string {
	a.e.t.Helper()
	out, err := a.elb.DescribeTargetHealth(context.Background(), &elbv2.DescribeTargetHealthInput{TargetGroupArn: aws.String(a.tgARN)})
	if err != nil {
		a.e.t.Fatal(err)
	}
	var ips []string
	for _, d := range out.TargetHealthDescriptions {
		if d.TargetHealth.State == elbtypes.TargetHealthStateEnumHealthy {
			ips = append(ips, aws.ToString(d.Target.Id))
		}
	}
	return ips
}

// load is a steady, bounded stream of requests through the load balancer
// from a few keep-alive clients, recording every outcome.
type load struct {
	stop     chan struct{}
	wg       sync.WaitGroup
	ok, bad  atomic.Int64
	mu       sync.Mutex
	failures []string
	bodies   map[string]int // first line of each 200 reply
}

// startLoad sends about 100 requests/s in all until stopped.
func startLoad(url string, clients int) *load {
	l := &load{stop: make(chan struct{}), bodies: map[string]int{}}
	for range clients {
		l.wg.Add(1)
		go func() {
			defer l.wg.Done()
			c := &http.Client{Timeout: 10 * time.Second}
			tick := time.NewTicker(time.Duration(clients) * 10 * time.Millisecond)
			defer tick.Stop()
			for {
				select {
				case <-l.stop:
					return
				case <-tick.C:
				}
				l.one(c, url)
			}
		}()
	}
	return l
}

func (l *load) one(c *http.Client, url string) {
	res, err := c.Get(url)
	if err != nil {
		l.fail(err.Error())
		return
	}
	b, err := io.ReadAll(res.Body)
	res.Body.Close()
	switch {
	case err != nil:
		l.fail("read body: " + err.Error())
	case res.StatusCode != http.StatusOK:
		l.fail(fmt.Sprintf("status %d: %.80s", res.StatusCode, b))
	default:
		l.ok.Add(1)
		first, _, _ := strings.Cut(string(b), "\n")
		l.mu.Lock()
		l.bodies[first]++
		l.mu.Unlock()
	}
}

func (l *load) fail(msg string) {
	l.bad.Add(1)
	l.mu.Lock()
	if len(l.failures) < 10 {
		l.failures = append(l.failures, time.Now().Format("15:04:05.000")+" "+msg)
	}
	l.mu.Unlock()
}

func (l *load) finish() {
	close(l.stop)
	l.wg.Wait()
}

// waitServing waits until the target group has n healthy targets and the
// load balancer answers.
func (a *albService) waitServing(n int, timeout time.Duration) {
	a.e.t.Helper()
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if len(a.healthyTargets()) == n {
			if code, _ := get(a.e.t, a.url); code == http.StatusOK {
				return
			}
		}
		time.Sleep(250 * time.Millisecond)
	}
	a.e.t.Fatalf("target group has %d healthy targets, want %d", len(a.healthyTargets()), n)
}

// A rolling deployment of a service behind a load balancer drops no
// request: new tasks are registered and healthy before old ones are
// deregistered, and old ones drain before they stop.
func TestALBZeroDowntimeDeployment(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	a := newALBService(e, "zdd")
	v1 := e.register(webTask("zdd", e.testapp, types.KeyValuePair{Name: aws.String("TESTAPP_BODY"), Value: aws.String("version one")}))
	v2 := e.register(webTask("zdd", e.testapp, types.KeyValuePair{Name: aws.String("TESTAPP_BODY"), Value: aws.String("version two")}))
	a.create("zdd", v1, 4, &types.DeploymentConfiguration{MinimumHealthyPercent: aws.Int32(100), MaximumPercent: aws.Int32(200)})
	s := e.waitCompleted("zdd", 90*time.Second)
	if !hasEventPrefix(s, "(service zdd) registered 4 targets in (target-group "+a.tgARN+")") &&
		!hasEventPrefix(s, "(service zdd) registered ") {
		t.Fatalf("no registration event: %s", eventsText(s))
	}
	a.waitServing(4, 30*time.Second)

	l := startLoad(a.url, 4)
	if _, err := e.ecs.UpdateService(ctx, &ecs.UpdateServiceInput{Cluster: aws.String(e.cluster), Service: aws.String("zdd"), TaskDefinition: aws.String(v2)}); err != nil {
		t.Fatal(err)
	}
	s = e.waitCompleted("zdd", 120*time.Second)
	s = e.waitStable("zdd", 60*time.Second)
	time.Sleep(time.Second) // a little traffic after the old tasks are gone
	l.finish()

	if l.bad.Load() != 0 {
		t.Fatalf("%d of %d requests failed during the deployment: %q", l.bad.Load(), l.ok.Load()+l.bad.Load(), l.failures)
	}
	if l.ok.Load() < 200 || l.bodies["version one"] == 0 || l.bodies["version two"] == 0 {
		t.Fatalf("load saw %d replies: %v", l.ok.Load(), l.bodies)
	}
	if aws.ToString(s.TaskDefinition) != v2 || len(a.healthyTargets()) != 4 {
		t.Fatalf("after the deployment: %s with %d healthy targets", aws.ToString(s.TaskDefinition), len(a.healthyTargets()))
	}
	for _, want := range []string{
		"(service zdd) has begun draining connections on ",
		"(service zdd) deregistered ",
		"(service zdd) registered ",
	} {
		if !hasEventPrefix(s, want) {
			t.Fatalf("no %q event: %s", want, eventsText(s))
		}
	}
	for _, tk := range e.serviceTasks("zdd") {
		if aws.ToString(tk.LastStatus) == "RUNNING" && aws.ToString(tk.TaskDefinitionArn) != v2 {
			t.Fatalf("an old task still runs: %s", aws.ToString(tk.TaskArn))
		}
	}
	e.deleteService("zdd")
	if ips := a.healthyTargets(); len(ips) != 0 {
		t.Fatalf("targets left after deleting the service: %v", ips)
	}
}

// A new revision whose targets fail their health checks never receives
// traffic: its tasks are stopped for failing ELB health checks, the
// circuit breaker fails the deployment, and the service rolls back while
// the old tasks keep serving.
func TestALBBrokenRevisionRollsBack(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	a := newALBService(e, "cbr")
	good := e.register(webTask("cbr", e.testapp, types.KeyValuePair{Name: aws.String("TESTAPP_BODY"), Value: aws.String("good")}))
	badDef := webTask("cbr", e.testapp, types.KeyValuePair{Name: aws.String("TESTAPP_BODY"), Value: aws.String("broken")})
	badDef.ContainerDefinitions[0].Command = []string{"-health-status", "404"}
	bad := e.register(badDef)
	a.create("cbr", good, 4, &types.DeploymentConfiguration{MinimumHealthyPercent: aws.Int32(100), MaximumPercent: aws.Int32(200),
		DeploymentCircuitBreaker: &types.DeploymentCircuitBreaker{Enable: true, Rollback: true}})
	s := e.waitCompleted("cbr", 90*time.Second)
	goodID := aws.ToString(s.Deployments[0].Id)
	a.waitServing(4, 30*time.Second)

	l := startLoad(a.url, 4)
	if _, err := e.ecs.UpdateService(ctx, &ecs.UpdateServiceInput{Cluster: aws.String(e.cluster), Service: aws.String("cbr"), TaskDefinition: aws.String(bad)}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(150 * time.Second)
	for time.Now().Before(deadline) {
		s = e.service("cbr")
		if hasEventPrefix(s, "(service cbr) rolling back to deployment "+goodID+".") && len(s.Deployments) == 1 &&
			s.Deployments[0].RolloutState == types.DeploymentRolloutStateCompleted {
			break
		}
		time.Sleep(500 * time.Millisecond)
	}
	l.finish()
	if len(s.Deployments) != 1 || s.Deployments[0].RolloutState != types.DeploymentRolloutStateCompleted || aws.ToString(s.TaskDefinition) != good {
		t.Fatalf("no completed rollback: deployments %+v events %s", s.Deployments, eventsText(s))
	}
	if l.bad.Load() != 0 || l.bodies["broken"] != 0 || l.bodies["good"] == 0 {
		t.Fatalf("traffic during the failed deployment: %d failed (%q), replies %v", l.bad.Load(), l.failures, l.bodies)
	}
	if !strings.Contains(eventsText(s), "is unhealthy in (target-group "+a.tgARN+") due to (reason Health checks failed with these codes: [404]).") {
		t.Fatalf("no unhealthy-target event: %s", eventsText(s))
	}
	stoppedForELB := 0
	for _, tk := range e.serviceTasksDesired("cbr", types.DesiredStatusStopped) {
		if aws.ToString(tk.StoppedReason) == "Task failed ELB health checks in (target-group "+a.tgARN+")" {
			stoppedForELB++
			if aws.ToString(tk.TaskDefinitionArn) != bad {
				t.Fatalf("a good task was stopped for ELB health checks: %s", aws.ToString(tk.TaskArn))
			}
		}
	}
	if stoppedForELB < 3 {
		t.Fatalf("%d tasks stopped for failing ELB health checks, want at least 3 (the breaker's threshold)", stoppedForELB)
	}
	e.deleteService("cbr")
}
