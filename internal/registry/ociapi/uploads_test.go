package ociapi_test

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/quayside/quayside/internal/ecr"
)

// startUpload opens an upload session and returns its location.
func (e *env) startUpload(repo string) string {
	e.t.Helper()
	resp := e.do(req{method: "POST", path: "/v2/" + repo + "/blobs/uploads/"})
	expect(e.t, resp, http.StatusAccepted, "")
	if resp.Header.Get("Range") != "0-0" || resp.Header.Get("Docker-Upload-UUID") == "" {
		e.t.Fatalf("POST headers: %v", resp.Header)
	}
	return resp.Header.Get("Location")
}

func (e *env) patch(loc string, chunk []byte, contentRange string) *http.Response {
	h := map[string]string{"Content-Type": "application/octet-stream"}
	if contentRange != "" {
		h["Content-Range"] = contentRange
	}
	return e.do(req{method: "PATCH", path: loc, body: chunk, header: h})
}

func withQuery(loc, q string) string {
	if strings.Contains(loc, "?") {
		return loc + "&" + q
	}
	return loc + "?" + q
}

func TestBlobUploadMethods(t *testing.T) {
	e := newEnv(t)
	e.createRepo("up", ecr.Mutable)
	data := randomBytes(10000)
	tests := []struct {
		name string
		data []byte
		push func(t *testing.T, d ecr.Digest, data []byte) *http.Response
	}{
		{"monolithic POST", data, func(t *testing.T, d ecr.Digest, data []byte) *http.Response {
			return e.do(req{method: "POST", path: "/v2/up/blobs/uploads/?digest=" + string(d), body: data})
		}},
		{"POST then PUT", data, func(t *testing.T, d ecr.Digest, data []byte) *http.Response {
			return e.do(req{method: "PUT", path: withQuery(e.startUpload("up"), "digest="+string(d)), body: data})
		}},
		{"chunked", data, func(t *testing.T, d ecr.Digest, data []byte) *http.Response {
			loc := e.startUpload("up")
			for off := 0; off < len(data); off += 3000 {
				end := min(off+3000, len(data))
				resp := e.patch(loc, data[off:end], fmt.Sprintf("%d-%d", off, end-1))
				expect(t, resp, http.StatusAccepted, "")
				if got := resp.Header.Get("Range"); got != fmt.Sprintf("0-%d", end-1) {
					t.Fatalf("Range = %q after %d bytes", got, end)
				}
				loc = resp.Header.Get("Location")
			}
			return e.do(req{method: "PUT", path: withQuery(loc, "digest="+string(d))})
		}},
		{"chunked, last chunk in PUT", data, func(t *testing.T, d ecr.Digest, data []byte) *http.Response {
			loc := e.startUpload("up")
			resp := e.patch(loc, data[:6000], "0-5999")
			expect(t, resp, http.StatusAccepted, "")
			return e.do(req{method: "PUT", path: withQuery(resp.Header.Get("Location"), "digest="+string(d)), body: data[6000:],
				header: map[string]string{"Content-Range": fmt.Sprintf("6000-%d", len(data)-1)}})
		}},
		{"streamed PATCH", data, func(t *testing.T, d ecr.Digest, data []byte) *http.Response {
			loc := e.startUpload("up")
			resp := e.patch(loc, data, "")
			expect(t, resp, http.StatusAccepted, "")
			return e.do(req{method: "PUT", path: withQuery(resp.Header.Get("Location"), "digest="+string(d))})
		}},
		{"empty blob", []byte{}, func(t *testing.T, d ecr.Digest, data []byte) *http.Response {
			return e.do(req{method: "PUT", path: withQuery(e.startUpload("up"), "digest="+string(d))})
		}},
		{"sha512", data, func(t *testing.T, d ecr.Digest, data []byte) *http.Response {
			return e.do(req{method: "POST", path: "/v2/up/blobs/uploads/?digest=" + string(d), body: data})
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := append([]byte(tt.name), tt.data...)
			if tt.name == "empty blob" {
				data = nil
			}
			d := sha(data)
			if tt.name == "sha512" {
				d = ecr.FromBytes(ecr.SHA512, data)
			}
			resp := tt.push(t, d, data)
			expect(t, resp, http.StatusCreated, "")
			if resp.Header.Get("Location") != "/v2/up/blobs/"+string(d) || resp.Header.Get("Docker-Content-Digest") != string(d) {
				t.Fatalf("201 headers: %v", resp.Header)
			}
			resp = e.do(req{method: "HEAD", path: "/v2/up/blobs/" + string(d)})
			expect(t, resp, http.StatusOK, "")
			if resp.Header.Get("Content-Length") != fmt.Sprint(len(data)) || resp.Header.Get("Docker-Content-Digest") != string(d) {
				t.Fatalf("HEAD headers: %v", resp.Header)
			}
			resp = e.do(req{method: "GET", path: "/v2/up/blobs/" + string(d)})
			expect(t, resp, http.StatusOK, "")
			if !bytes.Equal(bodyOf(resp), data) {
				t.Fatal("GET returned other content")
			}
		})
	}
}

func TestBlobRangeRequests(t *testing.T) {
	e := newEnv(t)
	e.createRepo("rng", ecr.Mutable)
	data := randomBytes(2048)
	d := e.pushBlob("rng", data)
	tests := []struct {
		rng    string
		status int
		want   []byte
		cr     string
	}{
		{"bytes=500-1499", http.StatusPartialContent, data[500:1500], "bytes 500-1499/2048"},
		{"bytes=500-", http.StatusPartialContent, data[500:], "bytes 500-2047/2048"},
		{"bytes=-500", http.StatusPartialContent, data[1548:], "bytes 1548-2047/2048"},
		{"bytes=2000-5000", http.StatusPartialContent, data[2000:], "bytes 2000-2047/2048"},
		{"bytes=500-0", http.StatusRequestedRangeNotSatisfiable, nil, ""},
		{"bytes=5000-10000", http.StatusRequestedRangeNotSatisfiable, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.rng, func(t *testing.T) {
			resp := e.do(req{method: "GET", path: "/v2/rng/blobs/" + string(d), header: map[string]string{"Range": tt.rng}})
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.status)
			}
			if tt.want != nil && (!bytes.Equal(bodyOf(resp), tt.want) || resp.Header.Get("Content-Range") != tt.cr) {
				t.Fatalf("body %d bytes, Content-Range %q", len(bodyOf(resp)), resp.Header.Get("Content-Range"))
			}
		})
	}
}

func TestChunkOutOfOrder(t *testing.T) {
	e := newEnv(t)
	e.createRepo("ooo", ecr.Mutable)
	data := randomBytes(300)
	loc := e.startUpload("ooo")
	expect(t, e.patch(loc, data[:100], "0-99"), http.StatusAccepted, "")
	for _, bad := range []struct{ from, to int }{{200, 299}, {0, 99}, {50, 149}} {
		resp := e.patch(loc, data[bad.from:bad.to+1], fmt.Sprintf("%d-%d", bad.from, bad.to))
		expect(t, resp, http.StatusRequestedRangeNotSatisfiable, "BLOB_UPLOAD_INVALID")
		if resp.Header.Get("Range") != "0-99" {
			t.Fatalf("416 Range = %q", resp.Header.Get("Range"))
		}
	}
	// An out-of-order last chunk in PUT is refused the same way and
	// leaves the upload alive.
	resp := e.do(req{method: "PUT", path: withQuery(loc, "digest="+string(sha(data))), body: data[200:], header: map[string]string{"Content-Range": "200-299"}})
	expect(t, resp, http.StatusRequestedRangeNotSatisfiable, "BLOB_UPLOAD_INVALID")
	resp = e.do(req{method: "GET", path: loc})
	expect(t, resp, http.StatusNoContent, "")
	if resp.Header.Get("Range") != "0-99" {
		t.Fatalf("status Range = %q", resp.Header.Get("Range"))
	}
	expect(t, e.patch(loc, data[100:200], "100-199"), http.StatusAccepted, "")
	resp = e.do(req{method: "PUT", path: withQuery(loc, "digest="+string(sha(data))), body: data[200:], header: map[string]string{"Content-Range": "200-299"}})
	expect(t, resp, http.StatusCreated, "")
	// A Content-Range that disagrees with Content-Length.
	loc = e.startUpload("ooo")
	expect(t, e.patch(loc, data[:10], "0-19"), http.StatusBadRequest, "SIZE_INVALID")
	expect(t, e.patch(loc, data[:10], "9-0"), http.StatusBadRequest, "BLOB_UPLOAD_INVALID")
}

func TestWrongDigest(t *testing.T) {
	e := newEnv(t)
	e.createRepo("dig", ecr.Mutable)
	data := randomBytes(1000)
	wrong := sha([]byte("something else"))
	t.Run("monolithic", func(t *testing.T) {
		resp := e.do(req{method: "POST", path: "/v2/dig/blobs/uploads/?digest=" + string(wrong), body: data})
		expect(t, resp, http.StatusBadRequest, "DIGEST_INVALID")
		expect(t, e.do(req{method: "HEAD", path: "/v2/dig/blobs/" + string(wrong)}), http.StatusNotFound, "")
		expect(t, e.do(req{method: "HEAD", path: "/v2/dig/blobs/" + string(sha(data))}), http.StatusNotFound, "")
	})
	t.Run("chunked", func(t *testing.T) {
		loc := e.startUpload("dig")
		expect(t, e.patch(loc, data, "0-999"), http.StatusAccepted, "")
		expect(t, e.do(req{method: "PUT", path: withQuery(loc, "digest="+string(wrong))}), http.StatusBadRequest, "DIGEST_INVALID")
		expect(t, e.do(req{method: "GET", path: loc}), http.StatusNotFound, "BLOB_UPLOAD_UNKNOWN")
	})
	for _, bad := range []string{"sha256:abc", "md5:" + strings.Repeat("0", 32), "nocolon", ""} {
		t.Run("malformed "+bad, func(t *testing.T) {
			loc := e.startUpload("dig")
			expect(t, e.do(req{method: "PUT", path: withQuery(loc, "digest="+bad), body: data}), http.StatusBadRequest, "DIGEST_INVALID")
			if bad != "" {
				expect(t, e.do(req{method: "GET", path: "/v2/dig/blobs/" + bad}), http.StatusBadRequest, "DIGEST_INVALID")
			}
		})
	}
}

// rawRequest sends a request whose body is shorter than its
// Content-Length, then half-closes the connection, and returns the
// response: a truncated upload.
func (e *env) rawRequest(method, path string, contentLength int, body []byte, extra string) *http.Response {
	e.t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(e.srv.URL, "http://"))
	if err != nil {
		e.t.Fatal(err)
	}
	defer conn.Close()
	hr, _ := http.NewRequest(method, e.srv.URL+path, nil)
	hr.SetBasicAuth("AWS", e.token)
	fmt.Fprintf(conn, "%s %s HTTP/1.1\r\nHost: %s\r\nAuthorization: %s\r\nContent-Length: %d\r\n%s\r\n",
		method, path, hr.Host, hr.Header.Get("Authorization"), contentLength, extra)
	conn.Write(body)
	conn.(*net.TCPConn).CloseWrite()
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), hr)
	if err != nil {
		e.t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body = io.NopCloser(bytes.NewReader(b))
	return resp
}

func TestTruncatedUpload(t *testing.T) {
	e := newEnv(t)
	e.createRepo("trunc", ecr.Mutable)
	data := randomBytes(1000)
	t.Run("chunk resumes from what arrived", func(t *testing.T) {
		loc := e.startUpload("trunc")
		resp := e.rawRequest("PATCH", loc, 1000, data[:400], "Content-Range: 0-999\r\n")
		expect(t, resp, http.StatusBadRequest, "SIZE_INVALID")
		resp = e.do(req{method: "GET", path: loc})
		expect(t, resp, http.StatusNoContent, "")
		if resp.Header.Get("Range") != "0-399" {
			t.Fatalf("after a truncated chunk, Range = %q", resp.Header.Get("Range"))
		}
		expect(t, e.patch(loc, data[400:], "400-999"), http.StatusAccepted, "")
		expect(t, e.do(req{method: "PUT", path: withQuery(loc, "digest="+string(sha(data)))}), http.StatusCreated, "")
	})
	t.Run("monolithic stores nothing", func(t *testing.T) {
		other := randomBytes(1000)
		resp := e.rawRequest("POST", "/v2/trunc/blobs/uploads/?digest="+string(sha(other)), 1000, other[:10], "")
		expect(t, resp, http.StatusBadRequest, "SIZE_INVALID")
		expect(t, e.do(req{method: "GET", path: "/v2/trunc/blobs/" + string(sha(other))}), http.StatusNotFound, "BLOB_UNKNOWN")
	})
}

func TestMount(t *testing.T) {
	e := newEnv(t)
	e.createRepo("src", ecr.Mutable)
	e.createRepo("dst", ecr.Mutable)
	data := randomBytes(500)
	d := e.pushBlob("src", data)
	mount := func(repo, q string) *http.Response {
		return e.do(req{method: "POST", path: "/v2/" + repo + "/blobs/uploads/?" + q})
	}
	resp := mount("dst", "mount="+string(d)+"&from=src")
	expect(t, resp, http.StatusCreated, "")
	if resp.Header.Get("Location") != "/v2/dst/blobs/"+string(d) {
		t.Fatalf("mount Location = %q", resp.Header.Get("Location"))
	}
	got := e.do(req{method: "GET", path: "/v2/dst/blobs/" + string(d)})
	expect(t, got, http.StatusOK, "")
	if !bytes.Equal(bodyOf(got), data) {
		t.Fatal("mounted blob differs")
	}

	e.createRepo("anon", ecr.Mutable)
	expect(t, mount("anon", "mount="+string(d)), http.StatusCreated, "")

	e.createRepo("empty", ecr.Mutable)
	missing := sha([]byte("never pushed"))
	resp = mount("dst", "mount="+string(missing)+"&from=src")
	expect(t, resp, http.StatusAccepted, "")
	if !strings.HasPrefix(resp.Header.Get("Location"), "/v2/dst/blobs/uploads/") {
		t.Fatalf("fallback Location = %q", resp.Header.Get("Location"))
	}
	expect(t, mount("dst", "mount="+string(d)+"&from=empty"), http.StatusAccepted, "")
	expect(t, mount("nope", "mount="+string(d)+"&from=src"), http.StatusNotFound, "NAME_UNKNOWN")
	expect(t, mount("dst", "mount=sha256:zz&from=src"), http.StatusBadRequest, "DIGEST_INVALID")
	expect(t, mount("dst", "mount="+string(d)+"&from=BAD"), http.StatusBadRequest, "NAME_INVALID")
}

func TestCancelAndForeignUploads(t *testing.T) {
	e := newEnv(t)
	e.createRepo("one", ecr.Mutable)
	e.createRepo("two", ecr.Mutable)
	loc := e.startUpload("one")
	id := loc[strings.LastIndex(loc, "/")+1:]
	expect(t, e.do(req{method: "GET", path: "/v2/two/blobs/uploads/" + id}), http.StatusNotFound, "BLOB_UPLOAD_UNKNOWN")
	expect(t, e.do(req{method: "GET", path: "/v2/one/blobs/uploads/../../etc"}), http.StatusNotFound, "")
	expect(t, e.do(req{method: "DELETE", path: loc}), http.StatusNoContent, "")
	expect(t, e.do(req{method: "GET", path: loc}), http.StatusNotFound, "BLOB_UPLOAD_UNKNOWN")
	expect(t, e.do(req{method: "DELETE", path: loc}), http.StatusNotFound, "BLOB_UPLOAD_UNKNOWN")
	expect(t, e.do(req{method: "POST", path: "/v2/nope/blobs/uploads/"}), http.StatusNotFound, "NAME_UNKNOWN")
}
