package alb

import (
	"net"
	"net/http"
	"net/netip"
	"net/textproto"
	"strconv"
	"strings"
	"time"
)

// hopHeaders are the hop-by-hop headers a proxy must not forward (RFC
// 9110 7.6.1), besides those the Connection header names.
var hopHeaders = []string{
	"Connection", "Proxy-Connection", "Keep-Alive", "Proxy-Authenticate",
	"Proxy-Authorization", "Te", "Trailer", "Transfer-Encoding", "Upgrade",
}

// removeHopHeaders strips hop-by-hop headers; for an upgrade it keeps
// Connection: Upgrade and the Upgrade header.
func removeHopHeaders(h http.Header, upgrade bool) {
	for _, v := range h["Connection"] {
		for _, f := range strings.Split(v, ",") {
			if f = textproto.TrimString(f); f != "" && !(upgrade && strings.EqualFold(f, "upgrade")) {
				delete(h, textproto.CanonicalMIMEHeaderKey(f))
			}
		}
	}
	var up []string
	if upgrade {
		up = h["Upgrade"]
	}
	for _, k := range hopHeaders {
		delete(h, k)
	}
	if upgrade {
		h["Connection"] = []string{"Upgrade"}
		h["Upgrade"] = up
	}
}

// isUpgrade reports whether the request asks to switch protocols.
func isUpgrade(h http.Header) bool {
	if h.Get("Upgrade") == "" {
		return false
	}
	for _, v := range h["Connection"] {
		for _, f := range strings.Split(v, ",") {
			if strings.EqualFold(textproto.TrimString(f), "upgrade") {
				return true
			}
		}
	}
	return false
}

// prepareHeaders turns the client's request headers into the target's:
// hop-by-hop headers go, X-Forwarded-* and X-Amzn-Trace-Id are set as the
// load balancer's attributes say, and the Host gets the listener port
// unless the host header is preserved.
func prepareHeaders(t *table, r *http.Request, client netip.AddrPort, clientIP string, upgrade bool, now time.Time) (host string) {
	h := r.Header
	removeHopHeaders(h, upgrade)
	if t.dropBad {
		for k := range h {
			if !validHeaderName(k) {
				delete(h, k)
			}
		}
	}
	ip := clientIP
	if ip == "" {
		ip = client.Addr().Unmap().String()
	}
	if t.xffPort {
		ip = net.JoinHostPort(ip, strconv.Itoa(int(client.Port())))
	}
	switch t.xffMode {
	case "remove":
		delete(h, "X-Forwarded-For")
	case "preserve":
		if len(h["X-Forwarded-For"]) == 0 {
			h["X-Forwarded-For"] = []string{ip}
		}
	default: // append
		if prior := h["X-Forwarded-For"]; len(prior) > 0 {
			h["X-Forwarded-For"] = []string{strings.Join(prior, ", ") + ", " + ip}
		} else {
			h["X-Forwarded-For"] = []string{ip}
		}
	}
	// The table's one-element slices are shared, never appended to here.
	h["X-Forwarded-Proto"] = t.protoHdr
	h["X-Forwarded-Port"] = t.portHdr
	h["X-Amzn-Trace-Id"] = []string{traceHeader(h.Get("X-Amzn-Trace-Id"), now)}
	if _, ok := h["User-Agent"]; !ok {
		h["User-Agent"] = nil // send none rather than Go's
	}
	host = r.Host
	if !t.keepHost && !(t.scheme == "http" && t.port == 80 || t.scheme == "https" && t.port == 443) {
		if _, _, err := net.SplitHostPort(host); err != nil && host != "" {
			host = net.JoinHostPort(strings.Trim(host, "[]"), t.portStr)
		}
	}
	return host
}

// validHeaderName reports whether a header name has only letters, digits
// and hyphens (what drop_invalid_header_fields keeps).
func validHeaderName(k string) bool {
	for i := 0; i < len(k); i++ {
		c := k[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return k != ""
}

// copyResponseHeaders copies a target's response headers, without
// hop-by-hop ones, and keeps Go from adding a Content-Type of its own.
func copyResponseHeaders(dst, src http.Header) {
	for _, v := range src["Connection"] {
		for _, f := range strings.Split(v, ",") {
			if f = textproto.TrimString(f); f != "" {
				delete(src, textproto.CanonicalMIMEHeaderKey(f))
			}
		}
	}
	for _, k := range hopHeaders {
		delete(src, k)
	}
	for k, vv := range src {
		dst[k] = vv
	}
	if _, ok := dst["Content-Type"]; !ok {
		dst["Content-Type"] = nil
	}
}
