package ecrapi_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecr"
	"github.com/aws/aws-sdk-go-v2/service/ecr/types"
)

func TestDescribeImages(t *testing.T) {
	e := newEnv(t)
	e.createRepo("web")
	before := time.Now().Add(-time.Second)
	d1, body := e.pushImage("web", "one", "v1")
	e.c.PutImage(ctx, &ecr.PutImageInput{RepositoryName: aws.String("web"), ImageManifest: aws.String(body), ImageTag: aws.String("stable")})
	d2, _ := e.pushImage("web", "two", "")

	out, err := e.c.DescribeImages(ctx, &ecr.DescribeImagesInput{RepositoryName: aws.String("web"), ImageIds: []types.ImageIdentifier{{ImageTag: aws.String("v1")}}})
	if err != nil || len(out.ImageDetails) != 1 {
		t.Fatalf("DescribeImages: %+v, %v", out, err)
	}
	im := out.ImageDetails[0]
	config, layer := imageContent("one")
	wantSize := int64(len(config) + len(layer))
	if aws.ToString(im.ImageDigest) != d1 || !slices.Equal(im.ImageTags, []string{"stable", "v1"}) ||
		aws.ToInt64(im.ImageSizeInBytes) != wantSize || im.ImagePushedAt.Before(before) ||
		aws.ToString(im.ImageManifestMediaType) != "application/vnd.docker.distribution.manifest.v2+json" ||
		aws.ToString(im.ArtifactMediaType) != "application/vnd.docker.container.image.v1+json" ||
		aws.ToString(im.RegistryId) != account || aws.ToString(im.RepositoryName) != "web" ||
		im.ImageScanStatus != nil || im.ImageScanFindingsSummary != nil || im.LastRecordedPullTime != nil {
		t.Fatalf("image detail = %+v", im)
	}

	for _, tc := range []struct {
		status types.TagStatus
		want   []string
	}{{types.TagStatusTagged, []string{d1}}, {types.TagStatusUntagged, []string{d2}}, {types.TagStatusAny, sorted(d1, d2)}} {
		out, err := e.c.DescribeImages(ctx, &ecr.DescribeImagesInput{RepositoryName: aws.String("web"), Filter: &types.DescribeImagesFilter{TagStatus: tc.status}})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, d := range out.ImageDetails {
			got = append(got, aws.ToString(d.ImageDigest))
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("filter %s: %v, want %v", tc.status, got, tc.want)
		}
	}

	_, err = e.c.DescribeImages(ctx, &ecr.DescribeImagesInput{RepositoryName: aws.String("web"), ImageIds: []types.ImageIdentifier{{ImageTag: aws.String("nope")}}})
	wantErr(t, err, "ImageNotFoundException", "The image with imageId {imageDigest:'null', imageTag:'nope'} does not exist within the repository with name 'web' in the registry with id '000000000000'")
	_, err = e.c.DescribeImages(ctx, &ecr.DescribeImagesInput{RepositoryName: aws.String("nope")})
	wantErr(t, err, "RepositoryNotFoundException", "The repository with name 'nope' does not exist in the registry with id '000000000000'")
	_, err = e.c.DescribeImages(ctx, &ecr.DescribeImagesInput{RepositoryName: aws.String("web"), MaxResults: aws.Int32(1001)})
	wantErr(t, err, "InvalidParameterException", "Invalid parameter at 'maxResults' failed to satisfy constraint: 'Member must have value less than or equal to 1000'")
}

func sorted(ss ...string) []string { slices.Sort(ss); return ss }

func TestDescribeAndListImagesPaginate(t *testing.T) {
	e := newEnv(t)
	e.createRepo("many")
	var all []string
	for i := 0; i < 5; i++ {
		tag := ""
		if i%2 == 0 {
			tag = fmt.Sprintf("t%d", i)
		}
		d, _ := e.pushImage("many", fmt.Sprint(i), tag)
		all = append(all, d)
	}
	// A second tag on the first image: ListImages lists it twice.
	body := manifest(imageContent("0"))
	e.c.PutImage(ctx, &ecr.PutImageInput{RepositoryName: aws.String("many"), ImageManifest: aws.String(body), ImageTag: aws.String("t0b")})
	slices.Sort(all)

	var got []string
	p := ecr.NewDescribeImagesPaginator(e.c, &ecr.DescribeImagesInput{RepositoryName: aws.String("many"), MaxResults: aws.Int32(2)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(page.ImageDetails) > 2 {
			t.Fatalf("page of %d", len(page.ImageDetails))
		}
		for _, d := range page.ImageDetails {
			got = append(got, aws.ToString(d.ImageDigest))
		}
	}
	if !slices.Equal(got, all) {
		t.Fatalf("DescribeImages pages: %v, want %v", got, all)
	}

	for _, tc := range []struct {
		status types.TagStatus
		want   int
	}{{types.TagStatusAny, 6}, {types.TagStatusTagged, 4}, {types.TagStatusUntagged, 2}} {
		var ids []string
		p := ecr.NewListImagesPaginator(e.c, &ecr.ListImagesInput{RepositoryName: aws.String("many"), MaxResults: aws.Int32(1), Filter: &types.ListImagesFilter{TagStatus: tc.status}})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, id := range page.ImageIds {
				ids = append(ids, aws.ToString(id.ImageDigest)+":"+aws.ToString(id.ImageTag))
			}
		}
		if len(ids) != tc.want || len(slices.Compact(slices.Clone(ids))) != tc.want {
			t.Errorf("ListImages %s: %d ids %v, want %d distinct", tc.status, len(ids), ids, tc.want)
		}
	}
}

func TestBatchGetImage(t *testing.T) {
	e := newEnv(t)
	e.createRepo("web")
	d, body := e.pushImage("web", "one", "v1")
	out, err := e.c.BatchGetImage(ctx, &ecr.BatchGetImageInput{RepositoryName: aws.String("web"), ImageIds: []types.ImageIdentifier{
		{ImageTag: aws.String("v1")}, {ImageDigest: aws.String(d)}, {ImageTag: aws.String("nope")}, {},
		{ImageDigest: aws.String("sha256:bad")}, {ImageDigest: aws.String(d), ImageTag: aws.String("other")},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Images) != 2 || aws.ToString(out.Images[0].ImageManifest) != body ||
		aws.ToString(out.Images[0].ImageId.ImageTag) != "v1" || aws.ToString(out.Images[0].ImageId.ImageDigest) != d ||
		aws.ToString(out.Images[0].ImageManifestMediaType) != "application/vnd.docker.distribution.manifest.v2+json" ||
		out.Images[1].ImageId.ImageTag != nil {
		t.Fatalf("images = %+v", out.Images)
	}
	want := []struct{ code, reason string }{
		{"ImageNotFound", "Requested image not found"},
		{"MissingDigestAndTag", "Invalid request parameters: both tag and digest cannot be null"},
		{"InvalidImageDigest", "Invalid request parameters: image digest should satisfy the regex '[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+'"},
		{"ImageTagDoesNotMatchDigest", "Invalid request parameters: given tag and digest do not match"},
	}
	if len(out.Failures) != len(want) {
		t.Fatalf("failures = %+v", out.Failures)
	}
	for i, w := range want {
		if f := out.Failures[i]; string(f.FailureCode) != w.code || aws.ToString(f.FailureReason) != w.reason {
			t.Errorf("failure %d = %s %q, want %s %q", i, f.FailureCode, aws.ToString(f.FailureReason), w.code, w.reason)
		}
	}
	// Asking for a media type the image is not in fails it: Quayside does
	// not convert manifests.
	out, err = e.c.BatchGetImage(ctx, &ecr.BatchGetImageInput{RepositoryName: aws.String("web"), ImageIds: []types.ImageIdentifier{{ImageTag: aws.String("v1")}},
		AcceptedMediaTypes: []string{"application/vnd.oci.image.manifest.v1+json"}})
	if err != nil || len(out.Images) != 0 || len(out.Failures) != 1 {
		t.Fatalf("accepted media types: %+v, %v", out, err)
	}
	// BatchGetImage is a pull: it records the pull time.
	di, err := e.c.DescribeImages(ctx, &ecr.DescribeImagesInput{RepositoryName: aws.String("web")})
	if err != nil || di.ImageDetails[0].LastRecordedPullTime == nil || time.Since(*di.ImageDetails[0].LastRecordedPullTime) > time.Minute {
		t.Fatalf("lastRecordedPullTime after BatchGetImage: %+v, %v", di, err)
	}
	_, err = e.c.BatchGetImage(ctx, &ecr.BatchGetImageInput{RepositoryName: aws.String("nope"), ImageIds: []types.ImageIdentifier{{ImageTag: aws.String("v1")}}})
	wantErr(t, err, "RepositoryNotFoundException", "")
}
