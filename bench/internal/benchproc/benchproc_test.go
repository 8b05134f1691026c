package benchproc

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// sh starts script under sh in a test's temp dir, in g.
func sh(t *testing.T, g *Group, script string) *Proc {
	t.Helper()
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh")
	}
	dir := t.TempDir()
	p, err := g.Start("test", dir, filepath.Join(dir, "test.log"), "sh", "-c", script)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { g.StopAll(time.Second) })
	return p
}

func waitExit(t *testing.T, p *Proc) {
	t.Helper()
	select {
	case <-p.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("the process did not exit")
	}
}

func TestStopAll(t *testing.T) {
	tests := []struct {
		name   string
		script string
	}{
		{"exits on SIGTERM", "sleep 60"},
		// An ignored signal stays ignored across exec, so only SIGKILL ends
		// the shell and its sleeps.
		{"killed after the grace period", "trap '' TERM INT; while :; do sleep 0.05; done"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var g Group
			p := sh(t, &g, tt.script)
			time.Sleep(100 * time.Millisecond) // let sh set its trap
			if p.Exited() {
				t.Fatalf("exited early: %v; log:\n%s", p.Err(), p.Tail(5))
			}
			began := time.Now()
			g.StopAll(300 * time.Millisecond)
			if !p.Exited() || p.Err() == nil {
				t.Fatalf("after StopAll: exited %v, err %v", p.Exited(), p.Err())
			}
			if took := time.Since(began); took > 5*time.Second {
				t.Errorf("StopAll took %v", took)
			}
			p.Stop(time.Second) // a second stop does nothing
		})
	}
}

func TestStartError(t *testing.T) {
	dir := t.TempDir()
	_, err := Start("nothing", dir, filepath.Join(dir, "nothing.log"), filepath.Join(dir, "no-such-program"))
	if err == nil || !strings.HasPrefix(err.Error(), "start nothing: ") {
		t.Fatalf("err = %v, want start nothing: ...", err)
	}
}

func TestTailAndCheck(t *testing.T) {
	var g Group
	p := sh(t, &g, "for i in 1 2 3 4; do echo line$i; done; exit 3")
	waitExit(t, p)
	if got, want := p.Tail(2), "line3\nline4"; got != want {
		t.Errorf("Tail(2) = %q, want %q", got, want)
	}
	err := p.Check(context.Background())
	if err == nil || !strings.Contains(err.Error(), "test exited (exit status 3); its log:\nline1") {
		t.Errorf("Check = %v", err)
	}
	if err := p.WaitListening("127.0.0.1:1", time.Second); err == nil || !strings.HasPrefix(err.Error(), "test exited; its log:\n") {
		t.Errorf("WaitListening = %v", err)
	}
	os.Remove(p.log)
	if got := p.Tail(2); !strings.HasPrefix(got, "(no log: ") {
		t.Errorf("Tail of a removed log = %q", got)
	}
}

func TestWait(t *testing.T) {
	var g Group
	p := sh(t, &g, "sleep 60")
	ctx := context.Background()
	if err := p.Check(ctx); err != nil {
		t.Errorf("Check = %v", err)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if err := p.Check(cctx); err != context.Canceled {
		t.Errorf("Check of an ended ctx = %v", err)
	}

	addr, err := FreeAddr()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.WaitListening(addr, 100*time.Millisecond); err == nil || !strings.Contains(err.Error(), "does not listen on "+addr) {
		t.Errorf("WaitListening before a listener = %v", err)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	if err := p.WaitListening(addr, 5*time.Second); err != nil {
		t.Errorf("WaitListening = %v", err)
	}

	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/ready" {
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	if err := p.WaitHTTP(ctx, srv.URL, "/ready", 5*time.Second); err != nil {
		t.Errorf("WaitHTTP = %v", err)
	}
	err = p.WaitHTTP(ctx, srv.URL, "/missing", 50*time.Millisecond)
	if err == nil || !strings.HasPrefix(err.Error(), "test did not answer /missing within 50ms") {
		t.Errorf("WaitHTTP of a 404 = %v", err)
	}
}

func TestStatTicks(t *testing.T) {
	tests := []struct {
		name  string
		stat  string
		ticks int64
		ok    bool
	}{
		{"plain", "42 (quayside) S 1 42 42 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 8 0", 300, true},
		{"spaces and parens in the name", "42 (a) b (c) S 1 42 42 0 -1 4194560 100 0 0 0 7 5 0 0 20 0 8 0", 12, true},
		{"short", "42 (x) S 1 42", 0, false},
		{"no name", "42 x S", 0, false},
		{"not a number", "42 (x) S 1 42 42 0 -1 4194560 100 0 0 0 u 5 0", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ticks, ok := statTicks(tt.stat)
			if ticks != tt.ticks || ok != tt.ok {
				t.Errorf("statTicks = %d, %v; want %d, %v", ticks, ok, tt.ticks, tt.ok)
			}
		})
	}
}

func TestProcFS(t *testing.T) {
	if runtime.GOOS != "linux" {
		if RSS(os.Getpid()) != 0 || CPUSeconds(os.Getpid()) != -1 || LoadAvg() != -1 || MachineCPUSeconds() != -1 {
			t.Error("without /proc the measurements should report nothing")
		}
		return
	}
	me := os.Getpid()
	if RSS(me) <= 0 {
		t.Errorf("RSS = %d", RSS(me))
	}
	if CPUTime(me) < 0 || CPUSeconds(me) < 0 {
		t.Errorf("CPUTime = %v, CPUSeconds = %v", CPUTime(me), CPUSeconds(me))
	}
	if LoadAvg() < 0 || MachineCPUSeconds() <= 0 {
		t.Errorf("LoadAvg = %v, MachineCPUSeconds = %v", LoadAvg(), MachineCPUSeconds())
	}
	if RSS(-1) != 0 || CPUTime(-1) != 0 || CPUSeconds(-1) != -1 {
		t.Errorf("a missing process: RSS %d, CPUTime %v, CPUSeconds %v", RSS(-1), CPUTime(-1), CPUSeconds(-1))
	}
}
