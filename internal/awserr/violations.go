package awserr

import (
	"strings"

	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/wire"
)

// Violations turns model-constraint violations into one validation error
// in AWS's wording, or nil.
func Violations(vs []wire.Violation) error {
	if len(vs) == 0 {
		return nil
	}
	msgs := make([]string, len(vs))
	for i, v := range vs {
		msgs[i] = v.Message()
	}
	noun := "errors"
	if len(vs) == 1 {
		noun = "error"
	}
	return fault.Newf(ErrValidation, "%d validation %s detected: %s", len(vs), noun, strings.Join(msgs, "; "))
}
