// Package alb is the Application Load Balancer data plane: a real HTTP
// reverse proxy per listener, with rules, target selection, health checks
// and draining, configured from the store.
//
// # Pipeline
//
//	client ──TCP──▶ listener socket <lb address>:<port>   (one per listener; TLS for HTTPS)
//	                 │ idleConn: no bytes either way for idle_timeout.timeout_seconds → close
//	                 ▼
//	             net/http server: HTTP/1.1, keep-alive, header read timeout,
//	                 │             64 KiB of headers (431 beyond), 400 on malformed requests
//	                 ▼
//	             handler: table := listener.table.Load()     (one immutable routing table)
//	                 │ rules by priority, then the default rule (package route)
//	                 ├── fixed-response ──▶ status, content type, body
//	                 ├── redirect ────────▶ 301/302 Location from #{protocol} #{host} #{port} #{path} #{query}
//	                 └── forward
//	                       │ weighted target group (AWSALBTG cookie when group stickiness is on)
//	                       │ no registered target ──▶ 503
//	                       ▼
//	                     target: healthy ones (all when none is: fail open), never draining;
//	                       │ round_robin or least_outstanding_requests, slow start,
//	                       │ AWSALB cookie when the group is sticky
//	                       ▼
//	                     backend: one http.Transport (keep-alive pool) per target
//	                       │ X-Forwarded-For/-Proto/-Port, X-Amzn-Trace-Id, Host
//	                       │ refused or reset or malformed ──▶ 502; no reply in idle timeout ──▶ 504
//	                       ▼
//	                     response streamed back, flushed as it arrives; 101 Switching
//	                     Protocols ──▶ hijack and splice both ways (WebSocket)
//
// # Configuration
//
// The Plane watches the ELB tables. On every change it reads the whole
// configuration in one snapshot, builds a new routing table per listener
// and swaps it in with an atomic pointer: a request uses the table it
// started with, so no request is dropped or sees half a change. Listener
// sockets are opened and closed as listeners come and go (a closed
// listener's in-flight requests finish). Backends outlive tables, so
// their connection pools and outstanding-request counts carry over.
//
// Draining: a deregistered target leaves every table at once (no new
// requests) but its backend stays, and requests on it run on, until the
// Reaper in package elbdb removes the registration after the
// deregistration delay; then the backend's remaining requests are cut and
// its connections closed.
//
// Health: package health probes every registered target of every target
// group a listener or rule uses, and the Plane records each change of
// state in the store (elb.health), which in turn rebuilds the tables.
package alb
