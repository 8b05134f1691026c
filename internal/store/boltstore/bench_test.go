package boltstore

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/quayside/quayside/internal/store"
)

func openBench(b *testing.B, opts Options) *Store {
	b.Helper()
	s, err := Open(filepath.Join(b.TempDir(), "quayside.db"), opts)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

// BenchmarkViewGet measures one Get in its own View on a table of 10,000
// keys, from one goroutine and from GOMAXPROCS goroutines; serial/lend
// reads the value without the copy (store.Lend), as the typed helpers do.
func BenchmarkViewGet(b *testing.B) {
	const keys = 10000
	s := openBench(b, Options{})
	value := make([]byte, 512)
	if err := s.Update(context.Background(), func(tx store.Tx) error {
		for i := range keys {
			if err := tx.Put("bench", fmt.Sprintf("us-east-1/000000000000/c/%08d", i), value); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	get := func(i int) error {
		return s.View(context.Background(), func(tx store.ReadTx) error {
			_, err := tx.Get("bench", fmt.Sprintf("us-east-1/000000000000/c/%08d", i%keys))
			return err
		})
	}
	b.Run("serial", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			if err := get(i); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("serial/lend", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			err := s.View(context.Background(), func(tx store.ReadTx) error {
				_, err := store.Lend(tx, "bench", fmt.Sprintf("us-east-1/000000000000/c/%08d", i%keys))
				return err
			})
			if err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("parallel", func(b *testing.B) {
		b.ReportAllocs()
		var n atomic.Int64
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if err := get(int(n.Add(1))); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
}

// BenchmarkUpdate measures durable single-key Updates spread over a number
// of concurrent writers. ns/op is the wall time per committed Update, so
// 1e9/ns_op is the store's throughput.
func BenchmarkUpdate(b *testing.B) {
	for _, writers := range []int{1, 4, 16, 64} {
		b.Run(fmt.Sprintf("writers=%d", writers), func(b *testing.B) {
			s := openBench(b, Options{})
			value := make([]byte, 512)
			var next atomic.Int64
			var wg sync.WaitGroup
			b.ResetTimer()
			start := time.Now()
			for range writers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for {
						i := next.Add(1)
						if i > int64(b.N) {
							return
						}
						key := fmt.Sprintf("us-east-1/000000000000/c/%08d", i)
						if err := s.Update(context.Background(), func(tx store.Tx) error {
							return tx.Put("bench", key, value)
						}); err != nil {
							b.Error(err)
							return
						}
					}
				}()
			}
			wg.Wait()
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "updates/s")
		})
	}
}
