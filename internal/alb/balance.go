package alb

import (
	"encoding/base64"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/quayside/quayside/internal/elb"
)

// Stickiness cookies, as ALB names them. The *CORS twin carries the same
// value with SameSite=None so that cross-origin requests stick too.
const (
	cookieTarget     = "AWSALB"
	cookieTargetCORS = "AWSALBCORS"
	cookieGroup      = "AWSALBTG"
	cookieGroupCORS  = "AWSALBTGCORS"
)

// group is a target group as one routing table sees it.
type group struct {
	arn, id    string
	registered int      // targets registered and not draining
	members    []member // where new requests may go
	failOpen   bool     // no target is healthy: members are all of them
	algorithm  string
	slowStart  time.Duration
	sticky     time.Duration // lb_cookie stickiness duration; 0: off
	rr         atomic.Uint64
}

// member is a routable target and when it became healthy (slow start).
type member struct {
	b     *backend
	since time.Time
	warm  bool // out of slow start when the table was built
}

// pick chooses a target for a request: the sticky one if the request's
// AWSALB cookie names a member, else by the group's algorithm. cookie is
// the AWSALB value to set, if the group is sticky.
func (g *group) pick(r *http.Request, now time.Time) (b *backend, cookie string) {
	n := len(g.members)
	if n == 0 {
		return nil, ""
	}
	if g.sticky > 0 {
		if c, err := r.Cookie(cookieTarget); err == nil {
			if raw, err := base64.RawURLEncoding.DecodeString(c.Value); err == nil {
				if id, addr, ok := strings.Cut(string(raw), "|"); ok && id == g.id {
					for i := range g.members {
						if g.members[i].b.addr == addr {
							return g.members[i].b, c.Value
						}
					}
				}
			}
		}
		defer func() { cookie = base64.RawURLEncoding.EncodeToString([]byte(g.id + "|" + b.addr)) }()
	}
	if n == 1 {
		return g.members[0].b, ""
	}
	start := int(g.rr.Add(1) % uint64(n))
	switch g.algorithm {
	case elb.AlgorithmLeastOutReq:
		best := start
		for i := 1; i < n; i++ {
			j := (start + i) % n
			if g.members[j].b.inflight.Load() < g.members[best].b.inflight.Load() {
				best = j
			}
		}
		return g.members[best].b, ""
	case elb.AlgorithmWeightedRnd:
		start = rand.IntN(n)
	}
	for i := 0; i < n; i++ {
		m := &g.members[(start+i)%n]
		if g.slowStart > 0 && !m.warm && !g.failOpen {
			// In slow start a target's share grows linearly from nothing to
			// a full share over the duration.
			share := float64(now.Sub(m.since)) / float64(g.slowStart)
			if share < 1 && rand.Float64() >= max(share, 0.02) {
				continue
			}
		}
		return m.b, ""
	}
	return g.members[start].b, ""
}

// weighted is a target group of a forward action with its weight.
type weighted struct {
	g      *group
	weight int
}

// pickGroup chooses the target group of a forward action: the one the
// AWSALBTG cookie names when group stickiness is on, else at random by
// weight. cookie is the AWSALBTG value to set, if sticky.
func (a *action) pickGroup(r *http.Request) (g *group, cookie string) {
	if len(a.groups) == 1 && a.groupSticky == 0 {
		return a.groups[0].g, ""
	}
	if a.groupSticky > 0 {
		if c, err := r.Cookie(cookieGroup); err == nil {
			if raw, err := base64.RawURLEncoding.DecodeString(c.Value); err == nil {
				for _, w := range a.groups {
					if w.weight > 0 && w.g.id == string(raw) {
						return w.g, c.Value
					}
				}
			}
		}
		defer func() {
			if g != nil {
				cookie = base64.RawURLEncoding.EncodeToString([]byte(g.id))
			}
		}()
	}
	if a.totalWeight <= 0 {
		return nil, ""
	}
	n := rand.IntN(a.totalWeight)
	for _, w := range a.groups {
		if n < w.weight {
			return w.g, ""
		}
		n -= w.weight
	}
	return nil, ""
}

// replyCookies is the Set-Cookie values an answer carries for stickiness:
// the target group's (AWSALBTG) when groupCookie is set, then the
// target's (AWSALB) when targetCookie is set.
func replyCookies(groupCookie, targetCookie string, groupSticky, targetSticky time.Duration, now time.Time) []string {
	var cookies []string
	if groupCookie != "" {
		cookies = append(cookies, stickyCookies(cookieGroup, cookieGroupCORS, groupCookie, groupSticky, now)...)
	}
	if targetCookie != "" {
		cookies = append(cookies, stickyCookies(cookieTarget, cookieTargetCORS, targetCookie, targetSticky, now)...)
	}
	return cookies
}

// stickyCookies renders the Set-Cookie values for a cookie and its CORS
// twin.
func stickyCookies(name, corsName, value string, d time.Duration, now time.Time) []string {
	exp := now.Add(d).UTC().Format(http.TimeFormat)
	return []string{
		name + "=" + value + "; Expires=" + exp + "; Path=/",
		corsName + "=" + value + "; Expires=" + exp + "; Path=/; SameSite=None; Secure",
	}
}
