package ecr

import (
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"hash"
	"strings"

	"github.com/quayside/quayside/internal/fault"
)

// Digest is a content address, "<algorithm>:<hex>". ECR names images by
// sha256 digests; the registry also accepts sha512 content.
type Digest string

// Digest algorithms the registry accepts.
const (
	SHA256 = "sha256"
	SHA512 = "sha512"
)

var hexLen = map[string]int{SHA256: 64, SHA512: 128}

// ParseDigest validates s: a supported algorithm and the right number of
// lowercase hex digits.
func ParseDigest(s string) (Digest, error) {
	algo, enc, ok := strings.Cut(s, ":")
	if !ok {
		return "", fault.Newf(ErrInvalidDigest, "invalid digest %q: want <algorithm>:<hex>", s)
	}
	n, known := hexLen[algo]
	if !known {
		return "", fault.Newf(ErrInvalidDigest, "invalid digest %q: unsupported algorithm %q (use sha256 or sha512)", s, algo)
	}
	if len(enc) != n || !isLowerHex(enc) {
		return "", fault.Newf(ErrInvalidDigest, "invalid digest %q: %s wants %d lowercase hex digits", s, algo, n)
	}
	return Digest(s), nil
}

// IsDigest reports whether s looks like a digest reference (it has a
// colon, which tags cannot have), valid or not.
func IsDigest(s string) bool { return strings.Contains(s, ":") }

// Algorithm is the part before the colon.
func (d Digest) Algorithm() string { a, _, _ := strings.Cut(string(d), ":"); return a }

// Hex is the part after the colon.
func (d Digest) Hex() string { _, h, _ := strings.Cut(string(d), ":"); return h }

func (d Digest) String() string { return string(d) }

// NewHash returns a hash for the digest's algorithm.
func (d Digest) NewHash() hash.Hash { return NewHash(d.Algorithm()) }

// NewHash returns a hash for a supported algorithm (sha256 otherwise).
func NewHash(algo string) hash.Hash {
	if algo == SHA512 {
		return sha512.New()
	}
	return sha256.New()
}

// FromBytes is the digest of b with the given algorithm.
func FromBytes(algo string, b []byte) Digest {
	h := NewHash(algo)
	h.Write(b)
	return FromHash(algo, h)
}

// FromHash is the digest a finished hash gives.
func FromHash(algo string, h hash.Hash) Digest {
	return Digest(algo + ":" + hex.EncodeToString(h.Sum(nil)))
}

func isLowerHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}
