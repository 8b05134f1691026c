package logstore

import (
	"fmt"
	"testing"
)

// fill writes n events of about 100 bytes in batches of 10,000.
func fill(b *testing.B, s *Store, id StreamID, n int) {
	b.Helper()
	batch := make([]Input, 0, 10000)
	for i := 0; i < n; i++ {
		batch = append(batch, Input{Timestamp: int64(1_700_000_000_000 + i), Message: []byte(fmt.Sprintf("2024-01-01T00:00:00Z INFO request %08d served path=/api/v1/items status=200 latency=12ms", i))})
		if len(batch) == cap(batch) || i == n-1 {
			if _, _, err := s.Append(id, batch, 1); err != nil {
				b.Fatal(err)
			}
			batch = batch[:0]
		}
	}
}

func BenchmarkAppend(b *testing.B) {
	s := open(b, b.TempDir(), Options{})
	batch := make([]Input, 1000)
	for i := range batch {
		batch[i] = Input{Timestamp: int64(i), Message: []byte(fmt.Sprintf("line %d of the benchmark with some padding text", i))}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, _, err := s.Append(sid, batch, 1); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*len(batch))/b.Elapsed().Seconds(), "events/s")
}

func BenchmarkTailNewest100(b *testing.B) {
	s := open(b, b.TempDir(), Options{})
	fill(b, s, sid, 1_000_000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		evs, _, err := s.Tail(sid, Everything(), 100, 1<<20)
		if err != nil || len(evs) != 100 {
			b.Fatal(len(evs), err)
		}
	}
}

func BenchmarkForwardScan(b *testing.B) {
	s := open(b, b.TempDir(), Options{})
	const n = 1_000_000
	fill(b, s, sid, n)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c, err := s.Forward(sid, Everything())
		if err != nil {
			b.Fatal(err)
		}
		k := 0
		for {
			if _, ok := c.Next(); !ok {
				break
			}
			k++
		}
		c.Close()
		if k != n {
			b.Fatal(k, c.Err())
		}
	}
	b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "events/s")
}
