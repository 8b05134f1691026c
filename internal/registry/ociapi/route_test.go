package ociapi

import (
	"errors"
	"strings"
	"testing"

	"github.com/quayside/quayside/internal/ecr"
)

func TestParseRoute(t *testing.T) {
	d := "sha256:" + strings.Repeat("a", 64)
	tests := []struct {
		path string
		want route
		err  error
	}{
		{"/v2", route{ep: epBase}, nil},
		{"/v2/", route{ep: epBase}, nil},
		{"/v2/_catalog", route{ep: epCatalog}, nil},
		{"/v2/web/tags/list", route{ep: epTags, name: "web"}, nil},
		{"/v2/team/web/manifests/v1", route{ep: epManifest, name: "team/web", ref: "v1"}, nil},
		{"/v2/team/web/manifests/" + d, route{ep: epManifest, name: "team/web", ref: d}, nil},
		{"/v2/a/b/c/blobs/" + d, route{ep: epBlob, name: "a/b/c", ref: d}, nil},
		{"/v2/web/blobs/uploads/", route{ep: epUploads, name: "web"}, nil},
		{"/v2/web/blobs/uploads", route{ep: epUploads, name: "web"}, nil},
		{"/v2/web/blobs/uploads/123-abc", route{ep: epUpload, name: "web", ref: "123-abc"}, nil},
		{"/v2/web/referrers/" + d, route{ep: epReferrers, name: "web", ref: d}, nil},
		// Names whose components are endpoint keywords.
		{"/v2/x/blobs/blobs/" + d, route{ep: epBlob, name: "x/blobs", ref: d}, nil},
		{"/v2/x/manifests/manifests/v1", route{ep: epManifest, name: "x/manifests", ref: "v1"}, nil},
		{"/v2/x/blobs/blobs/uploads/u1", route{ep: epUpload, name: "x/blobs", ref: "u1"}, nil},
		{"/v2/tags/list/tags/list", route{ep: epTags, name: "tags/list"}, nil},
		{"/v2/uploads/blobs/uploads/", route{ep: epUploads, name: "uploads"}, nil},
		// Errors.
		{"/v1/web/tags/list", route{}, errNoRoute},
		{"/v2/web", route{}, errNoRoute},
		{"/v2/web/manifests/", route{}, errNoRoute},
		{"/v2/web/tags", route{}, errNoRoute},
		{"/v2/tags/list", route{}, errNoRoute},
		{"/v2//tags/list", route{}, ecr.ErrInvalidRepositoryName},
		{"/v2/WEB/tags/list", route{}, ecr.ErrInvalidRepositoryName},
		{"/v2/" + strings.Repeat("a", 257) + "/tags/list", route{}, ecr.ErrInvalidRepositoryName},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			got, err := parseRoute(tt.path)
			if tt.err != nil {
				if !errors.Is(err, tt.err) {
					t.Fatalf("parseRoute = %+v, %v; want %v", got, err, tt.err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("parseRoute = %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
}

// FuzzParseRoute: parsing never panics, every route it returns has a
// valid repository name (when it has one), and a route formats back to
// a path that parses to the same route.
func FuzzParseRoute(f *testing.F) {
	d := "sha256:" + strings.Repeat("a", 64)
	for _, p := range []string{"/v2/", "/v2/_catalog", "/v2/a/b/tags/list", "/v2/web/manifests/latest", "/v2/web/blobs/" + d,
		"/v2/web/blobs/uploads/", "/v2/web/blobs/uploads/x", "/v2/web/referrers/" + d, "/v2/x/blobs/blobs/uploads/u", "/v2//", "/v2/a/../b/tags/list"} {
		f.Add(p)
	}
	f.Fuzz(func(t *testing.T, path string) {
		rt, err := parseRoute(path)
		if err != nil {
			return
		}
		if rt.ep != epBase && rt.ep != epCatalog {
			if err := ecr.ValidateRepositoryName(rt.name); err != nil {
				t.Fatalf("%q parsed to invalid name %q", path, rt.name)
			}
		}
		again, err := parseRoute(rt.path())
		if err != nil || again != rt {
			t.Fatalf("%q → %+v → %q → %+v, %v", path, rt, rt.path(), again, err)
		}
	})
}
