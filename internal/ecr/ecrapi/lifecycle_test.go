package ecrapi_test

import (
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecr"
	"github.com/aws/aws-sdk-go-v2/service/ecr/types"

	"github.com/quayside/quayside/internal/ecs"
	"github.com/quayside/quayside/internal/ecs/ecsdb"
	"github.com/quayside/quayside/internal/store"
)

const keepTwo = `{"rules":[{"rulePriority":1,"description":"untagged go first","selection":{"tagStatus":"untagged","countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}},` +
	`{"rulePriority":2,"description":"keep two","selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":2},"action":{"type":"expire"}}]}`

func TestLifecyclePolicyCRUD(t *testing.T) {
	e := newEnv(t)
	e.createRepo("web")
	const notFound = "Lifecycle policy does not exist for the repository with name 'web' in the registry with id '000000000000'"
	_, err := e.c.GetLifecyclePolicy(ctx, &ecr.GetLifecyclePolicyInput{RepositoryName: aws.String("web")})
	wantErr(t, err, "LifecyclePolicyNotFoundException", notFound)
	_, err = e.c.DeleteLifecyclePolicy(ctx, &ecr.DeleteLifecyclePolicyInput{RepositoryName: aws.String("web")})
	wantErr(t, err, "LifecyclePolicyNotFoundException", notFound)
	_, err = e.c.StartLifecyclePolicyPreview(ctx, &ecr.StartLifecyclePolicyPreviewInput{RepositoryName: aws.String("web")})
	wantErr(t, err, "LifecyclePolicyNotFoundException", notFound)
	_, err = e.c.GetLifecyclePolicyPreview(ctx, &ecr.GetLifecyclePolicyPreviewInput{RepositoryName: aws.String("web")})
	wantErr(t, err, "LifecyclePolicyPreviewNotFoundException", "There is no lifecycle policy preview for the repository with name 'web' in the registry with id '000000000000'")

	bad := `{"rules":[{"rulePriority":1,"selection":{"tagStatus":"tagged","countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}}]}`
	_, err = e.c.PutLifecyclePolicy(ctx, &ecr.PutLifecyclePolicyInput{RepositoryName: aws.String("web"), LifecyclePolicyText: aws.String(bad)})
	wantErr(t, err, "InvalidParameterException", "Invalid parameter at 'LifecyclePolicyText' failed to satisfy constraint: 'Lifecycle policy validation failure: Must specify tagPrefixList or tagPatternList when tagStatus=TAGGED.'")
	_, err = e.c.PutLifecyclePolicy(ctx, &ecr.PutLifecyclePolicyInput{RepositoryName: aws.String("web"), LifecyclePolicyText: aws.String(`{"rules":[]}`)})
	wantErr(t, err, "InvalidParameterException", "Invalid parameter at 'lifecyclePolicyText' failed to satisfy constraint: 'Member must have length greater than or equal to 100'")

	put, err := e.c.PutLifecyclePolicy(ctx, &ecr.PutLifecyclePolicyInput{RepositoryName: aws.String("web"), LifecyclePolicyText: aws.String(keepTwo)})
	if err != nil || aws.ToString(put.LifecyclePolicyText) != keepTwo || aws.ToString(put.RegistryId) != account {
		t.Fatalf("PutLifecyclePolicy: %+v, %v", put, err)
	}
	got, err := e.c.GetLifecyclePolicy(ctx, &ecr.GetLifecyclePolicyInput{RepositoryName: aws.String("web")})
	if err != nil || aws.ToString(got.LifecyclePolicyText) != keepTwo {
		t.Fatalf("GetLifecyclePolicy: %+v, %v", got, err)
	}
	del, err := e.c.DeleteLifecyclePolicy(ctx, &ecr.DeleteLifecyclePolicyInput{RepositoryName: aws.String("web")})
	if err != nil || aws.ToString(del.LifecyclePolicyText) != keepTwo {
		t.Fatalf("DeleteLifecyclePolicy: %+v, %v", del, err)
	}
	_, err = e.c.GetLifecyclePolicy(ctx, &ecr.GetLifecyclePolicyInput{RepositoryName: aws.String("web")})
	wantErr(t, err, "LifecyclePolicyNotFoundException", notFound)
}

// The preview shows what the policy would expire, and never an image a
// running task uses (Quayside's guard; ECR has none).
func TestLifecyclePolicyPreview(t *testing.T) {
	e := newEnv(t)
	e.createRepo("web")
	var digests []string
	for _, x := range []struct{ name, tag string }{{"a", "v1"}, {"b", ""}, {"c", "v3"}, {"d", "v4"}, {"e", ""}, {"f", "v6"}} {
		d, _ := e.pushImage("web", x.name, x.tag)
		digests = append(digests, d)
	}
	// A running task uses v1, the oldest image.
	err := e.srv.Store().Update(ctx, func(tx store.Tx) error {
		s := ecsdb.Scope{Region: "us-east-1", Account: account}
		if err := ecsdb.PutCluster(tx, s, ecs.Cluster{Name: "default", Status: "ACTIVE"}); err != nil {
			return err
		}
		return ecsdb.PutTask(tx, s, "default", ecs.Task{ID: "t1", LastStatus: ecs.TaskRunning, DesiredStatus: ecs.TaskRunning,
			Containers: []ecs.Container{{Name: "web", Image: e.host + "/web:v1"}}})
	})
	if err != nil {
		t.Fatal(err)
	}
	start, err := e.c.StartLifecyclePolicyPreview(ctx, &ecr.StartLifecyclePolicyPreviewInput{RepositoryName: aws.String("web"), LifecyclePolicyText: aws.String(keepTwo)})
	if err != nil || start.Status != types.LifecyclePolicyPreviewStatusComplete || aws.ToString(start.LifecyclePolicyText) != keepTwo {
		t.Fatalf("StartLifecyclePolicyPreview: %+v, %v", start, err)
	}
	// The SDK's waiter sees COMPLETE at once.
	w := ecr.NewLifecyclePolicyPreviewCompleteWaiter(e.c)
	if err := w.Wait(ctx, &ecr.GetLifecyclePolicyPreviewInput{RepositoryName: aws.String("web")}, time.Minute); err != nil {
		t.Fatal(err)
	}
	pv, err := e.c.GetLifecyclePolicyPreview(ctx, &ecr.GetLifecyclePolicyPreviewInput{RepositoryName: aws.String("web")})
	if err != nil {
		t.Fatal(err)
	}
	// Rule 1 keeps e (the newest untagged) and expires b; rule 2 keeps the
	// two newest of all (f, e) and would expire a, c, d; a is in use.
	var got []string
	for _, r := range pv.PreviewResults {
		got = append(got, aws.ToString(r.ImageDigest))
		if r.Action.Type != types.ImageActionTypeExpire || r.ImagePushedAt == nil {
			t.Fatalf("result %+v", r)
		}
	}
	want := []string{digests[1], digests[2], digests[3]}
	if !slices.Equal(got, want) || aws.ToInt32(pv.Summary.ExpiringImageTotalCount) != 3 || pv.Status != types.LifecyclePolicyPreviewStatusComplete {
		t.Fatalf("preview %v (%d), want %v", got, aws.ToInt32(pv.Summary.ExpiringImageTotalCount), want)
	}
	if aws.ToInt32(pv.PreviewResults[0].AppliedRulePriority) != 1 || aws.ToInt32(pv.PreviewResults[1].AppliedRulePriority) != 2 ||
		!slices.Equal(pv.PreviewResults[2].ImageTags, []string{"v4"}) {
		t.Fatalf("results %+v", pv.PreviewResults)
	}
	// Filters and pages.
	tagged, err := e.c.GetLifecyclePolicyPreview(ctx, &ecr.GetLifecyclePolicyPreviewInput{RepositoryName: aws.String("web"), Filter: &types.LifecyclePolicyPreviewFilter{TagStatus: types.TagStatusTagged}})
	if err != nil || len(tagged.PreviewResults) != 2 || aws.ToInt32(tagged.Summary.ExpiringImageTotalCount) != 3 {
		t.Fatalf("tagged filter: %+v, %v", tagged, err)
	}
	var paged []string
	p := ecr.NewGetLifecyclePolicyPreviewPaginator(e.c, &ecr.GetLifecyclePolicyPreviewInput{RepositoryName: aws.String("web"), MaxResults: aws.Int32(1)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range page.PreviewResults {
			paged = append(paged, aws.ToString(r.ImageDigest))
		}
	}
	if !slices.Equal(paged, want) {
		t.Fatalf("pages %v", paged)
	}
	// The preview expires nothing.
	li, _ := e.c.ListImages(ctx, &ecr.ListImagesInput{RepositoryName: aws.String("web"), Filter: &types.ListImagesFilter{TagStatus: types.TagStatusAny}})
	if len(li.ImageIds) != 6 {
		t.Fatalf("after the preview %d image ids", len(li.ImageIds))
	}
}
