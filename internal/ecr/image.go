package ecr

import (
	"slices"
	"strings"
	"time"
)

// Image is one manifest stored in a repository, with the tags that name it.
type Image struct {
	Repository string `json:"repositoryName"`
	RegistryID string `json:"registryId"`
	Digest     Digest `json:"imageDigest"`
	// Tags is kept sorted; the tag table is the index from tag to image.
	Tags                 []string   `json:"imageTags,omitempty"`
	ManifestMediaType    string     `json:"imageManifestMediaType"`
	ArtifactMediaType    string     `json:"artifactMediaType,omitempty"`
	SizeInBytes          int64      `json:"imageSizeInBytes"`
	PushedAt             time.Time  `json:"imagePushedAt"`
	LastRecordedPullTime *time.Time `json:"lastRecordedPullTime,omitempty"`
	// Manifest is the manifest exactly as pushed.
	Manifest []byte `json:"imageManifest"`
	// Blobs are the blobs the manifest needs (config and distributable
	// layers); the repository's links to them are held while the image is.
	Blobs []Digest `json:"blobDigests,omitempty"`
	// Children are the manifests an index lists.
	Children []Digest `json:"childDigests,omitempty"`
	// Subject is the manifest this one refers to (referrers API).
	Subject     *Descriptor       `json:"subject,omitempty"`
	Annotations map[string]string `json:"annotations,omitempty"`
	// Scan is the image's last scan, if one was requested (see ScanRecord).
	Scan *ScanRecord `json:"imageScan,omitempty"`
}

// AddTag adds a tag, keeping Tags sorted and without duplicates.
func (im *Image) AddTag(tag string) {
	i, found := slices.BinarySearch(im.Tags, tag)
	if !found {
		im.Tags = slices.Insert(im.Tags, i, tag)
	}
}

// RemoveTag removes a tag if the image has it.
func (im *Image) RemoveTag(tag string) {
	if i, found := slices.BinarySearch(im.Tags, tag); found {
		im.Tags = slices.Delete(im.Tags, i, i+1)
	}
	if len(im.Tags) == 0 {
		im.Tags = nil
	}
}

// Descriptor describes the image as the referrers API lists it.
func (im *Image) Descriptor() Descriptor {
	return Descriptor{
		MediaType: im.ManifestMediaType, Digest: im.Digest, Size: int64(len(im.Manifest)),
		ArtifactType: im.ArtifactMediaType, Annotations: im.Annotations,
	}
}

// TagRef is what a tag points at.
type TagRef struct {
	Digest    Digest    `json:"imageDigest"`
	UpdatedAt time.Time `json:"updatedAt"`
}

// BlobLink records that a repository holds a blob: it was uploaded to or
// mounted into the repository. Refs counts the repository's images that
// reference the blob; a link with references is never collected.
type BlobLink struct {
	Digest    Digest    `json:"digest"`
	Size      int64     `json:"size"`
	LinkedAt  time.Time `json:"linkedAt"` // the last upload or mount
	Refs      int       `json:"refs"`
	MediaType string    `json:"mediaType,omitempty"`
}

// Upload is a blob upload in progress (a layer upload, in ECR's API).
// Offset bytes of it are durable in the blob store; HashState is the
// sha256 state after them, so that an upload resumes after a restart
// without re-reading what it has.
type Upload struct {
	ID         string    `json:"uploadId"`
	Repository string    `json:"repositoryName"`
	Offset     int64     `json:"offset"`
	HashState  []byte    `json:"hashState,omitempty"`
	StartedAt  time.Time `json:"startedAt"`
	UpdatedAt  time.Time `json:"updatedAt"`
}

// MissingContent lists the blobs or manifests a pushed manifest names that
// the repository does not hold. It is the cause of ErrLayersNotFound and
// ErrReferencedImagesNotFound errors.
type MissingContent struct {
	Digests []Digest
}

func (m *MissingContent) Error() string {
	s := make([]string, len(m.Digests))
	for i, d := range m.Digests {
		s[i] = string(d)
	}
	return "missing " + strings.Join(s, ", ")
}
