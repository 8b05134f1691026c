package logsapi_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"

	"github.com/quayside/quayside/internal/servertest"
)

// TestServerRestart drives the Logs API of a whole Quayside server,
// restarts it on the same data dir, and checks that groups, streams,
// events and sequence numbers survive.
func TestServerRestart(t *testing.T) {
	ctx := context.Background()
	srv := servertest.Start(t)
	cfg := srv.AWSConfig("us-east-1")
	cfg.HTTPClient = bufferedBodies{http.DefaultClient}
	c := cloudwatchlogs.NewFromConfig(cfg)
	if _, err := c.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String("/ecs/demo-web"), Tags: map[string]string{"a": "b"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateLogStream(ctx, &cloudwatchlogs.CreateLogStreamInput{LogGroupName: aws.String("/ecs/demo-web"), LogStreamName: aws.String("web/web/1")}); err != nil {
		t.Fatal(err)
	}
	put := func(c *cloudwatchlogs.Client, from int) string {
		t.Helper()
		var evs []types.InputLogEvent
		for i := from; i < from+100; i++ {
			evs = append(evs, types.InputLogEvent{Timestamp: aws.Int64(srvNow() + int64(i)), Message: aws.String(fmt.Sprintf("line %d", i))})
		}
		out, err := c.PutLogEvents(ctx, &cloudwatchlogs.PutLogEventsInput{LogGroupName: aws.String("/ecs/demo-web"), LogStreamName: aws.String("web/web/1"), LogEvents: evs})
		if err != nil {
			t.Fatal(err)
		}
		return aws.ToString(out.NextSequenceToken)
	}
	tok1 := put(c, 0)
	srv.Stop()

	srv2 := servertest.Start(t, servertest.Options{DataDir: srv.DataDir})
	cfg = srv2.AWSConfig("us-east-1")
	cfg.HTTPClient = bufferedBodies{http.DefaultClient}
	c = cloudwatchlogs.NewFromConfig(cfg)
	tok2 := put(c, 100)
	if tok2 <= tok1 {
		t.Fatalf("sequence token went from %s to %s across a restart", tok1, tok2)
	}
	out, err := c.GetLogEvents(ctx, &cloudwatchlogs.GetLogEventsInput{LogGroupName: aws.String("/ecs/demo-web"), LogStreamName: aws.String("web/web/1"), StartFromHead: aws.Bool(true)})
	if err != nil || len(out.Events) != 200 {
		t.Fatalf("after restart: %d events, %v", len(out.Events), err)
	}
	for i, e := range out.Events {
		if aws.ToString(e.Message) != fmt.Sprintf("line %d", i) {
			t.Fatalf("event %d = %q", i, aws.ToString(e.Message))
		}
	}
	f, err := c.FilterLogEvents(ctx, &cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String("/ecs/demo-web"), FilterPattern: aws.String(`"line 199"`)})
	if err != nil || len(f.Events) != 1 {
		t.Fatalf("filter after restart: %v %v", f, err)
	}
	tags, err := c.ListTagsLogGroup(ctx, &cloudwatchlogs.ListTagsLogGroupInput{LogGroupName: aws.String("/ecs/demo-web")})
	if err != nil || tags.Tags["a"] != "b" {
		t.Fatalf("tags after restart: %v %v", tags, err)
	}
}

func srvNow() int64 { return time.Now().UnixMilli() }
