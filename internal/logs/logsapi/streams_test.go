package logsapi_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
)

func TestCreateAndDeleteLogStream(t *testing.T) {
	e := newEnv(t)
	e.group("g")
	e.stream("g", "web/web/0123456789abcdef")
	cases := []struct {
		name, group, stream, code, msg string
	}{
		{"exists", "g", "web/web/0123456789abcdef", "ResourceAlreadyExistsException", "The specified log stream already exists"},
		{"no group", "nope", "s", "ResourceNotFoundException", "The specified log group does not exist."},
		{"colon", "g", "a:b", "InvalidParameterException", "Member must satisfy regular expression pattern: [^:*]*"},
		{"star", "g", "a*", "InvalidParameterException", "[^:*]*"},
		{"empty", "g", "", "InvalidParameterException", "Member must have length greater than or equal to 1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := e.c.CreateLogStream(e.ctx, &cloudwatchlogs.CreateLogStreamInput{LogGroupName: aws.String(c.group), LogStreamName: aws.String(c.stream)})
			wantErr(t, err, c.code, c.msg)
		})
	}
	_, err := e.c.DeleteLogStream(e.ctx, &cloudwatchlogs.DeleteLogStreamInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("nope")})
	wantErr(t, err, "ResourceNotFoundException", "The specified log stream does not exist.")
	_, err = e.c.DeleteLogStream(e.ctx, &cloudwatchlogs.DeleteLogStreamInput{LogGroupName: aws.String("nope"), LogStreamName: aws.String("s")})
	wantErr(t, err, "ResourceNotFoundException", "The specified log group does not exist.")
	e.put("g", "web/web/0123456789abcdef", times(e.nowMS(), 1), "x")
	if _, err := e.c.DeleteLogStream(e.ctx, &cloudwatchlogs.DeleteLogStreamInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("web/web/0123456789abcdef")}); err != nil {
		t.Fatal(err)
	}
	_, err = e.c.GetLogEvents(e.ctx, &cloudwatchlogs.GetLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("web/web/0123456789abcdef")})
	wantErr(t, err, "ResourceNotFoundException", "The specified log stream does not exist.")
}

func TestDescribeLogStreams(t *testing.T) {
	e := newEnv(t)
	e.group("g")
	now := e.nowMS()
	// Streams created in one order, written in another.
	for i, n := range []string{"b", "a", "c", "d"} {
		e.stream("g", n)
		if n != "d" {
			e.put("g", n, []int64{now - 1000 + int64(10*((i+1)%3))}, "event in "+n)
		}
	}
	list := func(in *cloudwatchlogs.DescribeLogStreamsInput) ([]types.LogStream, string) {
		t.Helper()
		in.LogGroupName = aws.String("g")
		out, err := e.c.DescribeLogStreams(e.ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		s := ""
		for _, st := range out.LogStreams {
			s += aws.ToString(st.LogStreamName)
		}
		return out.LogStreams, s
	}
	if _, got := list(&cloudwatchlogs.DescribeLogStreamsInput{}); got != "abcd" {
		t.Fatalf("by name: %s", got)
	}
	if _, got := list(&cloudwatchlogs.DescribeLogStreamsInput{Descending: aws.Bool(true)}); got != "dcba" {
		t.Fatalf("by name, descending: %s", got)
	}
	// Last event times: b=now-990, a=now-980, c=now-1000, d none.
	if _, got := list(&cloudwatchlogs.DescribeLogStreamsInput{OrderBy: types.OrderByLastEventTime}); got != "dcba" {
		t.Fatalf("by last event time: %s", got)
	}
	if _, got := list(&cloudwatchlogs.DescribeLogStreamsInput{OrderBy: types.OrderByLastEventTime, Descending: aws.Bool(true)}); got != "abcd" {
		t.Fatalf("by last event time, descending: %s", got)
	}
	e.stream("g", "ab")
	if _, got := list(&cloudwatchlogs.DescribeLogStreamsInput{LogStreamNamePrefix: aws.String("a")}); got != "aab" {
		t.Fatalf("prefix: %s", got)
	}
	streams, _ := list(&cloudwatchlogs.DescribeLogStreamsInput{LogStreamNamePrefix: aws.String("a"), Limit: aws.Int32(1)})
	a := streams[0]
	if aws.ToString(a.Arn) != "arn:aws:logs:us-east-1:000000000000:log-group:g:log-stream:a" || aws.ToInt64(a.CreationTime) != now ||
		aws.ToInt64(a.FirstEventTimestamp) != now-980 || aws.ToInt64(a.LastEventTimestamp) != now-980 ||
		aws.ToInt64(a.LastIngestionTime) != now || aws.ToString(a.UploadSequenceToken) == "" || aws.ToInt64(a.StoredBytes) != 0 {
		t.Fatalf("stream a = %+v", a)
	}
	ab := func() types.LogStream {
		s, _ := list(&cloudwatchlogs.DescribeLogStreamsInput{LogStreamNamePrefix: aws.String("ab")})
		return s[0]
	}()
	if ab.FirstEventTimestamp != nil || ab.LastEventTimestamp != nil || ab.LastIngestionTime != nil || ab.UploadSequenceToken != nil {
		t.Fatalf("a stream without events reports event times: %+v", ab)
	}

	_, err := e.c.DescribeLogStreams(e.ctx, &cloudwatchlogs.DescribeLogStreamsInput{LogGroupName: aws.String("g"), OrderBy: types.OrderByLastEventTime, LogStreamNamePrefix: aws.String("a")})
	wantErr(t, err, "InvalidParameterException", "Cannot order by LastEventTime with a logStreamNamePrefix.")
	_, err = e.c.DescribeLogStreams(e.ctx, &cloudwatchlogs.DescribeLogStreamsInput{LogGroupName: aws.String("nope")})
	wantErr(t, err, "ResourceNotFoundException", "The specified log group does not exist.")
	_, err = e.c.DescribeLogStreams(e.ctx, &cloudwatchlogs.DescribeLogStreamsInput{LogGroupName: aws.String("g"), LogGroupIdentifier: aws.String("g")})
	wantErr(t, err, "InvalidParameterException", "mutually exclusive")
	_, err = e.c.DescribeLogStreams(e.ctx, &cloudwatchlogs.DescribeLogStreamsInput{LogGroupName: aws.String("g"), Limit: aws.Int32(51)})
	wantErr(t, err, "InvalidParameterException", "'limit'")
	byARN, err := e.c.DescribeLogStreams(e.ctx, &cloudwatchlogs.DescribeLogStreamsInput{LogGroupIdentifier: aws.String("arn:aws:logs:us-east-1:000000000000:log-group:g")})
	if err != nil || len(byARN.LogStreams) != 5 {
		t.Fatalf("by identifier: %v %v", byARN, err)
	}

	// Every order pages completely with the SDK's paginator.
	for _, in := range []cloudwatchlogs.DescribeLogStreamsInput{
		{}, {Descending: aws.Bool(true)}, {OrderBy: types.OrderByLastEventTime}, {OrderBy: types.OrderByLastEventTime, Descending: aws.Bool(true)},
	} {
		in.LogGroupName, in.Limit = aws.String("g"), aws.Int32(2)
		_, want := list(&cloudwatchlogs.DescribeLogStreamsInput{OrderBy: in.OrderBy, Descending: in.Descending})
		p := cloudwatchlogs.NewDescribeLogStreamsPaginator(e.c, &in)
		got := ""
		for p.HasMorePages() {
			page, err := p.NextPage(e.ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, st := range page.LogStreams {
				got += aws.ToString(st.LogStreamName)
			}
		}
		if got != want {
			t.Fatalf("%v/%v paged: %s, want %s", in.OrderBy, aws.ToBool(in.Descending), got, want)
		}
	}
}
