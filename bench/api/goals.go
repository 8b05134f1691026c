package main

import (
	"fmt"
	"slices"
	"strings"
)

// The goals from the issue.
const (
	goalMixRatio      = 20.0
	goalDescribeRate  = 5000.0
	goalDescribeP99ms = 5.0
	goalDescribeStore = 10000
	goalRSSMiB        = 60.0
	goalStartupMS     = 1000.0
)

// evaluateGoals checks Quayside's results against the goals.
func evaluateGoals(r *Report) []Goal {
	q, m := r.target("quayside"), r.target("moto")
	var goals []Goal
	add := func(name, want string, got string, met *bool) {
		goals = append(goals, Goal{Name: name, Want: want, Got: got, Met: met})
	}
	verdict := func(ok bool) *bool { return &ok }

	// Mixed calls: quayside at least 20x moto.
	qm, mm := phaseTotal(q, phaseMix), phaseTotal(m, phaseMix)
	switch {
	case qm == nil || mm == nil || qm.PerSec == 0 || mm.PerSec == 0:
		add("mixed calls, throughput vs moto", fmt.Sprintf(">= %.0fx", goalMixRatio), "not both measured", nil)
	default:
		x := qm.PerSec / mm.PerSec
		add("mixed calls, throughput vs moto", fmt.Sprintf(">= %.0fx", goalMixRatio),
			fmt.Sprintf("%.1fx (%.0f vs %.0f calls/s)%s", x, qm.PerSec, mm.PerSec, errNote(qm.Errors+mm.Errors)),
			verdict(x >= goalMixRatio && qm.Errors == 0))
	}

	// DescribeTaskDefinition alone with 10,000 stored: the throughput at
	// full concurrency, and the p99 of a phase that also reaches the
	// throughput. A closed loop's latency is workers / throughput however
	// fast the server is, so the p99 is read where the fewest workers
	// still reach the rate (see bench/README.md).
	qd := phaseTotal(q, phaseDescribe)
	if qd == nil || qd.Calls == 0 {
		add("DescribeTaskDefinition throughput", fmt.Sprintf(">= %.0f calls/s", goalDescribeRate), "not measured", nil)
		add("DescribeTaskDefinition p99", fmt.Sprintf("< %.0fms at >= %.0f calls/s", goalDescribeP99ms, goalDescribeRate), "not measured", nil)
	} else {
		stored := q.Preloaded >= goalDescribeStore
		note := fmt.Sprintf(" with %d stored%s", q.Preloaded, errNote(qd.Errors))
		add("DescribeTaskDefinition throughput", fmt.Sprintf(">= %.0f calls/s", goalDescribeRate),
			fmt.Sprintf("%.0f calls/s%s", qd.PerSec, note), verdict(qd.PerSec >= goalDescribeRate && stored && qd.Errors == 0))
		var got []string
		met := false
		for _, p := range q.Phases {
			if p.Name != phaseDescribe && p.Name != phaseDescribeLow {
				continue
			}
			got = append(got, fmt.Sprintf("%.2fms at %.0f calls/s (%d workers)", p.Total.P99ms, p.Total.PerSec, p.Workers))
			met = met || (p.Total.P99ms < goalDescribeP99ms && p.Total.PerSec >= goalDescribeRate && p.Total.Errors == 0)
		}
		add("DescribeTaskDefinition p99", fmt.Sprintf("< %.0fms at >= %.0f calls/s", goalDescribeP99ms, goalDescribeRate),
			strings.Join(got, "; ")+note, verdict(met && stored))
	}

	if q == nil {
		add("idle RSS", fmt.Sprintf("< %.0f MiB", goalRSSMiB), "not measured", nil)
		add("start-up on an empty data dir", fmt.Sprintf("< %.0fms", goalStartupMS), "not measured", nil)
		return goals
	}
	switch {
	case q.RSSStartMiB == 0:
		add("idle RSS", fmt.Sprintf("< %.0f MiB", goalRSSMiB), "not measured", nil)
	case q.RSSIdleMiB == 0:
		add("idle RSS", fmt.Sprintf("< %.0f MiB", goalRSSMiB), fmt.Sprintf("%.1f MiB after start-up; not measured after load", q.RSSStartMiB), nil)
	default:
		worst := max(q.RSSStartMiB, q.RSSIdleMiB)
		add("idle RSS", fmt.Sprintf("< %.0f MiB", goalRSSMiB),
			fmt.Sprintf("%.1f MiB after start-up, %.1f MiB idle after load", q.RSSStartMiB, q.RSSIdleMiB), verdict(worst < goalRSSMiB))
	}
	if len(q.StartupMS) == 0 {
		add("start-up on an empty data dir", fmt.Sprintf("< %.0fms", goalStartupMS), "not measured", nil)
	} else {
		worst := slices.Max(q.StartupMS)
		add("start-up on an empty data dir", fmt.Sprintf("< %.0fms", goalStartupMS),
			fmt.Sprintf("%.1fms worst of %d", worst, len(q.StartupMS)), verdict(worst < goalStartupMS))
	}
	return goals
}

func phaseTotal(t *TargetResult, name string) *OpResult {
	if t == nil {
		return nil
	}
	if p := t.phase(name); p != nil {
		return &p.Total
	}
	return nil
}

func errNote(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf(", %d errors", n)
}
