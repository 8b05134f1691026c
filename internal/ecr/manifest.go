package ecr

import (
	"strings"
)

// Manifest media types the registry accepts.
const (
	MediaTypeDockerManifest     = "application/vnd.docker.distribution.manifest.v2+json"
	MediaTypeDockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json"
	MediaTypeOCIManifest        = "application/vnd.oci.image.manifest.v1+json"
	MediaTypeOCIIndex           = "application/vnd.oci.image.index.v1+json"

	// Refused with ErrUnsupportedImageType.
	MediaTypeDockerSchema1       = "application/vnd.docker.distribution.manifest.v1+json"
	MediaTypeDockerSchema1Signed = "application/vnd.docker.distribution.manifest.v1+prettyjws"

	// MediaTypeDockerForeignLayer is a layer fetched from its URLs, never
	// pushed to a registry.
	MediaTypeDockerForeignLayer = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip"
)

// MaxManifestBytes is the largest manifest the registry stores (ECR's and
// the OCI distribution spec's 4 MiB).
const MaxManifestBytes = 4 << 20

// Platform is an index entry's platform.
type Platform struct {
	Architecture string   `json:"architecture"`
	OS           string   `json:"os"`
	OSVersion    string   `json:"os.version,omitempty"`
	OSFeatures   []string `json:"os.features,omitempty"`
	Variant      string   `json:"variant,omitempty"`
}

// Descriptor points at content: a blob or a manifest.
type Descriptor struct {
	MediaType    string            `json:"mediaType"`
	Digest       Digest            `json:"digest"`
	Size         int64             `json:"size"`
	URLs         []string          `json:"urls,omitempty"`
	Annotations  map[string]string `json:"annotations,omitempty"`
	Data         []byte            `json:"data,omitempty"`
	Platform     *Platform         `json:"platform,omitempty"`
	ArtifactType string            `json:"artifactType,omitempty"`
}

// Manifest is a parsed image manifest or index of any supported kind.
// ParseManifest fills MediaType with the effective media type.
type Manifest struct {
	SchemaVersion int               `json:"schemaVersion"`
	MediaType     string            `json:"mediaType,omitempty"`
	ArtifactType  string            `json:"artifactType,omitempty"`
	Config        *Descriptor       `json:"config,omitempty"`
	Layers        []Descriptor      `json:"layers,omitempty"`
	Manifests     []Descriptor      `json:"manifests,omitempty"`
	Subject       *Descriptor       `json:"subject,omitempty"`
	Annotations   map[string]string `json:"annotations,omitempty"`
}

// IsIndex reports whether the media type is an index or manifest list.
func IsIndex(mediaType string) bool {
	return mediaType == MediaTypeOCIIndex || mediaType == MediaTypeDockerManifestList
}

// IsManifestMediaType reports whether the registry stores manifests of
// this media type.
func IsManifestMediaType(mt string) bool {
	switch mt {
	case MediaTypeDockerManifest, MediaTypeDockerManifestList, MediaTypeOCIManifest, MediaTypeOCIIndex:
		return true
	}
	return false
}

// IsIndex reports whether m lists manifests rather than layers.
func (m *Manifest) IsIndex() bool { return IsIndex(m.MediaType) }

// Nondistributable reports whether a layer is never pushed to registries:
// OCI non-distributable layers and Docker foreign layers. Manifests may
// name them without the registry holding them.
func Nondistributable(mediaType string) bool {
	return mediaType == MediaTypeDockerForeignLayer ||
		strings.HasPrefix(mediaType, "application/vnd.oci.image.layer.nondistributable.")
}

// Blobs are the digests of the blobs an image manifest needs the
// repository to hold: its config and its distributable layers, each once,
// in order. An index needs none.
func (m *Manifest) Blobs() []Digest {
	if m.IsIndex() || m.Config == nil {
		return nil
	}
	seen := map[Digest]bool{}
	var out []Digest
	add := func(d Digest) {
		if !seen[d] {
			seen[d] = true
			out = append(out, d)
		}
	}
	add(m.Config.Digest)
	for _, l := range m.Layers {
		if !Nondistributable(l.MediaType) {
			add(l.Digest)
		}
	}
	return out
}

// Children are the digests of the manifests an index lists, each once.
func (m *Manifest) Children() []Digest {
	if !m.IsIndex() {
		return nil
	}
	seen := map[Digest]bool{}
	var out []Digest
	for _, c := range m.Manifests {
		if !seen[c.Digest] {
			seen[c.Digest] = true
			out = append(out, c.Digest)
		}
	}
	return out
}

// ContentSize is the image's size as ECR reports it (imageSizeInBytes):
// config plus every layer, non-distributable ones included. An index has
// no size of its own; see Image.SizeInBytes.
func (m *Manifest) ContentSize() int64 {
	if m.IsIndex() || m.Config == nil {
		return 0
	}
	n := m.Config.Size
	for _, l := range m.Layers {
		n += l.Size
	}
	return n
}

// ArtifactMediaType is the manifest's artifactType or else its config's
// media type: ECR's artifactMediaType, and the artifactType the referrers
// API reports.
func (m *Manifest) ArtifactMediaType() string {
	if m.ArtifactType != "" {
		return m.ArtifactType
	}
	if m.Config != nil && !m.IsIndex() {
		return m.Config.MediaType
	}
	return ""
}
