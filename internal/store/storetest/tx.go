package storetest

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"testing"

	"github.com/quayside/quayside/internal/store"
)

func testRevision(t *testing.T, s store.Store) {
	r0 := revision(t, s)
	tests := []struct {
		name    string
		fn      func(tx store.Tx) error
		wantErr error
		delta   int64
	}{
		{"put", func(tx store.Tx) error { return tx.Put("rev", "a", []byte("1")) }, nil, 1},
		{"put twice in one tx", func(tx store.Tx) error {
			if err := tx.Put("rev", "a", []byte("2")); err != nil {
				return err
			}
			return tx.Put("rev", "b", []byte("2"))
		}, nil, 1},
		{"delete", func(tx store.Tx) error { return tx.Delete("rev", "a") }, nil, 1},
		{"failed", func(tx store.Tx) error {
			if err := tx.Put("rev", "c", []byte("3")); err != nil {
				return err
			}
			return errBoom
		}, errBoom, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := revision(t, s)
			var inTx int64
			err := s.Update(context.Background(), func(tx store.Tx) error {
				inTx = tx.Revision()
				return tc.fn(tx)
			})
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("Update error = %v, want %v", err, tc.wantErr)
			}
			after := revision(t, s)
			if after != before+tc.delta {
				t.Errorf("revision went from %d to %d, want +%d", before, after, tc.delta)
			}
			if tc.wantErr == nil && inTx != after {
				t.Errorf("Revision() inside Update = %d, committed revision = %d", inTx, after)
			}
		})
	}
	if got := revision(t, s); got != r0+3 {
		t.Errorf("revision after 3 commits = %d, want %d", got, r0+3)
	}
	if got := revision(t, s); got != r0+3 {
		t.Errorf("a View changed the revision to %d", got)
	}
}

func testRollback(t *testing.T, s store.Store) {
	put(t, s, "rb", "keep", "old")
	before := revision(t, s)
	var seq uint64
	err := s.Update(context.Background(), func(tx store.Tx) error {
		for _, op := range []error{
			tx.Put("rb", "new", []byte("v")),
			tx.Put("rb", "keep", []byte("changed")),
			tx.Put("rb-new-table", "k", []byte("v")),
			tx.Delete("rb", "keep"),
		} {
			if op != nil {
				return op
			}
		}
		var err error
		seq, err = tx.NextSequence("rb")
		if err != nil {
			return err
		}
		return errBoom
	})
	if !errors.Is(err, errBoom) {
		t.Fatalf("Update error = %v, want the closure's error", err)
	}
	tests := []struct {
		name, table, key, want string
		wantErr                error
	}{
		{"new key not written", "rb", "new", "", store.ErrNotFound},
		{"new table not written", "rb-new-table", "k", "", store.ErrNotFound},
		{"overwrite and delete undone", "rb", "keep", "old", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := get(t, s, tc.table, tc.key)
			if !errors.Is(err, tc.wantErr) || got != tc.want {
				t.Errorf("Get(%s, %s) = %q, %v; want %q, %v", tc.table, tc.key, got, err, tc.want, tc.wantErr)
			}
		})
	}
	if got := revision(t, s); got != before {
		t.Errorf("revision after rollback = %d, want %d", got, before)
	}
	var next uint64
	update(t, s, func(tx store.Tx) error {
		var err error
		next, err = tx.NextSequence("rb")
		return err
	})
	if next < 1 || next > seq {
		t.Errorf("first committed sequence value = %d, want 1..%d", next, seq)
	}
}

func testNextSequence(t *testing.T, s store.Store) {
	tests := []struct {
		name  string
		calls []string // sequence names, in one transaction
		want  []uint64
	}{
		{"starts at one", []string{"a"}, []uint64{1}},
		{"increments within a tx", []string{"a", "a", "a"}, []uint64{2, 3, 4}},
		{"names are independent", []string{"b", "a", "b"}, []uint64{1, 5, 2}},
		{"continues across txs", []string{"a", "b"}, []uint64{6, 3}},
		{"names with separators", []string{"ecs.taskdefs/us-east-1/000000000000/web"}, []uint64{1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []uint64
			update(t, s, func(tx store.Tx) error {
				got = got[:0]
				for _, name := range tc.calls {
					n, err := tx.NextSequence(name)
					if err != nil {
						return err
					}
					got = append(got, n)
				}
				return nil
			})
			for i := range tc.want {
				if i >= len(got) || got[i] != tc.want[i] {
					t.Fatalf("NextSequence(%q) = %v, want %v", tc.calls, got, tc.want)
				}
			}
		})
	}
}

// testConcurrentUpdates runs read-modify-write transactions from many
// goroutines at once; isolation must make every increment count.
func testConcurrentUpdates(t *testing.T, s store.Store) {
	const workers, rounds = 50, 4
	before := revision(t, s)
	var wg sync.WaitGroup
	errs := make(chan error, workers*rounds)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range rounds {
				errs <- s.Update(context.Background(), func(tx store.Tx) error {
					n := 0
					v, err := tx.Get("conc", "counter")
					switch {
					case errors.Is(err, store.ErrNotFound):
					case err != nil:
						return err
					default:
						if n, err = strconv.Atoi(string(v)); err != nil {
							return err
						}
					}
					return tx.Put("conc", "counter", []byte(strconv.Itoa(n+1)))
				})
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("Update: %v", err)
		}
	}
	got, err := get(t, s, "conc", "counter")
	if err != nil {
		t.Fatal(err)
	}
	if want := strconv.Itoa(workers * rounds); got != want {
		t.Errorf("counter = %s, want %s", got, want)
	}
	if got, want := revision(t, s), before+workers*rounds; got != want {
		t.Errorf("revision = %d, want %d", got, want)
	}
}

func testCanceledContext(t *testing.T, s store.Store) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	ran := false
	if err := s.View(ctx, func(store.ReadTx) error { ran = true; return nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("View error = %v, want context.Canceled", err)
	}
	if err := s.Update(ctx, func(store.Tx) error { ran = true; return nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("Update error = %v, want context.Canceled", err)
	}
	if ran {
		t.Error("a transaction ran with a canceled context")
	}
	expectClosed(t, s.Watch(ctx))
}

func testClosed(t *testing.T, s store.Store) {
	put(t, s, "closed", "k", "v")
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	ran := false
	tests := []struct {
		name string
		op   func() error
	}{
		{"View", func() error { return s.View(context.Background(), func(store.ReadTx) error { ran = true; return nil }) }},
		{"Update", func() error { return s.Update(context.Background(), func(store.Tx) error { ran = true; return nil }) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.op(); !errors.Is(err, store.ErrClosed) {
				t.Errorf("%s after Close = %v, want ErrClosed", tc.name, err)
			}
		})
	}
	if ran {
		t.Error("a transaction ran after Close")
	}
	expectClosed(t, s.Watch(context.Background()))
	if err := s.Close(); err != nil {
		t.Errorf("second Close = %v, want nil", err)
	}
}
