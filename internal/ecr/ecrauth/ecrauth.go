// Package ecrauth issues and checks the registry's authorization tokens:
// what GetAuthorizationToken returns and what `docker login` sends back.
//
// As on ECR, the authorization token is base64("AWS:<password>"), and the
// registry takes HTTP Basic auth with user AWS and that password. The
// password is a token Quayside signs itself:
//
//	QS1.<payload>.<signature>
//	     │          └─ base64url(HMAC-SHA256(key, "QS1." + payload))
//	     └─ base64url(JSON {"a": account, "r": region, "e": expiry (unix s),
//	                        "i": issued (unix s), "n": 8 random bytes, hex})
//
// The key is 32 random bytes in <data dir>/ecr-token.key (mode 0600),
// created on first start and kept across restarts, so tokens survive a
// restart. Tokens are valid for 12 hours, as ECR's are. The registry
// scopes every request to the token's account and region: a registry
// host (localhost:<port>) carries neither, unlike ECR's
// <account>.dkr.ecr.<region>.amazonaws.com.
package ecrauth

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/quayside/quayside/internal/fault"
)

// TokenValidity is how long a token is good for (ECR: 12 hours).
const TokenValidity = 12 * time.Hour

// Username is the Basic auth user ECR expects.
const Username = "AWS"

// KeyFile is the key's file name in the data dir.
const KeyFile = "ecr-token.key"

const prefix = "QS1."

// Error kinds. Both become the registry's UNAUTHORIZED.
var (
	ErrInvalidToken = fault.NewKind("invalid authorization token", fault.AccessDenied)
	ErrExpiredToken = fault.NewKind("expired authorization token", fault.AccessDenied)
)

// Messages for the kinds, as ECR words them where it does.
const (
	MsgExpiredToken = "Your authorization token has expired. Reauthenticate and try again."
	MsgInvalidToken = "Your authorization token is invalid."
)

// Claims are what a valid token says.
type Claims struct {
	Account   string
	Region    string
	IssuedAt  time.Time
	ExpiresAt time.Time
}

type payload struct {
	Account string `json:"a"`
	Region  string `json:"r"`
	Expires int64  `json:"e"`
	Issued  int64  `json:"i"`
	Nonce   string `json:"n"`
}

// Auth signs and verifies tokens with one key.
type Auth struct {
	key  []byte
	rand io.Reader
}

// New returns an Auth with the given key. rand supplies token nonces
// (crypto/rand if nil).
func New(key []byte, rnd io.Reader) *Auth {
	if rnd == nil {
		rnd = rand.Reader
	}
	return &Auth{key: append([]byte(nil), key...), rand: rnd}
}

// Open loads the key from dataDir, creating it on first use. Concurrent
// first calls agree on one key.
func Open(dataDir string) (*Auth, error) {
	path := filepath.Join(dataDir, KeyFile)
	key, err := readKey(path)
	if errors.Is(err, fs.ErrNotExist) {
		key, err = createKey(path)
	}
	if err != nil {
		return nil, err
	}
	return New(key, nil), nil
}

func readKey(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if len(b) != 32 {
		return nil, fmt.Errorf("registry token key %s is %d bytes, want 32: remove it to make a new one (tokens already issued stop working)", path, len(b))
	}
	return b, nil
}

// createKey writes a fresh key to a temporary file and links it into
// place, so that a concurrent creator's key wins or ours does, never half
// of one.
func createKey(path string) ([]byte, error) {
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), KeyFile+".tmp*")
	if err != nil {
		return nil, fmt.Errorf("create registry token key: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return nil, err
	}
	if _, err := tmp.Write(key); err != nil {
		tmp.Close()
		return nil, err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return nil, err
	}
	if err := tmp.Close(); err != nil {
		return nil, err
	}
	if err := os.Link(tmp.Name(), path); err != nil && !errors.Is(err, fs.ErrExist) {
		return nil, fmt.Errorf("create registry token key: %w", err)
	}
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		_ = d.Sync()
		d.Close()
	}
	return readKey(path)
}

// NewToken issues a token (the Basic auth password) for an account and
// region, valid from now for TokenValidity.
func (a *Auth) NewToken(account, region string, now time.Time) (token string, expiresAt time.Time) {
	expiresAt = now.Add(TokenValidity).Truncate(time.Second)
	var n [8]byte
	_, _ = io.ReadFull(a.rand, n[:])
	p, _ := json.Marshal(payload{Account: account, Region: region, Expires: expiresAt.Unix(), Issued: now.Unix(), Nonce: hex.EncodeToString(n[:])})
	body := prefix + base64.RawURLEncoding.EncodeToString(p)
	return body + "." + base64.RawURLEncoding.EncodeToString(a.sign(body)), expiresAt
}

// AuthorizationToken is GetAuthorizationToken's authorizationToken:
// base64("AWS:" + NewToken(...)).
func (a *Auth) AuthorizationToken(account, region string, now time.Time) (token string, expiresAt time.Time) {
	t, exp := a.NewToken(account, region, now)
	return base64.StdEncoding.EncodeToString([]byte(Username + ":" + t)), exp
}

// Verify checks a token's signature and expiry.
func (a *Auth) Verify(token string, now time.Time) (Claims, error) {
	invalid := fault.New(ErrInvalidToken, MsgInvalidToken)
	body, sig, ok := cutLast(token, ".")
	if !ok || !strings.HasPrefix(body, prefix) {
		return Claims{}, invalid
	}
	got, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil || !hmac.Equal(got, a.sign(body)) {
		return Claims{}, invalid
	}
	raw, err := base64.RawURLEncoding.DecodeString(body[len(prefix):])
	if err != nil {
		return Claims{}, invalid
	}
	var p payload
	if err := json.Unmarshal(raw, &p); err != nil || p.Account == "" || p.Region == "" {
		return Claims{}, invalid
	}
	c := Claims{Account: p.Account, Region: p.Region, IssuedAt: time.Unix(p.Issued, 0).UTC(), ExpiresAt: time.Unix(p.Expires, 0).UTC()}
	if !now.Before(c.ExpiresAt) {
		return Claims{}, fault.New(ErrExpiredToken, MsgExpiredToken)
	}
	return c, nil
}

// VerifyBasic checks Basic auth credentials: user AWS and a token.
func (a *Auth) VerifyBasic(user, password string, now time.Time) (Claims, error) {
	if user != Username {
		return Claims{}, fault.New(ErrInvalidToken, MsgInvalidToken)
	}
	return a.Verify(password, now)
}

func (a *Auth) sign(body string) []byte {
	m := hmac.New(sha256.New, a.key)
	m.Write([]byte(body))
	return m.Sum(nil)
}

func cutLast(s, sep string) (before, after string, ok bool) {
	i := strings.LastIndex(s, sep)
	if i < 0 {
		return s, "", false
	}
	return s[:i], s[i+len(sep):], true
}
