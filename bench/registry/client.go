package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
)

// client speaks the registry protocol as docker does: a ping, then per
// blob HEAD (skip if present), POST an upload, PATCH the bytes in one
// stream, PUT ?digest=; then PUT the manifest. A pull GETs the manifest,
// then the config and layers, checking each blob's digest as it streams.
type client struct {
	hc   *http.Client
	srv  *server
	pool *sync.Pool // copy buffers
}

func newClient(srv *server) *client {
	tr := &http.Transport{
		MaxIdleConnsPerHost: 256,
		DisableCompression:  true,
		WriteBufferSize:     256 << 10,
		ReadBufferSize:      256 << 10,
	}
	return &client{hc: &http.Client{Transport: tr}, srv: srv,
		pool: &sync.Pool{New: func() any { b := make([]byte, 1<<20); return &b }}}
}

func (c *client) close() { c.hc.CloseIdleConnections() }

func (c *client) do(ctx context.Context, method, u string, body []byte, hdr map[string]string) (*http.Response, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return nil, err
	}
	if c.srv.auth != "" {
		req.Header.Set("Authorization", c.srv.auth)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	return c.hc.Do(req)
}

// call makes a request and checks its status: on one of want it drains
// and closes the body, otherwise the error quotes the body's start.
func (c *client) call(ctx context.Context, method, u string, body []byte, hdr map[string]string, what string, want ...int) (*http.Response, error) {
	resp, err := c.do(ctx, method, u, body, hdr)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	for _, w := range want {
		if resp.StatusCode == w {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			return resp, nil
		}
	}
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	resp.Body.Close()
	return nil, fmt.Errorf("%s: %s: %s", what, resp.Status, b)
}

func (c *client) ping(ctx context.Context) error {
	_, err := c.call(ctx, http.MethodGet, c.srv.base+"/v2/", nil, nil, "ping", 200)
	return err
}

// pushBlob uploads a blob unless the repository has it.
func (c *client) pushBlob(ctx context.Context, repo string, b blob) error {
	resp, err := c.call(ctx, http.MethodHead, c.srv.base+"/v2/"+repo+"/blobs/"+b.digest, nil, nil, "HEAD blob", 200, 404)
	if err != nil || resp.StatusCode == 200 {
		return err
	}
	resp, err = c.call(ctx, http.MethodPost, c.srv.base+"/v2/"+repo+"/blobs/uploads/", nil, nil, "start upload", 202)
	if err != nil {
		return err
	}
	loc, err := location(resp)
	if err != nil {
		return err
	}
	resp, err = c.call(ctx, http.MethodPatch, loc.String(), b.data, map[string]string{"Content-Type": "application/octet-stream"}, "PATCH upload", 202)
	if err != nil {
		return err
	}
	if loc, err = location(resp); err != nil {
		return err
	}
	q := loc.Query()
	q.Set("digest", b.digest)
	loc.RawQuery = q.Encode()
	_, err = c.call(ctx, http.MethodPut, loc.String(), nil, nil, "complete upload", 201)
	return err
}

func location(resp *http.Response) (*url.URL, error) {
	loc := resp.Header.Get("Location")
	if loc == "" {
		return nil, fmt.Errorf("%s %s: no Location", resp.Request.Method, resp.Request.URL.Path)
	}
	return resp.Request.URL.Parse(loc)
}

// push uploads an image's blobs, jobs at a time, then its manifest.
func (c *client) push(ctx context.Context, repo, tag string, im *image, jobs int) error {
	if err := c.ping(ctx); err != nil {
		return err
	}
	blobs := append([]blob{im.config}, im.layers...)
	err := parallel(ctx, len(blobs), jobs, func(ctx context.Context, i int) error { return c.pushBlob(ctx, repo, blobs[i]) })
	if err != nil {
		return err
	}
	_, err = c.call(ctx, http.MethodPut, c.srv.base+"/v2/"+repo+"/manifests/"+tag, im.manifest,
		map[string]string{"Content-Type": manifestType}, "PUT manifest", 201)
	return err
}

// pull downloads an image, jobs blobs at a time, and returns the bytes
// received (manifest and blobs).
func (c *client) pull(ctx context.Context, repo, tag string, jobs int) (int64, error) {
	if err := c.ping(ctx); err != nil {
		return 0, err
	}
	resp, err := c.do(ctx, http.MethodGet, c.srv.base+"/v2/"+repo+"/manifests/"+tag, nil, map[string]string{"Accept": manifestType})
	if err != nil {
		return 0, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != 200 {
		return 0, fmt.Errorf("GET manifest %s:%s: %s %v", repo, tag, resp.Status, err)
	}
	var m manifest
	if err := json.Unmarshal(body, &m); err != nil {
		return 0, fmt.Errorf("manifest %s:%s: %w", repo, tag, err)
	}
	total := int64(len(body))
	blobs := append([]descriptor{m.Config}, m.Layers...)
	for _, d := range blobs {
		total += d.Size
	}
	return total, parallel(ctx, len(blobs), jobs, func(ctx context.Context, i int) error { return c.pullBlob(ctx, repo, blobs[i]) })
}

// parallel runs fn(0..n-1), jobs at a time, and returns the first error;
// the first error cancels the context the others get.
func parallel(ctx context.Context, n, jobs int, fn func(context.Context, int) error) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	sem := make(chan struct{}, max(jobs, 1))
	var wg sync.WaitGroup
	for i := range n {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			if err := fn(ctx, i); err != nil {
				cancel(err)
			}
		}()
	}
	wg.Wait()
	return context.Cause(ctx)
}

// pullBlob streams a blob through sha256 and checks digest and size.
func (c *client) pullBlob(ctx context.Context, repo string, d descriptor) error {
	resp, err := c.do(ctx, http.MethodGet, c.srv.base+"/v2/"+repo+"/blobs/"+d.Digest, nil, nil)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return fmt.Errorf("GET blob %s: %s: %s", d.Digest, resp.Status, b)
	}
	h := sha256.New()
	bp := c.pool.Get().(*[]byte)
	defer c.pool.Put(bp)
	n, err := io.CopyBuffer(h, resp.Body, *bp)
	if err != nil {
		return fmt.Errorf("GET blob %s: %w", d.Digest, err)
	}
	if got := "sha256:" + hex.EncodeToString(h.Sum(nil)); got != d.Digest || n != d.Size {
		return fmt.Errorf("GET blob %s: got %d bytes with digest %s, want %d", d.Digest, n, got, d.Size)
	}
	return nil
}
