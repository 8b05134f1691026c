package main

import (
	"time"

	"github.com/quayside/quayside/bench/internal/benchproc"
)

// rssSampler reads a process's RSS every interval until stopped, keeping
// the peak.
type rssSampler struct {
	stop chan struct{}
	done chan int64
}

func sampleRSS(pid int, every time.Duration) *rssSampler {
	s := &rssSampler{stop: make(chan struct{}), done: make(chan int64, 1)}
	go func() {
		peak := benchproc.RSS(pid)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-s.stop:
				s.done <- max(peak, benchproc.RSS(pid))
				return
			case <-t.C:
				peak = max(peak, benchproc.RSS(pid))
			}
		}
	}()
	return s
}

// peak stops sampling and returns the highest RSS seen.
func (s *rssSampler) peak() int64 {
	close(s.stop)
	return <-s.done
}
