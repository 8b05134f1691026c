package elb

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/quayside/quayside/internal/fault"
)

// TargetGroup is a target group of an Application Load Balancer.
type TargetGroup struct {
	Name            string            `json:"name"`
	ID              string            `json:"id"`
	ARN             string            `json:"arn"`
	Protocol        string            `json:"protocol"`        // HTTP or HTTPS
	ProtocolVersion string            `json:"protocolVersion"` // HTTP1
	Port            int               `json:"port"`
	VpcID           string            `json:"vpcId"`
	TargetType      string            `json:"targetType"` // instance or ip
	IPAddressType   string            `json:"ipAddressType"`
	HealthCheck     HealthCheck       `json:"healthCheck"`
	Attributes      map[string]string `json:"attributes,omitempty"` // only values set explicitly
	Tags            []Tag             `json:"tags,omitempty"`
	CreatedAt       time.Time         `json:"createdAt"`
}

// HealthCheck is a target group's health check settings.
type HealthCheck struct {
	Enabled            bool   `json:"enabled"`
	Protocol           string `json:"protocol"`
	Port               string `json:"port"` // "traffic-port" or a number
	Path               string `json:"path"`
	IntervalSeconds    int    `json:"intervalSeconds"`
	TimeoutSeconds     int    `json:"timeoutSeconds"`
	HealthyThreshold   int    `json:"healthyThreshold"`
	UnhealthyThreshold int    `json:"unhealthyThreshold"`
	Matcher            string `json:"matcher"` // HTTP codes: "200", "200-299", "200,302"
}

// Target types and protocols.
const (
	TargetTypeInstance = "instance"
	TargetTypeIP       = "ip"
	TargetTypeLambda   = "lambda"
	TargetTypeALB      = "alb"
	ProtocolHTTP       = "HTTP"
	ProtocolHTTPS      = "HTTPS"
	ProtocolVersionH1  = "HTTP1"
	TrafficPort        = "traffic-port"
)

// DefaultHealthCheck returns AWS's health check for an HTTP target group:
// GET / on the traffic port every 30 s, 5 s timeout, healthy after 5
// passes, unhealthy after 2 failures, success on 200. interval, when not
// zero, replaces the 30 s (a server option for local use); the timeout
// then shrinks to stay below it.
func DefaultHealthCheck(protocol string, interval time.Duration) HealthCheck {
	hc := HealthCheck{Enabled: true, Protocol: protocol, Port: TrafficPort, Path: "/",
		IntervalSeconds: 30, TimeoutSeconds: 5, HealthyThreshold: 5, UnhealthyThreshold: 2, Matcher: "200"}
	if hc.Protocol == "" {
		hc.Protocol = ProtocolHTTP
	}
	if s := int(interval / time.Second); s > 0 {
		hc.IntervalSeconds = s
		hc.TimeoutSeconds = max(1, min(hc.TimeoutSeconds, s-1))
	}
	return hc
}

// Attribute returns the target group attribute's effective value.
func (tg TargetGroup) Attribute(key string) string {
	if v, ok := tg.Attributes[key]; ok {
		return v
	}
	return TargetGroupAttributeDefaults[key]
}

// DeregistrationDelay is deregistration_delay.timeout_seconds.
func (tg TargetGroup) DeregistrationDelay() time.Duration {
	return time.Duration(atoiOr(tg.Attribute(AttrDeregistrationDelay), 300)) * time.Second
}

// HealthCheckPort is the port a target is checked on.
func (tg TargetGroup) HealthCheckPort(targetPort int) int {
	if n, err := strconv.Atoi(tg.HealthCheck.Port); err == nil {
		return n
	}
	return targetPort
}

// ValidateTargetGroupName checks a target group name as AWS does.
func ValidateTargetGroupName(name string) error {
	switch {
	case name == "":
		return invalid("A target group name must be specified")
	case len(name) > 32:
		return invalid("Target group name '%s' cannot be longer than '32' characters", name)
	case !alnumHyphen(name):
		return invalid("Target group name '%s' can only contain characters that are alphanumeric characters or hyphens(-)", name)
	case strings.HasPrefix(name, "-") || strings.HasSuffix(name, "-"):
		return invalid("Target group name '%s' cannot begin or end with '-'", name)
	}
	return nil
}

// ValidateTargetType accepts instance and ip; Quayside has no Lambda and
// no NLB, so lambda and alb target groups are refused.
func ValidateTargetType(t string) error {
	switch t {
	case TargetTypeInstance, TargetTypeIP:
		return nil
	case TargetTypeLambda, TargetTypeALB:
		return invalid("Target type '%s' is not supported: Quayside load balances only to 'instance' and 'ip' targets", t)
	}
	return invalid("Target type '%s' is not valid; valid target types are 'instance', 'ip', 'lambda' and 'alb'", t)
}

// ValidateTargetGroupProtocol accepts the protocols of ALB target groups.
func ValidateTargetGroupProtocol(p string) error {
	switch p {
	case ProtocolHTTP, ProtocolHTTPS:
		return nil
	case "":
		return invalid("A protocol must be specified")
	}
	return fault.Newf(ErrUnsupportedProtocol, "Protocol '%s' is not supported: Quayside's target groups serve Application Load Balancers (HTTP or HTTPS)", p)
}

// Validate checks health check settings against AWS's ranges and rules.
func (hc HealthCheck) Validate(targetType string) error {
	if !hc.Enabled {
		return invalid("Health checks cannot be disabled for target groups with target type '%s'", targetType)
	}
	if hc.Protocol != ProtocolHTTP && hc.Protocol != ProtocolHTTPS {
		return invalid("Health check protocol '%s' is not supported for target groups with the HTTP or HTTPS protocol", hc.Protocol)
	}
	if hc.Port != TrafficPort {
		n, err := strconv.Atoi(hc.Port)
		if err != nil || n < 1 || n > 65535 {
			return invalid("Health check port '%s' must be 'traffic-port' or a number from 1 to 65535", hc.Port)
		}
	}
	if !strings.HasPrefix(hc.Path, "/") {
		return invalid("Health check path must begin with a '/' character")
	}
	if hc.TimeoutSeconds >= hc.IntervalSeconds {
		return invalid("Health check interval must be greater than the timeout.")
	}
	if _, err := ParseMatcher(hc.Matcher); err != nil {
		return err
	}
	return nil
}

// Matcher is a parsed HTTP code matcher: "200", "200,202", "200-299".
type Matcher [][2]int

// ParseMatcher parses HttpCode; codes must be 200 to 499.
func ParseMatcher(s string) (Matcher, error) {
	bad := func() error {
		return invalid("Health check matcher HTTP code '%s' must be within '200-499' and of the form '200', '200,202' or '200-299'", s)
	}
	if s == "" {
		return nil, bad()
	}
	var m Matcher
	for _, part := range strings.Split(s, ",") {
		lo, hi, isRange := strings.Cut(strings.TrimSpace(part), "-")
		a, err1 := strconv.Atoi(lo)
		b := a
		var err2 error
		if isRange {
			b, err2 = strconv.Atoi(hi)
		}
		if err1 != nil || err2 != nil || a < 200 || b > 499 || a > b {
			return nil, bad()
		}
		m = append(m, [2]int{a, b})
	}
	return m, nil
}

// Match reports whether status is one of the matcher's codes.
func (m Matcher) Match(status int) bool {
	for _, r := range m {
		if status >= r[0] && status <= r[1] {
			return true
		}
	}
	return false
}

// String renders the matcher as AWS stores it.
func (m Matcher) String() string {
	parts := make([]string, len(m))
	for i, r := range m {
		if r[0] == r[1] {
			parts[i] = strconv.Itoa(r[0])
		} else {
			parts[i] = fmt.Sprintf("%d-%d", r[0], r[1])
		}
	}
	return strings.Join(parts, ",")
}
