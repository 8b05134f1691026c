package alb

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/quayside/quayside/internal/edge"
	"github.com/quayside/quayside/internal/elb"
	"github.com/quayside/quayside/internal/elb/elbapi"
	"github.com/quayside/quayside/internal/elb/elbdb"
	"github.com/quayside/quayside/internal/store"
	"github.com/quayside/quayside/internal/store/boltstore"
)

// testappBin is the test app, built once for the package.
var testappBin string

// testGeneralOnly turns the fast path off in new harnesses (TestGeneralPath).
var testGeneralOnly bool

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "alb-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	testappBin = filepath.Join(dir, "testapp")
	out, err := exec.Command("go", "build", "-o", testappBin, "github.com/quayside/quayside/testapp").CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "build testapp: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// harness is a store, the ELBv2 API over it, a client, and a running data
// plane, all in this process. Its load balancers get addresses from
// 127.2.0.0/16, apart from other test packages' 127.1.0.0/16.
type harness struct {
	t     testing.TB
	ctx   context.Context
	st    store.Store
	plane *Plane
	c     *elbv2.Client
}

type harnessOptions struct {
	plane    Options
	interval time.Duration // default health check interval; default 1 s
}

func newHarness(t testing.TB, opts ...func(*harnessOptions)) *harness {
	t.Helper()
	o := harnessOptions{interval: time.Second}
	for _, f := range opts {
		f(&o)
	}
	st, err := boltstore.Open(filepath.Join(t.TempDir(), "quayside.db"), boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	pool, _ := elb.NewAddressPool("127.2.0.0/16")
	api := elbapi.New(st, elbapi.Options{Addresses: &pool, HealthCheckInterval: o.interval})
	log := slog.New(slog.DiscardHandler)
	if os.Getenv("QUAYSIDE_TEST_LOG") != "" {
		log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	o.plane.Store, o.plane.Log = st, log
	o.plane.generalOnly = o.plane.generalOnly || testGeneralOnly
	plane := New(o.plane)
	api.SetStatus(plane)
	router := edge.New(log, "us-east-1", "test")
	router.AddQuery(api.Service())
	hs := httptest.NewServer(router)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	reaper := &elbdb.Reaper{Store: st}
	wg.Add(2)
	go func() { defer wg.Done(); plane.Run(ctx) }()
	go func() { defer wg.Done(); reaper.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		wg.Wait()
		hs.Close()
		st.Close()
	})
	cfg := aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""),
		BaseEndpoint: aws.String(hs.URL), RetryMaxAttempts: 1}
	return &harness{t: t, ctx: context.Background(), st: st, plane: plane, c: elbv2.NewFromConfig(cfg)}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(fmt.Sprintf("unexpected error: %v", err))
	}
	return v
}

// sync waits until the data plane serves everything written so far.
func (h *harness) sync() {
	h.t.Helper()
	ctx, cancel := context.WithTimeout(h.ctx, 10*time.Second)
	defer cancel()
	if err := h.plane.Sync(ctx); err != nil {
		h.t.Fatal(err)
	}
}

// alb is one load balancer with one HTTP listener whose default action
// forwards to one target group.
type alb struct {
	lb       types.LoadBalancer
	tg       types.TargetGroup
	listener types.Listener
	url      string // http://<DNSName>:<port>
}

// newALB creates a load balancer, an ip target group (port 80) and a
// listener on a free port that forwards to it.
func (h *harness) newALB(name string) *alb {
	h.t.Helper()
	lb := must(h.c.CreateLoadBalancer(h.ctx, &elbv2.CreateLoadBalancerInput{Name: aws.String(name), Subnets: []string{"subnet-local"}})).LoadBalancers[0]
	tg := h.newTG(name + "-tg")
	port := freePort(h.t, *lb.DNSName)
	l := must(h.c.CreateListener(h.ctx, &elbv2.CreateListenerInput{LoadBalancerArn: lb.LoadBalancerArn, Protocol: types.ProtocolEnumHttp,
		Port: aws.Int32(int32(port)), DefaultActions: forwardTo(*tg.TargetGroupArn)})).Listeners[0]
	h.sync()
	return &alb{lb: lb, tg: tg, listener: l, url: "http://" + net.JoinHostPort(*lb.DNSName, strconv.Itoa(port))}
}

func (h *harness) newTG(name string) types.TargetGroup {
	h.t.Helper()
	return must(h.c.CreateTargetGroup(h.ctx, &elbv2.CreateTargetGroupInput{Name: aws.String(name), Protocol: types.ProtocolEnumHttp,
		Port: aws.Int32(80), VpcId: aws.String("vpc-local"), TargetType: types.TargetTypeEnumIp, HealthCheckPath: aws.String("/health")})).TargetGroups[0]
}

func forwardTo(tgARN string) []types.Action {
	return []types.Action{{Type: types.ActionTypeEnumForward, TargetGroupArn: aws.String(tgARN)}}
}

// register registers "ip:port" targets and waits until each is healthy.
func (h *harness) register(tgARN string, addrs ...string) {
	h.t.Helper()
	var ts []types.TargetDescription
	for _, a := range addrs {
		host, port, _ := net.SplitHostPort(a)
		p, _ := strconv.Atoi(port)
		ts = append(ts, types.TargetDescription{Id: aws.String(host), Port: aws.Int32(int32(p))})
	}
	must(h.c.RegisterTargets(h.ctx, &elbv2.RegisterTargetsInput{TargetGroupArn: aws.String(tgARN), Targets: ts}))
	h.waitHealth(tgARN, types.TargetHealthStateEnumHealthy, ts...)
}

// waitHealth waits until every given target is in state.
func (h *harness) waitHealth(tgARN string, state types.TargetHealthStateEnum, ts ...types.TargetDescription) {
	h.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		out := must(h.c.DescribeTargetHealth(h.ctx, &elbv2.DescribeTargetHealthInput{TargetGroupArn: aws.String(tgARN), Targets: ts}))
		ok := true
		for _, d := range out.TargetHealthDescriptions {
			ok = ok && d.TargetHealth.State == state
		}
		if ok {
			h.sync()
			return
		}
		if time.Now().After(deadline) {
			h.t.Fatalf("targets did not become %s: %+v", state, out.TargetHealthDescriptions[0].TargetHealth)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (h *harness) setTGAttr(tgARN, key, value string) {
	h.t.Helper()
	must(h.c.ModifyTargetGroupAttributes(h.ctx, &elbv2.ModifyTargetGroupAttributesInput{TargetGroupArn: aws.String(tgARN),
		Attributes: []types.TargetGroupAttribute{{Key: aws.String(key), Value: aws.String(value)}}}))
}

func (h *harness) setLBAttr(lbARN, key, value string) {
	h.t.Helper()
	must(h.c.ModifyLoadBalancerAttributes(h.ctx, &elbv2.ModifyLoadBalancerAttributesInput{LoadBalancerArn: aws.String(lbARN),
		Attributes: []types.LoadBalancerAttribute{{Key: aws.String(key), Value: aws.String(value)}}}))
	h.sync()
}

// freePort returns a port free on host now.
func freePort(t testing.TB, host string) int {
	t.Helper()
	ln, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// testapp runs the test app on a free port with the given flags until the
// test ends, and returns the address to register: 127.0.0.<n>:<port>.
func testapp(t testing.TB, n int, args ...string) string {
	t.Helper()
	port := freePort(t, "127.0.0.1")
	cmd := exec.Command(testappBin, append([]string{"-port", strconv.Itoa(port)}, args...)...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	ready := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if strings.Contains(sc.Text(), "listening on") {
				close(ready)
				break
			}
		}
		io.Copy(io.Discard, out)
	}()
	select {
	case <-ready:
	case <-time.After(10 * time.Second):
		t.Fatal("testapp did not start")
	}
	return net.JoinHostPort(fmt.Sprintf("127.0.0.%d", n), strconv.Itoa(port))
}

// target runs an HTTP handler on 127.0.0.1 and returns its address.
func target(t testing.TB, h http.HandlerFunc) string {
	t.Helper()
	s := httptest.NewServer(h)
	t.Cleanup(s.Close)
	return strings.TrimPrefix(s.URL, "http://")
}

// get fetches url with a fresh client and returns status and body.
func get(t *testing.T, c *http.Client, url string) (int, string) {
	t.Helper()
	resp, err := c.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}
