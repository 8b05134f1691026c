package main

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// pcapWriter builds a classic pcap of Ethernet-framed IPv4 TCP segments.
type pcapWriter struct {
	bytes.Buffer
	nano bool
}

func newPcap(nano bool) *pcapWriter {
	w := &pcapWriter{nano: nano}
	magic := uint32(0xa1b2c3d4)
	if nano {
		magic = 0xa1b23c4d
	}
	h := make([]byte, 24)
	binary.LittleEndian.PutUint32(h[0:], magic)
	binary.LittleEndian.PutUint16(h[4:], 2)
	binary.LittleEndian.PutUint16(h[6:], 4)
	binary.LittleEndian.PutUint32(h[16:], 65535)
	binary.LittleEndian.PutUint32(h[20:], 1)
	w.Write(h)
	return w
}

func (w *pcapWriter) segment(at time.Duration, src, dst endpoint, payload string) {
	eth := make([]byte, 14)
	ip := make([]byte, 20)
	ip[0] = 0x45
	ip[9] = 6
	binary.BigEndian.PutUint16(ip[2:], uint16(20+20+len(payload)))
	copy(ip[12:], src.ip[:])
	copy(ip[16:], dst.ip[:])
	tcp := make([]byte, 20)
	binary.BigEndian.PutUint16(tcp[0:], src.port)
	binary.BigEndian.PutUint16(tcp[2:], dst.port)
	tcp[12] = 5 << 4
	frame := append(append(append(eth, ip...), tcp...), payload...)
	rh := make([]byte, 16)
	at += 1_700_000_000 * time.Second
	sub := at % time.Second
	if !w.nano {
		sub /= time.Microsecond
	}
	binary.LittleEndian.PutUint32(rh[0:], uint32(at/time.Second))
	binary.LittleEndian.PutUint32(rh[4:], uint32(sub))
	binary.LittleEndian.PutUint32(rh[8:], uint32(len(frame)))
	binary.LittleEndian.PutUint32(rh[12:], uint32(len(frame)))
	w.Write(rh)
	w.Write(frame)
}

var (
	front  = endpoint{[4]byte{127, 1, 0, 1}, 8080}
	target = endpoint{[4]byte{127, 0, 0, 1}, 9000}
	client = endpoint{[4]byte{127, 0, 0, 1}, 50000}
	pool   = endpoint{[4]byte{127, 0, 0, 1}, 40000}
	other  = endpoint{[4]byte{127, 0, 0, 1}, 50001}
)

// A capture of one proxied request, a health check on the same target
// connection and a request the proxy never forwarded: the proxy's added
// time is its hold on the way in plus its hold on the way out, and
// nothing else is counted.
func TestWireMatchesBothSides(t *testing.T) {
	for _, nano := range []bool{false, true} {
		w := newPcap(nano)
		us := time.Microsecond
		w.segment(0, client, front, "GET /?r=0-1 HTTP/1.1\r\nHost: x\r\n\r\n")
		w.segment(5*us, pool, target, "GET /health HTTP/1.1\r\n\r\n")
		w.segment(10*us, target, pool, "HTTP/1.1 200 OK\r\n\r\n")
		w.segment(20*us, other, front, "GET /?x=1&r=1-7 HTTP/1.1\r\n\r\n")
		w.segment(100*us, pool, target, "GET /?r=0-1 HTTP/1.1\r\nX-Forwarded-For: 127.0.0.1\r\n\r\n")
		w.segment(300*us, target, pool, "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\n")
		w.segment(310*us, target, pool, "body")
		w.segment(350*us, front, client, "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nbody")
		w.segment(400*us, front, other, "HTTP/1.1 503 Service Unavailable\r\n\r\n")

		pkts, err := readPcap(bytes.NewReader(w.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		if len(pkts) != 9 || pkts[4].at != 100*us {
			t.Fatalf("nano %v: %d packets, the fifth at %v", nano, len(pkts), pkts[4].at)
		}
		c, u := wireSides(pkts, front, []endpoint{target})
		if len(c) != 2 || len(u) != 1 {
			t.Fatalf("client side %v, target side %v", c, u)
		}
		if c["1-7"] != (exchange{req: 20 * us, resp: 400 * us}) {
			t.Fatalf("the unforwarded request: %+v", c["1-7"])
		}
		r := proxyAdded(c, u, 0)
		if r.Matched != 1 || r.Anomalies != 0 {
			t.Fatalf("%+v", r)
		}
		if r.AddedP99ms != 0.15 || r.TargetP99ms != 0.2 || r.TotalP99ms != 0.35 {
			t.Fatalf("added %v ms, target %v ms, total %v ms; want 0.15, 0.2, 0.35", r.AddedP99ms, r.TargetP99ms, r.TotalP99ms)
		}
	}
}

// Times that cannot belong to one proxied exchange are left out and
// counted, not averaged in.
func TestWireAnomalies(t *testing.T) {
	c := map[string]exchange{"a": {req: 100, resp: 200}, "b": {req: 0, resp: 1000}}
	u := map[string]exchange{"a": {req: 50, resp: 150}, "b": {req: 100, resp: 900}}
	r := proxyAdded(c, u, 0)
	if r.Matched != 1 || r.Anomalies != 1 || r.AddedP50ms != 0.0 {
		t.Fatalf("%+v", r)
	}
}

// The burst wrk sends as it starts is not part of the measure.
func TestWireWarmup(t *testing.T) {
	us := time.Microsecond
	c := map[string]exchange{"a": {req: 0, resp: 900 * us}, "b": {req: 500 * us, resp: 600 * us}, "c": {req: 2000 * us, resp: 2300 * us}}
	u := map[string]exchange{"a": {req: 100 * us, resp: 200 * us}, "b": {req: 510 * us, resp: 590 * us}, "c": {req: 2100 * us, resp: 2200 * us}}
	r := proxyAdded(c, u, 1000*us)
	if r.Matched != 1 || r.TotalP99ms != 0.3 {
		t.Fatalf("%+v", r)
	}
	if r := proxyAdded(c, u, 0); r.Matched != 3 {
		t.Fatalf("without a warm-up: %+v", r)
	}
}

func TestRequestTag(t *testing.T) {
	for in, want := range map[string]string{
		"GET /?r=3-14 HTTP/1.1\r\n":     "3-14",
		"GET /a?b=1&r=9 HTTP/1.1\r\n":   "9",
		"GET /?r=1&b=2 HTTP/1.1\r\n":    "1",
		"GET /health HTTP/1.1\r\n":      "",
		"GET /?r=5 HTTP/1.1\r\nr=6\r\n": "5",
	} {
		if got := requestTag([]byte(in)); got != want {
			t.Errorf("requestTag(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]bool{"GET / HTTP/1.1": true, "OPTIONS * HTTP/1.1": true, "HTTP/1.1 200 OK": false, "body": false, "get / x": false} {
		if isRequest([]byte(in)) != want {
			t.Errorf("isRequest(%q) != %v", in, want)
		}
	}
}

func TestQuantile(t *testing.T) {
	ds := []time.Duration{5, 1, 4, 2, 3, 6, 7, 8, 9, 10}
	for q, want := range map[float64]time.Duration{0.5: 5, 0.99: 10, 1: 10, 0.1: 1, 0: 1} {
		if got := quantile(ds, q); got != want {
			t.Errorf("quantile(%v) = %v, want %v", q, got, want)
		}
	}
}

// readPcap refuses what is not a pcap and never panics on what is broken.
func FuzzReadPcap(f *testing.F) {
	w := newPcap(true)
	w.segment(0, client, front, "GET /?r=0-1 HTTP/1.1\r\n\r\n")
	f.Add(w.Bytes())
	f.Add([]byte("not a capture at all, but long enough"))
	f.Fuzz(func(t *testing.T, b []byte) {
		pkts, err := readPcap(bytes.NewReader(b))
		if err != nil && pkts != nil {
			t.Fatalf("packets with an error")
		}
		wireSides(pkts, front, []endpoint{target})
	})
}

func TestReadPcapRefuses(t *testing.T) {
	if _, err := readPcap(bytes.NewReader(bytes.Repeat([]byte{1}, 40))); err == nil {
		t.Fatal("a file of ones read as a capture")
	}
	w := newPcap(false)
	w.segment(0, client, front, "GET / HTTP/1.1\r\n\r\n")
	b := w.Bytes()
	binary.LittleEndian.PutUint32(b[20:], 9999) // link type
	if _, err := readPcap(bytes.NewReader(b)); err == nil {
		t.Fatal("an unknown link type was read")
	}
	// Cut mid-record, as when tcpdump is stopped: what came before stays.
	w = newPcap(false)
	w.segment(0, client, front, "GET / HTTP/1.1\r\n\r\n")
	w.segment(1, client, front, "GET / HTTP/1.1\r\n\r\n")
	b = w.Bytes()
	pkts, err := readPcap(bytes.NewReader(b[:len(b)-5]))
	if err != nil || len(pkts) != 1 {
		t.Fatalf("%d packets, %v", len(pkts), err)
	}
}

func TestDumpWire(t *testing.T) {
	ms := time.Millisecond
	client := map[string]exchange{"b": {req: 5 * ms, resp: 9 * ms}, "a": {req: 2 * ms, resp: 4 * ms}, "lost": {req: 1 * ms}}
	upstream := map[string]exchange{"a": {req: 2*ms + 100, resp: 3 * ms}, "b": {req: 6 * ms, resp: 8 * ms}}
	file := filepath.Join(t.TempDir(), "w.csv")
	if err := dumpWire(file, client, upstream); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	want := "sent_ns,in_ns,out_ns,target_ns\n0,100,1000000,999900\n3000000,1000000,1000000,2000000\n"
	if string(got) != want {
		t.Fatalf("dump:\n%s\nwant:\n%s", got, want)
	}
}
