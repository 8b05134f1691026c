package logsapi_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/aws/smithy-go"

	"github.com/quayside/quayside/internal/edge"
	"github.com/quayside/quayside/internal/logs"
	"github.com/quayside/quayside/internal/logs/logsapi"
	"github.com/quayside/quayside/internal/store/boltstore"
)

// clock is a settable time source.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// env is the Logs API behind the real edge router, with its own store,
// an injected clock, and an SDK client pointed at it.
type env struct {
	t      testing.TB
	ctx    context.Context
	c      *cloudwatchlogs.Client
	svc    *logs.Service
	clock  *clock
	dir    string
	region string
	close  func()
}

func newEnv(t testing.TB, opts ...logs.Options) *env {
	t.Helper()
	var o logs.Options
	if len(opts) > 0 {
		o = opts[0]
	}
	e, err := openEnv(t.TempDir(), o)
	if err != nil {
		t.Fatal(err)
	}
	e.t = t
	t.Cleanup(e.close)
	return e
}

// openEnv starts the API on dir; the caller calls close.
func openEnv(dir string, o logs.Options) (*env, error) {
	st, err := boltstore.Open(filepath.Join(dir, "quayside.db"), boltstore.Options{})
	if err != nil {
		return nil, err
	}
	clk := &clock{t: time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)}
	o.Now = clk.Now
	svc, err := logs.Open(st, filepath.Join(dir, "logs"), o)
	if err != nil {
		st.Close()
		return nil, err
	}
	rt := edge.New(slog.New(slog.DiscardHandler), "us-east-1", "test")
	rt.AddJSON(logsapi.New(svc).Service())
	srv := httptest.NewServer(rt)
	closeAll := func() {
		srv.Close()
		svc.Close()
		st.Close()
	}
	return &env{ctx: context.Background(), c: client(srv.URL, "us-east-1"), svc: svc, clock: clk, dir: dir, region: "us-east-1", close: closeAll}, nil
}

func client(url, region string) *cloudwatchlogs.Client {
	return cloudwatchlogs.NewFromConfig(aws.Config{
		Region: region, Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""),
		BaseEndpoint: aws.String(url), RetryMaxAttempts: 1, HTTPClient: bufferedBodies{http.DefaultClient},
	})
}

// bufferedBodies hands net/http a copy of each request body. Without it
// a fast local server exposes aws-sdk-go-v2#2737: the SDK closes the
// request body when the response headers arrive, net/http's later check
// for bytes beyond Content-Length fails on the closed body, and the
// transport closes the connection under a response larger than one 4 KiB
// read ("deserialization failed ... use of closed network connection").
type bufferedBodies struct{ c *http.Client }

func (b bufferedBodies) Do(r *http.Request) (*http.Response, error) {
	if r.Body != nil && r.Body != http.NoBody {
		data, err := io.ReadAll(r.Body)
		r.Body.Close()
		if err != nil {
			return nil, err
		}
		r.Body = io.NopCloser(bytes.NewReader(data))
		r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }
	}
	return b.c.Do(r)
}

// nowMS is the env clock in epoch milliseconds.
func (e *env) nowMS() int64 { return e.clock.Now().UnixMilli() }

func (e *env) group(name string) {
	e.t.Helper()
	if _, err := e.c.CreateLogGroup(e.ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String(name)}); err != nil {
		e.t.Fatal(err)
	}
}

func (e *env) stream(group, name string) {
	e.t.Helper()
	if _, err := e.c.CreateLogStream(e.ctx, &cloudwatchlogs.CreateLogStreamInput{LogGroupName: aws.String(group), LogStreamName: aws.String(name)}); err != nil {
		e.t.Fatal(err)
	}
}

// put stores messages at the given timestamps.
func (e *env) put(group, stream string, ts []int64, msgs ...string) *cloudwatchlogs.PutLogEventsOutput {
	e.t.Helper()
	evs := make([]types.InputLogEvent, len(msgs))
	for i, m := range msgs {
		evs[i] = types.InputLogEvent{Timestamp: aws.Int64(ts[i]), Message: aws.String(m)}
	}
	out, err := e.c.PutLogEvents(e.ctx, &cloudwatchlogs.PutLogEventsInput{LogGroupName: aws.String(group), LogStreamName: aws.String(stream), LogEvents: evs})
	if err != nil {
		e.t.Fatal(err)
	}
	return out
}

// times returns n timestamps one millisecond apart, starting at from.
func times(from int64, n int) []int64 {
	out := make([]int64, n)
	for i := range out {
		out[i] = from + int64(i)
	}
	return out
}

// wantErr checks an API error's code and that its message contains msg.
func wantErr(t *testing.T, err error, code, msg string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("error = %v, want %s", err, code)
	}
	if ae.ErrorCode() != code || !strings.Contains(ae.ErrorMessage(), msg) {
		t.Fatalf("error = %s: %q, want %s containing %q", ae.ErrorCode(), ae.ErrorMessage(), code, msg)
	}
}
