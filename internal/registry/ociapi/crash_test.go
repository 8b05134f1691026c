package ociapi_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/quayside/quayside/internal/ecr"
	"github.com/quayside/quayside/internal/ecr/ecrauth"
	"github.com/quayside/quayside/internal/registry"
	"github.com/quayside/quayside/internal/registry/ociapi"
	"github.com/quayside/quayside/internal/store/boltstore"
)

// crashServerEnv switches the test binary into server mode (see
// TestMain): its value is the data dir to serve.
const crashServerEnv = "QUAYSIDE_REGISTRY_CRASH_SERVER"

func TestMain(m *testing.M) {
	if dir := os.Getenv(crashServerEnv); dir != "" {
		crashServer(dir)
		return
	}
	os.Exit(m.Run())
}

// crashServer serves a registry on dir, creating repository "crash" if
// needed, prints "addr <host:port>" and serves until killed.
func crashServer(dir string) {
	fail := func(err error) { fmt.Fprintln(os.Stderr, "crash server:", err); os.Exit(2) }
	st, err := boltstore.Open(filepath.Join(dir, "quayside.db"), boltstore.Options{})
	if err != nil {
		fail(err)
	}
	reg, err := registry.Open(st, registry.Config{DataDir: dir, GCInterval: -1})
	if err != nil {
		fail(err)
	}
	if _, err := reg.CreateRepository(context.Background(), ecr.NewRepository{Region: testRegion, Account: testAccount, Name: "crash"}); err != nil && !errors.Is(err, ecr.ErrRepositoryAlreadyExists) {
		fail(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fail(err)
	}
	fmt.Printf("addr %s\n", ln.Addr())
	_ = http.Serve(ln, ociapi.New(reg, nil))
	os.Exit(3)
}

// startCrashServer runs a child serving dir and returns its URL and
// process.
func startCrashServer(t *testing.T, dir string) (string, *os.Process) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), crashServerEnv+"="+dir)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("crash server did not start: %v", err)
	}
	return "http://" + strings.TrimSpace(strings.TrimPrefix(line, "addr ")), cmd.Process
}

// TestKill9MidPush kills a registry process with SIGKILL in the middle of
// a push and checks, on restart: every completed image is served whole,
// no blob file is corrupt, no manifest names a missing blob, and the
// interrupted upload resumes from what was recorded.
func TestKill9MidPush(t *testing.T) {
	dir := t.TempDir()
	url, proc := startCrashServer(t, dir)
	auth, err := ecrauth.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	token, _ := auth.NewToken(testAccount, testRegion, time.Now())
	// Drive the child with an env whose server URL and token are the
	// child's.
	child := &env{t: t, token: token, srv: nil}
	do := func(r req) *http.Response { r.path = url + r.path; return child.do(r) }

	// 1. A complete image.
	done := newImage(2, nil)
	for _, b := range append([][]byte{done.config}, done.layers...) {
		expect(t, do(req{method: "POST", path: "/v2/crash/blobs/uploads/?digest=" + string(sha(b)), body: b}), http.StatusCreated, "")
	}
	expect(t, do(req{method: "PUT", path: "/v2/crash/manifests/done", body: done.manifest, header: map[string]string{"Content-Type": done.mediaType}}), http.StatusCreated, "")

	// 2. An upload with one recorded chunk, then a chunk cut by SIGKILL.
	big := randomBytes(8 << 20)
	resp := do(req{method: "POST", path: "/v2/crash/blobs/uploads/"})
	expect(t, resp, http.StatusAccepted, "")
	loc := resp.Header.Get("Location")
	expect(t, do(req{method: "PATCH", path: loc, body: big[:1<<20], header: map[string]string{"Content-Range": fmt.Sprintf("0-%d", 1<<20-1)}}), http.StatusAccepted, "")
	pr, pw := io.Pipe()
	hr, _ := http.NewRequest("PATCH", url+loc, pr)
	hr.SetBasicAuth("AWS", token)
	go func() {
		if resp, err := http.DefaultClient.Do(hr); err == nil {
			resp.Body.Close()
		}
	}()
	if _, err := pw.Write(big[1<<20 : 3<<20]); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond)
	if err := proc.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	pw.CloseWithError(io.ErrUnexpectedEOF)
	time.Sleep(100 * time.Millisecond)

	// 3. Restart in this process on the same data dir.
	e := newEnvAt(t, dir, nil)
	e.token = token
	checkBlobFiles(t, dir)
	resp = e.do(req{method: "GET", path: "/v2/crash/manifests/done"})
	expect(t, resp, http.StatusOK, "")
	if !bytes.Equal(bodyOf(resp), done.manifest) {
		t.Fatal("manifest differs after the crash")
	}
	for _, b := range append([][]byte{done.config}, done.layers...) {
		got := e.do(req{method: "GET", path: "/v2/crash/blobs/" + string(sha(b))})
		if got.StatusCode != http.StatusOK || !bytes.Equal(bodyOf(got), b) {
			t.Fatalf("blob %s after the crash: %d", sha(b), got.StatusCode)
		}
	}
	resp = e.do(req{method: "GET", path: loc})
	expect(t, resp, http.StatusNoContent, "")
	off := nextOffset(t, resp)
	if off != 1<<20 {
		t.Fatalf("interrupted upload stands at %d, want the recorded %d", off, 1<<20)
	}
	expect(t, e.patch(loc, big[off:], fmt.Sprintf("%d-%d", off, len(big)-1)), http.StatusAccepted, "")
	expect(t, e.do(req{method: "PUT", path: withQuery(loc, "digest="+string(sha(big)))}), http.StatusCreated, "")
	checkBlobFiles(t, dir)
}

// checkBlobFiles re-hashes every blob file: each must match its name.
func checkBlobFiles(t *testing.T, dir string) {
	t.Helper()
	root := filepath.Join(dir, "blobs")
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		algo := filepath.Base(filepath.Dir(filepath.Dir(path)))
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if got := ecr.FromBytes(algo, b); got.Hex() != d.Name() {
			t.Errorf("corrupt blob file %s: content hashes to %s", path, got)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
