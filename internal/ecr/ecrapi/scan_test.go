package ecrapi_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecr"
	"github.com/aws/aws-sdk-go-v2/service/ecr/types"
)

// Quayside has no scanner: scans are recorded and reported honestly as
// UNSUPPORTED_IMAGE, and never with findings.
func TestScanning(t *testing.T) {
	e := newEnv(t)
	e.createRepo("web")
	d, _ := e.pushImage("web", "one", "v1")
	_, err := e.c.DescribeImageScanFindings(ctx, &ecr.DescribeImageScanFindingsInput{RepositoryName: aws.String("web"), ImageId: &types.ImageIdentifier{ImageTag: aws.String("v1")}})
	wantErr(t, err, "ScanNotFoundException", "Image scan does not exist for the image with '{imageDigest:'null', imageTag:'v1'}' in the repository with name 'web' in the registry with id '000000000000'")

	st, err := e.c.StartImageScan(ctx, &ecr.StartImageScanInput{RepositoryName: aws.String("web"), ImageId: &types.ImageIdentifier{ImageTag: aws.String("v1")}})
	if err != nil || st.ImageScanStatus.Status != types.ScanStatusUnsupportedImage || aws.ToString(st.ImageId.ImageDigest) != d {
		t.Fatalf("StartImageScan: %+v, %v", st, err)
	}
	f, err := e.c.DescribeImageScanFindings(ctx, &ecr.DescribeImageScanFindingsInput{RepositoryName: aws.String("web"), ImageId: &types.ImageIdentifier{ImageDigest: aws.String(d)}})
	if err != nil || f.ImageScanStatus.Status != types.ScanStatusUnsupportedImage ||
		f.ImageScanFindings == nil || len(f.ImageScanFindings.Findings) != 0 || len(f.ImageScanFindings.EnhancedFindings) != 0 ||
		f.ImageScanFindings.FindingSeverityCounts != nil || f.ImageScanFindings.ImageScanCompletedAt != nil ||
		aws.ToString(f.ImageScanStatus.Description) != "Quayside has no vulnerability scanner yet: the image was not scanned and no findings exist." {
		t.Fatalf("DescribeImageScanFindings: %+v, %v", f, err)
	}
	di, err := e.c.DescribeImages(ctx, &ecr.DescribeImagesInput{RepositoryName: aws.String("web")})
	if err != nil || di.ImageDetails[0].ImageScanStatus == nil || di.ImageDetails[0].ImageScanStatus.Status != types.ScanStatusUnsupportedImage || di.ImageDetails[0].ImageScanFindingsSummary != nil {
		t.Fatalf("DescribeImages after a scan: %+v, %v", di, err)
	}

	_, err = e.c.StartImageScan(ctx, &ecr.StartImageScanInput{RepositoryName: aws.String("web"), ImageId: &types.ImageIdentifier{ImageTag: aws.String("nope")}})
	wantErr(t, err, "ImageNotFoundException", "The image with imageId {imageDigest:'null', imageTag:'nope'} does not exist within the repository with name 'web' in the registry with id '000000000000'")

	// scanOnPush records a scan at push time, through the API or the registry.
	if _, err := e.c.CreateRepository(ctx, &ecr.CreateRepositoryInput{RepositoryName: aws.String("scanned"), ImageScanningConfiguration: &types.ImageScanningConfiguration{ScanOnPush: true}}); err != nil {
		t.Fatal(err)
	}
	e.pushImage("scanned", "two", "v1")
	f, err = e.c.DescribeImageScanFindings(ctx, &ecr.DescribeImageScanFindingsInput{RepositoryName: aws.String("scanned"), ImageId: &types.ImageIdentifier{ImageTag: aws.String("v1")}})
	if err != nil || f.ImageScanStatus.Status != types.ScanStatusUnsupportedImage {
		t.Fatalf("scan on push: %+v, %v", f, err)
	}
}
