// Command registry benchmarks Quayside's OCI registry (ECR's data plane)
// against Debian's docker-registry, the reference distribution registry,
// side by side in one run.
//
// It starts Quayside (`quayside up --no-agent`; bin/quayside, built from
// ./cmd/quayside first unless -quayside names a binary) and
// docker-registry, each on loopback with an empty temporary data dir.
// Each of -rounds (5) rounds runs these phases on both servers:
//
//	push-large       one image of one -large-mib layer (default 500 MiB)
//	pull-large       the same image back, -pull-repeat (3) times
//	push-small       one image of -small-layers layers (50 of 1 MiB)
//	pull-small       the same image back, -pull-repeat times
//	pull-concurrent  -concurrent-pulls (20) pulls of that image at once
//
// The servers take turns phase by phase and, in the pull phases, pull by
// pull; who goes first alternates from phase to phase and round to round.
// So both meet the same load from the rest of the machine, and the ratio
// of each round is a paired comparison.
//
// The client speaks the registry protocol as docker does (bench/registry
// client.go): -push-jobs blobs at a time (5, dockerd's default), each
// HEAD, POST, one streamed PATCH, PUT ?digest=, then the manifest; pulls
// -pull-jobs blobs at a time (3, dockerd's default), each checked against
// its digest as it streams. Layers are random bytes, new every round, so
// every push uploads every byte. Quayside is logged in as docker login
// does (Basic AWS:<GetAuthorizationToken>); the reference registry runs
// without authentication, its default.
//
// For each phase it reports MB/s (10^6 bytes per second of wall time,
// manifests and configs included), the server's CPU seconds per GB, and
// the server's RSS sampled every 10 ms; then the median over rounds of
// each side and of the per-round ratio Quayside / reference.
//
//	go run ./bench/registry                      # about 2 minutes
//	go run ./bench/registry -json > results.json
//	go run ./bench/registry -quayside bin/quayside -rounds 3 -large-mib 100
package main

import (
	"context"
	crand "crypto/rand"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"

	"github.com/quayside/quayside/bench/internal/benchproc"
)

type options struct {
	quayside, reference string
	rounds              int
	bigMiB              int
	smallLayers         int
	smallKiB            int
	concurrentPulls     int
	pullRepeat          int
	pushJobs, pullJobs  int
	json                bool
}

func main() { os.Exit(run()) }

func run() int {
	var o options
	flag.StringVar(&o.quayside, "quayside", "", "quayside binary; empty builds ./cmd/quayside into bin/quayside first (make build)")
	flag.StringVar(&o.reference, "reference", "docker-registry", "the reference registry binary (Debian: apt-get install docker-registry)")
	flag.IntVar(&o.rounds, "rounds", 5, "rounds; each runs every phase on both servers")
	flag.IntVar(&o.bigMiB, "large-mib", 500, "size of the single-layer image's layer, MiB")
	flag.IntVar(&o.smallLayers, "small-layers", 50, "layers of the many-layer image")
	flag.IntVar(&o.smallKiB, "small-kib", 1024, "size of each of those layers, KiB")
	flag.IntVar(&o.concurrentPulls, "concurrent-pulls", 20, "pulls at once of the many-layer image")
	flag.IntVar(&o.pullRepeat, "pull-repeat", 3, "pulls, one after the other, in each of the two single-pull phases")
	flag.IntVar(&o.pushJobs, "push-jobs", 5, "blobs one push uploads at a time (dockerd: max-concurrent-uploads 5)")
	flag.IntVar(&o.pullJobs, "pull-jobs", 3, "blobs one pull downloads at a time (dockerd: max-concurrent-downloads 3)")
	flag.BoolVar(&o.json, "json", false, "print the report as JSON (progress stays on stderr)")
	flag.Parse()

	var err error
	if o.reference, err = exec.LookPath(o.reference); err != nil {
		fmt.Fprintln(os.Stderr, "registry: the reference registry is not installed (apt-get install -y docker-registry):", err)
		return 2
	}
	if o.quayside == "" {
		o.quayside = filepath.Join("bin", "quayside")
		logf("building ./cmd/quayside into %s", o.quayside)
		if out, err := exec.Command("go", "build", "-o", o.quayside, "./cmd/quayside").CombinedOutput(); err != nil {
			fmt.Fprintf(os.Stderr, "registry: go build ./cmd/quayside (run from the repository root): %v\n%s", err, out)
			return 2
		}
	}
	if _, err := os.Stat(o.quayside); err != nil {
		fmt.Fprintln(os.Stderr, "registry: no quayside binary:", err)
		return 2
	}
	o.quayside, _ = filepath.Abs(o.quayside) // the servers run in a temp dir
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	rep, err := bench(ctx, o)
	if rep != nil {
		rep.summarize(o)
		if o.json {
			enc := json.NewEncoder(os.Stdout)
			enc.SetIndent("", "  ")
			_ = enc.Encode(rep)
		} else {
			rep.print(os.Stdout, o)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "registry:", err)
		return 1
	}
	return 0
}

func bench(ctx context.Context, o options) (*report, error) {
	dir, err := os.MkdirTemp("", "bench-registry-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	ps := &benchproc.Group{}
	defer ps.StopAll(5 * time.Second)
	go func() { <-ctx.Done(); ps.StopAll(5 * time.Second) }()

	q, err := startQuayside(ctx, ps, dir, o.quayside)
	if err != nil {
		return nil, fmt.Errorf("quayside: %w", err)
	}
	ref, err := startReference(ps, dir, o.reference)
	if err != nil {
		return nil, fmt.Errorf("reference: %w", err)
	}
	for _, repo := range []string{repoBig, repoSmall} {
		if err := q.createRepo(ctx, repo); err != nil {
			return nil, fmt.Errorf("quayside CreateRepository %s: %w", repo, err)
		}
	}
	rep := &report{Started: time.Now().UTC().Format(time.RFC3339), CPUs: runtime.NumCPU(), LoadBefore: benchproc.LoadAvg(),
		Quayside: o.quayside, Reference: version(o.reference)}
	logf("quayside %s (%s), reference %s (%s); load average %.2f", q.base, o.quayside, ref.base, rep.Reference, rep.LoadBefore)
	var seed [32]byte
	_, _ = crand.Read(seed[:])
	rng := rand.NewChaCha8(seed)
	for round := 1; round <= o.rounds; round++ {
		ims := newImages(rng, o)
		res, err := runRound(ctx, []*server{q, ref}, round, ims, o)
		rep.Rounds = append(rep.Rounds, res)
		if err != nil {
			return rep, err
		}
		for _, ph := range phases {
			for _, name := range []string{q.name, ref.name} {
				r := res[name][ph]
				logf("round %d %-9s %-15s %8.1f MB/s  %5.2f s  server CPU %.2f s/GB  RSS %s → peak %s", round, name, ph,
					r.MBps, r.Seconds, r.CPUPerGB, mib(r.RSSBefore), mib(r.PeakRSS))
			}
		}
	}
	rep.LoadAfter = benchproc.LoadAvg()
	return rep, ctx.Err()
}

// version is the first line of `<bin> --version`.
func version(bin string) string {
	out, err := exec.Command(bin, "--version").CombinedOutput()
	if err != nil {
		return "unknown"
	}
	line, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
	return line
}

func mib(b int64) string { return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20)) }

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "registry: "+format+"\n", args...)
}
