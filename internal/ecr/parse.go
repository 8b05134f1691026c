package ecr

import (
	"bytes"
	"encoding/json"
	"mime"

	"github.com/quayside/quayside/internal/fault"
)

// ParseManifest parses and validates a pushed manifest. contentType is the
// Content-Type it was pushed with ("" or a generic JSON type to go by the
// body). The manifest's media type is the content type if it names a
// manifest type, else the body's mediaType field, else what the body's
// shape implies (config: an OCI image manifest; manifests: an OCI index).
// When both name a type, they must agree.
func ParseManifest(contentType string, body []byte) (*Manifest, error) {
	if len(body) > MaxManifestBytes {
		return nil, fault.Newf(ErrManifestTooLarge, "manifest is %d bytes; the limit is %d", len(body), MaxManifestBytes)
	}
	var m Manifest
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&m); err != nil {
		return nil, fault.Wrap(ErrInvalidManifest, err, "manifest is not valid JSON: "+err.Error())
	}
	if dec.More() {
		return nil, fault.New(ErrInvalidManifest, "manifest has data after its JSON object")
	}
	if err := checkSchema1(contentType, body); err != nil {
		return nil, err
	}
	mt, err := effectiveMediaType(contentType, &m)
	if err != nil {
		return nil, err
	}
	m.MediaType = mt
	if m.SchemaVersion != 2 {
		return nil, fault.Newf(ErrInvalidManifest, "manifest schemaVersion is %d; want 2", m.SchemaVersion)
	}
	if err := m.validate(); err != nil {
		return nil, err
	}
	return &m, nil
}

func checkSchema1(contentType string, body []byte) error {
	base, _, _ := mime.ParseMediaType(contentType)
	if base == MediaTypeDockerSchema1 || base == MediaTypeDockerSchema1Signed {
		return fault.Newf(ErrUnsupportedImageType, "Docker image manifest schema 1 (%s) is not supported; push schema 2 or OCI", base)
	}
	var probe struct {
		SchemaVersion int             `json:"schemaVersion"`
		FSLayers      json.RawMessage `json:"fsLayers"`
	}
	if json.Unmarshal(body, &probe) == nil && probe.SchemaVersion == 1 {
		return fault.New(ErrUnsupportedImageType, "Docker image manifest schema 1 is not supported; push schema 2 or OCI")
	}
	return nil
}

func effectiveMediaType(contentType string, m *Manifest) (string, error) {
	ct := ""
	if contentType != "" {
		base, _, err := mime.ParseMediaType(contentType)
		if err != nil {
			return "", fault.Newf(ErrInvalidManifest, "invalid Content-Type %q", contentType)
		}
		ct = base
	}
	if ct == "application/json" || ct == "application/octet-stream" {
		ct = ""
	}
	switch {
	case ct != "" && !IsManifestMediaType(ct):
		return "", fault.Newf(ErrUnsupportedImageType, "unsupported manifest media type %q", ct)
	case m.MediaType != "" && !IsManifestMediaType(m.MediaType):
		return "", fault.Newf(ErrUnsupportedImageType, "unsupported manifest media type %q", m.MediaType)
	case ct != "" && m.MediaType != "" && ct != m.MediaType:
		return "", fault.Newf(ErrInvalidManifest, "manifest mediaType %q does not match Content-Type %q", m.MediaType, ct)
	case ct != "":
		return ct, nil
	case m.MediaType != "":
		return m.MediaType, nil
	case m.Config != nil:
		return MediaTypeOCIManifest, nil
	case m.Manifests != nil:
		return MediaTypeOCIIndex, nil
	}
	return "", fault.New(ErrInvalidManifest, "cannot tell the manifest's media type: set Content-Type or mediaType")
}

func (m *Manifest) validate() error {
	if m.IsIndex() {
		if m.Config != nil || m.Layers != nil {
			return fault.Newf(ErrInvalidManifest, "%s has config or layers; an index lists manifests", m.MediaType)
		}
		for i := range m.Manifests {
			if err := m.Manifests[i].validate("manifests"); err != nil {
				return err
			}
		}
	} else {
		if m.Manifests != nil {
			return fault.Newf(ErrInvalidManifest, "%s has manifests; an image manifest has config and layers", m.MediaType)
		}
		if m.Config == nil {
			return fault.New(ErrInvalidManifest, "image manifest has no config")
		}
		if err := m.Config.validate("config"); err != nil {
			return err
		}
		for i := range m.Layers {
			if err := m.Layers[i].validate("layers"); err != nil {
				return err
			}
		}
	}
	if m.Subject != nil {
		if err := m.Subject.validate("subject"); err != nil {
			return err
		}
	}
	if m.MediaType == MediaTypeDockerManifest || m.MediaType == MediaTypeDockerManifestList {
		if m.Subject != nil || m.ArtifactType != "" {
			return fault.Newf(ErrInvalidManifest, "%s cannot have subject or artifactType", m.MediaType)
		}
	}
	return nil
}

func (d *Descriptor) validate(field string) error {
	if _, err := ParseDigest(string(d.Digest)); err != nil {
		msg, _ := fault.Message(err)
		return fault.Newf(ErrInvalidManifest, "%s: %s", field, msg)
	}
	if d.Size < 0 {
		return fault.Newf(ErrInvalidManifest, "%s: descriptor %s has negative size %d", field, d.Digest, d.Size)
	}
	if d.MediaType == "" {
		return fault.Newf(ErrInvalidManifest, "%s: descriptor %s has no mediaType", field, d.Digest)
	}
	if _, _, err := mime.ParseMediaType(d.MediaType); err != nil {
		return fault.Newf(ErrInvalidManifest, "%s: descriptor %s has invalid mediaType %q", field, d.Digest, d.MediaType)
	}
	if d.Data != nil {
		if int64(len(d.Data)) != d.Size || FromBytes(d.Digest.Algorithm(), d.Data) != d.Digest {
			return fault.Newf(ErrInvalidManifest, "%s: descriptor %s has data that does not match its digest and size", field, d.Digest)
		}
	}
	return nil
}
