package agent

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/quayside/quayside/internal/docker"
	"github.com/quayside/quayside/internal/logs"
	"github.com/quayside/quayside/internal/store/boltstore"
)

// streamSource serves one prepared multiplexed log stream, as Docker
// serves the log of a container that has stopped.
type streamSource struct{ stream []byte }

func (s streamSource) ContainerLogs(context.Context, string, docker.LogsOptions) (io.ReadCloser, error) {
	return io.NopCloser(bytes.NewReader(s.stream)), nil
}

func (s streamSource) ContainerInspect(_ context.Context, id string) (*docker.Container, error) {
	return &docker.Container{ID: id}, nil
}

// BenchmarkShipperIngest measures the driver from Docker's log stream to
// durable events in the real CloudWatch Logs store: parsing the
// multiplexed stream and its timestamps, batching, and Sink.Put with its
// fsyncs. Each iteration ships 200,000 lines of about 60 bytes, stdout
// and stderr mixed, like testapp's logging mode; the metric is lines/s.
// Docker itself (the daemon writing and reading its json-file log) is not
// included: test/e2e's TestAWSLogsIngestRate measures the whole path.
func BenchmarkShipperIngest(b *testing.B) {
	const lines = 200_000
	var stream bytes.Buffer
	base := time.Now().Add(-time.Hour).UTC()
	for i := range lines {
		s := docker.Stdout
		if i%4 == 3 {
			s = docker.Stderr
		}
		stream.Write(logFrame(docker.LogLine{Stream: s, Text: fmt.Sprintf("testapp %s line %d level=info msg=\"request served\"", s, i),
			Time: base.Add(time.Duration(i) * time.Microsecond)}))
	}
	dir := b.TempDir()
	st, err := boltstore.Open(filepath.Join(dir, "quayside.db"), boltstore.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	svc, err := logs.Open(st, filepath.Join(dir, "logs"), logs.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer svc.Close()
	sink := svc.Sink()
	noSave := func(context.Context, time.Time) error { return nil }
	b.SetBytes(int64(stream.Len()))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		cfg := awslogsConfig{Region: "us-east-1", Account: "000000000000", Group: "/bench", Stream: fmt.Sprintf("web/app/%d", i), CreateGroup: true}
		s := newShipper("app", "id", cfg, streamSource{stream.Bytes()}, sink, time.Time{}, noSave, time.Now, slog.New(slog.DiscardHandler))
		s.run(context.Background())
		if _, shipped, _ := s.state(); shipped != lines {
			b.Fatalf("%d lines shipped, want %d", shipped, lines)
		}
	}
	b.ReportMetric(float64(b.N*lines)/b.Elapsed().Seconds(), "lines/s")
}
