package ecrauth

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestLayerToken(t *testing.T) {
	a := New([]byte(strings.Repeat("k", 32)), nil)
	other := New([]byte(strings.Repeat("o", 32)), nil)
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	const repo, digest = "team/web", "sha256:" + "ab"
	tok, exp := a.NewLayerToken("123456789012", "eu-west-1", repo, digest, now)
	if !exp.Equal(now.Add(LayerURLValidity)) {
		t.Fatalf("expiresAt = %v", exp)
	}
	c, err := a.VerifyLayerToken(tok, repo, digest, now.Add(59*time.Minute))
	if err != nil || c.Account != "123456789012" || c.Region != "eu-west-1" {
		t.Fatalf("claims %+v, %v", c, err)
	}
	registryToken, _ := a.NewToken("123456789012", "eu-west-1", now)
	tests := []struct {
		name, tok, repo, digest string
		at                      time.Time
		kind                    error
	}{
		{"another repository", tok, "team/api", digest, now, ErrInvalidToken},
		{"another digest", tok, repo, "sha256:cd", now, ErrInvalidToken},
		{"expired", tok, repo, digest, exp, ErrExpiredToken},
		{"another key", func() string { t, _ := other.NewLayerToken("123456789012", "eu-west-1", repo, digest, now); return t }(), repo, digest, now, ErrInvalidToken},
		{"a registry token", registryToken, repo, digest, now, ErrInvalidToken},
		{"garbage", "QSL1.x.y", repo, digest, now, ErrInvalidToken},
	}
	for _, tt := range tests {
		if _, err := a.VerifyLayerToken(tt.tok, tt.repo, tt.digest, tt.at); !errors.Is(err, tt.kind) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.kind)
		}
	}
	// And a layer token is no registry password.
	if _, err := a.Verify(tok, now); !errors.Is(err, ErrInvalidToken) {
		t.Fatalf("layer token as a registry token: %v", err)
	}
}
