package ociapi

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"

	"github.com/quayside/quayside/internal/ecr"
	"github.com/quayside/quayside/internal/fault"
)

// maxPage caps n in tag and catalog listings.
const maxPage = 1000

// page reads n and last. n absent means all (-1); n is capped at maxPage.
func page(q url.Values) (n int, last string, err error) {
	n = -1
	if s := q.Get("n"); s != "" {
		n, err = strconv.Atoi(s)
		if err != nil || n < 0 {
			return 0, "", fault.Newf(errPaginationInvalid, "invalid n %q: want a whole number", s)
		}
		n = min(n, maxPage)
	}
	return n, q.Get("last"), nil
}

// nextLink sets the Link header to the page after last.
func nextLink(c *call, path string, n int, last string) {
	q := url.Values{}
	q.Set("n", strconv.Itoa(n))
	q.Set("last", last)
	c.w.Header().Set("Link", "<"+path+"?"+q.Encode()+`>; rel="next"`)
}

func writeJSON(c *call, contentType string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	c.w.Header().Set("Content-Type", contentType)
	c.w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	c.w.WriteHeader(http.StatusOK)
	_, _ = c.w.Write(b)
	return nil
}

func (h *Handler) tags(c *call) error {
	n, last, err := page(c.r.URL.Query())
	if err != nil {
		return err
	}
	tags, more, err := h.reg.ListTags(c.r.Context(), c.scope, c.route.name, last, n)
	if err != nil {
		return err
	}
	if tags == nil {
		tags = []string{}
	}
	if more {
		nextLink(c, c.route.path(), n, tags[len(tags)-1])
	}
	return writeJSON(c, "application/json", struct {
		Name string   `json:"name"`
		Tags []string `json:"tags"`
	}{c.route.name, tags})
}

func (h *Handler) catalog(c *call) error {
	n, last, err := page(c.r.URL.Query())
	if err != nil {
		return err
	}
	names, more, err := h.reg.Catalog(c.r.Context(), c.scope, last, n)
	if err != nil {
		return err
	}
	if names == nil {
		names = []string{}
	}
	if more {
		nextLink(c, "/v2/_catalog", n, names[len(names)-1])
	}
	return writeJSON(c, "application/json", struct {
		Repositories []string `json:"repositories"`
	}{names})
}

// referrers answers with an OCI index of the manifests whose subject is
// the digest, filtered by artifactType if asked.
func (h *Handler) referrers(c *call) error {
	d, err := ecr.ParseDigest(c.route.ref)
	if err != nil {
		return err
	}
	at := c.r.URL.Query().Get("artifactType")
	descs, err := h.reg.Referrers(c.r.Context(), c.scope, c.route.name, d, at)
	if err != nil {
		return err
	}
	if descs == nil {
		descs = []ecr.Descriptor{}
	}
	if at != "" {
		c.w.Header().Set("OCI-Filters-Applied", "artifactType")
	}
	return writeJSON(c, ecr.MediaTypeOCIIndex, struct {
		SchemaVersion int              `json:"schemaVersion"`
		MediaType     string           `json:"mediaType"`
		Manifests     []ecr.Descriptor `json:"manifests"`
	}{2, ecr.MediaTypeOCIIndex, descs})
}
