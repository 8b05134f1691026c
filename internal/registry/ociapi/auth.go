package ociapi

import (
	"errors"
	"net/http"

	"github.com/quayside/quayside/internal/ecr/ecrauth"
	"github.com/quayside/quayside/internal/fault"
)

// authenticate checks the request's Basic credentials: user AWS and a
// token from ecrauth.
func (h *Handler) authenticate(r *http.Request) (ecrauth.Claims, error) {
	if tok := r.URL.Query().Get(ecrauth.LayerTokenParam); tok != "" {
		return h.authenticateLayerURL(r, tok)
	}
	user, pass, ok := r.BasicAuth()
	if !ok {
		return ecrauth.Claims{}, fault.New(errAuthRequired,
			"authentication required: log in with `aws ecr get-login-password | docker login --username AWS --password-stdin "+r.Host+"`")
	}
	return h.reg.Auth().VerifyBasic(user, pass, h.reg.Now())
}

// errorsIsAuth reports whether err asks the client to authenticate.
func errorsIsAuth(err error) bool {
	return errors.Is(err, errAuthRequired) || errors.Is(err, ecrauth.ErrInvalidToken) || errors.Is(err, ecrauth.ErrExpiredToken)
}

// authenticateLayerURL checks a download URL from GetDownloadUrlForLayer:
// it opens one blob of one repository, for GET and HEAD only, without
// Basic credentials (see ecrauth.NewLayerToken).
func (h *Handler) authenticateLayerURL(r *http.Request, tok string) (ecrauth.Claims, error) {
	rt, err := parseRoute(r.URL.Path)
	if err != nil {
		return ecrauth.Claims{}, err
	}
	if rt.ep != epBlob || (r.Method != http.MethodGet && r.Method != http.MethodHead) {
		return ecrauth.Claims{}, fault.New(errAuthRequired, "a layer download URL only downloads its layer")
	}
	return h.reg.Auth().VerifyLayerToken(tok, rt.name, rt.ref, h.reg.Now())
}
