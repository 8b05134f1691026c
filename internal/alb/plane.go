package alb

import (
	"context"
	"crypto/tls"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/quayside/quayside/internal/alb/clock"
	"github.com/quayside/quayside/internal/alb/health"
	"github.com/quayside/quayside/internal/elb"
	"github.com/quayside/quayside/internal/elb/elbdb"
	"github.com/quayside/quayside/internal/store"
)

// Options configure the data plane.
type Options struct {
	Store store.Store
	Log   *slog.Logger
	// Clock drives the health checks (default: the wall clock).
	Clock clock.Clock
	// HeaderTimeout bounds how long a client may take to send a request's
	// headers (default 60 s): slow clients are cut off.
	HeaderTimeout time.Duration
	// ConnectTimeout bounds connecting to a target (default 10 s, as ALB).
	ConnectTimeout time.Duration
	// DrainTimeout bounds how long a closed listener's requests in flight
	// may run on (default 30 s).
	DrainTimeout time.Duration
	// ResolveInstance gives the IP address of an instance target (an EC2
	// instance ID, i.e. a container instance's); default: every instance
	// is this host, 127.0.0.1, where bridge-mode host ports are published.
	ResolveInstance func(s elb.Scope, instanceID string) (ip string, ok bool)

	// generalOnly turns the fast path off: every connection goes to
	// net/http (tests of the general path).
	generalOnly bool
}

// Plane is the data plane: it serves every listener of every load
// balancer and health-checks their targets. New, then Run until the
// context ends; Run closes everything it opened before returning.
type Plane struct {
	o       Options
	log     *slog.Logger
	checker *health.Checker
	ctx     context.Context // Run's, for writing health

	// Owned by Run's goroutine.
	listeners map[string]*listener // by listener ARN
	backends  map[string]*backend  // by targetKey
	used      map[string]bool      // target groups in use at the last build
	certs     map[string]*tls.Certificate
	built     bool

	mu       sync.Mutex
	impaired map[string]string // load balancer ARN → reason
	applied  atomic.Int64      // store revision of the configuration serving
	notify   chan struct{}     // closed and replaced after each build

	wg sync.WaitGroup // listener servers and their shutdowns
}

// New returns a data plane; Run starts it.
func New(o Options) *Plane {
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.Clock == nil {
		o.Clock = clock.Real{}
	}
	if o.HeaderTimeout <= 0 {
		o.HeaderTimeout = 60 * time.Second
	}
	if o.ConnectTimeout <= 0 {
		o.ConnectTimeout = ConnectTimeout
	}
	if o.DrainTimeout <= 0 {
		o.DrainTimeout = 30 * time.Second
	}
	if o.ResolveInstance == nil {
		o.ResolveInstance = func(elb.Scope, string) (string, bool) { return "127.0.0.1", true }
	}
	p := &Plane{o: o, log: o.Log.With("component", "alb"), listeners: map[string]*listener{}, backends: map[string]*backend{},
		used: map[string]bool{}, certs: map[string]*tls.Certificate{}, impaired: map[string]string{}, notify: make(chan struct{})}
	p.checker = health.NewChecker(o.Clock, p.report)
	return p
}

// Run serves until ctx ends: it builds the configuration at start and
// again after every change to the ELB tables, and retries listeners that
// could not bind every few seconds.
func (p *Plane) Run(ctx context.Context) {
	p.ctx = ctx
	defer p.shutdown()
	changes := p.o.Store.Watch(ctx, elbdb.AllTables...)
	retry := time.NewTicker(5 * time.Second)
	defer retry.Stop()
	p.reload(ctx)
	for {
		select {
		case <-ctx.Done():
			return
		case _, ok := <-changes:
			if !ok {
				return
			}
			for more := true; more; { // a burst of changes is one build
				select {
				case _, ok := <-changes:
					if !ok {
						return
					}
				default:
					more = false
				}
			}
		case <-retry.C:
			if !p.anyImpaired() {
				continue
			}
		}
		p.reload(ctx)
	}
}

func (p *Plane) reload(ctx context.Context) {
	s, err := loadSnapshot(ctx, p.o.Store)
	if err != nil {
		if ctx.Err() == nil {
			p.log.Error("read load balancer configuration", "err", err)
		}
		return
	}
	p.apply(s)
	p.mu.Lock()
	p.applied.Store(s.rev)
	close(p.notify)
	p.notify = make(chan struct{})
	p.mu.Unlock()
}

// Sync waits until the plane serves the configuration as of now.
func (p *Plane) Sync(ctx context.Context) error {
	var rev int64
	if err := p.o.Store.View(ctx, func(tx store.ReadTx) error { rev = tx.Revision(); return nil }); err != nil {
		return err
	}
	for {
		p.mu.Lock()
		done, ch := p.applied.Load() >= rev, p.notify
		p.mu.Unlock()
		if done {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// LoadBalancerState reports "active", or "active_impaired" with the
// reason when one of the load balancer's listeners could not bind.
func (p *Plane) LoadBalancerState(arn string) (code, reason string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if r, ok := p.impaired[arn]; ok {
		return "active_impaired", r
	}
	return "active", ""
}

func (p *Plane) anyImpaired() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.impaired) > 0
}

// report records a health check's change of state in the store.
func (p *Plane) report(tgARN string, t elb.Target, h elb.Health) {
	a, _ := elb.ParseKind(tgARN, elb.KindTargetGroup)
	err := p.o.Store.Update(p.ctx, func(tx store.Tx) error { return elbdb.PutHealth(tx, a, t, h) })
	switch {
	case err != nil && !errors.Is(err, context.Canceled) && p.ctx.Err() == nil:
		p.log.Error("record target health", "target_group", tgARN, "target", t.ID, "port", t.Port, "err", err)
	case h.State == elb.StateUnhealthy:
		p.log.Info("target unhealthy", "target_group", tgARN, "target", t.ID, "port", t.Port, "reason", h.Reason, "description", h.Description)
	default:
		p.log.Debug("target health", "target_group", tgARN, "target", t.ID, "port", t.Port, "state", h.State, "reason", h.Reason)
	}
}

// shutdown stops the health checks, the listeners and the backends.
func (p *Plane) shutdown() {
	p.checker.Close()
	for arn, l := range p.listeners {
		l.stop(5 * time.Second)
		delete(p.listeners, arn)
	}
	for k, b := range p.backends {
		b.close()
		delete(p.backends, k)
	}
	p.wg.Wait()
}
