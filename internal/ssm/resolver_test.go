package ssm

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/quayside/quayside/internal/secretbox"
	"github.com/quayside/quayside/internal/store/boltstore"
)

func newStore(t *testing.T) (*ParameterStore, *Resolver) { return newStoreB(t) }

func newStoreB(t testing.TB) (*ParameterStore, *Resolver) {
	t.Helper()
	st, err := boltstore.Open(filepath.Join(t.TempDir(), "q.db"), boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	box, err := secretbox.New(bytes.Repeat([]byte{5}, secretbox.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	return NewParameterStore(st, box, nil), NewResolver(st, box)
}

func TestResolver(t *testing.T) {
	ctx := context.Background()
	ps, r := newStore(t)
	s := Scope{Region: "us-east-1", Account: "000000000000"}
	for _, in := range []PutInput{
		{Name: "/app/db-url", Value: "postgres://db", Type: TypeSecureString},
		{Name: "/app/port", Value: "5432", Type: TypeString},
		{Name: "plain", Value: "p", Type: TypeString},
	} {
		if _, err := ps.Put(ctx, s, in); err != nil {
			t.Fatal(err)
		}
	}
	vals, err := r.GetAll(ctx, "us-east-1", "000000000000", []string{
		"/app/db-url", "/app/port", "arn:aws:ssm:us-east-1:000000000000:parameter/plain", "/app/db-url:1", "/app/port",
	})
	if err != nil {
		t.Fatal(err)
	}
	if vals["/app/db-url"] != "postgres://db" || vals["/app/port"] != "5432" || vals["/app/db-url:1"] != "postgres://db" ||
		vals["arn:aws:ssm:us-east-1:000000000000:parameter/plain"] != "p" {
		t.Fatalf("values: %v", vals)
	}
	if v, err := r.Get(ctx, "us-east-1", "000000000000", "/app/db-url"); err != nil || v != "postgres://db" {
		t.Fatalf("Get = %q, %v", v, err)
	}

	_, err = r.GetAll(ctx, "us-east-1", "000000000000", []string{"/app/port", "/missing", "/app/port:7"})
	var re *ResolveError
	if !errors.As(err, &re) {
		t.Fatalf("err = %v", err)
	}
	want := "service call has been retried 1 time(s): invalid ssm parameters: /missing,/app/port:7"
	if err.Error() != want {
		t.Fatalf("err = %q, want %q", err, want)
	}
	reason := ECSStoppedReason(err)
	if !strings.HasPrefix(reason, "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secrets from ssm: service call") {
		t.Fatalf("reason = %q", reason)
	}
	// Another region holds nothing.
	if _, err := r.Get(ctx, "eu-west-1", "000000000000", "/app/port"); err == nil {
		t.Fatal("found a parameter of another region")
	}
}
