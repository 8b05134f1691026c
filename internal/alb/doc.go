// Package alb is the Application Load Balancer data plane: a real HTTP
// reverse proxy per listener, with rules, target selection, health checks
// and draining, configured from the store.
//
// # Pipeline
//
//	client ──TCP──▶ listener socket <lb address>:<port>   (one per listener; TLS for HTTPS)
//	                 │ idleConn: no bytes either way for idle_timeout.timeout_seconds → close
//	                 ▼
//	   HTTP ──▶ fast path (fastconn.go): one goroutine per connection, no
//	                 │  buffer while idle, HTTP/1.1 heads parsed in place;
//	                 │  what it does not serve it hands over, connection and
//	                 │  bytes read, to net/http for good (handoff.go) ──┐
//	   HTTPS ──────────────────────────────────────────────────────────┤
//	                 │                                                 ▼
//	                 │                        general path: net/http server (upgrades,
//	                 │                        chunked and 100-continue request bodies,
//	                 │                        HTTP/1.0, malformed input: 400, 431 beyond
//	                 │                        64 KiB of headers, 501), header read timeout
//	                 ▼                                                 ▼
//	             table := listener.table.Load()     (one immutable routing table)
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
//	                     backend: keep-alive pools per target (the fast path's own,
//	                       │ upstream.go; an http.Transport for the general path)
//	                       │ X-Forwarded-For/-Proto/-Port, X-Amzn-Trace-Id, Host
//	                       │ refused or reset or malformed ──▶ 502; no reply in idle timeout ──▶ 504
//	                       ▼
//	                     response streamed back as it arrives; 101 Switching
//	                     Protocols (general path) ──▶ hijack and splice both ways (WebSocket)
//
// The fast path serves the common case without net/http's per-request
// goroutines, contexts and buffers: a request is parsed, routed and
// written to a pooled target connection in one write, and the answer's
// head and first bytes go back in one write, with no allocation. An idle
// connection holds no buffer, and once idle for a second its wait moves
// to a goroutine with a minimal stack (fastConn.serve). Its sockets are
// read and written with raw system calls (rawSock), which keep the Go
// scheduler from moving the proxy between threads mid-write. Both paths
// share the routing tables, target choice, error pages and header rules.
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
