package ecrapi

import (
	"slices"
	"testing"

	"github.com/quayside/quayside/internal/wire"
)

// Every operation of the ECR issue has a handler; the rest of the model
// answers NotImplementedException.
func TestOperations(t *testing.T) {
	ops := New(nil, nil, Options{}).Service().Operations()
	for _, op := range []string{
		"CreateRepository", "DescribeRepositories", "DeleteRepository", "PutImageTagMutability", "PutImageScanningConfiguration",
		"GetAuthorizationToken", "DescribeRegistry",
		"DescribeImages", "ListImages", "BatchGetImage", "BatchDeleteImage", "PutImage",
		"InitiateLayerUpload", "UploadLayerPart", "CompleteLayerUpload", "BatchCheckLayerAvailability", "GetDownloadUrlForLayer",
		"SetRepositoryPolicy", "GetRepositoryPolicy", "DeleteRepositoryPolicy",
		"TagResource", "UntagResource", "ListTagsForResource",
		"PutLifecyclePolicy", "GetLifecyclePolicy", "DeleteLifecyclePolicy", "StartLifecyclePolicyPreview", "GetLifecyclePolicyPreview",
		"StartImageScan", "DescribeImageScanFindings",
	} {
		if !slices.Contains(ops, op) {
			t.Errorf("%s has no handler", op)
		}
	}
}

// The request wrappers hide the wire request's Validate from awsjson, so
// that checkModel words violations as ECR does.
func TestWrappersAreUnchecked(t *testing.T) {
	var in any = &createRepositoryIn{}
	if _, ok := in.(wire.Validator); ok {
		t.Fatal("createRepositoryIn is a wire.Validator: awsjson would check it in its own words")
	}
	if _, ok := modelOf(in); !ok {
		t.Fatal("modelOf finds no wire request")
	}
}

func TestMemberName(t *testing.T) {
	for path, want := range map[string]string{
		"repositoryName": "repositoryName", "imageIds.2.imageTag": "imageTag", "repositoryNames.1": "repositoryNames", "filter.tagStatus": "tagStatus",
	} {
		if got := memberName(path); got != want {
			t.Errorf("memberName(%q) = %q, want %q", path, got, want)
		}
	}
}
