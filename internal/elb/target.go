package elb

import (
	"fmt"
	"net/netip"
	"strconv"
	"time"

	"github.com/quayside/quayside/internal/fault"
)

// Target names one target of a target group: an instance ID or an IP
// address, and a port (0: the target group's port).
type Target struct {
	ID   string `json:"id"`
	Port int    `json:"port"`
	// AvailabilityZone is recorded as given.
	AvailabilityZone string `json:"availabilityZone,omitempty"`
}

// String is the target as AWS names it in messages: "Id: 10.0.0.1, Port: 80".
func (t Target) String() string { return fmt.Sprintf("Id: %s, Port: %d", t.ID, t.Port) }

// Registration is a registered target.
type Registration struct {
	Target
	RegisteredAt time.Time `json:"registeredAt"`
	// DrainUntil is set when the target is deregistered: it drains until
	// then and is removed afterwards.
	DrainUntil time.Time `json:"drainUntil,omitzero"`
}

// Draining reports whether the target is being deregistered.
func (r Registration) Draining() bool { return !r.DrainUntil.IsZero() }

// Target health states.
const (
	StateInitial     = "initial"
	StateHealthy     = "healthy"
	StateUnhealthy   = "unhealthy"
	StateUnused      = "unused"
	StateDraining    = "draining"
	StateUnavailable = "unavailable"
)

// Reason codes, with their descriptions below.
const (
	ReasonRegistrationInProgress   = "Elb.RegistrationInProgress"
	ReasonInitialHealthChecking    = "Elb.InitialHealthChecking"
	ReasonResponseCodeMismatch     = "Target.ResponseCodeMismatch"
	ReasonTimeout                  = "Target.Timeout"
	ReasonFailedHealthChecks       = "Target.FailedHealthChecks"
	ReasonDeregistrationInProgress = "Target.DeregistrationInProgress"
	ReasonNotRegistered            = "Target.NotRegistered"
	ReasonNotInUse                 = "Target.NotInUse"
	ReasonHealthCheckDisabled      = "Target.HealthCheckDisabled"
)

// Descriptions of the reason codes that have a fixed one.
var reasonDescriptions = map[string]string{
	ReasonRegistrationInProgress:   "Target registration is in progress",
	ReasonInitialHealthChecking:    "Initial health checks in progress",
	ReasonTimeout:                  "Request timed out",
	ReasonFailedHealthChecks:       "Health checks failed",
	ReasonDeregistrationInProgress: "Target deregistration is in progress",
	ReasonNotRegistered:            "Target is not registered to the target group",
	ReasonNotInUse:                 "Target group is not configured to receive traffic from the load balancer",
	ReasonHealthCheckDisabled:      "Health checks are disabled",
}

// Health is a target's health as DescribeTargetHealth reports it.
type Health struct {
	State       string    `json:"state"`
	Reason      string    `json:"reason,omitempty"` // empty when healthy
	Description string    `json:"description,omitempty"`
	Since       time.Time `json:"since,omitzero"` // when the state was entered
	// DrainUntil is when a draining target will be removed.
	DrainUntil time.Time `json:"drainUntil,omitzero"`
}

// NewHealth returns a health with the reason's standard description.
func NewHealth(state, reason string, since time.Time) Health {
	return Health{State: state, Reason: reason, Description: reasonDescriptions[reason], Since: since}
}

// CodeMismatch is the unhealthy health of a target whose check answered
// a code the matcher does not accept.
func CodeMismatch(code int, since time.Time) Health {
	return Health{State: StateUnhealthy, Reason: ReasonResponseCodeMismatch,
		Description: "Health checks failed with these codes: [" + strconv.Itoa(code) + "]", Since: since}
}

// SameAs reports whether two healths differ only in times.
func (h Health) SameAs(o Health) bool {
	return h.State == o.State && h.Reason == o.Reason && h.Description == o.Description
}

// ValidateTarget checks a target for a target group of the given type and
// fills in its port. Quayside accepts any IP address for ip targets,
// loopback included, since local targets are processes and containers on
// this host (AWS accepts only its VPC's private ranges).
func ValidateTarget(t Target, tg TargetGroup) (Target, error) {
	if t.ID == "" {
		return t, invalid("A target ID must be specified")
	}
	if t.Port == 0 {
		t.Port = tg.Port
	}
	if t.Port < 1 || t.Port > 65535 {
		return t, fault.Newf(ErrInvalidTarget, "The port '%d' of target '%s' must be from 1 to 65535", t.Port, t.ID)
	}
	switch tg.TargetType {
	case TargetTypeIP:
		a, err := netip.ParseAddr(t.ID)
		if err != nil || a.Zone() != "" {
			return t, fault.Newf(ErrInvalidTarget, "The IP address '%s' is not a valid IPv4 address", t.ID)
		}
		if a.Is6() && tg.IPAddressType != "ipv6" {
			return t, fault.Newf(ErrInvalidTarget, "The IP address '%s' is not a valid IPv4 address", t.ID)
		}
	case TargetTypeInstance:
		if _, err := netip.ParseAddr(t.ID); err == nil {
			return t, fault.Newf(ErrInvalidTarget, "The following targets are not valid instance IDs: %s", t.ID)
		}
	}
	return t, nil
}
