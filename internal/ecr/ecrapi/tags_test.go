package ecrapi_test

import (
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecr"
	"github.com/aws/aws-sdk-go-v2/service/ecr/types"
)

func TestResourceTags(t *testing.T) {
	e := newEnv(t)
	arn := e.createRepo("web").RepositoryArn
	tag := func(k, v string) types.Tag { return types.Tag{Key: aws.String(k), Value: aws.String(v)} }
	list := func() string {
		t.Helper()
		out, err := e.c.ListTagsForResource(ctx, &ecr.ListTagsForResourceInput{ResourceArn: arn})
		if err != nil {
			t.Fatal(err)
		}
		s := ""
		for _, tg := range out.Tags {
			s += aws.ToString(tg.Key) + "=" + aws.ToString(tg.Value) + " "
		}
		return s
	}
	if got := list(); got != "" {
		t.Fatalf("new repository tags %q", got)
	}
	if _, err := e.c.TagResource(ctx, &ecr.TagResourceInput{ResourceArn: arn, Tags: []types.Tag{tag("team", "web"), tag("env", "dev")}}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.c.TagResource(ctx, &ecr.TagResourceInput{ResourceArn: arn, Tags: []types.Tag{tag("env", "prod")}}); err != nil {
		t.Fatal(err)
	}
	if got := list(); got != "team=web env=prod " {
		t.Fatalf("tags %q", got)
	}
	if _, err := e.c.UntagResource(ctx, &ecr.UntagResourceInput{ResourceArn: arn, TagKeys: []string{"team", "absent"}}); err != nil {
		t.Fatal(err)
	}
	if got := list(); got != "env=prod " {
		t.Fatalf("tags after untag %q", got)
	}

	var many []types.Tag
	for i := 0; i < 50; i++ {
		many = append(many, tag(fmt.Sprintf("k%d", i), "v"))
	}
	_, err := e.c.TagResource(ctx, &ecr.TagResourceInput{ResourceArn: arn, Tags: many})
	wantErr(t, err, "TooManyTagsException", "The list of tags on the repository is over the limit. The maximum number of tags that can be applied to a repository is 50.")
	_, err = e.c.TagResource(ctx, &ecr.TagResourceInput{ResourceArn: arn, Tags: []types.Tag{tag("aws:reserved", "v")}})
	wantErr(t, err, "InvalidTagParameterException", "")
	_, err = e.c.TagResource(ctx, &ecr.TagResourceInput{ResourceArn: aws.String("arn:aws:ecr:us-east-1:000000000000:repository/nope"), Tags: []types.Tag{tag("a", "b")}})
	wantErr(t, err, "RepositoryNotFoundException", "The repository with name 'nope' does not exist in the registry with id '000000000000'")
	_, err = e.c.ListTagsForResource(ctx, &ecr.ListTagsForResourceInput{ResourceArn: aws.String("arn:aws:ecs:us-east-1:000000000000:cluster/x")})
	wantErr(t, err, "InvalidParameterException", "")
	_, err = e.c.UntagResource(ctx, &ecr.UntagResourceInput{ResourceArn: aws.String("arn:aws:ecr:us-east-1:111111111111:repository/web"), TagKeys: []string{"a"}})
	wantErr(t, err, "InvalidParameterException", "")
}
