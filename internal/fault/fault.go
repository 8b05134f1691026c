// Package fault gives domain errors a kind and a user-facing message.
//
// Domain packages return errors built with New or Newf. The kind says what
// went wrong (not found, invalid, in use, ...) and may be a specific kind
// (say, "cluster not found") that refines a generic one. The message is
// the text a user sees, AWS's where AWS documents one. One table, in
// package awserr, maps kinds to AWS error codes and HTTP statuses; nothing
// else does.
//
//	var ErrClusterNotFound = fault.NewKind("cluster not found", fault.NotFound)
//	return fault.New(ErrClusterNotFound, "Cluster not found.")
package fault

import (
	"errors"
	"fmt"
)

// Kind is a class of error. Compare with errors.Is.
type Kind struct {
	name   string
	parent *Kind
}

// NewKind declares a kind, optionally refining a parent kind.
func NewKind(name string, parent *Kind) *Kind { return &Kind{name: name, parent: parent} }

func (k *Kind) Error() string { return k.name }

// Is reports whether k is target or refines it.
func (k *Kind) Is(target error) bool {
	for p := k; p != nil; p = p.parent {
		if p == target {
			return true
		}
	}
	return false
}

// Generic kinds. Domain packages refine them.
var (
	Invalid       = NewKind("invalid", nil)        // the request is malformed or breaks a rule
	NotFound      = NewKind("not found", nil)      // a named resource does not exist
	AlreadyExists = NewKind("already exists", nil) // the resource exists and may not be created again
	Conflict      = NewKind("conflict", nil)       // the resource's state forbids the change
	LimitExceeded = NewKind("limit exceeded", nil) // a quota would be exceeded
	Unsupported   = NewKind("unsupported", nil)    // valid for AWS, not supported by Quayside
	AccessDenied  = NewKind("access denied", nil)
	Internal      = NewKind("internal", nil) // a server fault
)

// Error is a kinded error with a user-facing message.
type Error struct {
	Kind  *Kind
	Msg   string
	Cause error // optional underlying error, never shown to users
}

func (e *Error) Error() string {
	if e.Cause != nil {
		return e.Msg + ": " + e.Cause.Error()
	}
	return e.Msg
}

// Is matches the error's kind and the kinds it refines.
func (e *Error) Is(target error) bool { return e.Kind.Is(target) }

// Unwrap exposes the cause to errors.As.
func (e *Error) Unwrap() error { return e.Cause }

// New returns an error of the given kind with a message.
func New(kind *Kind, msg string) error { return &Error{Kind: kind, Msg: msg} }

// Newf is New with formatting.
func Newf(kind *Kind, format string, args ...any) error {
	return &Error{Kind: kind, Msg: fmt.Sprintf(format, args...)}
}

// Wrap returns an error of the given kind with a message, keeping cause
// for logs and errors.As.
func Wrap(kind *Kind, cause error, msg string) error {
	return &Error{Kind: kind, Msg: msg, Cause: cause}
}

// Message returns the user-facing message of the first fault.Error in
// err's chain, if any.
func Message(err error) (string, bool) {
	var fe *Error
	if errors.As(err, &fe) {
		return fe.Msg, true
	}
	return "", false
}
