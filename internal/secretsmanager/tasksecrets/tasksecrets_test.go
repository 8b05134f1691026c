package tasksecrets

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/quayside/quayside/internal/secretbox"
	"github.com/quayside/quayside/internal/secretsmanager"
	"github.com/quayside/quayside/internal/ssm"
	"github.com/quayside/quayside/internal/store/boltstore"
)

func TestResolve(t *testing.T) {
	ctx := context.Background()
	st, err := boltstore.Open(filepath.Join(t.TempDir(), "q.db"), boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	box, _ := secretbox.New(bytes.Repeat([]byte{3}, secretbox.KeySize))
	if _, err := ssm.NewParameterStore(st, box, nil).Put(ctx, ssm.Scope{Region: "us-east-1", Account: "000000000000"},
		ssm.PutInput{Name: "/my-app/database-url", Value: "postgresql://db", Type: ssm.TypeSecureString}); err != nil {
		t.Fatal(err)
	}
	pw := `{"username":"app","password":"s3cr3t"}`
	w, err := secretsmanager.New(st, box, secretsmanager.Options{}).Create(ctx, secretsmanager.Scope{Region: "us-east-1", Account: "000000000000"},
		secretsmanager.CreateInput{Name: "my-app/db", Value: secretsmanager.Value{String: &pw}})
	if err != nil {
		t.Fatal(err)
	}
	r := New(st, box)
	for valueFrom, want := range map[string]string{
		"/my-app/database-url": "postgresql://db",
		"arn:aws:ssm:us-east-1:000000000000:parameter/my-app/database-url": "postgresql://db",
		w.Secret.ARN + ":password::":                                       "s3cr3t",
		w.Secret.ARN:                                                       pw,
	} {
		got, err := r.Resolve(ctx, "us-east-1", "000000000000", valueFrom)
		if err != nil || got != want {
			t.Errorf("Resolve(%s) = %q, %v", valueFrom, got, err)
		}
	}
	const prefix = "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: "
	for valueFrom, want := range map[string]string{
		"/my-app/missing":         prefix + "unable to retrieve secrets from ssm: service call has been retried 1 time(s): invalid ssm parameters: /my-app/missing",
		w.Secret.ARN + ":nokey::": prefix + "unable to retrieve secret from asm: retrieved secret from Secrets Manager did not contain json key nokey",
	} {
		_, err := r.Resolve(ctx, "us-east-1", "000000000000", valueFrom)
		if err == nil || err.Error() != want {
			t.Errorf("Resolve(%s) err = %v\nwant %s", valueFrom, err, want)
		}
		if err != nil && strings.Contains(err.Error(), "s3cr3t") {
			t.Errorf("error carries the value: %v", err)
		}
	}
}
