package alb

import (
	"maps"
	"net/http"
	"slices"
	"strconv"
	"time"
)

// replyError answers with one of the load balancer's error pages (see
// writeError). closeAfter closes the connection after it, as when the
// client's request body was not all read.
func (c *fastConn) replyError(x *exchange, code int, closeAfter bool) outcome {
	return c.reply(x, closeAfter, func(w http.ResponseWriter) { writeError(w, code) })
}

// reply answers with a response the load balancer makes itself, written
// by the general path's code (writeError, fixedResponse, redirect) into a
// recorder. The request must have been read whole, or closeAfter set.
func (c *fastConn) reply(x *exchange, closeAfter bool, write func(http.ResponseWriter)) outcome {
	rec := &recorder{h: http.Header{}}
	write(rec)
	closeAfter = closeAfter || c.l.closing.Load()
	x.out = rec.appendTo(x.out[:0], x.req.head, closeAfter)
	if _, err := c.ic.Write(x.out); err != nil || closeAfter {
		return closeConn
	}
	return keepOpen
}

// recorder is the http.ResponseWriter of the fast path's own answers.
type recorder struct {
	h    http.Header
	code int
	body []byte
}

func (r *recorder) Header() http.Header { return r.h }

func (r *recorder) WriteHeader(code int) {
	if r.code == 0 {
		r.code = code
	}
}

func (r *recorder) Write(p []byte) (int, error) {
	r.WriteHeader(http.StatusOK)
	r.body = append(r.body, p...)
	return len(p), nil
}

// appendTo writes the response as net/http would: with a Date, and with
// no body for a HEAD request.
func (r *recorder) appendTo(out []byte, head, close bool) []byte {
	r.WriteHeader(http.StatusOK)
	out = append(out, "HTTP/1.1 "...)
	out = strconv.AppendInt(out, int64(r.code), 10)
	out = append(out, ' ')
	if text := http.StatusText(r.code); text != "" {
		out = append(out, text...)
	} else {
		out = append(out, "status code "...)
		out = strconv.AppendInt(out, int64(r.code), 10)
	}
	out = append(out, "\r\n"...)
	if _, ok := r.h["Date"]; !ok {
		out = append(out, "Date: "...)
		out = time.Now().UTC().AppendFormat(out, http.TimeFormat)
		out = append(out, "\r\n"...)
	}
	if _, ok := r.h["Content-Length"]; !ok {
		out = append(out, "Content-Length: "...)
		out = strconv.AppendInt(out, int64(len(r.body)), 10)
		out = append(out, "\r\n"...)
	}
	for _, k := range slices.Sorted(maps.Keys(r.h)) {
		for _, v := range r.h[k] {
			out = append(out, k...)
			out = append(out, ": "...)
			out = append(out, v...)
			out = append(out, "\r\n"...)
		}
	}
	if close {
		out = append(out, "Connection: close\r\n"...)
	}
	out = append(out, "\r\n"...)
	if !head {
		out = append(out, r.body...)
	}
	return out
}
