package ecs

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/quayside/quayside/internal/fault"
)

// Tag is a key and an optional value on an ECS resource.
type Tag struct {
	Key   string `json:"key"`
	Value string `json:"value,omitempty"`
}

// Tag limits.
const (
	MaxTags           = 50
	MaxTagKeyLength   = 128 // characters
	MaxTagValueLength = 256 // characters
	// ReservedTagPrefix, in any case, is reserved for AWS.
	ReservedTagPrefix = "aws:"
)

// ValidateTags checks tags against ECS's rules: at most 50, unique keys
// of 1 to 128 characters and values of at most 256, made of letters,
// digits, spaces and + - = . _ : / @, and no key beginning with "aws:".
// Errors are InvalidParameterExceptions; the messages are not confirmed
// word for word.
func ValidateTags(tags []Tag) error {
	if len(tags) > MaxTags {
		return fault.Newf(ErrInvalidParameter, "Too many tags: a resource can have at most %d tags.", MaxTags)
	}
	seen := make(map[string]bool, len(tags))
	for _, t := range tags {
		if n := utf8.RuneCountInString(t.Key); n < 1 || n > MaxTagKeyLength {
			return fault.Newf(ErrInvalidParameter, "Tag keys must be between 1 and %d characters long.", MaxTagKeyLength)
		}
		if utf8.RuneCountInString(t.Value) > MaxTagValueLength {
			return fault.Newf(ErrInvalidParameter, "Tag values must be at most %d characters long.", MaxTagValueLength)
		}
		if !validTagText(t.Key) || !validTagText(t.Value) {
			return fault.New(ErrInvalidParameter,
				"Tag keys and values may contain only letters, numbers, spaces and the characters + - = . _ : / @.")
		}
		if strings.HasPrefix(strings.ToLower(t.Key), ReservedTagPrefix) {
			return fault.New(ErrInvalidParameter, "Tag keys beginning with 'aws:' are reserved for AWS use.")
		}
		if seen[t.Key] {
			return fault.Newf(ErrInvalidParameter, "Duplicate tag key '%s'. Each tag key must be unique.", t.Key)
		}
		seen[t.Key] = true
	}
	return nil
}

// validTagText matches the model's tag pattern [\p{L}\p{Z}\p{N}_.:/=+\-@]*.
func validTagText(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.In(r, unicode.Z) || unicode.IsNumber(r) {
			continue
		}
		if !strings.ContainsRune("_.:/=+-@", r) {
			return false
		}
	}
	return true
}
