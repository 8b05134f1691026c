package main

import (
	"fmt"
	"io"
	"strings"
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
	if ratio, ok := r.VsNginx["quayside"]; ok {
		out = append(out, goal{Name: "throughput vs nginx (median of rounds)", Want: ">= 80%", Got: fmt.Sprintf("%.0f%%", ratio*100), Met: ratio >= 0.8})
	}
	if w, ok := r.Wire["quayside"]; ok {
		out = append(out, goal{Name: "added p99 at half of Quayside's peak (per request, on the wire)", Want: "< 1 ms",
			Got: fmt.Sprintf("%.3f ms", w.AddedP99ms), Met: w.AddedP99ms < 1})
	}
	if added, ok := r.AddedP99["quayside"]; ok {
		// Shown beside the wire measure, not instead of it: a difference
		// of two p99s carries wrk's and the targets' own tails.
		out = append(out, goal{Name: "p99 through Quayside minus p99 direct (end to end)", Want: "< 1 ms", Got: fmt.Sprintf("%.3f ms", added), Met: added < 1})
	}
	return out
}

func (r *report) print(w io.Writer) {
	fmt.Fprintf(w, "ALB benchmark: %d CPUs, wrk %d connections, %s per run, %d rounds, 4 targets (the test app) on loopback\n",
		r.CPUs, r.Connections, r.Duration, r.Rounds)
	if len(r.ProxyCPUs) > 0 {
		fmt.Fprintf(w, "pinned: the proxy under measurement on CPU %s, wrk and the targets on CPU %s\n", cpuList(r.ProxyCPUs), cpuList(r.LoadCPUs))
	}
	names := append(append([]string{}, r.Proxies...), direct)
	if len(r.Peak) > 0 {
		fmt.Fprintln(w, "\npeak: medians over the rounds; \"vs nginx\" is the median of the rounds' ratios")
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "peak\treq/s\tvs nginx\tp50 ms\tp99 ms\terrors\tproxy CPU µs/req\tper round req/s\t")
		for _, name := range names {
			p := r.Peak[name]
			cpu := "-"
			if p.CPUPerReq > 0 {
				cpu = fmt.Sprintf("%.1f", p.CPUPerReq)
			}
			vs := "-"
			if v, ok := r.VsNginx[name]; ok {
				vs = fmt.Sprintf("%.0f%%", v*100)
			}
			per := perRound(r.PeakRounds, func(r map[string]wrkResult) string { return fmt.Sprintf("%.0f", r[name].RPS) })
			fmt.Fprintf(tw, "%s\t%.0f\t%s\t%.3f\t%.3f\t%d\t%s\t%s\t\n", name, p.RPS, vs, p.P50ms, p.P99ms, p.Errors, cpu, per)
		}
		tw.Flush()
	}
	if len(r.Half) > 0 {
		fmt.Fprintf(w, "\nat half of Quayside's peak (target %.0f req/s; %q is one target without a proxy); medians over the rounds,\n"+
			"\"added p99\" the median of the rounds' differences to direct\n", r.HalfRate, direct)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "half\treq/s\tp50 ms\tp99 ms\tadded p99 ms\terrors\tper round p99 ms\t")
		for _, name := range names {
			h := r.Half[name]
			added := "-"
			if v, ok := r.AddedP99[name]; ok {
				added = fmt.Sprintf("%.3f", v)
			}
			per := perRound(r.HalfRounds, func(r map[string]wrkResult) string { return fmt.Sprintf("%.2f", r[name].P99ms) })
			fmt.Fprintf(tw, "%s\t%.0f\t%.3f\t%.3f\t%s\t%d\t%s\t\n", name, h.RPS, h.P50ms, h.P99ms, added, h.Errors, per)
		}
		tw.Flush()
	}
	if len(r.Wire) > 0 {
		fmt.Fprintf(w, "\nper request on the wire at %.0f req/s: what each proxy added, (to target - from client) + (to client - from target),\n"+
			"from a loopback capture; medians over the rounds; \"steal\" is the time the hypervisor took from the proxy's CPUs\n"+
			"in all the rounds (/proc/stat): where it is more than a few ms, the host was busy and the tail is partly its\n", r.WireRate)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "wire	req/s	matched	added p50 ms	added p99 ms	added p99.9 ms	added max ms	target p99 ms	client-side p99 ms	cpu µs/req	steal ms	per round added p99 ms	")
		for _, name := range r.Proxies {
			x := r.Wire[name]
			per := perRound(r.WireRounds, func(r map[string]wireResult) string { return fmt.Sprintf("%.3f", r[name].AddedP99ms) })
			fmt.Fprintf(tw, "%s\t%.0f\t%d\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.1f\t%.0f\t%s\t\n", name, x.RPS, x.Matched, x.AddedP50ms, x.AddedP99ms,
				x.AddedP999ms, x.AddedMaxms, x.TargetP99ms, x.TotalP99ms, x.CPUPerReq, x.StealMs, per)
		}
		tw.Flush()
	}
	if len(r.Idle) > 0 {
		fmt.Fprintln(w, "\nidle keep-alive connections")
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "idle\tconnections\tRSS before MiB\tRSS after MiB\tbytes/conn\t")
		for _, name := range r.Proxies {
			i := r.Idle[name]
			fmt.Fprintf(tw, "%s\t%d\t%.1f\t%.1f\t%.0f\t\n", name, i.Connections, float64(i.RSSBefore)/(1<<20), float64(i.RSSAfter)/(1<<20), i.PerConn)
		}
		tw.Flush()
	}
	if len(r.Goals) > 0 {
		fmt.Fprintln(w, "\ngoals")
	}
	for _, g := range r.Goals {
		mark := "MET"
		if !g.Met {
			mark = "NOT MET"
		}
		fmt.Fprintf(w, "  %-40s want %-8s got %-10s %s\n", g.Name, g.Want, g.Got, mark)
	}
}

// perRound is one value per round, space-separated.
func perRound[R any](rounds []R, f func(R) string) string {
	vs := make([]string, len(rounds))
	for i, r := range rounds {
		vs[i] = f(r)
	}
	return strings.Join(vs, " ")
}
