package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"

	"github.com/quayside/quayside/internal/store"
)

func testGetPutDelete(t *testing.T, s store.Store) {
	putOp := func(table, key, value string) func(store.Tx) error {
		return func(tx store.Tx) error { return tx.Put(table, key, []byte(value)) }
	}
	delOp := func(table, key string) func(store.Tx) error {
		return func(tx store.Tx) error { return tx.Delete(table, key) }
	}
	tests := []struct {
		name       string
		ops        []func(store.Tx) error // each in its own transaction
		table, key string
		want       string
		wantErr    error
	}{
		{"put then get", []func(store.Tx) error{putOp("crud1", "k", "v")}, "crud1", "k", "v", nil},
		{"overwrite", []func(store.Tx) error{putOp("crud2", "k", "v1"), putOp("crud2", "k", "v2")}, "crud2", "k", "v2", nil},
		{"empty value", []func(store.Tx) error{putOp("crud3", "k", "")}, "crud3", "k", "", nil},
		{"key with slashes", []func(store.Tx) error{putOp("crud4", "us-east-1/000000000000/c", "v")}, "crud4", "us-east-1/000000000000/c", "v", nil},
		{"delete", []func(store.Tx) error{putOp("crud5", "k", "v"), delOp("crud5", "k")}, "crud5", "k", "", store.ErrNotFound},
		{"delete missing key", []func(store.Tx) error{putOp("crud6", "a", "v"), delOp("crud6", "k")}, "crud6", "a", "v", nil},
		{"delete in missing table", []func(store.Tx) error{delOp("crud7", "k")}, "crud7", "k", "", store.ErrNotFound},
		{"put after delete", []func(store.Tx) error{putOp("crud8", "k", "v1"), delOp("crud8", "k"), putOp("crud8", "k", "v2")}, "crud8", "k", "v2", nil},
		{"tables are separate", []func(store.Tx) error{putOp("crud9a", "k", "a"), putOp("crud9b", "k", "b")}, "crud9a", "k", "a", nil},
		{"put and delete in one tx", []func(store.Tx) error{func(tx store.Tx) error {
			if err := tx.Put("crud10", "k", []byte("v")); err != nil {
				return err
			}
			return tx.Delete("crud10", "k")
		}}, "crud10", "k", "", store.ErrNotFound},
		{"read own write in tx", []func(store.Tx) error{func(tx store.Tx) error {
			if err := tx.Put("crud11", "k", []byte("v")); err != nil {
				return err
			}
			if v, err := tx.Get("crud11", "k"); err != nil || string(v) != "v" {
				return fmt.Errorf("Get in tx = %q, %v; want v", v, err)
			}
			return nil
		}}, "crud11", "k", "v", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, op := range tc.ops {
				update(t, s, op)
			}
			got, err := get(t, s, tc.table, tc.key)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("Get(%s, %s) error = %v, want %v", tc.table, tc.key, err, tc.wantErr)
			}
			if err == nil && got != tc.want {
				t.Errorf("Get(%s, %s) = %q, want %q", tc.table, tc.key, got, tc.want)
			}
		})
	}
}

func testNotFound(t *testing.T, s store.Store) {
	put(t, s, "nf", "present", "v")
	tests := []struct{ name, table, key string }{
		{"missing table", "nf-missing", "k"},
		{"missing key", "nf", "absent"},
		{"prefix of a key", "nf", "pres"},
		{"key extending a key", "nf", "present/x"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := get(t, s, tc.table, tc.key); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("Get error = %v, want ErrNotFound", err)
			}
			err := s.View(context.Background(), func(tx store.ReadTx) error {
				_, err := store.Get[map[string]string](tx, tc.table, tc.key)
				return err
			})
			if !errors.Is(err, store.ErrNotFound) {
				t.Errorf("typed Get error = %v, want ErrNotFound", err)
			}
		})
	}
}

// testValuesAreCopied checks that neither Put nor Get share memory with
// the caller.
func testValuesAreCopied(t *testing.T, s store.Store) {
	buf := []byte("original")
	update(t, s, func(tx store.Tx) error { return tx.Put("copy", "k", buf) })
	copy(buf, "XXXXXXXX")
	var got []byte
	if err := s.View(context.Background(), func(tx store.ReadTx) error {
		var err error
		got, err = tx.Get("copy", "k")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if string(got) != "original" {
		t.Fatalf("value after caller reused its slice = %q, want original", got)
	}
	copy(got, "YYYYYYYY")
	if v, err := get(t, s, "copy", "k"); err != nil || v != "original" {
		t.Fatalf("value after caller modified a Get result = %q, %v; want original", v, err)
	}
}

// testLendValue checks that a backend's LendValue, if it has one, reads
// what Get reads, and that the typed helpers decode what was put.
func testLendValue(t *testing.T, s store.Store) {
	put(t, s, "lend", "k", `{"a":"b"}`)
	put(t, s, "lend", "k/longer", `{"a":"c"}`)
	put(t, s, "lend", "empty", "")
	err := s.View(context.Background(), func(tx store.ReadTx) error {
		for _, tc := range []struct{ table, key string }{
			{"lend", "k"}, {"lend", "k/longer"}, {"lend", "empty"},
			{"lend", "absent"}, {"lend", "k/"}, {"lend", ""}, {"lend-missing", "k"},
		} {
			want, wantErr := tx.Get(tc.table, tc.key)
			if l, ok := tx.(store.ValueLender); ok {
				got, err := l.LendValue(tc.table, tc.key)
				if string(got) != string(want) || errors.Is(err, store.ErrNotFound) != errors.Is(wantErr, store.ErrNotFound) || (err == nil) != (wantErr == nil) {
					t.Errorf("LendValue(%s, %s) = %q, %v; Get = %q, %v", tc.table, tc.key, got, err, want, wantErr)
				}
			}
			var m map[string]string
			err := store.Load(tx, tc.table, tc.key, &m)
			switch {
			case wantErr != nil:
				if !errors.Is(err, store.ErrNotFound) {
					t.Errorf("Load(%s, %s) error = %v, want ErrNotFound", tc.table, tc.key, err)
				}
			case len(want) == 0:
				if err == nil {
					t.Errorf("Load(%s, %s) of an empty value: no error", tc.table, tc.key)
				}
			case err != nil || m["a"] != string(want[6:7]):
				t.Errorf("Load(%s, %s) = %v, %v; want the record %s", tc.table, tc.key, m, err, want)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func testScan(t *testing.T, s store.Store) {
	keys := []string{"a/1", "a/2", "a/3", "ab/1", "b/1"}
	update(t, s, func(tx store.Tx) error {
		for _, k := range keys {
			if err := tx.Put("scan", k, []byte("v"+k)); err != nil {
				return err
			}
		}
		return tx.Put("scan-other", "a/0", []byte("other table"))
	})
	tests := []struct {
		name, table, prefix, after string
		want                       []string
	}{
		{"whole table", "scan", "", "", keys},
		{"prefix", "scan", "a/", "", []string{"a/1", "a/2", "a/3"}},
		{"prefix without slash", "scan", "a", "", []string{"a/1", "a/2", "a/3", "ab/1"}},
		{"after first", "scan", "a/", "a/1", []string{"a/2", "a/3"}},
		{"after last", "scan", "a/", "a/3", nil},
		{"after between keys", "scan", "a/", "a/15", []string{"a/2", "a/3"}},
		{"after before prefix", "scan", "a/", "0", []string{"a/1", "a/2", "a/3"}},
		{"after past prefix", "scan", "a/", "b", nil},
		{"after without prefix", "scan", "", "ab/1", []string{"b/1"}},
		{"no match", "scan", "x", "", nil},
		{"missing table", "scan-missing", "", "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			err := s.View(context.Background(), func(tx store.ReadTx) error {
				return tx.Scan(tc.table, tc.prefix, tc.after, func(k string, v []byte) error {
					if string(v) != "v"+k {
						return fmt.Errorf("value of %s = %q, want %q", k, v, "v"+k)
					}
					got = append(got, k)
					return nil
				})
			})
			if err != nil {
				t.Fatalf("Scan: %v", err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Scan(%q, %q, %q) = %q, want %q", tc.table, tc.prefix, tc.after, got, tc.want)
			}
		})
	}
}

func testScanReverse(t *testing.T, s store.Store) {
	keys := []string{"a/1", "a/2", "a/3", "ab/1", "b/1", "b\xff", "b\xff\xff/1", "c"}
	update(t, s, func(tx store.Tx) error {
		for _, k := range keys {
			if err := tx.Put("rscan", k, []byte("v"+k)); err != nil {
				return err
			}
		}
		return tx.Put("rscan-other", "a/9", []byte("other table"))
	})
	tests := []struct {
		name, table, prefix, before string
		want                        []string
	}{
		{"whole table", "rscan", "", "", []string{"c", "b\xff\xff/1", "b\xff", "b/1", "ab/1", "a/3", "a/2", "a/1"}},
		{"prefix", "rscan", "a/", "", []string{"a/3", "a/2", "a/1"}},
		{"prefix without slash", "rscan", "a", "", []string{"ab/1", "a/3", "a/2", "a/1"}},
		{"prefix ending in 0xff", "rscan", "b\xff", "", []string{"b\xff\xff/1", "b\xff"}},
		{"prefix of 0xff only", "rscan", "b\xff\xff", "", []string{"b\xff\xff/1"}},
		{"before last", "rscan", "a/", "a/3", []string{"a/2", "a/1"}},
		{"before first", "rscan", "a/", "a/1", nil},
		{"before between keys", "rscan", "a/", "a/25", []string{"a/2", "a/1"}},
		{"before past prefix", "rscan", "a/", "b", []string{"a/3", "a/2", "a/1"}},
		{"before below prefix", "rscan", "a/", "0", nil},
		{"before past every key", "rscan", "", "z", []string{"c", "b\xff\xff/1", "b\xff", "b/1", "ab/1", "a/3", "a/2", "a/1"}},
		{"before without prefix", "rscan", "", "ab/1", []string{"a/3", "a/2", "a/1"}},
		{"last key of the table", "rscan", "c", "", []string{"c"}},
		{"no match", "rscan", "x", "", nil},
		{"no match between keys", "rscan", "a/10", "", nil},
		{"missing table", "rscan-missing", "", "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			err := s.View(context.Background(), func(tx store.ReadTx) error {
				return tx.ScanReverse(tc.table, tc.prefix, tc.before, func(k string, v []byte) error {
					if string(v) != "v"+k {
						return fmt.Errorf("value of %q = %q, want %q", k, v, "v"+k)
					}
					got = append(got, k)
					return nil
				})
			})
			if err != nil {
				t.Fatalf("ScanReverse: %v", err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("ScanReverse(%q, %q, %q) = %q, want %q", tc.table, tc.prefix, tc.before, got, tc.want)
			}
		})
	}
	t.Run("sees own writes", func(t *testing.T) {
		var got []string
		update(t, s, func(tx store.Tx) error {
			if err := tx.Put("rscan", "a/4", []byte("va/4")); err != nil {
				return err
			}
			if err := tx.Delete("rscan", "a/2"); err != nil {
				return err
			}
			return tx.ScanReverse("rscan", "a/", "", func(k string, _ []byte) error {
				got = append(got, k)
				return nil
			})
		})
		if want := []string{"a/4", "a/3", "a/1"}; !reflect.DeepEqual(got, want) {
			t.Errorf("ScanReverse in the writing transaction = %q, want %q", got, want)
		}
	})
}

func testScanStop(t *testing.T, s store.Store) {
	update(t, s, func(tx store.Tx) error {
		for _, k := range []string{"1", "2", "3"} {
			if err := tx.Put("stop", k, []byte(k)); err != nil {
				return err
			}
		}
		return nil
	})
	tests := []struct {
		name    string
		ret     error // returned by fn on the second key
		wantErr error
		want    int // keys visited
	}{
		{"ErrStop ends without error", store.ErrStop, nil, 2},
		{"wrapped ErrStop", fmt.Errorf("done: %w", store.ErrStop), nil, 2},
		{"other error is returned", errBoom, errBoom, 2},
		{"nil visits all", nil, nil, 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			scans := map[string]func(store.ReadTx, func(string, []byte) error) error{
				"Scan":        func(tx store.ReadTx, fn func(string, []byte) error) error { return tx.Scan("stop", "", "", fn) },
				"ScanReverse": func(tx store.ReadTx, fn func(string, []byte) error) error { return tx.ScanReverse("stop", "", "", fn) },
			}
			for name, scan := range scans {
				visited := 0
				err := s.View(context.Background(), func(tx store.ReadTx) error {
					return scan(tx, func(string, []byte) error {
						visited++
						if visited == 2 {
							return tc.ret
						}
						return nil
					})
				})
				if !errors.Is(err, tc.wantErr) || (tc.wantErr == nil && err != nil) {
					t.Errorf("%s error = %v, want %v", name, err, tc.wantErr)
				}
				if visited != tc.want {
					t.Errorf("%s visited %d keys, want %d", name, visited, tc.want)
				}
			}
		})
	}
}

// testPagination pages through a table with the typed List helper, the
// way List* APIs use nextToken.
func testPagination(t *testing.T, s store.Store) {
	type record struct{ N int }
	const total = 23
	update(t, s, func(tx store.Tx) error {
		for i := range total {
			if err := store.Put(tx, "pages", fmt.Sprintf("r/a/%03d", i), record{i}); err != nil {
				return err
			}
		}
		return store.Put(tx, "pages", "r/b/000", record{-1})
	})
	for _, limit := range []int{1, 5, 23, 100} {
		t.Run(fmt.Sprintf("limit %d", limit), func(t *testing.T) {
			var got []int
			after := ""
			for page := 0; ; page++ {
				if page > total {
					t.Fatal("pagination does not terminate")
				}
				var recs []record
				err := s.View(context.Background(), func(tx store.ReadTx) error {
					var err error
					recs, err = store.List[record](tx, "pages", "r/a/", after, limit)
					return err
				})
				if err != nil {
					t.Fatalf("List: %v", err)
				}
				if len(recs) > limit {
					t.Fatalf("page has %d records, limit %d", len(recs), limit)
				}
				if len(recs) == 0 {
					break
				}
				for _, r := range recs {
					got = append(got, r.N)
				}
				after = fmt.Sprintf("r/a/%03d", recs[len(recs)-1].N)
			}
			if len(got) != total {
				t.Fatalf("paged %d records, want %d: %v", len(got), total, got)
			}
			for i, n := range got {
				if n != i {
					t.Fatalf("record %d is %d, want %d (order or duplicates wrong): %v", i, n, i, got)
				}
			}
		})
	}
}
