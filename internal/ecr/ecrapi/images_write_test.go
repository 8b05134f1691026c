package ecrapi_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecr"
	"github.com/aws/aws-sdk-go-v2/service/ecr/types"
)

func TestPutImage(t *testing.T) {
	e := newEnv(t)
	e.createRepo("web")
	d, body := e.pushImage("web", "one", "v1")
	if d != digestOf([]byte(body)) {
		t.Fatalf("digest %s, want the manifest's sha256", d)
	}
	_, err := e.c.PutImage(ctx, &ecr.PutImageInput{RepositoryName: aws.String("web"), ImageManifest: aws.String(body), ImageTag: aws.String("v1")})
	wantErr(t, err, "ImageAlreadyExistsException", fmt.Sprintf("Image with digest '%s' and tag 'v1' already exists in the repository with name 'web' in registry with id '000000000000'", d))
	_, err = e.c.PutImage(ctx, &ecr.PutImageInput{RepositoryName: aws.String("web"), ImageManifest: aws.String(body)})
	wantErr(t, err, "ImageAlreadyExistsException", fmt.Sprintf("Image with digest '%s' and tag 'null' already exists in the repository with name 'web' in registry with id '000000000000'", d))
	// A new tag for the same manifest is fine, and says which tag.
	out, err := e.c.PutImage(ctx, &ecr.PutImageInput{RepositoryName: aws.String("web"), ImageManifest: aws.String(body), ImageTag: aws.String("v1.0"),
		ImageManifestMediaType: aws.String("application/vnd.docker.distribution.manifest.v2+json"), ImageDigest: aws.String(d)})
	if err != nil || aws.ToString(out.Image.ImageId.ImageTag) != "v1.0" || aws.ToString(out.Image.ImageManifest) != body ||
		aws.ToString(out.Image.RegistryId) != account || aws.ToString(out.Image.RepositoryName) != "web" {
		t.Fatalf("PutImage with a new tag: %+v, %v", out, err)
	}
	_, err = e.c.PutImage(ctx, &ecr.PutImageInput{RepositoryName: aws.String("web"), ImageManifest: aws.String(body), ImageTag: aws.String("x"),
		ImageDigest: aws.String("sha256:" + fmt.Sprintf("%064d", 0))})
	wantErr(t, err, "ImageDigestDoesNotMatchException", "The specified image digest does not match the digest that Amazon ECR calculated for the image.")

	missing := []byte("never uploaded")
	config, _ := imageContent("one")
	_, err = e.c.PutImage(ctx, &ecr.PutImageInput{RepositoryName: aws.String("web"), ImageManifest: aws.String(manifest(config, missing)), ImageTag: aws.String("v2")})
	wantErr(t, err, "LayersNotFoundException", fmt.Sprintf("Layers with digests '[%s]' required for pushing image into repository with name 'web' in the registry with id '000000000000' do not exist", digestOf(missing)))
	_, err = e.c.PutImage(ctx, &ecr.PutImageInput{RepositoryName: aws.String("web"), ImageManifest: aws.String(`{"schemaVersion":2`), ImageTag: aws.String("v2")})
	wantErr(t, err, "InvalidParameterException", "")
	_, err = e.c.PutImage(ctx, &ecr.PutImageInput{RepositoryName: aws.String("web"), ImageManifest: aws.String(`{"schemaVersion":1,"fsLayers":[]}`)})
	wantErr(t, err, "UnsupportedImageTypeException", "")
	_, err = e.c.PutImage(ctx, &ecr.PutImageInput{RepositoryName: aws.String("nope"), ImageManifest: aws.String(body)})
	wantErr(t, err, "RepositoryNotFoundException", "")

	// An index whose manifests are missing.
	index := fmt.Sprintf(`{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%064d","size":10}]}`, 1)
	_, err = e.c.PutImage(ctx, &ecr.PutImageInput{RepositoryName: aws.String("web"), ImageManifest: aws.String(index), ImageTag: aws.String("multi")})
	wantErr(t, err, "ReferencedImagesNotFoundException", fmt.Sprintf("Images with digests '[sha256:%064d]' required for pushing image into repository with name 'web' in the registry with id '000000000000' do not exist", 1))
}

func TestBatchDeleteImage(t *testing.T) {
	e := newEnv(t)
	e.createRepo("web")
	d1, body := e.pushImage("web", "one", "v1")
	e.c.PutImage(ctx, &ecr.PutImageInput{RepositoryName: aws.String("web"), ImageManifest: aws.String(body), ImageTag: aws.String("stable")})
	d2, _ := e.pushImage("web", "two", "only")
	d3, _ := e.pushImage("web", "three", "")

	del := func(ids ...types.ImageIdentifier) *ecr.BatchDeleteImageOutput {
		t.Helper()
		out, err := e.c.BatchDeleteImage(ctx, &ecr.BatchDeleteImageInput{RepositoryName: aws.String("web"), ImageIds: ids})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	ids := func(out *ecr.BatchDeleteImageOutput) []string {
		var s []string
		for _, id := range out.ImageIds {
			s = append(s, aws.ToString(id.ImageDigest)+"/"+aws.ToString(id.ImageTag))
		}
		return s
	}
	// Removing one of two tags leaves the image.
	out := del(types.ImageIdentifier{ImageTag: aws.String("stable")})
	if got := ids(out); !slices.Equal(got, []string{d1 + "/stable"}) || len(out.Failures) != 0 {
		t.Fatalf("untag: %v %+v", got, out.Failures)
	}
	// Removing the last tag deletes the image, as on ECR.
	out = del(types.ImageIdentifier{ImageTag: aws.String("only")}, types.ImageIdentifier{ImageDigest: aws.String(d3)},
		types.ImageIdentifier{ImageTag: aws.String("gone")}, types.ImageIdentifier{ImageDigest: aws.String("nodigest")}, types.ImageIdentifier{})
	if got := ids(out); !slices.Equal(got, []string{d2 + "/only", d3 + "/"}) {
		t.Fatalf("deleted %v", got)
	}
	var codes []string
	for _, f := range out.Failures {
		codes = append(codes, string(f.FailureCode)+": "+aws.ToString(f.FailureReason))
	}
	want := []string{
		"ImageNotFound: Requested image not found",
		"InvalidImageDigest: Invalid request parameters: image digest should satisfy the regex '[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+'",
		"MissingDigestAndTag: Invalid request parameters: both tag and digest cannot be null",
	}
	if !slices.Equal(codes, want) {
		t.Fatalf("failures %q", codes)
	}
	left, err := e.c.ListImages(ctx, &ecr.ListImagesInput{RepositoryName: aws.String("web")})
	if err != nil || len(left.ImageIds) != 1 || aws.ToString(left.ImageIds[0].ImageDigest) != d1 {
		t.Fatalf("left: %+v, %v", left, err)
	}
	// Deleting by digest removes every tag.
	out = del(types.ImageIdentifier{ImageDigest: aws.String(d1)})
	if got := ids(out); !slices.Equal(got, []string{d1 + "/v1"}) {
		t.Fatalf("by digest: %v", got)
	}
	_, err = e.c.BatchDeleteImage(ctx, &ecr.BatchDeleteImageInput{RepositoryName: aws.String("nope"), ImageIds: []types.ImageIdentifier{{ImageTag: aws.String("x")}}})
	wantErr(t, err, "RepositoryNotFoundException", "")
}

// An image an index lists cannot be deleted before the index.
func TestBatchDeleteImageListedByIndex(t *testing.T) {
	e := newEnv(t)
	e.createRepo("multi")
	child, body := e.pushImage("multi", "amd64", "")
	index := fmt.Sprintf(`{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.docker.distribution.manifest.v2+json","digest":%q,"size":%d,"platform":{"architecture":"amd64","os":"linux"}}]}`, child, len(body))
	idx, err := e.c.PutImage(ctx, &ecr.PutImageInput{RepositoryName: aws.String("multi"), ImageManifest: aws.String(index), ImageTag: aws.String("latest")})
	if err != nil {
		t.Fatal(err)
	}
	out, err := e.c.BatchDeleteImage(ctx, &ecr.BatchDeleteImageInput{RepositoryName: aws.String("multi"), ImageIds: []types.ImageIdentifier{{ImageDigest: aws.String(child)}}})
	if err != nil || len(out.Failures) != 1 || out.Failures[0].FailureCode != types.ImageFailureCodeImageReferencedByManifestList ||
		aws.ToString(out.Failures[0].FailureReason) != "Requested image referenced by manifest list: ["+aws.ToString(idx.Image.ImageId.ImageDigest)+"]" {
		t.Fatalf("delete of a listed image: %+v, %v", out, err)
	}
	di, err := e.c.DescribeImages(ctx, &ecr.DescribeImagesInput{RepositoryName: aws.String("multi"), ImageIds: []types.ImageIdentifier{{ImageTag: aws.String("latest")}}})
	if err != nil || aws.ToString(di.ImageDetails[0].ImageManifestMediaType) != "application/vnd.oci.image.index.v1+json" {
		t.Fatalf("index: %+v, %v", di, err)
	}
	out, err = e.c.BatchDeleteImage(ctx, &ecr.BatchDeleteImageInput{RepositoryName: aws.String("multi"), ImageIds: []types.ImageIdentifier{{ImageTag: aws.String("latest")}, {ImageDigest: aws.String(child)}}})
	if err != nil || len(out.Failures) != 0 || len(out.ImageIds) != 2 {
		t.Fatalf("index then child: %+v, %v", out, err)
	}
}
