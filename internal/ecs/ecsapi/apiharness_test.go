package ecsapi_test

import (
	"context"
	"log/slog"
	"math/rand/v2"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	awsecs "github.com/aws/aws-sdk-go-v2/service/ecs"

	"github.com/quayside/quayside/internal/ecs/ecsapi"
	"github.com/quayside/quayside/internal/ecs/ecsdb"
	"github.com/quayside/quayside/internal/edge"
	"github.com/quayside/quayside/internal/store"
	"github.com/quayside/quayside/internal/store/boltstore"
)

// The services and tasks tests run the ECS API alone: the real store,
// the real edge router and the real SDK client, but no agent, placement
// or scheduler acting on the records, so that what a test reads is what
// the API wrote. Randomness and the clock are fixed, which makes IDs and
// timestamps repeatable (the golden files rely on it).

// apiServer is an in-process ECS API on a random port.
type apiServer struct {
	URL    string
	Client *awsecs.Client
	Store  store.Store
	Path   string // the store file, for restarts
	API    *ecsapi.API
	close  func()
}

type apiOptions struct {
	Path   string        // store file; default a new one
	Placer ecsapi.Placer // optional
	Seed   uint64        // randomness seed
	Now    func() time.Time
}

// testEpoch is the fixed time of the API's clock in tests.
var testEpoch = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

func startAPI(t testing.TB, o apiOptions) *apiServer {
	t.Helper()
	if o.Path == "" {
		o.Path = filepath.Join(t.TempDir(), "quayside.db")
	}
	if o.Now == nil {
		o.Now = func() time.Time { return testEpoch }
	}
	st, err := boltstore.Open(o.Path, boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	api := ecsapi.New(st, ecsapi.Options{Now: o.Now, Rand: &seededReader{r: rand.New(rand.NewChaCha8(seed(o.Seed)))}})
	if o.Placer != nil {
		api.SetPlacer(o.Placer)
	}
	rt := edge.New(slog.New(slog.DiscardHandler), "us-east-1", "test")
	rt.AddJSON(api.Service())
	ts := httptest.NewServer(rt)
	s := &apiServer{URL: ts.URL, Store: st, Path: o.Path, API: api}
	s.Client = awsecs.NewFromConfig(aws.Config{
		Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""),
		BaseEndpoint: aws.String(ts.URL), RetryMaxAttempts: 1,
	})
	done := false
	s.close = func() {
		if !done {
			done = true
			ts.Close()
			st.Close()
		}
	}
	t.Cleanup(s.close)
	return s
}

// Stop shuts the API down and closes its store.
func (s *apiServer) Stop() { s.close() }

// put writes records straight into the store.
func (s *apiServer) put(t testing.TB, fn func(store.Tx, ecsdb.Scope) error) {
	t.Helper()
	sc := ecsdb.Scope{Region: "us-east-1", Account: testAccount}
	if err := s.Store.Update(context.Background(), func(tx store.Tx) error { return fn(tx, sc) }); err != nil {
		t.Fatal(err)
	}
}

func seed(n uint64) [32]byte {
	var b [32]byte
	for i := range 8 {
		b[i] = byte(n >> (8 * i))
	}
	return b
}

// seededReader is an io.Reader of repeatable random bytes.
type seededReader struct{ r *rand.Rand }

func (s *seededReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(s.r.Uint32())
	}
	return len(p), nil
}
