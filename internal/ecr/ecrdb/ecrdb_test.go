package ecrdb

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/quayside/quayside/internal/ecr"
	"github.com/quayside/quayside/internal/store"
	"github.com/quayside/quayside/internal/store/boltstore"
)

var (
	sc  = Scope{Region: "us-east-1", Account: "000000000000"}
	now = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
)

func openStore(t *testing.T) store.Store {
	t.Helper()
	st, err := boltstore.Open(filepath.Join(t.TempDir(), "q.db"), boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func update(t *testing.T, st store.Store, fn func(tx store.Tx) error) error {
	t.Helper()
	return st.Update(context.Background(), fn)
}

func mustUpdate(t *testing.T, st store.Store, fn func(tx store.Tx) error) {
	t.Helper()
	if err := update(t, st, fn); err != nil {
		t.Fatal(err)
	}
}

func repo(t *testing.T, st store.Store, name string, m ecr.TagMutability) ecr.Repository {
	t.Helper()
	r, err := ecr.NewRepository{Region: sc.Region, Account: sc.Account, Name: name, ImageTagMutability: m}.Build(now)
	if err != nil {
		t.Fatal(err)
	}
	mustUpdate(t, st, func(tx store.Tx) error { return CreateRepository(tx, sc, r) })
	return r
}

func blobDigest(s string) ecr.Digest { return ecr.FromBytes(ecr.SHA256, []byte(s)) }

// manifest builds an image manifest over blobs named by strings.
func manifest(t *testing.T, config string, layers ...string) (*ecr.Manifest, []byte, ecr.Digest) {
	t.Helper()
	var ls []string
	for _, l := range layers {
		ls = append(ls, fmt.Sprintf(`{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":%q,"size":%d}`, blobDigest(l), len(l)))
	}
	body := []byte(fmt.Sprintf(`{"schemaVersion":2,"mediaType":%q,"config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":%q,"size":%d},"layers":[%s]}`,
		ecr.MediaTypeOCIManifest, blobDigest(config), len(config), strings.Join(ls, ",")))
	m, err := ecr.ParseManifest("", body)
	if err != nil {
		t.Fatal(err)
	}
	return m, body, ecr.FromBytes(ecr.SHA256, body)
}

func link(t *testing.T, st store.Store, repoName string, blobs ...string) {
	t.Helper()
	mustUpdate(t, st, func(tx store.Tx) error {
		for _, b := range blobs {
			if _, err := LinkBlob(tx, sc, repoName, blobDigest(b), int64(len(b)), now); err != nil {
				return err
			}
		}
		return nil
	})
}

func put(t *testing.T, st store.Store, r ecr.Repository, m *ecr.Manifest, body []byte, d ecr.Digest, tags ...string) (im ecr.Image, err error) {
	err = update(t, st, func(tx store.Tx) error {
		im, _, err = PutImage(tx, sc, PutImageInput{Repository: r, Digest: d, Manifest: m, Body: body, Tags: tags, Now: now})
		return err
	})
	return im, err
}

func view[T any](t *testing.T, st store.Store, fn func(tx store.ReadTx) (T, error)) T {
	t.Helper()
	var v T
	err := st.View(context.Background(), func(tx store.ReadTx) (err error) { v, err = fn(tx); return err })
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestPutImageNeedsLinkedBlobs(t *testing.T) {
	st := openStore(t)
	r := repo(t, st, "web", ecr.Mutable)
	m, body, d := manifest(t, "cfg", "l1", "l2")
	link(t, st, "web", "cfg", "l1")
	_, err := put(t, st, r, m, body, d, "v1")
	var missing *ecr.MissingContent
	if !errors.Is(err, ecr.ErrLayersNotFound) || !errors.As(err, &missing) || missing.Digests[0] != blobDigest("l2") {
		t.Fatalf("PutImage = %v, want ErrLayersNotFound for l2", err)
	}
	link(t, st, "web", "l2")
	im, err := put(t, st, r, m, body, d, "v1")
	if err != nil {
		t.Fatal(err)
	}
	if im.SizeInBytes != 3+2+2 || im.ArtifactMediaType != "application/vnd.oci.image.config.v1+json" || len(im.Tags) != 1 {
		t.Fatalf("image = %+v", im)
	}
	l := view(t, st, func(tx store.ReadTx) (ecr.BlobLink, error) { return GetBlobLink(tx, sc, "web", blobDigest("l1")) })
	if l.Refs != 1 {
		t.Fatalf("refs = %d, want 1", l.Refs)
	}
	// A second push of the same manifest counts no second reference.
	if _, err := put(t, st, r, m, body, d, "v2"); err != nil {
		t.Fatal(err)
	}
	l = view(t, st, func(tx store.ReadTx) (ecr.BlobLink, error) { return GetBlobLink(tx, sc, "web", blobDigest("l1")) })
	if l.Refs != 1 {
		t.Fatalf("refs after re-push = %d, want 1", l.Refs)
	}
	if err := update(t, st, func(tx store.Tx) error { return UnlinkBlob(tx, sc, "web", blobDigest("l1")) }); !errors.Is(err, ecr.ErrLayerInUse) {
		t.Fatalf("UnlinkBlob of a referenced blob = %v", err)
	}
	mustUpdate(t, st, func(tx store.Tx) error { _, err := DeleteImage(tx, sc, "web", d); return err })
	tags, _ := view2(t, st, "web")
	if len(tags) != 0 {
		t.Fatalf("tags after delete = %v", tags)
	}
	mustUpdate(t, st, func(tx store.Tx) error { return UnlinkBlob(tx, sc, "web", blobDigest("l1")) })
}

func view2(t *testing.T, st store.Store, repoName string) ([]string, bool) {
	t.Helper()
	var tags []string
	var more bool
	err := st.View(context.Background(), func(tx store.ReadTx) (err error) {
		tags, more, err = ListTags(tx, sc, repoName, "", 0)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return tags, more
}

func TestTagsMoveAndImmutability(t *testing.T) {
	tests := []struct {
		name      string
		m         ecr.TagMutability
		sameAgain bool // push the first image again under the same tag
		wantErr   error
	}{
		{"mutable moves", ecr.Mutable, false, nil},
		{"mutable same digest", ecr.Mutable, true, nil},
		{"immutable refuses", ecr.Immutable, false, ecr.ErrImageTagAlreadyExists},
		{"immutable refuses same digest, as ECR", ecr.Immutable, true, ecr.ErrImageTagAlreadyExists},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := openStore(t)
			r := repo(t, st, "app", tt.m)
			link(t, st, "app", "c1", "c2", "l")
			m1, b1, d1 := manifest(t, "c1", "l")
			m2, b2, d2 := manifest(t, "c2", "l")
			if _, err := put(t, st, r, m1, b1, d1, "v1"); err != nil {
				t.Fatal(err)
			}
			m, b, d := m2, b2, d2
			if tt.sameAgain {
				m, b, d = m1, b1, d1
			}
			_, err := put(t, st, r, m, b, d, "v1")
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("second push = %v, want %v", err, tt.wantErr)
			}
			if tt.wantErr != nil {
				if msg := err.Error(); msg != "The image tag 'v1' already exists in the 'app' repository and cannot be overwritten because the tag is immutable." {
					t.Fatalf("message = %q", msg)
				}
				return
			}
			im1 := view(t, st, func(tx store.ReadTx) (ecr.Image, error) { return GetImage(tx, sc, "app", d1) })
			cur := view(t, st, func(tx store.ReadTx) (ecr.Image, error) { return ResolveImage(tx, sc, "app", "v1") })
			if cur.Digest != d {
				t.Fatalf("v1 names %s, want %s", cur.Digest, d)
			}
			if !tt.sameAgain && len(im1.Tags) != 0 {
				t.Fatalf("old image keeps tags %v", im1.Tags)
			}
		})
	}
}

func TestIndexAndReferrers(t *testing.T) {
	st := openStore(t)
	r := repo(t, st, "multi", ecr.Mutable)
	link(t, st, "multi", "c", "big-layer", "c2")
	m1, b1, d1 := manifest(t, "c", "big-layer")
	if _, err := put(t, st, r, m1, b1, d1); err != nil {
		t.Fatal(err)
	}
	idxBody := []byte(fmt.Sprintf(`{"schemaVersion":2,"mediaType":%q,"manifests":[{"mediaType":%q,"digest":%q,"size":%d},{"mediaType":%q,"digest":%q,"size":1}]}`,
		ecr.MediaTypeOCIIndex, ecr.MediaTypeOCIManifest, d1, len(b1), ecr.MediaTypeOCIManifest, blobDigest("absent")))
	idx, err := ecr.ParseManifest("", idxBody)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := put(t, st, r, idx, idxBody, ecr.FromBytes(ecr.SHA256, idxBody), "multi"); !errors.Is(err, ecr.ErrReferencedImagesNotFound) {
		t.Fatalf("index with missing child = %v", err)
	}
	idxBody = []byte(fmt.Sprintf(`{"schemaVersion":2,"mediaType":%q,"manifests":[{"mediaType":%q,"digest":%q,"size":%d}]}`, ecr.MediaTypeOCIIndex, ecr.MediaTypeOCIManifest, d1, len(b1)))
	idx, _ = ecr.ParseManifest("", idxBody)
	im, err := put(t, st, r, idx, idxBody, ecr.FromBytes(ecr.SHA256, idxBody), "multi")
	if err != nil {
		t.Fatal(err)
	}
	if im.SizeInBytes != int64(len("c")+len("big-layer")) {
		t.Fatalf("index size = %d, want the largest child's", im.SizeInBytes)
	}
	// A referrer of d1.
	sigBody := []byte(fmt.Sprintf(`{"schemaVersion":2,"mediaType":%q,"artifactType":"application/x.sig","config":{"mediaType":"application/vnd.oci.empty.v1+json","digest":%q,"size":2},"layers":[],"subject":{"mediaType":%q,"digest":%q,"size":%d}}`,
		ecr.MediaTypeOCIManifest, blobDigest("c2"), ecr.MediaTypeOCIManifest, d1, len(b1)))
	sig, err := ecr.ParseManifest("", sigBody)
	if err != nil {
		t.Fatal(err)
	}
	sd := ecr.FromBytes(ecr.SHA256, sigBody)
	if _, err := put(t, st, r, sig, sigBody, sd); err != nil {
		t.Fatal(err)
	}
	refs := view(t, st, func(tx store.ReadTx) ([]ecr.Descriptor, error) { return ListReferrers(tx, sc, "multi", d1) })
	if len(refs) != 1 || refs[0].Digest != sd || refs[0].ArtifactType != "application/x.sig" {
		t.Fatalf("referrers = %+v", refs)
	}
	mustUpdate(t, st, func(tx store.Tx) error { _, err := DeleteImage(tx, sc, "multi", sd); return err })
	refs = view(t, st, func(tx store.ReadTx) ([]ecr.Descriptor, error) { return ListReferrers(tx, sc, "multi", d1) })
	if len(refs) != 0 {
		t.Fatalf("referrers after delete = %+v", refs)
	}
}

func TestNestedNamesStayApart(t *testing.T) {
	st := openStore(t)
	web := repo(t, st, "web", ecr.Mutable)
	api := repo(t, st, "web/api", ecr.Mutable)
	link(t, st, "web", "c", "l")
	link(t, st, "web/api", "c", "l")
	m, b, d := manifest(t, "c", "l")
	if _, err := put(t, st, web, m, b, d, "a"); err != nil {
		t.Fatal(err)
	}
	if _, err := put(t, st, api, m, b, d, "b"); err != nil {
		t.Fatal(err)
	}
	tags, _ := view2(t, st, "web")
	if len(tags) != 1 || tags[0] != "a" {
		t.Fatalf("web tags = %v", tags)
	}
	imgs := view(t, st, func(tx store.ReadTx) ([]ecr.Image, error) { return ListImages(tx, sc, "web", "", 0) })
	if len(imgs) != 1 {
		t.Fatalf("web images = %d", len(imgs))
	}
	holders := view(t, st, func(tx store.ReadTx) ([]Holder, error) { return BlobHolders(tx, blobDigest("l"), Scope{}) })
	if len(holders) != 2 {
		t.Fatalf("holders = %+v", holders)
	}
}

func TestDeleteRepository(t *testing.T) {
	st := openStore(t)
	r := repo(t, st, "gone", ecr.Mutable)
	link(t, st, "gone", "c", "l")
	m, b, d := manifest(t, "c", "l")
	if _, err := put(t, st, r, m, b, d, "v1"); err != nil {
		t.Fatal(err)
	}
	mustUpdate(t, st, func(tx store.Tx) error {
		return PutUpload(tx, sc, ecr.Upload{ID: "u1", Repository: "gone", StartedAt: now, UpdatedAt: now})
	})
	err := update(t, st, func(tx store.Tx) error { _, err := DeleteRepository(tx, sc, "gone", false); return err })
	if !errors.Is(err, ecr.ErrRepositoryNotEmpty) {
		t.Fatalf("DeleteRepository without force = %v", err)
	}
	mustUpdate(t, st, func(tx store.Tx) error { _, err := DeleteRepository(tx, sc, "gone", true); return err })
	for _, table := range []string{Repositories, Images, Tags, Blobs, BlobLinks, Uploads, Referrers} {
		n := view(t, st, func(tx store.ReadTx) (int, error) {
			n := 0
			err := tx.Scan(table, "", "", func(string, []byte) error { n++; return nil })
			return n, err
		})
		if n != 0 {
			t.Errorf("%s keeps %d rows", table, n)
		}
	}
	err = st.View(context.Background(), func(tx store.ReadTx) error { _, err := Repository(tx, sc, "gone"); return err })
	if !errors.Is(err, ecr.ErrRepositoryNotFound) || err.Error() != "The repository with name 'gone' does not exist in the registry with id '000000000000'" {
		t.Fatalf("Repository after delete = %v", err)
	}
}
