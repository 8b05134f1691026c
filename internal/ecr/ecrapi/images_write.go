package ecrapi

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/quayside/quayside/internal/ecr"
	"github.com/quayside/quayside/internal/ecr/ecrdb"
	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/store"
	"github.com/quayside/quayside/internal/wire"
	"github.com/quayside/quayside/internal/wire/ecrwire"
)

type (
	putImageIn struct {
		ecrwire.PutImageRequest
		unchecked
	}
	batchDeleteImageIn struct {
		ecrwire.BatchDeleteImageRequest
		unchecked
	}
)

// putImage stores a manifest, as a push of the manifest by the registry
// does: every blob it names must be in the repository (uploaded with the
// layer API or docker push), and an immutable tag cannot move.
func (a *API) putImage(ctx context.Context, c *call, in *putImageIn) (*ecrwire.PutImageResponse, error) {
	repo, tag := str(in.RepositoryName), str(in.ImageTag)
	if tag != "" {
		if err := ecr.ValidateTag(tag); err != nil {
			return nil, err
		}
	}
	body := []byte(str(in.ImageManifest))
	m, err := ecr.ParseManifest(str(in.ImageManifestMediaType), body)
	if err != nil {
		return nil, err
	}
	d := ecr.FromBytes(ecr.SHA256, body)
	if want := str(in.ImageDigest); want != "" {
		wd, err := ecr.ParseDigest(want)
		if err != nil {
			return nil, err
		}
		if ecr.FromBytes(wd.Algorithm(), body) != wd {
			return nil, fault.New(ecr.ErrImageDigestDoesNotMatch, ecr.MsgImageDigestDoesNotMatch)
		}
		d = wd
	}
	var im ecr.Image
	err = a.st.Update(ctx, func(tx store.Tx) error {
		r, err := ecrdb.Repository(tx, c.scope, repo)
		if err != nil {
			return err
		}
		if old, err := ecrdb.GetImage(tx, c.scope, repo, d); err == nil && (tag == "" || hasTag(old, tag)) {
			shown := tag
			if shown == "" {
				shown = "null"
			}
			return fault.Newf(ecr.ErrImageAlreadyExists, ecr.MsgImageAlreadyExists, d, shown, repo, c.scope.Account)
		} else if err != nil && !ecrdb.IsNotFound(err) {
			return err
		}
		var tags []string
		if tag != "" {
			tags = []string{tag}
		}
		im, _, err = ecrdb.PutImage(tx, c.scope, ecrdb.PutImageInput{Repository: r, Digest: d, Manifest: m, Body: body, Tags: tags, Now: a.now()})
		return err
	})
	if err != nil {
		return nil, missingContent(err, c, repo)
	}
	id := imageID(im.Digest, tag)
	return &ecrwire.PutImageResponse{Image: &ecrwire.Image{
		RegistryId: c.registryID(), RepositoryName: wire.String(repo), ImageId: &id,
		ImageManifest: wire.String(string(im.Manifest)), ImageManifestMediaType: wire.String(im.ManifestMediaType),
	}}, nil
}

// missingContent rewords the store's missing-blob errors as ECR's API
// words them.
func missingContent(err error, c *call, repo string) error {
	var mc *ecr.MissingContent
	if !errors.As(err, &mc) {
		return err
	}
	list := make([]string, len(mc.Digests))
	for i, d := range mc.Digests {
		list[i] = string(d)
	}
	digests := "[" + strings.Join(list, ", ") + "]"
	if errors.Is(err, ecr.ErrReferencedImagesNotFound) {
		return fault.Wrap(ecr.ErrReferencedImagesNotFound, err, fmt.Sprintf(ecr.MsgReferencedImagesNotFound, digests, repo, c.scope.Account))
	}
	return fault.Wrap(ecr.ErrLayersNotFound, err, fmt.Sprintf(ecr.MsgLayersNotFound, digests, repo, c.scope.Account))
}

// batchDeleteImage deletes images by digest (with all their tags) and
// removes tags; as on ECR, removing an image's last tag deletes the
// image. An image that an index of the repository lists is not deleted.
func (a *API) batchDeleteImage(ctx context.Context, c *call, in *batchDeleteImageIn) (*ecrwire.BatchDeleteImageResponse, error) {
	repo := str(in.RepositoryName)
	var out *ecrwire.BatchDeleteImageResponse
	err := a.st.Update(ctx, func(tx store.Tx) error {
		out = &ecrwire.BatchDeleteImageResponse{ImageIds: []ecrwire.ImageIdentifier{}, Failures: []ecrwire.ImageFailure{}}
		if _, err := ecrdb.Repository(tx, c.scope, repo); err != nil {
			return err
		}
		for _, id := range in.ImageIds {
			im, f := resolveID(tx, c.scope, repo, id)
			if f != nil {
				out.Failures = append(out.Failures, f.out(id))
				continue
			}
			lists, err := indexesListing(tx, c.scope, repo, im.Digest)
			if err != nil {
				return err
			}
			byTag := id.ImageDigest == nil
			if byTag && (len(im.Tags) > 1 || len(lists) > 0) {
				if _, err := ecrdb.UntagImage(tx, c.scope, repo, str(id.ImageTag)); err != nil {
					return err
				}
				out.ImageIds = append(out.ImageIds, imageID(im.Digest, str(id.ImageTag)))
				continue
			}
			if len(lists) > 0 {
				out.Failures = append(out.Failures, (&failure{failReferencedByList, reasonReferencedByList + digestList(lists)}).out(id))
				continue
			}
			if _, err := ecrdb.DeleteImage(tx, c.scope, repo, im.Digest); err != nil {
				return err
			}
			if len(im.Tags) == 0 {
				out.ImageIds = append(out.ImageIds, imageID(im.Digest, ""))
			}
			for _, t := range im.Tags {
				out.ImageIds = append(out.ImageIds, imageID(im.Digest, t))
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// indexesListing returns the repository's indexes that list digest d.
func indexesListing(tx store.ReadTx, s ecrdb.Scope, repo string, d ecr.Digest) ([]ecr.Digest, error) {
	ims, err := ecrdb.ListImages(tx, s, repo, "", 0)
	if err != nil {
		return nil, err
	}
	var out []ecr.Digest
	for _, im := range ims {
		for _, c := range im.Children {
			if c == d {
				out = append(out, im.Digest)
				break
			}
		}
	}
	return out, nil
}

func digestList(ds []ecr.Digest) string {
	s := make([]string, len(ds))
	for i, d := range ds {
		s[i] = string(d)
	}
	return "[" + strings.Join(s, ", ") + "]"
}
