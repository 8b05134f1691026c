package secretbox

import (
	"bytes"
	"context"
	"crypto/hmac"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/quayside/quayside/internal/store"
)

// Table is the store table holding the key check record.
const Table = "secretbox"

const checkKey = "master-key-check"

// KeyFileName is the master key's file name in the data dir.
const KeyFileName = "master.key"

// keyHelp says how to give Quayside a key.
const keyHelp = "--master-key-file, QUAYSIDE_MASTER_KEY_FILE or QUAYSIDE_MASTER_KEY"

// Config says where the master key comes from.
type Config struct {
	DataDir string
	// KeyFile is the key file; default <DataDir>/master.key. It is created
	// (mode 0600) when it does not exist and the data dir has no key yet.
	KeyFile string
	// Key is the key itself, as base64 text; it takes precedence over
	// KeyFile.
	Key string
	// Now is the clock for the check record; default time.Now.
	Now func() time.Time
}

// checkRecord is the data dir's memory of its key.
type checkRecord struct {
	Format      int       `json:"format"`
	Check       string    `json:"check"`       // hex HMAC-SHA256 of checkConstant under the key
	Fingerprint string    `json:"fingerprint"` // the first 8 bytes of Check
	Created     time.Time `json:"created"`
}

// Open loads the master key (creating it on a data dir's first start),
// checks it against the one the store was created with, and returns the
// box. Its errors are start-up errors, worded for the operator.
func Open(ctx context.Context, st store.Store, cfg Config) (*Box, error) {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	rec, haveCheck, err := readCheck(ctx, st)
	if err != nil {
		return nil, err
	}
	key, source, err := loadKey(cfg, rec, haveCheck)
	if err != nil {
		return nil, err
	}
	box, err := New(key)
	if err != nil {
		return nil, err
	}
	if haveCheck {
		want, err := hex.DecodeString(rec.Check)
		if err != nil {
			return nil, fmt.Errorf("the master key check record of data dir %s is damaged: %w", cfg.DataDir, err)
		}
		if !hmac.Equal(want, box.check) {
			return nil, fmt.Errorf("the master key does not match the one this data dir was created with: "+
				"%s has fingerprint %s, but data dir %s was created with the key of fingerprint %s. "+
				"Start with the original key (%s); values encrypted under one key can't be read with another",
				source, box.Fingerprint(), cfg.DataDir, rec.Fingerprint, keyHelp)
		}
		return box, nil
	}
	rec = checkRecord{Format: 1, Check: hex.EncodeToString(box.check), Fingerprint: box.Fingerprint(), Created: cfg.Now().UTC()}
	err = st.Update(ctx, func(tx store.Tx) error { return store.Put(tx, Table, checkKey, rec) })
	if err != nil {
		return nil, fmt.Errorf("record the master key check value: %w", err)
	}
	return box, nil
}

func readCheck(ctx context.Context, st store.Store) (rec checkRecord, ok bool, err error) {
	err = st.View(ctx, func(tx store.ReadTx) error {
		rec, err = store.Get[checkRecord](tx, Table, checkKey)
		return err
	})
	switch {
	case errors.Is(err, store.ErrNotFound):
		return rec, false, nil
	case err != nil:
		return rec, false, fmt.Errorf("read the master key check value: %w", err)
	}
	return rec, true, nil
}

// loadKey finds the key: given inline, read from its file, or created.
// source describes where it came from, for messages.
func loadKey(cfg Config, rec checkRecord, haveCheck bool) (key []byte, source string, err error) {
	if cfg.Key != "" {
		key, err := decodeKey([]byte(cfg.Key))
		if err != nil {
			return nil, "", fmt.Errorf("QUAYSIDE_MASTER_KEY: %w", err)
		}
		return key, "the key in QUAYSIDE_MASTER_KEY", nil
	}
	path := cfg.KeyFile
	if path == "" {
		path = filepath.Join(cfg.DataDir, KeyFileName)
	}
	source = "the key in " + path
	b, err := os.ReadFile(path)
	switch {
	case err == nil:
		key, err := decodeKey(b)
		if err != nil {
			return nil, "", fmt.Errorf("master key file %s: %w", path, err)
		}
		return key, source, nil
	case !errors.Is(err, fs.ErrNotExist):
		return nil, "", fmt.Errorf("read master key file: %w", err)
	case haveCheck:
		return nil, "", fmt.Errorf("the master key file %s is missing, but data dir %s holds values encrypted under a master key "+
			"(fingerprint %s): restore the file or give the key with %s; Quayside does not create a new key for a data dir that has one",
			path, cfg.DataDir, rec.Fingerprint, keyHelp)
	}
	key, err = NewKey()
	if err != nil {
		return nil, "", err
	}
	if err := writeKeyFile(path, key); err != nil {
		return nil, "", err
	}
	return key, source, nil
}

// decodeKey reads a key file's contents: base64 text (standard or URL
// alphabet, padded or not) or the 32 raw bytes.
func decodeKey(b []byte) ([]byte, error) {
	if len(b) == KeySize {
		if k, err := decodeText(b); err == nil && len(k) == KeySize {
			return k, nil
		}
		return append([]byte(nil), b...), nil
	}
	k, err := decodeText(bytes.TrimSpace(b))
	if err != nil || len(k) != KeySize {
		return nil, fmt.Errorf("not a %d-byte key in base64 (make one with: head -c %d /dev/urandom | base64)", KeySize, KeySize)
	}
	return k, nil
}

func decodeText(b []byte) ([]byte, error) {
	s := string(b)
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if k, err := enc.DecodeString(s); err == nil {
			return k, nil
		}
	}
	return nil, errors.New("not base64")
}

// writeKeyFile creates path (never overwriting) with the key as base64
// text, mode 0600, and syncs it before the key is used.
func writeKeyFile(path string, key []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("create master key file: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("create master key file: %w", err)
	}
	_, err = f.WriteString(base64.StdEncoding.EncodeToString(key) + "\n")
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return fmt.Errorf("write master key file %s: %w", path, err)
	}
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		_ = d.Sync()
		d.Close()
	}
	return nil
}
