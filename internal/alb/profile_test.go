package alb

import (
	"os"
	"os/exec"
	"runtime/pprof"
	"testing"
)

// TestProfileUnderWrk profiles the data plane alone under wrk: the targets
// (test apps) and the load (wrk) run in other processes, so the profile
// holds only the proxy's work. Run it by hand:
//
//	QUAYSIDE_ALB_PROFILE=/tmp/alb.pprof go test -run TestProfileUnderWrk ./internal/alb
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
	report, err := exec.Command("wrk", "-t", "2", "-c", "64", "-d", "10s", "--latency", a.url+"/").CombinedOutput()
	pprof.StopCPUProfile()
	if err != nil {
		t.Fatalf("wrk: %v\n%s", err, report)
	}
	t.Logf("%s", report)
}
