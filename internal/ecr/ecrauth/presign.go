package ecrauth

import (
	"crypto/hmac"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io"
	"strings"
	"time"

	"github.com/quayside/quayside/internal/fault"
)

// Presigned blob URLs (GetDownloadUrlForLayer). On AWS the download URL
// is a presigned S3 URL that needs no other credential; Quayside's is the
// registry's own blob URL with a token in the query that is good for one
// blob of one repository until it expires:
//
//	/v2/<repository>/blobs/<digest>?X-Quayside-Layer-Token=QSL1.<payload>.<signature>
//	     payload: base64url(JSON {"a": account, "r": region, "n": repository,
//	                              "d": digest, "e": expiry (unix s), "x": nonce})
//
// signed with the same key and HMAC as registry tokens. A registry token
// is not a layer token and a layer token is not a registry token: their
// prefixes differ and each verifier checks its own.

// LayerTokenParam is the query parameter that carries a layer token.
const LayerTokenParam = "X-Quayside-Layer-Token"

// LayerURLValidity is how long a download URL works.
const LayerURLValidity = time.Hour

const layerPrefix = "QSL1."

type layerPayload struct {
	Account    string `json:"a"`
	Region     string `json:"r"`
	Repository string `json:"n"`
	Digest     string `json:"d"`
	Expires    int64  `json:"e"`
	Nonce      string `json:"x"`
}

// NewLayerToken issues a token that lets its bearer GET (or HEAD) one blob
// of one repository until the returned time.
func (a *Auth) NewLayerToken(account, region, repo, digest string, now time.Time) (token string, expiresAt time.Time) {
	expiresAt = now.Add(LayerURLValidity).Truncate(time.Second)
	var n [8]byte
	_, _ = io.ReadFull(a.rand, n[:])
	p, _ := json.Marshal(layerPayload{Account: account, Region: region, Repository: repo, Digest: digest,
		Expires: expiresAt.Unix(), Nonce: hex.EncodeToString(n[:])})
	body := layerPrefix + base64.RawURLEncoding.EncodeToString(p)
	return body + "." + base64.RawURLEncoding.EncodeToString(a.sign(body)), expiresAt
}

// VerifyLayerToken checks a layer token for a request of blob digest in
// repo: signature, binding and expiry. The claims scope the request.
func (a *Auth) VerifyLayerToken(token, repo, digest string, now time.Time) (Claims, error) {
	invalid := fault.New(ErrInvalidToken, "The download URL is not valid for this layer; get a new one with GetDownloadUrlForLayer.")
	body, sig, ok := cutLast(token, ".")
	if !ok || !strings.HasPrefix(body, layerPrefix) {
		return Claims{}, invalid
	}
	got, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil || !hmac.Equal(got, a.sign(body)) {
		return Claims{}, invalid
	}
	raw, err := base64.RawURLEncoding.DecodeString(body[len(layerPrefix):])
	if err != nil {
		return Claims{}, invalid
	}
	var p layerPayload
	if err := json.Unmarshal(raw, &p); err != nil || p.Account == "" || p.Region == "" {
		return Claims{}, invalid
	}
	if p.Repository != repo || p.Digest != digest {
		return Claims{}, invalid
	}
	c := Claims{Account: p.Account, Region: p.Region, ExpiresAt: time.Unix(p.Expires, 0).UTC()}
	if !now.Before(c.ExpiresAt) {
		return Claims{}, fault.New(ErrExpiredToken, "The download URL has expired; get a new one with GetDownloadUrlForLayer.")
	}
	return c, nil
}
