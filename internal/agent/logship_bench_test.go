package agent

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/quayside/quayside/internal/docker"
	"github.com/quayside/quayside/internal/logs"
	"github.com/quayside/quayside/internal/store/boltstore"
	"github.com/quayside/quayside/internal/testimage"
)

// The awslogs driver's benchmarks. Each ships 200,000 lines of about 60
// bytes (stdout and stderr, like a busy app) into the real CloudWatch
// Logs store (bbolt metadata, segment files, one fsync per batch) in a
// temp dir, and reports lines/s and the CPU time spent per line: by
// this process (cpu-µs/line: the driver, the store, the Go runtime), and
// for the Docker variants also by the Docker daemon (dockerd-µs/line).
// CPU time per line is the figure to compare on a busy machine.
//
//	BenchmarkShipperIngest       the logs endpoint's stream, prepared in memory
//	BenchmarkShipperIngestFile   the json-file driver's files, prepared in a temp dir
//	BenchmarkShipperDocker       a real container's log, read back through the
//	                             logs endpoint and from its files, in the same run

const benchLines = 200_000

// benchLine is line i of a benchmark log and the stream it goes to.
func benchLine(i int) (docker.Stream, string) {
	s := docker.Stdout
	if i%4 == 3 {
		s = docker.Stderr
	}
	return s, fmt.Sprintf("testapp %s line %d level=info msg=\"request served\"", s, i)
}

// streamSource serves one prepared multiplexed log stream, as Docker
// serves the log of a container that has stopped; a tail is the last
// frames.
type streamSource struct {
	stream []byte
	frames []int // offset of each frame
}

func (s streamSource) ContainerLogs(_ context.Context, _ string, opts docker.LogsOptions) (io.ReadCloser, error) {
	b := s.stream
	if n, err := strconv.Atoi(opts.Tail); err == nil && n < len(s.frames) {
		b = b[s.frames[len(s.frames)-n]:]
	}
	return io.NopCloser(bytes.NewReader(b)), nil
}

func (s streamSource) ContainerInspect(_ context.Context, id string) (*docker.Container, error) {
	return &docker.Container{ID: id}, nil
}

// stoppedFiles is the json-file log of a container that has stopped.
type stoppedFiles struct{ log jsonLog }

func (f stoppedFiles) locate(context.Context, string) (jsonLog, error) { return f.log, nil }
func (stoppedFiles) waitStopped(context.Context, string) error         { return nil }

// benchSink opens a CloudWatch Logs store in a temp dir.
func benchSink(b *testing.B) logs.Sink {
	dir := b.TempDir()
	st, err := boltstore.Open(filepath.Join(dir, "quayside.db"), boltstore.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	svc, err := logs.Open(st, filepath.Join(dir, "logs"), logs.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { svc.Close() })
	return svc.Sink()
}

// shipAll runs one shipper over the whole log of a stopped container
// into a new stream and checks that every line was stored.
func shipAll(b *testing.B, sink logs.Sink, i int, id string, src logSource, files logFiles, want int) {
	cfg := awslogsConfig{Region: "us-east-1", Account: "000000000000", Group: "/bench", Stream: fmt.Sprintf("web/app/%d", i), CreateGroup: true}
	noSave := func(context.Context, time.Time) error { return nil }
	s := newShipper("app", id, cfg, src, sink, time.Time{}, noSave, time.Now, slog.New(slog.DiscardHandler))
	s.files = files
	s.run(context.Background())
	if _, shipped, _ := s.state(); shipped != want {
		b.Fatalf("%d lines shipped, want %d", shipped, want)
	}
}

// cpuMeter reports the CPU time this process, and optionally another,
// spent per line over a benchmark.
type cpuMeter struct {
	self  time.Duration
	other int // pid, or 0
	oth   time.Duration
}

func startCPU(other int) cpuMeter {
	return cpuMeter{self: selfCPU(), other: other, oth: processCPU(other)}
}

func (m cpuMeter) report(b *testing.B, lines int) {
	b.ReportMetric(float64(b.N*lines)/b.Elapsed().Seconds(), "lines/s")
	b.ReportMetric(float64((selfCPU()-m.self).Microseconds())/float64(b.N*lines), "cpu-µs/line")
	if m.other != 0 {
		b.ReportMetric(float64((processCPU(m.other)-m.oth).Microseconds())/float64(b.N*lines), "dockerd-µs/line")
	}
}

func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// processCPU is the user and system time of process pid, from /proc.
func processCPU(pid int) time.Duration {
	if pid == 0 {
		return 0
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// Fields after the command, which is in parentheses: state is the
	// 3rd field of the line, utime and stime the 14th and 15th.
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
	if len(f) < 13 {
		return 0
	}
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(ut+st) * time.Second / 100 // USER_HZ
}

// dockerdPID finds the Docker daemon's process, or 0.
func dockerdPID() int {
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if comm, err := os.ReadFile("/proc/" + e.Name() + "/comm"); err == nil && string(bytes.TrimSpace(comm)) == "dockerd" {
			return pid
		}
	}
	return 0
}

// BenchmarkShipperIngest measures the driver from the logs endpoint's
// stream to durable events: parsing the multiplexed stream and its
// timestamps, batching, and Sink.Put with its fsyncs. Docker itself is
// not included.
func BenchmarkShipperIngest(b *testing.B) {
	var stream bytes.Buffer
	var frames []int
	base := time.Now().Add(-time.Hour).UTC()
	for i := range benchLines {
		s, text := benchLine(i)
		frames = append(frames, stream.Len())
		stream.Write(logFrame(docker.LogLine{Stream: s, Text: text, Time: base.Add(time.Duration(i) * time.Microsecond)}))
	}
	sink := benchSink(b)
	src := streamSource{stream.Bytes(), frames}
	b.SetBytes(int64(stream.Len()))
	m := startCPU(0)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		shipAll(b, sink, i, "id", src, nil, benchLines)
	}
	m.report(b, benchLines)
}

// BenchmarkShipperIngestFile measures the driver reading the json-file
// driver's files: the same lines, in three files as rotation leaves
// them.
func BenchmarkShipperIngestFile(b *testing.B) {
	jl := jsonLog{path: filepath.Join(b.TempDir(), "id-json.log"), maxFiles: 3}
	base := time.Now().Add(-time.Hour).UTC()
	size := 0
	for k := 2; k >= 0; k-- {
		var file bytes.Buffer
		for i := (2 - k) * benchLines / 3; i < (3-k)*benchLines/3; i++ {
			s, text := benchLine(i)
			file.Write(entry(s, text+"\n", base.Add(time.Duration(i)*time.Microsecond)))
		}
		if err := os.WriteFile(jl.name(k), file.Bytes(), 0o640); err != nil {
			b.Fatal(err)
		}
		size += file.Len()
	}
	sink := benchSink(b)
	b.SetBytes(int64(size))
	m := startCPU(0)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		shipAll(b, sink, i, "id", nil, stoppedFiles{jl}, benchLines)
	}
	m.report(b, benchLines)
}

// BenchmarkShipperDocker runs a container that writes the benchmark's
// lines as fast as it can (busybox's seq and sed) and, once it has
// stopped, ships its whole log again and again: through the logs
// endpoint, where the daemon decodes its json-file and re-encodes each
// line, and from the files. Both in the same run, on the same log: their
// ratio holds however busy the machine is. It needs Docker.
func BenchmarkShipperDocker(b *testing.B) {
	c, err := docker.FromEnv()
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()
	if err := c.Ping(ctx); err != nil {
		b.Fatalf("this benchmark needs Docker: %v", err)
	}
	img, err := testimage.EnsureBusybox(ctx, c)
	if err != nil {
		b.Fatal(err)
	}
	script := fmt.Sprintf(`seq 0 %d | sed 's/^/testapp stdout line level=info msg="request served" n=/'; `+
		`seq 0 %d | sed 's/^/testapp stderr line level=warn msg="slow request" n=/' >&2`, benchLines*3/4-1, benchLines/4-1)
	suffix := make([]byte, 6)
	rand.Read(suffix)
	id, err := c.ContainerCreate(ctx, "quayside-logbench-"+hex.EncodeToString(suffix), &docker.ContainerConfig{Image: img, Cmd: []string{"sh", "-c", script}}, nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer c.ContainerRemove(ctx, id, docker.ContainerRemoveOptions{Force: true})
	if err := c.ContainerStart(ctx, id); err != nil {
		b.Fatal(err)
	}
	if _, err := c.ContainerWait(ctx, id, docker.WaitNotRunning); err != nil {
		b.Fatal(err)
	}
	files := dockerLogFiles{c}
	if _, err := files.locate(ctx, id); err != nil {
		b.Fatalf("the container's log cannot be read from disk: %v", err)
	}
	dockerd := dockerdPID()
	for _, v := range []struct {
		name  string
		files logFiles
	}{{"endpoint", nil}, {"files", files}} {
		b.Run(v.name, func(b *testing.B) {
			sink := benchSink(b)
			m := startCPU(dockerd)
			for i := 0; i < b.N; i++ {
				shipAll(b, sink, i, id, c, v.files, benchLines)
			}
			m.report(b, benchLines)
		})
	}
}
