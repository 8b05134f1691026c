package ociapi

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

	"github.com/quayside/quayside/internal/ecr"
	"github.com/quayside/quayside/internal/ecr/ecrauth"
	"github.com/quayside/quayside/internal/fault"
)

// Error codes of the OCI distribution spec, plus TAG_INVALID (ECR's
// answer to an immutable tag) and PAGINATION_NUMBER_INVALID (Docker's
// registry API).
const (
	codeBlobUnknown         = "BLOB_UNKNOWN"
	codeBlobUploadInvalid   = "BLOB_UPLOAD_INVALID"
	codeBlobUploadUnknown   = "BLOB_UPLOAD_UNKNOWN"
	codeDigestInvalid       = "DIGEST_INVALID"
	codeManifestBlobUnknown = "MANIFEST_BLOB_UNKNOWN"
	codeManifestInvalid     = "MANIFEST_INVALID"
	codeManifestUnknown     = "MANIFEST_UNKNOWN"
	codeNameInvalid         = "NAME_INVALID"
	codeNameUnknown         = "NAME_UNKNOWN"
	codeSizeInvalid         = "SIZE_INVALID"
	codeUnauthorized        = "UNAUTHORIZED"
	codeDenied              = "DENIED"
	codeUnsupported         = "UNSUPPORTED"
	codeTooManyRequests     = "TOOMANYREQUESTS"
	codeTagInvalid          = "TAG_INVALID"
	codePaginationInvalid   = "PAGINATION_NUMBER_INVALID"
	codeUnknown             = "UNKNOWN"
)

// Kinds the HTTP layer raises itself.
var (
	errAuthRequired      = fault.NewKind("authentication required", fault.AccessDenied)
	errMethodNotAllowed  = fault.NewKind("method not allowed", fault.Unsupported)
	errPaginationInvalid = fault.NewKind("invalid pagination", fault.Invalid)
	errBadUploadRequest  = fault.NewKind("bad upload request", fault.Invalid)
	errUnavailable       = fault.NewKind("registry unavailable", fault.Internal)
)

// errorRow maps an error kind, on some endpoints or all (none listed),
// to a code and status. Rows are tried in order; the first match wins.
type errorRow struct {
	kind   error
	only   []endpoint
	code   string
	status int
}

var errorTable = []errorRow{
	{errAuthRequired, nil, codeUnauthorized, http.StatusUnauthorized},
	{ecrauth.ErrExpiredToken, nil, codeUnauthorized, http.StatusUnauthorized},
	{ecrauth.ErrInvalidToken, nil, codeUnauthorized, http.StatusUnauthorized},
	{errNoRoute, nil, codeUnsupported, http.StatusNotFound},
	{errMethodNotAllowed, nil, codeUnsupported, http.StatusMethodNotAllowed},
	{errPaginationInvalid, nil, codePaginationInvalid, http.StatusBadRequest},
	{errBadUploadRequest, nil, codeBlobUploadInvalid, http.StatusBadRequest},
	{ecr.ErrInvalidRepositoryName, nil, codeNameInvalid, http.StatusBadRequest},
	{ecr.ErrRepositoryNotFound, nil, codeNameUnknown, http.StatusNotFound},
	{ecr.ErrImageTagAlreadyExists, nil, codeTagInvalid, http.StatusBadRequest},
	{ecr.ErrInvalidTag, nil, codeTagInvalid, http.StatusBadRequest},
	{ecr.ErrInvalidDigest, nil, codeDigestInvalid, http.StatusBadRequest},
	{ecr.ErrImageDigestDoesNotMatch, nil, codeDigestInvalid, http.StatusBadRequest},
	{ecr.ErrInvalidLayer, nil, codeDigestInvalid, http.StatusBadRequest},
	{ecr.ErrManifestTooLarge, nil, codeSizeInvalid, http.StatusRequestEntityTooLarge},
	{ecr.ErrInvalidManifest, nil, codeManifestInvalid, http.StatusBadRequest},
	{ecr.ErrImageNotFound, nil, codeManifestUnknown, http.StatusNotFound},
	{ecr.ErrLayersNotFound, []endpoint{epManifest}, codeManifestBlobUnknown, http.StatusBadRequest},
	{ecr.ErrLayersNotFound, nil, codeBlobUnknown, http.StatusNotFound},
	{ecr.ErrReferencedImagesNotFound, nil, codeManifestBlobUnknown, http.StatusBadRequest},
	{ecr.ErrLayerInUse, nil, codeUnsupported, http.StatusMethodNotAllowed},
	{ecr.ErrUploadNotFound, nil, codeBlobUploadUnknown, http.StatusNotFound},
	{ecr.ErrInvalidLayerPart, nil, codeBlobUploadInvalid, http.StatusRequestedRangeNotSatisfiable},
	{ecr.ErrSizeInvalid, nil, codeSizeInvalid, http.StatusBadRequest},
	{fault.LimitExceeded, nil, codeTooManyRequests, http.StatusTooManyRequests},
	{fault.AccessDenied, nil, codeDenied, http.StatusForbidden},
	{fault.Unsupported, nil, codeUnsupported, http.StatusMethodNotAllowed},
	{fault.NotFound, nil, codeNameUnknown, http.StatusNotFound},
	{fault.Invalid, nil, codeUnsupported, http.StatusBadRequest},
}

// classify finds err's code and status on an endpoint; errors of no known
// kind are server faults.
func classify(err error, ep endpoint) (code string, status int) {
	for _, row := range errorTable {
		if !errors.Is(err, row.kind) {
			continue
		}
		if len(row.only) > 0 && !hasEndpoint(row.only, ep) {
			continue
		}
		return row.code, row.status
	}
	return codeUnknown, http.StatusInternalServerError
}

func hasEndpoint(eps []endpoint, ep endpoint) bool {
	for _, e := range eps {
		if e == ep {
			return true
		}
	}
	return false
}

type errorBody struct {
	Errors []errorEntry `json:"errors"`
}

type errorEntry struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Detail  any    `json:"detail,omitempty"`
}

// writeError answers with the spec's error body and returns the status.
// Messages of server faults are not shown to clients.
func writeError(w http.ResponseWriter, err error, ep endpoint, detail any) int {
	code, status := classify(err, ep)
	msg, ok := fault.Message(err)
	if !ok || status >= 500 {
		msg = "internal server error"
	}
	var missing *ecr.MissingContent
	if detail == nil && errors.As(err, &missing) && len(missing.Digests) > 0 {
		detail = map[string]string{"digest": string(missing.Digests[0])}
	}
	b, _ := json.Marshal(errorBody{Errors: []errorEntry{{Code: code, Message: msg, Detail: detail}}})
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	_, _ = w.Write(b)
	return status
}
