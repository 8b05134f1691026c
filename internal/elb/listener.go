package elb

import (
	"slices"

	"github.com/quayside/quayside/internal/fault"
)

// Listener is a load balancer's listener: a port and protocol, and the
// default actions for requests that match no rule.
type Listener struct {
	ID              string        `json:"id"`
	ARN             string        `json:"arn"`
	LoadBalancerARN string        `json:"loadBalancerArn"`
	Port            int           `json:"port"`
	Protocol        string        `json:"protocol"` // HTTP or HTTPS
	SslPolicy       string        `json:"sslPolicy,omitempty"`
	Certificates    []Certificate `json:"certificates,omitempty"`
	AlpnPolicy      []string      `json:"alpnPolicy,omitempty"`
	DefaultActions  []Action      `json:"defaultActions"`
	DefaultRuleID   string        `json:"defaultRuleId"`
	Tags            []Tag         `json:"tags,omitempty"`
}

// Certificate is a server certificate named on an HTTPS listener.
type Certificate struct {
	ARN       string `json:"arn"`
	IsDefault bool   `json:"isDefault,omitempty"`
}

// DefaultRuleARN is the ARN of the listener's default rule.
func (l Listener) DefaultRuleARN() string {
	a, _ := ParseKind(l.ARN, KindListener)
	a.Kind, a.Rule = KindRule, l.DefaultRuleID
	return a.String()
}

// DefaultSSLPolicy is the policy AWS gives HTTPS listeners created
// without one.
const DefaultSSLPolicy = "ELBSecurityPolicy-2016-08"

// SSLPolicies are the predefined policies Quayside accepts. Quayside
// serves TLS with Go's defaults whichever is named (TLS 1.2 and 1.3).
var SSLPolicies = []string{
	"ELBSecurityPolicy-2016-08", "ELBSecurityPolicy-TLS-1-0-2015-04", "ELBSecurityPolicy-TLS-1-1-2017-01",
	"ELBSecurityPolicy-TLS-1-2-2017-01", "ELBSecurityPolicy-TLS-1-2-Ext-2018-06", "ELBSecurityPolicy-FS-2018-06",
	"ELBSecurityPolicy-FS-1-1-2019-08", "ELBSecurityPolicy-FS-1-2-2019-08", "ELBSecurityPolicy-FS-1-2-Res-2019-08",
	"ELBSecurityPolicy-FS-1-2-Res-2020-10", "ELBSecurityPolicy-2015-05", "ELBSecurityPolicy-TLS13-1-2-2021-06",
	"ELBSecurityPolicy-TLS13-1-2-Res-2021-06", "ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06",
	"ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06", "ELBSecurityPolicy-TLS13-1-1-2021-06",
	"ELBSecurityPolicy-TLS13-1-0-2021-06", "ELBSecurityPolicy-TLS13-1-3-2021-06",
	"ELBSecurityPolicy-TLS13-1-2-2021-06-PQ", "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
	"ELBSecurityPolicy-TLS13-1-3-PQ-2025-09",
}

// ValidateListener checks a listener's protocol, port and TLS settings,
// and fills in the SSL policy of an HTTPS listener. HTTPS listeners are
// accepted and recorded as AWS does; the data plane serves them with a
// certificate it generates (ACM certificates named by ARN are not
// served).
func ValidateListener(l *Listener) error {
	switch l.Protocol {
	case ProtocolHTTP:
		if len(l.Certificates) > 0 {
			return fault.New(ErrInvalidConfiguration, "Certificates cannot be specified for listeners with the HTTP protocol")
		}
		if l.SslPolicy != "" {
			return fault.New(ErrInvalidConfiguration, "An SSL policy cannot be specified for listeners with the HTTP protocol")
		}
	case ProtocolHTTPS:
		if len(l.Certificates) == 0 {
			return fault.New(ErrValidation, "A certificate must be specified for HTTPS listeners")
		}
		if len(l.Certificates) > 1 {
			return fault.Newf(ErrTooManyCertificates, "Only one default certificate can be specified for a listener; add others with AddListenerCertificates")
		}
		if l.SslPolicy == "" {
			l.SslPolicy = DefaultSSLPolicy
		}
		if !slices.Contains(SSLPolicies, l.SslPolicy) {
			return fault.Newf(ErrSSLPolicyNotFound, "SSL policy '%s' not found", l.SslPolicy)
		}
		l.Certificates[0].IsDefault = true
	case "":
		return invalid("A protocol must be specified")
	case "TCP", "TLS", "UDP", "TCP_UDP", "GENEVE", "QUIC", "TCP_QUIC":
		return fault.Newf(ErrUnsupportedProtocol, "Protocol '%s' is not supported by load balancers of type 'application'", l.Protocol)
	default:
		return invalid("Protocol '%s' is not valid", l.Protocol)
	}
	if l.Port < 1 || l.Port > 65535 {
		return invalid("A port from 1 to 65535 must be specified")
	}
	if len(l.AlpnPolicy) > 0 { // ALPN policies are for Network Load Balancers
		return fault.New(ErrInvalidConfiguration, "ALPN policies are only supported on TLS listeners")
	}
	return nil
}
