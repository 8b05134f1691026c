package elb

import (
	"maps"
	"slices"
	"strconv"
)

// Load balancer attribute keys the data plane honours.
const (
	AttrIdleTimeout         = "idle_timeout.timeout_seconds"
	AttrDeletionProtection  = "deletion_protection.enabled"
	AttrXFFMode             = "routing.http.xff_header_processing.mode"
	AttrXFFClientPort       = "routing.http.xff_client_port.enabled"
	AttrPreserveHost        = "routing.http.preserve_host_header.enabled"
	AttrDropInvalidHeaders  = "routing.http.drop_invalid_header_fields.enabled"
	AttrClientKeepAlive     = "client_keep_alive.seconds"
	AttrDesyncMitigation    = "routing.http.desync_mitigation_mode"
	AttrHTTP2               = "routing.http2.enabled"
	AttrTLSCipherHeader     = "routing.http.x_amzn_tls_version_and_cipher_suite.enabled"
	AttrWAFFailOpen         = "waf.fail_open.enabled"
	AttrAccessLogsEnabled   = "access_logs.s3.enabled"
	AttrCrossZoneLB         = "load_balancing.cross_zone.enabled"
	AttrZonalShift          = "zonal_shift.config.enabled"
	AttrConnectionLogs      = "connection_logs.s3.enabled"
	AttrHealthCheckLogs     = "health_check_logs.s3.enabled"
	AttrTLSClientCertHeader = "routing.http.x_amzn_mtls_clientcert_serial_number.header_name"
)

// LoadBalancerAttributeDefaults are an Application Load Balancer's
// attributes as AWS reports them for a new load balancer.
var LoadBalancerAttributeDefaults = map[string]string{
	AttrAccessLogsEnabled:         "false",
	"access_logs.s3.bucket":       "",
	"access_logs.s3.prefix":       "",
	AttrConnectionLogs:            "false",
	"connection_logs.s3.bucket":   "",
	"connection_logs.s3.prefix":   "",
	AttrHealthCheckLogs:           "false",
	"health_check_logs.s3.bucket": "",
	"health_check_logs.s3.prefix": "",
	AttrClientKeepAlive:           "3600",
	AttrDeletionProtection:        "false",
	AttrIdleTimeout:               "60",
	AttrCrossZoneLB:               "true",
	AttrDesyncMitigation:          "defensive",
	AttrDropInvalidHeaders:        "false",
	AttrPreserveHost:              "false",
	AttrTLSCipherHeader:           "false",
	AttrXFFClientPort:             "false",
	AttrXFFMode:                   "append",
	AttrHTTP2:                     "true",
	AttrWAFFailOpen:               "false",
	AttrZonalShift:                "false",
}

// Target group attribute keys.
const (
	AttrDeregistrationDelay = "deregistration_delay.timeout_seconds"
	AttrStickinessEnabled   = "stickiness.enabled"
	AttrStickinessType      = "stickiness.type"
	AttrLBCookieDuration    = "stickiness.lb_cookie.duration_seconds"
	AttrAppCookieName       = "stickiness.app_cookie.cookie_name"
	AttrAppCookieDuration   = "stickiness.app_cookie.duration_seconds"
	AttrSlowStart           = "slow_start.duration_seconds"
	AttrAlgorithm           = "load_balancing.algorithm.type"
	AttrAnomalyMitigation   = "load_balancing.algorithm.anomaly_mitigation"
	AttrTGCrossZone         = "load_balancing.cross_zone.enabled"
)

// Load balancing algorithms.
const (
	AlgorithmRoundRobin  = "round_robin"
	AlgorithmLeastOutReq = "least_outstanding_requests"
	AlgorithmWeightedRnd = "weighted_random"
)

// TargetGroupAttributeDefaults are an ALB target group's attributes as AWS
// reports them for a new instance or ip target group.
var TargetGroupAttributeDefaults = map[string]string{
	AttrDeregistrationDelay: "300",
	AttrStickinessEnabled:   "false",
	AttrStickinessType:      "lb_cookie",
	AttrLBCookieDuration:    "86400",
	AttrAppCookieName:       "",
	AttrAppCookieDuration:   "86400",
	AttrSlowStart:           "0",
	AttrAlgorithm:           AlgorithmRoundRobin,
	AttrAnomalyMitigation:   "off",
	AttrTGCrossZone:         "use_load_balancer_configuration",
	"target_group_health.dns_failover.minimum_healthy_targets.count":                 "1",
	"target_group_health.dns_failover.minimum_healthy_targets.percentage":            "off",
	"target_group_health.unhealthy_state_routing.minimum_healthy_targets.count":      "1",
	"target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage": "off",
}

// attrRule checks one attribute value; it returns a reason or "".
type attrRule func(v string) bool

func boolRule(v string) bool { return v == "true" || v == "false" }

func intRange(lo, hi int) attrRule {
	return func(v string) bool {
		n, err := strconv.Atoi(v)
		return err == nil && n >= lo && n <= hi
	}
}

func oneOf(vals ...string) attrRule {
	return func(v string) bool { return slices.Contains(vals, v) }
}

func anyValue(string) bool { return true }

var lbAttrRules = map[string]attrRule{
	AttrIdleTimeout:        intRange(1, 4000),
	AttrDeletionProtection: boolRule,
	AttrXFFMode:            oneOf("append", "preserve", "remove"),
	AttrXFFClientPort:      boolRule,
	AttrPreserveHost:       boolRule,
	AttrDropInvalidHeaders: boolRule,
	AttrClientKeepAlive:    intRange(60, 604800),
	AttrDesyncMitigation:   oneOf("monitor", "defensive", "strictest"),
	AttrHTTP2:              boolRule,
	AttrTLSCipherHeader:    boolRule,
	AttrWAFFailOpen:        boolRule,
	AttrAccessLogsEnabled:  boolRule,
	AttrCrossZoneLB:        oneOf("true"),
	AttrZonalShift:         boolRule,
	AttrConnectionLogs:     boolRule,
	AttrHealthCheckLogs:    boolRule,
}

var tgAttrRules = map[string]attrRule{
	AttrDeregistrationDelay: intRange(0, 3600),
	AttrStickinessEnabled:   boolRule,
	AttrStickinessType:      oneOf("lb_cookie", "app_cookie"),
	AttrLBCookieDuration:    intRange(1, 604800),
	AttrAppCookieDuration:   intRange(1, 604800),
	AttrSlowStart:           func(v string) bool { return v == "0" || intRange(30, 900)(v) },
	AttrAlgorithm:           oneOf(AlgorithmRoundRobin, AlgorithmLeastOutReq, AlgorithmWeightedRnd),
	AttrAnomalyMitigation:   oneOf("on", "off"),
	AttrTGCrossZone:         oneOf("true", "false", "use_load_balancer_configuration"),
}

// ValidateLoadBalancerAttribute checks one attribute a user sets.
func ValidateLoadBalancerAttribute(key, value string) error {
	return validateAttr("Load balancer", LoadBalancerAttributeDefaults, lbAttrRules, key, value)
}

// ValidateTargetGroupAttribute checks one attribute a user sets.
func ValidateTargetGroupAttribute(key, value string) error {
	return validateAttr("Target group", TargetGroupAttributeDefaults, tgAttrRules, key, value)
}

func validateAttr(what string, defaults map[string]string, rules map[string]attrRule, key, value string) error {
	if _, known := defaults[key]; !known {
		return invalid("%s attribute key '%s' is not recognized", what, key)
	}
	rule, ok := rules[key]
	if !ok {
		rule = anyValue
	}
	if !rule(value) {
		return invalid("%s attribute value '%s' is not valid for key '%s'", what, value, key)
	}
	return nil
}

// MergeAttributes returns set with the changes applied.
func MergeAttributes(set map[string]string, changes map[string]string) map[string]string {
	out := maps.Clone(set)
	if out == nil {
		out = map[string]string{}
	}
	maps.Copy(out, changes)
	return out
}

// AllAttributes returns every attribute with its effective value, in key
// order.
func AllAttributes(defaults, set map[string]string) [][2]string {
	keys := slices.Sorted(maps.Keys(defaults))
	out := make([][2]string, 0, len(keys))
	for _, k := range keys {
		v, ok := set[k]
		if !ok {
			v = defaults[k]
		}
		out = append(out, [2]string{k, v})
	}
	return out
}

func atoiOr(s string, def int) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return def
	}
	return n
}
