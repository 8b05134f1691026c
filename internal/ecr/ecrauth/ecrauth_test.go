package ecrauth

import (
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestTokenRoundTrip(t *testing.T) {
	a := New([]byte(strings.Repeat("k", 32)), nil)
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	tok, exp := a.NewToken("123456789012", "eu-west-1", now)
	if !exp.Equal(now.Add(12 * time.Hour)) {
		t.Fatalf("expiresAt = %v", exp)
	}
	c, err := a.VerifyBasic(Username, tok, now.Add(11*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if c.Account != "123456789012" || c.Region != "eu-west-1" || !c.ExpiresAt.Equal(exp) {
		t.Fatalf("claims = %+v", c)
	}
	auth, _ := a.AuthorizationToken("123456789012", "eu-west-1", now)
	raw, err := base64.StdEncoding.DecodeString(auth)
	if err != nil || !strings.HasPrefix(string(raw), "AWS:QS1.") {
		t.Fatalf("authorization token decodes to %q, %v", raw, err)
	}
}

func TestVerifyRefuses(t *testing.T) {
	a := New([]byte(strings.Repeat("k", 32)), nil)
	other := New([]byte(strings.Repeat("o", 32)), nil)
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	tok, _ := a.NewToken("123456789012", "eu-west-1", now)
	forgedPayload := func() string {
		parts := strings.Split(tok, ".")
		p, _ := base64.RawURLEncoding.DecodeString(parts[1])
		p = []byte(strings.Replace(string(p), "123456789012", "999999999999", 1))
		return parts[0] + "." + base64.RawURLEncoding.EncodeToString(p) + "." + parts[2]
	}()
	otherKey, _ := other.NewToken("123456789012", "eu-west-1", now)
	tests := []struct {
		name  string
		user  string
		token string
		at    time.Time
		kind  error
	}{
		{"expired", Username, tok, now.Add(12 * time.Hour), ErrExpiredToken},
		{"other key", Username, otherKey, now, ErrInvalidToken},
		{"forged payload", Username, forgedPayload, now, ErrInvalidToken},
		{"truncated", Username, tok[:len(tok)-3], now, ErrInvalidToken},
		{"garbage", Username, "hello", now, ErrInvalidToken},
		{"empty", Username, "", now, ErrInvalidToken},
		{"wrong user", "admin", tok, now, ErrInvalidToken},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := a.VerifyBasic(tt.user, tt.token, tt.at); !errors.Is(err, tt.kind) {
				t.Fatalf("VerifyBasic = %v, want %v", err, tt.kind)
			}
		})
	}
}

func TestOpenCreatesKeyOnce(t *testing.T) {
	dir := t.TempDir()
	var wg sync.WaitGroup
	auths := make([]*Auth, 8)
	errs := make([]error, 8)
	for i := range auths {
		wg.Add(1)
		go func() { defer wg.Done(); auths[i], errs[i] = Open(dir) }()
	}
	wg.Wait()
	now := time.Now()
	tok, _ := auths[0].NewToken("000000000000", "us-east-1", now)
	for i, a := range auths {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if _, err := a.Verify(tok, now); err != nil {
			t.Fatalf("auth %d does not share the key: %v", i, err)
		}
	}
	fi, err := os.Stat(filepath.Join(dir, KeyFile))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Fatalf("key mode %v, want 0600", fi.Mode().Perm())
	}
	again, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := again.Verify(tok, now); err != nil {
		t.Fatalf("reopened key differs: %v", err)
	}
	if leftovers, _ := filepath.Glob(filepath.Join(dir, KeyFile+".tmp*")); len(leftovers) > 0 {
		t.Fatalf("temporary key files left: %v", leftovers)
	}
}
