// Package ociapi serves Quayside's ECR data plane as the OCI distribution
// API (spec v1.1) under /v2/, on the same port as the AWS APIs.
//
//	GET    /v2/                                   ping (200 when authenticated)
//	GET    /v2/_catalog?n=&last=                  repositories of the token's account
//	GET    /v2/<name>/tags/list?n=&last=          tags, with a Link header to the next page
//	HEAD   /v2/<name>/manifests/<tag|digest>      ─┐
//	GET    /v2/<name>/manifests/<tag|digest>       │ manifests and indexes, Docker
//	PUT    /v2/<name>/manifests/<tag|digest>       │ schema 2 and OCI
//	DELETE /v2/<name>/manifests/<tag|digest>      ─┘ (a tag: untag; a digest: delete)
//	HEAD   /v2/<name>/blobs/<digest>              ─┐ blobs, with Range support
//	GET    /v2/<name>/blobs/<digest>               │
//	DELETE /v2/<name>/blobs/<digest>              ─┘
//	POST   /v2/<name>/blobs/uploads/              start; ?digest= monolithic; ?mount=&from= mount
//	GET    /v2/<name>/blobs/uploads/<id>          ─┐
//	PATCH  /v2/<name>/blobs/uploads/<id>           │ chunked (Content-Range) or streamed
//	PUT    /v2/<name>/blobs/uploads/<id>?digest=   │ complete
//	DELETE /v2/<name>/blobs/uploads/<id>          ─┘ cancel
//	GET    /v2/<name>/referrers/<digest>?artifactType=
//
// Every request needs HTTP Basic auth with user AWS and a token from
// GetAuthorizationToken (package ecrauth), as ECR does; the token's
// account and region scope the request. Without one, the answer is 401
// UNAUTHORIZED with `WWW-Authenticate: Basic realm="<host>",service="ecr.amazonaws.com"`.
//
// Handlers return errors; writeError maps them to the spec's codes and
// statuses from one table (errors.go).
package ociapi

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/quayside/quayside/internal/ecr/ecrdb"
	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/registry"
	"github.com/quayside/quayside/internal/store"
)

// Handler is the OCI distribution API.
type Handler struct {
	reg     *registry.Registry
	log     *slog.Logger
	openErr error
}

// New serves a registry.
func New(reg *registry.Registry, log *slog.Logger) *Handler {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Handler{reg: reg, log: log}
}

// Router is where Mount mounts the handler (the edge router).
type Router interface{ SetRegistry(http.Handler) }

// Mount opens the registry over the server's store and data dir with
// default settings, mounts its handler on the router, and returns the
// registry's background loop (scheduled garbage collection) for the
// server to run until it stops. It exists so that the server mounts the
// registry in one line: if the data dir cannot be prepared, the error is
// logged, every request answers 500 and the loop does nothing.
func Mount(rt Router, st store.Store, dataDir string, log *slog.Logger) (run func(context.Context)) {
	reg, err := registry.Open(st, registry.Config{DataDir: dataDir, Log: log})
	h := New(reg, log)
	rt.SetRegistry(h)
	if err != nil {
		h.log.Error("registry unavailable", "err", err)
		h.openErr = err
		return func(ctx context.Context) { <-ctx.Done() }
	}
	return func(ctx context.Context) { _ = reg.Run(ctx) }
}

// Registry is the registry served.
func (h *Handler) Registry() *registry.Registry { return h.reg }

// call is one request being served.
type call struct {
	w     http.ResponseWriter
	r     *http.Request
	route route
	scope ecrdb.Scope
}

type handlerFunc func(h *Handler, c *call) error

// methods lists each endpoint's handlers by method.
var methods = map[endpoint]map[string]handlerFunc{
	epBase:      {http.MethodGet: (*Handler).ping, http.MethodHead: (*Handler).ping},
	epCatalog:   {http.MethodGet: (*Handler).catalog},
	epTags:      {http.MethodGet: (*Handler).tags},
	epManifest:  {http.MethodGet: (*Handler).getManifest, http.MethodHead: (*Handler).getManifest, http.MethodPut: (*Handler).putManifest, http.MethodDelete: (*Handler).deleteManifest},
	epBlob:      {http.MethodGet: (*Handler).getBlob, http.MethodHead: (*Handler).getBlob, http.MethodDelete: (*Handler).deleteBlob},
	epUploads:   {http.MethodPost: (*Handler).startUpload},
	epUpload:    {http.MethodGet: (*Handler).uploadStatus, http.MethodPatch: (*Handler).patchUpload, http.MethodPut: (*Handler).completeUpload, http.MethodDelete: (*Handler).cancelUpload},
	epReferrers: {http.MethodGet: (*Handler).referrers},
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rec := &recorder{ResponseWriter: w}
	rec.Header().Set("Docker-Distribution-API-Version", "registry/2.0")
	c := &call{w: rec, r: r}
	err := h.serve(c)
	if err != nil {
		if errorsIsAuth(err) {
			rec.Header().Set("WWW-Authenticate", `Basic realm="`+r.Host+`",service="ecr.amazonaws.com"`)
		}
		writeError(rec, err, c.route.ep, nil)
	}
	h.logRequest(r, c, rec.status, err, time.Since(start))
}

func (h *Handler) serve(c *call) error {
	if h.openErr != nil {
		return fault.Wrap(errUnavailable, h.openErr, "the registry is unavailable")
	}
	claims, err := h.authenticate(c.r)
	if err != nil {
		return err
	}
	c.scope = ecrdb.Scope{Region: claims.Region, Account: claims.Account}
	rt, err := parseRoute(c.r.URL.Path)
	if err != nil {
		return err
	}
	c.route = rt
	fn, ok := methods[rt.ep][c.r.Method]
	if !ok {
		return fault.Newf(errMethodNotAllowed, "%s is not supported on %s", c.r.Method, c.r.URL.Path)
	}
	return fn(h, c)
}

func (h *Handler) ping(c *call) error {
	c.w.Header().Set("Content-Type", "application/json")
	c.w.Header().Set("Content-Length", "2")
	c.w.WriteHeader(http.StatusOK)
	if c.r.Method != http.MethodHead {
		_, _ = io.WriteString(c.w, "{}")
	}
	return nil
}

func (h *Handler) logRequest(r *http.Request, c *call, status int, err error, d time.Duration) {
	attrs := []any{"method", r.Method, "path", r.URL.Path, "status", status, "duration", d,
		"region", c.scope.Region, "account", c.scope.Account}
	switch {
	case status >= 500:
		h.log.Error("registry request failed", append(attrs, "err", err)...)
	case err != nil:
		h.log.Debug("registry request rejected", append(attrs, "err", err)...)
	default:
		h.log.Debug("registry request", attrs...)
	}
}

// recorder notes the status written, keeping io.ReaderFrom (sendfile for
// blob downloads) and Unwrap (http.ResponseController) working.
type recorder struct {
	http.ResponseWriter
	status int
}

func (rw *recorder) WriteHeader(code int) {
	if rw.status == 0 {
		rw.status = code
	}
	rw.ResponseWriter.WriteHeader(code)
}

func (rw *recorder) Write(b []byte) (int, error) {
	if rw.status == 0 {
		rw.status = http.StatusOK
	}
	return rw.ResponseWriter.Write(b)
}

func (rw *recorder) ReadFrom(r io.Reader) (int64, error) {
	if rw.status == 0 {
		rw.status = http.StatusOK
	}
	if rf, ok := rw.ResponseWriter.(io.ReaderFrom); ok {
		return rf.ReadFrom(r)
	}
	return io.Copy(struct{ io.Writer }{rw.ResponseWriter}, r)
}

func (rw *recorder) Unwrap() http.ResponseWriter { return rw.ResponseWriter }
