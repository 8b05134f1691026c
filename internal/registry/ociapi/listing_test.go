package ociapi_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/quayside/quayside/internal/ecr"
)

func TestTagPagination(t *testing.T) {
	e := newEnv(t)
	e.createRepo("tags", ecr.Mutable)
	im := newImage(1, nil)
	expect(t, e.push("tags", "t00", im), http.StatusCreated, "")
	want := []string{"t00"}
	for i := 1; i < 10; i++ {
		tag := fmt.Sprintf("t%02d", i)
		expect(t, e.putManifest("tags", tag, im.mediaType, im.manifest), http.StatusCreated, "")
		want = append(want, tag)
	}
	for _, tag := range []string{"A", "_z", "latest"} {
		expect(t, e.putManifest("tags", tag, im.mediaType, im.manifest), http.StatusCreated, "")
		want = append(want, tag)
	}
	slices.Sort(want)

	list := func(path string) ([]string, string) {
		resp := e.do(req{method: "GET", path: path})
		expect(t, resp, http.StatusOK, "")
		var tl struct {
			Name string   `json:"name"`
			Tags []string `json:"tags"`
		}
		if err := json.Unmarshal(bodyOf(resp), &tl); err != nil || tl.Name != "tags" {
			t.Fatalf("body %s: %v", bodyOf(resp), err)
		}
		return tl.Tags, resp.Header.Get("Link")
	}
	all, link := list("/v2/tags/tags/list")
	if !slices.Equal(all, want) || link != "" {
		t.Fatalf("all tags = %v (Link %q), want %v", all, link, want)
	}
	for _, n := range []int{1, 3, 5, 13, 20} {
		t.Run(fmt.Sprint("n=", n), func(t *testing.T) {
			var got []string
			path := fmt.Sprintf("/v2/tags/tags/list?n=%d", n)
			for pages := 0; path != ""; pages++ {
				if pages > len(want) {
					t.Fatal("pagination does not end")
				}
				page, link := list(path)
				if len(page) > n {
					t.Fatalf("page of %d tags with n=%d", len(page), n)
				}
				got = append(got, page...)
				path = ""
				if link != "" {
					if !strings.HasSuffix(link, `>; rel="next"`) || !strings.HasPrefix(link, "</v2/tags/tags/list?") {
						t.Fatalf("Link = %q", link)
					}
					path = strings.TrimSuffix(strings.TrimPrefix(link, "<"), `>; rel="next"`)
				}
			}
			if !slices.Equal(got, want) {
				t.Fatalf("paged tags = %v, want %v", got, want)
			}
		})
	}
	if tags, _ := list("/v2/tags/tags/list?last=t05"); !slices.Equal(tags, want[slices.Index(want, "t05")+1:]) {
		t.Fatalf("after t05: %v", tags)
	}
	if tags, link := list("/v2/tags/tags/list?n=0"); len(tags) != 0 || link != "" {
		t.Fatalf("n=0: %v %q", tags, link)
	}
	expect(t, e.do(req{method: "GET", path: "/v2/tags/tags/list?n=-1"}), http.StatusBadRequest, "PAGINATION_NUMBER_INVALID")
	expect(t, e.do(req{method: "GET", path: "/v2/tags/tags/list?n=x"}), http.StatusBadRequest, "PAGINATION_NUMBER_INVALID")
}

func TestCatalog(t *testing.T) {
	e := newEnv(t)
	for _, name := range []string{"b", "a/x", "a", "c/d/e"} {
		e.createRepo(name+"0", ecr.Mutable)
	}
	resp := e.do(req{method: "GET", path: "/v2/_catalog?n=2"})
	expect(t, resp, http.StatusOK, "")
	if string(bodyOf(resp)) != `{"repositories":["a/x0","a0"]}` || !strings.Contains(resp.Header.Get("Link"), "last=a0") {
		t.Fatalf("catalog page: %s, Link %q", bodyOf(resp), resp.Header.Get("Link"))
	}
	resp = e.do(req{method: "GET", path: "/v2/_catalog?n=2&last=a0"})
	if string(bodyOf(resp)) != `{"repositories":["b0","c/d/e0"]}` || resp.Header.Get("Link") != "" {
		t.Fatalf("catalog page 2: %s, Link %q", bodyOf(resp), resp.Header.Get("Link"))
	}
}

func TestReferrers(t *testing.T) {
	e := newEnv(t)
	e.createRepo("refs", ecr.Mutable)
	subject := newImage(1, nil)
	subjectDesc := map[string]any{"mediaType": subject.mediaType, "digest": subject.digest, "size": len(subject.manifest)}
	sig := newImage(1, map[string]any{"artifactType": "application/vnd.example.sig", "subject": subjectDesc, "annotations": map[string]string{"k": "v"}})
	sbom := newImage(1, map[string]any{"subject": subjectDesc})

	// A referrer may come before its subject.
	resp := e.push("refs", string(sig.digest), sig)
	expect(t, resp, http.StatusCreated, "")
	if resp.Header.Get("OCI-Subject") != string(subject.digest) {
		t.Fatalf("OCI-Subject = %q", resp.Header.Get("OCI-Subject"))
	}
	expect(t, e.push("refs", "v1", subject), http.StatusCreated, "")
	expect(t, e.push("refs", string(sbom.digest), sbom), http.StatusCreated, "")

	type index struct {
		SchemaVersion int              `json:"schemaVersion"`
		MediaType     string           `json:"mediaType"`
		Manifests     []ecr.Descriptor `json:"manifests"`
	}
	get := func(q string) (index, *http.Response) {
		resp := e.do(req{method: "GET", path: "/v2/refs/referrers/" + string(subject.digest) + q})
		expect(t, resp, http.StatusOK, "")
		var idx index
		if err := json.Unmarshal(bodyOf(resp), &idx); err != nil {
			t.Fatal(err)
		}
		if resp.Header.Get("Content-Type") != ecr.MediaTypeOCIIndex || idx.SchemaVersion != 2 || idx.MediaType != ecr.MediaTypeOCIIndex {
			t.Fatalf("not an OCI index: %v %s", resp.Header, bodyOf(resp))
		}
		return idx, resp
	}
	idx, _ := get("")
	if len(idx.Manifests) != 2 {
		t.Fatalf("referrers: %+v", idx.Manifests)
	}
	for _, d := range idx.Manifests {
		switch d.Digest {
		case sig.digest:
			if d.ArtifactType != "application/vnd.example.sig" || d.Annotations["k"] != "v" || d.Size != int64(len(sig.manifest)) {
				t.Fatalf("sig descriptor %+v", d)
			}
		case sbom.digest:
			if d.ArtifactType != "application/vnd.oci.image.config.v1+json" {
				t.Fatalf("sbom artifactType %q: want the config media type", d.ArtifactType)
			}
		default:
			t.Fatalf("unexpected referrer %+v", d)
		}
	}
	idx, resp = get("?artifactType=application/vnd.example.sig")
	if len(idx.Manifests) != 1 || idx.Manifests[0].Digest != sig.digest || resp.Header.Get("OCI-Filters-Applied") != "artifactType" {
		t.Fatalf("filtered: %+v %v", idx.Manifests, resp.Header)
	}
	resp = e.do(req{method: "GET", path: "/v2/refs/referrers/" + string(sha([]byte("nothing")))})
	expect(t, resp, http.StatusOK, "")
	if !strings.Contains(string(bodyOf(resp)), `"manifests":[]`) {
		t.Fatalf("empty referrers: %s", bodyOf(resp))
	}
	expect(t, e.do(req{method: "GET", path: "/v2/refs/referrers/sha256:nope"}), http.StatusBadRequest, "DIGEST_INVALID")
	expect(t, e.do(req{method: "DELETE", path: "/v2/refs/manifests/" + string(sig.digest)}), http.StatusAccepted, "")
	if idx, _ := get(""); len(idx.Manifests) != 1 {
		t.Fatalf("after deleting a referrer: %+v", idx.Manifests)
	}
}
