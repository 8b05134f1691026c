package ecrapi

import (
	"context"
	"errors"
	"slices"

	"github.com/quayside/quayside/internal/ecr"
	"github.com/quayside/quayside/internal/ecr/ecrdb"
	"github.com/quayside/quayside/internal/protocol/awsjson"
	"github.com/quayside/quayside/internal/store"
	"github.com/quayside/quayside/internal/wire"
	"github.com/quayside/quayside/internal/wire/ecrwire"
)

type (
	describeImagesIn struct {
		ecrwire.DescribeImagesRequest
		unchecked
	}
	listImagesIn struct {
		ecrwire.ListImagesRequest
		unchecked
	}
	batchGetImageIn struct {
		ecrwire.BatchGetImageRequest
		unchecked
	}
)

func (a *API) mountImages(s *awsjson.Service) {
	handle(a, s, "DescribeImages", a.describeImages)
	handle(a, s, "ListImages", a.listImages)
	handle(a, s, "BatchGetImage", a.batchGetImage)
	handle(a, s, "PutImage", a.putImage)
	handle(a, s, "BatchDeleteImage", a.batchDeleteImage)
}

// tagFilter is a tagStatus filter (TAGGED, UNTAGGED, ANY or none).
func tagFilter(status *string) func(ecr.Image) bool {
	switch str(status) {
	case "TAGGED":
		return func(im ecr.Image) bool { return len(im.Tags) > 0 }
	case "UNTAGGED":
		return func(im ecr.Image) bool { return len(im.Tags) == 0 }
	}
	return func(ecr.Image) bool { return true }
}

func (a *API) describeImages(ctx context.Context, c *call, in *describeImagesIn) (*ecrwire.DescribeImagesResponse, error) {
	keep := func(ecr.Image) bool { return true }
	if f := in.Filter; f != nil {
		keep = tagFilter(f.TagStatus)
		if st := str(f.ImageStatus); st == "ARCHIVED" || st == "ACTIVATING" {
			keep = func(ecr.Image) bool { return false } // Quayside archives nothing
		}
	}
	repo := str(in.RepositoryName)
	out := &ecrwire.DescribeImagesResponse{ImageDetails: []ecrwire.ImageDetail{}}
	if len(in.ImageIds) > 0 {
		if in.MaxResults != nil || in.NextToken != nil {
			return nil, ecr.InvalidParameter("maxResults", "maxResults and nextToken cannot be used with imageIds")
		}
		err := a.st.View(ctx, func(tx store.ReadTx) error {
			if _, err := ecrdb.Repository(tx, c.scope, repo); err != nil {
				return err
			}
			seen := map[ecr.Digest]bool{}
			for _, id := range in.ImageIds {
				im, f := resolveID(tx, c.scope, repo, id)
				if f != nil {
					return f.exception(c, repo, id)
				}
				if !seen[im.Digest] && keep(im) {
					seen[im.Digest] = true
					out.ImageDetails = append(out.ImageDetails, imageDetail(im))
				}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		return out, nil
	}
	after, err := decodeToken(tokImages, in.NextToken)
	if err != nil {
		return nil, err
	}
	var page []ecr.Image
	var more bool
	err = a.st.View(ctx, func(tx store.ReadTx) (err error) {
		if _, err := ecrdb.Repository(tx, c.scope, repo); err != nil {
			return err
		}
		page, more, err = pageImages(tx, c.scope, repo, ecr.Digest(after), pageSize(in.MaxResults), keep)
		return err
	})
	if err != nil {
		return nil, err
	}
	for _, im := range page {
		out.ImageDetails = append(out.ImageDetails, imageDetail(im))
	}
	if more {
		out.NextToken = encodeToken(tokImages, string(page[len(page)-1].Digest))
	}
	return out, nil
}

// pageImages returns up to n images after the given digest that keep
// accepts, in digest order, reading the repository in batches; more
// reports whether accepted images remain.
func pageImages(tx store.ReadTx, s ecrdb.Scope, repo string, after ecr.Digest, n int, keep func(ecr.Image) bool) (page []ecr.Image, more bool, err error) {
	const batch = 256
	for {
		ims, err := ecrdb.ListImages(tx, s, repo, after, batch)
		if err != nil {
			return nil, false, err
		}
		for _, im := range ims {
			if !keep(im) {
				continue
			}
			if len(page) == n {
				return page, true, nil
			}
			page = append(page, im)
		}
		if len(ims) < batch {
			return page, false, nil
		}
		after = ims[len(ims)-1].Digest
	}
}

// listImages lists image IDs: one per tag of a tagged image, one without
// a tag for an untagged image, in digest then tag order.
func (a *API) listImages(ctx context.Context, c *call, in *listImagesIn) (*ecrwire.ListImagesResponse, error) {
	var status *string
	if in.Filter != nil {
		status = in.Filter.TagStatus
	}
	key, err := decodeToken(tokImageIDs, in.NextToken)
	if err != nil {
		return nil, err
	}
	n := pageSize(in.MaxResults)
	repo := str(in.RepositoryName)
	out := &ecrwire.ListImagesResponse{ImageIds: []ecrwire.ImageIdentifier{}}
	full := false
	err = a.st.View(ctx, func(tx store.ReadTx) error {
		if _, err := ecrdb.Repository(tx, c.scope, repo); err != nil {
			return err
		}
		lastDigest, lastTag := splitIDKey(key)
		add := func(im ecr.Image, skipTo string) bool {
			ids := []string{""}
			if len(im.Tags) > 0 {
				ids = im.Tags
			}
			for _, t := range ids {
				if skipTo != "" && t <= skipTo {
					continue
				}
				if len(out.ImageIds) == n {
					full = true
					return false
				}
				out.ImageIds = append(out.ImageIds, imageID(im.Digest, t))
			}
			return true
		}
		keep := tagFilter(status)
		if lastDigest != "" && lastTag != "" {
			if im, err := ecrdb.GetImage(tx, c.scope, repo, ecr.Digest(lastDigest)); err == nil && keep(im) {
				add(im, lastTag)
			} else if err != nil && !ecrdb.IsNotFound(err) {
				return err
			}
		}
		after := ecr.Digest(lastDigest)
		for !full {
			ims, more, err := pageImages(tx, c.scope, repo, after, n, keep)
			if err != nil {
				return err
			}
			for _, im := range ims {
				if !add(im, "") {
					break
				}
			}
			if !more || len(ims) == 0 {
				break
			}
			after = ims[len(ims)-1].Digest
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if full {
		last := out.ImageIds[len(out.ImageIds)-1]
		out.NextToken = encodeToken(tokImageIDs, str(last.ImageDigest)+"/"+str(last.ImageTag))
	}
	return out, nil
}

func splitIDKey(key string) (digest, tag string) {
	for i := len(key) - 1; i >= 0; i-- {
		if key[i] == '/' {
			return key[:i], key[i+1:]
		}
	}
	return key, ""
}

func (a *API) batchGetImage(ctx context.Context, c *call, in *batchGetImageIn) (*ecrwire.BatchGetImageResponse, error) {
	repo := str(in.RepositoryName)
	out := &ecrwire.BatchGetImageResponse{Images: []ecrwire.Image{}, Failures: []ecrwire.ImageFailure{}}
	var pulled []ecr.Digest
	err := a.st.View(ctx, func(tx store.ReadTx) error {
		out.Images, out.Failures, pulled = out.Images[:0], out.Failures[:0], nil
		if _, err := ecrdb.Repository(tx, c.scope, repo); err != nil {
			return err
		}
		for _, id := range in.ImageIds {
			im, f := resolveID(tx, c.scope, repo, id)
			if f == nil && len(in.AcceptedMediaTypes) > 0 && !slices.Contains(in.AcceptedMediaTypes, im.ManifestMediaType) {
				// Quayside does not convert manifests between formats.
				f = &failure{"UnsupportedImageType", "The image's manifest media type " + im.ManifestMediaType + " is not among the accepted media types, and Quayside does not convert manifests"}
			}
			if f != nil {
				out.Failures = append(out.Failures, f.out(id))
				continue
			}
			pulled = append(pulled, im.Digest)
			out.Images = append(out.Images, ecrwire.Image{
				RegistryId: c.registryID(), RepositoryName: wire.String(repo),
				ImageId:                &ecrwire.ImageIdentifier{ImageDigest: wire.String(string(im.Digest)), ImageTag: id.ImageTag},
				ImageManifest:          wire.String(string(im.Manifest)),
				ImageManifestMediaType: wire.String(im.ManifestMediaType),
			})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	// BatchGetImage is how ECR's clients pull: it sets lastRecordedPullTime.
	for _, d := range pulled {
		if _, err := a.reg.GetManifest(ctx, c.scope, repo, string(d), true); err != nil && !errors.Is(err, ecr.ErrImageNotFound) {
			return nil, err
		}
	}
	return out, nil
}
