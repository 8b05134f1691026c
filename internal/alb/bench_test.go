package alb

import (
	"io"
	"net/http"
	"testing"
)

// BenchmarkProxy measures one listener forwarding to one target, both in
// this process, over keep-alive connections (profile with -cpuprofile).
func BenchmarkProxy(b *testing.B) {
	h := newHarness(b)
	a := h.newALB("bench")
	body := []byte("hello from the target\n")
	h.register(*a.tg.TargetGroupArn, target(b, func(w http.ResponseWriter, r *http.Request) { w.Write(body) }))
	tr := &http.Transport{MaxIdleConnsPerHost: 64}
	defer tr.CloseIdleConnections()
	c := &http.Client{Transport: tr}
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			resp, err := c.Get(a.url + "/")
			if err != nil {
				b.Error(err)
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	})
}
