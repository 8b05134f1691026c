package boltstore

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/quayside/quayside/internal/store"
	"github.com/quayside/quayside/internal/store/storetest"
)

func TestMain(m *testing.M) {
	if dir := os.Getenv(crashWriterEnv); dir != "" {
		crashWriter(dir) // never returns
	}
	os.Exit(m.Run())
}

// openTest opens a store in a new temp dir with a small watch buffer, as
// the conformance suite asks.
func openTest(t *testing.T, path string) *Store {
	t.Helper()
	s, err := Open(path, Options{WatchBuffer: 16})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return s
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		return openTest(t, filepath.Join(t.TempDir(), "quayside.db"))
	})
	storetest.RunReopen(t, func(t *testing.T) func(t *testing.T) store.Store {
		path := filepath.Join(t.TempDir(), "quayside.db")
		return func(t *testing.T) store.Store { return openTest(t, path) }
	})
}

func TestReservedTableNames(t *testing.T) {
	s := openTest(t, filepath.Join(t.TempDir(), "quayside.db"))
	defer s.Close()
	tests := []struct {
		name string
		op   func(tx store.Tx) error
	}{
		{"put meta", func(tx store.Tx) error { return tx.Put("meta", "revision", []byte("x")) }},
		{"get meta", func(tx store.Tx) error { _, err := tx.Get("meta", "revision"); return err }},
		{"delete meta", func(tx store.Tx) error { return tx.Delete("meta", "revision") }},
		{"scan meta", func(tx store.Tx) error { return tx.Scan("meta", "", "", nil) }},
		{"scan meta backwards", func(tx store.Tx) error { return tx.ScanReverse("meta", "", "", nil) }},
		{"put empty table", func(tx store.Tx) error { return tx.Put("", "k", nil) }},
		{"empty sequence", func(tx store.Tx) error { _, err := tx.NextSequence(""); return err }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := s.Update(context.Background(), tc.op)
			if err == nil || errors.Is(err, store.ErrNotFound) {
				t.Errorf("error = %v, want a rejection", err)
			}
		})
	}
}

// setSchemaVersion rewrites the recorded layout version of a closed file.
func setSchemaVersion(t *testing.T, path string, v uint64) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(metaBucket).Put(schemaVersionKey, encodeUint(v))
	}); err != nil {
		t.Fatal(err)
	}
}

func TestSchemaTooNew(t *testing.T) {
	path := filepath.Join(t.TempDir(), "quayside.db")
	openTest(t, path).Close()
	setSchemaVersion(t, path, uint64(len(migrations)+1))

	_, err := Open(path, Options{})
	if !errors.Is(err, ErrSchemaTooNew) {
		t.Fatalf("Open error = %v, want ErrSchemaTooNew", err)
	}
	if !strings.Contains(err.Error(), "upgrade Quayside") {
		t.Errorf("error %q does not tell the user to upgrade", err)
	}
	// The refusal must not have changed the file.
	setSchemaVersion(t, path, uint64(len(migrations)))
	openTest(t, path).Close()
}

func TestMigrations(t *testing.T) {
	var applied []string
	step := func(name string, err error) migration {
		return migration{name: name, apply: func(tx *bolt.Tx) error {
			applied = append(applied, name)
			if err != nil {
				return err
			}
			_, err := tx.CreateBucketIfNotExists([]byte("migrated." + name))
			return err
		}}
	}
	list := func(ms ...migration) []migration {
		out := append([]migration{migrations[0]}, ms...)
		for i := range out {
			out[i].version = uint64(i + 1)
		}
		return out
	}
	tests := []struct {
		name        string
		first, then []migration // opened in turn on one file
		wantApplied []string    // by the second open
		wantVersion uint64
		wantErr     bool
	}{
		{"fresh file runs all", nil, list(step("a", nil), step("b", nil)), []string{"a", "b"}, 3, false},
		{"only newer ones run", list(step("a", nil)), list(step("a", nil), step("b", nil)), []string{"b"}, 3, false},
		{"up to date runs none", list(step("a", nil)), list(step("a", nil)), nil, 2, false},
		{"failure keeps old version", list(step("a", nil)), list(step("a", nil), step("b", nil), step("c", errors.New("bad"))), []string{"b", "c"}, 2, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "quayside.db")
			if tc.first != nil {
				s, err := open(path, Options{}, tc.first)
				if err != nil {
					t.Fatal(err)
				}
				s.Close()
			}
			applied = nil
			s, err := open(path, Options{}, tc.then)
			if (err != nil) != tc.wantErr {
				t.Fatalf("open error = %v, want error: %v", err, tc.wantErr)
			}
			if err == nil {
				s.Close()
			}
			if fmt.Sprint(applied) != fmt.Sprint(tc.wantApplied) {
				t.Errorf("applied %v, want %v", applied, tc.wantApplied)
			}
			db, err := bolt.Open(path, 0o600, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			db.View(func(tx *bolt.Tx) error {
				if v := schemaVersion(tx); v != tc.wantVersion {
					t.Errorf("schema version = %d, want %d", v, tc.wantVersion)
				}
				if tc.wantErr && tx.Bucket([]byte("migrated.b")) != nil {
					t.Error("a failed migration run left changes behind")
				}
				return nil
			})
		})
	}
}

func TestInUse(t *testing.T) {
	path := filepath.Join(t.TempDir(), "quayside.db")
	s := openTest(t, path)
	defer s.Close()
	start := time.Now()
	_, err := Open(path, Options{LockTimeout: 100 * time.Millisecond})
	if !errors.Is(err, ErrInUse) {
		t.Fatalf("second Open error = %v, want ErrInUse", err)
	}
	if !strings.Contains(err.Error(), "in use by another quayside process") {
		t.Errorf("error %q does not say the data dir is in use", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("second Open took %v, want it to fail fast", d)
	}
}

// TestNoGoroutineLeak opens, watches, writes and closes, then checks that
// the goroutine count returns to where it was.
func TestNoGoroutineLeak(t *testing.T) {
	before := runtime.NumGoroutine()
	s := openTest(t, filepath.Join(t.TempDir(), "quayside.db"))
	ctx, cancel := context.WithCancel(context.Background())
	chans := []<-chan store.Batch{s.Watch(ctx), s.Watch(context.Background(), "t")}
	for i := range 20 {
		if err := s.Update(context.Background(), func(tx store.Tx) error {
			return tx.Put("t", fmt.Sprint(i), []byte("v"))
		}); err != nil {
			t.Fatal(err)
		}
	}
	cancel()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	for _, ch := range chans {
		for range ch {
		}
	}
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			t.Fatalf("%d goroutines, %d before:\n%s", runtime.NumGoroutine(), before, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(10 * time.Millisecond)
	}
}
