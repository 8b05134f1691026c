package main

import (
	"bufio"
	"cmp"
	"context"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// The wire phase measures what a proxy adds to each request from a packet
// capture of loopback (tcpdump): a request's segment from wrk to the
// proxy and the proxy's segment carrying it to a target, then the
// target's first answering segment and the proxy's first to wrk. The
// kernel stamps each segment as its sender's write hands it to the
// device, so the two differences are the time the proxy held the request
// and the answer, its own wake-ups and queueing included, and nothing of
// wrk's or the targets' (which the end-to-end p99s of the half phase
// mix in). Every proxy is measured the same way in the same run.

// wireWarmup is the start of each captured run left out of the measure
// (see proxyAdded).
const wireWarmup = 500 * time.Millisecond

// checkTcpdump reports whether tcpdump is there and may capture.
func checkTcpdump() error {
	if _, err := exec.LookPath("tcpdump"); err != nil {
		return fmt.Errorf("the wire phase needs tcpdump (apt-get install -y tcpdump), or leave it out with -phases")
	}
	return nil
}

// wire runs, per round, each proxy at the half phase's rate with numbered
// requests under a capture, and matches the two sides of every request.
func (s *setup) wire(ctx context.Context, rep *report) error {
	o := s.o
	rep.WireRate = s.rate(rep)
	var targets []endpoint
	for _, t := range s.targets {
		e, err := parseEndpoint(t)
		if err != nil {
			return err
		}
		targets = append(targets, e)
	}
	for i := range o.rounds {
		round := map[string]wireResult{}
		for _, name := range order(o.proxies, i)[:len(o.proxies)] {
			u, err := url.Parse(s.urls[name])
			if err != nil {
				return err
			}
			front, err := parseEndpoint(u.Host)
			if err != nil {
				return err
			}
			w, err := atRate(ctx, s.dir, s.urls[name], s.wrkThreads, s.cpus.load, rep.WireRate, o.duration, true)
			if err != nil {
				return err
			}
			cpu := s.cpuMeter(name)
			r, err := s.captured(ctx, fmt.Sprintf("%s-%d", name, i+1), w, front, targets)
			if err != nil {
				return fmt.Errorf("wire %s: %w", name, err)
			}
			r.CPUPerReq = cpu(r.Requests)
			round[name] = r
			logf("wire %d/%d %-9s %8.0f req/s  %d matched  added p50 %.3f ms  p99 %.3f ms  p99.9 %.3f ms  (target p99 %.3f ms, dropped %d)  cpu %.1f µs/req  steal %.0f ms",
				i+1, o.rounds, name, r.RPS, r.Matched, r.AddedP50ms, r.AddedP99ms, r.AddedP999ms, r.TargetP99ms, r.Dropped, r.CPUPerReq, r.StealMs)
		}
		rep.WireRounds = append(rep.WireRounds, round)
	}
	rep.Wire = map[string]wireResult{}
	for _, name := range o.proxies {
		rep.Wire[name] = wireMedians(rep.WireRounds, name)
	}
	return nil
}

// captured runs w under a capture of the proxy's front and the targets,
// and matches the capture.
func (s *setup) captured(ctx context.Context, name string, w wrkRun, front endpoint, targets []endpoint) (wireResult, error) {
	file := filepath.Join(s.dir, "wire-"+name+".pcap")
	defer os.Remove(file)
	ports := []string{"port " + strconv.Itoa(int(front.port))}
	for _, t := range targets {
		ports = append(ports, "port "+strconv.Itoa(int(t.port)))
	}
	// Only segments with a payload: IP length - IP header - TCP header.
	filter := "tcp and (" + strings.Join(ports, " or ") + ") and (((ip[2:2] - ((ip[0]&0xf)<<2)) - ((tcp[12]&0xf0)>>2)) != 0)"
	argv := pinned(s.cpus.load, "tcpdump", "-i", "lo", "-n", "-s", "160", "-B", "262144", "--time-stamp-precision=nano", "-w", file, filter)
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return wireResult{}, err
	}
	if err := cmd.Start(); err != nil {
		return wireResult{}, err
	}
	lines := bufio.NewScanner(stderr)
	ready := make(chan error, 1)
	var tail []string
	done := make(chan struct{})
	go func() {
		defer close(done)
		sent := false
		for lines.Scan() {
			tail = append(tail, lines.Text())
			if !sent && strings.Contains(lines.Text(), "listening on") {
				ready <- nil
				sent = true
			}
		}
		if !sent {
			ready <- fmt.Errorf("tcpdump did not start: %s", strings.Join(tail, "; "))
		}
	}()
	select {
	case err := <-ready:
		if err != nil {
			cmd.Wait()
			return wireResult{}, err
		}
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		cmd.Wait()
		return wireResult{}, fmt.Errorf("tcpdump did not start in 10 s")
	}
	time.Sleep(200 * time.Millisecond) // the filter is attached before "listening on"; let it settle
	steal := stealMeter(s.cpus.proxy)
	wr, runErr := w.run(ctx, s.dir)
	stolen := steal()
	cmd.Process.Signal(syscall.SIGINT)
	<-done
	cmd.Wait()
	if runErr != nil {
		return wireResult{}, runErr
	}
	f, err := os.Open(file)
	if err != nil {
		return wireResult{}, err
	}
	defer f.Close()
	pkts, err := readPcap(f)
	if err != nil {
		return wireResult{}, err
	}
	c, u := wireSides(pkts, front, targets)
	if s.o.wireDump != "" {
		if err := dumpWire(filepath.Join(s.o.wireDump, "wire-"+name+".csv"), c, u); err != nil {
			return wireResult{}, err
		}
	}
	r := proxyAdded(c, u, wireWarmup)
	r.RPS, r.Requests = wr.RPS, wr.Requests
	r.StealMs = float64(stolen.Microseconds()) / 1000
	r.Dropped = droppedPackets(tail)
	if r.Matched < wr.Requests/2 {
		return r, fmt.Errorf("only %d of %d requests seen on both sides of the proxy (%d packets captured, %d dropped)",
			r.Matched, wr.Requests, len(pkts), r.Dropped)
	}
	return r, nil
}

var reDropped = regexp.MustCompile(`(\d+) packets dropped by kernel`)

// droppedPackets reads tcpdump's closing statistics.
func droppedPackets(stderr []string) int {
	for _, l := range stderr {
		if m := reDropped.FindStringSubmatch(l); m != nil {
			n, _ := strconv.Atoi(m[1])
			return n
		}
	}
	return 0
}

// parseEndpoint reads host:port with an IPv4 host.
func parseEndpoint(hostport string) (endpoint, error) {
	h, p, err := net.SplitHostPort(hostport)
	if err != nil {
		return endpoint{}, err
	}
	ip := net.ParseIP(h).To4()
	n, err := strconv.Atoi(p)
	if ip == nil || err != nil || n < 1 || n > 65535 {
		return endpoint{}, fmt.Errorf("%q is not an IPv4 address and port", hostport)
	}
	return endpoint{ip: [4]byte(ip), port: uint16(n)}, nil
}

// wireMedians is one proxy's wire measures, each the median over the
// rounds; the counts and the stolen time are summed.
func wireMedians(rounds []map[string]wireResult, name string) wireResult {
	m := func(f func(wireResult) float64) float64 {
		return median(rounds, func(r map[string]wireResult) float64 { return f(r[name]) })
	}
	out := wireResult{
		AddedP50ms:  m(func(r wireResult) float64 { return r.AddedP50ms }),
		AddedP99ms:  m(func(r wireResult) float64 { return r.AddedP99ms }),
		AddedP999ms: m(func(r wireResult) float64 { return r.AddedP999ms }),
		AddedMaxms:  m(func(r wireResult) float64 { return r.AddedMaxms }),
		TargetP99ms: m(func(r wireResult) float64 { return r.TargetP99ms }),
		TotalP99ms:  m(func(r wireResult) float64 { return r.TotalP99ms }),
		RPS:         m(func(r wireResult) float64 { return r.RPS }),
		CPUPerReq:   m(func(r wireResult) float64 { return r.CPUPerReq }),
	}
	for _, r := range rounds {
		out.Matched += r[name].Matched
		out.Requests += r[name].Requests
		out.StealMs += r[name].StealMs
		out.Anomalies += r[name].Anomalies
		out.Dropped += r[name].Dropped
	}
	return out
}

// dumpWire writes every request seen on both sides of the proxy, one line
// each, in the order the client sent them: when the client sent it (ns
// from the first request), the time the proxy held it on the way in and
// on the way out, and the target's time (ns). It shows whether the slow
// requests are spread out or fall together, as when the proxy's CPU is
// taken from it for a few ms.
func dumpWire(file string, client, upstream map[string]exchange) error {
	type row struct{ at, in, out, target time.Duration }
	var rows []row
	for tag, c := range client {
		if u, ok := upstream[tag]; ok {
			rows = append(rows, row{c.req, u.req - c.req, c.resp - u.resp, u.resp - u.req})
		}
	}
	slices.SortFunc(rows, func(a, b row) int { return cmp.Compare(a.at, b.at) })
	var b strings.Builder
	b.WriteString("sent_ns,in_ns,out_ns,target_ns\n")
	for _, r := range rows {
		fmt.Fprintf(&b, "%d,%d,%d,%d\n", r.at-rows[0].at, r.in, r.out, r.target)
	}
	return os.WriteFile(file, []byte(b.String()), 0o644)
}
