package e2e

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecrsdk "github.com/aws/aws-sdk-go-v2/service/ecr"
	ecrtypes "github.com/aws/aws-sdk-go-v2/service/ecr/types"
	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/remote/transport"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/quayside/quayside/internal/servertest"
)

// ggcr is a Quayside server (APIs only) with go-containerregistry logged in
// to its registry the way `aws ecr get-login-password | docker login` does:
// Basic auth, user AWS, the password from GetAuthorizationToken.
type ggcr struct {
	t    *testing.T
	ctx  context.Context
	ecr  *ecrsdk.Client
	host string // the registry host of proxyEndpoint and repository URIs
	auth authn.Authenticator
	tr   *http.Transport
}

func newGGCR(t *testing.T) *ggcr {
	t.Helper()
	srv := servertest.Start(t)
	g := &ggcr{t: t, ctx: context.Background(), ecr: ecrsdk.NewFromConfig(srv.AWSConfig("us-east-1"))}
	out, err := g.ecr.GetAuthorizationToken(g.ctx, &ecrsdk.GetAuthorizationTokenInput{})
	if err != nil {
		t.Fatal(err)
	}
	data := out.AuthorizationData[0]
	raw, err := base64.StdEncoding.DecodeString(aws.ToString(data.AuthorizationToken))
	if err != nil {
		t.Fatalf("authorization token is not base64: %v", err)
	}
	user, pass, ok := strings.Cut(string(raw), ":")
	if !ok || user != "AWS" || pass == "" {
		t.Fatalf("authorization token decodes to %q, want AWS:<password>", raw)
	}
	g.host = strings.TrimPrefix(aws.ToString(data.ProxyEndpoint), "http://")
	g.auth = authn.FromConfig(authn.AuthConfig{Username: user, Password: pass})
	// Closing the client's spare connections first lets the server stop at
	// once (it waits for connections that never sent a request).
	g.tr = remote.DefaultTransport.(*http.Transport).Clone()
	t.Cleanup(g.tr.CloseIdleConnections)
	return g
}

// createRepo creates a repository through the ECR API and returns its URI,
// which must be on the registry host of proxyEndpoint.
func (g *ggcr) createRepo(repo string, mutability ecrtypes.ImageTagMutability) name.Repository {
	g.t.Helper()
	out, err := g.ecr.CreateRepository(g.ctx, &ecrsdk.CreateRepositoryInput{RepositoryName: aws.String(repo), ImageTagMutability: mutability})
	if err != nil {
		g.t.Fatal(err)
	}
	uri := aws.ToString(out.Repository.RepositoryUri)
	if uri != g.host+"/"+repo {
		g.t.Fatalf("repositoryUri %q, want %q", uri, g.host+"/"+repo)
	}
	// No name.Insecure: go-containerregistry, like docker, speaks plain
	// HTTP to localhost registries by itself.
	r, err := name.NewRepository(uri)
	if err != nil {
		g.t.Fatal(err)
	}
	return r
}

func (g *ggcr) opts() []remote.Option { return g.optsAs(g.auth) }

func (g *ggcr) optsAs(auth authn.Authenticator) []remote.Option {
	return []remote.Option{remote.WithAuth(auth), remote.WithContext(g.ctx), remote.WithTransport(g.tr)}
}

func (g *ggcr) describe(repo string, id ecrtypes.ImageIdentifier) (ecrtypes.ImageDetail, error) {
	out, err := g.ecr.DescribeImages(g.ctx, &ecrsdk.DescribeImagesInput{RepositoryName: aws.String(repo), ImageIds: []ecrtypes.ImageIdentifier{id}})
	if err != nil {
		return ecrtypes.ImageDetail{}, err
	}
	if len(out.ImageDetails) != 1 {
		g.t.Fatalf("DescribeImages %+v: %d details", id, len(out.ImageDetails))
	}
	return out.ImageDetails[0], nil
}

// registryError asserts that err is the registry's answer with this
// status and error code, and returns its first diagnostic.
func registryError(t *testing.T, err error, status int, code transport.ErrorCode) transport.Diagnostic {
	t.Helper()
	var terr *transport.Error
	if !errors.As(err, &terr) {
		t.Fatalf("error %v (%T), want the registry's %d %s", err, err, status, code)
	}
	if terr.StatusCode != status || len(terr.Errors) == 0 || terr.Errors[0].Code != code {
		t.Fatalf("registry answered %d %+v, want %d %s", terr.StatusCode, terr.Errors, status, code)
	}
	return terr.Errors[0]
}

func mustDigest(t *testing.T, x interface{ Digest() (v1.Hash, error) }) v1.Hash {
	t.Helper()
	d, err := x.Digest()
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// sameImage checks that got (pulled) is want (pushed): the manifest and
// config byte for byte, and every layer's digest, diff ID, media type,
// compressed bytes and uncompressed bytes.
func sameImage(t *testing.T, got, want v1.Image) {
	t.Helper()
	if g, w := mustDigest(t, got), mustDigest(t, want); g != w {
		t.Fatalf("pulled image digest %s, pushed %s", g, w)
	}
	for _, part := range []struct {
		what string
		raw  func(v1.Image) ([]byte, error)
	}{{"manifest", v1.Image.RawManifest}, {"config", v1.Image.RawConfigFile}} {
		g, err1 := part.raw(got)
		w, err2 := part.raw(want)
		if err := errors.Join(err1, err2); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(g, w) {
			t.Fatalf("pulled %s differs from the pushed one:\n%s\n%s", part.what, g, w)
		}
	}
	gl, err1 := got.Layers()
	wl, err2 := want.Layers()
	if err := errors.Join(err1, err2); err != nil {
		t.Fatal(err)
	}
	if len(gl) != len(wl) {
		t.Fatalf("pulled %d layers, pushed %d", len(gl), len(wl))
	}
	for i := range wl {
		if g, w := mustDigest(t, gl[i]), mustDigest(t, wl[i]); g != w {
			t.Fatalf("layer %d: digest %s, pushed %s", i, g, w)
		}
		gd, err1 := gl[i].DiffID()
		wd, err2 := wl[i].DiffID()
		gm, err3 := gl[i].MediaType()
		wm, err4 := wl[i].MediaType()
		if err := errors.Join(err1, err2, err3, err4); err != nil {
			t.Fatal(err)
		}
		if gd != wd || gm != wm {
			t.Fatalf("layer %d: diff ID %s media type %s, pushed %s %s", i, gd, gm, wd, wm)
		}
		for _, read := range []func(v1.Layer) (io.ReadCloser, error){v1.Layer.Compressed, v1.Layer.Uncompressed} {
			g, w := readAll(t, read, gl[i]), readAll(t, read, wl[i])
			if !bytes.Equal(g, w) {
				t.Fatalf("layer %d: pulled %d bytes that differ from the %d pushed", i, len(g), len(w))
			}
		}
	}
}

func readAll(t *testing.T, open func(v1.Layer) (io.ReadCloser, error), l v1.Layer) []byte {
	t.Helper()
	rc, err := open(l)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc) // go-containerregistry verifies the digest at EOF
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// go-containerregistry pushes a multi-layer image, pulls it back
// identical, lists tags and deletes the image by digest through the
// registry API; ECR's API sees the same images.
func TestGGCRPushPullListDelete(t *testing.T) {
	g := newGGCR(t)
	repo := g.createRepo("ggcr/app", ecrtypes.ImageTagMutabilityMutable)
	img, err := random.Image(300<<10, 4)
	if err != nil {
		t.Fatal(err)
	}
	v1ref, v2ref := repo.Tag("v1"), repo.Tag("v2")
	if err := remote.Write(v1ref, img, g.opts()...); err != nil {
		t.Fatalf("push: %v", err)
	}
	if err := remote.Tag(v2ref, img, g.opts()...); err != nil {
		t.Fatalf("tag: %v", err)
	}
	digest := mustDigest(t, img)

	pulled, err := remote.Image(v1ref, g.opts()...)
	if err != nil {
		t.Fatalf("pull: %v", err)
	}
	sameImage(t, pulled, img)
	byDigest, err := remote.Image(repo.Digest(digest.String()), g.opts()...)
	if err != nil {
		t.Fatalf("pull by digest: %v", err)
	}
	sameImage(t, byDigest, img)

	tags, err := remote.List(repo, g.opts()...)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(tags, []string{"v1", "v2"}) {
		t.Fatalf("tags %v, want [v1 v2]", tags)
	}
	detail, err := g.describe("ggcr/app", ecrtypes.ImageIdentifier{ImageTag: aws.String("v1")})
	if err != nil {
		t.Fatal(err)
	}
	manifest, _ := img.Manifest()
	var size int64
	for _, l := range manifest.Layers {
		size += l.Size
	}
	if aws.ToString(detail.ImageDigest) != digest.String() || aws.ToInt64(detail.ImageSizeInBytes) < size ||
		aws.ToString(detail.ImageManifestMediaType) != string(types.DockerManifestSchema2) {
		t.Fatalf("DescribeImages: digest %s, size %d (layers %d), media type %s; pushed %s",
			aws.ToString(detail.ImageDigest), aws.ToInt64(detail.ImageSizeInBytes), size, aws.ToString(detail.ImageManifestMediaType), digest)
	}
	if got := slices.Sorted(slices.Values(detail.ImageTags)); !slices.Equal(got, []string{"v1", "v2"}) {
		t.Fatalf("DescribeImages tags %v", got)
	}

	// The token is really checked: no credentials, or a forged password,
	// is UNAUTHORIZED.
	_, err = remote.Image(v1ref, g.optsAs(authn.Anonymous)...)
	registryError(t, err, http.StatusUnauthorized, transport.UnauthorizedErrorCode)
	forged := authn.FromConfig(authn.AuthConfig{Username: "AWS", Password: "forged-token"})
	_, err = remote.Image(v1ref, g.optsAs(forged)...)
	registryError(t, err, http.StatusUnauthorized, transport.UnauthorizedErrorCode)
	// A repository that was never created cannot be pushed to.
	missing, _ := name.NewRepository(g.host + "/ggcr/never-created")
	err = remote.Write(missing.Tag("v1"), img, g.opts()...)
	registryError(t, err, http.StatusNotFound, transport.NameUnknownErrorCode)

	// Delete by digest through the registry API: the image and both its
	// tags go.
	if err := remote.Delete(repo.Digest(digest.String()), g.opts()...); err != nil {
		t.Fatalf("delete by digest: %v", err)
	}
	_, err = remote.Image(repo.Digest(digest.String()), g.opts()...)
	registryError(t, err, http.StatusNotFound, transport.ManifestUnknownErrorCode)
	_, err = remote.Head(v1ref, g.opts()...)
	var terr *transport.Error
	if !errors.As(err, &terr) || terr.StatusCode != http.StatusNotFound {
		t.Fatalf("HEAD of a deleted image's tag: %v, want 404", err)
	}
	if tags, err := remote.List(repo, g.opts()...); err != nil || len(tags) != 0 {
		t.Fatalf("tags after delete: %v %v", tags, err)
	}
	_, err = g.describe("ggcr/app", ecrtypes.ImageIdentifier{ImageDigest: aws.String(digest.String())})
	var notFound *ecrtypes.ImageNotFoundException
	if !errors.As(err, &notFound) {
		t.Fatalf("DescribeImages of the deleted image: %v, want ImageNotFoundException", err)
	}
}

// go-containerregistry pushes a multi-platform image index with its
// images, pulls it back, and deletes it by digest.
func TestGGCRImageIndex(t *testing.T) {
	g := newGGCR(t)
	repo := g.createRepo("ggcr/multi", ecrtypes.ImageTagMutabilityMutable)
	idx, err := random.Index(100<<10, 2, 3)
	if err != nil {
		t.Fatal(err)
	}
	ref := repo.Tag("latest")
	if err := remote.WriteIndex(ref, idx, g.opts()...); err != nil {
		t.Fatalf("push index: %v", err)
	}
	digest := mustDigest(t, idx)

	desc, err := remote.Get(ref, g.opts()...)
	if err != nil {
		t.Fatal(err)
	}
	if desc.Digest != digest || desc.MediaType != types.OCIImageIndex {
		t.Fatalf("GET latest: %s %s, want %s %s", desc.Digest, desc.MediaType, digest, types.OCIImageIndex)
	}
	pulled, err := desc.ImageIndex()
	if err != nil {
		t.Fatal(err)
	}
	gotRaw, err1 := pulled.RawManifest()
	wantRaw, err2 := idx.RawManifest()
	if err := errors.Join(err1, err2); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(gotRaw, wantRaw) {
		t.Fatalf("pulled index differs:\n%s\n%s", gotRaw, wantRaw)
	}
	im, err := idx.IndexManifest()
	if err != nil {
		t.Fatal(err)
	}
	for _, child := range im.Manifests {
		got, err1 := pulled.Image(child.Digest)
		want, err2 := idx.Image(child.Digest)
		if err := errors.Join(err1, err2); err != nil {
			t.Fatal(err)
		}
		sameImage(t, got, want)
	}

	detail, err := g.describe("ggcr/multi", ecrtypes.ImageIdentifier{ImageTag: aws.String("latest")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(detail.ImageDigest) != digest.String() || aws.ToString(detail.ImageManifestMediaType) != string(types.OCIImageIndex) {
		t.Fatalf("DescribeImages latest: %s %s", aws.ToString(detail.ImageDigest), aws.ToString(detail.ImageManifestMediaType))
	}
	list, err := g.ecr.ListImages(g.ctx, &ecrsdk.ListImagesInput{RepositoryName: aws.String("ggcr/multi")})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.ImageIds) != 1+len(im.Manifests) {
		t.Fatalf("ListImages: %d images, want the index and its %d images", len(list.ImageIds), len(im.Manifests))
	}

	if err := remote.Delete(repo.Digest(digest.String()), g.opts()...); err != nil {
		t.Fatalf("delete index: %v", err)
	}
	_, err = remote.Get(ref, g.opts()...)
	registryError(t, err, http.StatusNotFound, transport.ManifestUnknownErrorCode)
	// Its images are separate images, pulled by digest as before.
	if _, err := remote.Image(repo.Digest(im.Manifests[0].Digest.String()), g.opts()...); err != nil {
		t.Fatalf("an image of the deleted index: %v", err)
	}
}

// Overwriting a tag of an IMMUTABLE repository with another image is
// refused with the registry's TAG_INVALID and ECR's message; the tag keeps
// its image, and new tags still push.
func TestGGCRImmutableTag(t *testing.T) {
	g := newGGCR(t)
	repo := g.createRepo("ggcr/locked", ecrtypes.ImageTagMutabilityImmutable)
	first, err1 := random.Image(64<<10, 2)
	second, err2 := random.Image(64<<10, 2)
	if err := errors.Join(err1, err2); err != nil {
		t.Fatal(err)
	}
	ref := repo.Tag("1.0.0")
	if err := remote.Write(ref, first, g.opts()...); err != nil {
		t.Fatalf("first push: %v", err)
	}
	err := remote.Write(ref, second, g.opts()...)
	diag := registryError(t, err, http.StatusBadRequest, transport.TagInvalidErrorCode)
	want := fmt.Sprintf("The image tag '%s' already exists in the '%s' repository and cannot be overwritten because the tag is immutable.", "1.0.0", "ggcr/locked")
	if diag.Message != want {
		t.Fatalf("message %q, want ECR's %q", diag.Message, want)
	}
	desc, err := remote.Head(ref, g.opts()...)
	if err != nil {
		t.Fatal(err)
	}
	if desc.Digest != mustDigest(t, first) {
		t.Fatalf("1.0.0 is %s after the refused push, want %s", desc.Digest, mustDigest(t, first))
	}
	if err := remote.Write(repo.Tag("1.0.1"), second, g.opts()...); err != nil {
		t.Fatalf("push of a new tag: %v", err)
	}
	pulled, err := remote.Image(repo.Tag("1.0.1"), g.opts()...)
	if err != nil {
		t.Fatal(err)
	}
	sameImage(t, pulled, second)
}
