//go:build unix

package alb

import (
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"runtime/pprof"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// TestProfileUnderWrk profiles the data plane alone under wrk: the targets
// (test apps) and the load (wrk) run in other processes, so the profile
// holds only the proxy's work. It also reports the process's CPU time and
// allocations per request. Run it by hand:
//
//	QUAYSIDE_ALB_PROFILE=/tmp/alb.pprof go test -run TestProfileUnderWrk -v ./internal/alb
//	go tool pprof -top internal/alb/alb.test /tmp/alb.pprof
func TestProfileUnderWrk(t *testing.T) {
	out := os.Getenv("QUAYSIDE_ALB_PROFILE")
	if out == "" {
		t.Skip("set QUAYSIDE_ALB_PROFILE to a file to profile the proxy under wrk")
	}
	if _, err := exec.LookPath("wrk"); err != nil {
		t.Skip("wrk is not installed")
	}
	h := newHarness(t)
	a := h.newALB("profile")
	var addrs []string
	for i := 1; i <= 4; i++ {
		addrs = append(addrs, testapp(t, 1))
	}
	h.register(*a.tg.TargetGroupArn, addrs...)
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := pprof.StartCPUProfile(f); err != nil {
		t.Fatal(err)
	}
	var ms0, ms1 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	cpu0 := cpuTime()
	report, err := exec.Command("wrk", "-t", "2", "-c", "64", "-d", "10s", "--latency", a.url+"/").CombinedOutput()
	cpu := cpuTime() - cpu0
	runtime.ReadMemStats(&ms1)
	pprof.StopCPUProfile()
	if err != nil {
		t.Fatalf("wrk: %v\n%s", err, report)
	}
	t.Logf("%s", report)
	if m := regexp.MustCompile(`(\d+) requests in`).FindSubmatch(report); m != nil {
		n, _ := strconv.Atoi(string(m[1]))
		t.Logf("%d requests: %.1f µs of CPU and %.2f allocations (%.0f bytes) per request", n,
			float64(cpu.Microseconds())/float64(n), float64(ms1.Mallocs-ms0.Mallocs)/float64(n),
			float64(ms1.TotalAlloc-ms0.TotalAlloc)/float64(n))
	}
}

// cpuTime is the CPU time this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
