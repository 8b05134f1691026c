package ociapi_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/quayside/quayside/internal/ecr"
	"github.com/quayside/quayside/internal/registry"
)

func (e *env) gc() registry.GCReport {
	e.t.Helper()
	rep, err := e.reg.CollectGarbage(context.Background())
	if err != nil {
		e.t.Fatal(err)
	}
	return rep
}

func (e *env) blobFileExists(d ecr.Digest) bool {
	_, err := os.Stat(filepath.Join(e.dir, "blobs", d.Algorithm(), d.Hex()[:2], d.Hex()))
	return err == nil
}

func TestGCKeepsFreshAndReferencedBlobs(t *testing.T) {
	e := newEnvAt(t, t.TempDir(), func(c *registry.Config) { c.GCGrace = time.Hour; c.UploadTTL = 2 * time.Hour })
	e.createRepo("gc", ecr.Mutable)
	im := newImage(1, nil)
	expect(t, e.push("gc", "v1", im), http.StatusCreated, "")
	loose := e.pushBlob("gc", randomBytes(1000)) // uploaded, never referenced

	if rep := e.gc(); rep.BlobsDeleted != 0 {
		t.Fatalf("collected %d blobs within the grace period", rep.BlobsDeleted)
	}
	expect(t, e.do(req{method: "GET", path: "/v2/gc/blobs/" + string(loose)}), http.StatusOK, "")

	e.clock.Add(59 * time.Minute)
	if rep := e.gc(); rep.BlobsDeleted != 0 {
		t.Fatalf("collected %d blobs within the grace period", rep.BlobsDeleted)
	}
	e.clock.Add(2 * time.Minute)
	rep := e.gc()
	if rep.BlobsDeleted != 1 || rep.BytesFreed != 1000 || e.blobFileExists(loose) {
		t.Fatalf("after the grace period: %+v", rep)
	}
	expect(t, e.do(req{method: "HEAD", path: "/v2/gc/blobs/" + string(loose)}), http.StatusNotFound, "")
	// The image's blobs stay, however old.
	for _, b := range append([][]byte{im.config}, im.layers...) {
		expect(t, e.do(req{method: "GET", path: "/v2/gc/blobs/" + string(sha(b))}), http.StatusOK, "")
	}
	// Once the image is gone, its blobs go after the grace period.
	expect(t, e.do(req{method: "DELETE", path: "/v2/gc/manifests/" + string(im.digest)}), http.StatusAccepted, "")
	e.clock.Add(2 * time.Hour)
	if rep := e.gc(); rep.BlobsDeleted != 2 {
		t.Fatalf("after deleting the image: %+v", rep)
	}
}

func TestGCSparesBlobsJustRead(t *testing.T) {
	e := newEnvAt(t, t.TempDir(), func(c *registry.Config) { c.GCGrace = time.Hour })
	e.createRepo("gc", ecr.Mutable)
	d := e.pushBlob("gc", randomBytes(10))
	e.clock.Add(2 * time.Hour)
	// A pusher checks that the blob exists before it pushes a manifest.
	expect(t, e.do(req{method: "HEAD", path: "/v2/gc/blobs/" + string(d)}), http.StatusOK, "")
	if rep := e.gc(); rep.BlobsDeleted != 0 {
		t.Fatal("collected a blob read within the grace period")
	}
}

func TestGCSharedBlobs(t *testing.T) {
	e := newEnvAt(t, t.TempDir(), func(c *registry.Config) { c.GCGrace = time.Minute })
	e.createRepo("a1", ecr.Mutable)
	e.createRepo("b1", ecr.Mutable)
	im := newImage(1, nil)
	expect(t, e.push("a1", "v1", im), http.StatusCreated, "")
	expect(t, e.push("b1", "v1", im), http.StatusCreated, "")
	expect(t, e.do(req{method: "DELETE", path: "/v2/a1/manifests/" + string(im.digest)}), http.StatusAccepted, "")
	e.clock.Add(time.Hour)
	if rep := e.gc(); rep.BlobsDeleted != 0 {
		t.Fatalf("collected blobs another repository's image uses: %+v", rep)
	}
	// a1 lost its links to them; b1 kept its own.
	expect(t, e.do(req{method: "HEAD", path: "/v2/a1/blobs/" + string(sha(im.layers[0]))}), http.StatusOK, "")
	expect(t, e.do(req{method: "GET", path: "/v2/b1/manifests/v1"}), http.StatusOK, "")
}

func TestGCExpiresIdleUploads(t *testing.T) {
	e := newEnvAt(t, t.TempDir(), func(c *registry.Config) { c.UploadTTL = time.Hour })
	e.createRepo("up", ecr.Mutable)
	loc := e.startUpload("up")
	expect(t, e.patch(loc, []byte("some bytes"), ""), http.StatusAccepted, "")
	orphan := filepath.Join(e.dir, "uploads", "0000-orphan")
	if err := os.WriteFile(orphan, []byte("left by a crash"), 0o600); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-2 * time.Hour)
	_ = os.Chtimes(orphan, old, old)
	e.gc()
	expect(t, e.do(req{method: "GET", path: loc}), http.StatusNoContent, "")
	if _, err := os.Stat(orphan); !os.IsNotExist(err) {
		t.Fatal("orphan upload file survived")
	}
	e.clock.Add(61 * time.Minute)
	if rep := e.gc(); rep.UploadsExpired != 1 {
		t.Fatalf("report %+v", rep)
	}
	expect(t, e.do(req{method: "GET", path: loc}), http.StatusNotFound, "BLOB_UPLOAD_UNKNOWN")
	if entries, _ := os.ReadDir(filepath.Join(e.dir, "uploads")); len(entries) != 0 {
		t.Fatalf("upload files left: %d", len(entries))
	}
}

// TestGCWhilePushing runs the collector with no grace at all in a loop
// while images are pushed. Pushes may be refused (their blobs collected
// before the manifest came), but no image that was accepted may ever
// miss a blob.
func TestGCWhilePushing(t *testing.T) {
	e := newEnvAt(t, t.TempDir(), func(c *registry.Config) { c.GCGrace = time.Nanosecond; c.Now = time.Now })
	e.createRepo("race", ecr.Mutable)
	stop := make(chan struct{})
	var gcWG sync.WaitGroup
	gcWG.Add(1)
	go func() {
		defer gcWG.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := e.reg.CollectGarbage(context.Background()); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	type pushed struct {
		im  image
		ok  bool
		tag string
	}
	results := make(chan pushed, 64)
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 10; i++ {
				im := newImage(2, nil)
				tag := fmt.Sprintf("w%d-%d", w, i)
				ok := true
				for _, b := range append([][]byte{im.config}, im.layers...) {
					resp := e.do(req{method: "POST", path: "/v2/race/blobs/uploads/?digest=" + string(sha(b)), body: b})
					ok = ok && resp.StatusCode == http.StatusCreated
				}
				resp := e.putManifest("race", tag, im.mediaType, im.manifest)
				if resp.StatusCode != http.StatusCreated && errCode(resp) != "MANIFEST_BLOB_UNKNOWN" {
					t.Errorf("push: %d %s", resp.StatusCode, bodyOf(resp))
				}
				results <- pushed{im, ok && resp.StatusCode == http.StatusCreated, tag}
			}
		}()
	}
	wg.Wait()
	close(stop)
	gcWG.Wait()
	close(results)
	var accepted []pushed
	for p := range results {
		if p.ok {
			accepted = append(accepted, p)
		}
	}
	check := func() {
		for _, p := range accepted {
			expect(t, e.do(req{method: "GET", path: "/v2/race/manifests/" + p.tag}), http.StatusOK, "")
			for _, b := range append([][]byte{p.im.config}, p.im.layers...) {
				resp := e.do(req{method: "GET", path: "/v2/race/blobs/" + string(sha(b))})
				if resp.StatusCode != http.StatusOK || !bytes.Equal(bodyOf(resp), b) {
					t.Fatalf("image %s lost blob %s: %d", p.tag, sha(b), resp.StatusCode)
				}
			}
		}
	}
	check()
	rep := e.gc()
	check()
	t.Logf("%d of 40 pushes accepted while collecting with no grace period; last collection: %+v", len(accepted), rep)
}
