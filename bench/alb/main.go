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
//	wire      the same rate with numbered requests under a loopback capture
//	          (tcpdump): what each proxy added to each request, from the
//	          segments on both of its sides (see wire.go)
//	idle      -idle-conns keep-alive connections left open: the proxy's RSS
//	          growth per connection
//
// With -pin, the proxy under measurement runs on CPUs of its own (the upper
// half; one of two) and wrk, the targets and tcpdump on the others, with
// one nginx worker or HAProxy thread per proxy CPU.
//
// The peak and half phases run in -rounds rounds, each round measuring
// every proxy (in a rotated order) and the target directly, so that a
// machine busy with other work weighs on all of them alike; the report
// gives the medians over the rounds, and each ratio to nginx (and each
// added p99) is taken within a round before its median is.
//
// A fourth proxy, the standard library's httputil.ReverseProxy
// (bench/alb/refproxy), shows what net/http itself costs.
//
// Every process it starts is stopped when it exits, also on error or
// interrupt; all traffic is on loopback.
//
//	go run ./bench/alb
//	go run ./bench/alb -duration 20s -connections 128 -rounds 5
//	go run ./bench/alb -proxies quayside,nginx -phases peak
//	go run ./bench/alb -pin -phases peak,half,wire
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
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/quayside/quayside/bench/internal/benchproc"
)

type options struct {
	duration    time.Duration
	connections int
	threads     int
	idleConns   int
	rounds      int
	proxies     []string
	phases      []string
	quayside    string
	json        bool
	pin         bool
	shield      bool
	rate        float64
	wireDump    string
}

func main() { os.Exit(run()) }

func run() int {
	var o options
	flag.DurationVar(&o.duration, "duration", 10*time.Second, "length of each measured wrk run")
	flag.IntVar(&o.connections, "connections", 64, "wrk connections in the peak phase")
	flag.IntVar(&o.threads, "threads", runtime.NumCPU(), "wrk threads (and nginx workers / HAProxy threads: one per CPU)")
	flag.IntVar(&o.idleConns, "idle-conns", 10000, "keep-alive connections held open in the idle phase (0 skips it)")
	flag.IntVar(&o.rounds, "rounds", 3, "rounds of the peak and half phases")
	proxyList := flag.String("proxies", strings.Join(allProxies, ","), "proxies to measure (quayside always is)")
	phaseList := flag.String("phases", "peak,half,wire,idle", "phases to run (half and wire need peak, or -rate)")
	flag.Float64Var(&o.rate, "rate", 0, "requests/s for the half and wire phases (0: half of Quayside's peak)")
	flag.StringVar(&o.quayside, "quayside", "", "quayside binary; empty builds ./cmd/quayside")
	flag.BoolVar(&o.json, "json", false, "print the report as JSON")
	flag.StringVar(&o.wireDump, "wire-dump", "", "directory to write each wire run's requests to, as CSV (see wire.go's dumpWire)")
	flag.BoolVar(&o.pin, "pin", false, "give the proxy under measurement CPUs of its own (the upper half), wrk and the targets the others")
	flag.BoolVar(&o.shield, "shield", false, "with -pin: also move every other movable thread of the machine (other programs', the kernel's) off the proxy's CPUs for the run, and back after")
	flag.Parse()
	if o.shield && !o.pin {
		fmt.Fprintln(os.Stderr, "alb: -shield needs -pin")
		return 2
	}
	o.proxies = []string{"quayside"}
	for _, p := range strings.Split(*proxyList, ",") {
		if !slices.Contains(allProxies, p) {
			fmt.Fprintf(os.Stderr, "alb: unknown proxy %q (known: %s)\n", p, strings.Join(allProxies, ", "))
			return 2
		}
		if !slices.Contains(o.proxies, p) {
			o.proxies = append(o.proxies, p)
		}
	}
	o.phases = strings.Split(*phaseList, ",")
	if o.idleConns <= 0 {
		o.phases = slices.DeleteFunc(o.phases, func(p string) bool { return p == "idle" })
	}
	o.rounds = max(o.rounds, 1)
	if _, err := exec.LookPath("wrk"); err != nil {
		fmt.Fprintln(os.Stderr, "alb: wrk is not installed (apt-get install -y wrk)")
		return 2
	}
	if slices.Contains(o.phases, "wire") {
		if err := checkTcpdump(); err != nil {
			fmt.Fprintln(os.Stderr, "alb:", err)
			return 2
		}
	}
	if o.pin {
		if err := checkTaskset(); err != nil {
			fmt.Fprintln(os.Stderr, "alb:", err)
			return 2
		}
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
	CPUs        int    `json:"cpus"`
	Duration    string `json:"duration"`
	Connections int    `json:"connections"`
	Rounds      int    `json:"rounds"`
	// ProxyCPUs and LoadCPUs are the CPUs the proxies, and wrk with the
	// targets, were pinned to (-pin); empty when nothing was pinned.
	ProxyCPUs []int    `json:"proxy_cpus,omitempty"`
	LoadCPUs  []int    `json:"load_cpus,omitempty"`
	Proxies   []string `json:"proxies"`
	// Peak and Half are the medians over the rounds of each proxy's
	// results; PeakRounds and HalfRounds are every round's.
	Peak       map[string]wrkResult   `json:"peak"`
	PeakRounds []map[string]wrkResult `json:"peak_rounds"`
	// VsNginx is the median over the rounds of each proxy's requests/s
	// divided by nginx's in the same round.
	VsNginx    map[string]float64     `json:"peak_vs_nginx,omitempty"`
	HalfRate   float64                `json:"half_rate"`
	Half       map[string]wrkResult   `json:"half"`
	HalfRounds []map[string]wrkResult `json:"half_rounds"`
	// AddedP99 is the median over the rounds of each proxy's p99 minus
	// the direct run's p99 in the same round, in ms.
	AddedP99 map[string]float64 `json:"added_p99_ms"`
	// WireRate is the wire phase's rate; Wire the medians over its
	// rounds of what each proxy added per request, measured on the wire
	// (see wire.go); WireRounds every round's.
	WireRate   float64                 `json:"wire_rate,omitempty"`
	Wire       map[string]wireResult   `json:"wire,omitempty"`
	WireRounds []map[string]wireResult `json:"wire_rounds,omitempty"`
	Idle       map[string]idleResult   `json:"idle"`
	Goals      []goal                  `json:"goals"`
}

// The proxies there are, in order, and the direct baseline. "go-stdlib"
// is httputil.ReverseProxy (bench/alb/refproxy): what net/http alone
// costs.
var allProxies = []string{"quayside", "nginx", "haproxy", "go-stdlib"}

const direct = "direct"

// setup is what the phases run against.
type setup struct {
	o          options
	dir        string
	urls       map[string]string
	targets    []string // host:port
	procs      map[string]*benchproc.Proc
	haproxyMax int // HAProxy's maxconn
	cpus       cpus
	// proxyThreads is nginx's workers and HAProxy's threads; wrkThreads
	// wrk's threads.
	proxyThreads, wrkThreads int
}

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
	ps := &benchproc.Group{}
	defer ps.StopAll(time.Second)
	go func() { <-ctx.Done(); ps.StopAll(time.Second) }()

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
	c := cpus{}
	if o.pin {
		c = split(runtime.NumCPU())
		// Before anything is started: what starts later inherits the
		// affinity of the thread that starts it.
		restore, moved := moveOff(c, o.shield)
		defer restore()
		if o.shield {
			logf("shield: moved %d threads off CPU %s for the run", moved, cpuList(c.proxy))
		}
	}
	targets, err := startTargets(ps, dir, tbin, 4, c.load)
	if err != nil {
		return nil, err
	}
	logf("targets: %v", targets)
	s := &setup{o: o, dir: dir, targets: targets, procs: map[string]*benchproc.Proc{}, urls: map[string]string{direct: "http://" + targets[0] + "/"},
		haproxyMax: int(min(files, 1<<20)/2 - 100), cpus: c, proxyThreads: o.threads, wrkThreads: o.threads}
	if o.pin && len(c.proxy) > 0 {
		s.proxyThreads, s.wrkThreads = len(c.proxy), len(c.load)
	}
	for _, name := range o.proxies {
		var p *benchproc.Proc
		var url string
		switch name {
		case "quayside":
			p, url, err = startQuayside(ctx, ps, dir, qbin, targets, c.proxy)
		case "nginx":
			p, url, err = startNginx(ps, dir, targets, s.proxyThreads, c.proxy)
		case "haproxy":
			p, url, err = startHAProxy(ps, dir, targets, s.proxyThreads, s.haproxyMax, c.proxy)
		case "go-stdlib":
			p, url, err = startRefProxy(ps, dir, targets, c.proxy)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		s.procs[name], s.urls[name] = p, url
	}
	logf("proxies: %v", s.urls)

	rep := &report{CPUs: runtime.NumCPU(), Duration: o.duration.String(), Connections: o.connections, Rounds: o.rounds,
		Proxies: o.proxies, Idle: map[string]idleResult{}, ProxyCPUs: c.proxy, LoadCPUs: c.load}
	if slices.Contains(o.phases, "peak") {
		if err := s.peak(ctx, rep); err != nil {
			return rep, err
		}
	}
	if slices.Contains(o.phases, "peak") || o.rate > 0 {
		if slices.Contains(o.phases, "half") {
			if err := s.half(ctx, rep); err != nil {
				return rep, err
			}
		}
		if slices.Contains(o.phases, "wire") {
			if err := s.wire(ctx, rep); err != nil {
				return rep, err
			}
		}
	}
	if slices.Contains(o.phases, "idle") {
		if err := s.idle(rep); err != nil {
			return rep, err
		}
	}
	return rep, ctx.Err()
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "alb: "+format+"\n", args...)
}
