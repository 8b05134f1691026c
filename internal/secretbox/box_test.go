package secretbox

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/quayside/quayside/internal/store"
	"github.com/quayside/quayside/internal/store/boltstore"
)

func testKey(b byte) []byte { return bytes.Repeat([]byte{b}, KeySize) }

func TestSealOpen(t *testing.T) {
	box, err := New(testKey(1))
	if err != nil {
		t.Fatal(err)
	}
	aad := AAD("ssm", "us-east-1", "000000000000", "/a", "1")
	sealed, err := box.Seal([]byte("hunter2"), aad)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(sealed, []byte("hunter2")) {
		t.Fatal("sealed value contains the plaintext")
	}
	got, err := box.Open(sealed, aad)
	if err != nil || string(got) != "hunter2" {
		t.Fatalf("Open = %q, %v", got, err)
	}
	again, _ := box.Seal([]byte("hunter2"), aad)
	if bytes.Equal(again, sealed) {
		t.Fatal("two seals of one plaintext are equal: nonce reuse")
	}

	other, _ := New(testKey(2))
	cases := []struct {
		name   string
		box    *Box
		sealed []byte
		aad    []byte
	}{
		{"wrong key", other, sealed, aad},
		{"other record", box, sealed, AAD("ssm", "us-east-1", "000000000000", "/a", "2")},
		{"truncated", box, sealed[:10], aad},
		{"flipped bit", box, append(append([]byte{}, sealed[:20]...), append([]byte{sealed[20] ^ 1}, sealed[21:]...)...), aad},
		{"unknown format", box, append([]byte{9}, sealed[1:]...), aad},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, err := c.box.Open(c.sealed, c.aad); !errors.Is(err, ErrOpen) {
				t.Fatalf("Open = %v, want ErrOpen", err)
			}
		})
	}
}

func TestAADIsUnambiguous(t *testing.T) {
	if bytes.Equal(AAD("ab", "c"), AAD("a", "bc")) {
		t.Fatal("AAD(ab, c) == AAD(a, bc)")
	}
}

func TestNewRejectsShortKey(t *testing.T) {
	if _, err := New(make([]byte, 16)); err == nil {
		t.Fatal("16-byte key accepted")
	}
}

func openStore(t *testing.T, dir string) store.Store {
	t.Helper()
	st, err := boltstore.Open(filepath.Join(dir, "quayside.db"), boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// start opens the store of dir and the box, as server start-up does, and
// closes the store again.
func start(t *testing.T, cfg Config) (*Box, error) {
	t.Helper()
	st := openStore(t, cfg.DataDir)
	defer st.Close()
	return Open(context.Background(), st, cfg)
}

func TestOpenCreatesKeyOnFirstStart(t *testing.T) {
	dir := t.TempDir()
	box, err := start(t, Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(filepath.Join(dir, KeyFileName))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode = %v, want 0600", fi.Mode().Perm())
	}
	again, err := start(t, Config{DataDir: dir})
	if err != nil {
		t.Fatalf("second start: %v", err)
	}
	if again.Fingerprint() != box.Fingerprint() {
		t.Fatal("second start uses another key")
	}
	sealed, _ := box.Seal([]byte("v"), nil)
	if _, err := again.Open(sealed, nil); err != nil {
		t.Fatalf("value sealed before restart does not open: %v", err)
	}
}

func TestOpenKeySources(t *testing.T) {
	key := testKey(7)
	want, _ := New(key)
	b64 := base64.StdEncoding.EncodeToString(key)
	cases := []struct {
		name    string
		file    []byte // written to <dir>/given.key when not nil
		inline  string
		wantErr string
	}{
		{"base64 file", []byte(b64 + "\n"), "", ""},
		{"raw file", key, "", ""},
		{"url base64 file without padding", []byte(base64.RawURLEncoding.EncodeToString(key)), "", ""},
		{"inline base64", nil, b64, ""},
		{"inline wins over file", testKey(9), b64, ""},
		{"short file", []byte("c2hvcnQ="), "", "not a 32-byte key"},
		{"bad inline", nil, "***", "QUAYSIDE_MASTER_KEY: not a 32-byte key"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			cfg := Config{DataDir: dir, Key: c.inline}
			if c.file != nil {
				cfg.KeyFile = filepath.Join(dir, "given.key")
				if err := os.WriteFile(cfg.KeyFile, c.file, 0o600); err != nil {
					t.Fatal(err)
				}
			}
			box, err := start(t, cfg)
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("err = %v, want %q", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if box.Fingerprint() != want.Fingerprint() {
				t.Fatal("wrong key loaded")
			}
		})
	}
}

func TestOpenWrongKeyIsAStartupError(t *testing.T) {
	dir := t.TempDir()
	first, err := start(t, Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	wrong := base64.StdEncoding.EncodeToString(testKey(3))
	if err := os.WriteFile(filepath.Join(dir, KeyFileName), []byte(wrong), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = start(t, Config{DataDir: dir})
	if err == nil || !strings.HasPrefix(err.Error(), "the master key does not match the one this data dir was created with: ") {
		t.Fatalf("err = %v", err)
	}
	if !strings.Contains(err.Error(), first.Fingerprint()) {
		t.Fatalf("error does not name the expected key's fingerprint: %v", err)
	}
	if strings.Contains(err.Error(), wrong) {
		t.Fatal("error contains the key")
	}
	if _, err := start(t, Config{DataDir: dir, Key: wrong}); err == nil {
		t.Fatal("wrong inline key accepted")
	}
}

func TestOpenMissingKeyFileIsAStartupError(t *testing.T) {
	dir := t.TempDir()
	if _, err := start(t, Config{DataDir: dir}); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, KeyFileName)); err != nil {
		t.Fatal(err)
	}
	_, err := start(t, Config{DataDir: dir})
	if err == nil || !strings.Contains(err.Error(), "is missing, but data dir") {
		t.Fatalf("err = %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, KeyFileName)); !os.IsNotExist(err) {
		t.Fatal("a new key file was created for a data dir that had a key")
	}
}
