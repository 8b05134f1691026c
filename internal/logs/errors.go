package logs

import (
	"errors"

	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/logs/logstore"
)

// Error kinds. awserr's table maps them to CloudWatch Logs exceptions.
var (
	ErrGroupNotFound     = fault.NewKind("log group not found", fault.NotFound)
	ErrStreamNotFound    = fault.NewKind("log stream not found", fault.NotFound)
	ErrResourceNotFound  = fault.NewKind("logs resource not found", fault.NotFound)
	ErrAlreadyExists     = fault.NewKind("logs resource already exists", fault.AlreadyExists)
	ErrInvalidParameter  = fault.NewKind("logs invalid parameter", fault.Invalid)
	ErrDeletionProtected = fault.NewKind("log group deletion protected", fault.Invalid)
	ErrTooManyTags       = fault.NewKind("too many tags", fault.LimitExceeded)
	ErrLimitExceeded     = fault.NewKind("logs limit exceeded", fault.LimitExceeded)
	// ErrDataAlreadyAccepted is PutLogEvents' answer to a batch sent twice
	// with the same sequence token. AWS stopped checking sequence tokens
	// in 2023, and so does Quayside, so it is declared for completeness.
	ErrDataAlreadyAccepted = fault.NewKind("data already accepted", fault.Conflict)
	// ErrUnavailable is a server-side failure of the log store (a full
	// disk, an I/O error): ServiceUnavailableException.
	ErrUnavailable = fault.NewKind("logs service unavailable", fault.Internal)
)

// AWS's messages.
const (
	msgGroupNotFound  = "The specified log group does not exist."
	msgStreamNotFound = "The specified log stream does not exist."
	msgGroupExists    = "The specified log group already exists"
	msgStreamExists   = "The specified log stream already exists"
)

// GroupNotFound is AWS's ResourceNotFoundException for a log group.
func GroupNotFound() error { return fault.New(ErrGroupNotFound, msgGroupNotFound) }

func groupNotFound() error  { return GroupNotFound() }
func streamNotFound() error { return fault.New(ErrStreamNotFound, msgStreamNotFound) }

// InvalidParameter is an InvalidParameterException with msg.
func InvalidParameter(msg string) error { return fault.New(ErrInvalidParameter, msg) }

func invalid(format string, args ...any) error {
	return fault.Newf(ErrInvalidParameter, format, args...)
}

// storeErr turns a log store failure into a ServiceUnavailableException
// with a message that says what to do. The cause stays for the log.
func storeErr(err error) error {
	if err == nil {
		return nil
	}
	var fe *fault.Error
	if errors.As(err, &fe) {
		return err
	}
	if errors.Is(err, logstore.ErrNoSpace) {
		return fault.Wrap(ErrUnavailable, err, "The log store is out of disk space; no events of this request were stored. Free space on the disk holding Quayside's data directory and retry.")
	}
	return fault.Wrap(ErrUnavailable, err, "The log store failed to complete the request: "+err.Error())
}

// SinkError is what Sink.Put and Sink.Prepare return when the log group
// or stream cannot be used. Error() reads as the CloudWatch Logs error
// the Docker awslogs driver reports ("ResourceNotFoundException: The
// specified log group does not exist."); Group and Stream name the
// target, for the task's stoppedReason. errors.Is matches the fault
// kinds (ErrGroupNotFound, ErrInvalidParameter, ...).
type SinkError struct {
	Code    string // e.g. ResourceNotFoundException
	Message string
	Group   string
	Stream  string
	Err     error
}

func (e *SinkError) Error() string { return e.Code + ": " + e.Message }
func (e *SinkError) Unwrap() error { return e.Err }
