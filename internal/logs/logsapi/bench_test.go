package logsapi_test

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"

	"github.com/quayside/quayside/internal/logs"
)

// The benchmarks go through the whole HTTP path (SDK client, edge
// router, JSON) except BenchmarkSinkIngest, which measures the in-process
// Sink the awslogs driver uses. Fixtures are written through the Sink in
// batches of 10,000 lines of ~100 bytes, with realistic timestamps.

// benchLine is a typical container log line of about 100 bytes.
func benchLine(i int) string {
	return fmt.Sprintf("2025-06-01T12:00:00.000Z INFO request id=%08d path=/api/v1/items status=200 latency_ms=12 bytes=5120", i)
}

// fillStream writes n lines to group/stream through the sink.
func fillStream(b *testing.B, e *env, group, stream string, n int, needleEvery int) {
	b.Helper()
	k := e.svc.Sink()
	start := e.clock.Now().Add(-time.Duration(n) * time.Millisecond)
	batch := make([]logs.Event, 0, 10000)
	for i := 0; i < n; i++ {
		m := benchLine(i)
		if needleEvery > 0 && i%needleEvery == needleEvery-1 {
			m += " ERROR needle"
		}
		batch = append(batch, logs.Event{Timestamp: start.Add(time.Duration(i) * time.Millisecond), Message: m})
		if len(batch) == cap(batch) || i == n-1 {
			if err := k.Put(context.Background(), "us-east-1", "000000000000", group, stream, batch, true); err != nil {
				b.Fatal(err)
			}
			batch = batch[:0]
		}
	}
}

var (
	fixtureOnce sync.Once
	fixture     *env
)

// benchEnv builds, once per run, a group "big" of five streams of
// 1,000,000 events each (one ERROR line in 100,000). TestMain removes it.
func benchEnv(b *testing.B) *env {
	fixtureOnce.Do(func() {
		dir, err := os.MkdirTemp("", "logsbench")
		if err != nil {
			b.Fatal(err)
		}
		if fixture, err = openEnv(dir, logs.Options{FilterBudget: time.Hour}); err != nil {
			b.Fatal(err)
		}
		fixture.t = b
		for s := 0; s < 5; s++ {
			fillStream(b, fixture, "big", fmt.Sprintf("stream-%d", s), 1_000_000, 100_000)
		}
	})
	fixture.t = b
	return fixture
}

func TestMain(m *testing.M) {
	code := m.Run()
	if fixture != nil {
		fixture.close()
		os.RemoveAll(fixture.dir)
	}
	os.Exit(code)
}

// BenchmarkGetLogEventsNewest100: GetLogEvents without a token (the
// newest events) with limit 100, on a 1,000,000-event stream.
func BenchmarkGetLogEventsNewest100(b *testing.B) {
	e := benchEnv(b)
	in := &cloudwatchlogs.GetLogEventsInput{LogGroupName: aws.String("big"), LogStreamName: aws.String("stream-0"), Limit: aws.Int32(100)}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		out, err := e.c.GetLogEvents(e.ctx, in)
		if err != nil || len(out.Events) != 100 {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/1000, "ms/call")
}

// BenchmarkFilterLogEventsTermScan: FilterLogEvents with the term
// pattern ERROR over the 5,000,000-event group, following nextToken to
// the end; reports events scanned per second.
func BenchmarkFilterLogEventsTermScan(b *testing.B) {
	e := benchEnv(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		p := cloudwatchlogs.NewFilterLogEventsPaginator(e.c, &cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String("big"), FilterPattern: aws.String("ERROR")})
		found := 0
		for p.HasMorePages() {
			page, err := p.NextPage(e.ctx)
			if err != nil {
				b.Fatal(err)
			}
			found += len(page.Events)
		}
		if found != 50 {
			b.Fatalf("found %d ERROR lines, want 50", found)
		}
	}
	b.ReportMetric(float64(5_000_000*b.N)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkSinkIngest: lines per second into the store through the
// Sink, in batches of 1,000 lines (one fsync each), from 4 containers at
// once (4 streams).
func BenchmarkSinkIngest(b *testing.B) {
	e := newEnv(b)
	k := e.svc.Sink()
	const batchLines, writers = 1000, 4
	batches := make([][]logs.Event, writers)
	for w := range batches {
		for i := 0; i < batchLines; i++ {
			batches[w] = append(batches[w], logs.Event{Timestamp: e.clock.Now(), Message: benchLine(i)})
		}
	}
	b.ResetTimer()
	var wg sync.WaitGroup
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < b.N; i += writers {
				if err := k.Put(context.Background(), "us-east-1", "000000000000", "ingest", fmt.Sprintf("c%d", w), batches[w], true); err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	b.ReportMetric(float64(b.N*batchLines)/b.Elapsed().Seconds(), "lines/s")
}
