package main

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"
)

// call is one API call a worker makes. It returns the operation's name and
// an error when the call failed or its answer was wrong.
type call func(ctx context.Context) (op string, err error)

// maxCallsPerWorker bounds every worker loop independently of the clock.
const maxCallsPerWorker = 5_000_000

// opSamples is what one worker saw for one operation.
type opSamples struct {
	lat      []time.Duration // successful calls only
	errors   int
	firstErr string
}

// runPhase runs concurrency workers for d. Worker w makes calls with
// next(w) until the time is up or ctx ends, and records each call's
// latency per operation.
func runPhase(ctx context.Context, d time.Duration, concurrency int, next func(worker int) call) (map[string]*opSamples, time.Duration) {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	results := make([]map[string]*opSamples, concurrency)
	var wg sync.WaitGroup
	start := time.Now()
	for w := range concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mine := map[string]*opSamples{}
			results[w] = mine
			c := next(w)
			for range maxCallsPerWorker {
				if ctx.Err() != nil {
					return
				}
				t0 := time.Now()
				op, err := c(ctx)
				lat := time.Since(t0)
				if ctx.Err() != nil {
					return // the call was cut short by the end of the phase
				}
				s := mine[op]
				if s == nil {
					s = &opSamples{lat: make([]time.Duration, 0, 4096)}
					mine[op] = s
				}
				if err != nil {
					s.errors++
					if s.firstErr == "" {
						s.firstErr = fmt.Sprintf("at %.2fs: %v", time.Since(start).Seconds(), err)
					}
					continue
				}
				s.lat = append(s.lat, lat)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	merged := map[string]*opSamples{}
	for _, m := range results {
		for op, s := range m {
			t := merged[op]
			if t == nil {
				t = &opSamples{}
				merged[op] = t
			}
			t.lat = append(t.lat, s.lat...)
			t.errors += s.errors
			if t.firstErr == "" {
				t.firstErr = s.firstErr
			}
		}
	}
	return merged, elapsed
}

// OpResult is the summary of one operation, or of all of a phase's
// operations together ("all").
type OpResult struct {
	Op         string  `json:"op"`
	Calls      int     `json:"calls"`
	Errors     int     `json:"errors"`
	PerSec     float64 `json:"calls_per_sec"`
	P50ms      float64 `json:"p50_ms"`
	P99ms      float64 `json:"p99_ms"`
	Maxms      float64 `json:"max_ms"`
	FirstError string  `json:"first_error,omitempty"`
}

// summarize turns samples into results, one per operation in ops order and
// then the total.
func summarize(samples map[string]*opSamples, ops []string, elapsed time.Duration) (total OpResult, each []OpResult) {
	all := &opSamples{}
	for _, op := range ops {
		s := samples[op]
		if s == nil {
			s = &opSamples{}
		}
		each = append(each, summarizeOne(op, s, elapsed))
		all.lat = append(all.lat, s.lat...)
		all.errors += s.errors
		if all.firstErr == "" {
			all.firstErr = s.firstErr
		}
	}
	return summarizeOne("all", all, elapsed), each
}

func summarizeOne(op string, s *opSamples, elapsed time.Duration) OpResult {
	r := OpResult{Op: op, Calls: len(s.lat), Errors: s.errors, FirstError: s.firstErr}
	if elapsed > 0 {
		r.PerSec = float64(len(s.lat)) / elapsed.Seconds()
	}
	if len(s.lat) > 0 {
		slices.Sort(s.lat)
		r.P50ms = ms(percentile(s.lat, 50))
		r.P99ms = ms(percentile(s.lat, 99))
		r.Maxms = ms(s.lat[len(s.lat)-1])
	}
	return r
}

// percentile is the nearest-rank percentile of sorted samples.
func percentile(sorted []time.Duration, p int) time.Duration {
	rank := (len(sorted)*p + 99) / 100 // ceil(n*p/100)
	return sorted[max(rank, 1)-1]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
