package ecsdb_test

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/quayside/quayside/internal/ecs"
	"github.com/quayside/quayside/internal/ecs/ecsdb"
	"github.com/quayside/quayside/internal/store"
	"github.com/quayside/quayside/internal/store/boltstore"
)

func openStore(t *testing.T) store.Store {
	t.Helper()
	st, err := boltstore.Open(filepath.Join(t.TempDir(), "quayside.db"), boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func update(t *testing.T, st store.Store, fn func(tx store.Tx) error) {
	t.Helper()
	if err := st.Update(context.Background(), fn); err != nil {
		t.Fatal(err)
	}
}

func view(t *testing.T, st store.Store, fn func(tx store.ReadTx) error) {
	t.Helper()
	if err := st.View(context.Background(), fn); err != nil {
		t.Fatal(err)
	}
}

// model is what the store should hold: the status of every revision.
type model map[ecsdb.Scope]map[string]map[int]ecs.TaskDefinitionStatus

// heads lists a scope's revisions in status, of family ("" for all), in
// family then revision order.
func (m model) heads(s ecsdb.Scope, status ecs.TaskDefinitionStatus, family string) []ecsdb.TaskDefinitionHead {
	var out []ecsdb.TaskDefinitionHead
	for fam, revs := range m[s] {
		for rev, st := range revs {
			if st == status && (family == "" || fam == family) {
				out = append(out, ecsdb.TaskDefinitionHead{Family: fam, Revision: rev, Status: st})
			}
		}
	}
	slices.SortFunc(out, func(x, y ecsdb.TaskDefinitionHead) int {
		return cmp.Or(strings.Compare(x.Family, y.Family), cmp.Compare(x.Revision, y.Revision))
	})
	return out
}

// families lists a scope's family names with prefix, after `after`, by
// status, in name order.
func (m model) families(s ecsdb.Scope, prefix string, which ecsdb.FamilyStatus, after string) []string {
	var out []string
	for fam, revs := range m[s] {
		active := false
		for _, st := range revs {
			active = active || st == ecs.TaskDefinitionActive
		}
		switch {
		case len(revs) == 0, !strings.HasPrefix(fam, prefix), fam <= after,
			which == ecsdb.ActiveFamily && !active, which == ecsdb.InactiveFamily && active:
			continue
		}
		out = append(out, fam)
	}
	slices.Sort(out)
	return out
}

// TestTaskDefinitionIndex registers, deregisters, deletes and retags
// revisions at random, and checks every index read against a model.
// The families are chosen so that key order in ecs.taskdefs ("web-api/"
// before "web/") differs from name order.
func TestTaskDefinitionIndex(t *testing.T) {
	st := openStore(t)
	rng := rand.New(rand.NewPCG(1, 2))
	scopes := []ecsdb.Scope{{Region: "us-east-1", Account: "000000000000"}, {Region: "us-east-10", Account: "000000000000"}}
	families := []string{"web", "web-api", "web_x", "web-api-2", "w", "a", "z9"}
	statuses := []ecs.TaskDefinitionStatus{ecs.TaskDefinitionActive, ecs.TaskDefinitionInactive, ecs.TaskDefinitionDeleteInProgress}
	m := model{}
	for _, s := range scopes {
		m[s] = map[string]map[int]ecs.TaskDefinitionStatus{}
		for _, f := range families {
			m[s][f] = map[int]ecs.TaskDefinitionStatus{}
		}
	}

	for round := range 12 {
		update(t, st, func(tx store.Tx) error {
			for range 40 {
				s := scopes[rng.IntN(len(scopes))]
				fam := families[rng.IntN(len(families))]
				revs := m[s][fam]
				existing := slices.Sorted(func(yield func(int) bool) {
					for r := range revs {
						if !yield(r) {
							return
						}
					}
				})
				switch op := rng.IntN(10); {
				case op < 5 || len(existing) == 0: // register
					rev, err := ecsdb.NextRevision(tx, s, fam)
					if err != nil {
						return err
					}
					td := ecs.TaskDefinition{Family: fam, Revision: rev, Status: ecs.TaskDefinitionActive}
					if err := ecsdb.PutTaskDefinition(tx, s, td); err != nil {
						return err
					}
					revs[rev] = td.Status
				case op < 8: // change status, or retag keeping it
					rev := existing[rng.IntN(len(existing))]
					td := ecs.TaskDefinition{Family: fam, Revision: rev, Status: revs[rev], Tags: []ecs.Tag{{Key: "k", Value: "v"}}}
					switch op {
					case 5:
						td.Status = ecs.TaskDefinitionInactive
					case 6:
						td.Status = ecs.TaskDefinitionDeleteInProgress
					}
					if err := ecsdb.PutTaskDefinition(tx, s, td); err != nil {
						return err
					}
					revs[rev] = td.Status
				default: // delete
					rev := existing[rng.IntN(len(existing))]
					if err := ecsdb.DeleteTaskDefinition(tx, s, fam, rev); err != nil {
						return err
					}
					delete(revs, rev)
				}
			}
			return nil
		})

		view(t, st, func(tx store.ReadTx) error {
			for _, s := range scopes {
				for _, status := range statuses {
					for _, fam := range append([]string{""}, families...) {
						want := m.heads(s, status, fam)
						afters := []ecsdb.TaskDefinitionHead{{}, {Family: "web", Revision: 3}, {Family: "web-api", Revision: 1 << 40}, {Family: "b", Revision: -1}}
						if len(want) > 0 {
							afters = append(afters, want[rng.IntN(len(want))])
						}
						for _, after := range afters {
							for _, desc := range []bool{false, true} {
								checkRevisions(t, tx, s, status, fam, after, desc, want)
							}
						}
					}
				}
				for _, prefix := range []string{"", "w", "web", "web-", "web-api", "x"} {
					for _, after := range []string{"", "a", "web", "web-api", "web-api-2", "zz"} {
						for _, which := range []ecsdb.FamilyStatus{ecsdb.AnyFamily, ecsdb.ActiveFamily, ecsdb.InactiveFamily} {
							var got []string
							if err := ecsdb.ScanFamilies(tx, s, prefix, which, after, func(f string) error {
								got = append(got, f)
								return nil
							}); err != nil {
								return err
							}
							if want := m.families(s, prefix, which, after); !reflect.DeepEqual(got, want) {
								t.Errorf("round %d: ScanFamilies(%v, %q, %v, after %q) = %q, want %q", round, s, prefix, which, after, got, want)
							}
						}
					}
				}
				for _, fam := range families {
					td, err := ecsdb.LatestTaskDefinition(tx, s, fam)
					active := m.heads(s, ecs.TaskDefinitionActive, fam)
					switch {
					case len(active) == 0 && !ecsdb.IsNotFound(err):
						t.Errorf("round %d: LatestTaskDefinition(%v, %s) = %d, %v; want not found", round, s, fam, td.Revision, err)
					case len(active) > 0 && (err != nil || td.Revision != active[len(active)-1].Revision):
						t.Errorf("round %d: LatestTaskDefinition(%v, %s) = %d, %v; want %d", round, s, fam, td.Revision, err, active[len(active)-1].Revision)
					}
				}
			}
			return nil
		})
	}
}

// checkRevisions compares ScanRevisions with the model's heads: all of
// them after `after`, and the first three only (ErrStop).
func checkRevisions(t *testing.T, tx store.ReadTx, s ecsdb.Scope, status ecs.TaskDefinitionStatus, fam string, after ecsdb.TaskDefinitionHead, desc bool, all []ecsdb.TaskDefinitionHead) {
	t.Helper()
	before := func(x, y ecsdb.TaskDefinitionHead) bool {
		c := cmp.Or(strings.Compare(x.Family, y.Family), cmp.Compare(x.Revision, y.Revision))
		return c < 0
	}
	want := []ecsdb.TaskDefinitionHead{}
	for _, h := range all {
		if after.Family == "" || (!desc && before(after, h)) || (desc && before(h, after)) {
			want = append(want, h)
		}
	}
	if desc {
		slices.Reverse(want)
	}
	for _, limit := range []int{0, 3} {
		got := []ecsdb.TaskDefinitionHead{}
		err := ecsdb.ScanRevisions(tx, s, status, fam, after, desc, func(h ecsdb.TaskDefinitionHead) error {
			if limit > 0 && len(got) == limit {
				return store.ErrStop
			}
			got = append(got, h)
			return nil
		})
		w := want
		if limit > 0 && len(w) > limit {
			w = w[:limit]
		}
		if err != nil || !reflect.DeepEqual(got, w) {
			t.Errorf("ScanRevisions(%v, %s, %q, after %+v, desc %v, limit %d) = %+v, %v; want %+v", s, status, fam, after, desc, limit, got, err, w)
		}
	}
}

// TestTaskDefinitionIndexBuiltLazily opens data written before the index
// existed: reads work, the index scans ask for the index, and the first
// write (or BuildTaskDefinitionIndex) builds it from every record.
func TestTaskDefinitionIndexBuiltLazily(t *testing.T) {
	s := ecsdb.Scope{Region: "us-east-1", Account: "000000000000"}
	old := []ecs.TaskDefinition{
		{Family: "web", Revision: 1, Status: ecs.TaskDefinitionActive},
		{Family: "web", Revision: 2, Status: ecs.TaskDefinitionActive},
		{Family: "web", Revision: 3, Status: ecs.TaskDefinitionInactive},
		{Family: "web-api", Revision: 1, Status: ecs.TaskDefinitionInactive},
	}
	writeOld := func(t *testing.T, st store.Store) {
		update(t, st, func(tx store.Tx) error {
			for _, td := range old {
				b, _ := json.Marshal(td)
				if err := tx.Put(ecsdb.TaskDefs, fmt.Sprintf("%s/%s/%s/%010d", s.Region, s.Account, td.Family, td.Revision), b); err != nil {
					return err
				}
				if _, err := tx.NextSequence("ecs.taskdef/" + s.Prefix() + td.Family); err != nil {
					return err
				}
			}
			return nil
		})
	}
	listAll := func(t *testing.T, st store.Store, status ecs.TaskDefinitionStatus) ([]string, error) {
		var got []string
		err := st.View(context.Background(), func(tx store.ReadTx) error {
			return ecsdb.ScanRevisions(tx, s, status, "", ecsdb.TaskDefinitionHead{}, false, func(h ecsdb.TaskDefinitionHead) error {
				got = append(got, fmt.Sprintf("%s:%d", h.Family, h.Revision))
				return nil
			})
		})
		return got, err
	}
	tests := []struct {
		name  string
		build func(tx store.Tx) error
		want  []string // ACTIVE revisions after build
	}{
		{"BuildTaskDefinitionIndex", ecsdb.BuildTaskDefinitionIndex, []string{"web:1", "web:2"}},
		{"first register", func(tx store.Tx) error {
			return ecsdb.PutTaskDefinition(tx, s, ecs.TaskDefinition{Family: "web", Revision: 4, Status: ecs.TaskDefinitionActive})
		}, []string{"web:1", "web:2", "web:4"}},
		{"first delete", func(tx store.Tx) error { return ecsdb.DeleteTaskDefinition(tx, s, "web", 1) }, []string{"web:2"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st := openStore(t)
			writeOld(t, st)
			if _, err := listAll(t, st, ecs.TaskDefinitionActive); !errors.Is(err, ecsdb.ErrNoIndex) {
				t.Fatalf("ScanRevisions before the index = %v, want ErrNoIndex", err)
			}
			view(t, st, func(tx store.ReadTx) error {
				err := ecsdb.ScanFamilies(tx, s, "", ecsdb.AnyFamily, "", func(string) error { return nil })
				if !errors.Is(err, ecsdb.ErrNoIndex) {
					t.Errorf("ScanFamilies before the index = %v, want ErrNoIndex", err)
				}
				td, err := ecsdb.LatestTaskDefinition(tx, s, "web")
				if err != nil || td.Revision != 2 {
					t.Errorf("LatestTaskDefinition before the index = %d, %v; want 2", td.Revision, err)
				}
				if _, err := ecsdb.LatestTaskDefinition(tx, s, "web-api"); !ecsdb.IsNotFound(err) {
					t.Errorf("LatestTaskDefinition of an inactive family before the index = %v, want not found", err)
				}
				return nil
			})
			update(t, st, tc.build)
			update(t, st, ecsdb.BuildTaskDefinitionIndex) // a second build changes nothing
			got, err := listAll(t, st, ecs.TaskDefinitionActive)
			if err != nil || !reflect.DeepEqual(got, tc.want) {
				t.Errorf("ACTIVE after the build = %q, %v; want %q", got, err, tc.want)
			}
			got, err = listAll(t, st, ecs.TaskDefinitionInactive)
			if want := []string{"web:3", "web-api:1"}; err != nil || !reflect.DeepEqual(got, want) {
				t.Errorf("INACTIVE after the build = %q, %v; want %q", got, err, want)
			}
		})
	}
}
