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
