package ecsapi_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/quayside/quayside/internal/ecs"
	"github.com/quayside/quayside/internal/ecs/ecsapi"
	"github.com/quayside/quayside/internal/ecs/ecsdb"
	"github.com/quayside/quayside/internal/edge"
	"github.com/quayside/quayside/internal/store"
	"github.com/quayside/quayside/internal/store/boltstore"
)

// The task definition benchmarks drive the edge router in process, with
// no network and no SDK, so ns/op and allocs/op are the server's own cost
// per call: the request in, routing, decoding, the store and the response
// out. The store is preloaded directly (not through the API) to keep
// set-up fast. cpu-ns/op is the process's CPU time per call, the garbage
// collector's included: on a machine shared with other work it varies
// less than ns/op, which also counts the time spent waiting for a CPU.
//
//	go test ./internal/ecs/ecsapi -run '^$' -bench 'TaskDefinition|Mix' -benchmem
//	go test ./internal/ecs/ecsapi -run '^$' -bench Mix -cpuprofile cpu.out

// benchTaskDef is what bench/api registers: one container with a port
// mapping and two environment variables.
const benchTaskDef = `{"family":%q,"containerDefinitions":[{"name":"app",` +
	`"image":"public.ecr.aws/docker/library/nginx:1.27","cpu":128,"memory":256,"essential":true,` +
	`"portMappings":[{"containerPort":8080,"protocol":"tcp"}],` +
	`"environment":[{"name":"MODE","value":"bench"},{"name":"LOG_LEVEL","value":"info"}]}]}`

// benchRouter is an ECS API behind the edge router, on its own store.
type benchRouter struct {
	rt http.Handler
	st store.Store
}

func newBenchRouter(b *testing.B) *benchRouter {
	b.Helper()
	st, err := boltstore.Open(filepath.Join(b.TempDir(), "quayside.db"), boltstore.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	rt := edge.New(slog.New(slog.DiscardHandler), "us-east-1", "bench")
	rt.AddJSON(ecsapi.New(st, ecsapi.Options{}).Service())
	return &benchRouter{rt: rt, st: st}
}

// bufferWriter is a ResponseWriter that keeps the status and the body.
type bufferWriter struct {
	h      http.Header
	status int
	body   bytes.Buffer
}

func (w *bufferWriter) Header() http.Header         { return w.h }
func (w *bufferWriter) WriteHeader(code int)        { w.status = code }
func (w *bufferWriter) Write(p []byte) (int, error) { return w.body.Write(p) }

// cpuTime is the CPU time the process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPU reports cpu-ns/op for the calls made since start.
func reportCPU(b *testing.B, start time.Duration) {
	if b.N > 0 {
		b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
	}
}

// call serves one ECS operation as the SDK sends it and returns the
// response body; anything but a 200 fails the benchmark.
func (r *benchRouter) call(b *testing.B, op, body string) []byte {
	req, err := http.NewRequest(http.MethodPost, "http://127.0.0.1/", strings.NewReader(body))
	if err != nil {
		b.Fatal(err)
	}
	req.RemoteAddr = "127.0.0.1:40000"
	req.Header.Set("X-Amz-Target", ecsTargetPrefix+op)
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=test/20250101/us-east-1/ecs/aws4_request, "+
		"SignedHeaders=amz-sdk-invocation-id;amz-sdk-request;content-length;content-type;host;x-amz-date;x-amz-target, "+
		"Signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")
	req.Header.Set("X-Amz-Date", "20250101T000000Z")
	req.Header.Set("Amz-Sdk-Invocation-Id", "00000000-0000-4000-8000-000000000000")
	req.Header.Set("Amz-Sdk-Request", "attempt=1; max=1")
	req.Header.Set("User-Agent", "aws-sdk-go-v2/1.47.7 os/linux lang/go#1.26 md/GOOS#linux md/GOARCH#amd64 api/ecs#1.104.1")
	w := &bufferWriter{h: http.Header{}}
	r.rt.ServeHTTP(w, req)
	if w.status != 0 && w.status != http.StatusOK {
		b.Fatalf("%s %s: %d %s", op, body, w.status, w.body.Bytes())
	}
	return w.body.Bytes()
}

// preload registers one task definition of family through the API, then
// copies it into the store as revisions 2 to n, in large transactions.
func (r *benchRouter) preload(b *testing.B, family string, n int) {
	b.Helper()
	r.call(b, "RegisterTaskDefinition", fmt.Sprintf(benchTaskDef, family))
	s := ecsdb.Scope{Region: "us-east-1", Account: testAccount}
	var td ecs.TaskDefinition
	if err := r.st.View(context.Background(), func(tx store.ReadTx) error {
		var err error
		td, err = ecsdb.GetTaskDefinition(tx, s, family, 1)
		return err
	}); err != nil {
		b.Fatal(err)
	}
	const perTx = 5000
	for done := 1; done < n; done += perTx {
		if err := r.st.Update(context.Background(), func(tx store.Tx) error {
			for range min(perTx, n-done) {
				rev, err := ecsdb.NextRevision(tx, s, family)
				if err != nil {
					return err
				}
				td.Revision, td.ARN = rev, ecs.TaskDefinitionARN(s.Region, s.Account, family, rev)
				if err := ecsdb.PutTaskDefinition(tx, s, td); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDescribeTaskDefinition(b *testing.B) {
	for _, n := range []int{10_000, 50_000} {
		r := newBenchRouter(b)
		r.preload(b, "web", n)
		for _, tc := range []struct{ name, ref string }{
			{"family", "web"},
			{"family:revision", fmt.Sprintf("web:%d", n/2)},
		} {
			b.Run(fmt.Sprintf("stored=%d/%s", n, tc.name), func(b *testing.B) {
				body := fmt.Sprintf(`{"taskDefinition":%q}`, tc.ref)
				b.ReportAllocs()
				cpu0 := cpuTime()
				for b.Loop() {
					r.call(b, "DescribeTaskDefinition", body)
				}
				reportCPU(b, cpu0)
			})
		}
	}
}

func BenchmarkListTaskDefinitions(b *testing.B) {
	r := newBenchRouter(b)
	// 100 families of 100 revisions, as bench/api preloads, and one large
	// family to page through.
	for f := range 100 {
		r.preload(b, fmt.Sprintf("benchpre-%05d", f), 100)
	}
	r.preload(b, "web", 50_000)
	for _, tc := range []struct{ name, body string }{
		{"family=100/page=100", `{"familyPrefix":"benchpre-00042","maxResults":100}`},
		{"family=50000/page=100", `{"familyPrefix":"web","maxResults":100}`},
		{"family=50000/page=100/desc", `{"familyPrefix":"web","maxResults":100,"sort":"DESC"}`},
		{"all=60000/page=100", `{"maxResults":100}`},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			cpu0 := cpuTime()
			for b.Loop() {
				out := r.call(b, "ListTaskDefinitions", tc.body)
				if n := bytes.Count(out, []byte("arn:aws:ecs:")); n != 100 {
					b.Fatalf("%d ARNs, want 100: %s", n, out)
				}
			}
			reportCPU(b, cpu0)
		})
	}
}

// BenchmarkMix is bench/api's mixed phase in process: RegisterTaskDefinition,
// DescribeTaskDefinition, ListTaskDefinitions (a 100-revision family) and
// DescribeClusters in turn. Registers wait for their commit, so ns/op is
// not CPU time; cpu-ns/op and the CPU profile are what this is for.
func BenchmarkMix(b *testing.B) {
	r := newBenchRouter(b)
	r.call(b, "CreateCluster", `{"clusterName":"bench"}`)
	for f := range 100 {
		r.preload(b, fmt.Sprintf("benchpre-%05d", f), 100)
	}
	register := fmt.Sprintf(benchTaskDef, "benchmix")
	b.ReportAllocs()
	b.SetParallelism(8)
	b.ResetTimer()
	var next atomic.Int64
	cpu0 := cpuTime()
	defer reportCPU(b, cpu0)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := next.Add(1)
			fam := fmt.Sprintf("benchpre-%05d", i%100)
			switch i % 4 {
			case 0:
				r.call(b, "RegisterTaskDefinition", register)
			case 1:
				r.call(b, "DescribeTaskDefinition", fmt.Sprintf(`{"taskDefinition":"%s:%d"}`, fam, 1+i%100))
			case 2:
				r.call(b, "ListTaskDefinitions", fmt.Sprintf(`{"familyPrefix":%q,"maxResults":100}`, fam))
			default:
				r.call(b, "DescribeClusters", `{"clusters":["bench"]}`)
			}
		}
	})
}

// BenchmarkDescribeClusters is the cheapest call of the mix: mostly the
// cost of the edge router and the protocol.
func BenchmarkDescribeClusters(b *testing.B) {
	r := newBenchRouter(b)
	r.call(b, "CreateCluster", `{"clusterName":"bench"}`)
	b.ReportAllocs()
	cpu0 := cpuTime()
	for b.Loop() {
		r.call(b, "DescribeClusters", `{"clusters":["bench"]}`)
	}
	reportCPU(b, cpu0)
}

// BenchmarkRegisterTaskDefinition registers from 16 goroutines at once, as
// bench/api's preload does: ns/op is wall time per registration, with the
// commits and their fsyncs shared.
func BenchmarkRegisterTaskDefinition(b *testing.B) {
	r := newBenchRouter(b)
	var next atomic.Int64
	b.ReportAllocs()
	b.SetParallelism(8)
	cpu0 := cpuTime()
	defer reportCPU(b, cpu0)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			r.call(b, "RegisterTaskDefinition", fmt.Sprintf(benchTaskDef, fmt.Sprintf("benchpre-%05d", next.Add(1)%100)))
		}
	})
}
