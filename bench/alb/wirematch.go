package main

import (
	"bytes"
	"slices"
	"time"
)

// endpoint is an IPv4 address and port.
type endpoint struct {
	ip   [4]byte
	port uint16
}

// exchange is one request and the start of its answer on one connection:
// when the request's first segment and the answer's first segment were
// sent.
type exchange struct{ req, resp time.Duration }

// wireSides sorts a capture's segments into exchanges by request tag, on
// the client side of a proxy (connections to front) and on its target side
// (connections to any of targets). A request's tag is the value of its
// "r" query parameter (the wire phase's wrk script numbers every
// request); untagged requests (health checks) are followed but not kept.
// HTTP/1.1 without pipelining is assumed: on a connection, the first
// segment the server sends after a request starts that request's answer.
func wireSides(pkts []packet, front endpoint, targets []endpoint) (client, upstream map[string]exchange) {
	client, upstream = map[string]exchange{}, map[string]exchange{}
	type pending struct {
		tag string
		at  time.Duration
	}
	// waiting is, per connection (its client end and its server end), the
	// requests not yet answered.
	type conn struct{ c, s endpoint }
	waiting := map[conn][]pending{}
	isServer := func(e endpoint) (map[string]exchange, bool) {
		if e == front {
			return client, true
		}
		if slices.Contains(targets, e) {
			return upstream, true
		}
		return nil, false
	}
	for _, p := range pkts {
		src, dst := endpoint{p.src, p.srcPort}, endpoint{p.dst, p.dstPort}
		if _, ok := isServer(dst); ok && isRequest(p.payload) {
			k := conn{src, dst}
			waiting[k] = append(waiting[k], pending{requestTag(p.payload), p.at})
			continue
		}
		side, ok := isServer(src)
		if !ok || !bytes.HasPrefix(p.payload, []byte("HTTP/1.")) {
			continue
		}
		k := conn{dst, src}
		q := waiting[k]
		if len(q) == 0 {
			continue
		}
		first := q[0]
		waiting[k] = q[1:]
		if first.tag != "" {
			side[first.tag] = exchange{req: first.at, resp: p.at}
		}
	}
	return client, upstream
}

// isRequest reports whether a segment starts an HTTP/1.x request.
func isRequest(b []byte) bool {
	sp := bytes.IndexByte(b, ' ')
	if sp < 3 || sp > 7 {
		return false
	}
	for _, c := range b[:sp] {
		if c < 'A' || c > 'Z' {
			return false
		}
	}
	return true
}

// requestTag is the value of the "r" query parameter of a request line,
// or "".
func requestTag(b []byte) string {
	line := b
	if i := bytes.IndexByte(line, '\r'); i >= 0 {
		line = line[:i]
	}
	i := bytes.Index(line, []byte("?r="))
	if i < 0 {
		i = bytes.Index(line, []byte("&r="))
	}
	if i < 0 {
		return ""
	}
	v := line[i+3:]
	if j := bytes.IndexAny(v, "& "); j >= 0 {
		v = v[:j]
	}
	return string(v)
}

// wireResult is what a proxy added to each request, measured on the wire.
type wireResult struct {
	// Matched counts the requests seen on both sides; Anomalies those
	// whose times do not fit a proxied exchange (left out).
	Matched   int `json:"matched"`
	Anomalies int `json:"anomalies"`
	// Dropped is the packets the kernel dropped from the capture.
	Dropped int `json:"dropped_packets"`
	// Added is per request: (sent to a target - received from the client)
	// + (answer sent to the client - answer received from the target).
	AddedP50ms  float64 `json:"added_p50_ms"`
	AddedP99ms  float64 `json:"added_p99_ms"`
	AddedP999ms float64 `json:"added_p999_ms"`
	AddedMaxms  float64 `json:"added_max_ms"`
	// TargetP99ms is the p99 of the targets' own time, as the proxy saw
	// it; TotalP99ms the p99 of the whole exchange as the client saw it.
	TargetP99ms float64 `json:"target_p99_ms"`
	TotalP99ms  float64 `json:"total_p99_ms"`
	RPS         float64 `json:"requests_per_second"`
	// Requests is what wrk completed in the run; CPUPerReq the proxy's
	// CPU time over them, in µs.
	Requests  int     `json:"requests"`
	CPUPerReq float64 `json:"cpu_us_per_request,omitempty"`
	// StealMs is the time the hypervisor took from the proxy's CPUs
	// during the run (steal.go): a tail that comes with it is the host's.
	StealMs float64 `json:"proxy_cpu_steal_ms"`
}

// proxyAdded computes, per tagged request seen on both sides, the time the
// proxy held it on the way in and on the way out, and summarises them.
// Requests sent in the first warmup of the run are left out: wrk opens all
// its connections and sends their first requests at once, a burst no
// steady rate has.
func proxyAdded(client, upstream map[string]exchange, warmup time.Duration) wireResult {
	var added, target, total []time.Duration
	var r wireResult
	start := time.Duration(-1)
	for _, c := range client {
		if start < 0 || c.req < start {
			start = c.req
		}
	}
	for tag, c := range client {
		u, ok := upstream[tag]
		if !ok || c.req < start+warmup {
			continue
		}
		in, out := u.req-c.req, c.resp-u.resp
		if in < 0 || out < 0 || u.resp < u.req {
			r.Anomalies++
			continue
		}
		added = append(added, in+out)
		target = append(target, u.resp-u.req)
		total = append(total, c.resp-c.req)
	}
	r.Matched = len(added)
	if r.Matched == 0 {
		return r
	}
	r.AddedP50ms, r.AddedP99ms = ms(quantile(added, 0.5)), ms(quantile(added, 0.99))
	r.AddedP999ms, r.AddedMaxms = ms(quantile(added, 0.999)), ms(quantile(added, 1))
	r.TargetP99ms, r.TotalP99ms = ms(quantile(target, 0.99)), ms(quantile(total, 0.99))
	return r
}

// quantile is the q-quantile of ds (nearest rank); it sorts ds.
func quantile(ds []time.Duration, q float64) time.Duration {
	slices.Sort(ds)
	i := int(q*float64(len(ds))+0.5) - 1
	return ds[min(max(i, 0), len(ds)-1)]
}
