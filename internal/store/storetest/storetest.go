// Package storetest is the conformance suite that every store.Store
// backend runs, in the manner of containerd's content/testsuite: a backend
// test calls Run with a function that opens a fresh, empty store, and
// RunReopen with one that can open the same data again.
//
// Subtests run in parallel, each on its own store. The suite closes every
// store it opens (Close must therefore be safe to call twice), and the
// resync test needs a watch buffer well below 200 batches.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/quayside/quayside/internal/store"
)

// wait bounds every wait for a watch event or a channel close.
const wait = 10 * time.Second

// errBoom is the error test transactions fail with.
var errBoom = errors.New("storetest: boom")

// Run runs the conformance suite. open returns a new, empty store for one
// subtest.
func Run(t *testing.T, open func(t *testing.T) store.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"GetPutDelete", testGetPutDelete},
		{"NotFound", testNotFound},
		{"ValuesAreCopied", testValuesAreCopied},
		{"LendValue", testLendValue},
		{"Scan", testScan},
		{"ScanReverse", testScanReverse},
		{"ScanStop", testScanStop},
		{"Pagination", testPagination},
		{"Revision", testRevision},
		{"Rollback", testRollback},
		{"NextSequence", testNextSequence},
		{"ConcurrentUpdates", testConcurrentUpdates},
		{"CanceledContext", testCanceledContext},
		{"WatchOrderAndFilter", testWatchOrderAndFilter},
		{"WatchStartsAfterCall", testWatchStartsAfterCall},
		{"WatchSkipsRollback", testWatchSkipsRollback},
		{"WatchConcurrentRollback", testWatchConcurrentRollback},
		{"WatchResync", testWatchResync},
		{"WatchClosesOnCancel", testWatchClosesOnCancel},
		{"WatchClosesOnStoreClose", testWatchClosesOnStoreClose},
		{"Closed", testClosed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := open(t)
			t.Cleanup(func() { s.Close() })
			tc.fn(t, s)
		})
	}
}

// put commits one transaction writing key=value and returns its revision.
func put(t *testing.T, s store.Store, table, key, value string) int64 {
	t.Helper()
	return update(t, s, func(tx store.Tx) error {
		return tx.Put(table, key, []byte(value))
	})
}

// update commits fn and returns the revision it committed as.
func update(t *testing.T, s store.Store, fn func(tx store.Tx) error) int64 {
	t.Helper()
	var rev int64
	err := s.Update(context.Background(), func(tx store.Tx) error {
		rev = tx.Revision() // the last run is the one that commits
		return fn(tx)
	})
	if err != nil {
		t.Fatalf("Update: %v", err)
	}
	return rev
}

// get reads one value in its own View.
func get(t *testing.T, s store.Store, table, key string) (string, error) {
	t.Helper()
	var v []byte
	err := s.View(context.Background(), func(tx store.ReadTx) error {
		var err error
		v, err = tx.Get(table, key)
		return err
	})
	return string(v), err
}

// revision is the store's current revision.
func revision(t *testing.T, s store.Store) int64 {
	t.Helper()
	var rev int64
	if err := s.View(context.Background(), func(tx store.ReadTx) error {
		rev = tx.Revision()
		return nil
	}); err != nil {
		t.Fatalf("View: %v", err)
	}
	return rev
}

// recv returns the next batch, failing if none comes or ch closes.
func recv(t *testing.T, ch <-chan store.Batch) store.Batch {
	t.Helper()
	select {
	case b, ok := <-ch:
		if !ok {
			t.Fatal("watch channel closed, want a batch")
		}
		return b
	case <-time.After(wait):
		t.Fatalf("no batch within %v", wait)
	}
	return store.Batch{}
}

// expectClosed waits for ch to close, discarding batches still in flight.
func expectClosed(t *testing.T, ch <-chan store.Batch) {
	t.Helper()
	timeout := time.After(wait)
	for {
		select {
		case _, ok := <-ch:
			if !ok {
				return
			}
		case <-timeout:
			t.Fatalf("watch channel not closed within %v", wait)
		}
	}
}

// format prints a batch for failure messages.
func format(b store.Batch) string {
	s := fmt.Sprintf("rev %d", b.Revision)
	if b.Resync {
		s += " resync"
	}
	for _, e := range b.Events {
		if e.Deleted {
			s += fmt.Sprintf(" -%s/%s", e.Table, e.Key)
		} else {
			s += fmt.Sprintf(" +%s/%s=%q", e.Table, e.Key, e.Value)
		}
	}
	return s
}
