// Command refproxy is the Go standard library's reverse proxy
// (httputil.ReverseProxy over one http.Transport) in front of a few
// targets, round robin: bench/alb runs it as a reference point that shows
// what net/http itself costs per request, apart from Quayside's own code.
//
//	refproxy -listen 127.0.0.1:8080 127.0.0.1:9001 127.0.0.1:9002
package main

import (
	"flag"
	"log"
	"net/http"
	"net/http/httputil"
	"net/url"
	"sync/atomic"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:8080", "address to serve on")
	flag.Parse()
	var targets []*url.URL
	for _, a := range flag.Args() {
		targets = append(targets, &url.URL{Scheme: "http", Host: a})
	}
	if len(targets) == 0 {
		log.Fatal("refproxy: name at least one target host:port")
	}
	var next atomic.Uint64
	proxy := &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			r.SetURL(targets[next.Add(1)%uint64(len(targets))])
			r.SetXForwarded()
		},
		Transport: &http.Transport{MaxIdleConnsPerHost: 4096, DisableCompression: true},
	}
	log.Fatal(http.ListenAndServe(*listen, proxy))
}
