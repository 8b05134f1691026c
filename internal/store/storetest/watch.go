package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/quayside/quayside/internal/store"
)

func testWatchOrderAndFilter(t *testing.T, s store.Store) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	watchers := []struct {
		name   string
		tables []string
		ch     <-chan store.Batch
	}{
		{name: "one table", tables: []string{"wa"}},
		{name: "two tables", tables: []string{"wa", "wb"}},
		{name: "all tables"},
	}
	for i := range watchers {
		watchers[i].ch = s.Watch(ctx, watchers[i].tables...)
	}

	txs := []struct {
		events []store.Event
		rev    int64
	}{
		{events: []store.Event{{Table: "wa", Key: "1", Value: []byte("a1")}}},
		{events: []store.Event{{Table: "wb", Key: "1", Value: []byte("b1")}}},
		{events: []store.Event{
			{Table: "wa", Key: "2", Value: []byte("a2")},
			{Table: "wb", Key: "2", Value: []byte("b2")},
			{Table: "wa", Key: "1", Deleted: true},
		}},
		{events: []store.Event{{Table: "wc", Key: "1", Value: []byte("c1")}}},
		{events: []store.Event{{Table: "wa", Key: "3", Value: []byte("a3")}}},
	}
	for i := range txs {
		txs[i].rev = update(t, s, func(tx store.Tx) error {
			for _, e := range txs[i].events {
				var err error
				if e.Deleted {
					err = tx.Delete(e.Table, e.Key)
				} else {
					err = tx.Put(e.Table, e.Key, e.Value)
				}
				if err != nil {
					return err
				}
			}
			return nil
		})
	}
	for i := 1; i < len(txs); i++ {
		if txs[i].rev <= txs[i-1].rev {
			t.Fatalf("revisions not increasing: %d then %d", txs[i-1].rev, txs[i].rev)
		}
	}

	for _, w := range watchers {
		t.Run(w.name, func(t *testing.T) {
			want := map[string]bool{}
			for _, tbl := range w.tables {
				want[tbl] = true
			}
			for _, tx := range txs {
				var events []store.Event
				for _, e := range tx.events {
					if len(want) == 0 || want[e.Table] {
						events = append(events, e)
					}
				}
				if len(events) == 0 {
					continue // a watcher gets no empty batches
				}
				wantBatch := store.Batch{Revision: tx.rev, Events: events}
				if got := recv(t, w.ch); !reflect.DeepEqual(got, wantBatch) {
					t.Fatalf("got batch  %s\nwant batch %s", format(got), format(wantBatch))
				}
			}
		})
	}
}

func testWatchStartsAfterCall(t *testing.T, s store.Store) {
	put(t, s, "ws", "before", "v")
	ch := s.Watch(context.Background(), "ws")
	rev := put(t, s, "ws", "after", "v")
	if b := recv(t, ch); b.Revision != rev || len(b.Events) != 1 || b.Events[0].Key != "after" {
		t.Fatalf("first batch = %s, want only the write made after Watch (rev %d)", format(b), rev)
	}
}

func testWatchSkipsRollback(t *testing.T, s store.Store) {
	ch := s.Watch(context.Background())
	err := s.Update(context.Background(), func(tx store.Tx) error {
		if err := tx.Put("wr", "rolled-back", []byte("v")); err != nil {
			return err
		}
		return errBoom
	})
	if !errors.Is(err, errBoom) {
		t.Fatalf("Update error = %v, want errBoom", err)
	}
	rev := put(t, s, "wr", "committed", "v")
	want := store.Batch{Revision: rev, Events: []store.Event{{Table: "wr", Key: "committed", Value: []byte("v")}}}
	if got := recv(t, ch); !reflect.DeepEqual(got, want) {
		t.Fatalf("got batch  %s\nwant batch %s", format(got), format(want))
	}
}

// testWatchConcurrentRollback mixes failing and succeeding writers, so a
// backend that groups writers must retry the survivors; each committed
// change must be seen exactly once and every revision exactly once.
func testWatchConcurrentRollback(t *testing.T, s store.Store) {
	const writers = 20
	ch := s.Watch(context.Background())
	start := revision(t, s)
	// Each run writes a different value, so a batch delivered from a run
	// that did not commit shows up as a value that was never stored.
	var runs atomic.Int64
	var wg sync.WaitGroup
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fail := i%2 == 1
			err := s.Update(context.Background(), func(tx store.Tx) error {
				v := []byte(fmt.Sprint(runs.Add(1)))
				if err := tx.Put("wcr", fmt.Sprintf("%v/%02d", fail, i), v); err != nil {
					return err
				}
				if fail {
					return errBoom
				}
				return nil
			})
			if fail != errors.Is(err, errBoom) || (!fail && err != nil) {
				t.Errorf("writer %d: Update error = %v", i, err)
			}
		}()
	}
	wg.Wait()
	end := put(t, s, "wcr", "sentinel", "v")
	if want := start + writers/2 + 1; end != want {
		t.Fatalf("sentinel revision = %d, want %d (10 commits after %d)", end, want, start)
	}
	seen := map[string]int{}
	values := map[string]string{}
	for rev := start + 1; rev <= end; rev++ {
		b := recv(t, ch)
		if b.Revision != rev || b.Resync {
			t.Fatalf("got batch %s, want revision %d", format(b), rev)
		}
		for _, e := range b.Events {
			seen[e.Key]++
			values[e.Key] = string(e.Value)
		}
	}
	for i := 0; i < writers; i += 2 {
		k := fmt.Sprintf("false/%02d", i)
		if seen[k] != 1 {
			t.Errorf("committed key %s seen %d times, want once", k, seen[k])
		}
		if stored, err := get(t, s, "wcr", k); err != nil || stored != values[k] {
			t.Errorf("key %s: watched value %q, stored %q (%v)", k, values[k], stored, err)
		}
	}
	for k := range seen {
		if k[0] == 't' {
			t.Errorf("rolled-back key %s was delivered", k)
		}
	}
}

// testWatchResync lets a watcher fall far behind: the store must not
// block, and the watcher must get a Resync batch instead of the backlog,
// then carry on.
func testWatchResync(t *testing.T, s store.Store) {
	const writers, rounds = 10, 20 // 200 commits, above any sane test buffer
	ch := s.Watch(context.Background(), "wrs")
	var wg sync.WaitGroup
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range rounds {
				if err := s.Update(context.Background(), func(tx store.Tx) error {
					return tx.Put("wrs", fmt.Sprintf("%02d/%02d", i, j), []byte("v"))
				}); err != nil {
					t.Errorf("Update: %v", err)
				}
			}
		}()
	}
	wg.Wait()
	last := revision(t, s)

	resyncs, prev := 0, int64(0)
	for prev < last {
		b := recv(t, ch)
		if b.Revision <= prev {
			t.Fatalf("batch %s after revision %d: out of order", format(b), prev)
		}
		if b.Resync {
			resyncs++
		}
		prev = b.Revision
	}
	if resyncs == 0 {
		t.Fatalf("no Resync batch after %d unread commits; open the store with a smaller watch buffer", writers*rounds)
	}
	rev := put(t, s, "wrs", "after", "v")
	if b := recv(t, ch); b.Revision != rev || b.Resync {
		t.Fatalf("batch after catching up = %s, want revision %d", format(b), rev)
	}
}

func testWatchClosesOnCancel(t *testing.T, s store.Store) {
	ctx, cancel := context.WithCancel(context.Background())
	ch := s.Watch(ctx)
	other := s.Watch(context.Background())
	put(t, s, "wcc", "k", "v")
	cancel()
	expectClosed(t, ch)
	// Other watchers and writers are unaffected.
	rev := put(t, s, "wcc", "k2", "v")
	for {
		if b := recv(t, other); b.Revision == rev {
			break
		}
	}
}

func testWatchClosesOnStoreClose(t *testing.T, s store.Store) {
	chs := []<-chan store.Batch{
		s.Watch(context.Background()),
		s.Watch(context.Background(), "wsc"),
	}
	put(t, s, "wsc", "k", "v") // leave a batch unread
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	for _, ch := range chs {
		expectClosed(t, ch)
	}
}
