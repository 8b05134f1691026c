package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"math/rand/v2"
)

const (
	manifestType = "application/vnd.oci.image.manifest.v1+json"
	configType   = "application/vnd.oci.image.config.v1+json"
	layerType    = "application/vnd.oci.image.layer.v1.tar"
)

type blob struct {
	data   []byte
	digest string
}

func newBlob(data []byte) blob {
	sum := sha256.Sum256(data)
	return blob{data: data, digest: "sha256:" + hex.EncodeToString(sum[:])}
}

type descriptor struct {
	MediaType string `json:"mediaType"`
	Digest    string `json:"digest"`
	Size      int64  `json:"size"`
}

type manifest struct {
	SchemaVersion int          `json:"schemaVersion"`
	MediaType     string       `json:"mediaType"`
	Config        descriptor   `json:"config"`
	Layers        []descriptor `json:"layers"`
}

// image is an OCI image held in memory, ready to push.
type image struct {
	config   blob
	layers   []blob
	manifest []byte
}

// size is the bytes a push or pull of the image moves: manifest, config
// and layers.
func (im *image) size() int64 {
	n := int64(len(im.manifest) + len(im.config.data))
	for _, l := range im.layers {
		n += int64(len(l.data))
	}
	return n
}

// randomImage makes an image whose layers are random bytes of the given
// sizes (incompressible, so neither side can gain by compression; the
// registries never look inside layers). Each call gives new content, so
// every push uploads every blob.
func randomImage(rng *rand.ChaCha8, sizes ...int) *image {
	im := &image{}
	var diffIDs []string
	m := manifest{SchemaVersion: 2, MediaType: manifestType}
	for _, n := range sizes {
		data := make([]byte, n)
		_, _ = rng.Read(data)
		l := newBlob(data)
		im.layers = append(im.layers, l)
		diffIDs = append(diffIDs, l.digest)
		m.Layers = append(m.Layers, descriptor{MediaType: layerType, Digest: l.digest, Size: int64(n)})
	}
	var nonce [8]byte
	_, _ = rng.Read(nonce[:])
	cfg, _ := json.Marshal(map[string]any{
		"architecture": "amd64", "os": "linux",
		"config": map[string]any{"Labels": map[string]string{"bench-nonce": hex.EncodeToString(nonce[:])}},
		"rootfs": map[string]any{"type": "layers", "diff_ids": diffIDs},
	})
	im.config = newBlob(cfg)
	m.Config = descriptor{MediaType: configType, Digest: im.config.digest, Size: int64(len(cfg))}
	im.manifest, _ = json.Marshal(m)
	return im
}
