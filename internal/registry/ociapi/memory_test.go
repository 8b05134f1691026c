package ociapi_test

import (
	"crypto/sha256"
	"io"
	"math/rand/v2"
	"net/http"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/quayside/quayside/internal/ecr"
)

// stream is size bytes of repeatable pseudo-random content.
func stream(size int64) io.Reader {
	return io.LimitReader(rand.NewChaCha8([32]byte{1, 2, 3}), size)
}

// TestLargeBlobMemoryStaysFlat streams a 256 MiB layer through a chunked
// PATCH and back out, sampling the heap: neither direction may hold the
// blob in memory.
func TestLargeBlobMemoryStaysFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("streams 512 MiB")
	}
	const size = 256 << 20
	e := newEnv(t)
	e.createRepo("big", ecr.Mutable)
	h := sha256.New()
	_, _ = io.Copy(h, stream(size))
	d := ecr.FromHash(ecr.SHA256, h)

	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	var peak uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var m runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
				runtime.ReadMemStats(&m)
				peak = max(peak, m.HeapAlloc)
			}
		}
	}()

	loc := e.startUpload("big")
	hr, _ := http.NewRequest("PATCH", e.srv.URL+loc, stream(size))
	hr.SetBasicAuth("AWS", e.token)
	resp, err := http.DefaultClient.Do(hr)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	expect(t, e.do(req{method: "PUT", path: withQuery(resp.Header.Get("Location"), "digest="+string(d))}), 201, "")

	hr, _ = http.NewRequest("GET", e.srv.URL+"/v2/big/blobs/"+string(d), nil)
	hr.SetBasicAuth("AWS", e.token)
	resp, err = http.DefaultClient.Do(hr)
	if err != nil {
		t.Fatal(err)
	}
	h.Reset()
	n, _ := io.Copy(h, resp.Body)
	resp.Body.Close()
	close(stop)
	wg.Wait()
	if n != size || ecr.FromHash(ecr.SHA256, h) != d {
		t.Fatalf("downloaded %d bytes hashing to %s", n, ecr.FromHash(ecr.SHA256, h))
	}
	growth := int64(peak) - int64(base.HeapAlloc)
	t.Logf("heap grew by at most %d KiB while 256 MiB went up and down", growth>>10)
	if growth > 32<<20 {
		t.Fatalf("heap grew by %d MiB: the blob is being buffered", growth>>20)
	}
}
