package ssmapi_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"

	"github.com/quayside/quayside/internal/server"
)

const benchParams = 10000

// BenchmarkGetParameter measures GetParameter(WithDecryption) of random
// SecureStrings among 10,000 stored, through the SDK over loopback, from
// parallel clients in this process. The goal (issue 7) is 5,000 calls/s
// on 2 cores: run with -cpu 2 and read calls/s, or on a busy machine
// cpu-µs/call (server and clients together; 2 cores allow 2,000,000 /
// cpu-µs/call calls/s).
func BenchmarkGetParameter(b *testing.B) {
	c := benchClient(b)
	b.ReportAllocs()
	cpu0 := cpuTime()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := rand.IntN(benchParams)
			out, err := c.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String(fmt.Sprintf("/bench/app%05d/secret", i)), WithDecryption: aws.Bool(true)})
			if err != nil || *out.Parameter.Value != fmt.Sprintf("value-%d", i) {
				b.Errorf("GetParameter: %v", err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "calls/s")
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/float64(b.N), "cpu-µs/call")
}

// The benchmark's server is started and preloaded once per process (the
// benchmark function runs several times as b.N grows) and stopped by
// TestMain.
var bench struct {
	once   sync.Once
	client *ssm.Client
	err    error
	stop   func()
}

func TestMain(m *testing.M) {
	code := m.Run()
	if bench.stop != nil {
		bench.stop()
	}
	os.Exit(code)
}

func benchClient(b *testing.B) *ssm.Client {
	b.Helper()
	bench.once.Do(func() { bench.client, bench.err = startBench() })
	if bench.err != nil {
		b.Fatal(bench.err)
	}
	return bench.client
}

func startBench() (*ssm.Client, error) {
	dir, err := os.MkdirTemp("", "quayside-bench-")
	if err != nil {
		return nil, err
	}
	srv, err := server.New(server.Config{Listen: "127.0.0.1:0", DataDir: dir, NoAgent: true})
	if err != nil {
		return nil, err
	}
	runCtx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = srv.Run(runCtx) }()
	bench.stop = func() { cancel(); <-done; srv.Close(); os.RemoveAll(dir) }
	c := ssm.NewFromConfig(aws.Config{
		Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""),
		BaseEndpoint: aws.String(srv.URL()), RetryMaxAttempts: 1,
		HTTPClient: awshttp.NewBuildableClient().WithTransportOptions(func(tr *http.Transport) { tr.MaxIdleConnsPerHost = 256 }),
	})
	err = parallel(benchParams, func(i int) error {
		_, err := c.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String(fmt.Sprintf("/bench/app%05d/secret", i)),
			Value: aws.String(fmt.Sprintf("value-%d", i)), Type: types.ParameterTypeSecureString})
		return err
	})
	return c, err
}

// parallel runs fn(0..n-1) on 64 workers and returns the first error.
func parallel(n int, fn func(int) error) error {
	var wg sync.WaitGroup
	var once sync.Once
	var first error
	for w := range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += 64 {
				if err := fn(i); err != nil {
					once.Do(func() { first = err })
					return
				}
			}
		}()
	}
	wg.Wait()
	return first
}

// cpuTime is the CPU time (user and system) this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
