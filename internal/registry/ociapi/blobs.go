package ociapi

import (
	"net/http"
	"strconv"
	"time"

	"github.com/quayside/quayside/internal/ecr"
)

// getBlob serves HEAD and GET of a blob; http.ServeContent answers Range
// requests (206, or 416 for a range outside the blob).
func (h *Handler) getBlob(c *call) error {
	d, err := ecr.ParseDigest(c.route.ref)
	if err != nil {
		return err
	}
	hdr := c.w.Header()
	if c.r.Method == http.MethodHead {
		l, err := h.reg.StatBlob(c.r.Context(), c.scope, c.route.name, d)
		if err != nil {
			return err
		}
		blobHeaders(hdr, d)
		hdr.Set("Content-Length", strconv.FormatInt(l.Size, 10))
		c.w.WriteHeader(http.StatusOK)
		return nil
	}
	f, _, err := h.reg.OpenBlob(c.r.Context(), c.scope, c.route.name, d)
	if err != nil {
		return err
	}
	defer f.Close()
	blobHeaders(hdr, d)
	http.ServeContent(c.w, c.r, "", time.Time{}, f)
	return nil
}

func blobHeaders(hdr http.Header, d ecr.Digest) {
	hdr.Set("Content-Type", "application/octet-stream")
	hdr.Set("Docker-Content-Digest", string(d))
	hdr.Set("ETag", `"`+string(d)+`"`)
	hdr.Set("Accept-Ranges", "bytes")
	hdr.Set("Cache-Control", "max-age=31536000")
}

func (h *Handler) deleteBlob(c *call) error {
	d, err := ecr.ParseDigest(c.route.ref)
	if err != nil {
		return err
	}
	if err := h.reg.DeleteBlob(c.r.Context(), c.scope, c.route.name, d); err != nil {
		return err
	}
	c.w.Header().Set("Content-Length", "0")
	c.w.WriteHeader(http.StatusAccepted)
	return nil
}
