package boltstore

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"

	"github.com/quayside/quayside/internal/store"
)

// TestGroupCommit runs many writers at once, some of which fail or panic
// after writing, and checks that each gets its own answer: the others'
// writes are committed once each, the failed ones leave nothing behind,
// and a panic reaches the goroutine that called Update.
func TestGroupCommit(t *testing.T) {
	s := openTest(t, filepath.Join(t.TempDir(), "quayside.db"))
	defer s.Close()
	errBoom := errors.New("boom")
	const writers = 64
	kind := func(i int) string {
		switch {
		case i%8 == 3:
			return "fail"
		case i%16 == 5:
			return "panic"
		}
		return "ok"
	}
	results := make([]string, writers)
	revs := make([]int64, writers)
	var wg sync.WaitGroup
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if p := recover(); p != nil {
					results[i] = "panic"
				}
			}()
			err := s.Update(context.Background(), func(tx store.Tx) error {
				revs[i] = tx.Revision()
				if err := tx.Put("gc", fmt.Sprint(i), []byte("v")); err != nil {
					return err
				}
				switch kind(i) {
				case "fail":
					return errBoom
				case "panic":
					panic("writer bug")
				}
				return nil
			})
			switch {
			case err == nil:
				results[i] = "ok"
			case errors.Is(err, errBoom):
				results[i] = "fail"
			default:
				results[i] = err.Error()
			}
		}()
	}
	wg.Wait()

	seen := map[int64]int{}
	oks := 0
	for i := range writers {
		if results[i] != kind(i) {
			t.Errorf("writer %d: %q, want %q", i, results[i], kind(i))
		}
		_, err := s.getForTest("gc", fmt.Sprint(i))
		if kind(i) == "ok" {
			oks++
			if err != nil {
				t.Errorf("writer %d's key: %v", i, err)
			}
			if j, dup := seen[revs[i]]; dup {
				t.Errorf("writers %d and %d both committed as revision %d", j, i, revs[i])
			}
			seen[revs[i]] = i
		} else if !errors.Is(err, store.ErrNotFound) {
			t.Errorf("writer %d failed but its key is there (err %v)", i, err)
		}
	}
	var rev int64
	s.View(context.Background(), func(tx store.ReadTx) error { rev = tx.Revision(); return nil })
	if rev != int64(oks) {
		t.Errorf("revision %d after %d successful Updates", rev, oks)
	}
}

func (s *Store) getForTest(table, key string) ([]byte, error) {
	var v []byte
	err := s.View(context.Background(), func(tx store.ReadTx) error {
		var err error
		v, err = tx.Get(table, key)
		return err
	})
	return v, err
}
