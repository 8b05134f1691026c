package main

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
)

// Report is everything one run measured; -json prints it as is.
type Report struct {
	Date     string          `json:"date"`
	Host     Host            `json:"host"`
	Settings Settings        `json:"settings"`
	Targets  []*TargetResult `json:"targets"`
	Goals    []Goal          `json:"goals"`
}

// Host describes the machine the servers and the load generator share.
type Host struct {
	CPUs      int    `json:"cpus"`
	OS        string `json:"os"`
	Arch      string `json:"arch"`
	GoVersion string `json:"go_version"`
	// LoadAvgAtStart is the 1-minute load average before the run: anything
	// well above 0 means other work shared the CPUs.
	LoadAvgAtStart float64 `json:"load_avg_at_start"`
}

// Settings are the flags the run used.
type Settings struct {
	PhaseSeconds   float64 `json:"phase_seconds"`
	Concurrency    int     `json:"concurrency"`
	LowConcurrency int     `json:"low_concurrency"` // workers of the describe-low phase; 0 when skipped
	GOGC           int     `json:"load_generator_gogc"`
	Preload        int     `json:"preload"`
	MotoPreload    int     `json:"moto_preload"`
	StartupTrials  int     `json:"startup_trials"`
}

// TargetResult is what was measured for one server.
type TargetResult struct {
	Name           string        `json:"name"`
	StartupMS      []float64     `json:"startup_ms"`
	RSSStartMiB    float64       `json:"rss_after_startup_mib"`
	RSSLoadedMiB   float64       `json:"rss_after_load_mib"`
	RSSIdleMiB     float64       `json:"rss_idle_after_load_mib"`
	IdleSeconds    float64       `json:"idle_seconds_before_rss"`
	Preloaded      int           `json:"preloaded_task_definitions"`
	PreloadSeconds float64       `json:"preload_seconds"`
	Phases         []PhaseResult `json:"phases"`
	Error          string        `json:"error,omitempty"`
}

// The load phases, in the order they run.
const (
	phaseDescribe    = "describe"     // DescribeTaskDefinition alone, -concurrency workers
	phaseDescribeLow = "describe-low" // the same, -low-concurrency workers
	phaseMix         = "mix"
)

// PhaseResult is one load phase against one server.
type PhaseResult struct {
	Name            string     `json:"name"`
	Workers         int        `json:"workers"`
	Seconds         float64    `json:"seconds"`
	ServerCPUCores  float64    `json:"server_cpu_cores"`  // CPU seconds the server used per second
	ClientCPUCores  float64    `json:"client_cpu_cores"`  // the same for this load generator
	MachineCPUCores float64    `json:"machine_cpu_cores"` // the same for the whole machine, others included
	Total           OpResult   `json:"total"`
	Ops             []OpResult `json:"ops"`
}

// Goal is one performance goal from the issue; Met is nil when the run
// could not measure it.
type Goal struct {
	Name string `json:"name"`
	Want string `json:"want"`
	Got  string `json:"got"`
	Met  *bool  `json:"met"`
}

func (t *TargetResult) phase(name string) *PhaseResult {
	for i := range t.Phases {
		if t.Phases[i].Name == name {
			return &t.Phases[i]
		}
	}
	return nil
}

func (r *Report) target(name string) *TargetResult {
	for _, t := range r.Targets {
		if t.Name == name {
			return t
		}
	}
	return nil
}

func writeJSON(w io.Writer, r *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// writeTable prints the servers, one table per phase with the targets side
// by side and the ratio of the first to the second, then the goals.
func writeTable(w io.Writer, r *Report) {
	names := make([]string, len(r.Targets))
	for i, t := range r.Targets {
		names[i] = t.Name
	}
	gogc := "Go's default GOGC"
	if r.Settings.GOGC >= 0 {
		gogc = fmt.Sprintf("GOGC=%d", r.Settings.GOGC)
	}
	fmt.Fprintf(w, "\nECS API benchmark, %s: %s; %d CPUs (load generator and servers share them), load average %.2f at start, %d workers, %gs per phase, load generator at %s\n\n",
		strings.Join(names, " vs "), r.Date, r.Host.CPUs, r.Host.LoadAvgAtStart, r.Settings.Concurrency, r.Settings.PhaseSeconds, gogc)
	tw := tabwriter.NewWriter(w, 0, 0, 3, ' ', 0)
	row := func(label string, f func(t *TargetResult) string) {
		fmt.Fprintf(tw, "%s\t", label)
		for _, t := range r.Targets {
			fmt.Fprintf(tw, "%s\t", f(t))
		}
		fmt.Fprintln(tw)
	}
	row("server", func(t *TargetResult) string { return t.Name })
	row("start-up, exec to first 200 (min/max)", func(t *TargetResult) string {
		if len(t.StartupMS) == 0 {
			return "-"
		}
		return fmt.Sprintf("%s / %s", fmtMS(slices.Min(t.StartupMS)), fmtMS(slices.Max(t.StartupMS)))
	})
	row("RSS after start-up", func(t *TargetResult) string { return fmtMiB(t.RSSStartMiB) })
	row("preloaded task definitions", func(t *TargetResult) string {
		if t.Preloaded == 0 {
			return "-"
		}
		return fmt.Sprintf("%d in %.1fs (%.0f/s)", t.Preloaded, t.PreloadSeconds, float64(t.Preloaded)/t.PreloadSeconds)
	})
	row("RSS right after load", func(t *TargetResult) string { return fmtMiB(t.RSSLoadedMiB) })
	row("RSS idle after load", func(t *TargetResult) string {
		if t.RSSIdleMiB == 0 {
			return "-"
		}
		return fmt.Sprintf("%s (%.0fs idle)", fmtMiB(t.RSSIdleMiB), t.IdleSeconds)
	})
	tw.Flush()
	for _, t := range r.Targets {
		if t.Error != "" {
			fmt.Fprintf(w, "\n%s FAILED: %s\n", t.Name, t.Error)
		}
	}
	writePhase(w, r, phaseDescribe, fmt.Sprintf("DescribeTaskDefinition alone, random preloaded revisions, %d workers", r.Settings.Concurrency), []string{opDescribe})
	writePhase(w, r, phaseDescribeLow, fmt.Sprintf("the same with %d workers", r.Settings.LowConcurrency), []string{opDescribe})
	writePhase(w, r, phaseMix, "RegisterTaskDefinition, DescribeTaskDefinition, ListTaskDefinitions, DescribeClusters in turn", mixOps)
	fmt.Fprintf(w, "\nGoals (quayside)\n")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, g := range r.Goals {
		verdict := "NOT MEASURED"
		if g.Met != nil && *g.Met {
			verdict = "met"
		} else if g.Met != nil {
			verdict = "MISSED"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", g.Name, g.Want, g.Got, verdict)
	}
	tw.Flush()
}

func writePhase(w io.Writer, r *Report, name, what string, ops []string) {
	var ts []*TargetResult
	for _, t := range r.Targets {
		if t.phase(name) != nil {
			ts = append(ts, t)
		}
	}
	if len(ts) == 0 {
		return
	}
	fmt.Fprintf(w, "\nPhase %q: %s\n", name, what)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "operation\t")
	for _, t := range ts {
		fmt.Fprintf(tw, "%s calls/s\tp50\tp99\terrors\t", t.Name)
	}
	if len(ts) == 2 {
		fmt.Fprintf(tw, "%s/%s calls/s\tp99 %s/%s\t", ts[0].Name, ts[1].Name, ts[1].Name, ts[0].Name)
	}
	fmt.Fprintln(tw)
	line := func(pick func(p *PhaseResult) *OpResult, label string) {
		fmt.Fprintf(tw, "%s\t", label)
		var rs []*OpResult
		for _, t := range ts {
			o := pick(t.phase(name))
			rs = append(rs, o)
			fmt.Fprintf(tw, "%.0f\t%s\t%s\t%d\t", o.PerSec, fmtMS(o.P50ms), fmtMS(o.P99ms), o.Errors)
		}
		if len(rs) == 2 {
			fmt.Fprintf(tw, "%s\t%s\t", ratio(rs[0].PerSec, rs[1].PerSec), ratio(rs[1].P99ms, rs[0].P99ms))
		}
		fmt.Fprintln(tw)
	}
	if len(ops) > 1 {
		line(func(p *PhaseResult) *OpResult { return &p.Total }, "all")
	}
	for i, op := range ops {
		line(func(p *PhaseResult) *OpResult { return &p.Ops[i] }, op)
	}
	fmt.Fprint(tw, "CPU cores busy: server\t")
	for _, t := range ts {
		fmt.Fprintf(tw, "%.2f\t\t\t\t", t.phase(name).ServerCPUCores)
	}
	fmt.Fprint(tw, "\nCPU cores busy: load generator\t")
	for _, t := range ts {
		fmt.Fprintf(tw, "%.2f\t\t\t\t", t.phase(name).ClientCPUCores)
	}
	fmt.Fprint(tw, "\nserver CPU per call\t")
	for _, t := range ts {
		p := t.phase(name)
		per := "-"
		if p.Total.PerSec > 0 {
			per = fmt.Sprintf("%.0fµs", p.ServerCPUCores/p.Total.PerSec*1e6)
		}
		fmt.Fprintf(tw, "%s\t\t\t\t", per)
	}
	fmt.Fprint(tw, "\nCPU cores busy: everything else\t")
	for _, t := range ts {
		p := t.phase(name)
		fmt.Fprintf(tw, "%.2f\t\t\t\t", max(p.MachineCPUCores-p.ServerCPUCores-p.ClientCPUCores, 0))
	}
	fmt.Fprintln(tw)
	tw.Flush()
	for _, t := range ts {
		for _, o := range t.phase(name).Ops {
			if o.FirstError != "" {
				fmt.Fprintf(w, "  %s %s, first error: %s\n", t.Name, o.Op, o.FirstError)
			}
		}
	}
	for _, t := range ts {
		if t.Preloaded != ts[0].Preloaded {
			fmt.Fprintf(w, "  note: preloads differ (%s %d, %s %d task definitions)\n", ts[0].Name, ts[0].Preloaded, t.Name, t.Preloaded)
		}
	}
}

func ratio(a, b float64) string {
	if a <= 0 || b <= 0 {
		return "-"
	}
	return fmt.Sprintf("%.1fx", a/b)
}

func fmtMS(v float64) string {
	switch {
	case v == 0:
		return "-"
	case v < 10:
		return fmt.Sprintf("%.2fms", v)
	case v < 1000:
		return fmt.Sprintf("%.0fms", v)
	}
	return fmt.Sprintf("%.2fs", v/1000)
}

func fmtMiB(v float64) string {
	if v == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f MiB", v)
}
