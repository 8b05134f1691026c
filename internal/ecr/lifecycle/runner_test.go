package lifecycle

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/quayside/quayside/internal/ecr"
	"github.com/quayside/quayside/internal/ecr/ecrdb"
	"github.com/quayside/quayside/internal/ecs"
	"github.com/quayside/quayside/internal/ecs/ecsdb"
	"github.com/quayside/quayside/internal/store"
)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func createRepo(t *testing.T, st store.Store, name, policy string, at time.Time) {
	t.Helper()
	r, err := ecr.NewRepository{Region: scope.Region, Account: scope.Account, Name: name}.Build(at)
	if err != nil {
		t.Fatal(err)
	}
	if policy != "" {
		r.LifecyclePolicyText, r.LifecyclePolicyUpdatedAt = policy, &at
	}
	update(t, st, func(tx store.Tx) error { return ecrdb.CreateRepository(tx, scope, r) })
}

// push stores an image whose config blob is the given content, pushed at
// the given time.
func push(t *testing.T, st store.Store, repo, config string, at time.Time, tags ...string) ecr.Digest {
	t.Helper()
	cd := ecr.FromBytes(ecr.SHA256, []byte(config))
	body := []byte(fmt.Sprintf(`{"schemaVersion":2,"mediaType":%q,"config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":%q,"size":%d},"layers":[]}`,
		ecr.MediaTypeOCIManifest, cd, len(config)))
	m, err := ecr.ParseManifest("", body)
	if err != nil {
		t.Fatal(err)
	}
	d := ecr.FromBytes(ecr.SHA256, body)
	update(t, st, func(tx store.Tx) error {
		r, err := ecrdb.Repository(tx, scope, repo)
		if err != nil {
			return err
		}
		if _, err := ecrdb.LinkBlob(tx, scope, repo, cd, int64(len(config)), at); err != nil {
			return err
		}
		_, _, err = ecrdb.PutImage(tx, scope, ecrdb.PutImageInput{Repository: r, Digest: d, Manifest: m, Body: body, Tags: tags, Now: at})
		return err
	})
	return d
}

func images(t *testing.T, st store.Store, repo string) map[ecr.Digest]bool {
	t.Helper()
	out := map[ecr.Digest]bool{}
	err := st.View(context.Background(), func(tx store.ReadTx) error {
		ims, err := ecrdb.ListImages(tx, scope, repo, "", 0)
		for _, im := range ims {
			out[im.Digest] = true
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

const keepOne = `{"rules":[{"rulePriority":1,"description":"keep the newest image","selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}}]}`

// A scheduled run expires what the policy selects, except the image a
// running task uses, and only once the interval has passed since the
// policy was set.
func TestRunnerExpiresButKeepsRunningTaskImage(t *testing.T) {
	st := openStore(t)
	clk := &clock{t: now}
	createRepo(t, st, "web", keepOne, clk.Now())
	old := push(t, st, "web", "old", now.Add(-3*time.Hour), "v1")
	used := push(t, st, "web", "used", now.Add(-2*time.Hour), "v2")
	newest := push(t, st, "web", "new", now.Add(-1*time.Hour), "v3")
	update(t, st, func(tx store.Tx) error {
		if err := ecsdb.PutCluster(tx, ecsScope, ecs.Cluster{Name: "default", Status: "ACTIVE"}); err != nil {
			return err
		}
		return ecsdb.PutTask(tx, ecsScope, "default", task("t1", ecs.TaskRunning, "localhost:4566/web:v2"))
	})
	r := NewRunner(Config{Store: st, Interval: time.Hour, Now: clk.Now})
	ctx := context.Background()
	if rep, err := r.RunOnce(ctx); err != nil || rep.Repositories != 0 {
		t.Fatalf("before the interval: %+v, %v", rep, err)
	}
	clk.Add(time.Hour)
	rep, err := r.RunOnce(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Repositories != 1 || rep.Expired != 1 || rep.Kept != 1 {
		t.Fatalf("report %+v", rep)
	}
	have := images(t, st, "web")
	if have[old] || !have[used] || !have[newest] {
		t.Fatalf("images after the run: %v (old %s, used %s, new %s)", have, old, used, newest)
	}
	if rep, _ := r.RunOnce(ctx); rep.Repositories != 0 {
		t.Fatalf("ran again at once: %+v", rep)
	}
	var repo ecr.Repository
	_ = st.View(ctx, func(tx store.ReadTx) (err error) { repo, err = ecrdb.GetRepository(tx, scope, "web"); return err })
	if repo.LifecyclePolicyEvaluatedAt == nil || !repo.LifecyclePolicyEvaluatedAt.Equal(clk.Now()) {
		t.Fatalf("lastEvaluatedAt = %v", repo.LifecyclePolicyEvaluatedAt)
	}
	// Once the task stops, the next run expires its image.
	update(t, st, func(tx store.Tx) error {
		return ecsdb.PutTask(tx, ecsScope, "default", task("t1", ecs.TaskStopped, "localhost:4566/web:v2"))
	})
	clk.Add(time.Hour)
	if rep, err := r.RunOnce(ctx); err != nil || rep.Expired != 1 {
		t.Fatalf("after the task stopped: %+v, %v", rep, err)
	}
	if have := images(t, st, "web"); have[used] || !have[newest] {
		t.Fatalf("images after the task stopped: %v", have)
	}
}

// The loop runs on its own with a short interval, against the real store.
func TestRunnerLoop(t *testing.T) {
	st := openStore(t)
	createRepo(t, st, "loop", keepOne, time.Now().Add(-time.Minute))
	old := push(t, st, "loop", "a", time.Now().Add(-2*time.Minute))
	push(t, st, "loop", "b", time.Now().Add(-time.Minute))
	createRepo(t, st, "nopolicy", "", time.Now())
	keep := push(t, st, "nopolicy", "c", time.Now().Add(-time.Hour))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); NewRunner(Config{Store: st, Interval: 20 * time.Millisecond}).Run(ctx) }()
	defer func() { cancel(); <-done }()
	deadline := time.Now().Add(10 * time.Second)
	for images(t, st, "loop")[old] {
		if time.Now().After(deadline) {
			t.Fatal("the runner did not expire the old image in 10 s")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if !images(t, st, "nopolicy")[keep] {
		t.Fatal("an image of a repository without a policy was expired")
	}
}

// Referrers expire with their subject.
func TestExpireTakesReferrers(t *testing.T) {
	st := openStore(t)
	createRepo(t, st, "sig", "", now)
	subject := push(t, st, "sig", "subject", now.Add(-2*time.Hour))
	push(t, st, "sig", "newer", now.Add(-time.Hour))
	cfg := "{}"
	cd := ecr.FromBytes(ecr.SHA256, []byte(cfg))
	body := []byte(fmt.Sprintf(`{"schemaVersion":2,"mediaType":%q,"artifactType":"application/x.sig","config":{"mediaType":"application/vnd.oci.empty.v1+json","digest":%q,"size":2},"layers":[],"subject":{"mediaType":%q,"digest":%q,"size":1}}`,
		ecr.MediaTypeOCIManifest, cd, ecr.MediaTypeOCIManifest, subject))
	m, err := ecr.ParseManifest("", body)
	if err != nil {
		t.Fatal(err)
	}
	sig := ecr.FromBytes(ecr.SHA256, body)
	update(t, st, func(tx store.Tx) error {
		r, _ := ecrdb.Repository(tx, scope, "sig")
		if _, err := ecrdb.LinkBlob(tx, scope, "sig", cd, 2, now); err != nil {
			return err
		}
		_, _, err := ecrdb.PutImage(tx, scope, ecrdb.PutImageInput{Repository: r, Digest: sig, Manifest: m, Body: body, Now: now.Add(-3 * time.Hour)})
		return err
	})
	p := mustParse(t, keepOne)
	update(t, st, func(tx store.Tx) error {
		res, err := Plan(tx, scope, "sig", p, now)
		if err != nil {
			return err
		}
		if len(res.Expire) != 1 || res.Expire[0].Digest != subject {
			t.Errorf("plan %+v, want the subject only", res.Expire)
		}
		gone, err := Expire(tx, scope, "sig", res)
		if len(gone) != 2 {
			t.Errorf("deleted %v, want the subject and its signature", gone)
		}
		return err
	})
	if have := images(t, st, "sig"); have[sig] || have[subject] || len(have) != 1 {
		t.Fatalf("images left: %v", have)
	}
}
