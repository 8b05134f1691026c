package ecrapi_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecr"
	"github.com/aws/aws-sdk-go-v2/service/ecr/types"
)

func TestCreateRepository(t *testing.T) {
	e := newEnv(t)
	before := time.Now().Add(-time.Second)
	r := e.createRepo("team/web")
	if aws.ToString(r.RepositoryArn) != "arn:aws:ecr:us-east-1:000000000000:repository/team/web" ||
		aws.ToString(r.RegistryId) != account || aws.ToString(r.RepositoryUri) != e.host+"/team/web" ||
		r.ImageTagMutability != types.ImageTagMutabilityMutable || r.ImageScanningConfiguration.ScanOnPush ||
		r.EncryptionConfiguration.EncryptionType != types.EncryptionTypeAes256 || r.CreatedAt.Before(before) {
		t.Fatalf("repository = %+v", r)
	}
	out, err := e.c.CreateRepository(ctx, &ecr.CreateRepositoryInput{
		RepositoryName:                     aws.String("locked"),
		ImageTagMutability:                 types.ImageTagMutabilityImmutableWithExclusion,
		ImageTagMutabilityExclusionFilters: []types.ImageTagMutabilityExclusionFilter{{FilterType: types.ImageTagMutabilityExclusionFilterTypeWildcard, Filter: aws.String("latest*")}},
		ImageScanningConfiguration:         &types.ImageScanningConfiguration{ScanOnPush: true},
		EncryptionConfiguration:            &types.EncryptionConfiguration{EncryptionType: types.EncryptionTypeKms, KmsKey: aws.String("arn:aws:kms:us-east-1:000000000000:key/k")},
		Tags:                               []types.Tag{{Key: aws.String("team"), Value: aws.String("web")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	r = out.Repository
	if r.ImageTagMutability != types.ImageTagMutabilityImmutableWithExclusion || len(r.ImageTagMutabilityExclusionFilters) != 1 ||
		!r.ImageScanningConfiguration.ScanOnPush || r.EncryptionConfiguration.EncryptionType != types.EncryptionTypeKms ||
		aws.ToString(r.EncryptionConfiguration.KmsKey) != "arn:aws:kms:us-east-1:000000000000:key/k" {
		t.Fatalf("repository = %+v", r)
	}
	tags, err := e.c.ListTagsForResource(ctx, &ecr.ListTagsForResourceInput{ResourceArn: r.RepositoryArn})
	if err != nil || len(tags.Tags) != 1 || aws.ToString(tags.Tags[0].Value) != "web" {
		t.Fatalf("tags = %+v, %v", tags, err)
	}

	_, err = e.c.CreateRepository(ctx, &ecr.CreateRepositoryInput{RepositoryName: aws.String("team/web")})
	wantErr(t, err, "RepositoryAlreadyExistsException", "The repository with name 'team/web' already exists in the registry with id '000000000000'")
	_, err = e.c.CreateRepository(ctx, &ecr.CreateRepositoryInput{RepositoryName: aws.String("Web")})
	wantErr(t, err, "InvalidParameterException", `Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must satisfy regular expression '[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*''`)
	_, err = e.c.CreateRepository(ctx, &ecr.CreateRepositoryInput{RepositoryName: aws.String("x")})
	wantErr(t, err, "InvalidParameterException", "Invalid parameter at 'repositoryName' failed to satisfy constraint: 'Member must have length between 2 and 256 inclusive'")
	_, err = e.c.CreateRepository(ctx, &ecr.CreateRepositoryInput{RepositoryName: aws.String("ok"), ImageTagMutability: "SOMETIMES"})
	wantErr(t, err, "InvalidParameterException", "Invalid parameter at 'imageTagMutability' failed to satisfy constraint: 'Member must satisfy enum value set: [MUTABLE, IMMUTABLE, IMMUTABLE_WITH_EXCLUSION, MUTABLE_WITH_EXCLUSION]'")
	_, err = e.c.CreateRepository(ctx, &ecr.CreateRepositoryInput{RepositoryName: aws.String("ok"), ImageTagMutability: types.ImageTagMutabilityMutableWithExclusion})
	wantErr(t, err, "InvalidParameterException", "")
	_, err = e.c.CreateRepository(ctx, &ecr.CreateRepositoryInput{RepositoryName: aws.String("ok"), RegistryId: aws.String("123456789012")})
	wantErr(t, err, "InvalidParameterException", "Invalid parameter at 'registryId' failed to satisfy constraint: 'Quayside serves only the registry of the calling account, 000000000000; 123456789012 is not served'")
	_, err = e.c.CreateRepository(ctx, &ecr.CreateRepositoryInput{RepositoryName: aws.String("ok"), Tags: []types.Tag{{Key: aws.String("aws:x"), Value: aws.String("v")}}})
	wantErr(t, err, "InvalidTagParameterException", "")
}

func TestDescribeRepositories(t *testing.T) {
	e := newEnv(t)
	for i := 0; i < 5; i++ {
		e.createRepo(fmt.Sprintf("repo-%d", i))
	}
	out, err := e.c.DescribeRepositories(ctx, &ecr.DescribeRepositoriesInput{RepositoryNames: []string{"repo-3", "repo-1"}})
	if err != nil || len(out.Repositories) != 2 || aws.ToString(out.Repositories[0].RepositoryName) != "repo-3" {
		t.Fatalf("by name: %+v, %v", out, err)
	}
	_, err = e.c.DescribeRepositories(ctx, &ecr.DescribeRepositoriesInput{RepositoryNames: []string{"repo-1", "nope"}})
	wantErr(t, err, "RepositoryNotFoundException", "The repository with name 'nope' does not exist in the registry with id '000000000000'")
	_, err = e.c.DescribeRepositories(ctx, &ecr.DescribeRepositoriesInput{RepositoryNames: []string{"repo-1"}, MaxResults: aws.Int32(1)})
	wantErr(t, err, "InvalidParameterException", "")
	_, err = e.c.DescribeRepositories(ctx, &ecr.DescribeRepositoriesInput{MaxResults: aws.Int32(0)})
	wantErr(t, err, "InvalidParameterException", "Invalid parameter at 'maxResults' failed to satisfy constraint: 'Member must have value greater than or equal to 1'")
	_, err = e.c.DescribeRepositories(ctx, &ecr.DescribeRepositoriesInput{NextToken: aws.String("garbage")})
	wantErr(t, err, "InvalidParameterException", "")

	var names []string
	pages := ecr.NewDescribeRepositoriesPaginator(e.c, &ecr.DescribeRepositoriesInput{MaxResults: aws.Int32(2)})
	n := 0
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		n++
		for _, r := range page.Repositories {
			names = append(names, aws.ToString(r.RepositoryName))
		}
	}
	if n != 3 || fmt.Sprint(names) != "[repo-0 repo-1 repo-2 repo-3 repo-4]" {
		t.Fatalf("%d pages: %v", n, names)
	}
}

func TestDeleteRepository(t *testing.T) {
	e := newEnv(t)
	e.createRepo("full")
	e.pushImage("full", "a", "v1")
	_, err := e.c.DeleteRepository(ctx, &ecr.DeleteRepositoryInput{RepositoryName: aws.String("full")})
	wantErr(t, err, "RepositoryNotEmptyException", "The repository with name 'full' in registry with id '000000000000' cannot be deleted because it still contains images")
	out, err := e.c.DeleteRepository(ctx, &ecr.DeleteRepositoryInput{RepositoryName: aws.String("full"), Force: true})
	if err != nil || aws.ToString(out.Repository.RepositoryName) != "full" {
		t.Fatalf("force delete: %+v, %v", out, err)
	}
	_, err = e.c.DeleteRepository(ctx, &ecr.DeleteRepositoryInput{RepositoryName: aws.String("full")})
	wantErr(t, err, "RepositoryNotFoundException", "The repository with name 'full' does not exist in the registry with id '000000000000'")
	// The name is free again, with nothing left of the old repository.
	e.createRepo("full")
	imgs, err := e.c.ListImages(ctx, &ecr.ListImagesInput{RepositoryName: aws.String("full")})
	if err != nil || len(imgs.ImageIds) != 0 {
		t.Fatalf("recreated repository lists %+v, %v", imgs, err)
	}
}

func TestPutImageTagMutabilityAndScanning(t *testing.T) {
	e := newEnv(t)
	e.createRepo("app")
	out, err := e.c.PutImageTagMutability(ctx, &ecr.PutImageTagMutabilityInput{RepositoryName: aws.String("app"), ImageTagMutability: types.ImageTagMutabilityImmutable})
	if err != nil || out.ImageTagMutability != types.ImageTagMutabilityImmutable || aws.ToString(out.RegistryId) != account {
		t.Fatalf("PutImageTagMutability: %+v, %v", out, err)
	}
	e.pushImage("app", "one", "v1")
	_, body := e.pushImage("app", "three", "")
	_, err = e.c.PutImage(ctx, &ecr.PutImageInput{RepositoryName: aws.String("app"), ImageTag: aws.String("v1"), ImageManifest: aws.String(body)})
	wantErr(t, err, "ImageTagAlreadyExistsException", "The image tag 'v1' already exists in the 'app' repository and cannot be overwritten because the tag is immutable.")

	_, err = e.c.PutImageTagMutability(ctx, &ecr.PutImageTagMutabilityInput{RepositoryName: aws.String("app"), ImageTagMutability: types.ImageTagMutabilityMutableWithExclusion})
	wantErr(t, err, "InvalidParameterException", "")
	_, err = e.c.PutImageTagMutability(ctx, &ecr.PutImageTagMutabilityInput{RepositoryName: aws.String("nope"), ImageTagMutability: types.ImageTagMutabilityMutable})
	wantErr(t, err, "RepositoryNotFoundException", "")

	sc, err := e.c.PutImageScanningConfiguration(ctx, &ecr.PutImageScanningConfigurationInput{RepositoryName: aws.String("app"),
		ImageScanningConfiguration: &types.ImageScanningConfiguration{ScanOnPush: true}})
	if err != nil || !sc.ImageScanningConfiguration.ScanOnPush {
		t.Fatalf("PutImageScanningConfiguration: %+v, %v", sc, err)
	}
	d, err := e.c.DescribeRepositories(ctx, &ecr.DescribeRepositoriesInput{RepositoryNames: []string{"app"}})
	if err != nil || !d.Repositories[0].ImageScanningConfiguration.ScanOnPush || d.Repositories[0].ImageTagMutability != types.ImageTagMutabilityImmutable {
		t.Fatalf("after the changes: %+v, %v", d, err)
	}
}
