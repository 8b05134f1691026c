package ociapi

import (
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/quayside/quayside/internal/ecr"
	"github.com/quayside/quayside/internal/fault"
)

// getManifest serves HEAD and GET of a manifest, exactly as pushed, with
// the media type it was pushed as. A GET records the pull.
func (h *Handler) getManifest(c *call) error {
	get := c.r.Method == http.MethodGet
	im, err := h.reg.GetManifest(c.r.Context(), c.scope, c.route.name, c.route.ref, get)
	if err != nil {
		return err
	}
	hdr := c.w.Header()
	hdr.Set("Content-Type", im.ManifestMediaType)
	hdr.Set("Content-Length", strconv.Itoa(len(im.Manifest)))
	hdr.Set("Docker-Content-Digest", string(im.Digest))
	hdr.Set("ETag", `"`+string(im.Digest)+`"`)
	if match := c.r.Header.Get("If-None-Match"); match != "" && strings.Contains(match, string(im.Digest)) {
		c.w.WriteHeader(http.StatusNotModified)
		return nil
	}
	c.w.WriteHeader(http.StatusOK)
	if get {
		_, _ = c.w.Write(im.Manifest)
	}
	return nil
}

// putManifest stores a manifest by tag or digest. Extra tags may be given
// as ?tag= parameters with a digest reference (distribution-spec after
// v1.1); they are echoed in OCI-Tag.
func (h *Handler) putManifest(c *call) error {
	body, err := io.ReadAll(io.LimitReader(c.r.Body, ecr.MaxManifestBytes+1))
	if err != nil {
		return fault.Wrap(ecr.ErrSizeInvalid, err, "the manifest body could not be read")
	}
	if len(body) > ecr.MaxManifestBytes {
		return fault.Newf(ecr.ErrManifestTooLarge, "the manifest is larger than %d bytes", ecr.MaxManifestBytes)
	}
	tags := c.r.URL.Query()["tag"]
	im, err := h.reg.PutManifest(c.r.Context(), c.scope, c.route.name, c.route.ref, c.r.Header.Get("Content-Type"), body, tags)
	if err != nil {
		return err
	}
	hdr := c.w.Header()
	hdr.Set("Location", route{ep: epManifest, name: c.route.name, ref: string(im.Digest)}.path())
	hdr.Set("Docker-Content-Digest", string(im.Digest))
	if im.Subject != nil {
		hdr.Set("OCI-Subject", string(im.Subject.Digest))
	}
	for _, t := range tags {
		hdr.Add("OCI-Tag", t)
	}
	hdr.Set("Content-Length", "0")
	c.w.WriteHeader(http.StatusCreated)
	return nil
}

// deleteManifest deletes an image by digest (with its tags) or a tag.
func (h *Handler) deleteManifest(c *call) error {
	if err := h.reg.DeleteManifest(c.r.Context(), c.scope, c.route.name, c.route.ref); err != nil {
		return err
	}
	c.w.Header().Set("Content-Length", "0")
	c.w.WriteHeader(http.StatusAccepted)
	return nil
}
