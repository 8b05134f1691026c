package registry

import (
	"context"

	"github.com/quayside/quayside/internal/ecr"
	"github.com/quayside/quayside/internal/ecr/ecrdb"
	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/store"
)

// ParseReference validates a manifest reference: a digest (it has a
// colon) or a tag.
func ParseReference(ref string) (tag string, d ecr.Digest, err error) {
	if ecr.IsDigest(ref) {
		d, err = ecr.ParseDigest(ref)
		return "", d, err
	}
	return ref, "", ecr.ValidateTag(ref)
}

// PutManifest stores a manifest pushed by reference (a tag, or the digest
// it must hash to), pointing ref (if a tag) and tags at it. See
// ecrdb.PutImage for the rules.
func (r *Registry) PutManifest(ctx context.Context, s ecrdb.Scope, repo, ref, contentType string, body []byte, tags []string) (ecr.Image, error) {
	if _, err := r.Repository(ctx, s, repo); err != nil {
		return ecr.Image{}, err
	}
	tag, want, err := ParseReference(ref)
	if err != nil {
		return ecr.Image{}, err
	}
	for _, t := range tags {
		if err := ecr.ValidateTag(t); err != nil {
			return ecr.Image{}, err
		}
	}
	m, err := ecr.ParseManifest(contentType, body)
	if err != nil {
		return ecr.Image{}, err
	}
	d := ecr.FromBytes(ecr.SHA256, body)
	if want != "" {
		if d = ecr.FromBytes(want.Algorithm(), body); d != want {
			return ecr.Image{}, fault.Newf(ecr.ErrImageDigestDoesNotMatch, "the manifest's digest is %s, not %s", d, want)
		}
	} else {
		tags = append(tags, tag)
	}
	var im ecr.Image
	err = r.st.Update(ctx, func(tx store.Tx) error {
		repository, err := ecrdb.Repository(tx, s, repo)
		if err != nil {
			return err
		}
		im, _, err = ecrdb.PutImage(tx, s, ecrdb.PutImageInput{
			Repository: repository, Digest: d, Manifest: m, Body: body, Tags: tags, Now: r.Now(),
		})
		return err
	})
	return im, err
}

// GetManifest returns the image a reference names. With pull set it
// records the pull (lastRecordedPullTime, at most once per
// PullRecordInterval per image).
func (r *Registry) GetManifest(ctx context.Context, s ecrdb.Scope, repo, ref string, pull bool) (im ecr.Image, err error) {
	if _, _, err := ParseReference(ref); err != nil {
		return im, err
	}
	err = r.st.View(ctx, func(tx store.ReadTx) error {
		if _, err := ecrdb.Repository(tx, s, repo); err != nil {
			return err
		}
		im, err = ecrdb.ResolveImage(tx, s, repo, ref)
		return err
	})
	if err == nil && pull {
		r.recordPull(ctx, s, repo, im.Digest)
	}
	return im, err
}

// DeleteManifest deletes the image a digest names, with its tags, or
// removes a tag only.
func (r *Registry) DeleteManifest(ctx context.Context, s ecrdb.Scope, repo, ref string) error {
	tag, d, err := ParseReference(ref)
	if err != nil {
		return err
	}
	return r.st.Update(ctx, func(tx store.Tx) error {
		if _, err := ecrdb.Repository(tx, s, repo); err != nil {
			return err
		}
		if tag != "" {
			_, err = ecrdb.UntagImage(tx, s, repo, tag)
		} else {
			_, err = ecrdb.DeleteImage(tx, s, repo, d)
		}
		return err
	})
}

// ListTags lists a repository's tags in lexical order after `last`, at
// most n (n < 0: all); more reports whether tags remain.
func (r *Registry) ListTags(ctx context.Context, s ecrdb.Scope, repo, last string, n int) (tags []string, more bool, err error) {
	err = r.st.View(ctx, func(tx store.ReadTx) error {
		if _, err := ecrdb.Repository(tx, s, repo); err != nil {
			return err
		}
		if n == 0 {
			return nil
		}
		tags, more, err = ecrdb.ListTags(tx, s, repo, last, max(n, 0))
		return err
	})
	return tags, more, err
}

// Referrers lists the manifests whose subject is the digest, optionally
// only those of one artifact type.
func (r *Registry) Referrers(ctx context.Context, s ecrdb.Scope, repo string, subject ecr.Digest, artifactType string) (out []ecr.Descriptor, err error) {
	err = r.st.View(ctx, func(tx store.ReadTx) error {
		if _, err := ecrdb.Repository(tx, s, repo); err != nil {
			return err
		}
		all, err := ecrdb.ListReferrers(tx, s, repo, subject)
		for _, d := range all {
			if artifactType == "" || d.ArtifactType == artifactType {
				out = append(out, d)
			}
		}
		return err
	})
	return out, err
}

// Catalog lists the scope's repository names after `last`, at most n
// (n < 0: all).
func (r *Registry) Catalog(ctx context.Context, s ecrdb.Scope, last string, n int) (names []string, more bool, err error) {
	err = r.st.View(ctx, func(tx store.ReadTx) error {
		if n == 0 {
			return nil
		}
		limit := 0
		if n > 0 {
			limit = n + 1
		}
		repos, err := ecrdb.ListRepositories(tx, s, last, limit)
		for _, repo := range repos {
			names = append(names, repo.Name)
		}
		if n > 0 && len(names) > n {
			names, more = names[:n], true
		}
		return err
	})
	return names, more, err
}
