package main

import (
	"testing"
	"time"
)

func TestDist(t *testing.T) {
	msList := func(vs ...int) []time.Duration {
		out := make([]time.Duration, len(vs))
		for i, v := range vs {
			out[i] = time.Duration(v) * time.Millisecond
		}
		return out
	}
	hundred := make([]int, 100)
	for i := range hundred {
		hundred[i] = 100 - i // 100 … 1, unsorted
	}
	fifty := make([]int, 50)
	for i := range fifty {
		fifty[i] = i + 1
	}
	tests := []struct {
		name string
		in   []time.Duration
		want Dist
	}{
		{"empty", nil, Dist{}},
		{"one", msList(7), Dist{N: 1, Min: 7, P50: 7, P90: 7, P99: 7, Max: 7, Mean: 7}},
		{"hundred", msList(hundred...), Dist{N: 100, Min: 1, P50: 50, P90: 90, P99: 99, Max: 100, Mean: 50.5}},
		// Nearest rank: with 50 samples, p99 is the largest.
		{"fifty", msList(fifty...), Dist{N: 50, Min: 1, P50: 25, P90: 45, P99: 50, Max: 50, Mean: 25.5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := dist(tt.in); got != tt.want {
				t.Errorf("dist = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestBreakdownSkipsUnknownMilestones(t *testing.T) {
	t0 := time.Unix(1000, 0)
	s := taskSample{arn: "a", sent: t0, seen: t0.Add(900 * time.Millisecond)}
	steps := breakdown([]taskSample{s}, nil) // no task timestamps, no events
	if len(steps) != len(milestones)-1 {
		t.Fatalf("got %d steps, want %d", len(steps), len(milestones)-1)
	}
	for _, st := range steps {
		if st.Dist.N != 0 {
			t.Errorf("step %q has %d samples, want 0: its milestones are unknown", st.Name, st.Dist.N)
		}
	}
}
