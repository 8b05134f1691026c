package secretsmanager

import (
	"encoding/binary"
	"io"
	"strings"

	"github.com/quayside/quayside/internal/fault"
)

// PasswordInput is a GetRandomPassword request; nil means the default.
type PasswordInput struct {
	Length                  *int64 // default 32
	ExcludeCharacters       string
	ExcludeNumbers          bool
	ExcludePunctuation      bool
	ExcludeUppercase        bool
	ExcludeLowercase        bool
	IncludeSpace            bool
	RequireEachIncludedType *bool // default true
}

const (
	lowers       = "abcdefghijklmnopqrstuvwxyz"
	uppers       = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	digits       = "0123456789"
	punctuations = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
)

// RandomPassword generates a password from the manager's randomness
// (crypto/rand unless a test injects another source).
func (m *Manager) RandomPassword(in PasswordInput) (string, error) {
	n := 32
	if in.Length != nil {
		n = int(*in.Length)
	}
	drop := func(set string) string {
		return strings.Map(func(r rune) rune {
			if strings.ContainsRune(in.ExcludeCharacters, r) {
				return -1
			}
			return r
		}, set)
	}
	var classes []string
	for _, c := range []struct {
		set      string
		excluded bool
	}{{lowers, in.ExcludeLowercase}, {uppers, in.ExcludeUppercase}, {digits, in.ExcludeNumbers}, {punctuations, in.ExcludePunctuation}} {
		if s := drop(c.set); !c.excluded && s != "" {
			classes = append(classes, s)
		}
	}
	all := strings.Join(classes, "")
	if in.IncludeSpace {
		all += drop(" ")
	}
	if all == "" {
		return "", fault.New(ErrInvalidParameter, msgPasswordNoChars)
	}
	require := in.RequireEachIncludedType == nil || *in.RequireEachIncludedType
	if !require {
		classes = nil
	}
	if n < len(classes) {
		return "", fault.New(ErrInvalidParameter, msgPasswordTypes)
	}
	// One character of each required class, the rest from all, shuffled.
	out := make([]byte, 0, n)
	for _, c := range classes {
		s, err := m.randomString(c, 1)
		if err != nil {
			return "", err
		}
		out = append(out, s...)
	}
	rest, err := m.randomString(all, n-len(out))
	if err != nil {
		return "", err
	}
	out = append(out, rest...)
	for i := len(out) - 1; i > 0; i-- {
		j, err := m.intn(i + 1)
		if err != nil {
			return "", err
		}
		out[i], out[j] = out[j], out[i]
	}
	return string(out), nil
}

// intn returns a uniform integer in [0, n).
func (m *Manager) intn(n int) (int, error) {
	limit := (1 << 32) - (1<<32)%uint64(n)
	var b [4]byte
	for {
		if _, err := io.ReadFull(m.rand, b[:]); err != nil {
			return 0, err
		}
		if v := uint64(binary.BigEndian.Uint32(b[:])); v < limit {
			return int(v % uint64(n)), nil
		}
	}
}
