package clock

import (
	"testing"
	"time"
)

func TestFake(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c := NewFake(t0)
	var fired []int
	c.AfterFunc(2*time.Second, func() { fired = append(fired, 2) })
	c.AfterFunc(time.Second, func() { fired = append(fired, 1) })
	stopped := c.AfterFunc(1500*time.Millisecond, func() { fired = append(fired, 15) })
	if !stopped.Stop() || stopped.Stop() {
		t.Fatal("Stop")
	}
	if !c.WaitTimer(time.Second, time.Second) || c.WaitTimer(3*time.Second, 10*time.Millisecond) {
		t.Fatal("WaitTimer")
	}
	c.Advance(1500 * time.Millisecond)
	if len(fired) != 1 || fired[0] != 1 || !c.Now().Equal(t0.Add(1500*time.Millisecond)) {
		t.Fatalf("after 1.5 s: %v at %v", fired, c.Now())
	}
	c.Advance(time.Second)
	if len(fired) != 2 || fired[1] != 2 || c.Pending() != 0 {
		t.Fatalf("after 2.5 s: %v", fired)
	}
	// A function may schedule another, which runs in the same Advance if due.
	c.AfterFunc(time.Second, func() { c.AfterFunc(time.Second, func() { fired = append(fired, 3) }) })
	c.Advance(5 * time.Second)
	if len(fired) != 3 {
		t.Fatalf("chained: %v", fired)
	}
}
