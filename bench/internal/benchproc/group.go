package benchproc

import (
	"sync"
	"time"
)

// Group is the processes of one benchmark run, for stopping them all on
// every exit path. The zero Group is ready to use.
type Group struct {
	mu    sync.Mutex
	procs []*Proc
}

// Start starts a process as the package's Start does, and adds it to g.
func (g *Group) Start(name, dir, log string, argv ...string) (*Proc, error) {
	p, err := Start(name, dir, log, argv...)
	if err != nil {
		return nil, err
	}
	g.mu.Lock()
	g.procs = append(g.procs, p)
	g.mu.Unlock()
	return p, nil
}

// StopAll stops every process in g at once, each as Proc.Stop does with
// grace, and returns when all have exited. A StopAll called meanwhile, say
// from a signal handler, waits for this one.
func (g *Group) StopAll(grace time.Duration) {
	g.mu.Lock()
	defer g.mu.Unlock()
	var wg sync.WaitGroup
	for _, p := range g.procs {
		wg.Add(1)
		go func() { defer wg.Done(); p.Stop(grace) }()
	}
	wg.Wait()
	g.procs = nil
}
