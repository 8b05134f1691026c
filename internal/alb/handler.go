package alb

import (
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/quayside/quayside/internal/alb/route"
	"github.com/quayside/quayside/internal/elb"
)

// connKey keys a request's client connection (*idleConn) in its context.
type connKey struct{}

// ServeHTTP routes one request through the listener's current table.
func (l *listener) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	t := l.table.Load()
	ic, _ := r.Context().Value(connKey{}).(*idleConn)
	var client netip.AddrPort
	if ic != nil && ic.peer.IsValid() {
		client = ic.peer
	} else {
		client, _ = netip.ParseAddrPort(r.RemoteAddr)
	}
	if ic != nil && t.keepAlive > 0 && time.Since(ic.start) > t.keepAlive {
		w.Header().Set("Connection", "close") // client_keep_alive.seconds has passed
	}
	for i := range t.rules {
		ru := &t.rules[i]
		if ru.match != nil && !ru.match.Match(r, client.Addr()) {
			continue
		}
		switch ru.act.kind {
		case elb.ActionForward:
			l.plane.forward(t, &ru.act, w, r, client, ic)
		case elb.ActionRedirect:
			redirect(t, ru.act.redirect, w, r)
		default:
			fixedResponse(ru.act.fixed, w)
		}
		return
	}
	writeError(w, http.StatusServiceUnavailable)
}

// fixedResponse answers with a fixed-response action's status and body.
func fixedResponse(f *elb.FixedResponseConfig, w http.ResponseWriter) {
	code, _ := strconv.Atoi(f.StatusCode)
	h := w.Header()
	h.Set("Server", serverHeader)
	if f.ContentType != "" {
		h.Set("Content-Type", f.ContentType)
	} else {
		h["Content-Type"] = nil
	}
	h.Set("Content-Length", strconv.Itoa(len(f.MessageBody)))
	w.WriteHeader(code)
	_, _ = w.Write([]byte(f.MessageBody))
}

// redirect answers with a redirect action's Location. Each component
// keeps the request's value unless the action changes it; the #{...}
// placeholders stand for the request's own components (#{path} without
// its leading "/"). The port is left out when it is the protocol's own.
func redirect(t *table, c *elb.RedirectConfig, w http.ResponseWriter, r *http.Request) {
	reqPath := r.URL.EscapedPath()
	if reqPath == "" {
		reqPath = "/"
	}
	repl := strings.NewReplacer(
		elb.PlaceholderProtocol, t.scheme,
		elb.PlaceholderHost, route.HostOnly(r.Host),
		elb.PlaceholderPort, t.portStr,
		elb.PlaceholderPath, strings.TrimPrefix(reqPath, "/"),
		elb.PlaceholderQuery, r.URL.RawQuery,
	)
	scheme := strings.ToLower(repl.Replace(c.Protocol))
	host := repl.Replace(c.Host)
	port := repl.Replace(c.Port)
	path := repl.Replace(c.Path)
	query := repl.Replace(c.Query)
	loc := scheme + "://" + host
	if !(scheme == "http" && port == "80" || scheme == "https" && port == "443") {
		loc += ":" + port
	}
	loc += path
	if query != "" {
		loc += "?" + query
	}
	code := http.StatusMovedPermanently
	if c.StatusCode == "HTTP_302" {
		code = http.StatusFound
	}
	h := w.Header()
	h.Set("Server", serverHeader)
	h.Set("Location", loc)
	h.Set("Content-Type", "text/html")
	h.Set("Content-Length", "0")
	w.WriteHeader(code)
}
