package logsapi_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
)

func events(ts []int64, msgs ...string) []types.InputLogEvent {
	out := make([]types.InputLogEvent, len(msgs))
	for i, m := range msgs {
		out[i] = types.InputLogEvent{Timestamp: aws.Int64(ts[i]), Message: aws.String(m)}
	}
	return out
}

func (e *env) all(group, stream string) []string {
	e.t.Helper()
	out, err := e.c.GetLogEvents(e.ctx, &cloudwatchlogs.GetLogEventsInput{LogGroupName: aws.String(group), LogStreamName: aws.String(stream), StartFromHead: aws.Bool(true)})
	if err != nil {
		e.t.Fatal(err)
	}
	var msgs []string
	for _, ev := range out.Events {
		msgs = append(msgs, aws.ToString(ev.Message))
	}
	return msgs
}

func TestPutLogEvents(t *testing.T) {
	e := newEnv(t)
	e.group("g")
	e.stream("g", "s")
	now := e.nowMS()
	out, err := e.c.PutLogEvents(e.ctx, &cloudwatchlogs.PutLogEventsInput{
		LogGroupName: aws.String("g"), LogStreamName: aws.String("s"),
		LogEvents:     events(times(now-10, 3), "a", "b", "c"),
		SequenceToken: aws.String("whatever: tokens are ignored"),
	})
	if err != nil {
		t.Fatal(err)
	}
	if tok := aws.ToString(out.NextSequenceToken); len(tok) != 56 || out.RejectedLogEventsInfo != nil {
		t.Fatalf("PutLogEvents = %q %+v", tok, out.RejectedLogEventsInfo)
	}
	// Equal timestamps are in order.
	e.put("g", "s", []int64{now, now}, "d", "e")
	if got := strings.Join(e.all("g", "s"), ""); got != "abcde" {
		t.Fatalf("stored %q", got)
	}

	big := strings.Repeat("x", 262144-26)
	cases := []struct {
		name      string
		group     string
		stream    string
		evs       []types.InputLogEvent
		code, msg string
	}{
		{"out of order", "g", "s", events([]int64{now, now - 1}, "a", "b"), "InvalidParameterException", "Log events in a single PutLogEvents request must be in chronological order."},
		{"spans a day", "g", "s", events([]int64{now - 25*3600*1000, now}, "a", "b"), "InvalidParameterException", "The batch of log events in a single PutLogEvents request cannot span more than 24 hours."},
		{"event too large", "g", "s", events([]int64{now}, strings.Repeat("x", 1048576-26)+"y"), "InvalidParameterException", "Log event too large: 1048577 bytes exceeds limit of 1048576"},
		{"batch too large", "g", "s", events(times(now, 5), big, big, big, big, "y"), "InvalidParameterException", "Upload too large: 1048603 bytes exceeds limit of 1048576"},
		{"too many events", "g", "s", events(times(now, 10001), make([]string, 10001)...), "InvalidParameterException", "'logEvents' failed to satisfy constraint: Member must have length less than or equal to 10000"},
		{"empty message", "g", "s", events([]int64{now}, ""), "InvalidParameterException", "Member must have length greater than or equal to 1"},
		{"no events", "g", "s", []types.InputLogEvent{}, "InvalidParameterException", "logEvents"},
		{"no stream", "g", "nope", events([]int64{now}, "a"), "ResourceNotFoundException", "The specified log stream does not exist."},
		{"no group", "nope", "s", events([]int64{now}, "a"), "ResourceNotFoundException", "The specified log group does not exist."},
	}
	for i := range cases[4].evs {
		cases[4].evs[i].Message = aws.String("m")
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := e.c.PutLogEvents(e.ctx, &cloudwatchlogs.PutLogEventsInput{LogGroupName: aws.String(c.group), LogStreamName: aws.String(c.stream), LogEvents: c.evs})
			wantErr(t, err, c.code, c.msg)
		})
	}
	// The limits themselves are allowed: exactly 1 MiB (one event may be
	// that big since 2025), 10,000 events, 24 hours.
	e.put("g", "s", times(now, 4), big, big, big, strings.Repeat("z", 262144-26-26*3-26))
	e.put("g", "s", []int64{now}, strings.Repeat("w", 1048576-26))
	e.put("g", "s", times(now, 10000), func() []string {
		m := make([]string, 10000)
		for i := range m {
			m[i] = "m"
		}
		return m
	}()...)
	e.put("g", "s", []int64{now - 24*3600*1000 + 1, now}, "day start", "day end")
	tail, err := e.c.GetLogEvents(e.ctx, &cloudwatchlogs.GetLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s"), Limit: aws.Int32(10000)})
	if err != nil || len(tail.Events) != 10000 || aws.ToString(tail.Events[9999].Message) != "day end" {
		t.Fatalf("newest events after the limit batches: %d, %v", len(tail.Events), err)
	}
}

func TestPutLogEventsRejected(t *testing.T) {
	e := newEnv(t)
	e.group("g")
	e.stream("g", "s")
	now := e.nowMS()
	day := int64(24 * time.Hour / time.Millisecond)
	// The 24-hour span counts only the events that are not rejected.
	out := e.put("g", "s", []int64{now - 15*day, now - 14*day - 1, now - 3600*1000, now, now + 2*3600*1000, now + 2*3600*1000 + 1, now + 3*3600*1000},
		"old1", "old2", "an hour ago", "now", "edge of future", "new1", "new2")
	r := out.RejectedLogEventsInfo
	if r == nil || aws.ToInt32(r.TooOldLogEventEndIndex) != 2 || aws.ToInt32(r.TooNewLogEventStartIndex) != 5 || r.ExpiredLogEventEndIndex != nil {
		t.Fatalf("rejected = %+v", r)
	}
	if got := fmt.Sprint(e.all("g", "s")); got != "[an hour ago now edge of future]" {
		t.Fatalf("stored %s", got)
	}
	_, err := e.c.PutLogEvents(e.ctx, &cloudwatchlogs.PutLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s"),
		LogEvents: events([]int64{now - 14*day + 1000, now - 13*day + 2000}, "almost fourteen days", "thirteen days")})
	wantErr(t, err, "InvalidParameterException", "cannot span more than 24 hours")
	// With retention, events older than it are expired.
	if _, err := e.c.PutRetentionPolicy(e.ctx, &cloudwatchlogs.PutRetentionPolicyInput{LogGroupName: aws.String("g"), RetentionInDays: aws.Int32(3)}); err != nil {
		t.Fatal(err)
	}
	e.stream("g", "s2")
	out = e.put("g", "s2", []int64{now - 3*day - 7200*1000, now - 3*day - 1, now - 3*day + 3600*1000, now - 3*day + 7200*1000}, "x1", "x2", "y", "z")
	r = out.RejectedLogEventsInfo
	if r == nil || aws.ToInt32(r.ExpiredLogEventEndIndex) != 2 || r.TooOldLogEventEndIndex != nil || r.TooNewLogEventStartIndex != nil {
		t.Fatalf("rejected with retention = %+v", r)
	}
	// Everything rejected is still a success.
	out = e.put("g", "s2", []int64{now + 5*3600*1000}, "future")
	if r := out.RejectedLogEventsInfo; r == nil || aws.ToInt32(r.TooNewLogEventStartIndex) != 0 {
		t.Fatalf("all rejected = %+v", r)
	}
	if got := fmt.Sprint(e.all("g", "s2")); got != "[y z]" {
		t.Fatalf("stored %s", got)
	}
}
