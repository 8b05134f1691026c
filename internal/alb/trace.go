package alb

import (
	"encoding/binary"
	"encoding/hex"
	"math/rand/v2"
	"strings"
	"time"
)

// traceHeader returns the X-Amzn-Trace-Id to send to the target, given
// the request's: a new Root when there is no valid Root, else the
// request's fields with a new Self in front (replacing any Self), as ALB
// does. Other fields are kept.
func traceHeader(in string, now time.Time) string {
	if in == "" {
		return traceID("Root=", now)
	}
	fields := strings.Split(in, ";")
	hasRoot := false
	kept := make([]string, 0, len(fields)+1)
	kept = append(kept, traceID("Self=", now))
	for _, f := range fields {
		f = strings.TrimSpace(f)
		k, v, _ := strings.Cut(f, "=")
		switch k {
		case "Self":
			continue
		case "Root":
			if !validTraceID(v) {
				continue
			}
			hasRoot = true
		}
		if f != "" {
			kept = append(kept, f)
		}
	}
	if !hasRoot {
		return traceID("Root=", now)
	}
	return strings.Join(kept, ";")
}

// newTraceID is "1-<epoch seconds, 8 hex>-<24 hex>".
func newTraceID(now time.Time) string { return traceID("", now) }

// traceID is field (e.g. "Root=") followed by a new trace ID, built in
// one allocation.
func traceID(field string, now time.Time) string {
	var b [5 + 35]byte
	return string(appendTraceID(append(b[:0], field...), now))
}

// appendTraceID appends a new trace ID to dst.
func appendTraceID(dst []byte, now time.Time) []byte {
	var id [35]byte
	id[0], id[1], id[10] = '1', '-', '-'
	var ts [4]byte
	binary.BigEndian.PutUint32(ts[:], uint32(now.Unix()))
	hex.Encode(id[2:10], ts[:])
	var r [12]byte
	binary.BigEndian.PutUint64(r[:8], rand.Uint64())
	binary.BigEndian.PutUint32(r[8:], rand.Uint32())
	hex.Encode(id[11:], r[:])
	return append(dst, id[:]...)
}

// validTraceID checks the form 1-xxxxxxxx-xxxxxxxxxxxxxxxxxxxxxxxx.
func validTraceID(s string) bool {
	if len(s) != 35 || s[0] != '1' || s[1] != '-' || s[10] != '-' {
		return false
	}
	for i := 2; i < 35; i++ {
		if i == 10 {
			continue
		}
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}
