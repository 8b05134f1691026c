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
	delayMs     int // think time per request and connection; 0: closed loop at full speed
}

// run executes wrk with --latency and parses its report.
func (w wrkRun) run(ctx context.Context, dir string) (wrkResult, error) {
	args := []string{"-t", strconv.Itoa(w.threads), "-c", strconv.Itoa(w.connections),
		"-d", fmt.Sprintf("%ds", int(math.Ceil(w.duration.Seconds()))), "--latency", "--timeout", "10s"}
	if w.delayMs > 0 {
		script := filepath.Join(dir, fmt.Sprintf("delay-%d.lua", w.delayMs))
		// wrk calls delay() before each request: a fixed think time per
		// connection turns the closed loop into a steady rate.
		if err := os.WriteFile(script, []byte(fmt.Sprintf("function delay()\n  return %d\nend\n", w.delayMs)), 0o644); err != nil {
			return wrkResult{}, err
		}
		args = append(args, "-s", script)
	}
	args = append(args, w.url)
	out, err := exec.CommandContext(ctx, "wrk", args...).CombinedOutput()
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

// atRate runs wrk at about rate requests per second: delayMs of think time
// per request on enough connections, corrected once after a short
// calibration run.
func atRate(ctx context.Context, dir, url string, threads int, rate float64, d time.Duration) (wrkResult, error) {
	const delayMs = 5
	conns := max(threads, int(math.Round(rate*delayMs/1000)))
	cal, err := wrkRun{url: url, threads: threads, connections: conns, duration: 2 * time.Second, delayMs: delayMs}.run(ctx, dir)
	if err != nil {
		return cal, err
	}
	if cal.RPS > 0 {
		conns = max(threads, int(math.Round(float64(conns)*rate/cal.RPS)))
	}
	return wrkRun{url: url, threads: threads, connections: conns, duration: d, delayMs: delayMs}.run(ctx, dir)
}
