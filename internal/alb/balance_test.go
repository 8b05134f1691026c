package alb

import (
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
)

// who asks url n times and counts which target (the first body line)
// answered.
func who(t *testing.T, c *http.Client, url string, n int) map[string]int {
	t.Helper()
	count := map[string]int{}
	for range n {
		code, body := get(t, c, url)
		if code != 200 {
			t.Fatalf("GET %s: %d %s", url, code, body)
		}
		first, _, _ := strings.Cut(body, "\n")
		count[first]++
	}
	return count
}

func TestRoundRobinAndHealth(t *testing.T) {
	h := newHarness(t)
	a := h.newALB("rr")
	var addrs []string
	for i := 1; i <= 4; i++ {
		addrs = append(addrs, testapp(t, i, "-body", fmt.Sprintf("target-%d", i)))
	}
	h.register(*a.tg.TargetGroupArn, addrs...)
	got := who(t, http.DefaultClient, a.url+"/", 40)
	for i := 1; i <= 4; i++ {
		if n := got[fmt.Sprintf("target-%d", i)]; n != 10 {
			t.Fatalf("round robin: %v", got)
		}
	}

	// target-1 turns unhealthy (404 on /health): it gets no more requests.
	get(t, http.DefaultClient, "http://"+addrs[0]+"/sethealth?status=404")
	t1 := types.TargetDescription{Id: aws.String("127.0.0.1"), Port: aws.Int32(int32(atoi(strings.Split(addrs[0], ":")[1])))}
	h.waitHealth(*a.tg.TargetGroupArn, types.TargetHealthStateEnumUnhealthy, t1)
	out := must(h.c.DescribeTargetHealth(h.ctx, &elbv2.DescribeTargetHealthInput{TargetGroupArn: a.tg.TargetGroupArn, Targets: []types.TargetDescription{t1}}))
	if th := out.TargetHealthDescriptions[0].TargetHealth; th.Reason != types.TargetHealthReasonEnumResponseCodeMismatch || *th.Description != "Health checks failed with these codes: [404]" {
		t.Fatalf("unhealthy: %+v", th)
	}
	if got := who(t, http.DefaultClient, a.url+"/", 30); got["target-1"] != 0 || len(got) != 3 {
		t.Fatalf("an unhealthy target got traffic: %v", got)
	}
	// All unhealthy: the load balancer fails open to all of them.
	for _, ad := range addrs[1:] {
		get(t, http.DefaultClient, "http://"+ad+"/sethealth?status=500")
	}
	var all []types.TargetDescription
	for _, ad := range addrs {
		all = append(all, types.TargetDescription{Id: aws.String(strings.Split(ad, ":")[0]), Port: aws.Int32(int32(atoi(strings.Split(ad, ":")[1])))})
	}
	h.waitHealth(*a.tg.TargetGroupArn, types.TargetHealthStateEnumUnhealthy, all...)
	if got := who(t, http.DefaultClient, a.url+"/", 40); len(got) != 4 {
		t.Fatalf("fail open: %v", got)
	}
}

func TestLeastOutstandingRequests(t *testing.T) {
	h := newHarness(t)
	a := h.newALB("lor")
	slow, fast := testapp(t, 1, "-body", "slow"), testapp(t, 2, "-body", "fast")
	h.register(*a.tg.TargetGroupArn, slow, fast)
	h.setTGAttr(*a.tg.TargetGroupArn, "load_balancing.algorithm.type", "least_outstanding_requests")
	h.sync()
	// Two long requests occupy... whichever targets they land on; then every
	// quick request goes to the target with fewer outstanding.
	var wg sync.WaitGroup
	started := make(chan string, 1)
	wg.Add(1)
	go func() {
		defer wg.Done()
		resp, err := http.Get(a.url + "/sleep?ms=1500")
		if err == nil {
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			started <- string(b)
		}
	}()
	time.Sleep(200 * time.Millisecond)
	got := who(t, http.DefaultClient, a.url+"/", 10)
	wg.Wait()
	if len(got) != 1 {
		t.Fatalf("least outstanding requests spread quick requests over a busy target: %v", got)
	}
}

func TestWeightsAndStickiness(t *testing.T) {
	h := newHarness(t)
	a := h.newALB("weights")
	blue, green := a.tg, h.newTG("green")
	h.register(*blue.TargetGroupArn, testapp(t, 1, "-body", "blue-1"), testapp(t, 2, "-body", "blue-2"))
	setWeights := func(b, g int32, sticky bool) {
		must(h.c.ModifyListener(h.ctx, &elbv2.ModifyListenerInput{ListenerArn: a.listener.ListenerArn, DefaultActions: []types.Action{{
			Type: types.ActionTypeEnumForward, ForwardConfig: &types.ForwardActionConfig{
				TargetGroups:                []types.TargetGroupTuple{{TargetGroupArn: blue.TargetGroupArn, Weight: aws.Int32(b)}, {TargetGroupArn: green.TargetGroupArn, Weight: aws.Int32(g)}},
				TargetGroupStickinessConfig: &types.TargetGroupStickinessConfig{Enabled: aws.Bool(sticky), DurationSeconds: aws.Int32(60)}}}}}))
		h.sync()
	}
	setWeights(0, 1, false)
	h.register(*green.TargetGroupArn, testapp(t, 3, "-body", "green-1")) // in use now, so checked
	if got := who(t, http.DefaultClient, a.url+"/", 10); got["green-1"] != 10 {
		t.Fatalf("weight 0 got traffic: %v", got)
	}
	setWeights(1, 1, false)
	if got := who(t, http.DefaultClient, a.url+"/", 200); got["green-1"] < 60 || got["green-1"] > 140 {
		t.Fatalf("1:1 weights: %v", got)
	}
	// Target group stickiness: a client with the AWSALBTG cookie stays on
	// its group; target stickiness (AWSALB) keeps it on one target.
	setWeights(1, 1, true)
	h.setTGAttr(*blue.TargetGroupArn, "stickiness.enabled", "true")
	h.setTGAttr(*green.TargetGroupArn, "stickiness.enabled", "true")
	h.sync()
	for range 5 {
		jar, _ := cookiejar.New(nil)
		c := &http.Client{Jar: jar}
		if got := who(t, c, a.url+"/", 12); len(got) != 1 {
			t.Fatalf("a sticky client moved: %v", got)
		}
	}
	resp, err := http.Get(a.url + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	names := map[string]bool{}
	for _, c := range resp.Cookies() {
		names[c.Name] = true
	}
	for _, n := range []string{"AWSALB", "AWSALBCORS", "AWSALBTG", "AWSALBTGCORS"} {
		if !names[n] {
			t.Errorf("no %s cookie: %v", n, resp.Header["Set-Cookie"])
		}
	}
}
