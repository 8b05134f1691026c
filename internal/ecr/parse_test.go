package ecr

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"testing"
)

var (
	hexA = strings.Repeat("a", 64)
	hexB = strings.Repeat("b", 64)
	hexC = strings.Repeat("c", 64)
)

func desc(mt, hex string, size int) string {
	return fmt.Sprintf(`{"mediaType":%q,"digest":"sha256:%s","size":%d}`, mt, hex, size)
}

func TestParseManifest(t *testing.T) {
	config := desc("application/vnd.oci.image.config.v1+json", hexA, 10)
	layer := desc("application/vnd.oci.image.layer.v1.tar+gzip", hexB, 100)
	ndLayer := desc("application/vnd.oci.image.layer.nondistributable.v1.tar+gzip", hexC, 1000)
	ociImage := `{"schemaVersion":2,"mediaType":"` + MediaTypeOCIManifest + `","config":` + config + `,"layers":[` + layer + `,` + ndLayer + `]}`
	dockerImage := `{"schemaVersion":2,"mediaType":"` + MediaTypeDockerManifest + `","config":` + desc("application/vnd.docker.container.image.v1+json", hexA, 10) + `,"layers":[` + desc("application/vnd.docker.image.rootfs.diff.tar.gzip", hexB, 5) + `]}`
	index := `{"schemaVersion":2,"mediaType":"` + MediaTypeOCIIndex + `","manifests":[` + desc(MediaTypeOCIManifest, hexA, 300) + `,` + desc(MediaTypeOCIManifest, hexA, 300) + `]}`
	data := []byte("{}")
	withData := fmt.Sprintf(`{"schemaVersion":2,"config":{"mediaType":"application/vnd.oci.empty.v1+json","digest":"%s","size":2,"data":%q},"layers":[]}`,
		FromBytes(SHA256, data), base64.StdEncoding.EncodeToString(data))
	badData := strings.Replace(withData, `"size":2`, `"size":3`, 1)

	tests := []struct {
		name        string
		contentType string
		body        string
		kind        error // nil: valid
		mediaType   string
		blobs       int
		children    int
		size        int64
		artifact    string
	}{
		{name: "oci image", contentType: MediaTypeOCIManifest, body: ociImage, mediaType: MediaTypeOCIManifest, blobs: 2, size: 1110, artifact: "application/vnd.oci.image.config.v1+json"},
		{name: "oci image, no content type", body: ociImage, mediaType: MediaTypeOCIManifest, blobs: 2, size: 1110},
		{name: "oci image, generic content type", contentType: "application/json", body: ociImage, mediaType: MediaTypeOCIManifest, blobs: 2, size: 1110},
		{name: "docker image", contentType: MediaTypeDockerManifest, body: dockerImage, mediaType: MediaTypeDockerManifest, blobs: 2, size: 15, artifact: "application/vnd.docker.container.image.v1+json"},
		{name: "index", contentType: MediaTypeOCIIndex + "; charset=utf-8", body: index, mediaType: MediaTypeOCIIndex, children: 1},
		{name: "shape implies image", body: strings.Replace(ociImage, `"mediaType":"`+MediaTypeOCIManifest+`",`, "", 1), mediaType: MediaTypeOCIManifest, blobs: 2, size: 1110},
		{name: "artifact type", body: strings.Replace(ociImage, `"schemaVersion":2`, `"schemaVersion":2,"artifactType":"application/x.test"`, 1), mediaType: MediaTypeOCIManifest, blobs: 2, size: 1110, artifact: "application/x.test"},
		{name: "data field", body: withData, mediaType: MediaTypeOCIManifest, blobs: 1, size: 2},
		{name: "data field mismatch", body: badData, kind: ErrInvalidManifest},
		{name: "bad json", body: `{"schemaVersion":2,`, kind: ErrInvalidManifest},
		{name: "trailing data", body: ociImage + `{}`, kind: ErrInvalidManifest},
		{name: "not an object", body: `[1,2]`, kind: ErrInvalidManifest},
		{name: "schema version 3", body: strings.Replace(ociImage, `"schemaVersion":2`, `"schemaVersion":3`, 1), kind: ErrInvalidManifest},
		{name: "schema 1 by content type", contentType: MediaTypeDockerSchema1Signed, body: `{"schemaVersion":1}`, kind: ErrUnsupportedImageType},
		{name: "schema 1 by body", body: `{"schemaVersion":1,"fsLayers":[]}`, kind: ErrUnsupportedImageType},
		{name: "unknown content type", contentType: "text/plain", body: ociImage, kind: ErrUnsupportedImageType},
		{name: "content type disagrees", contentType: MediaTypeDockerManifest, body: ociImage, kind: ErrInvalidManifest},
		{name: "no config", contentType: MediaTypeOCIManifest, body: `{"schemaVersion":2,"layers":[]}`, kind: ErrInvalidManifest},
		{name: "bad layer digest", body: strings.Replace(ociImage, "sha256:"+hexB, "sha256:xyz", 1), kind: ErrInvalidManifest},
		{name: "negative size", body: strings.Replace(ociImage, `"size":100`, `"size":-1`, 1), kind: ErrInvalidManifest},
		{name: "index with layers", contentType: MediaTypeOCIIndex, body: `{"schemaVersion":2,"manifests":[],"layers":[]}`, kind: ErrInvalidManifest},
		{name: "image with manifests", contentType: MediaTypeOCIManifest, body: `{"schemaVersion":2,"config":` + config + `,"manifests":[]}`, kind: ErrInvalidManifest},
		{name: "unknown shape", body: `{"schemaVersion":2}`, kind: ErrInvalidManifest},
		{name: "docker with subject", contentType: MediaTypeDockerManifest, body: strings.Replace(dockerImage, `"schemaVersion":2`, `"schemaVersion":2,"subject":`+desc(MediaTypeOCIManifest, hexC, 1), 1), kind: ErrInvalidManifest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := ParseManifest(tt.contentType, []byte(tt.body))
			if tt.kind != nil {
				if !errors.Is(err, tt.kind) {
					t.Fatalf("ParseManifest = %v, want kind %v", err, tt.kind)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseManifest: %v", err)
			}
			if m.MediaType != tt.mediaType || len(m.Blobs()) != tt.blobs || len(m.Children()) != tt.children || m.ContentSize() != tt.size {
				t.Fatalf("got mediaType %s blobs %v children %v size %d", m.MediaType, m.Blobs(), m.Children(), m.ContentSize())
			}
			if tt.artifact != "" && m.ArtifactMediaType() != tt.artifact {
				t.Fatalf("ArtifactMediaType = %q, want %q", m.ArtifactMediaType(), tt.artifact)
			}
		})
	}
}

func TestParseManifestTooLarge(t *testing.T) {
	body := []byte(`{"schemaVersion":2,"annotations":{"x":"` + strings.Repeat("x", MaxManifestBytes) + `"}}`)
	if _, err := ParseManifest("", body); !errors.Is(err, ErrManifestTooLarge) {
		t.Fatalf("ParseManifest = %v, want ErrManifestTooLarge", err)
	}
}

// FuzzParseManifest: the parser never panics, and what it accepts is
// self-consistent: a known media type, valid digests, and blobs only for
// image manifests.
func FuzzParseManifest(f *testing.F) {
	f.Add("", []byte(`{"schemaVersion":2,"config":{"mediaType":"a/b","digest":"sha256:`+hexA+`","size":1},"layers":[]}`))
	f.Add(MediaTypeOCIIndex, []byte(`{"schemaVersion":2,"manifests":[{"mediaType":"a/b","digest":"sha256:`+hexA+`","size":1}]}`))
	f.Add(MediaTypeDockerManifest, []byte(`{"schemaVersion":2,"mediaType":"`+MediaTypeDockerManifest+`","config":{"mediaType":"a/b","digest":"sha512:`+strings.Repeat("0", 128)+`","size":1},"layers":[{"mediaType":"`+MediaTypeDockerForeignLayer+`","digest":"sha256:`+hexB+`","size":9,"urls":["http://x"]}]}`))
	f.Add("application/json", []byte(`{"schemaVersion":1}`))
	f.Add("", []byte(`{"schemaVersion":2,"config":{"mediaType":"a/b","digest":"sha256:`+hexA+`","size":2,"data":"e30="}}`))
	f.Fuzz(func(t *testing.T, contentType string, body []byte) {
		m, err := ParseManifest(contentType, body)
		if err != nil {
			if !errors.Is(err, ErrInvalidManifest) {
				t.Fatalf("error of unexpected kind: %v", err)
			}
			return
		}
		if !IsManifestMediaType(m.MediaType) || m.SchemaVersion != 2 {
			t.Fatalf("accepted %q schema %d", m.MediaType, m.SchemaVersion)
		}
		for _, d := range append(m.Blobs(), m.Children()...) {
			if _, err := ParseDigest(string(d)); err != nil {
				t.Fatalf("accepted invalid digest %q", d)
			}
		}
		if m.IsIndex() && len(m.Blobs()) > 0 || !m.IsIndex() && len(m.Children()) > 0 {
			t.Fatalf("index/image confusion: %+v", m)
		}
	})
}
