package ecsapi

import (
	"encoding/base64"

	"github.com/quayside/quayside/internal/ecs"
	"github.com/quayside/quayside/internal/fault"
)

// Pagination tokens are opaque to clients: the base64 of the last key a
// page returned, from which the next page resumes.

func encodeToken(last string) *string {
	if last == "" {
		return nil
	}
	t := base64.RawURLEncoding.EncodeToString([]byte(last))
	return &t
}

func decodeToken(tok *string) (string, error) {
	if tok == nil || *tok == "" {
		return "", nil
	}
	b, err := base64.RawURLEncoding.DecodeString(*tok)
	if err != nil || len(b) == 0 {
		return "", fault.New(ecs.ErrInvalidParameter, "Invalid nextToken: pass the nextToken value from the previous response unchanged.")
	}
	return string(b), nil
}

// pageSize validates maxResults against ECS's range and returns the page
// size, def when unset.
func pageSize(maxResults *int64, def, max int) (int, error) {
	if maxResults == nil {
		return def, nil
	}
	n := *maxResults
	if n < 1 || n > int64(max) {
		return 0, fault.Newf(ecs.ErrInvalidParameter, "maxResults must be between 1 and %d.", max)
	}
	return int(n), nil
}
