// Package awserr is the one place where errors become AWS error codes.
//
// Domain packages return fault errors (a kind and a message). The table in
// table.go maps each kind, per service where services differ, to the AWS
// error code, HTTP status and fault side that the service's wire protocol
// reports. Protocol packages call Resolve and render the result in their
// envelope (JSON __type, Query ErrorResponse, EC2 Response/Errors).
package awserr

import (
	"errors"
	"net/http"

	"github.com/quayside/quayside/internal/fault"
)

// Protocol-level kinds, raised by the protocol packages themselves.
var (
	ErrSerialization    = fault.NewKind("serialization", fault.Invalid)     // the body does not decode
	ErrUnknownOperation = fault.NewKind("unknown operation", fault.Invalid) // no such operation
	ErrNotImplemented   = fault.NewKind("not implemented", fault.Unsupported)
	ErrValidation       = fault.NewKind("validation", fault.Invalid) // a model constraint is broken
	ErrTooLarge         = fault.NewKind("request too large", fault.Invalid)
	ErrMissingAction    = fault.NewKind("missing action", fault.Invalid) // Query request without Action
	ErrUnknownService   = fault.NewKind("unknown service", fault.Invalid)
)

// Resolved is an error as a wire protocol reports it.
type Resolved struct {
	Code    string // e.g. ClusterNotFoundException, TargetGroupNotFound
	Status  int    // HTTP status
	Message string
	Sender  bool // the client's fault (Query <Type>Sender</Type>); false for server faults
}

// entry is one row of the table.
type entry struct {
	service string // the signing name ("ecs", "elasticloadbalancing", ...); "" for every service
	kind    *fault.Kind
	code    string
	status  int
	message string // used when the error carries no message of its own
}

// Resolve maps err, raised while serving service, to its AWS form.
// Errors that match no row are internal faults: the caller must log them;
// their text is never shown to the client.
func Resolve(service string, err error) Resolved {
	for _, e := range table {
		if e.service != "" && e.service != service {
			continue
		}
		if !errors.Is(err, e.kind) {
			continue
		}
		msg, ok := fault.Message(err)
		if !ok || msg == "" {
			msg = e.message
		}
		return Resolved{Code: e.code, Status: e.status, Message: msg, Sender: e.status < 500}
	}
	code := "InternalFailure"
	switch service {
	case "ecs", "ecr":
		code = "ServerException"
	case "elasticloadbalancing", "sts", "iam", "ec2":
		code = "InternalFailure"
	}
	return Resolved{Code: code, Status: http.StatusInternalServerError,
		Message: "We encountered an internal error. Please try again."}
}
