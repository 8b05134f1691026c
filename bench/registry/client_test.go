package main

import (
	"context"
	"errors"
	"math/rand/v2"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecr"

	"github.com/quayside/quayside/internal/servertest"
)

// The benchmark's client pushes and pulls real images through Quayside's
// registry, logged in with a GetAuthorizationToken token, and its pulls
// check what they receive.
func TestClientPushPull(t *testing.T) {
	srv := servertest.Start(t)
	ctx := context.Background()
	c := ecr.NewFromConfig(srv.AWSConfig("us-east-1"))
	out, err := c.GetAuthorizationToken(ctx, &ecr.GetAuthorizationTokenInput{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateRepository(ctx, &ecr.CreateRepositoryInput{RepositoryName: aws.String("bench/t")}); err != nil {
		t.Fatal(err)
	}
	s := &server{name: "quayside", base: srv.URL(), auth: "Basic " + aws.ToString(out.AuthorizationData[0].AuthorizationToken)}
	cl := newClient(s)
	defer cl.close()

	im := randomImage(rand.NewChaCha8([32]byte{1}), 300<<10, 1<<20, 5)
	if err := cl.push(ctx, "bench/t", "v1", im, 2); err != nil {
		t.Fatalf("push: %v", err)
	}
	if err := cl.push(ctx, "bench/t", "v2", im, 2); err != nil { // blobs present: HEAD, then the manifest only
		t.Fatalf("second push: %v", err)
	}
	n, err := cl.pull(ctx, "bench/t", "v1", 3)
	if err != nil {
		t.Fatalf("pull: %v", err)
	}
	if n != im.size() {
		t.Fatalf("pulled %d bytes, the image has %d", n, im.size())
	}
	if _, err := cl.pull(ctx, "bench/t", "missing", 3); err == nil || !strings.Contains(err.Error(), "404") {
		t.Fatalf("pull of a missing tag: %v", err)
	}
	// A blob that does not match its descriptor is refused.
	if err := cl.pullBlob(ctx, "bench/t", descriptor{Digest: im.layers[1].digest, Size: int64(len(im.layers[0].data))}); err == nil {
		t.Fatal("a pull with the wrong size passed")
	}

	// Without the token the registry refuses.
	anon := newClient(&server{name: "anonymous", base: srv.URL()})
	defer anon.close()
	if _, err := anon.pull(ctx, "bench/t", "v1", 1); err == nil || !strings.Contains(err.Error(), "401") {
		t.Fatalf("anonymous pull: %v", err)
	}
}

func TestParallelStopsAtFirstError(t *testing.T) {
	var ran atomic.Int32
	boom := errors.New("boom")
	err := parallel(context.Background(), 100, 2, func(ctx context.Context, i int) error {
		ran.Add(1)
		if i == 3 {
			return boom
		}
		return nil
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err %v", err)
	}
	if ran.Load() == 100 {
		t.Fatal("every job ran after the error")
	}
	if err := parallel(context.Background(), 10, 3, func(context.Context, int) error { return nil }); err != nil {
		t.Fatal(err)
	}
}

func TestSummary(t *testing.T) {
	round := func(q, r float64) map[string]map[string]phaseResult {
		out := map[string]map[string]phaseResult{"quayside": {}, "reference": {}}
		for _, ph := range phases {
			out["quayside"][ph] = phaseResult{}.add(phaseResult{Bytes: int64(q * 1e6), Seconds: 1, RSSBefore: 10 << 20, PeakRSS: 20 << 20})
			out["reference"][ph] = phaseResult{}.add(phaseResult{Bytes: int64(r * 1e6), Seconds: 1})
		}
		return out
	}
	rep := &report{Rounds: []map[string]map[string]phaseResult{round(100, 50), round(90, 100), round(300, 100)}}
	o := options{bigMiB: 500, smallLayers: 50, smallKiB: 1024, concurrentPulls: 20, pullRepeat: 3}
	rep.summarize(o)
	row := rep.Summary[0]
	if row.QuaysideMBps != 100 || row.ReferenceMBps != 100 || row.Ratio != 2 {
		t.Fatalf("summary %+v: want medians 100 and 100, ratio median 2 (of 2, 0.9, 3)", row)
	}
	last := rep.Goals[len(rep.Goals)-1]
	if !last.Met || !strings.Contains(last.Result, "peak 20.0 MiB") {
		t.Fatalf("memory goal %+v", last)
	}
	two := phaseResult{}.add(phaseResult{Bytes: 1e9, Seconds: 1, ServerCPU: 0.5}).add(phaseResult{Bytes: 1e9, Seconds: 3, ServerCPU: 0.5})
	if two.MBps != 500 || two.CPUPerGB != 0.5 {
		t.Fatalf("two turns: %+v", two)
	}
}
