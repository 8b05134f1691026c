// Package elb is Elastic Load Balancing v2 (Application Load Balancers)
// as a domain: load balancers, listeners, rules, target groups, targets
// and their health, with AWS's names, defaults, limits and validation
// rules. It holds no storage and no network code: package elb/elbdb keeps
// the records in the store, elb/elbapi serves the ELBv2 Query API, and
// package alb is the data plane that proxies traffic and runs the health
// checks.
//
// # Resources and ARNs
//
//	load balancer  arn:aws:elasticloadbalancing:<region>:<account>:loadbalancer/app/<name>/<id>
//	listener       arn:aws:elasticloadbalancing:<region>:<account>:listener/app/<lb name>/<lb id>/<id>
//	rule           arn:aws:elasticloadbalancing:<region>:<account>:listener-rule/app/<lb name>/<lb id>/<listener id>/<id>
//	target group   arn:aws:elasticloadbalancing:<region>:<account>:targetgroup/<name>/<id>
//
// IDs are 16 lowercase hex digits. Each listener has a default rule (its
// default actions) that DescribeRules lists last, with IsDefault true.
//
// # Addresses
//
// Each load balancer gets an IP address of its own when it is created,
// and its DNSName is that address, so `curl http://<DNSName>:<port>/`
// works from the host with no setup. By default the addresses come from
// 127.1.0.0/16: Linux routes all of 127.0.0.0/8 to the loopback device,
// so the data plane can bind 127.1.0.1, 127.1.0.2, ... without any
// configuration, and the load balancer is reachable only from this host.
// A server option binds every load balancer on one given address instead
// (say a LAN address); listener ports must then be unique across load
// balancers. See AddressPool.
//
// # Target states
//
//	RegisterTargets
//	      │
//	      ▼
//	initial (Elb.RegistrationInProgress)
//	      │ the health checker picks the target up
//	      ▼
//	initial (Elb.InitialHealthChecking) ──1 passed check──▶ healthy
//	      │ unhealthy-threshold failed checks                 │ ▲
//	      ▼                                                   │ │ healthy-threshold passed checks
//	unhealthy (Target.ResponseCodeMismatch | Target.Timeout | │ │
//	           Target.FailedHealthChecks) ◀──unhealthy-threshold failed checks
//
//	any state ──DeregisterTargets──▶ draining (Target.DeregistrationInProgress)
//	      ──deregistration_delay.timeout_seconds──▶ removed: unused (Target.NotRegistered)
//
// While no listener or rule forwards to a target group, its registered
// targets are unused (Target.NotInUse) and are not checked. The load
// balancer sends new requests only to healthy targets; when none is
// healthy it fails open and uses every registered target that is not
// draining.
package elb
