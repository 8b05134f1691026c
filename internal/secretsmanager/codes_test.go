package secretsmanager_test

import (
	"testing"

	"github.com/quayside/quayside/internal/awserr"
	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/secretsmanager"
)

// The resolver names exceptions itself (it can't import awserr); the
// names must be the table's.
func TestExceptionCodesMatchTheTable(t *testing.T) {
	for _, k := range []*fault.Kind{
		secretsmanager.ErrResourceNotFound, secretsmanager.ErrResourceExists, secretsmanager.ErrInvalidParameter,
		secretsmanager.ErrInvalidRequest, secretsmanager.ErrLimitExceeded, secretsmanager.ErrValidation,
		secretsmanager.ErrInvalidNextToken, secretsmanager.ErrEncryption, secretsmanager.ErrDecryption,
	} {
		err := fault.New(k, "m")
		if got, want := secretsmanager.ExceptionCode(err), awserr.Resolve("secretsmanager", err).Code; got != want {
			t.Errorf("%v: resolver says %s, table says %s", k, got, want)
		}
	}
}
