package main

import (
	"context"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// wrkResult is what one wrk run measured.
type wrkResult struct {
	RPS      float64       `json:"requests_per_second"`
	P50, P99 time.Duration `json:"-"`
	P50ms    float64       `json:"p50_ms"`
	P99ms    float64       `json:"p99_ms"`
	Errors   int           `json:"errors"` // socket errors plus non-2xx/3xx
	Requests int           `json:"requests"`
	// CPUPerReq is the proxy's CPU time per request (µs) during the run.
	CPUPerReq float64 `json:"cpu_us_per_request,omitempty"`
}

// wrkRun is one wrk invocation.
type wrkRun struct {
	url         string
	threads     int
	connections int
	duration    time.Duration
	delayMs     int   // think time per request and connection; 0: closed loop at full speed
	cpus        []int // where wrk runs; empty: anywhere
	tag         bool  // number every request: GET /?r=<thread>-<n>
}

// writeScript writes wrk's Lua script for a think time and request tags.
// wrk calls delay() before each request: a think time per connection
// turns the closed loop into a steady rate. It is drawn uniformly from 0
// to twice delayMs, so that the connections do not fall into step (with a
// fixed think time they do, and the proxy sees bursts of dozens of
// requests at once). request() builds each request; setup() gives each
// thread a number, for unique tags and its own random sequence.
func writeScript(dir string, delayMs int, tag bool) (string, error) {
	var b strings.Builder
	b.WriteString(`local threads = 0
function setup(thread)
  thread:set("tid", threads)
  threads = threads + 1
end
function init(args)
  math.randomseed(1000 + tid)
end
`)
	if delayMs > 0 {
		fmt.Fprintf(&b, "function delay()\n  return math.random(0, %d)\nend\n", 2*delayMs)
	}
	if tag {
		b.WriteString(`local n = 0
function request()
  n = n + 1
  return wrk.format(nil, "/?r=" .. tid .. "-" .. n)
end
`)
	}
	path := filepath.Join(dir, fmt.Sprintf("script-%d-%v.lua", delayMs, tag))
	return path, os.WriteFile(path, []byte(b.String()), 0o644)
}

// run executes wrk with --latency and parses its report.
func (w wrkRun) run(ctx context.Context, dir string) (wrkResult, error) {
	args := []string{"-t", strconv.Itoa(w.threads), "-c", strconv.Itoa(w.connections),
		"-d", fmt.Sprintf("%ds", int(math.Ceil(w.duration.Seconds()))), "--latency", "--timeout", "10s"}
	if w.delayMs > 0 || w.tag {
		script, err := writeScript(dir, w.delayMs, w.tag)
		if err != nil {
			return wrkResult{}, err
		}
		args = append(args, "-s", script)
	}
	args = append(args, w.url)
	argv := pinned(w.cpus, append([]string{"wrk"}, args...)...)
	out, err := exec.CommandContext(ctx, argv[0], argv[1:]...).CombinedOutput()
	if err != nil {
		return wrkResult{}, fmt.Errorf("wrk %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return parseWrk(string(out))
}

var (
	reRPS      = regexp.MustCompile(`Requests/sec:\s+([\d.]+)`)
	reTotal    = regexp.MustCompile(`(\d+) requests in`)
	rePct      = regexp.MustCompile(`(?m)^\s+(50|99)(?:\.000)?%\s+([\d.]+)(us|ms|s)\s*$`)
	reSocket   = regexp.MustCompile(`Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)`)
	reNon2xx3x = regexp.MustCompile(`Non-2xx or 3xx responses: (\d+)`)
)

// parseWrk reads wrk's text report.
func parseWrk(out string) (wrkResult, error) {
	var r wrkResult
	m := reRPS.FindStringSubmatch(out)
	if m == nil {
		return r, fmt.Errorf("no Requests/sec in wrk's output:\n%s", out)
	}
	r.RPS, _ = strconv.ParseFloat(m[1], 64)
	if m := reTotal.FindStringSubmatch(out); m != nil {
		r.Requests, _ = strconv.Atoi(m[1])
	}
	for _, m := range rePct.FindAllStringSubmatch(out, -1) {
		v, _ := strconv.ParseFloat(m[2], 64)
		d := time.Duration(v * float64(map[string]time.Duration{"us": time.Microsecond, "ms": time.Millisecond, "s": time.Second}[m[3]]))
		if m[1] == "50" {
			r.P50 = d
		} else {
			r.P99 = d
		}
	}
	if m := reSocket.FindStringSubmatch(out); m != nil {
		for _, s := range m[1:] {
			n, _ := strconv.Atoi(s)
			r.Errors += n
		}
	}
	if m := reNon2xx3x.FindStringSubmatch(out); m != nil {
		n, _ := strconv.Atoi(m[1])
		r.Errors += n
	}
	r.P50ms, r.P99ms = ms(r.P50), ms(r.P99)
	return r, nil
}

func ms(d time.Duration) float64 { return math.Round(float64(d)/1e3) / 1e3 }

// rateDelayMs is the think time per request of the steady-rate runs.
const rateDelayMs = 5

// atRate is a wrk run at about rate requests per second: rateDelayMs of
// think time per request on enough connections, corrected once after a
// short calibration run. With tag, every request is numbered (see
// writeScript).
func atRate(ctx context.Context, dir, url string, threads int, set []int, rate float64, d time.Duration, tag bool) (wrkRun, error) {
	w := wrkRun{url: url, threads: threads, duration: 2 * time.Second, delayMs: rateDelayMs, cpus: set, tag: tag}
	w.connections = max(threads, int(math.Round(rate*rateDelayMs/1000)))
	cal, err := w.run(ctx, dir)
	if err != nil {
		return w, err
	}
	if cal.RPS > 0 {
		w.connections = max(threads, int(math.Round(float64(w.connections)*rate/cal.RPS)))
	}
	w.duration = d
	return w, nil
}
