package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// Report is one run's results.
type Report struct {
	Date               time.Time
	CPUs               int
	GoVersion          string
	DockerVersion      string
	LoadStart, LoadEnd float64
	RunTime            time.Duration
	GoBench            *GoBench
	Kills              []killSample
	Up                 *ScaleUp
	Down               *ScaleDown
	FailedAttempts     int
	LastFailure        string
	Error              string
	o                  options
}

// Goals, from issue 4.
const (
	goalReplaceP50 = 2 * time.Second
	goalScaleUp    = 30 * time.Second
	goalDecide     = time.Millisecond
)

// killStep is one step of a kill's timeline: from the previous step's
// point to this one's.
type killStep struct {
	name string
	at   func(killSample) time.Time
}

var killSteps = []killStep{
	{"kill sent", func(s killSample) time.Time { return s.sent }},
	{"→ app container died (daemon event)", func(s killSample) time.Time { return s.die }},
	{"→ killed task's stoppingAt (agent saw the exit)", func(s killSample) time.Time { return s.stopping }},
	{"→ replacement's createdAt (scheduler launched it)", func(s killSample) time.Time { return s.created }},
	{"→ its pause container created (daemon event)", func(s killSample) time.Time { return s.pauseCreated }},
	{"→ its pause container started (daemon event)", func(s killSample) time.Time { return s.pauseStarted }},
	{"→ its app container created (daemon event)", func(s killSample) time.Time { return s.appCreated }},
	{"→ its app container started (daemon event)", func(s killSample) time.Time { return s.appStarted }},
	{"→ its startedAt (RUNNING)", func(s killSample) time.Time { return s.started }},
	{"→ seen RUNNING by the 20 ms poll", func(s killSample) time.Time { return s.seen }},
}

func writeReport(w io.Writer, r *Report) {
	fmt.Fprintf(w, "\nQuayside services benchmark, %s, %d CPUs, %s, Docker %s\n", r.Date.Format("2006-01-02 15:04 UTC"),
		r.CPUs, r.GoVersion, r.DockerVersion)
	fmt.Fprintf(w, "load average %.1f at start, %.1f at end; run time %s\n", r.LoadStart, r.LoadEnd, r.RunTime.Round(time.Second))
	if r.Error != "" {
		fmt.Fprintf(w, "ERROR: %s\n", firstLine(r.Error))
	}

	if g := r.GoBench; g != nil {
		fmt.Fprintf(w, "\nScheduler decision, %s (1,000 tasks mid rolling deployment), %d runs:\n", g.Name, len(g.NsOp))
		for _, l := range g.Lines {
			fmt.Fprintf(w, "  %s\n", l)
		}
		fmt.Fprintf(w, "  process CPU time per decision: %s µs\n", commas(g.CPUPerOp.Microseconds()))
	}

	if ks := r.Kills; len(ks) > 0 {
		fmt.Fprintf(w, "\nKilled task replaced: service of %d Fargate tasks, %d app containers SIGKILLed one at a time\n", r.o.tasks, len(ks))
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "\tp50\tp90\tmax\t")
		row := func(name string, ds []time.Duration) {
			if len(ds) == 0 {
				fmt.Fprintf(tw, "%s\t-\t-\t-\t\n", name)
				return
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t\n", name, msStr(pct(ds, 50)), msStr(pct(ds, 90)), msStr(pct(ds, 100)))
		}
		row("kill → replacement RUNNING (seen)", collect(ks, func(s killSample) time.Time { return s.sent }, func(s killSample) time.Time { return s.seen }))
		row("kill → service back at n, killed task STOPPED", collect(ks, func(s killSample) time.Time { return s.sent }, func(s killSample) time.Time { return s.back }))
		row("kill → killed task's stoppedAt", collect(ks, func(s killSample) time.Time { return s.sent }, func(s killSample) time.Time { return s.killedStopped }))
		fmt.Fprintln(tw, "steps:\t\t\t\t")
		for i := 1; i < len(killSteps); i++ {
			row("  "+killSteps[i].name, collect(ks, killSteps[i-1].at, killSteps[i].at))
		}
		tw.Flush()
	}

	if u := r.Up; u != nil {
		fmt.Fprintf(w, "\nScale 0 → %d (Fargate 256 CPU / 512 MiB tasks; agent %d CPU units, %d MiB); from UpdateService:\n", u.N, r.o.agentCPU, r.o.agentMemory)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		line := func(name, v string) { fmt.Fprintf(tw, "  %s\t%s\n", name, v) }
		if u.Stable > 0 {
			line("services-stable (runningCount = desired, one deployment)", msStr(u.Stable))
		} else {
			line("services-stable", "not reached")
		}
		line("first task RUNNING", msStr(u.FirstRunning))
		line("last task's createdAt (all launched)", msStr(u.LastCreated))
		pl := func(name string, d [2]time.Duration) { line(name+", p50 / last", msStr(d[0])+" / "+msStr(d[1])) }
		pl("pause containers created", u.PauseCreated)
		pl("pause containers started", u.PauseStarted)
		pl("app containers created", u.AppCreated)
		pl("app containers started", u.AppStarted)
		line("last task's startedAt (RUNNING)", msStr(u.LastStartedAt))
		line("cores busy: server / dockerd / benchmark / machine", cpuStr(u.CPU))
		line("load average before / after", fmt.Sprintf("%.1f / %.1f", u.LoadStart, u.LoadEnd))
		tw.Flush()
		var b strings.Builder
		for _, p := range u.Progress {
			fmt.Fprintf(&b, " %d", p.Running)
		}
		fmt.Fprintf(w, "  runningCount at each second:%s\n", b.String())
	}
	if d := r.Down; d != nil && d.AllStopped > 0 {
		fmt.Fprintf(w, "\nScale %d → 0, from UpdateService:\n", d.N)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		line := func(name, v string) { fmt.Fprintf(tw, "  %s\t%s\n", name, v) }
		line("runningCount 0", msStr(d.RunningZero))
		line("every task STOPPED (seen)", msStr(d.AllStopped))
		line("last task's stoppingAt", msStr(d.LastStoppingAt))
		pl := func(name string, d [2]time.Duration) { line(name+", p50 / last", msStr(d[0])+" / "+msStr(d[1])) }
		pl("app containers exited", d.AppDied)
		pl("pause containers exited", d.PauseDied)
		pl("pause containers removed", d.PauseRemoved)
		line("last task's stoppedAt", msStr(d.LastStoppedAt))
		line("cores busy: server / dockerd / benchmark / machine", cpuStr(d.CPU))
		line("load average before / after", fmt.Sprintf("%.1f / %.1f", d.LoadStart, d.LoadEnd))
		tw.Flush()
	}

	fmt.Fprintf(w, "\nSDK attempts that failed and were retried: %d", r.FailedAttempts)
	if r.LastFailure != "" {
		fmt.Fprintf(w, " (last: %s)", firstLine(r.LastFailure))
	}
	fmt.Fprintln(w)

	fmt.Fprintln(w, "\nGoals (issue 4):")
	goal := func(name, result string, known, met bool) {
		verdict := "not measured"
		if known {
			verdict = "MISSED"
			if met {
				verdict = "met"
			}
		}
		fmt.Fprintf(w, "  %-45s %-12s %s\n", name, result, verdict)
	}
	if ks := r.Kills; len(ks) > 0 {
		p50 := pct(collect(ks, killSteps[0].at, func(s killSample) time.Time { return s.seen }), 50)
		goal("killed task replaced, p50 ≤ 2 s", msStr(p50), true, p50 <= goalReplaceP50)
	} else {
		goal("killed task replaced, p50 ≤ 2 s", "-", false, false)
	}
	if u := r.Up; u != nil && u.Stable > 0 {
		goal(fmt.Sprintf("scale 0 → %d stable ≤ 30 s", u.N), msStr(u.Stable), true, u.Stable <= goalScaleUp)
	} else {
		goal("scale 0 → 50 stable ≤ 30 s", "-", false, false)
	}
	if g := r.GoBench; g != nil {
		med := time.Duration(median(g.NsOp))
		goal("scheduler decision, 1,000 tasks < 1 ms", commas(med.Microseconds())+" µs", true, med < goalDecide)
	} else {
		goal("scheduler decision, 1,000 tasks < 1 ms", "-", false, false)
	}
}

// collect returns, for each sample where both points are known, the time
// from one to the other.
func collect(ks []killSample, from, to func(killSample) time.Time) []time.Duration {
	var ds []time.Duration
	for _, s := range ks {
		if a, b := from(s), to(s); !a.IsZero() && !b.IsZero() {
			ds = append(ds, b.Sub(a))
		}
	}
	return ds
}

func median(xs []float64) float64 {
	ds := make([]time.Duration, len(xs))
	for i, x := range xs {
		ds[i] = time.Duration(x)
	}
	return float64(pct(ds, 50))
}

func msStr(d time.Duration) string {
	return fmt.Sprintf("%s ms", commas(d.Milliseconds()))
}

func commas(n int64) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

func cpuStr(c CPU) string {
	f := func(x float64) string {
		if x < 0 {
			return "?"
		}
		return fmt.Sprintf("%.2f", x)
	}
	return f(c.Server) + " / " + f(c.Dockerd) + " / " + f(c.Bench) + " / " + f(c.Machine)
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}
