package docker

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// Error is a failure the daemon reported: an error status, or an error
// message inside a progress stream (pull, push, build).
type Error struct {
	// StatusCode is the HTTP status of the reply; for an error inside a
	// stream it is the code the message carried, usually 0.
	StatusCode int
	// Message is Docker's own text, such as "No such container: abc".
	Message string
	// Method and Path name the request, without the version prefix.
	Method, Path string
}

// Error returns the message as the docker CLI prints it, which is also
// the text ECS puts after "CannotPullContainerError: ".
func (e *Error) Error() string {
	return "Error response from daemon: " + e.Message
}

// IsNotFound reports whether err is a Docker reply with status 404: no
// such container, image, network or volume.
func IsNotFound(err error) bool { return hasStatus(err, http.StatusNotFound) }

// IsConflict reports whether err is a Docker reply with status 409, such
// as a name already in use or a container that is not running.
func IsConflict(err error) bool { return hasStatus(err, http.StatusConflict) }

func hasStatus(err error, status int) bool {
	var e *Error
	return errors.As(err, &e) && e.StatusCode == status
}

// readError turns an error reply into an *Error. Docker sends
// {"message": "..."}; anything else is kept as text.
func readError(method, path string, resp *http.Response) error {
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	var m struct {
		Message string `json:"message"`
	}
	msg := strings.TrimSpace(string(body))
	if json.Unmarshal(body, &m) == nil && m.Message != "" {
		msg = m.Message
	}
	if msg == "" {
		msg = http.StatusText(resp.StatusCode)
	}
	return &Error{StatusCode: resp.StatusCode, Message: msg, Method: method, Path: path}
}

// unreachableError means no daemon answered on the socket.
type unreachableError struct {
	host string
	err  error
}

func (e *unreachableError) Error() string {
	return fmt.Sprintf("cannot reach the Docker daemon at %s: %v. Is Docker running?", e.host, e.err)
}

func (e *unreachableError) Unwrap() error { return e.err }

// IsUnreachable reports whether err means the daemon could not be
// contacted at all (no socket, permission denied, connection refused).
func IsUnreachable(err error) bool {
	var e *unreachableError
	return errors.As(err, &e)
}
