package ssm

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
)

// BenchmarkGet measures the server's side of GetParameter(WithDecryption)
// with 10,000 SecureStrings stored: one snapshot read and one AES-GCM
// open, without HTTP or the SDK (BenchmarkGetParameter in ssmapi has
// those).
func BenchmarkGet(b *testing.B) {
	const n = 10000
	ps, _ := newStoreB(b)
	ctx := context.Background()
	s := Scope{Region: "us-east-1", Account: "000000000000"}
	var wg sync.WaitGroup
	for w := range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += 64 {
				if _, err := ps.Put(ctx, s, PutInput{Name: fmt.Sprintf("/bench/app%05d/secret", i), Value: "v", Type: TypeSecureString}); err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			f, err := ps.Get(ctx, s, fmt.Sprintf("/bench/app%05d/secret", rand.IntN(n)))
			if err == nil {
				_, err = ps.Value(f)
			}
			if err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "calls/s")
}
