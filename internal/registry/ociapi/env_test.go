package ociapi_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/quayside/quayside/internal/ecr"
	"github.com/quayside/quayside/internal/ecr/ecrdb"
	"github.com/quayside/quayside/internal/registry"
	"github.com/quayside/quayside/internal/registry/ociapi"
	"github.com/quayside/quayside/internal/store"
	"github.com/quayside/quayside/internal/store/boltstore"
)

const (
	testRegion  = "us-east-1"
	testAccount = "000000000000"
)

// clock is a settable clock.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

func (c *clock) Add(d time.Duration) { c.mu.Lock(); c.now = c.now.Add(d); c.mu.Unlock() }

// env is a registry served over HTTP from a fresh data dir.
type env struct {
	t     testing.TB
	dir   string
	cfg   registry.Config
	clock *clock
	st    store.Store
	reg   *registry.Registry
	srv   *httptest.Server
	token string
}

func newEnv(t testing.TB) *env { t.Helper(); return newEnvAt(t, t.TempDir(), nil) }

// newEnvAt serves the data dir dir, with cfg adjusting the registry's
// configuration.
func newEnvAt(t testing.TB, dir string, cfg func(*registry.Config)) *env {
	t.Helper()
	e := &env{t: t, dir: dir, clock: &clock{now: time.Now().UTC()}}
	e.cfg = registry.Config{DataDir: e.dir, Now: e.clock.Now, GCInterval: -1}
	if cfg != nil {
		cfg(&e.cfg)
	}
	e.start()
	e.token, _ = e.reg.Auth().NewToken(testAccount, testRegion, e.clock.Now())
	t.Cleanup(e.stop)
	return e
}

func (e *env) start() {
	e.t.Helper()
	st, err := boltstore.Open(filepath.Join(e.dir, "quayside.db"), boltstore.Options{})
	if err != nil {
		e.t.Fatal(err)
	}
	reg, err := registry.Open(st, e.cfg)
	if err != nil {
		e.t.Fatal(err)
	}
	e.st, e.reg = st, reg
	e.srv = httptest.NewServer(ociapi.New(reg, slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))))
}

func (e *env) stop() {
	if e.srv == nil {
		return
	}
	e.srv.CloseClientConnections()
	e.srv.Close()
	e.st.Close()
	e.srv = nil
}

// restart stops the server and store and opens them again on the same
// data dir, as after a crash or a restart.
func (e *env) restart() {
	e.stop()
	e.start()
}

func (e *env) scope() ecrdb.Scope { return ecrdb.Scope{Region: testRegion, Account: testAccount} }

func (e *env) createRepo(name string, m ecr.TagMutability) {
	e.t.Helper()
	_, err := e.reg.CreateRepository(context.Background(), ecr.NewRepository{Region: testRegion, Account: testAccount, Name: name, ImageTagMutability: m})
	if err != nil {
		e.t.Fatal(err)
	}
}

// req is one request: the body, headers, and the token (empty: the env's;
// "-": none).
type req struct {
	method, path string
	body         []byte
	header       map[string]string
	token        string
}

func (e *env) do(r req) *http.Response {
	e.t.Helper()
	u := r.path
	if !strings.HasPrefix(u, "http") {
		u = e.srv.URL + r.path
	}
	var body io.Reader
	if r.body != nil {
		body = bytes.NewReader(r.body)
	}
	hr, err := http.NewRequest(r.method, u, body)
	if err != nil {
		e.t.Fatal(err)
	}
	for k, v := range r.header {
		hr.Header.Set(k, v)
	}
	switch r.token {
	case "":
		hr.SetBasicAuth("AWS", e.token)
	case "-":
	default:
		hr.SetBasicAuth("AWS", r.token)
	}
	resp, err := http.DefaultClient.Do(hr)
	if err != nil {
		e.t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(b))
	return resp
}

func bodyOf(resp *http.Response) []byte {
	b, _ := io.ReadAll(resp.Body)
	resp.Body = io.NopCloser(bytes.NewReader(b))
	return b
}

// errCode is the first error code of a registry error body.
func errCode(resp *http.Response) string {
	var eb struct {
		Errors []struct{ Code, Message string } `json:"errors"`
	}
	_ = json.Unmarshal(bodyOf(resp), &eb)
	if len(eb.Errors) == 0 {
		return ""
	}
	return eb.Errors[0].Code
}

func expect(t testing.TB, resp *http.Response, status int, code string) {
	t.Helper()
	if resp.StatusCode != status || (code != "" && errCode(resp) != code) {
		t.Fatalf("%s %s: got %d %s, want %d %s\n%s", resp.Request.Method, resp.Request.URL.Path, resp.StatusCode, errCode(resp), status, code, bodyOf(resp))
	}
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return b
}

func sha(b []byte) ecr.Digest { return ecr.FromBytes(ecr.SHA256, b) }

// pushBlob uploads a blob monolithically.
func (e *env) pushBlob(repo string, b []byte) ecr.Digest {
	e.t.Helper()
	d := sha(b)
	resp := e.do(req{method: "POST", path: "/v2/" + repo + "/blobs/uploads/?digest=" + string(d), body: b})
	expect(e.t, resp, http.StatusCreated, "")
	return d
}

// image is a generated OCI image: config, layers and manifest.
type image struct {
	config, manifest []byte
	layers           [][]byte
	digest           ecr.Digest
	mediaType        string
}

func newImage(layers int, extra map[string]any) image {
	var im image
	im.mediaType = ecr.MediaTypeOCIManifest
	im.config = []byte(fmt.Sprintf(`{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]},"n":%q}`, rand.Text()))
	m := map[string]any{
		"schemaVersion": 2,
		"mediaType":     im.mediaType,
		"config":        map[string]any{"mediaType": "application/vnd.oci.image.config.v1+json", "digest": sha(im.config), "size": len(im.config)},
	}
	ls := []map[string]any{}
	for i := 0; i < layers; i++ {
		l := randomBytes(100 + i)
		im.layers = append(im.layers, l)
		ls = append(ls, map[string]any{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": sha(l), "size": len(l)})
	}
	m["layers"] = ls
	for k, v := range extra {
		m[k] = v
	}
	im.manifest, _ = json.Marshal(m)
	im.digest = sha(im.manifest)
	return im
}

func (im image) size() int64 {
	n := int64(len(im.config))
	for _, l := range im.layers {
		n += int64(len(l))
	}
	return n
}

// push uploads the image's blobs and puts its manifest under ref.
func (e *env) push(repo, ref string, im image) *http.Response {
	e.t.Helper()
	e.pushBlob(repo, im.config)
	for _, l := range im.layers {
		e.pushBlob(repo, l)
	}
	return e.putManifest(repo, ref, im.mediaType, im.manifest)
}

func (e *env) putManifest(repo, ref, mediaType string, body []byte) *http.Response {
	return e.do(req{method: "PUT", path: "/v2/" + repo + "/manifests/" + ref, body: body, header: map[string]string{"Content-Type": mediaType}})
}
