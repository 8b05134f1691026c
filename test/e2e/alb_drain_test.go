package e2e

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
)

// drainDelay is the target group's deregistration delay in the drain
// test: long enough to outlast its slow request (4 s) by a wide margin.
const drainDelay = 8 * time.Second

// A service task behind a load balancer that is to stop is held at
// DEACTIVATING while its target drains: a request already on it runs to
// the end, and only once the deregistration delay has passed does Docker
// stop the container. The test app here exits at once on SIGTERM and cuts
// what it is serving, so stopping the container before the drain ends
// (no hold at DEACTIVATING) fails the request. New requests get the load
// balancer's 503 as soon as the target is deregistered.
func TestALBDrainsInFlightRequests(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	a := newALBService(e, "drain")
	if _, err := a.elb.ModifyTargetGroupAttributes(ctx, &elbv2.ModifyTargetGroupAttributesInput{TargetGroupArn: aws.String(a.tgARN),
		Attributes: []elbtypes.TargetGroupAttribute{{Key: aws.String("deregistration_delay.timeout_seconds"), Value: aws.String(strconv.Itoa(int(drainDelay / time.Second)))}}}); err != nil {
		t.Fatalf("set deregistration delay: %v", err)
	}
	td := e.register(webTask("drain", e.testapp, types.KeyValuePair{Name: aws.String("TESTAPP_EXIT_ON_SIGTERM"), Value: aws.String("true")}))
	a.create("drain", td, 1, nil)
	e.waitCompleted("drain", 60*time.Second)
	a.waitServing(1, 30*time.Second)
	tasks := e.serviceTasks("drain")
	if len(tasks) != 1 {
		t.Fatalf("service runs %d tasks, want 1", len(tasks))
	}
	arn, ip := aws.ToString(tasks[0].TaskArn), taskIP(tasks[0])

	type reply struct {
		status int
		body   string
		err    error
	}
	done := make(chan reply, 1)
	go func() {
		c := &http.Client{Timeout: 15 * time.Second}
		res, err := c.Get(a.url + "sleep?ms=4000")
		if err != nil {
			done <- reply{err: err}
			return
		}
		b, err := io.ReadAll(res.Body)
		res.Body.Close()
		done <- reply{res.StatusCode, string(b), err}
	}()
	time.Sleep(500 * time.Millisecond)
	stopAt := time.Now()
	if _, err := e.ecs.UpdateService(ctx, &ecs.UpdateServiceInput{Cluster: aws.String(e.cluster), Service: aws.String("drain"), DesiredCount: aws.Int32(0)}); err != nil {
		t.Fatal(err)
	}

	// While the request is in flight: the task waits at DEACTIVATING, its
	// target drains, and the load balancer sends new requests nowhere.
	var r reply
	var seen []string // "task status/target state", as they changed
	sawDeactivating, sawDraining, probed := false, false, false
	note := func(s string) {
		if len(seen) == 0 || seen[len(seen)-1] != s {
			seen = append(seen, s)
		}
	}
	deadline := time.After(20 * time.Second)
wait:
	for {
		select {
		case r = <-done:
			break wait
		case <-deadline:
			t.Fatalf("the slow request did not return in 20 s; seen %v", seen)
		case <-time.After(100 * time.Millisecond):
		}
		last, state := aws.ToString(e.describe(arn).LastStatus), a.targetState(ip)
		note(last + "/" + state)
		sawDeactivating = sawDeactivating || last == "DEACTIVATING"
		if state == "draining" {
			sawDraining = true
			if !probed {
				probed = true
				a.wantNoTargets("while the only target drains")
			}
		}
	}
	if r.err != nil || r.status != http.StatusOK || r.body != "slept 4000 ms\n" {
		t.Fatalf("the request in flight when the task was stopped: %d %q %v, want 200 \"slept 4000 ms\"; seen %v", r.status, r.body, r.err, seen)
	}
	replied := time.Now()
	if !sawDeactivating || !sawDraining {
		t.Fatalf("while the request was in flight: DEACTIVATING seen %v, draining seen %v, want both; seen %v", sawDeactivating, sawDraining, seen)
	}
	// The drain outlasts the request: the task still waits for it.
	if last, state := aws.ToString(e.describe(arn).LastStatus), a.targetState(ip); last != "DEACTIVATING" || state != "draining" {
		t.Fatalf("after the request: task %s, target %s, want DEACTIVATING while the target is draining; seen %v", last, state, seen)
	}

	stopped := e.waitStatus(arn, "STOPPED", drainDelay+20*time.Second)
	if at := aws.ToTime(stopped.ExecutionStoppedAt); !at.After(replied.Add(-time.Second)) {
		t.Fatalf("containers stopped at %s, before the request in flight ended at %s", at.Format(time.StampMilli), replied.Format(time.StampMilli))
	}
	t.Logf("the request in flight answered %s after the service was scaled to 0; the container stopped %s after that; task/target seen %v",
		replied.Sub(stopAt).Round(time.Millisecond), aws.ToTime(stopped.ExecutionStoppedAt).Sub(replied).Round(time.Millisecond), seen)
	if len(stopped.Containers) != 1 || aws.ToInt32(stopped.Containers[0].ExitCode) != 0 {
		t.Fatalf("stopped task's containers: %s, want web exit 0", containersText(stopped))
	}
	if state := a.targetState(ip); state != "" {
		t.Fatalf("target still %s after its task stopped", state)
	}
	a.wantNoTargets("after the target was deregistered")
	s := e.service("drain")
	for _, want := range []string{
		"(service drain) has begun draining connections on 1 tasks.",
		"(service drain) deregistered 1 targets in (target-group " + a.tgARN + ")",
	} {
		if !hasEventPrefix(s, want) {
			t.Fatalf("no %q event: %s", want, eventsText(s))
		}
	}
}

// targetState is the state DescribeTargetHealth gives the target with
// the IP ("initial", "healthy", "draining", ...), "" if it is not listed.
func (a *albService) targetState(ip string) string {
	a.e.t.Helper()
	out, err := a.elb.DescribeTargetHealth(context.Background(), &elbv2.DescribeTargetHealthInput{TargetGroupArn: aws.String(a.tgARN)})
	if err != nil {
		a.e.t.Fatal(err)
	}
	for _, d := range out.TargetHealthDescriptions {
		if aws.ToString(d.Target.Id) == ip {
			return string(d.TargetHealth.State)
		}
	}
	return ""
}

// wantNoTargets checks that a request through the load balancer gets its
// answer for a target group with no target to send it to: 503 and ALB's
// error page.
func (a *albService) wantNoTargets(when string) {
	a.e.t.Helper()
	c := &http.Client{Timeout: 5 * time.Second}
	res, err := c.Get(a.url)
	if err != nil {
		a.e.t.Fatalf("GET %s %s: %v", a.url, when, err)
	}
	b, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil || res.StatusCode != http.StatusServiceUnavailable || !strings.Contains(string(b), "503 Service Temporarily Unavailable") {
		a.e.t.Fatalf("GET %s %s: %d %q %v, want ALB's 503", a.url, when, res.StatusCode, b, err)
	}
}
