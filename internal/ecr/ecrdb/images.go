package ecrdb

import (
	"time"

	"github.com/quayside/quayside/internal/ecr"
	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/store"
)

// GetImage returns an image by digest, or store.ErrNotFound.
func GetImage(tx store.ReadTx, s Scope, repo string, d ecr.Digest) (ecr.Image, error) {
	return store.Get[ecr.Image](tx, Images, s.digestKey(repo, d))
}

// GetTag returns what a tag points at, or store.ErrNotFound.
func GetTag(tx store.ReadTx, s Scope, repo, tag string) (ecr.TagRef, error) {
	return store.Get[ecr.TagRef](tx, Tags, s.tagKey(repo, tag))
}

// ResolveImage returns the image a reference (tag or digest) names, or
// ErrImageNotFound.
func ResolveImage(tx store.ReadTx, s Scope, repo, ref string) (ecr.Image, error) {
	d := ecr.Digest(ref)
	if !ecr.IsDigest(ref) {
		t, err := GetTag(tx, s, repo, ref)
		if IsNotFound(err) {
			return ecr.Image{}, fault.New(ecr.ErrImageNotFound, ecr.MsgImageNotFound)
		} else if err != nil {
			return ecr.Image{}, err
		}
		d = t.Digest
	}
	im, err := GetImage(tx, s, repo, d)
	if IsNotFound(err) {
		return im, fault.New(ecr.ErrImageNotFound, ecr.MsgImageNotFound)
	}
	return im, err
}

// ListImages returns a repository's images in digest order after the
// given digest, at most limit (0: all).
func ListImages(tx store.ReadTx, s Scope, repo string, afterDigest ecr.Digest, limit int) ([]ecr.Image, error) {
	p := s.digestKey(repo, "")
	return store.List[ecr.Image](tx, Images, p, after(p, string(afterDigest)), limit)
}

// ListTags returns a repository's tags in lexical (byte) order after the
// given tag, at most limit (0: all); more reports whether tags remain.
func ListTags(tx store.ReadTx, s Scope, repo, afterTag string, limit int) (tags []string, more bool, err error) {
	p := s.tagKey(repo, "")
	err = tx.Scan(Tags, p, after(p, afterTag), func(k string, _ []byte) error {
		if limit > 0 && len(tags) == limit {
			more = true
			return store.ErrStop
		}
		tags = append(tags, trimPrefix(k, p))
		return nil
	})
	return tags, more, err
}

// PutImageInput is a manifest to store in a repository under a digest,
// with the tags to point at it.
type PutImageInput struct {
	Repository ecr.Repository // it must exist
	Digest     ecr.Digest     // of Body
	Manifest   *ecr.Manifest  // Body, parsed
	Body       []byte
	Tags       []string
	Now        time.Time
}

// PutImage stores a pushed manifest and points its tags at it.
//
// Tags are checked first: a tag that exists and is immutable in the
// repository fails the whole push with ErrImageTagAlreadyExists (even
// when it names this very digest, as ECR answers). A manifest new to the
// repository must find every blob it needs linked in the repository
// (else ErrLayersNotFound) and, for an index, every manifest it lists
// (else ErrReferencedImagesNotFound); its blob links gain a reference and
// its subject, if any, lists it as a referrer. A tag that named another
// image moves, leaving that image without it. created reports whether
// the manifest was new.
func PutImage(tx store.Tx, s Scope, in PutImageInput) (im ecr.Image, created bool, err error) {
	repo := in.Repository.Name
	for _, tag := range in.Tags {
		_, err := GetTag(tx, s, repo, tag)
		if err == nil && in.Repository.TagImmutable(tag) {
			return im, false, fault.Newf(ecr.ErrImageTagAlreadyExists, ecr.MsgImageTagImmutable, tag, repo)
		} else if err != nil && !IsNotFound(err) {
			return im, false, err
		}
	}
	im, err = GetImage(tx, s, repo, in.Digest)
	if IsNotFound(err) {
		im, err = newImage(tx, s, in)
		created = true
	}
	if err != nil {
		return im, false, err
	}
	for _, tag := range in.Tags {
		if err := pointTag(tx, s, repo, tag, &im, in.Now); err != nil {
			return im, false, err
		}
	}
	return im, created, store.Put(tx, Images, s.digestKey(repo, im.Digest), im)
}

func newImage(tx store.Tx, s Scope, in PutImageInput) (ecr.Image, error) {
	repo, m := in.Repository.Name, in.Manifest
	im := ecr.Image{
		Repository: repo, RegistryID: s.Account, Digest: in.Digest,
		ManifestMediaType: m.MediaType, ArtifactMediaType: m.ArtifactMediaType(),
		SizeInBytes: m.ContentSize(), PushedAt: in.Now.UTC(), Manifest: in.Body,
		Blobs: m.Blobs(), Children: m.Children(), Subject: m.Subject, Annotations: m.Annotations,
	}
	if in.Repository.ImageScanningConfiguration.ScanOnPush {
		im.Scan = ecr.NewScan(in.Now, true)
	}
	var missing []ecr.Digest
	links := make([]ecr.BlobLink, 0, len(im.Blobs))
	for _, b := range im.Blobs {
		l, err := GetBlobLink(tx, s, repo, b)
		if IsNotFound(err) {
			missing = append(missing, b)
			continue
		} else if err != nil {
			return im, err
		}
		links = append(links, l)
	}
	if len(missing) > 0 {
		return im, fault.Wrap(ecr.ErrLayersNotFound, &ecr.MissingContent{Digests: missing},
			"The manifest references blob "+string(missing[0])+", which is not in the repository: push the blob first")
	}
	for _, c := range im.Children {
		child, err := GetImage(tx, s, repo, c)
		if IsNotFound(err) {
			missing = append(missing, c)
			continue
		} else if err != nil {
			return im, err
		}
		im.SizeInBytes = max(im.SizeInBytes, child.SizeInBytes)
	}
	if len(missing) > 0 {
		return im, fault.Wrap(ecr.ErrReferencedImagesNotFound, &ecr.MissingContent{Digests: missing},
			"The index references manifest "+string(missing[0])+", which is not in the repository: push it first")
	}
	for _, l := range links {
		l.Refs++
		if err := store.Put(tx, Blobs, s.digestKey(repo, l.Digest), l); err != nil {
			return im, err
		}
	}
	if im.Subject != nil {
		if err := store.Put(tx, Referrers, referrerKey(s, repo, im.Subject.Digest, im.Digest), im.Descriptor()); err != nil {
			return im, err
		}
	}
	return im, nil
}

// pointTag points tag at im, taking it from the image it named before.
func pointTag(tx store.Tx, s Scope, repo, tag string, im *ecr.Image, now time.Time) error {
	old, err := GetTag(tx, s, repo, tag)
	if err == nil && old.Digest != im.Digest {
		prev, err := GetImage(tx, s, repo, old.Digest)
		if err == nil {
			prev.RemoveTag(tag)
			if err := store.Put(tx, Images, s.digestKey(repo, prev.Digest), prev); err != nil {
				return err
			}
		} else if !IsNotFound(err) {
			return err
		}
	} else if err != nil && !IsNotFound(err) {
		return err
	}
	im.AddTag(tag)
	return store.Put(tx, Tags, s.tagKey(repo, tag), ecr.TagRef{Digest: im.Digest, UpdatedAt: now.UTC()})
}

// DeleteImage removes an image with its tags, releases its blob links and
// withdraws it from its subject's referrers. A missing image is
// ErrImageNotFound.
func DeleteImage(tx store.Tx, s Scope, repo string, d ecr.Digest) (ecr.Image, error) {
	im, err := GetImage(tx, s, repo, d)
	if IsNotFound(err) {
		return im, fault.New(ecr.ErrImageNotFound, ecr.MsgImageNotFound)
	} else if err != nil {
		return im, err
	}
	for _, tag := range im.Tags {
		if err := tx.Delete(Tags, s.tagKey(repo, tag)); err != nil {
			return im, err
		}
	}
	for _, b := range im.Blobs {
		l, err := GetBlobLink(tx, s, repo, b)
		if IsNotFound(err) {
			continue
		} else if err != nil {
			return im, err
		}
		if l.Refs > 0 {
			l.Refs--
		}
		if err := store.Put(tx, Blobs, s.digestKey(repo, b), l); err != nil {
			return im, err
		}
	}
	if im.Subject != nil {
		if err := tx.Delete(Referrers, referrerKey(s, repo, im.Subject.Digest, d)); err != nil {
			return im, err
		}
	}
	return im, tx.Delete(Images, s.digestKey(repo, d))
}

// UntagImage removes a tag, leaving the image. A missing tag is
// ErrImageNotFound.
func UntagImage(tx store.Tx, s Scope, repo, tag string) (ecr.Image, error) {
	ref, err := GetTag(tx, s, repo, tag)
	if IsNotFound(err) {
		return ecr.Image{}, fault.New(ecr.ErrImageNotFound, ecr.MsgImageNotFound)
	} else if err != nil {
		return ecr.Image{}, err
	}
	if err := tx.Delete(Tags, s.tagKey(repo, tag)); err != nil {
		return ecr.Image{}, err
	}
	im, err := GetImage(tx, s, repo, ref.Digest)
	if IsNotFound(err) {
		return im, nil
	} else if err != nil {
		return im, err
	}
	im.RemoveTag(tag)
	return im, store.Put(tx, Images, s.digestKey(repo, im.Digest), im)
}

// RecordPull sets an image's lastRecordedPullTime.
func RecordPull(tx store.Tx, s Scope, repo string, d ecr.Digest, at time.Time) error {
	im, err := GetImage(tx, s, repo, d)
	if IsNotFound(err) {
		return nil // deleted since the pull
	} else if err != nil {
		return err
	}
	at = at.UTC()
	im.LastRecordedPullTime = &at
	return store.Put(tx, Images, s.digestKey(repo, d), im)
}

func referrerKey(s Scope, repo string, subject, d ecr.Digest) string {
	return s.digestKey(repo, subject) + "/" + string(d)
}

// ListReferrers returns the descriptors of the repository's manifests
// whose subject is the given digest, in digest order.
func ListReferrers(tx store.ReadTx, s Scope, repo string, subject ecr.Digest) ([]ecr.Descriptor, error) {
	return store.List[ecr.Descriptor](tx, Referrers, s.digestKey(repo, subject)+"/", "", 0)
}
