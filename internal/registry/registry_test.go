package registry

import (
	"sync"
	"testing"
	"time"
)

func TestKeyedMutex(t *testing.T) {
	var k keyedMutex
	unlock := k.Lock("a")
	if _, ok := k.TryLock("a"); ok {
		t.Fatal("TryLock took a held key")
	}
	unlockB, ok := k.TryLock("b")
	if !ok {
		t.Fatal("TryLock refused a free key")
	}
	unlockB()
	var wg sync.WaitGroup
	got := make(chan struct{})
	wg.Add(1)
	go func() { defer wg.Done(); u := k.Lock("a"); close(got); u() }()
	select {
	case <-got:
		t.Fatal("Lock took a held key")
	case <-time.After(20 * time.Millisecond):
	}
	unlock()
	wg.Wait()
	if len(k.locks) != 0 {
		t.Fatalf("%d locks kept after release", len(k.locks))
	}
}

func TestPullRecorderCoalesces(t *testing.T) {
	p := pullRecorder{every: time.Minute}
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	steps := []struct {
		key  string
		at   time.Duration
		want bool
	}{
		{"a", 0, true},
		{"a", 10 * time.Second, false},
		{"b", 10 * time.Second, true},
		{"a", 59 * time.Second, false},
		{"a", 60 * time.Second, true},
		{"a", 61 * time.Second, false},
	}
	for _, s := range steps {
		if got := p.due(s.key, t0.Add(s.at)); got != s.want {
			t.Errorf("due(%s, +%v) = %v, want %v", s.key, s.at, got, s.want)
		}
	}
}

func TestAccessLog(t *testing.T) {
	var a accessLog
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	a.touch("sha256:x", t0)
	if !a.recent("sha256:x", t0.Add(-time.Second)) {
		t.Fatal("a read after the cutoff is not recent")
	}
	if a.recent("sha256:x", t0) || len(a.last) != 0 {
		t.Fatal("a read at or before the cutoff is recent, or kept")
	}
}
