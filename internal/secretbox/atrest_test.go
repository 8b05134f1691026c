package secretbox_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"

	"github.com/quayside/quayside/internal/secretbox"
	"github.com/quayside/quayside/internal/server"
	"github.com/quayside/quayside/internal/servertest"
)

var ctx = context.Background()

// seed stores the marker as an SSM SecureString (two versions), a
// Secrets Manager string secret (two versions) and a binary secret.
func seed(t *testing.T, srv *servertest.Server, marker string) {
	t.Helper()
	cfg := srv.AWSConfig("us-east-1")
	p := ssm.NewFromConfig(cfg)
	for i, v := range []string{marker + "-v1", marker + "-v2"} {
		_, err := p.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String("/visible-name-marker/db"), Value: aws.String(v),
			Type: ssmtypes.ParameterTypeSecureString, Overwrite: aws.Bool(i > 0)})
		if err != nil {
			t.Fatal(err)
		}
	}
	sm := secretsmanager.NewFromConfig(cfg)
	if _, err := sm.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("visible-name-marker/app"),
		SecretString: aws.String(`{"password":"` + marker + `"}`)}); err != nil {
		t.Fatal(err)
	}
	if _, err := sm.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{SecretId: aws.String("visible-name-marker/app"),
		SecretString: aws.String(marker + "-second")}); err != nil {
		t.Fatal(err)
	}
	if _, err := sm.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("visible-name-marker/bin"),
		SecretBinary: []byte(marker + "-binary")}); err != nil {
		t.Fatal(err)
	}
}

// TestPlaintextNeverReachesTheDisk writes secret values carrying a unique
// marker, stops the server, and reads every byte under the data dir.
func TestPlaintextNeverReachesTheDisk(t *testing.T) {
	marker := "PLAINTEXT-MARKER-" + strings.TrimRight(base64.RawURLEncoding.EncodeToString([]byte(t.Name())), "=")
	srv := servertest.Start(t)
	seed(t, srv, marker)
	dir := srv.DataDir
	srv.Stop()

	forms := map[string][]byte{
		"plain":  []byte(marker),
		"base64": []byte(base64.StdEncoding.EncodeToString([]byte(marker + "-binary"))[:24]),
		"utf16":  utf16(marker),
	}
	sawName := false
	files := 0
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		files++
		for form, needle := range forms {
			if bytes.Contains(b, needle) {
				t.Errorf("%s holds the secret value (%s form)", path, form)
			}
		}
		sawName = sawName || bytes.Contains(b, []byte("visible-name-marker"))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !sawName || files == 0 {
		t.Fatalf("the scan saw %d files and no record names: it is not reading the data", files)
	}
}

func utf16(s string) []byte {
	var out []byte
	for _, r := range s {
		out = append(out, byte(r), 0)
	}
	return out
}

func TestValuesSurviveRestart(t *testing.T) {
	dir := t.TempDir()
	srv := servertest.Start(t, servertest.Options{DataDir: dir})
	seed(t, srv, "restart-marker")
	srv.Stop()

	srv = servertest.Start(t, servertest.Options{DataDir: dir})
	cfg := srv.AWSConfig("us-east-1")
	p, err := ssm.NewFromConfig(cfg).GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String("/visible-name-marker/db"), WithDecryption: aws.Bool(true)})
	if err != nil || *p.Parameter.Value != "restart-marker-v2" {
		t.Fatalf("parameter after restart: %v %v", p, err)
	}
	old, err := ssm.NewFromConfig(cfg).GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String("/visible-name-marker/db:1"), WithDecryption: aws.Bool(true)})
	if err != nil || *old.Parameter.Value != "restart-marker-v1" {
		t.Fatalf("version 1 after restart: %v %v", old, err)
	}
	sm := secretsmanager.NewFromConfig(cfg)
	g, err := sm.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("visible-name-marker/app"), VersionStage: aws.String("AWSPREVIOUS")})
	if err != nil || *g.SecretString != `{"password":"restart-marker"}` {
		t.Fatalf("secret after restart: %v %v", g, err)
	}
	b, err := sm.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("visible-name-marker/bin")})
	if err != nil || string(b.SecretBinary) != "restart-marker-binary" {
		t.Fatalf("binary secret after restart: %v %v", b, err)
	}
}

func startErr(dir string, cfg server.Config) error {
	cfg.Listen, cfg.DataDir, cfg.NoAgent = "127.0.0.1:0", dir, true
	srv, err := server.New(cfg)
	if err == nil {
		srv.Close()
	}
	return err
}

func TestWrongOrMissingKeyFailsStartUp(t *testing.T) {
	dir := t.TempDir()
	srv := servertest.Start(t, servertest.Options{DataDir: dir})
	seed(t, srv, "key-marker")
	srv.Stop()
	keyFile := filepath.Join(dir, secretbox.KeyFileName)
	orig, err := os.ReadFile(keyFile)
	if err != nil {
		t.Fatal(err)
	}
	other := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{42}, secretbox.KeySize))

	if err := os.WriteFile(keyFile, []byte(other), 0o600); err != nil {
		t.Fatal(err)
	}
	err = startErr(dir, server.Config{})
	if err == nil || !strings.HasPrefix(err.Error(), "the master key does not match the one this data dir was created with: ") {
		t.Fatalf("wrong key file: %v", err)
	}
	if err := startErr(dir, server.Config{MasterKey: other}); err == nil || !strings.Contains(err.Error(), "does not match") {
		t.Fatalf("wrong key in QUAYSIDE_MASTER_KEY: %v", err)
	}

	if err := os.Remove(keyFile); err != nil {
		t.Fatal(err)
	}
	if err := startErr(dir, server.Config{}); err == nil || !strings.Contains(err.Error(), "is missing, but data dir") {
		t.Fatalf("missing key file: %v", err)
	}

	// The original key, from elsewhere, opens the data dir again.
	moved := filepath.Join(t.TempDir(), "kept.key")
	if err := os.WriteFile(moved, orig, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := startErr(dir, server.Config{MasterKeyFile: moved}); err != nil {
		t.Fatalf("original key via MasterKeyFile: %v", err)
	}
	if err := startErr(dir, server.Config{MasterKey: strings.TrimSpace(string(orig))}); err != nil {
		t.Fatalf("original key via MasterKey: %v", err)
	}
}
