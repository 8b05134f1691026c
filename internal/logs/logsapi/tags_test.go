package logsapi_test

import (
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
)

func TestTags(t *testing.T) {
	e := newEnv(t)
	_, err := e.c.CreateLogGroup(e.ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String("/ecs/web"), Tags: map[string]string{"team": "web"}})
	if err != nil {
		t.Fatal(err)
	}
	arn := "arn:aws:logs:us-east-1:000000000000:log-group:/ecs/web"
	list := func(arn string) map[string]string {
		t.Helper()
		out, err := e.c.ListTagsForResource(e.ctx, &cloudwatchlogs.ListTagsForResourceInput{ResourceArn: aws.String(arn)})
		if err != nil {
			t.Fatal(err)
		}
		return out.Tags
	}
	if got := fmt.Sprint(list(arn)); got != "map[team:web]" {
		t.Fatalf("tags from CreateLogGroup: %s", got)
	}
	if _, err := e.c.TagResource(e.ctx, &cloudwatchlogs.TagResourceInput{ResourceArn: aws.String(arn), Tags: map[string]string{"env": "dev", "team": "platform"}}); err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(list(arn)); got != "map[env:dev team:platform]" {
		t.Fatalf("after TagResource: %s", got)
	}
	// DescribeLogGroups' arn (with :*) is not a taggable ARN, as in AWS.
	_, err = e.c.ListTagsForResource(e.ctx, &cloudwatchlogs.ListTagsForResourceInput{ResourceArn: aws.String(arn + ":*")})
	wantErr(t, err, "InvalidParameterException", "'resourceArn' failed to satisfy constraint")
	if _, err := e.c.UntagResource(e.ctx, &cloudwatchlogs.UntagResourceInput{ResourceArn: aws.String(arn), TagKeys: []string{"team", "missing"}}); err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(list(arn)); got != "map[env:dev]" {
		t.Fatalf("after UntagResource: %s", got)
	}

	// The older API.
	if _, err := e.c.TagLogGroup(e.ctx, &cloudwatchlogs.TagLogGroupInput{LogGroupName: aws.String("/ecs/web"), Tags: map[string]string{"old": "api"}}); err != nil {
		t.Fatal(err)
	}
	old, err := e.c.ListTagsLogGroup(e.ctx, &cloudwatchlogs.ListTagsLogGroupInput{LogGroupName: aws.String("/ecs/web")})
	if err != nil || fmt.Sprint(old.Tags) != "map[env:dev old:api]" {
		t.Fatalf("ListTagsLogGroup: %v %v", old, err)
	}
	if _, err := e.c.UntagLogGroup(e.ctx, &cloudwatchlogs.UntagLogGroupInput{LogGroupName: aws.String("/ecs/web"), Tags: []string{"old", "env"}}); err != nil {
		t.Fatal(err)
	}
	if got := list(arn); got == nil || len(got) != 0 {
		t.Fatalf("after UntagLogGroup: %v (want an empty map)", got)
	}

	fifty := map[string]string{}
	for i := 0; i < 50; i++ {
		fifty[fmt.Sprintf("k%02d", i)] = "v"
	}
	if _, err := e.c.TagResource(e.ctx, &cloudwatchlogs.TagResourceInput{ResourceArn: aws.String(arn), Tags: fifty}); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name      string
		call      func() error
		code, msg string
	}{
		{"too many", func() error {
			_, err := e.c.TagResource(e.ctx, &cloudwatchlogs.TagResourceInput{ResourceArn: aws.String(arn), Tags: map[string]string{"one": "more"}})
			return err
		}, "TooManyTagsException", "A resource can have no more than 50 tags."},
		{"too many, old API", func() error {
			_, err := e.c.TagLogGroup(e.ctx, &cloudwatchlogs.TagLogGroupInput{LogGroupName: aws.String("/ecs/web"), Tags: map[string]string{"one": "more"}})
			return err
		}, "InvalidParameterException", "no more than 50 tags"},
		{"missing group", func() error {
			_, err := e.c.TagResource(e.ctx, &cloudwatchlogs.TagResourceInput{ResourceArn: aws.String("arn:aws:logs:us-east-1:000000000000:log-group:nope"), Tags: map[string]string{"a": "b"}})
			return err
		}, "ResourceNotFoundException", "The specified log group does not exist."},
		{"other region", func() error {
			_, err := e.c.ListTagsForResource(e.ctx, &cloudwatchlogs.ListTagsForResourceInput{ResourceArn: aws.String("arn:aws:logs:eu-west-1:000000000000:log-group:/ecs/web")})
			return err
		}, "ResourceNotFoundException", "The specified log group does not exist."},
		{"other resource type", func() error {
			_, err := e.c.ListTagsForResource(e.ctx, &cloudwatchlogs.ListTagsForResourceInput{ResourceArn: aws.String("arn:aws:logs:us-east-1:000000000000:destination:d")})
			return err
		}, "ResourceNotFoundException", "The specified resource does not exist."},
		{"not an ARN", func() error {
			_, err := e.c.ListTagsForResource(e.ctx, &cloudwatchlogs.ListTagsForResourceInput{ResourceArn: aws.String("log-group")})
			return err
		}, "InvalidParameterException", "Invalid resource ARN"},
		{"bad value", func() error {
			_, err := e.c.TagResource(e.ctx, &cloudwatchlogs.TagResourceInput{ResourceArn: aws.String(arn), Tags: map[string]string{"k00": "bad!value"}})
			return err
		}, "InvalidParameterException", "1 validation error detected"},
		{"old API, missing group", func() error {
			_, err := e.c.ListTagsLogGroup(e.ctx, &cloudwatchlogs.ListTagsLogGroupInput{LogGroupName: aws.String("nope")})
			return err
		}, "ResourceNotFoundException", "The specified log group does not exist."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { wantErr(t, c.call(), c.code, c.msg) })
	}
}
