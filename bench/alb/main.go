// Command alb benchmarks Quayside's Application Load Balancer data plane
// against nginx and HAProxy, side by side in one run.
//
// It builds quayside and the test app, runs 4 test apps on loopback as
// targets, and puts three proxies in front of the same 4 targets: a
// Quayside load balancer (one HTTP listener, one target group, configured
// through the ELBv2 API), nginx and HAProxy (keep-alive to the targets,
// round robin). Then, one proxy at a time, with wrk:
//
//	peak      closed loop, -connections connections, -duration: requests/s and latency
//	half      about half of Quayside's peak rate on each proxy and on one target
//	          directly: p99 latency, and what each proxy adds to the target's
//	idle      -idle-conns keep-alive connections left open: the proxy's RSS
//	          growth per connection
//
// A fourth proxy, the standard library's httputil.ReverseProxy
// (bench/alb/refproxy), shows what net/http itself costs.
//
// Every process it starts is stopped when it exits, also on error or
// interrupt; all traffic is on loopback.
//
//	go run ./bench/alb
//	go run ./bench/alb -duration 20s -connections 128
//	go run ./bench/alb -json > results.json
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"syscall"
	"time"
)

type options struct {
	duration    time.Duration
	connections int
	threads     int
	idleConns   int
	quayside    string
	json        bool
}

func main() { os.Exit(run()) }

func run() int {
	var o options
	flag.DurationVar(&o.duration, "duration", 10*time.Second, "length of each measured wrk run")
	flag.IntVar(&o.connections, "connections", 64, "wrk connections in the peak phase")
	flag.IntVar(&o.threads, "threads", runtime.NumCPU(), "wrk threads (and nginx workers / HAProxy threads: one per CPU)")
	flag.IntVar(&o.idleConns, "idle-conns", 10000, "keep-alive connections held open in the idle phase (0 skips it)")
	flag.StringVar(&o.quayside, "quayside", "", "quayside binary; empty builds ./cmd/quayside")
	flag.BoolVar(&o.json, "json", false, "print the report as JSON")
	flag.Parse()
	if _, err := exec.LookPath("wrk"); err != nil {
		fmt.Fprintln(os.Stderr, "alb: wrk is not installed (apt-get install -y wrk)")
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	rep, err := bench(ctx, o)
	if rep != nil {
		rep.Goals = goals(rep)
		if o.json {
			enc := json.NewEncoder(os.Stdout)
			enc.SetIndent("", "  ")
			_ = enc.Encode(rep)
		} else {
			rep.print(os.Stdout)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "alb:", err)
		return 1
	}
	return 0
}

// report is everything one run measured.
type report struct {
	CPUs        int                   `json:"cpus"`
	Duration    string                `json:"duration"`
	Connections int                   `json:"connections"`
	Peak        map[string]wrkResult  `json:"peak"`
	HalfRate    float64               `json:"half_rate"`
	Half        map[string]wrkResult  `json:"half"`
	Idle        map[string]idleResult `json:"idle"`
	Goals       []goal                `json:"goals"`
}

// The proxies measured, in order, and the direct baseline. "go-stdlib"
// is httputil.ReverseProxy (bench/alb/refproxy): what net/http alone
// costs.
var proxies = []string{"quayside", "nginx", "haproxy", "go-stdlib"}

const direct = "direct"

func bench(ctx context.Context, o options) (*report, error) {
	dir, err := os.MkdirTemp("", "bench-alb-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	files, err := raiseFileLimit()
	if err != nil {
		return nil, fmt.Errorf("raise the open files limit: %w", err)
	}
	haproxyMax := int(min(files, 1<<20)/2 - 100)
	ps := &procs{}
	defer ps.stopAll()
	go func() { <-ctx.Done(); ps.stopAll() }()

	logf("building quayside and the test app")
	qbin := o.quayside
	if qbin == "" {
		if qbin, err = build(dir, "./cmd/quayside", "quayside"); err != nil {
			return nil, err
		}
	}
	tbin, err := build(dir, "./testapp", "testapp")
	if err != nil {
		return nil, err
	}
	targets, err := startTargets(ps, dir, tbin, 4)
	if err != nil {
		return nil, err
	}
	logf("targets: %v", targets)
	procByName := map[string]*proc{}
	urls := map[string]string{direct: "http://" + targets[0] + "/"}
	if procByName["quayside"], urls["quayside"], err = startQuayside(ctx, ps, dir, qbin, targets); err != nil {
		return nil, fmt.Errorf("quayside: %w", err)
	}
	if procByName["nginx"], urls["nginx"], err = startNginx(ps, dir, targets); err != nil {
		return nil, err
	}
	if procByName["haproxy"], urls["haproxy"], err = startHAProxy(ps, dir, targets, o.threads, haproxyMax); err != nil {
		return nil, err
	}
	if procByName["go-stdlib"], urls["go-stdlib"], err = startRefProxy(ps, dir, targets); err != nil {
		return nil, err
	}
	logf("proxies: %v", urls)

	rep := &report{CPUs: runtime.NumCPU(), Duration: o.duration.String(), Connections: o.connections,
		Peak: map[string]wrkResult{}, Half: map[string]wrkResult{}, Idle: map[string]idleResult{}}
	for _, name := range append(proxies, direct) {
		// A short warm-up fills the keep-alive pools.
		if _, err := (wrkRun{url: urls[name], threads: o.threads, connections: o.connections, duration: time.Second}).run(ctx, dir); err != nil {
			return rep, err
		}
		var cpu0 time.Duration
		if p := procByName[name]; p != nil {
			cpu0 = p.cpu()
		}
		r, err := wrkRun{url: urls[name], threads: o.threads, connections: o.connections, duration: o.duration}.run(ctx, dir)
		if err != nil {
			return rep, err
		}
		if p := procByName[name]; p != nil && r.Requests > 0 {
			r.CPUPerReq = float64((p.cpu() - cpu0).Microseconds()) / float64(r.Requests)
		}
		rep.Peak[name] = r
		logf("peak %-8s %8.0f req/s  p50 %.3f ms  p99 %.3f ms  errors %d  cpu %.1f µs/req", name, r.RPS, r.P50ms, r.P99ms, r.Errors, r.CPUPerReq)
	}
	rep.HalfRate = rep.Peak["quayside"].RPS / 2
	for _, name := range append(proxies, direct) {
		r, err := atRate(ctx, dir, urls[name], o.threads, rep.HalfRate, o.duration)
		if err != nil {
			return rep, err
		}
		rep.Half[name] = r
		logf("half %-8s %8.0f req/s  p50 %.3f ms  p99 %.3f ms  errors %d", name, r.RPS, r.P50ms, r.P99ms, r.Errors)
	}
	if o.idleConns > 0 {
		for _, name := range proxies {
			n := o.idleConns
			if name == "haproxy" {
				n = min(n, haproxyMax-100) // its maxconn, under the open files limit
			}
			r, err := idleConnections(procByName[name], urls[name], n)
			if err != nil {
				return rep, fmt.Errorf("%s idle connections: %w", name, err)
			}
			rep.Idle[name] = r
			logf("idle %-8s %d connections: %.0f bytes each", name, r.Connections, r.PerConn)
		}
	}
	return rep, ctx.Err()
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "alb: "+format+"\n", args...)
}
