package logsapi_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"

	"github.com/quayside/quayside/internal/logs"
)

func msgs(evs []string) string { return strings.Join(evs, " ") }

func TestGetLogEvents(t *testing.T) {
	e := newEnv(t)
	e.group("g")
	e.stream("g", "s")
	t0 := e.nowMS() - 1000
	var ms []string
	for i := 0; i < 25; i++ {
		ms = append(ms, fmt.Sprintf("e%02d", i))
	}
	e.put("g", "s", times(t0, 25), ms...)

	get := func(in cloudwatchlogs.GetLogEventsInput) (*cloudwatchlogs.GetLogEventsOutput, string) {
		t.Helper()
		in.LogGroupName, in.LogStreamName = aws.String("g"), aws.String("s")
		out, err := e.c.GetLogEvents(e.ctx, &in)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, ev := range out.Events {
			got = append(got, aws.ToString(ev.Message))
			if aws.ToInt64(ev.IngestionTime) != e.nowMS() {
				t.Fatalf("ingestionTime %d", aws.ToInt64(ev.IngestionTime))
			}
		}
		return out, msgs(got)
	}
	tokRE := regexp.MustCompile(`^[fb]/\d{56}/s$`)

	// The newest events by default, then backward to the start.
	out, got := get(cloudwatchlogs.GetLogEventsInput{Limit: aws.Int32(10)})
	if got != msgs(ms[15:]) || !tokRE.MatchString(aws.ToString(out.NextForwardToken)) || !tokRE.MatchString(aws.ToString(out.NextBackwardToken)) {
		t.Fatalf("newest: %s (%s, %s)", got, aws.ToString(out.NextForwardToken), aws.ToString(out.NextBackwardToken))
	}
	fwd := out.NextForwardToken
	back, got := get(cloudwatchlogs.GetLogEventsInput{Limit: aws.Int32(10), NextToken: out.NextBackwardToken})
	if got != msgs(ms[5:15]) {
		t.Fatalf("backward: %s", got)
	}
	back, got = get(cloudwatchlogs.GetLogEventsInput{Limit: aws.Int32(10), NextToken: back.NextBackwardToken})
	if got != msgs(ms[:5]) {
		t.Fatalf("backward to the start: %s", got)
	}
	end, got := get(cloudwatchlogs.GetLogEventsInput{NextToken: back.NextBackwardToken})
	if got != "" || aws.ToString(end.NextBackwardToken) != aws.ToString(back.NextBackwardToken) {
		t.Fatalf("past the start: %q, token %s → %s", got, aws.ToString(back.NextBackwardToken), aws.ToString(end.NextBackwardToken))
	}
	// Forward at the end: no events and the same token, until new events arrive.
	same, got := get(cloudwatchlogs.GetLogEventsInput{NextToken: fwd})
	if got != "" || aws.ToString(same.NextForwardToken) != aws.ToString(fwd) {
		t.Fatalf("at the end: %q, token %s → %s", got, aws.ToString(fwd), aws.ToString(same.NextForwardToken))
	}
	e.put("g", "s", []int64{t0 + 100}, "late")
	if _, got := get(cloudwatchlogs.GetLogEventsInput{NextToken: fwd}); got != "late" {
		t.Fatalf("after new events: %q", got)
	}

	// From the head, forward with the SDK's paginator.
	p := cloudwatchlogs.NewGetLogEventsPaginator(e.c, &cloudwatchlogs.GetLogEventsInput{
		LogGroupName: aws.String("g"), LogStreamName: aws.String("s"), StartFromHead: aws.Bool(true), Limit: aws.Int32(7),
	}, func(o *cloudwatchlogs.GetLogEventsPaginatorOptions) { o.StopOnDuplicateToken = true })
	var all []string
	for pages := 0; p.HasMorePages(); pages++ {
		if pages > 10 {
			t.Fatal("the paginator does not stop")
		}
		page, err := p.NextPage(e.ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, ev := range page.Events {
			all = append(all, aws.ToString(ev.Message))
		}
	}
	if msgs(all) != msgs(append(ms, "late")) {
		t.Fatalf("paginated: %v", all)
	}

	// Time range: start inclusive, end exclusive.
	if _, got := get(cloudwatchlogs.GetLogEventsInput{StartTime: aws.Int64(t0 + 5), EndTime: aws.Int64(t0 + 10), StartFromHead: aws.Bool(true)}); got != msgs(ms[5:10]) {
		t.Fatalf("time range: %s", got)
	}
	if _, got := get(cloudwatchlogs.GetLogEventsInput{StartTime: aws.Int64(t0 + 5), EndTime: aws.Int64(t0 + 10), Limit: aws.Int32(2)}); got != msgs(ms[8:10]) {
		t.Fatalf("time range, newest: %s", got)
	}

	for _, bad := range []string{"x/1", "f/abc", "f/", "garbage"} {
		_, err := e.c.GetLogEvents(e.ctx, &cloudwatchlogs.GetLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s"), NextToken: aws.String(bad)})
		wantErr(t, err, "InvalidParameterException", "nextToken")
	}
	_, err := e.c.GetLogEvents(e.ctx, &cloudwatchlogs.GetLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s"), Limit: aws.Int32(10001)})
	wantErr(t, err, "InvalidParameterException", "'limit'")
	_, err = e.c.GetLogEvents(e.ctx, &cloudwatchlogs.GetLogEventsInput{LogGroupName: aws.String("nope"), LogStreamName: aws.String("s")})
	wantErr(t, err, "ResourceNotFoundException", "The specified log group does not exist.")
	out, err = e.c.GetLogEvents(e.ctx, &cloudwatchlogs.GetLogEventsInput{LogGroupIdentifier: aws.String("arn:aws:logs:us-east-1:000000000000:log-group:g"), LogStreamName: aws.String("s"), Limit: aws.Int32(1)})
	if err != nil || len(out.Events) != 1 {
		t.Fatalf("by identifier: %v", err)
	}

	// An empty stream answers tokens too.
	e.stream("g", "empty")
	emp, err := e.c.GetLogEvents(e.ctx, &cloudwatchlogs.GetLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("empty")})
	if err != nil || len(emp.Events) != 0 || !tokRE.MatchString(aws.ToString(emp.NextForwardToken)) {
		t.Fatalf("empty stream: %+v %v", emp, err)
	}
}

func TestFilterLogEvents(t *testing.T) {
	e := newEnv(t)
	e.group("g")
	e.stream("g", "web/web/1")
	e.stream("g", "web/web/2")
	e.stream("g", "worker/1")
	t0 := e.nowMS() - 10000
	e.put("g", "web/web/1", []int64{t0, t0 + 2, t0 + 4, t0 + 6}, "GET / 200", "ERROR db down", "GET /a 200", "ERROR retry")
	e.put("g", "web/web/2", []int64{t0 + 1, t0 + 3, t0 + 5}, "GET /b 200", `{"level":"error","latency":300}`, "WARN slow")
	e.put("g", "worker/1", []int64{t0 + 4, t0 + 7}, "job ERROR", `{"level":"info","latency":5}`)

	filter := func(in cloudwatchlogs.FilterLogEventsInput) (*cloudwatchlogs.FilterLogEventsOutput, string) {
		t.Helper()
		if in.LogGroupName == nil && in.LogGroupIdentifier == nil {
			in.LogGroupName = aws.String("g")
		}
		out, err := e.c.FilterLogEvents(e.ctx, &in)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, ev := range out.Events {
			got = append(got, aws.ToString(ev.LogStreamName)+":"+aws.ToString(ev.Message))
		}
		return out, strings.Join(got, "|")
	}
	out, got := filter(cloudwatchlogs.FilterLogEventsInput{Interleaved: aws.Bool(true)})
	want := `web/web/1:GET / 200|web/web/2:GET /b 200|web/web/1:ERROR db down|web/web/2:{"level":"error","latency":300}|web/web/1:GET /a 200|worker/1:job ERROR|web/web/2:WARN slow|web/web/1:ERROR retry|worker/1:{"level":"info","latency":5}`
	if got != want {
		t.Fatalf("all, interleaved by time:\n%s\nwant\n%s", got, want)
	}
	if out.NextToken != nil || out.SearchedLogStreams == nil || len(out.SearchedLogStreams) != 0 {
		t.Fatalf("nextToken %v, searchedLogStreams %v (AWS: an empty list since 2020)", out.NextToken, out.SearchedLogStreams)
	}
	ids := map[string]bool{}
	for _, ev := range out.Events {
		id := aws.ToString(ev.EventId)
		if len(id) != 56 || ids[id] {
			t.Fatalf("eventId %q is not a unique 56-digit number", id)
		}
		ids[id] = true
	}
	again, _ := filter(cloudwatchlogs.FilterLogEventsInput{})
	for i := range again.Events {
		if aws.ToString(again.Events[i].EventId) != aws.ToString(out.Events[i].EventId) {
			t.Fatal("eventIds are not stable")
		}
	}

	cases := []struct {
		name string
		in   cloudwatchlogs.FilterLogEventsInput
		want string
	}{
		{"term", cloudwatchlogs.FilterLogEventsInput{FilterPattern: aws.String("ERROR")}, "web/web/1:ERROR db down|worker/1:job ERROR|web/web/1:ERROR retry"},
		{"or terms", cloudwatchlogs.FilterLogEventsInput{FilterPattern: aws.String("?WARN ?retry")}, "web/web/2:WARN slow|web/web/1:ERROR retry"},
		{"json", cloudwatchlogs.FilterLogEventsInput{FilterPattern: aws.String(`{ $.latency > 100 }`)}, `web/web/2:{"level":"error","latency":300}`},
		{"delimited", cloudwatchlogs.FilterLogEventsInput{FilterPattern: aws.String(`[method=GET, path, status=200]`)}, "web/web/1:GET / 200|web/web/2:GET /b 200|web/web/1:GET /a 200"},
		{"stream names", cloudwatchlogs.FilterLogEventsInput{LogStreamNames: []string{"worker/1", "missing"}}, `worker/1:job ERROR|worker/1:{"level":"info","latency":5}`},
		{"stream prefix", cloudwatchlogs.FilterLogEventsInput{LogStreamNamePrefix: aws.String("web/web/2")}, `web/web/2:GET /b 200|web/web/2:{"level":"error","latency":300}|web/web/2:WARN slow`},
		{"time range inclusive", cloudwatchlogs.FilterLogEventsInput{StartTime: aws.Int64(t0 + 5), EndTime: aws.Int64(t0 + 6)}, "web/web/2:WARN slow|web/web/1:ERROR retry"},
		{"by identifier", cloudwatchlogs.FilterLogEventsInput{LogGroupIdentifier: aws.String("arn:aws:logs:us-east-1:000000000000:log-group:g"), FilterPattern: aws.String("db")}, "web/web/1:ERROR db down"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, got := filter(c.in); got != c.want {
				t.Fatalf("got  %s\nwant %s", got, c.want)
			}
		})
	}

	errs := []struct {
		name      string
		in        cloudwatchlogs.FilterLogEventsInput
		code, msg string
	}{
		{"bad pattern", cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String("g"), FilterPattern: aws.String("{ $.a = ")}, "InvalidParameterException", "Invalid filter pattern"},
		{"bad term", cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String("g"), FilterPattern: aws.String("a@b")}, "InvalidParameterException", "Invalid filter pattern: Invalid character(s) in term 'a@b'"},
		{"names and prefix", cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String("g"), LogStreamNames: []string{"a"}, LogStreamNamePrefix: aws.String("a")}, "InvalidParameterException", "mutually exclusive"},
		{"end before start", cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String("g"), StartTime: aws.Int64(2), EndTime: aws.Int64(1)}, "InvalidParameterException", "endTime"},
		{"no group", cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String("nope")}, "ResourceNotFoundException", "The specified log group does not exist."},
		{"bad token", cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String("g"), NextToken: aws.String("nope")}, "InvalidParameterException", "nextToken"},
		{"limit", cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String("g"), Limit: aws.Int32(0)}, "InvalidParameterException", "'limit'"},
	}
	for _, c := range errs {
		t.Run(c.name, func(t *testing.T) {
			_, err := e.c.FilterLogEvents(e.ctx, &c.in)
			wantErr(t, err, c.code, c.msg)
		})
	}

	// Pages of 2 through the SDK's paginator give the same events.
	p := cloudwatchlogs.NewFilterLogEventsPaginator(e.c, &cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String("g"), Limit: aws.Int32(2)})
	var paged []string
	for p.HasMorePages() {
		page, err := p.NextPage(e.ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Events) > 2 {
			t.Fatalf("page of %d", len(page.Events))
		}
		for _, ev := range page.Events {
			paged = append(paged, aws.ToString(ev.LogStreamName)+":"+aws.ToString(ev.Message))
		}
	}
	if strings.Join(paged, "|") != want {
		t.Fatalf("paged:\n%s", strings.Join(paged, "|"))
	}
}

// TestFilterScanBudget: a call that runs out of scan time answers what it
// found with a nextToken, and following the tokens finds every match
// exactly once, as AWS's partial pages do.
func TestFilterScanBudget(t *testing.T) {
	e := newEnv(t, logs.Options{FilterBudget: time.Nanosecond})
	e.group("g")
	for s := 0; s < 3; s++ {
		name := fmt.Sprintf("s%d", s)
		e.stream("g", name)
		var ms []string
		for i := 0; i < 5000; i++ {
			m := fmt.Sprintf("%s line %d", name, i)
			if i%997 == 0 {
				m += " NEEDLE"
			}
			ms = append(ms, m)
		}
		e.put("g", name, times(e.nowMS()-100000+int64(s), 5000), ms...)
	}
	p := cloudwatchlogs.NewFilterLogEventsPaginator(e.c, &cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String("g"), FilterPattern: aws.String("NEEDLE")})
	seen := map[string]bool{}
	pages := 0
	for p.HasMorePages() {
		page, err := p.NextPage(e.ctx)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, ev := range page.Events {
			if seen[aws.ToString(ev.EventId)] {
				t.Fatal("an event came twice")
			}
			seen[aws.ToString(ev.EventId)] = true
		}
	}
	if len(seen) != 18 || pages < 3 {
		t.Fatalf("%d matches in %d pages, want 18 in several", len(seen), pages)
	}
}
