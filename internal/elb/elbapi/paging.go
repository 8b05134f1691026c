package elbapi

import (
	"encoding/base64"
	"strconv"

	"github.com/quayside/quayside/internal/elb"
	"github.com/quayside/quayside/internal/fault"
)

// Describe calls return at most PageSize items (1 to 400; default 400)
// and a NextMarker to continue from.
const maxPageSize = 400

func pageSize(p *int64) (int, error) {
	if p == nil {
		return maxPageSize, nil
	}
	if *p < 1 || *p > maxPageSize {
		return 0, fault.Newf(elb.ErrValidation, "Page size must be between 1 and %d", maxPageSize)
	}
	return int(*p), nil
}

// encodeMarker makes an opaque marker from the last key returned.
func encodeMarker(last string) string { return base64.RawURLEncoding.EncodeToString([]byte(last)) }

func decodeMarker(m *string) (string, error) {
	if m == nil || *m == "" {
		return "", nil
	}
	b, err := base64.RawURLEncoding.DecodeString(*m)
	if err != nil {
		return "", fault.New(elb.ErrValidation, "The marker is not valid")
	}
	return string(b), nil
}

// page cuts items after the marker `after` (compared by key) to one page.
func page[T any](items []T, key func(T) string, after string, size int) ([]T, *string) {
	start := 0
	if after != "" {
		for start < len(items) && key(items[start]) <= after {
			start++
		}
	}
	items = items[start:]
	if len(items) <= size {
		return items, nil
	}
	items = items[:size]
	m := encodeMarker(key(items[size-1]))
	return items, &m
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

func itoa(n int) string { return strconv.Itoa(n) }
