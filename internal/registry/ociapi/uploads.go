package ociapi

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/quayside/quayside/internal/ecr"
	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/registry"
)

// startUpload serves POST /v2/<name>/blobs/uploads/: a mount
// (?mount=&from=), a monolithic upload (?digest=), or a new session.
func (h *Handler) startUpload(c *call) error {
	ctx, q, name := c.r.Context(), c.r.URL.Query(), c.route.name
	if m := q.Get("mount"); m != "" {
		d, err := ecr.ParseDigest(m)
		if err != nil {
			return err
		}
		from := q.Get("from")
		if from != "" {
			if err := ecr.ValidateRepositoryName(from); err != nil {
				return err
			}
		}
		_, ok, err := h.reg.MountBlob(ctx, c.scope, name, from, d)
		if err != nil {
			return err
		}
		if ok {
			return blobCreated(c, d)
		}
	} else if dq := q.Get("digest"); dq != "" {
		d, err := ecr.ParseDigest(dq)
		if err != nil {
			return err
		}
		if _, err := h.reg.PutBlob(ctx, c.scope, name, d, registry.Chunk{Body: c.r.Body, Start: -1, Length: c.r.ContentLength}); err != nil {
			return err
		}
		return blobCreated(c, d)
	}
	u, err := h.reg.StartUpload(ctx, c.scope, name)
	if err != nil {
		return err
	}
	uploadHeaders(c, u)
	c.w.WriteHeader(http.StatusAccepted)
	return nil
}

func blobCreated(c *call, d ecr.Digest) error {
	hdr := c.w.Header()
	hdr.Set("Location", route{ep: epBlob, name: c.route.name, ref: string(d)}.path())
	hdr.Set("Docker-Content-Digest", string(d))
	hdr.Set("Content-Length", "0")
	c.w.WriteHeader(http.StatusCreated)
	return nil
}

// uploadHeaders describes where an upload stands: Range 0-<last byte>
// ("0-0" when empty, as registries answer).
func uploadHeaders(c *call, u ecr.Upload) {
	hdr := c.w.Header()
	hdr.Set("Location", route{ep: epUpload, name: c.route.name, ref: u.ID}.path())
	hdr.Set("Docker-Upload-UUID", u.ID)
	hdr.Set("Range", "0-"+strconv.FormatInt(max(u.Offset-1, 0), 10))
	hdr.Set("Content-Length", "0")
}

func (h *Handler) uploadStatus(c *call) error {
	u, err := h.reg.Upload(c.r.Context(), c.scope, c.route.name, c.route.ref)
	if err != nil {
		return err
	}
	uploadHeaders(c, u)
	c.w.WriteHeader(http.StatusNoContent)
	return nil
}

func (h *Handler) patchUpload(c *call) error {
	chunk, err := readChunk(c.r)
	if err != nil {
		return err
	}
	u, err := h.reg.AppendUpload(c.r.Context(), c.scope, c.route.name, c.route.ref, chunk)
	if u.ID != "" {
		uploadHeaders(c, u)
	}
	if err != nil {
		return err
	}
	c.w.WriteHeader(http.StatusAccepted)
	return nil
}

func (h *Handler) completeUpload(c *call) error {
	d, err := ecr.ParseDigest(c.r.URL.Query().Get("digest"))
	if err != nil {
		return err
	}
	var last *registry.Chunk
	if c.r.ContentLength != 0 || c.r.Header.Get("Content-Range") != "" {
		chunk, err := readChunk(c.r)
		if err != nil {
			return err
		}
		last = &chunk
	}
	if _, err := h.reg.CompleteUpload(c.r.Context(), c.scope, c.route.name, c.route.ref, d, last); err != nil {
		if errors.Is(err, ecr.ErrInvalidLayerPart) || errors.Is(err, ecr.ErrSizeInvalid) {
			h.describeUpload(c)
		}
		return err
	}
	return blobCreated(c, d)
}

// describeUpload sets the upload headers, if the upload still exists, so
// that a client told 416 learns where to resume.
func (h *Handler) describeUpload(c *call) {
	if u, err := h.reg.Upload(c.r.Context(), c.scope, c.route.name, c.route.ref); err == nil {
		uploadHeaders(c, u)
	}
}

func (h *Handler) cancelUpload(c *call) error {
	if err := h.reg.CancelUpload(c.r.Context(), c.scope, c.route.name, c.route.ref); err != nil {
		return err
	}
	c.w.Header().Set("Content-Length", "0")
	c.w.WriteHeader(http.StatusNoContent)
	return nil
}

// readChunk reads a chunk's position from Content-Range ("<start>-<end>",
// inclusive; "bytes=" or "bytes " prefixes tolerated) and its length from
// Content-Length, which must agree.
func readChunk(r *http.Request) (registry.Chunk, error) {
	ch := registry.Chunk{Body: r.Body, Start: -1, Length: r.ContentLength}
	cr := r.Header.Get("Content-Range")
	if cr == "" {
		return ch, nil
	}
	start, end, ok := parseContentRange(cr)
	if !ok {
		return ch, fault.Newf(errBadUploadRequest, "invalid Content-Range %q: want <start>-<end>", cr)
	}
	n := end - start + 1
	if r.ContentLength >= 0 && r.ContentLength != n {
		return ch, fault.Newf(ecr.ErrSizeInvalid, "Content-Range %q covers %d bytes but Content-Length is %d", cr, n, r.ContentLength)
	}
	ch.Start, ch.Length = start, n
	return ch, nil
}

func parseContentRange(s string) (start, end int64, ok bool) {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(strings.TrimPrefix(s, "bytes="), "bytes ")
	s, _, _ = strings.Cut(s, "/")
	a, b, found := strings.Cut(s, "-")
	if !found {
		return 0, 0, false
	}
	start, err1 := strconv.ParseInt(a, 10, 64)
	end, err2 := strconv.ParseInt(b, 10, 64)
	if err1 != nil || err2 != nil || start < 0 || end < start {
		return 0, 0, false
	}
	return start, end, true
}
