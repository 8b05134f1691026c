// Package secretbox encrypts secret values at rest: SSM SecureString
// parameters and Secrets Manager secret values are sealed with AES-256-GCM
// under one master key before they reach the store, and opened only when
// an API caller asks for the plaintext.
//
// The master key is 32 random bytes. Quayside creates it on the first
// start of a data dir and keeps it in <data dir>/master.key (mode 0600,
// base64 text), unless it is given as a file (--master-key-file,
// QUAYSIDE_MASTER_KEY_FILE) or as base64 text (QUAYSIDE_MASTER_KEY).
//
// A data dir remembers which key it was created with: the store keeps a
// key check value (an HMAC-SHA256 of a constant under the key, never the
// key), so that starting with another key is a start-up error and never
// silent corruption, and a data dir whose key file went missing refuses
// to start instead of minting a new key.
//
//	table        key                   value
//	secretbox    master-key-check      checkRecord (format, check value, created)
//
// The check record is global, not per region or account: one key
// protects the whole data dir.
//
// Sealed values have the layout
//
//	+------+-------------+----------------------------+
//	| 0x01 | nonce (12B) | ciphertext + GCM tag (16B) |
//	+------+-------------+----------------------------+
//
// and every Seal binds its ciphertext to where it is stored through the
// additional data (the caller passes, say, the parameter's name and
// version), so a sealed value copied to another record fails to open.
//
// Nothing in this package logs, and no error it returns contains a key or
// a plaintext.
package secretbox

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
)

// KeySize is the master key's length in bytes (AES-256).
const KeySize = 32

// format is the first byte of every sealed value.
const format byte = 0x01

// ErrOpen is returned when a sealed value does not open: it was not sealed
// under this key, was sealed for another record, or is damaged.
var ErrOpen = errors.New("secretbox: the value does not decrypt under the master key")

// Box seals and opens values under the master key. It is safe for
// concurrent use.
type Box struct {
	aead  cipher.AEAD
	check []byte // HMAC of checkConstant under the key
	rand  io.Reader
}

// checkConstant is what the key check value is an HMAC of.
const checkConstant = "quayside master key check v1"

// New returns a box for a 32-byte key.
func New(key []byte) (*Box, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("secretbox: the master key must be %d bytes, not %d", KeySize, len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("secretbox: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("secretbox: %w", err)
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(checkConstant))
	return &Box{aead: aead, check: mac.Sum(nil), rand: rand.Reader}, nil
}

// NewKey returns a fresh random master key.
func NewKey() ([]byte, error) {
	key := make([]byte, KeySize)
	if _, err := io.ReadFull(rand.Reader, key); err != nil {
		return nil, fmt.Errorf("secretbox: generate master key: %w", err)
	}
	return key, nil
}

// Fingerprint names the key without revealing it: the first 8 bytes of
// the key check value, in hex. Safe to log and show in errors.
func (b *Box) Fingerprint() string { return hex.EncodeToString(b.check[:8]) }

// Seal encrypts plaintext, bound to aad.
func (b *Box) Seal(plaintext, aad []byte) ([]byte, error) {
	ns := b.aead.NonceSize()
	out := make([]byte, 1+ns, 1+ns+len(plaintext)+b.aead.Overhead())
	out[0] = format
	if _, err := io.ReadFull(b.rand, out[1:1+ns]); err != nil {
		return nil, fmt.Errorf("secretbox: nonce: %w", err)
	}
	return b.aead.Seal(out, out[1:1+ns], plaintext, aad), nil
}

// Open decrypts a value sealed with the same key and aad. It returns
// ErrOpen when the value does not open.
func (b *Box) Open(sealed, aad []byte) ([]byte, error) {
	ns := b.aead.NonceSize()
	if len(sealed) < 1+ns+b.aead.Overhead() || sealed[0] != format {
		return nil, ErrOpen
	}
	pt, err := b.aead.Open(nil, sealed[1:1+ns], sealed[1+ns:], aad)
	if err != nil {
		return nil, ErrOpen
	}
	return pt, nil
}

// AAD joins the parts that identify where a sealed value lives into
// additional data, unambiguously (each part is length-prefixed).
func AAD(parts ...string) []byte {
	n := 0
	for _, p := range parts {
		n += 4 + len(p)
	}
	out := make([]byte, 0, n)
	for _, p := range parts {
		l := len(p)
		out = append(out, byte(l>>24), byte(l>>16), byte(l>>8), byte(l))
		out = append(out, p...)
	}
	return out
}
