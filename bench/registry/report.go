package main

import (
	"fmt"
	"io"
	"slices"
	"strings"
)

// report is everything one run measured.
type report struct {
	Started    string  `json:"started"`
	CPUs       int     `json:"cpus"`
	LoadBefore float64 `json:"load_before"`
	LoadAfter  float64 `json:"load_after"`
	Quayside   string  `json:"quayside"`
	Reference  string  `json:"reference"`
	// Rounds[i][server][phase]
	Rounds  []map[string]map[string]phaseResult `json:"rounds"`
	Summary []summaryRow                        `json:"summary"`
	Memory  []memoryRow                         `json:"memory"`
	Goals   []goal                              `json:"goals"`
}

// summaryRow is one phase over all complete rounds: medians of each
// side's MB/s and CPU per GB, and each round's ratio Quayside / reference.
type summaryRow struct {
	Phase          string    `json:"phase"`
	Label          string    `json:"label"`
	QuaysideMBps   float64   `json:"quayside_mb_per_s"`
	ReferenceMBps  float64   `json:"reference_mb_per_s"`
	Ratio          float64   `json:"ratio"` // median of Ratios
	Ratios         []float64 `json:"ratios"`
	QuaysideCPU    float64   `json:"quayside_cpu_s_per_gb"`
	ReferenceCPU   float64   `json:"reference_cpu_s_per_gb"`
	QuaysideSlow   float64   `json:"quayside_slowest_pull_s,omitempty"`
	ReferenceSlow  float64   `json:"reference_slowest_pull_s,omitempty"`
	completeRounds int
}

// memoryRow is a server's RSS around the large layer: before the first
// push, the peaks sampled during the large pushes and pulls of all
// rounds, and the most RSS grew within one large phase.
type memoryRow struct {
	Server   string `json:"server"`
	Before   int64  `json:"rss_before_first_large_push"`
	PushPeak int64  `json:"peak_rss_large_push"`
	PullPeak int64  `json:"peak_rss_large_pull"`
	Growth   int64  `json:"max_growth_in_large_phase"`
}

type goal struct {
	Name   string `json:"name"`
	Result string `json:"result"`
	Met    bool   `json:"met"`
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Sorted(slices.Values(xs))
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func (rep *report) summarize(o options) {
	rep.Summary, rep.Memory, rep.Goals = nil, nil, nil
	for _, ph := range phases {
		row := summaryRow{Phase: ph, Label: label(ph, o)}
		var qm, rm, qc, rc, qs, rs []float64
		for _, round := range rep.Rounds {
			q, okq := round["quayside"][ph]
			r, okr := round["reference"][ph]
			if !okq || !okr || q.MBps == 0 || r.MBps == 0 {
				continue
			}
			row.completeRounds++
			qm, rm = append(qm, q.MBps), append(rm, r.MBps)
			qc, rc = append(qc, q.CPUPerGB), append(rc, r.CPUPerGB)
			qs, rs = append(qs, q.SlowestPull), append(rs, r.SlowestPull)
			row.Ratios = append(row.Ratios, q.MBps/r.MBps)
		}
		row.QuaysideMBps, row.ReferenceMBps = median(qm), median(rm)
		row.QuaysideCPU, row.ReferenceCPU = median(qc), median(rc)
		row.QuaysideSlow, row.ReferenceSlow = median(qs), median(rs)
		row.Ratio = median(row.Ratios)
		rep.Summary = append(rep.Summary, row)
	}
	for _, name := range []string{"quayside", "reference"} {
		m := memoryRow{Server: name}
		for i, round := range rep.Rounds {
			push, pull := round[name][phaseBigPush], round[name][phaseBigPull]
			if i == 0 {
				m.Before = push.RSSBefore
			}
			m.PushPeak, m.PullPeak = max(m.PushPeak, push.PeakRSS), max(m.PullPeak, pull.PeakRSS)
			m.Growth = max(m.Growth, push.PeakRSS-push.RSSBefore, pull.PeakRSS-pull.RSSBefore)
		}
		rep.Memory = append(rep.Memory, m)
	}
	for _, row := range rep.Summary {
		if row.completeRounds == 0 {
			continue
		}
		rep.Goals = append(rep.Goals, goal{
			Name:   "Quayside ≥ reference: " + row.Label,
			Result: fmt.Sprintf("ratio %.2f (rounds: %s)", row.Ratio, ratios(row.Ratios)),
			Met:    row.Ratio >= 1,
		})
	}
	if len(rep.Memory) > 0 && len(rep.Rounds) > 0 {
		m := rep.Memory[0]
		limit := int64(64 << 20)
		rep.Goals = append(rep.Goals, goal{
			Name: fmt.Sprintf("Quayside's memory flat while a %d MiB layer streams (RSS grows < %s in any large push or pull)", o.bigMiB, mib(limit)),
			Result: fmt.Sprintf("RSS %s before the first push; peak %s during the pushes, %s during the pulls; grew at most %s",
				mib(m.Before), mib(m.PushPeak), mib(m.PullPeak), mib(m.Growth)),
			Met: m.Growth < limit,
		})
	}
}

func ratios(rs []float64) string {
	var parts []string
	for _, r := range rs {
		parts = append(parts, fmt.Sprintf("%.2f", r))
	}
	return strings.Join(parts, ", ")
}

func (rep *report) print(w io.Writer, o options) {
	fmt.Fprintf(w, "\nRegistry benchmark: Quayside (%s) vs %s\n", rep.Quayside, rep.Reference)
	fmt.Fprintf(w, "%d CPUs, load average %.2f before and %.2f after, %d rounds; MB = 10^6 bytes; medians over rounds\n\n",
		rep.CPUs, rep.LoadBefore, rep.LoadAfter, len(rep.Rounds))
	rw := len("ratio per round")
	for _, row := range rep.Summary {
		rw = max(rw, len(ratios(row.Ratios)))
	}
	fmt.Fprintf(w, "| %-44s | %13s | %14s | %5s | %-*s | %-21s |\n", "phase", "Quayside MB/s", "reference MB/s", "ratio", rw, "ratio per round", "server CPU s/GB (Q/R)")
	fmt.Fprintf(w, "|%s|%s|%s|%s|%s|%s|\n", strings.Repeat("-", 46), strings.Repeat("-", 15), strings.Repeat("-", 16), strings.Repeat("-", 7), strings.Repeat("-", rw+2), strings.Repeat("-", 23))
	for _, row := range rep.Summary {
		fmt.Fprintf(w, "| %-44s | %13.1f | %14.1f | %5.2f | %-*s | %-21s |\n", row.Label, row.QuaysideMBps, row.ReferenceMBps,
			row.Ratio, rw, ratios(row.Ratios), fmt.Sprintf("%.2f / %.2f", row.QuaysideCPU, row.ReferenceCPU))
	}
	for _, row := range rep.Summary {
		if row.Phase == phaseConcurrent {
			fmt.Fprintf(w, "\nSlowest of the %d concurrent pulls: Quayside %.2f s, reference %.2f s\n", o.concurrentPulls, row.QuaysideSlow, row.ReferenceSlow)
		}
	}
	fmt.Fprintf(w, "\n| %-9s | %-27s | %-28s | %-27s | %-30s |\n", "RSS", "before the first large push", "peak during the large pushes", "peak during the large pulls", "most growth in one large phase")
	fmt.Fprintf(w, "|%s|%s|%s|%s|%s|\n", strings.Repeat("-", 11), strings.Repeat("-", 29), strings.Repeat("-", 30), strings.Repeat("-", 29), strings.Repeat("-", 32))
	for _, m := range rep.Memory {
		fmt.Fprintf(w, "| %-9s | %-27s | %-28s | %-27s | %-30s |\n", m.Server, mib(m.Before), mib(m.PushPeak), mib(m.PullPeak), mib(m.Growth))
	}
	fmt.Fprintln(w, "\nGoals (issue 5):")
	for _, g := range rep.Goals {
		mark := "missed"
		if g.Met {
			mark = "met"
		}
		fmt.Fprintf(w, "  [%s] %s: %s\n", mark, g.Name, g.Result)
	}
}
