package ociapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/quayside/quayside/internal/ecr"
	"github.com/quayside/quayside/internal/ecr/ecrdb"
	"github.com/quayside/quayside/internal/store"
)

func (e *env) image(repo string, d ecr.Digest) ecr.Image {
	e.t.Helper()
	var im ecr.Image
	err := e.st.View(context.Background(), func(tx store.ReadTx) (err error) {
		im, err = ecrdb.GetImage(tx, e.scope(), repo, d)
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return im
}

func TestManifestRoundTrip(t *testing.T) {
	e := newEnv(t)
	e.createRepo("rt", ecr.Mutable)
	oci := newImage(2, nil)
	docker := newImage(1, nil)
	docker.mediaType = ecr.MediaTypeDockerManifest
	docker.manifest = bytes.Replace(docker.manifest, []byte(ecr.MediaTypeOCIManifest), []byte(ecr.MediaTypeDockerManifest), 1)
	docker.digest = sha(docker.manifest)
	tests := []struct {
		name string
		im   image
		ref  string
	}{
		{"oci by tag", oci, "v1"},
		{"docker schema 2 by digest", docker, string(docker.digest)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := e.push("rt", tt.ref, tt.im)
			expect(t, resp, http.StatusCreated, "")
			if resp.Header.Get("Docker-Content-Digest") != string(tt.im.digest) || resp.Header.Get("Location") != "/v2/rt/manifests/"+string(tt.im.digest) {
				t.Fatalf("201 headers: %v", resp.Header)
			}
			for _, ref := range []string{tt.ref, string(tt.im.digest)} {
				for _, method := range []string{"GET", "HEAD"} {
					resp := e.do(req{method: method, path: "/v2/rt/manifests/" + ref, header: map[string]string{"Accept": tt.im.mediaType}})
					expect(t, resp, http.StatusOK, "")
					if resp.Header.Get("Content-Type") != tt.im.mediaType || resp.Header.Get("Docker-Content-Digest") != string(tt.im.digest) ||
						resp.Header.Get("Content-Length") != fmt.Sprint(len(tt.im.manifest)) {
						t.Fatalf("%s headers: %v", method, resp.Header)
					}
					if method == "GET" && !bytes.Equal(bodyOf(resp), tt.im.manifest) {
						t.Fatal("GET returned other bytes")
					}
				}
			}
			im := e.image("rt", tt.im.digest)
			if im.SizeInBytes != tt.im.size() || im.ManifestMediaType != tt.im.mediaType || im.ArtifactMediaType != "application/vnd.oci.image.config.v1+json" {
				t.Fatalf("image record: size %d (want %d) type %s artifact %s", im.SizeInBytes, tt.im.size(), im.ManifestMediaType, im.ArtifactMediaType)
			}
		})
	}
	t.Run("index of both", func(t *testing.T) {
		idx, _ := json.Marshal(map[string]any{"schemaVersion": 2, "mediaType": ecr.MediaTypeOCIIndex, "manifests": []map[string]any{
			{"mediaType": oci.mediaType, "digest": oci.digest, "size": len(oci.manifest), "platform": map[string]string{"os": "linux", "architecture": "amd64"}},
			{"mediaType": docker.mediaType, "digest": docker.digest, "size": len(docker.manifest), "platform": map[string]string{"os": "linux", "architecture": "arm64"}},
		}})
		expect(t, e.putManifest("rt", "multi", ecr.MediaTypeOCIIndex, idx), http.StatusCreated, "")
		im := e.image("rt", sha(idx))
		if im.SizeInBytes != max(oci.size(), docker.size()) || len(im.Children) != 2 {
			t.Fatalf("index record: %+v", im)
		}
	})
}

func TestManifestPushErrors(t *testing.T) {
	e := newEnv(t)
	e.createRepo("bad", ecr.Mutable)
	good := newImage(1, nil)
	e.pushBlob("bad", good.config)
	e.pushBlob("bad", good.layers[0])
	missingLayer := newImage(1, nil)
	e.pushBlob("bad", missingLayer.config)
	idxMissing, _ := json.Marshal(map[string]any{"schemaVersion": 2, "mediaType": ecr.MediaTypeOCIIndex,
		"manifests": []map[string]any{{"mediaType": ecr.MediaTypeOCIManifest, "digest": sha([]byte("x")), "size": 1}}})
	big := newImage(0, map[string]any{"annotations": map[string]string{"x": strings.Repeat("x", ecr.MaxManifestBytes)}})
	tests := []struct {
		name        string
		repo, ref   string
		contentType string
		body        []byte
		status      int
		code        string
	}{
		{"manifest names a missing layer", "bad", "v1", ecr.MediaTypeOCIManifest, missingLayer.manifest, http.StatusBadRequest, "MANIFEST_BLOB_UNKNOWN"},
		{"index names a missing manifest", "bad", "v1", ecr.MediaTypeOCIIndex, idxMissing, http.StatusBadRequest, "MANIFEST_BLOB_UNKNOWN"},
		{"bad JSON", "bad", "v1", ecr.MediaTypeOCIManifest, []byte(`{"schemaVersion":2,"config":`), http.StatusBadRequest, "MANIFEST_INVALID"},
		{"not a manifest", "bad", "v1", ecr.MediaTypeOCIManifest, []byte(`{"hello":"world"}`), http.StatusBadRequest, "MANIFEST_INVALID"},
		{"schema 1", "bad", "v1", ecr.MediaTypeDockerSchema1Signed, []byte(`{"schemaVersion":1,"fsLayers":[]}`), http.StatusBadRequest, "MANIFEST_INVALID"},
		{"unknown media type", "bad", "v1", "application/x-foo", good.manifest, http.StatusBadRequest, "MANIFEST_INVALID"},
		{"digest mismatch", "bad", string(sha([]byte("other"))), ecr.MediaTypeOCIManifest, good.manifest, http.StatusBadRequest, "DIGEST_INVALID"},
		{"malformed digest", "bad", "sha256:baddigeststring", ecr.MediaTypeOCIManifest, good.manifest, http.StatusBadRequest, "DIGEST_INVALID"},
		{"malformed tag", "bad", ".hidden", ecr.MediaTypeOCIManifest, good.manifest, http.StatusBadRequest, "TAG_INVALID"},
		{"too large", "bad", "big", ecr.MediaTypeOCIManifest, big.manifest, http.StatusRequestEntityTooLarge, "SIZE_INVALID"},
		{"no such repository", "nope", "v1", ecr.MediaTypeOCIManifest, good.manifest, http.StatusNotFound, "NAME_UNKNOWN"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := e.putManifest(tt.repo, tt.ref, tt.contentType, tt.body)
			expect(t, resp, tt.status, tt.code)
		})
	}
	t.Run("detail names the missing blob", func(t *testing.T) {
		resp := e.putManifest("bad", "v1", ecr.MediaTypeOCIManifest, missingLayer.manifest)
		if !strings.Contains(string(bodyOf(resp)), `"detail":{"digest":"`+string(sha(missingLayer.layers[0]))+`"}`) {
			t.Fatalf("body %s", bodyOf(resp))
		}
	})
	t.Run("ECR's wording for a missing repository", func(t *testing.T) {
		resp := e.putManifest("nope", "v1", ecr.MediaTypeOCIManifest, good.manifest)
		if !strings.Contains(string(bodyOf(resp)), "The repository with name 'nope' does not exist in the registry with id '000000000000'") {
			t.Fatalf("body %s", bodyOf(resp))
		}
	})
	expect(t, e.putManifest("bad", "v1", ecr.MediaTypeOCIManifest, good.manifest), http.StatusCreated, "")
}

func TestImmutableTags(t *testing.T) {
	e := newEnv(t)
	e.createRepo("frozen", ecr.Immutable)
	a, b := newImage(1, nil), newImage(1, nil)
	expect(t, e.push("frozen", "1.0.0", a), http.StatusCreated, "")
	msg := "The image tag '1.0.0' already exists in the 'frozen' repository and cannot be overwritten because the tag is immutable."
	for _, im := range []image{b, a} { // another image, then the same one again
		resp := e.push("frozen", "1.0.0", im)
		expect(t, resp, http.StatusBadRequest, "TAG_INVALID")
		if !strings.Contains(string(bodyOf(resp)), msg) {
			t.Fatalf("body %s", bodyOf(resp))
		}
	}
	expect(t, e.putManifest("frozen", string(b.digest), b.mediaType, b.manifest), http.StatusCreated, "")
	expect(t, e.putManifest("frozen", "1.0.1", b.mediaType, b.manifest), http.StatusCreated, "")
	resp := e.do(req{method: "GET", path: "/v2/frozen/manifests/1.0.0"})
	if resp.Header.Get("Docker-Content-Digest") != string(a.digest) {
		t.Fatal("the immutable tag moved")
	}

	_, err := e.reg.CreateRepository(context.Background(), ecr.NewRepository{Region: testRegion, Account: testAccount, Name: "mostly-frozen",
		ImageTagMutability:                 ecr.ImmutableWithExclusion,
		ImageTagMutabilityExclusionFilters: []ecr.ExclusionFilter{{FilterType: ecr.FilterTypeWildcard, Filter: "latest"}}})
	if err != nil {
		t.Fatal(err)
	}
	expect(t, e.push("mostly-frozen", "latest", a), http.StatusCreated, "")
	expect(t, e.push("mostly-frozen", "latest", b), http.StatusCreated, "")
	expect(t, e.push("mostly-frozen", "v1", a), http.StatusCreated, "")
	expect(t, e.push("mostly-frozen", "v1", b), http.StatusBadRequest, "TAG_INVALID")
}

func TestDeleteManifest(t *testing.T) {
	e := newEnv(t)
	e.createRepo("del", ecr.Mutable)
	im := newImage(1, nil)
	expect(t, e.push("del", "a", im), http.StatusCreated, "")
	expect(t, e.putManifest("del", "b", im.mediaType, im.manifest), http.StatusCreated, "")
	// Deleting a tag leaves the image and its other tags.
	expect(t, e.do(req{method: "DELETE", path: "/v2/del/manifests/a"}), http.StatusAccepted, "")
	expect(t, e.do(req{method: "GET", path: "/v2/del/manifests/a"}), http.StatusNotFound, "MANIFEST_UNKNOWN")
	expect(t, e.do(req{method: "GET", path: "/v2/del/manifests/b"}), http.StatusOK, "")
	// Deleting the image removes its tags.
	expect(t, e.do(req{method: "DELETE", path: "/v2/del/manifests/" + string(im.digest)}), http.StatusAccepted, "")
	expect(t, e.do(req{method: "GET", path: "/v2/del/manifests/" + string(im.digest)}), http.StatusNotFound, "MANIFEST_UNKNOWN")
	expect(t, e.do(req{method: "GET", path: "/v2/del/manifests/b"}), http.StatusNotFound, "MANIFEST_UNKNOWN")
	resp := e.do(req{method: "GET", path: "/v2/del/tags/list"})
	if string(bodyOf(resp)) != `{"name":"del","tags":[]}` {
		t.Fatalf("tags after delete: %s", bodyOf(resp))
	}
	expect(t, e.do(req{method: "DELETE", path: "/v2/del/manifests/" + string(im.digest)}), http.StatusNotFound, "MANIFEST_UNKNOWN")
	// The layers are free again: they may be deleted from the repository.
	expect(t, e.do(req{method: "DELETE", path: "/v2/del/blobs/" + string(sha(im.layers[0]))}), http.StatusAccepted, "")
}

func TestBlobInUseCannotBeDeleted(t *testing.T) {
	e := newEnv(t)
	e.createRepo("use", ecr.Mutable)
	im := newImage(1, nil)
	expect(t, e.push("use", "v1", im), http.StatusCreated, "")
	expect(t, e.do(req{method: "DELETE", path: "/v2/use/blobs/" + string(sha(im.layers[0]))}), http.StatusMethodNotAllowed, "UNSUPPORTED")
	expect(t, e.do(req{method: "DELETE", path: "/v2/use/blobs/" + string(sha([]byte("x")))}), http.StatusNotFound, "BLOB_UNKNOWN")
}

func TestPullRecordsTime(t *testing.T) {
	e := newEnv(t)
	e.createRepo("pull", ecr.Mutable)
	im := newImage(1, nil)
	expect(t, e.push("pull", "v1", im), http.StatusCreated, "")
	if e.image("pull", im.digest).LastRecordedPullTime != nil {
		t.Fatal("pushed image has a pull time")
	}
	expect(t, e.do(req{method: "HEAD", path: "/v2/pull/manifests/v1"}), http.StatusOK, "")
	if e.image("pull", im.digest).LastRecordedPullTime != nil {
		t.Fatal("HEAD recorded a pull")
	}
	first := e.clock.Now()
	expect(t, e.do(req{method: "GET", path: "/v2/pull/manifests/v1"}), http.StatusOK, "")
	got := e.image("pull", im.digest).LastRecordedPullTime
	if got == nil || !got.Equal(first) {
		t.Fatalf("pull time %v, want %v", got, first)
	}
	e.clock.Add(30 * time.Second)
	expect(t, e.do(req{method: "GET", path: "/v2/pull/manifests/" + string(im.digest)}), http.StatusOK, "")
	if got := e.image("pull", im.digest).LastRecordedPullTime; !got.Equal(first) {
		t.Fatalf("a pull within a minute was written: %v", got)
	}
	e.clock.Add(31 * time.Second)
	expect(t, e.do(req{method: "GET", path: "/v2/pull/manifests/v1"}), http.StatusOK, "")
	if got := e.image("pull", im.digest).LastRecordedPullTime; !got.Equal(e.clock.Now()) {
		t.Fatalf("pull time %v, want %v", got, e.clock.Now())
	}
}
