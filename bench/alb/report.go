package main

import (
	"fmt"
	"io"
	"text/tabwriter"
)

// goal is one of the performance goals, checked.
type goal struct {
	Name string `json:"name"`
	Want string `json:"want"`
	Got  string `json:"got"`
	Met  bool   `json:"met"`
}

func goals(r *report) []goal {
	var out []goal
	q, n := r.Peak["quayside"], r.Peak["nginx"]
	if n.RPS > 0 {
		ratio := q.RPS / n.RPS
		out = append(out, goal{Name: "throughput vs nginx", Want: ">= 80%", Got: fmt.Sprintf("%.0f%%", ratio*100), Met: ratio >= 0.8})
	}
	if h, d := r.Half["quayside"], r.Half[direct]; h.RPS > 0 && d.RPS > 0 {
		added := h.P99ms - d.P99ms
		out = append(out, goal{Name: "added p99 at half of Quayside's peak", Want: "< 1 ms", Got: fmt.Sprintf("%.3f ms", added), Met: added < 1})
	}
	return out
}

func (r *report) print(w io.Writer) {
	fmt.Fprintf(w, "ALB benchmark: %d CPUs, wrk %d connections, %s per run, 4 targets (the test app) on loopback\n\n", r.CPUs, r.Connections, r.Duration)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "peak\treq/s\tvs nginx\tvs haproxy\tp50 ms\tp99 ms\terrors\tproxy CPU µs/req\t")
	for _, name := range append(proxies, direct) {
		p := r.Peak[name]
		cpu := "-"
		if p.CPUPerReq > 0 {
			cpu = fmt.Sprintf("%.1f", p.CPUPerReq)
		}
		fmt.Fprintf(tw, "%s\t%.0f\t%s\t%s\t%.3f\t%.3f\t%d\t%s\t\n", name, p.RPS, ratio(p.RPS, r.Peak["nginx"].RPS), ratio(p.RPS, r.Peak["haproxy"].RPS), p.P50ms, p.P99ms, p.Errors, cpu)
	}
	tw.Flush()
	fmt.Fprintf(w, "\nat half of Quayside's peak (target %.0f req/s; %q is one target without a proxy)\n", r.HalfRate, direct)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "half\treq/s\tp50 ms\tp99 ms\tadded p99 ms\terrors\t")
	for _, name := range append(proxies, direct) {
		h := r.Half[name]
		fmt.Fprintf(tw, "%s\t%.0f\t%.3f\t%.3f\t%.3f\t%d\t\n", name, h.RPS, h.P50ms, h.P99ms, h.P99ms-r.Half[direct].P99ms, h.Errors)
	}
	tw.Flush()
	if len(r.Idle) > 0 {
		fmt.Fprintln(w, "\nidle keep-alive connections")
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "idle\tconnections\tRSS before MiB\tRSS after MiB\tbytes/conn\t")
		for _, name := range proxies {
			i := r.Idle[name]
			fmt.Fprintf(tw, "%s\t%d\t%.1f\t%.1f\t%.0f\t\n", name, i.Connections, float64(i.RSSBefore)/(1<<20), float64(i.RSSAfter)/(1<<20), i.PerConn)
		}
		tw.Flush()
	}
	fmt.Fprintln(w, "\ngoals")
	for _, g := range r.Goals {
		mark := "MET"
		if !g.Met {
			mark = "NOT MET"
		}
		fmt.Fprintf(w, "  %-40s want %-8s got %-10s %s\n", g.Name, g.Want, g.Got, mark)
	}
}

func ratio(a, b float64) string {
	if b <= 0 {
		return "-"
	}
	return fmt.Sprintf("%.0f%%", a/b*100)
}
