package alb

import (
	"strconv"
	"time"

	"github.com/quayside/quayside/internal/alb/route"
	"github.com/quayside/quayside/internal/elb"
)

// table is one listener's routing table: immutable once built, swapped in
// whole.
type table struct {
	lbARN     string
	port      int
	portStr   string
	scheme    string // http or https
	idle      time.Duration
	keepAlive time.Duration // client_keep_alive.seconds
	xffMode   string        // append, preserve or remove
	xffPort   bool
	keepHost  bool     // routing.http.preserve_host_header.enabled
	dropBad   bool     // routing.http.drop_invalid_header_fields.enabled
	protoHdr  []string // X-Forwarded-Proto, shared by every request
	portHdr   []string // X-Forwarded-Port
	rules     []rule
}

// rule is a compiled rule; the default rule has no matcher.
type rule struct {
	match *route.Matcher
	act   action
}

// action is a rule's terminal action, compiled.
type action struct {
	kind        string
	fixed       *elb.FixedResponseConfig
	redirect    *elb.RedirectConfig
	groups      []weighted
	totalWeight int
	groupSticky time.Duration // AWSALBTG stickiness; 0: off
}

// buildTable compiles a listener's rules over the groups of one build.
func buildTable(lb elb.LoadBalancer, l elb.Listener, rules []elb.Rule, groups map[string]*group) *table {
	t := &table{
		lbARN: lb.ARN, port: l.Port, portStr: strconv.Itoa(l.Port), scheme: "http",
		idle:      lb.IdleTimeout(),
		keepAlive: time.Duration(atoi(lb.Attribute(elb.AttrClientKeepAlive))) * time.Second,
		xffMode:   lb.Attribute(elb.AttrXFFMode), xffPort: lb.Attribute(elb.AttrXFFClientPort) == "true",
		keepHost: lb.Attribute(elb.AttrPreserveHost) == "true", dropBad: lb.Attribute(elb.AttrDropInvalidHeaders) == "true",
	}
	if l.Protocol == elb.ProtocolHTTPS {
		t.scheme = "https"
	}
	t.protoHdr, t.portHdr = []string{t.scheme}, []string{t.portStr}
	for _, r := range rules {
		t.rules = append(t.rules, rule{match: route.Compile(r.Conditions), act: compileAction(r.Actions, groups)})
	}
	t.rules = append(t.rules, rule{act: compileAction(l.DefaultActions, groups)})
	return t
}

func compileAction(actions []elb.Action, groups map[string]*group) action {
	if len(actions) == 0 {
		return action{kind: elb.ActionFixedResponse, fixed: &elb.FixedResponseConfig{StatusCode: "503"}}
	}
	last := actions[len(actions)-1] // the terminal action, validated to be last
	a := action{kind: last.Type, fixed: last.Fixed, redirect: last.Redirect}
	if f := last.Forward; f != nil {
		for _, w := range f.TargetGroups {
			g := groups[w.ARN]
			if g == nil {
				g = &group{arn: w.ARN} // deleted meanwhile: no targets, 503
			}
			a.groups = append(a.groups, weighted{g: g, weight: w.Weight})
			a.totalWeight += w.Weight
		}
		if f.Stickiness {
			a.groupSticky = time.Duration(f.StickinessSeconds) * time.Second
		}
	}
	return a
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
