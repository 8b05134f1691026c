package awsjson

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
)

// TestServeDeclaresLength checks that a response carries its length, small
// or past net/http's 2 KiB chunking threshold, and ends without a newline.
func TestServeDeclaresLength(t *testing.T) {
	type out struct {
		Items []string `json:"items"`
	}
	s := NewService("demo", "Demo_20200101", "1.1", map[string][2]string{"List": {}})
	Handle(s, "List", func(_ context.Context, in *struct {
		N int `json:"n"`
	}) (*out, error) {
		o := &out{Items: []string{}}
		for i := range in.N {
			o.Items = append(o.Items, strings.Repeat("x", 60)+strconv.Itoa(i))
		}
		return o, nil
	})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		s.Serve(r.Context(), w, "List", body)
	}))
	defer srv.Close()
	for _, n := range []int{0, 3, 200} {
		res, err := http.Post(srv.URL, "application/x-amz-json-1.1", strings.NewReader(`{"n":`+strconv.Itoa(n)+`}`))
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.ContentLength != int64(len(body)) || len(res.TransferEncoding) != 0 {
			t.Errorf("n=%d: Content-Length %d, Transfer-Encoding %v, body of %d bytes", n, res.ContentLength, res.TransferEncoding, len(body))
		}
		if strings.HasSuffix(string(body), "\n") || !strings.HasPrefix(string(body), `{"items":[`) {
			t.Errorf("n=%d: body %.40q...", n, body)
		}
		if ct := res.Header.Get("Content-Type"); ct != "application/x-amz-json-1.1" {
			t.Errorf("n=%d: Content-Type %q", n, ct)
		}
	}
}
