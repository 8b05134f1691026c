package main

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// order is round i's running order: the proxies rotated by i, then the
// direct run.
func order(proxies []string, i int) []string {
	n := len(proxies)
	out := make([]string, 0, n+1)
	for j := range n {
		out = append(out, proxies[(i+j)%n])
	}
	return append(out, direct)
}

// peak runs the closed-loop phase: per round, a 1 s warm-up (it fills the
// keep-alive pools) and a measured run of each proxy and of the target.
func (s *setup) peak(ctx context.Context, rep *report) error {
	o := s.o
	for i := range o.rounds {
		round := map[string]wrkResult{}
		for _, name := range order(o.proxies, i) {
			if _, err := (wrkRun{url: s.urls[name], threads: s.wrkThreads, connections: o.connections, duration: time.Second, cpus: s.cpus.load}).run(ctx, s.dir); err != nil {
				return err
			}
			cpu := s.cpuMeter(name)
			r, err := wrkRun{url: s.urls[name], threads: s.wrkThreads, connections: o.connections, duration: o.duration, cpus: s.cpus.load}.run(ctx, s.dir)
			if err != nil {
				return err
			}
			r.CPUPerReq = cpu(r.Requests)
			round[name] = r
			logf("peak %d/%d %-9s %8.0f req/s  p50 %.3f ms  p99 %.3f ms  errors %d  cpu %.1f µs/req", i+1, o.rounds, name,
				r.RPS, r.P50ms, r.P99ms, r.Errors, r.CPUPerReq)
		}
		if n := round["nginx"].RPS; n > 0 {
			logf("peak %d/%d quayside at %.0f%% of nginx", i+1, o.rounds, round["quayside"].RPS/n*100)
		}
		rep.PeakRounds = append(rep.PeakRounds, round)
	}
	rep.Peak = medians(rep.PeakRounds)
	if slices.Contains(o.proxies, "nginx") {
		rep.VsNginx = map[string]float64{}
		for _, name := range append(slices.Clone(o.proxies), direct) {
			rep.VsNginx[name] = median(rep.PeakRounds, func(r map[string]wrkResult) float64 { return r[name].RPS / r["nginx"].RPS })
		}
	}
	return nil
}

// half runs each proxy and the target at about half of Quayside's median
// peak rate, per round; a proxy's added p99 is its p99 minus the target's
// in the same round.
func (s *setup) half(ctx context.Context, rep *report) error {
	o := s.o
	rep.HalfRate = s.rate(rep)
	for i := range o.rounds {
		round := map[string]wrkResult{}
		for _, name := range order(o.proxies, i) {
			w, err := atRate(ctx, s.dir, s.urls[name], s.wrkThreads, s.cpus.load, rep.HalfRate, o.duration, false)
			if err != nil {
				return err
			}
			r, err := w.run(ctx, s.dir)
			if err != nil {
				return err
			}
			round[name] = r
			logf("half %d/%d %-9s %8.0f req/s  p50 %.3f ms  p99 %.3f ms  errors %d", i+1, o.rounds, name, r.RPS, r.P50ms, r.P99ms, r.Errors)
		}
		rep.HalfRounds = append(rep.HalfRounds, round)
	}
	rep.Half = medians(rep.HalfRounds)
	rep.AddedP99 = map[string]float64{}
	for _, name := range o.proxies {
		rep.AddedP99[name] = median(rep.HalfRounds, func(r map[string]wrkResult) float64 { return r[name].P99ms - r[direct].P99ms })
	}
	return nil
}

// idle measures each proxy's memory per idle keep-alive connection, once.
func (s *setup) idle(rep *report) error {
	for _, name := range s.o.proxies {
		n := s.o.idleConns
		if name == "haproxy" {
			n = min(n, s.haproxyMax-100) // its maxconn, under the open files limit
		}
		r, err := idleConnections(s.procs[name], s.urls[name], n)
		if err != nil {
			return fmt.Errorf("%s idle connections: %w", name, err)
		}
		rep.Idle[name] = r
		logf("idle %-9s %d connections: %.0f bytes each", name, r.Connections, r.PerConn)
	}
	return nil
}

// medians is, per name, the median of each measure over the rounds, but
// the errors of all the rounds.
func medians(rounds []map[string]wrkResult) map[string]wrkResult {
	out := map[string]wrkResult{}
	for name := range rounds[0] {
		errs := 0
		for _, r := range rounds {
			errs += r[name].Errors
		}
		m := func(f func(wrkResult) float64) float64 {
			return median(rounds, func(r map[string]wrkResult) float64 { return f(r[name]) })
		}
		out[name] = wrkResult{
			RPS:       m(func(r wrkResult) float64 { return r.RPS }),
			P50ms:     m(func(r wrkResult) float64 { return r.P50ms }),
			P99ms:     m(func(r wrkResult) float64 { return r.P99ms }),
			CPUPerReq: m(func(r wrkResult) float64 { return r.CPUPerReq }),
			Errors:    errs,
			Requests:  int(m(func(r wrkResult) float64 { return float64(r.Requests) })),
		}
	}
	return out
}

// median is the median of f over the rounds (the mean of the middle two
// for an even count).
func median[R any](rounds []R, f func(R) float64) float64 {
	vs := make([]float64, 0, len(rounds))
	for _, r := range rounds {
		vs = append(vs, f(r))
	}
	slices.Sort(vs)
	n := len(vs)
	if n%2 == 1 {
		return vs[n/2]
	}
	return (vs[n/2-1] + vs[n/2]) / 2
}

// rate is the half and wire phases' rate: -rate, or half of Quayside's
// median peak.
func (s *setup) rate(rep *report) float64 {
	if s.o.rate > 0 {
		return s.o.rate
	}
	return rep.Peak["quayside"].RPS / 2
}

// cpuMeter starts measuring the CPU time of proxy name (and its
// children); the function it returns gives the time since, in µs per
// request over requests, or 0 for the target measured directly.
func (s *setup) cpuMeter(name string) func(requests int) float64 {
	p := s.procs[name]
	if p == nil {
		return func(int) float64 { return 0 }
	}
	cpu0 := treeCPU(p)
	return func(requests int) float64 {
		if requests == 0 {
			return 0
		}
		return float64((treeCPU(p) - cpu0).Microseconds()) / float64(requests)
	}
}
