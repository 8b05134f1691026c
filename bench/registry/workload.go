package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/quayside/quayside/bench/internal/benchproc"
)

// The phases, in the order each server runs them in a round.
const (
	phaseBigPush    = "push-large"
	phaseBigPull    = "pull-large"
	phaseSmallPush  = "push-small"
	phaseSmallPull  = "pull-small"
	phaseConcurrent = "pull-concurrent"
)

// label describes a phase with the run's sizes.
func label(phase string, o options) string {
	switch phase {
	case phaseBigPush:
		return fmt.Sprintf("push %d MiB, 1 layer", o.bigMiB)
	case phaseBigPull:
		return fmt.Sprintf("pull %d MiB, 1 layer (%d pulls each)", o.bigMiB, o.pullRepeat)
	case phaseSmallPush:
		return fmt.Sprintf("push %d layers of %d KiB", o.smallLayers, o.smallKiB)
	case phaseSmallPull:
		return fmt.Sprintf("pull %d layers of %d KiB (%d pulls each)", o.smallLayers, o.smallKiB, o.pullRepeat)
	default:
		return fmt.Sprintf("%d concurrent pulls of the %d layers", o.concurrentPulls, o.smallLayers)
	}
}

var phases = []string{phaseBigPush, phaseBigPull, phaseSmallPush, phaseSmallPull, phaseConcurrent}

// phaseResult is one phase on one server in one round.
type phaseResult struct {
	Bytes   int64   `json:"bytes"`
	Seconds float64 `json:"seconds"`
	MBps    float64 `json:"mb_per_s"` // 10^6 bytes per second
	// ServerCPU is the server's CPU time (user+system) during the phase,
	// and CPUPerGB the same per 10^9 bytes moved.
	ServerCPU float64 `json:"server_cpu_s"`
	CPUPerGB  float64 `json:"server_cpu_s_per_gb"`
	// RSSBefore and PeakRSS are the server's resident memory before the
	// phase and the highest sampled during it.
	RSSBefore int64 `json:"rss_before"`
	PeakRSS   int64 `json:"peak_rss"`
	// SlowestPull is the longest single pull of the concurrent phase.
	SlowestPull float64 `json:"slowest_pull_s,omitempty"`
}

// images are the images of one round, the same for both servers.
type images struct {
	big, small *image
}

func newImages(rng *rand.ChaCha8, o options) images {
	sizes := make([]int, o.smallLayers)
	for i := range sizes {
		sizes[i] = o.smallKiB << 10
	}
	return images{big: randomImage(rng, o.bigMiB<<20), small: randomImage(rng, sizes...)}
}

const (
	repoBig   = "bench/large"
	repoSmall = "bench/small"
)

// runRound runs every phase on both servers and returns the results by
// server and phase. The servers take turns phase by phase, and within a
// pull phase pull by pull, so that both meet the same load from the rest
// of the machine; who goes first alternates between phases and rounds.
func runRound(ctx context.Context, servers []*server, round int, ims images, o options) (map[string]map[string]phaseResult, error) {
	tag := fmt.Sprintf("r%d", round)
	out := map[string]map[string]phaseResult{}
	clients := map[string]*client{}
	for _, srv := range servers {
		out[srv.name] = map[string]phaseResult{}
		clients[srv.name] = newClient(srv)
		defer clients[srv.name].close()
	}
	type step struct {
		phase string
		turns int   // turns per server
		bytes int64 // per turn
		run   func(context.Context, *client) (float64, error)
	}
	steps := []step{
		{phaseBigPush, 1, ims.big.size(), func(ctx context.Context, c *client) (float64, error) {
			return 0, c.push(ctx, repoBig, tag, ims.big, o.pushJobs)
		}},
		{phaseBigPull, o.pullRepeat, ims.big.size(), func(ctx context.Context, c *client) (float64, error) {
			_, err := c.pull(ctx, repoBig, tag, o.pullJobs)
			return 0, err
		}},
		{phaseSmallPush, 1, ims.small.size(), func(ctx context.Context, c *client) (float64, error) {
			return 0, c.push(ctx, repoSmall, tag, ims.small, o.pushJobs)
		}},
		{phaseSmallPull, o.pullRepeat, ims.small.size(), func(ctx context.Context, c *client) (float64, error) {
			_, err := c.pull(ctx, repoSmall, tag, o.pullJobs)
			return 0, err
		}},
		{phaseConcurrent, 1, int64(o.concurrentPulls) * ims.small.size(), func(ctx context.Context, c *client) (float64, error) {
			return concurrentPulls(ctx, c, repoSmall, tag, o)
		}},
	}
	for i, st := range steps {
		order := servers
		if (round+i)%2 == 0 {
			order = []*server{servers[1], servers[0]}
		}
		for range st.turns {
			for _, srv := range order {
				r, err := measure(ctx, srv, st.bytes, func(ctx context.Context) (float64, error) { return st.run(ctx, clients[srv.name]) })
				if err != nil {
					return out, fmt.Errorf("%s, %s, round %d: %w", srv.name, st.phase, round, err)
				}
				out[srv.name][st.phase] = out[srv.name][st.phase].add(r)
			}
		}
	}
	return out, nil
}

// measure times one turn and samples the server's CPU and memory.
func measure(ctx context.Context, srv *server, bytes int64, run func(context.Context) (float64, error)) (phaseResult, error) {
	r := phaseResult{Bytes: bytes, RSSBefore: benchproc.RSS(srv.proc.Pid())}
	sampler := sampleRSS(srv.proc.Pid(), 10*time.Millisecond)
	cpu0 := benchproc.CPUTime(srv.proc.Pid())
	start := time.Now()
	slowest, err := run(ctx)
	r.Seconds = time.Since(start).Seconds()
	r.ServerCPU = (benchproc.CPUTime(srv.proc.Pid()) - cpu0).Seconds()
	r.PeakRSS = sampler.peak()
	r.SlowestPull = slowest
	return r.add(phaseResult{}), err
}

// add sums two turns of a phase (r may be the zero value) and works out
// the rates.
func (r phaseResult) add(t phaseResult) phaseResult {
	if r.Bytes == 0 {
		r.RSSBefore = t.RSSBefore
	}
	r.Bytes += t.Bytes
	r.Seconds += t.Seconds
	r.ServerCPU += t.ServerCPU
	r.PeakRSS = max(r.PeakRSS, t.PeakRSS)
	r.SlowestPull = max(r.SlowestPull, t.SlowestPull)
	if r.Seconds > 0 && r.Bytes > 0 {
		r.MBps = float64(r.Bytes) / 1e6 / r.Seconds
		r.CPUPerGB = r.ServerCPU / (float64(r.Bytes) / 1e9)
	}
	return r
}

// concurrentPulls pulls the image o.concurrentPulls times at once, each
// pull as one docker daemon would (o.pullJobs blobs at a time), and
// returns the slowest pull's seconds.
func concurrentPulls(ctx context.Context, c *client, repo, tag string, o options) (float64, error) {
	took := make([]time.Duration, o.concurrentPulls)
	err := parallel(ctx, o.concurrentPulls, o.concurrentPulls, func(ctx context.Context, i int) error {
		start := time.Now()
		_, err := c.pull(ctx, repo, tag, o.pullJobs)
		took[i] = time.Since(start)
		return err
	})
	var slowest time.Duration
	for _, d := range took {
		slowest = max(slowest, d)
	}
	return slowest.Seconds(), err
}
