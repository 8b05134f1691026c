package iam

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"io"
)

// Unique ID prefixes IAM uses.
const (
	prefixRole       = "AROA"
	prefixPolicy     = "ANPA"
	prefixTempAccess = "ASIA" // access key IDs of temporary credentials
)

const base32Upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"

// IDs makes IAM identifiers from a source of randomness.
type IDs struct{ r io.Reader }

// NewIDs returns an ID source reading r; nil means crypto/rand.
func NewIDs(r io.Reader) *IDs {
	if r == nil {
		r = rand.Reader
	}
	return &IDs{r: r}
}

func (g *IDs) read(n int) []byte {
	b := make([]byte, n)
	if _, err := io.ReadFull(g.r, b); err != nil {
		panic("iam: read random bytes: " + err.Error())
	}
	return b
}

// unique returns prefix and 17 characters of IAM's alphabet: 21 in all.
func (g *IDs) unique(prefix string, n int) string {
	b := g.read(n)
	out := []byte(prefix)
	for _, c := range b {
		out = append(out, base32Upper[c%32])
	}
	return string(out)
}

// RoleID is a role's unique ID, AROA and 17 characters.
func (g *IDs) RoleID() string { return g.unique(prefixRole, 17) }

// PolicyID is a managed policy's unique ID, ANPA and 17 characters.
func (g *IDs) PolicyID() string { return g.unique(prefixPolicy, 17) }

// AccessKeyID is a temporary access key ID, ASIA and 16 characters.
func (g *IDs) AccessKeyID() string { return g.unique(prefixTempAccess, 16) }

// SecretAccessKey is 40 characters of base64.
func (g *IDs) SecretAccessKey() string {
	return base64.StdEncoding.EncodeToString(g.read(30))
}

// SessionToken is an opaque token as long as STS's.
func (g *IDs) SessionToken() string {
	return base64.StdEncoding.EncodeToString(g.read(264))
}

// fixedID derives a stable ID from a name, for the built-in AWS managed
// policies.
func fixedID(prefix, name string) string {
	sum := sha256.Sum256([]byte(name))
	out := []byte(prefix)
	for _, c := range sum[:17] {
		out = append(out, base32Upper[c%32])
	}
	return string(out)
}
