package docker_test

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// registry is the least of an OCI distribution registry that lets the
// daemon push and pull with basic auth: blobs and manifests in memory.
// The daemon treats 127.0.0.0/8 as insecure, so plain HTTP is accepted.
type registry struct {
	user, password string

	mu        sync.Mutex
	blobs     map[string][]byte // digest → content
	uploads   map[string][]byte // upload ID → content so far
	manifests map[string]manifest
}

type manifest struct {
	mediaType string
	body      []byte
}

// newRegistry starts a registry on loopback and returns its host:port.
func newRegistry(t *testing.T, user, password string) (*registry, string) {
	r := &registry{user: user, password: password,
		blobs: map[string][]byte{}, uploads: map[string][]byte{}, manifests: map[string]manifest{}}
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)
	return r, strings.TrimPrefix(srv.URL, "http://")
}

func digestOf(b []byte) string {
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:])
}

func (r *registry) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	w.Header().Set("Docker-Distribution-API-Version", "registry/2.0")
	if u, p, ok := req.BasicAuth(); !ok || u != r.user || p != r.password {
		w.Header().Set("WWW-Authenticate", `Basic realm="quayside-test"`)
		r.fail(w, http.StatusUnauthorized, "UNAUTHORIZED", "authentication required")
		return
	}
	path := strings.TrimPrefix(req.URL.Path, "/v2/")
	if path == "" {
		io.WriteString(w, "{}")
		return
	}
	body, err := io.ReadAll(req.Body)
	if err != nil {
		r.fail(w, http.StatusBadRequest, "BLOB_UPLOAD_INVALID", err.Error())
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if i := strings.LastIndex(path, "/manifests/"); i >= 0 {
		r.manifest(w, req, path[:i], path[i+len("/manifests/"):], body)
		return
	}
	if i := strings.LastIndex(path, "/blobs/uploads/"); i >= 0 {
		r.upload(w, req, path[:i], path[i+len("/blobs/uploads/"):], body)
		return
	}
	if i := strings.LastIndex(path, "/blobs/"); i >= 0 {
		b, ok := r.blobs[path[i+len("/blobs/"):]]
		if !ok {
			r.fail(w, http.StatusNotFound, "BLOB_UNKNOWN", "blob unknown")
			return
		}
		w.Header().Set("Content-Length", fmt.Sprint(len(b)))
		w.Header().Set("Docker-Content-Digest", digestOf(b))
		w.Write(b)
		return
	}
	r.fail(w, http.StatusNotFound, "NAME_UNKNOWN", "unknown path")
}

func (r *registry) manifest(w http.ResponseWriter, req *http.Request, name, ref string, body []byte) {
	if req.Method == http.MethodPut {
		m := manifest{mediaType: req.Header.Get("Content-Type"), body: body}
		dgst := digestOf(body)
		r.manifests[name+"@"+dgst] = m
		r.manifests[name+":"+ref] = m
		w.Header().Set("Docker-Content-Digest", dgst)
		w.Header().Set("Location", "/v2/"+name+"/manifests/"+dgst)
		w.WriteHeader(http.StatusCreated)
		return
	}
	sep := ":"
	if strings.HasPrefix(ref, "sha256:") {
		sep = "@"
	}
	m, ok := r.manifests[name+sep+ref]
	if !ok {
		r.fail(w, http.StatusNotFound, "MANIFEST_UNKNOWN", "manifest unknown")
		return
	}
	w.Header().Set("Content-Type", m.mediaType)
	w.Header().Set("Content-Length", fmt.Sprint(len(m.body)))
	w.Header().Set("Docker-Content-Digest", digestOf(m.body))
	w.Write(m.body)
}

// upload handles POST (start), PATCH (append) and PUT (finish) of a blob
// upload.
func (r *registry) upload(w http.ResponseWriter, req *http.Request, name, id string, body []byte) {
	if req.Method == http.MethodPost {
		b := make([]byte, 8)
		rand.Read(b)
		id = hex.EncodeToString(b)
	}
	data := append(r.uploads[id], body...)
	if req.Method != http.MethodPut {
		r.uploads[id] = data
		w.Header().Set("Location", "/v2/"+name+"/blobs/uploads/"+id)
		w.Header().Set("Range", fmt.Sprintf("0-%d", max(len(data)-1, 0)))
		w.Header().Set("Docker-Upload-UUID", id)
		w.WriteHeader(http.StatusAccepted)
		return
	}
	delete(r.uploads, id)
	dgst := req.URL.Query().Get("digest")
	if digestOf(data) != dgst {
		r.fail(w, http.StatusBadRequest, "DIGEST_INVALID", "digest does not match")
		return
	}
	r.blobs[dgst] = data
	w.Header().Set("Location", "/v2/"+name+"/blobs/"+dgst)
	w.Header().Set("Docker-Content-Digest", dgst)
	w.WriteHeader(http.StatusCreated)
}

func (r *registry) fail(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	fmt.Fprintf(w, `{"errors":[{"code":%q,"message":%q}]}`, code, msg)
}
