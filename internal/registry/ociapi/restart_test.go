package ociapi_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/quayside/quayside/internal/ecr"
)

// rangeEnd parses an upload's Range header into the next offset.
func nextOffset(t testing.TB, resp *http.Response) int {
	t.Helper()
	r := resp.Header.Get("Range")
	end, err := strconv.Atoi(strings.TrimPrefix(r, "0-"))
	if err != nil || !strings.HasPrefix(r, "0-") {
		t.Fatalf("Range = %q", r)
	}
	if end == 0 {
		return 0 // "0-0": empty (a one-byte upload is not used here)
	}
	return end + 1
}

func TestUploadResumesAfterRestart(t *testing.T) {
	e := newEnv(t)
	e.createRepo("resume", ecr.Mutable)
	data := randomBytes(3 << 20)
	d := sha(data)
	done := newImage(1, nil)
	expect(t, e.push("resume", "done", done), http.StatusCreated, "")

	t.Run("between chunks", func(t *testing.T) {
		loc := e.startUpload("resume")
		expect(t, e.patch(loc, data[:1<<20], fmt.Sprintf("0-%d", 1<<20-1)), http.StatusAccepted, "")
		e.restart()
		resp := e.do(req{method: "GET", path: loc})
		expect(t, resp, http.StatusNoContent, "")
		off := nextOffset(t, resp)
		if off != 1<<20 {
			t.Fatalf("after restart the upload stands at %d, want %d", off, 1<<20)
		}
		expect(t, e.patch(loc, data[off:], fmt.Sprintf("%d-%d", off, len(data)-1)), http.StatusAccepted, "")
		expect(t, e.do(req{method: "PUT", path: withQuery(loc, "digest="+string(d))}), http.StatusCreated, "")
	})

	t.Run("in the middle of a chunk", func(t *testing.T) {
		other := randomBytes(3 << 20)
		loc := e.startUpload("resume")
		pr, pw := io.Pipe()
		hr, _ := http.NewRequest("PATCH", e.srv.URL+loc, pr)
		hr.SetBasicAuth("AWS", e.token)
		sent := make(chan error, 1)
		go func() {
			resp, err := http.DefaultClient.Do(hr)
			if err == nil {
				resp.Body.Close()
			}
			sent <- err
		}()
		if _, err := pw.Write(other[:1<<20]); err != nil {
			t.Fatal(err)
		}
		time.Sleep(100 * time.Millisecond) // let the bytes reach the server
		e.restart()                        // closes the connection mid-body
		pw.CloseWithError(io.ErrUnexpectedEOF)
		<-sent
		resp := e.do(req{method: "GET", path: loc})
		expect(t, resp, http.StatusNoContent, "")
		off := nextOffset(t, resp)
		if off > 1<<20 {
			t.Fatalf("upload stands at %d, past the %d bytes sent", off, 1<<20)
		}
		expect(t, e.patch(loc, other[off:], fmt.Sprintf("%d-%d", off, len(other)-1)), http.StatusAccepted, "")
		expect(t, e.do(req{method: "PUT", path: withQuery(loc, "digest="+string(sha(other)))}), http.StatusCreated, "")
		got := e.do(req{method: "GET", path: "/v2/resume/blobs/" + string(sha(other))})
		expect(t, got, http.StatusOK, "")
		if !bytes.Equal(bodyOf(got), other) {
			t.Fatal("resumed blob differs")
		}
	})

	// What was complete before the restarts is still served.
	resp := e.do(req{method: "GET", path: "/v2/resume/manifests/done"})
	expect(t, resp, http.StatusOK, "")
	if !bytes.Equal(bodyOf(resp), done.manifest) {
		t.Fatal("manifest changed across restarts")
	}
}
