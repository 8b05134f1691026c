package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"text/tabwriter"
	"time"
)

// Report is everything one run measured. Durations are milliseconds.
type Report struct {
	Date     string   `json:"date"`
	Host     Host     `json:"host"`
	Settings Settings `json:"settings"`

	// WarmupMS are the first tasks and containers, not counted.
	WarmupQuaysideMS []float64 `json:"warmup_quayside_running_ms,omitempty"`
	WarmupFloorMS    []float64 `json:"warmup_docker_run_ms,omitempty"`

	Running   Dist   `json:"quayside_running_ms"`   // RunTask → seen RUNNING
	TaskHTTP  Dist   `json:"quayside_http_ms"`      // RunTask → app answers
	Stop      Dist   `json:"quayside_stop_ms"`      // StopTask → STOPPED, not counted
	Breakdown []Step `json:"quayside_breakdown_ms"` // RunTask → RUNNING, step by step
	FloorRun  Dist   `json:"docker_run_ms"`         // create + start
	FloorHTTP Dist   `json:"docker_run_http_ms"`    // create + start → app answers

	// FailedAttempts counts SDK attempts that failed (and were retried,
	// unless the run failed); LastFailure is the last one's error.
	FailedAttempts int    `json:"sdk_failed_attempts"`
	LastFailure    string `json:"sdk_last_failure,omitempty"`

	Burst  *Burst  `json:"burst,omitempty"`
	Memory *Memory `json:"memory,omitempty"`
	Goals  []Goal  `json:"goals"`
	Error  string  `json:"error,omitempty"`
}

// Host describes the machine.
type Host struct {
	CPUs          int     `json:"cpus"`
	GoVersion     string  `json:"go_version"`
	DockerVersion string  `json:"docker_version"`
	LoadAvgStart  float64 `json:"load_avg_1m_start"`
	LoadAvgEnd    float64 `json:"load_avg_1m_end"`
}

// Settings are the run's parameters.
type Settings struct {
	Tasks       int     `json:"tasks"`
	Warmup      int     `json:"warmup"`
	Concurrent  int     `json:"concurrent"`
	PollMS      float64 `json:"describe_poll_ms"`
	ProbeMS     float64 `json:"http_probe_ms"`
	AgentCPU    int     `json:"agent_cpu"`
	AgentMemory int     `json:"agent_memory_mib"`
}

// Dist summarizes samples: nearest-rank percentiles.
type Dist struct {
	N    int     `json:"n"`
	Min  float64 `json:"min"`
	P50  float64 `json:"p50"`
	P90  float64 `json:"p90"`
	P99  float64 `json:"p99"`
	Max  float64 `json:"max"`
	Mean float64 `json:"mean"`
}

// Step is one part of the RunTask → RUNNING path.
type Step struct {
	Name string `json:"name"`
	Dist Dist   `json:"dist"`
}

// Burst is -concurrent tasks started at once.
type Burst struct {
	Tasks        int     `json:"tasks"`
	Calls        int     `json:"run_task_calls"`
	AllRunningMS float64 `json:"all_running_ms"`
	Each         Dist    `json:"each_running_ms"`
	Started      Dist    `json:"each_started_at_ms"`  // from the call to the task's startedAt
	Provision    Dist    `json:"each_provision_ms"`   // createdAt → connectivityAt
	PauseStart   Dist    `json:"each_pause_start_ms"` // pause container created → started (Docker events)
	CallsMS      Dist    `json:"run_task_call_ms"`
	PollsMS      Dist    `json:"describe_tasks_call_ms"` // while waiting
	StopAllMS    float64 `json:"stop_all_ms"`            // not counted
	// CPU busy, in cores, from the first RunTask until all were RUNNING.
	ServerCPUCores float64 `json:"server_cpu_cores"`
	BenchCPUCores  float64 `json:"bench_cpu_cores"`
	// The floor: as many plain Docker containers started at once.
	DockerAllRunMS  float64 `json:"docker_all_run_ms"`
	DockerAllHTTPMS float64 `json:"docker_all_http_ms"`
	DockerEach      Dist    `json:"docker_each_run_ms"`
}

// Memory is the quayside process's RSS and what each running task adds.
type Memory struct {
	StartMiB   float64 `json:"rss_start_mib"`
	IdleMiB    float64 `json:"rss_idle_mib"`  // 0 tasks, after the sequential run
	BurstMiB   float64 `json:"rss_burst_mib"` // -concurrent tasks RUNNING
	Tasks      int     `json:"tasks"`
	PerTaskMiB float64 `json:"per_task_mib"`
}

// Goal is one of the goals and whether this run met it.
type Goal struct {
	Name   string  `json:"name"`
	Target string  `json:"target"`
	Value  float64 `json:"value"`
	Unit   string  `json:"unit"`
	Met    bool    `json:"met"`
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// dist computes nearest-rank percentiles: with 50 samples, p99 is the
// largest.
func dist(ds []time.Duration) Dist {
	if len(ds) == 0 {
		return Dist{}
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	rank := func(p float64) float64 {
		i := int(math.Ceil(p*float64(len(s)))) - 1
		return ms(s[max(0, min(i, len(s)-1))])
	}
	var sum time.Duration
	for _, d := range s {
		sum += d
	}
	return Dist{N: len(s), Min: ms(s[0]), P50: rank(0.50), P90: rank(0.90), P99: rank(0.99), Max: ms(s[len(s)-1]),
		Mean: ms(sum / time.Duration(len(s)))}
}

// evaluateGoals checks the goals against what was measured.
func evaluateGoals(r *Report) []Goal {
	var g []Goal
	if r.Running.N > 0 {
		g = append(g,
			Goal{"RunTask → RUNNING p50", "≤ 800 ms", r.Running.P50, "ms", r.Running.P50 <= 800},
			Goal{"RunTask → RUNNING p99", "≤ 2000 ms", r.Running.P99, "ms", r.Running.P99 <= 2000})
	}
	if r.Burst != nil && r.Burst.AllRunningMS > 0 {
		g = append(g, Goal{fmt.Sprintf("%d tasks at once, all RUNNING", r.Burst.Tasks), "≤ 10 s",
			r.Burst.AllRunningMS / 1000, "s", r.Burst.AllRunningMS <= 10000})
	}
	if r.Memory != nil && r.Memory.BurstMiB > 0 {
		g = append(g, Goal{"agent RSS per running task", "< 5 MiB", r.Memory.PerTaskMiB, "MiB", r.Memory.PerTaskMiB < 5})
	}
	return g
}

func writeJSON(w io.Writer, r *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

func writeTable(w io.Writer, r *Report) {
	fmt.Fprintf(w, "Task start-up, %s: %d CPUs, load average %.2f at start and %.2f at end, Docker %s\n",
		r.Date, r.Host.CPUs, r.Host.LoadAvgStart, r.Host.LoadAvgEnd, r.Host.DockerVersion)
	fmt.Fprintf(w, "%d sequential Fargate awsvpc tasks (+%d warm-up, not counted), each followed by the same with plain Docker;\n",
		r.Settings.Tasks, r.Settings.Warmup)
	fmt.Fprintf(w, "RUNNING seen by polling DescribeTasks every %g ms, the app by trying HTTP every %g ms: latencies are late by up to that plus one call.\n\n",
		r.Settings.PollMS, r.Settings.ProbeMS)

	if r.Running.N == 0 && r.FloorRun.N == 0 {
		if r.Error != "" {
			fmt.Fprintf(w, "The run failed before measuring anything: %s\n", r.Error)
		}
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "latency (ms)\tn\tp50\tp90\tp99\tmax\tmean\t")
	row := func(name string, d Dist) {
		if d.N == 0 {
			return
		}
		fmt.Fprintf(tw, "%s\t%d\t%.0f\t%.0f\t%.0f\t%.0f\t%.0f\t\n", name, d.N, d.P50, d.P90, d.P99, d.Max, d.Mean)
	}
	row("Quayside RunTask → RUNNING", r.Running)
	row("Quayside RunTask → app answers HTTP", r.TaskHTTP)
	row("docker run -d returns (create+start)", r.FloorRun)
	row("docker run -d → app answers HTTP", r.FloorHTTP)
	row("(not counted) StopTask → STOPPED", r.Stop)
	fmt.Fprintln(tw, "\t\t\t\t\t\t\t")
	fmt.Fprintln(tw, "RunTask → RUNNING, step by step (ms)\t\t\t\t\t\t\t")
	for _, s := range r.Breakdown {
		row("  "+s.Name, s.Dist)
	}
	tw.Flush()
	fmt.Fprintln(w, "(milestones from the client, the task's timestamps (ms precision) and Docker's events: see bench/tasks/steps.go;\n the p50s of the steps need not add up to the p50 of the whole)")
	if r.Running.N > 0 && r.FloorRun.N > 0 {
		fmt.Fprintf(w, "\nQuayside over plain Docker, p50: RUNNING vs docker run -d returned %+.0f ms (%.1f×); app answers %+.0f ms (%.1f×)\n",
			r.Running.P50-r.FloorRun.P50, r.Running.P50/r.FloorRun.P50, r.TaskHTTP.P50-r.FloorHTTP.P50, r.TaskHTTP.P50/r.FloorHTTP.P50)
	}
	if len(r.WarmupQuaysideMS) > 0 {
		fmt.Fprintf(w, "Warm-up (first) task: Quayside RUNNING %v ms, docker run -d %v ms\n", r.WarmupQuaysideMS, r.WarmupFloorMS)
	}
	if b := r.Burst; b != nil {
		fmt.Fprintf(w, "\n%d tasks at once (%d RunTask calls of ≤ 10 tasks, made concurrently): all RUNNING after %.0f ms\n", b.Tasks, b.Calls, b.AllRunningMS)
		fmt.Fprintf(w, "  each seen RUNNING after p50 %.0f ms, max %.0f ms; by the tasks' startedAt p50 %.0f ms, min … max %.0f … %.0f ms\n",
			b.Each.P50, b.Each.Max, b.Started.P50, b.Started.Min, b.Started.Max)
		fmt.Fprintf(w, "  pause container (createdAt → connectivityAt) p50 %.0f ms, max %.0f ms, of which Docker starting it (created → started) p50 %.0f ms, max %.0f ms\n",
			b.Provision.P50, b.Provision.Max, b.PauseStart.P50, b.PauseStart.Max)
		fmt.Fprintf(w, "  RunTask calls returned after max %.0f ms; stopping them all took %.0f ms (not counted)\n", b.CallsMS.Max, b.StopAllMS)
		fmt.Fprintf(w, "  meanwhile: quayside busy %.2f cores, this benchmark %.2f cores; %d DescribeTasks calls, p50 %.0f ms, max %.0f ms\n",
			b.ServerCPUCores, b.BenchCPUCores, b.PollsMS.N, b.PollsMS.P50, b.PollsMS.Max)
		if b.DockerAllRunMS > 0 {
			fmt.Fprintf(w, "  floor, %d plain docker runs at once: all returned after %.0f ms (each p50 %.0f ms), all answering HTTP after %.0f ms\n",
				b.Tasks, b.DockerAllRunMS, b.DockerEach.P50, b.DockerAllHTTPMS)
		}
	}
	if m := r.Memory; m != nil {
		fmt.Fprintf(w, "Quayside RSS: %.1f MiB after start-up, %.1f MiB idle with 0 tasks, %.1f MiB with %d tasks RUNNING: %.2f MiB per task\n",
			m.StartMiB, m.IdleMiB, m.BurstMiB, m.Tasks, m.PerTaskMiB)
	}
	if r.FailedAttempts > 0 {
		fmt.Fprintf(w, "SDK attempts that failed and were retried: %d; the last: %s\n", r.FailedAttempts, r.LastFailure)
	}
	fmt.Fprintln(w, "\nGoals")
	for _, g := range r.Goals {
		mark := "MET   "
		if !g.Met {
			mark = "MISSED"
		}
		fmt.Fprintf(w, "  %s  %-36s %s, measured %.2f %s\n", mark, g.Name, g.Target, g.Value, g.Unit)
	}
	if r.Error != "" {
		fmt.Fprintf(w, "\nThe run failed: %s\n", r.Error)
	}
}
