package alb

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
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
)

func describe(addr string) types.TargetDescription {
	host, port, _ := strings.Cut(addr, ":")
	return types.TargetDescription{Id: aws.String(host), Port: aws.Int32(int32(atoi(port)))}
}

type result struct {
	code int
	body string
	err  error
}

func getAsync(url string) chan result {
	ch := make(chan result, 1)
	go func() {
		resp, err := http.Get(url)
		if err != nil {
			ch <- result{err: err}
			return
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		ch <- result{code: resp.StatusCode, body: string(b), err: err}
	}()
	return ch
}

func TestDraining(t *testing.T) {
	h := newHarness(t)
	a := h.newALB("drain")
	h.setTGAttr(*a.tg.TargetGroupArn, "deregistration_delay.timeout_seconds", "3")
	old := testapp(t, 1, "-body", "old")
	h.register(*a.tg.TargetGroupArn, old)
	slow := getAsync(a.url + "/sleep?ms=1500") // lands on old, the only target
	time.Sleep(300 * time.Millisecond)
	cut := getAsync(a.url + "/sleep?ms=6000") // outlives the delay
	time.Sleep(100 * time.Millisecond)
	fresh := testapp(t, 2, "-body", "new")
	h.register(*a.tg.TargetGroupArn, fresh)
	must(h.c.DeregisterTargets(h.ctx, &elbv2.DeregisterTargetsInput{TargetGroupArn: a.tg.TargetGroupArn, Targets: []types.TargetDescription{describe(old)}}))
	h.sync()
	start := time.Now()

	out := must(h.c.DescribeTargetHealth(h.ctx, &elbv2.DescribeTargetHealthInput{TargetGroupArn: a.tg.TargetGroupArn, Targets: []types.TargetDescription{describe(old)}}))
	if th := out.TargetHealthDescriptions[0].TargetHealth; th.State != types.TargetHealthStateEnumDraining {
		t.Fatalf("deregistered target %+v", th)
	}
	// No new requests go to the draining target.
	if got := who(t, http.DefaultClient, a.url+"/", 20); got["new"] != 20 {
		t.Fatalf("requests during draining: %v", got)
	}
	// The request in flight finishes.
	if r := <-slow; r.err != nil || r.code != 200 || r.body != "slept 1500 ms\n" {
		t.Fatalf("in-flight request: %+v", r)
	}
	// After the delay the target is gone, and a request still running on it
	// is cut.
	h.waitHealth(*a.tg.TargetGroupArn, types.TargetHealthStateEnumUnused, describe(old))
	if d := time.Since(start); d < 2500*time.Millisecond {
		t.Fatalf("removed after %v, before the 3 s delay", d)
	}
	select {
	case r := <-cut:
		if r.err == nil && r.code == 200 {
			t.Fatalf("a request outlived its target's removal: %+v", r)
		}
	case <-time.After(4 * time.Second):
		t.Fatal("the request on the removed target still runs")
	}
}

// TestReconfigurationUnderLoad changes listeners, rules, attributes and
// targets while clients keep requests flowing: no request may fail.
func TestReconfigurationUnderLoad(t *testing.T) {
	h := newHarness(t)
	a := h.newALB("live")
	blue, green := a.tg, h.newTG("green")
	h.setTGAttr(*blue.TargetGroupArn, "deregistration_delay.timeout_seconds", "1")
	blueAddrs := []string{testapp(t, 1, "-body", "blue"), testapp(t, 2, "-body", "blue")}
	h.register(*blue.TargetGroupArn, blueAddrs...)
	rule := must(h.c.CreateRule(h.ctx, &elbv2.CreateRuleInput{ListenerArn: a.listener.ListenerArn, Priority: aws.Int32(1),
		Conditions: []types.RuleCondition{{Field: aws.String("path-pattern"), Values: []string{"/green/*"}}}, Actions: forwardTo(*green.TargetGroupArn)})).Rules[0]
	h.register(*green.TargetGroupArn, testapp(t, 3, "-body", "green"), testapp(t, 4, "-body", "green"))

	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Second)
	defer cancel()
	var total, failed atomic.Int64
	var firstErr atomic.Value
	var wg sync.WaitGroup
	tr := &http.Transport{MaxIdleConnsPerHost: 16}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 5 * time.Second}
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ctx.Err() == nil && i < 5000; i++ {
				path := "/"
				if (i+w)%2 == 0 {
					path = "/green/x"
				}
				resp, err := client.Get(a.url + path)
				total.Add(1)
				if err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
				if err != nil || resp.StatusCode != 200 {
					failed.Add(1)
					if err == nil {
						err = fmt.Errorf("status %d on %s", resp.StatusCode, path)
					}
					firstErr.CompareAndSwap(nil, err)
				}
			}
		}()
	}
	// Reconfigure while the load runs.
	extra := testapp(t, 5, "-body", "blue")
	for i := 0; ctx.Err() == nil; i++ {
		tg := blue
		if i%2 == 1 {
			tg = green
		}
		must(h.c.ModifyListener(h.ctx, &elbv2.ModifyListenerInput{ListenerArn: a.listener.ListenerArn, DefaultActions: forwardTo(*tg.TargetGroupArn)}))
		must(h.c.ModifyRule(h.ctx, &elbv2.ModifyRuleInput{RuleArn: rule.RuleArn, Conditions: []types.RuleCondition{
			{Field: aws.String("path-pattern"), Values: []string{"/green/*", fmt.Sprintf("/v%d/*", i)}}}}))
		must(h.c.ModifyLoadBalancerAttributes(h.ctx, &elbv2.ModifyLoadBalancerAttributesInput{LoadBalancerArn: a.lb.LoadBalancerArn,
			Attributes: []types.LoadBalancerAttribute{{Key: aws.String("idle_timeout.timeout_seconds"), Value: aws.String(fmt.Sprint(30 + i%30))}}}))
		// A third blue target comes and goes (draining, then removed).
		if i%4 == 0 {
			must(h.c.RegisterTargets(h.ctx, &elbv2.RegisterTargetsInput{TargetGroupArn: blue.TargetGroupArn, Targets: []types.TargetDescription{describe(extra)}}))
		} else if i%4 == 2 {
			must(h.c.DeregisterTargets(h.ctx, &elbv2.DeregisterTargetsInput{TargetGroupArn: blue.TargetGroupArn, Targets: []types.TargetDescription{describe(extra)}}))
		}
		time.Sleep(50 * time.Millisecond)
	}
	wg.Wait()
	if failed.Load() != 0 || total.Load() < 100 {
		t.Fatalf("%d of %d requests failed; first: %v", failed.Load(), total.Load(), firstErr.Load())
	}
	t.Logf("%d requests, none failed, through reconfiguration", total.Load())
}
