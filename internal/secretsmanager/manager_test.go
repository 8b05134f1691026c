package secretsmanager

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/quayside/quayside/internal/secretbox"
	"github.com/quayside/quayside/internal/store"
	"github.com/quayside/quayside/internal/store/boltstore"
)

var bg = context.Background()

// clock is a settable fake clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }
func newClock() *clock               { return &clock{t: time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)} }
func str(s string) *string           { return &s }
func scope() Scope                   { return Scope{Region: "us-east-1", Account: "000000000000"} }
func box(t testing.TB) *secretbox.Box {
	b, err := secretbox.New(bytes.Repeat([]byte{9}, secretbox.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func newManager(t *testing.T, c *clock) (*Manager, store.Store) {
	t.Helper()
	st, err := boltstore.Open(filepath.Join(t.TempDir(), "q.db"), boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return New(st, box(t), Options{Now: c.Now}), st
}

func count(t *testing.T, st store.Store, table string) int {
	n := 0
	err := st.View(bg, func(tx store.ReadTx) error {
		return tx.Scan(table, "", "", func(string, []byte) error { n++; return nil })
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestRecoveryWindowAndPurge(t *testing.T) {
	c := newClock()
	m, st := newManager(t, c)
	s := scope()
	if _, err := m.Create(bg, s, CreateInput{Name: "gone", Value: Value{String: str("v")}}); err != nil {
		t.Fatal(err)
	}
	if _, err := m.PutValue(bg, s, PutInput{SecretID: "gone", Value: Value{String: str("v2")}}); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Create(bg, s, CreateInput{Name: "kept", Value: Value{String: str("k")}}); err != nil {
		t.Fatal(err)
	}
	seven := int64(7)
	d, err := m.Delete(bg, s, "gone", &seven, false)
	if err != nil {
		t.Fatal(err)
	}
	if want := c.Now().Add(7 * 24 * time.Hour); !d.DeletionDate.Equal(want) {
		t.Fatalf("deletion date %v, want %v", d.DeletionDate, want)
	}

	c.Add(7*24*time.Hour - time.Second)
	if n, _ := m.Purge(bg); n != 0 {
		t.Fatalf("purged %d before the window ended", n)
	}
	if _, err := m.GetValue(bg, s, "gone", "", ""); !errors.Is(err, ErrInvalidRequest) {
		t.Fatalf("inside the window: %v", err)
	}

	c.Add(time.Second)
	if _, err := m.GetValue(bg, s, "gone", "", ""); !errors.Is(err, ErrResourceNotFound) {
		t.Fatalf("after the window, before the sweep: %v", err)
	}
	if _, err := m.Restore(bg, s, "gone"); !errors.Is(err, ErrResourceNotFound) {
		t.Fatalf("restore after the window: %v", err)
	}
	n, err := m.Purge(bg)
	if err != nil || n != 1 {
		t.Fatalf("Purge = %d, %v", n, err)
	}
	if got := count(t, st, Secrets); got != 1 {
		t.Fatalf("%d secret records left, want 1", got)
	}
	if got := count(t, st, Values); got != 1 {
		t.Fatalf("%d values left, want 1 (kept's)", got)
	}
	if got := count(t, st, Deletions); got != 0 {
		t.Fatalf("%d deletion index entries left", got)
	}
	if _, err := m.Create(bg, s, CreateInput{Name: "gone", Value: Value{String: str("new")}}); err != nil {
		t.Fatalf("re-create after purge: %v", err)
	}
}

func TestRunSweepsUntilCancelled(t *testing.T) {
	c := newClock()
	m, st := newManager(t, c)
	s := scope()
	if _, err := m.Create(bg, s, CreateInput{Name: "x", Value: Value{String: str("v")}}); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Delete(bg, s, "x", nil, false); err != nil {
		t.Fatal(err)
	}
	c.Add(31 * 24 * time.Hour)
	ctx, cancel := context.WithCancel(bg)
	done := make(chan struct{})
	go func() { defer close(done); m.Run(ctx) }()
	deadline := time.Now().Add(5 * time.Second)
	for count(t, st, Secrets) != 0 {
		if time.Now().After(deadline) {
			t.Fatal("Run did not purge")
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	<-done
}

func TestPruneKeepsLabelledVersions(t *testing.T) {
	c := newClock()
	m, st := newManager(t, c)
	s := scope()
	if _, err := m.Create(bg, s, CreateInput{Name: "p", Value: Value{String: str("0")}}); err != nil {
		t.Fatal(err)
	}
	for i := range MaxVersions + 5 {
		if _, err := m.PutValue(bg, s, PutInput{SecretID: "p", Value: Value{String: str(strings.Repeat("x", i+1))}}); err != nil {
			t.Fatal(err)
		}
	}
	sec, err := m.Describe(bg, s, "p")
	if err != nil {
		t.Fatal(err)
	}
	if len(sec.Versions) != MaxVersions || count(t, st, Values) != MaxVersions {
		t.Fatalf("%d versions, %d values; want %d", len(sec.Versions), count(t, st, Values), MaxVersions)
	}
	if sec.Holder(StageCurrent) == "" || sec.Holder(StagePrevious) == "" {
		t.Fatal("labelled versions were pruned")
	}
}

func TestWords(t *testing.T) {
	got := strings.Join(words("credsDatabase#892 my_Secret"), ",")
	if got != "creds,database,892,my,secret" {
		t.Fatalf("words = %s", got)
	}
}

func TestRandomPasswordUsesInjectedRandomness(t *testing.T) {
	c := newClock()
	st, err := boltstore.Open(filepath.Join(t.TempDir(), "q.db"), boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	gen := func() string {
		m := New(st, box(t), Options{Now: c.Now, Rand: bytes.NewReader(bytes.Repeat([]byte{1, 200, 37, 90}, 1000))})
		pw, err := m.RandomPassword(PasswordInput{})
		if err != nil {
			t.Fatal(err)
		}
		return pw
	}
	if a, b := gen(), gen(); a != b || len(a) != 32 {
		t.Fatalf("passwords from the same source differ: %q %q", a, b)
	}
}
