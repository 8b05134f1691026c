package tasksecrets

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/quayside/quayside/internal/secretbox"
	"github.com/quayside/quayside/internal/secretsmanager"
	"github.com/quayside/quayside/internal/ssm"
	"github.com/quayside/quayside/internal/store/boltstore"
)

// BenchmarkInject10 times what secret injection adds to a task's start:
// resolving 10 secrets (5 SSM SecureStrings, 5 Secrets Manager JSON keys)
// as the agent does, one after another. Goal (issue 7): under 20 ms.
func BenchmarkInject10(b *testing.B) {
	ctx := context.Background()
	st, err := boltstore.Open(filepath.Join(b.TempDir(), "q.db"), boltstore.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	box, _ := secretbox.New(bytes.Repeat([]byte{7}, secretbox.KeySize))
	var refs []string
	for i := 0; i < 5; i++ {
		name := fmt.Sprintf("/bench/param-%d", i)
		if _, err := ssm.NewParameterStore(st, box, nil).Put(ctx, ssm.Scope{Region: "us-east-1", Account: "000000000000"},
			ssm.PutInput{Name: name, Value: "value", Type: ssm.TypeSecureString}); err != nil {
			b.Fatal(err)
		}
		refs = append(refs, name)
		v := `{"password":"p"}`
		w, err := secretsmanager.New(st, box, secretsmanager.Options{}).Create(ctx, secretsmanager.Scope{Region: "us-east-1", Account: "000000000000"},
			secretsmanager.CreateInput{Name: fmt.Sprintf("bench/secret-%d", i), Value: secretsmanager.Value{String: &v}})
		if err != nil {
			b.Fatal(err)
		}
		refs = append(refs, w.Secret.ARN+":password::")
	}
	r := New(st, box)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, ref := range refs {
			if _, err := r.Resolve(ctx, "us-east-1", "000000000000", ref); err != nil {
				b.Fatal(err)
			}
		}
	}
}
