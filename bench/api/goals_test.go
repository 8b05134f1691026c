package main

import "testing"

// TestDescribeP99Goal checks that the p99 goal is read from a describe
// phase that also reaches the throughput goal, at either concurrency.
func TestDescribeP99Goal(t *testing.T) {
	phase := func(name string, workers int, perSec, p99 float64, errors int) PhaseResult {
		return PhaseResult{Name: name, Workers: workers, Total: OpResult{Calls: 1000, PerSec: perSec, P99ms: p99, Errors: errors}}
	}
	for _, tc := range []struct {
		name   string
		phases []PhaseResult
		want   bool
	}{
		{"fast enough at low concurrency", []PhaseResult{phase(phaseDescribe, 16, 7000, 8.1, 0), phase(phaseDescribeLow, 4, 6000, 3.2, 0)}, true},
		{"fast enough at full concurrency", []PhaseResult{phase(phaseDescribe, 16, 9000, 4.5, 0), phase(phaseDescribeLow, 4, 4000, 2.0, 0)}, true},
		{"low latency but too slow", []PhaseResult{phase(phaseDescribe, 16, 7000, 8.1, 0), phase(phaseDescribeLow, 4, 4900, 3.2, 0)}, false},
		{"errors", []PhaseResult{phase(phaseDescribe, 16, 7000, 8.1, 0), phase(phaseDescribeLow, 4, 6000, 3.2, 1)}, false},
		{"no low-concurrency phase", []PhaseResult{phase(phaseDescribe, 16, 7000, 8.1, 0)}, false},
		{"the mix does not count", []PhaseResult{phase(phaseDescribe, 16, 7000, 8.1, 0), phase(phaseMix, 16, 6000, 3.0, 0)}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := &Report{Targets: []*TargetResult{{Name: "quayside", Preloaded: goalDescribeStore, Phases: tc.phases}}}
			for _, g := range evaluateGoals(r) {
				if g.Name != "DescribeTaskDefinition p99" {
					continue
				}
				if g.Met == nil || *g.Met != tc.want {
					t.Errorf("met = %v, want %v (%s)", g.Met, tc.want, g.Got)
				}
				return
			}
			t.Fatal("no p99 goal evaluated")
		})
	}
}
