package alb

import (
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/quayside/quayside/internal/alb/health"
	"github.com/quayside/quayside/internal/elb"
)

// apply makes the plane serve a snapshot: backends for every registered
// target, a routing table per listener swapped in atomically, listener
// sockets opened and closed, and health checks for the groups in use.
func (p *Plane) apply(s *snapshot) {
	now := p.o.Clock.Now()
	idle := idleTimeouts(s)
	wantBackends := map[string]bool{}
	groups := map[string]*group{}
	var specs []health.Spec
	for arn, tg := range s.tgs {
		g := &group{arn: arn, id: tg.ID, algorithm: tg.Attribute(elb.AttrAlgorithm),
			slowStart: time.Duration(atoi(tg.Attribute(elb.AttrSlowStart))) * time.Second}
		if tg.Attribute(elb.AttrStickinessEnabled) == "true" {
			d := tg.Attribute(elb.AttrLBCookieDuration)
			if tg.Attribute(elb.AttrStickinessType) == "app_cookie" {
				d = tg.Attribute(elb.AttrAppCookieDuration)
			}
			g.sticky = time.Duration(atoi(d)) * time.Second
		}
		var healthy, all []member
		restart := p.built && s.inUse[arn] && !p.used[arn]
		for _, reg := range s.regs[arn] {
			key := targetKey(arn, reg.Target)
			ip, ok := p.targetIP(tg, reg.Target)
			if !ok {
				continue
			}
			b := p.backend(key, net.JoinHostPort(ip, strconv.Itoa(reg.Target.Port)), tg.Protocol == elb.ProtocolHTTPS)
			if d, ok := idle[arn]; ok {
				b.idle.Store(int64(d))
			}
			wantBackends[key] = true
			if reg.Draining() {
				continue // no new requests; running ones finish until removal
			}
			g.registered++
			h := s.health[key]
			m := member{b: b, since: h.Since, warm: g.slowStart == 0 || now.Sub(h.Since) >= g.slowStart}
			if h.State == elb.StateHealthy {
				healthy = append(healthy, m)
			}
			all = append(all, m)
			if s.inUse[arn] {
				specs = append(specs, health.Spec{Key: key, TargetGroupARN: arn, Target: reg.Target,
					Addr:  net.JoinHostPort(ip, strconv.Itoa(tg.HealthCheckPort(reg.Target.Port))),
					Check: tg.HealthCheck, Current: h, Restart: restart})
			}
		}
		if len(healthy) > 0 {
			g.members = healthy
			if !anyWarm(healthy) {
				for i := range g.members {
					g.members[i].warm = true // no slow start when no target is past it
				}
			}
		} else {
			g.members, g.failOpen = all, true // fail open: every target not draining
		}
		groups[arn] = g
	}
	p.applyListeners(s, groups)
	p.checker.Update(specs)
	p.used, p.built = s.inUse, true
	for k, b := range p.backends {
		if !wantBackends[k] {
			b.close()
			delete(p.backends, k)
		}
	}
}

// idleTimeouts maps each target group in use to the idle timeout of the
// load balancer using it (a target group serves one load balancer).
func idleTimeouts(s *snapshot) map[string]time.Duration {
	out := map[string]time.Duration{}
	for _, l := range s.listeners {
		lb, ok := s.lbs[l.LoadBalancerARN]
		if !ok {
			continue
		}
		tgs := elb.TargetGroupARNs(l.DefaultActions)
		for _, r := range s.rules[l.ARN] {
			tgs = append(tgs, elb.TargetGroupARNs(r.Actions)...)
		}
		for _, tg := range tgs {
			out[tg] = lb.IdleTimeout()
		}
	}
	return out
}

func anyWarm(ms []member) bool {
	for _, m := range ms {
		if m.warm {
			return true
		}
	}
	return false
}

// backend returns the backend of a target, new if the target is new or
// its address or scheme changed.
func (p *Plane) backend(key, addr string, https bool) *backend {
	if b, ok := p.backends[key]; ok {
		if b.addr == addr && (b.scheme == "https") == https {
			return b
		}
		b.close()
	}
	b := newBackend(key, addr, https, p.o.ConnectTimeout)
	p.backends[key] = b
	return b
}

// targetIP is the address of a target: its ID for ip targets, the
// instance's address for instance targets.
func (p *Plane) targetIP(tg elb.TargetGroup, t elb.Target) (string, bool) {
	if tg.TargetType != elb.TargetTypeInstance {
		return t.ID, true
	}
	a, _ := elb.ParseKind(tg.ARN, elb.KindTargetGroup)
	return p.o.ResolveInstance(a.Scope, t.ID)
}

// applyListeners swaps in each listener's new table, closing listeners
// that are gone or moved first so that their ports are free, then opening
// new ones.
func (p *Plane) applyListeners(s *snapshot, groups map[string]*group) {
	type wanted struct {
		l     elb.Listener
		lb    elb.LoadBalancer
		table *table
		addr  string
	}
	want := map[string]wanted{}
	for _, l := range s.listeners {
		lb, ok := s.lbs[l.LoadBalancerARN]
		if !ok {
			continue
		}
		want[l.ARN] = wanted{l: l, lb: lb, table: buildTable(lb, l, s.rules[l.ARN], groups),
			addr: net.JoinHostPort(lb.Address, strconv.Itoa(l.Port))}
	}
	for arn, cur := range p.listeners {
		w, ok := want[arn]
		if !ok || w.addr != cur.addr || w.l.Protocol != cur.proto {
			cur.stop(p.o.DrainTimeout)
			delete(p.listeners, arn)
		}
	}
	impaired := map[string]string{}
	for arn, w := range want {
		if cur, ok := p.listeners[arn]; ok {
			cur.table.Store(w.table)
			continue
		}
		l, err := p.startListener(w.l, w.lb, w.table)
		if err != nil {
			reason := fmt.Sprintf("The %s listener on port %d could not be opened on %s: %v", w.l.Protocol, w.l.Port, w.addr, err)
			impaired[w.lb.ARN] = reason
			p.log.Warn("load balancer listener not serving", "load_balancer", w.lb.Name, "address", w.addr, "err", err)
			continue
		}
		p.log.Info("load balancer listener serving", "load_balancer", w.lb.Name, "address", w.addr, "protocol", w.l.Protocol)
		p.listeners[arn] = l
	}
	p.mu.Lock()
	p.impaired = impaired
	p.mu.Unlock()
}
