package awserr

import (
	"net/http"

	"github.com/quayside/quayside/internal/fault"
)

// table maps error kinds to AWS codes. Rows are tried in order, so a
// service's specific rows come before the generic ones. Messages here are
// defaults for errors that carry none.
var table = []entry{
	// ---- protocol errors, every service ----
	{"", ErrSerialization, "SerializationException", http.StatusBadRequest, "The request body could not be read."},
	{"", ErrUnknownOperation, "UnknownOperationException", http.StatusBadRequest, "The operation is not known to this service."},
	{"", ErrNotImplemented, "NotImplementedException", http.StatusNotImplemented, "This operation is not supported by Quayside yet."},
	{"", ErrTooLarge, "RequestEntityTooLargeException", http.StatusRequestEntityTooLarge, "The request is too large."},
	{"", ErrMissingAction, "MissingAction", http.StatusBadRequest, "The request must contain the parameter Action."},
	{"", ErrUnknownService, "UnknownServiceException", http.StatusBadRequest, "The request does not name a service Quayside serves."},

	// ---- ECS ----
	{"ecs", ErrValidation, "InvalidParameterException", http.StatusBadRequest, ""},
	{"ecs", fault.Invalid, "ClientException", http.StatusBadRequest, ""},

	// ---- Query protocol services ----
	{"sts", ErrValidation, "ValidationError", http.StatusBadRequest, ""},
	{"iam", ErrValidation, "ValidationError", http.StatusBadRequest, ""},
	{"elasticloadbalancing", ErrValidation, "ValidationError", http.StatusBadRequest, ""},
	{"ec2", ErrValidation, "InvalidParameterValue", http.StatusBadRequest, ""},
	{"ec2", ErrUnknownOperation, "InvalidAction", http.StatusBadRequest, ""},
	{"sts", ErrUnknownOperation, "InvalidAction", http.StatusBadRequest, ""},
	{"iam", ErrUnknownOperation, "InvalidAction", http.StatusBadRequest, ""},
	{"elasticloadbalancing", ErrUnknownOperation, "InvalidAction", http.StatusBadRequest, ""},

	// ---- generic fallbacks ----
	{"", ErrValidation, "ValidationException", http.StatusBadRequest, ""},
	{"", fault.AccessDenied, "AccessDeniedException", http.StatusBadRequest, "Access denied."},
	{"", fault.Unsupported, "UnsupportedFeatureException", http.StatusBadRequest, ""},
	{"", fault.Invalid, "ValidationException", http.StatusBadRequest, ""},
}
