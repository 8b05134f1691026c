package agent

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/quayside/quayside/internal/ecs"
)

func TestReadEnvFiles(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a.env")
	b := filepath.Join(dir, "b.env")
	os.WriteFile(a, []byte("# comment\nA=1\n\nB=two words\r\nC=x=y\n"), 0o600)
	os.WriteFile(b, []byte("A=override\n"), 0o600)
	got, err := readEnvFiles([]ecs.EnvironmentFile{{Value: a, Type: ecs.EnvironmentFileS3}, {Value: "file://" + b, Type: ecs.EnvironmentFileS3}})
	if err != nil {
		t.Fatal(err)
	}
	want := []ecs.KeyValuePair{{Name: "A", Value: "1"}, {Name: "B", Value: "two words"}, {Name: "C", Value: "x=y"}, {Name: "A", Value: "override"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatal(diff)
	}
	for name, value := range map[string]string{
		"s3 object":   "arn:aws:s3:::bucket/app.env",
		"missing":     filepath.Join(dir, "nope.env"),
		"not k=v":     writeFile(t, dir, "bad.env", "JUSTANAME\n"),
		"empty name ": writeFile(t, dir, "bad2.env", "=value\n"),
	} {
		_, err := readEnvFiles([]ecs.EnvironmentFile{{Value: value, Type: ecs.EnvironmentFileS3}})
		if err == nil || !strings.HasPrefix(err.Error(), "failed to download env files: ") {
			t.Errorf("%s: err = %v", name, err)
		}
	}
}

func writeFile(t *testing.T, dir, name, body string) string {
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}
