package ecrapi

import (
	"encoding/base64"
	"strings"

	"github.com/quayside/quayside/internal/ecr"
	"github.com/quayside/quayside/internal/wire"
)

// Pagination tokens are opaque to clients: base64url of the operation's
// kind and the key of the last item returned, so that a page resumes
// after that item even when items were added or removed in between.
const (
	tokRepositories = "repositories"
	tokImages       = "images"
	tokImageIDs     = "imageids"
	tokPreview      = "preview"
)

// DefaultMaxResults is the page size when a request gives none (ECR's).
const DefaultMaxResults = 100

func encodeToken(kind, key string) *string {
	return wire.String(base64.RawURLEncoding.EncodeToString([]byte(kind + "\x00" + key)))
}

// decodeToken returns the key a token resumes after ("" without a token).
func decodeToken(kind string, tok *string) (string, error) {
	if tok == nil {
		return "", nil
	}
	b, err := base64.RawURLEncoding.DecodeString(*tok)
	k, key, ok := strings.Cut(string(b), "\x00")
	if err != nil || !ok || k != kind || key == "" {
		return "", ecr.InvalidParameter("nextToken", "Invalid NextToken: it was not returned by this operation")
	}
	return key, nil
}

// pageSize is maxResults or the default.
func pageSize(max *int64) int {
	if max == nil {
		return DefaultMaxResults
	}
	return int(*max)
}
