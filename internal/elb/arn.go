package elb

import (
	"crypto/rand"
	"encoding/hex"
	"io"
	"strings"
)

// Scope is the region and account a resource lives in.
type Scope struct {
	Region  string
	Account string
}

// Prefix is the store key prefix of the scope: "<region>/<account>/".
func (s Scope) Prefix() string { return s.Region + "/" + s.Account + "/" }

const arnPrefix = "arn:aws:elasticloadbalancing:"

// Kinds of resource, as they appear in ARNs.
const (
	KindLoadBalancer = "loadbalancer"
	KindListener     = "listener"
	KindRule         = "listener-rule"
	KindTargetGroup  = "targetgroup"
)

// ARN is a parsed ELBv2 ARN. Names and IDs that a kind does not have are
// empty: a load balancer ARN has LB and LBID; a listener ARN adds
// Listener; a rule ARN adds Rule; a target group ARN has only TG and TGID.
type ARN struct {
	Scope
	Kind     string
	LB, LBID string // load balancer name and ID
	Listener string // listener ID
	Rule     string // rule ID
	TG, TGID string // target group name and ID
}

// String renders the ARN.
func (a ARN) String() string {
	head := arnPrefix + a.Region + ":" + a.Account + ":"
	switch a.Kind {
	case KindLoadBalancer:
		return head + "loadbalancer/app/" + a.LB + "/" + a.LBID
	case KindListener:
		return head + "listener/app/" + a.LB + "/" + a.LBID + "/" + a.Listener
	case KindRule:
		return head + "listener-rule/app/" + a.LB + "/" + a.LBID + "/" + a.Listener + "/" + a.Rule
	case KindTargetGroup:
		return head + "targetgroup/" + a.TG + "/" + a.TGID
	}
	return ""
}

// LoadBalancerARN is the ARN of the load balancer a listener or rule ARN
// belongs to.
func (a ARN) LoadBalancerARN() ARN {
	return ARN{Scope: a.Scope, Kind: KindLoadBalancer, LB: a.LB, LBID: a.LBID}
}

// ListenerARN is the ARN of the listener a rule ARN belongs to.
func (a ARN) ListenerARN() ARN {
	return ARN{Scope: a.Scope, Kind: KindListener, LB: a.LB, LBID: a.LBID, Listener: a.Listener}
}

// ParseARN parses an ELBv2 ARN of any kind. ok is false when s is not one.
func ParseARN(s string) (ARN, bool) {
	rest, ok := strings.CutPrefix(s, arnPrefix)
	if !ok {
		return ARN{}, false
	}
	parts := strings.SplitN(rest, ":", 3)
	if len(parts) != 3 || parts[0] == "" || parts[1] == "" {
		return ARN{}, false
	}
	a := ARN{Scope: Scope{Region: parts[0], Account: parts[1]}}
	res := strings.Split(parts[2], "/")
	for _, p := range res {
		if p == "" {
			return ARN{}, false
		}
	}
	switch {
	case res[0] == "targetgroup" && len(res) == 3:
		a.Kind, a.TG, a.TGID = KindTargetGroup, res[1], res[2]
	case res[0] == "loadbalancer" && len(res) == 4 && res[1] == "app":
		a.Kind, a.LB, a.LBID = KindLoadBalancer, res[2], res[3]
	case res[0] == "listener" && len(res) == 5 && res[1] == "app":
		a.Kind, a.LB, a.LBID, a.Listener = KindListener, res[2], res[3], res[4]
	case res[0] == "listener-rule" && len(res) == 6 && res[1] == "app":
		a.Kind, a.LB, a.LBID, a.Listener, a.Rule = KindRule, res[2], res[3], res[4], res[5]
	default:
		return ARN{}, false
	}
	return a, true
}

// ParseKind parses an ARN that must be of the given kind.
func ParseKind(s, kind string) (ARN, bool) {
	a, ok := ParseARN(s)
	return a, ok && a.Kind == kind
}

// IDs makes resource IDs from a source of randomness.
type IDs struct{ r io.Reader }

// NewIDs returns an ID source; r defaults to crypto/rand.
func NewIDs(r io.Reader) *IDs {
	if r == nil {
		r = rand.Reader
	}
	return &IDs{r: r}
}

// New returns a new ID: 16 lowercase hex digits.
func (g *IDs) New() string {
	var b [8]byte
	if _, err := io.ReadFull(g.r, b[:]); err != nil {
		panic("elb: reading randomness: " + err.Error())
	}
	return hex.EncodeToString(b[:])
}
