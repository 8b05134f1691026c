package storetest

import (
	"context"
	"errors"
	"testing"

	"github.com/quayside/quayside/internal/store"
)

// RunReopen checks that committed data, revisions and sequences survive
// Close and a new Open. newLocation prepares an empty location (a temp
// dir, a key prefix) for one subtest and returns a function that opens the
// store there; the suite calls it again after each Close.
func RunReopen(t *testing.T, newLocation func(t *testing.T) (open func(t *testing.T) store.Store)) {
	t.Run("Reopen", func(t *testing.T) {
		t.Parallel()
		open := newLocation(t)
		reopen := func(s store.Store) store.Store {
			t.Helper()
			if err := s.Close(); err != nil {
				t.Fatalf("Close: %v", err)
			}
			s = open(t)
			t.Cleanup(func() { s.Close() })
			return s
		}
		s := open(t)
		t.Cleanup(func() { s.Close() })

		put(t, s, "ro", "kept", "v1")
		put(t, s, "ro", "deleted", "v")
		update(t, s, func(tx store.Tx) error {
			if err := tx.Delete("ro", "deleted"); err != nil {
				return err
			}
			for range 3 {
				if _, err := tx.NextSequence("ro"); err != nil {
					return err
				}
			}
			return nil
		})
		_ = s.Update(context.Background(), func(tx store.Tx) error {
			if err := tx.Put("ro", "rolled-back", []byte("v")); err != nil {
				return err
			}
			return errBoom
		})
		rev := revision(t, s)

		s = reopen(s)
		tests := []struct {
			name, key, want string
			wantErr         error
		}{
			{"committed put", "kept", "v1", nil},
			{"committed delete", "deleted", "", store.ErrNotFound},
			{"rolled back put", "rolled-back", "", store.ErrNotFound},
		}
		for _, tc := range tests {
			got, err := get(t, s, "ro", tc.key)
			if !errors.Is(err, tc.wantErr) || got != tc.want {
				t.Errorf("%s: Get(%s) = %q, %v; want %q, %v", tc.name, tc.key, got, err, tc.want, tc.wantErr)
			}
		}
		if got := revision(t, s); got != rev {
			t.Errorf("revision after reopen = %d, want %d", got, rev)
		}

		// Writes, sequences and watches carry on from where they were.
		ch := s.Watch(context.Background(), "ro")
		var seq uint64
		next := update(t, s, func(tx store.Tx) error {
			var err error
			if seq, err = tx.NextSequence("ro"); err != nil {
				return err
			}
			return tx.Put("ro", "kept", []byte("v2"))
		})
		if seq != 4 {
			t.Errorf("NextSequence after reopen = %d, want 4", seq)
		}
		if next != rev+1 {
			t.Errorf("first revision after reopen = %d, want %d", next, rev+1)
		}
		if b := recv(t, ch); b.Revision != next {
			t.Errorf("first watched batch after reopen = %s, want revision %d", format(b), next)
		}

		s = reopen(s)
		if got, err := get(t, s, "ro", "kept"); err != nil || got != "v2" {
			t.Errorf("Get(kept) after second reopen = %q, %v; want v2", got, err)
		}
	})
}
