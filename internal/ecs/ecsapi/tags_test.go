package ecsapi_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsecs "github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/quayside/quayside/internal/ecs"
	"github.com/quayside/quayside/internal/ecs/ecsdb"
	"github.com/quayside/quayside/internal/store"
)

func tag(k, v string) types.Tag { return types.Tag{Key: aws.String(k), Value: aws.String(v)} }

func tagMap(ts []types.Tag) map[string]string {
	m := map[string]string{}
	for _, t := range ts {
		m[aws.ToString(t.Key)] = aws.ToString(t.Value)
	}
	return m
}

func listTags(t *testing.T, c *awsecs.Client, arn string) map[string]string {
	t.Helper()
	out, err := c.ListTagsForResource(context.Background(), &awsecs.ListTagsForResourceInput{ResourceArn: aws.String(arn)})
	if err != nil {
		t.Fatalf("ListTagsForResource %s: %v", arn, err)
	}
	return tagMap(out.Tags)
}

func TestTagEveryResourceType(t *testing.T) {
	c, srv := startECS(t)
	ctx := context.Background()
	mustCreateCluster(t, c, "prod")
	mustRegister(t, c, bridgeTask("app"))
	prefix := "arn:aws:ecs:us-east-1:" + testAccount + ":"
	const taskID, instanceID = "0123456789abcdef0123456789abcdef", "fedcba9876543210fedcba9876543210"
	putRecord(t, srv, func(tx store.Tx, sc ecsdb.Scope) error {
		return errors.Join(
			ecsdb.PutService(tx, sc, "prod", ecs.Service{Name: "api", ARN: prefix + "service/prod/api", Status: ecs.ServiceActive}),
			ecsdb.PutTask(tx, sc, "prod", ecs.Task{ID: taskID, ARN: prefix + "task/prod/" + taskID, LastStatus: ecs.TaskStopped, DesiredStatus: ecs.TaskStopped}),
			ecsdb.PutInstance(tx, sc, "prod", instanceID, ecs.ContainerInstance{ID: instanceID, Status: ecs.InstanceInactive}),
		)
	})
	for _, arn := range []string{
		clusterARN("prod"), tdARN("app", 1), prefix + "service/prod/api",
		prefix + "task/prod/" + taskID, prefix + "container-instance/prod/" + instanceID,
	} {
		t.Run(arn, func(t *testing.T) {
			if got := listTags(t, c, arn); len(got) != 0 {
				t.Fatalf("new resource has tags %v", got)
			}
			if _, err := c.TagResource(ctx, &awsecs.TagResourceInput{ResourceArn: aws.String(arn), Tags: []types.Tag{tag("team", "web"), tag("env", "dev")}}); err != nil {
				t.Fatal(err)
			}
			// Tagging again replaces values and keeps the other keys.
			if _, err := c.TagResource(ctx, &awsecs.TagResourceInput{ResourceArn: aws.String(arn), Tags: []types.Tag{tag("env", "prod"), tag("cost", "")}}); err != nil {
				t.Fatal(err)
			}
			if got := listTags(t, c, arn); fmt.Sprint(got) != "map[cost: env:prod team:web]" {
				t.Fatalf("tags = %v", got)
			}
			if _, err := c.UntagResource(ctx, &awsecs.UntagResourceInput{ResourceArn: aws.String(arn), TagKeys: []string{"team", "absent"}}); err != nil {
				t.Fatal(err)
			}
			if got := listTags(t, c, arn); fmt.Sprint(got) != "map[cost: env:prod]" {
				t.Fatalf("after untag = %v", got)
			}
		})
	}
	// Tags set through TagResource show in the resource's own describe.
	d, err := c.DescribeClusters(ctx, &awsecs.DescribeClustersInput{Clusters: []string{"prod"}, Include: []types.ClusterField{types.ClusterFieldTags}})
	if err != nil || tagMap(d.Clusters[0].Tags)["env"] != "prod" {
		t.Fatalf("describe: %v %+v", err, d)
	}
	td, err := c.DescribeTaskDefinition(ctx, &awsecs.DescribeTaskDefinitionInput{TaskDefinition: aws.String("app:1"), Include: []types.TaskDefinitionField{types.TaskDefinitionFieldTags}})
	if err != nil || tagMap(td.Tags)["env"] != "prod" {
		t.Fatalf("describe task definition: %v %+v", err, td)
	}
}

func TestTagErrors(t *testing.T) {
	c, _ := startECS(t)
	ctx := context.Background()
	mustCreateCluster(t, c, "prod")
	mustCreateCluster(t, c, "old")
	if _, err := c.DeleteCluster(ctx, &awsecs.DeleteClusterInput{Cluster: aws.String("old")}); err != nil {
		t.Fatal(err)
	}
	prefix := "arn:aws:ecs:us-east-1:" + testAccount + ":"
	tooMany := make([]types.Tag, 51)
	for i := range tooMany {
		tooMany[i] = tag(fmt.Sprintf("k%d", i), "v")
	}
	for _, tc := range []struct {
		name      string
		arn       string
		tags      []types.Tag
		code, msg string
	}{
		{"not an ECS ARN", "arn:aws:ecr:us-east-1:" + testAccount + ":repository/web", nil, "InvalidParameterException", "The ARN provided is invalid."},
		{"not an ARN", "prod", nil, "InvalidParameterException", "The ARN provided is invalid."},
		{"short service ARN", prefix + "service/api", nil, "InvalidParameterException", "Long arn format must be used for tagging operations"},
		{"missing cluster", clusterARN("ghost"), nil, "ClusterNotFoundException", "Cluster not found."},
		{"deleted cluster", clusterARN("old"), nil, "InvalidParameterException", "The specified cluster is inactive. Specify an active cluster and try again."},
		{"service in a deleted cluster", prefix + "service/old/api", nil, "InvalidParameterException", "The specified cluster is inactive. Specify an active cluster and try again."},
		{"missing service", prefix + "service/prod/api", nil, "ResourceNotFoundException", "The specified resource could not be found."},
		{"missing task definition", tdARN("nope", 1), nil, "ResourceNotFoundException", "The specified resource could not be found."},
		{"unknown capacity provider", prefix + "capacity-provider/MY_ASG", nil, "ResourceNotFoundException", "The specified resource could not be found."},
		{"built-in capacity provider", prefix + "capacity-provider/FARGATE", nil, "InvalidParameterException", "The FARGATE capacity provider is managed by AWS and can't be tagged."},
		{"other account", "arn:aws:ecs:us-east-1:111111111111:cluster/prod", nil, "InvalidParameterException", "Invalid identifier: Identifier is for 111111111111. Your accountId is 000000000000"},
		{"reserved prefix", clusterARN("prod"), []types.Tag{tag("AWS:owner", "me")}, "InvalidParameterException", "Tag keys beginning with 'aws:' are reserved for AWS use."},
		{"more than 50 in all", clusterARN("prod"), tooMany[1:], "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tags := tc.tags
			if tags == nil {
				tags = []types.Tag{tag("k", "v")}
			}
			_, err := c.TagResource(ctx, &awsecs.TagResourceInput{ResourceArn: aws.String(tc.arn), Tags: tags})
			if tc.code == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			wantAPIError(t, err, tc.code, tc.msg)
		})
	}
	// The cluster now has 50 tags; one more is too many.
	_, err := c.TagResource(ctx, &awsecs.TagResourceInput{ResourceArn: aws.String(clusterARN("prod")), Tags: []types.Tag{tag("one-more", "v")}})
	wantAPIError(t, err, "InvalidParameterException", "Too many tags: a resource can have at most 50 tags.")

	// ListTagsForResource documents no ResourceNotFoundException.
	_, err = c.ListTagsForResource(ctx, &awsecs.ListTagsForResourceInput{ResourceArn: aws.String(prefix + "service/prod/api")})
	wantAPIError(t, err, "InvalidParameterException", "The specified resource could not be found.")
	_, err = c.UntagResource(ctx, &awsecs.UntagResourceInput{ResourceArn: aws.String(prefix + "task/prod/0123"), TagKeys: []string{"k"}})
	wantAPIError(t, err, "ResourceNotFoundException", "The specified resource could not be found.")
	if got := listTags(t, c, prefix+"capacity-provider/FARGATE_SPOT"); len(got) != 0 {
		t.Fatalf("FARGATE_SPOT tags = %v", got)
	}
}
