package health

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/quayside/quayside/internal/alb/clock"
	"github.com/quayside/quayside/internal/elb"
)

// Spec is one target to check.
type Spec struct {
	Key            string // unique per target group and target
	TargetGroupARN string
	Target         elb.Target
	Addr           string // host:port the check connects to
	Check          elb.HealthCheck
	// Current is the health last recorded; Restart begins afresh from
	// initial (the group has just come into use).
	Current elb.Health
	Restart bool
}

// Report receives every change of a target's health.
type Report func(tgARN string, t elb.Target, h elb.Health)

// UserAgent is the User-Agent of health check requests.
const UserAgent = "ELB-HealthChecker/2.0"

// Checker runs one probe loop per target.
type Checker struct {
	clock  clock.Clock
	report Report
	client *http.Client

	mu     sync.Mutex
	probes map[string]*probe
	wg     sync.WaitGroup
}

type probe struct {
	mu     sync.Mutex
	spec   Spec
	ctx    context.Context
	cancel context.CancelFunc
}

func (p *probe) get() Spec {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.spec
}

// NewChecker returns a checker that reports changes to report.
func NewChecker(c clock.Clock, report Report) *Checker {
	tr := &http.Transport{
		DialContext:       (&net.Dialer{Timeout: 10 * time.Second}).DialContext,
		DisableKeepAlives: true, DisableCompression: true,
		TLSClientConfig: &tls.Config{InsecureSkipVerify: true}, // as ALB: targets' certificates are not verified
	}
	client := &http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return &Checker{clock: c, report: report, client: client, probes: map[string]*probe{}}
}

// Update makes the set of checked targets specs: it starts probes for new
// targets, passes new settings to running ones and stops the rest.
func (c *Checker) Update(specs []Spec) {
	c.mu.Lock()
	defer c.mu.Unlock()
	want := map[string]bool{}
	for _, s := range specs {
		want[s.Key] = true
		if p, ok := c.probes[s.Key]; ok && !s.Restart {
			p.mu.Lock()
			p.spec.Check, p.spec.Addr = s.Check, s.Addr
			p.mu.Unlock()
			continue
		} else if ok {
			p.cancel()
		}
		ctx, cancel := context.WithCancel(context.Background())
		p := &probe{spec: s, ctx: ctx, cancel: cancel}
		c.probes[s.Key] = p
		c.wg.Add(1)
		go c.run(p)
	}
	for k, p := range c.probes {
		if !want[k] {
			p.cancel()
			delete(c.probes, k)
		}
	}
}

// Close stops every probe and waits for them.
func (c *Checker) Close() {
	c.mu.Lock()
	for k, p := range c.probes {
		p.cancel()
		delete(c.probes, k)
	}
	c.mu.Unlock()
	c.wg.Wait()
	c.client.CloseIdleConnections()
}

func (c *Checker) run(p *probe) {
	defer c.wg.Done()
	s := p.get()
	var st Status
	if s.Restart {
		st = Begin(elb.Health{}, c.clock.Now())
	} else {
		st = Begin(s.Current, c.clock.Now())
	}
	if !st.Health.SameAs(s.Current) {
		c.emit(p, s, st.Health)
	}
	for {
		s = p.get()
		res := c.check(p.ctx, s)
		if p.ctx.Err() != nil {
			return
		}
		next := Step(st, res, s.Check.HealthyThreshold, s.Check.UnhealthyThreshold, c.clock.Now())
		if !next.Health.SameAs(st.Health) {
			c.emit(p, s, next.Health)
		}
		st = next
		wake := make(chan struct{})
		t := c.clock.AfterFunc(time.Duration(s.Check.IntervalSeconds)*time.Second, func() { close(wake) })
		select {
		case <-wake:
		case <-p.ctx.Done():
			t.Stop()
			return
		}
	}
}

func (c *Checker) emit(p *probe, s Spec, h elb.Health) {
	if p.ctx.Err() == nil {
		c.report(s.TargetGroupARN, s.Target, h)
	}
}

var errCheckTimeout = errors.New("health check timed out")

// check runs one health check request.
func (c *Checker) check(ctx context.Context, s Spec) Result {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	t := c.clock.AfterFunc(time.Duration(s.Check.TimeoutSeconds)*time.Second, func() { cancel(errCheckTimeout) })
	defer t.Stop()
	scheme := "http"
	if s.Check.Protocol == elb.ProtocolHTTPS {
		scheme = "https"
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, scheme+"://"+s.Addr+s.Check.Path, nil)
	if err != nil {
		return Result{}
	}
	req.Header.Set("User-Agent", UserAgent)
	resp, err := c.client.Do(req)
	if err != nil {
		return Result{Timeout: errors.Is(context.Cause(ctx), errCheckTimeout) || isTimeout(err)}
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	m, err := elb.ParseMatcher(s.Check.Matcher)
	if err != nil {
		m = elb.Matcher{{200, 200}}
	}
	return Result{OK: m.Match(resp.StatusCode), Code: resp.StatusCode}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
