package secretsmanager

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"sync"
	"testing"

	"github.com/quayside/quayside/internal/store/boltstore"
)

// BenchmarkGetValue measures the server's side of GetSecretValue with
// 10,000 secrets stored: one snapshot read of the record and the value and
// one AES-GCM open, without HTTP or the SDK (BenchmarkGetSecretValue in
// secretsmanagerapi has those). Every secret is read once first, so the
// once-a-day access-date write is not measured.
func BenchmarkGetValue(b *testing.B) {
	const n = 10000
	st, err := boltstore.Open(filepath.Join(b.TempDir(), "q.db"), boltstore.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	m := New(st, box(b), Options{})
	s := scope()
	name := func(i int) string { return fmt.Sprintf("bench/app%05d/db", i) }
	each := func(fn func(i int) error) {
		var wg sync.WaitGroup
		for w := range 64 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := w; i < n; i += 64 {
					if err := fn(i); err != nil {
						b.Error(err)
						return
					}
				}
			}()
		}
		wg.Wait()
	}
	each(func(i int) error {
		_, err := m.Create(bg, s, CreateInput{Name: name(i), Value: Value{String: str(`{"password":"pw"}`)}})
		return err
	})
	each(func(i int) error { _, err := m.GetValue(bg, s, name(i), "", ""); return err })
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := m.GetValue(bg, s, name(rand.IntN(n)), "", ""); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "calls/s")
}
