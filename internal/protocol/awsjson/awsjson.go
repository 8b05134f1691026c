// Package awsjson serves the AWS JSON 1.0 and 1.1 protocols: a POST whose
// X-Amz-Target header names "<TargetPrefix>.<Operation>" and whose body is
// the operation's input as JSON.
//
// Handlers are typed: func(ctx, *Input) (*Output, error). The package
// decodes strictly (unknown members and wrong types are a
// SerializationException), runs the model's generated validation, encodes
// the output, and renders errors as {"__type": code, "message": text}
// through awserr, the one error table.
package awsjson

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/quayside/quayside/internal/awserr"
	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/wire"
)

// Service is one AWS service spoken over AWS JSON.
type Service struct {
	Name         string // SigV4 signing name, e.g. "ecs"
	TargetPrefix string
	ContentType  string // application/x-amz-json-1.0 or -1.1
	model        map[string][2]string
	handlers     map[string]handler
	// contentType is the Content-Type header value of every response,
	// built once; net/http only reads header values.
	contentType []string
}

type handler func(ctx context.Context, body []byte) (any, error)

// NewService returns a service. ops is the model's operation list (the
// generated Operations table): operations in the model without a handler
// answer NotImplementedException, and names outside it answer
// UnknownOperationException.
func NewService(name, targetPrefix, jsonVersion string, ops map[string][2]string) *Service {
	ct := "application/x-amz-json-" + jsonVersion
	return &Service{
		Name: name, TargetPrefix: targetPrefix,
		ContentType: ct, contentType: []string{ct},
		model: ops, handlers: map[string]handler{},
	}
}

// Handle registers the typed handler of an operation.
func Handle[I, O any](s *Service, op string, fn func(context.Context, *I) (*O, error)) {
	if _, ok := s.model[op]; !ok {
		panic(fmt.Sprintf("awsjson: %s has no operation %s in its model", s.Name, op))
	}
	s.handlers[op] = func(ctx context.Context, body []byte) (any, error) {
		in := new(I)
		if err := Decode(body, in); err != nil {
			return nil, err
		}
		if v, ok := any(in).(wire.Validator); ok {
			if err := awserr.Violations(wire.Validate(v)); err != nil {
				return nil, err
			}
		}
		out, err := fn(ctx, in)
		if err != nil {
			return nil, err
		}
		if out == nil {
			return struct{}{}, nil
		}
		return out, nil
	}
}

// Operations lists the operations that have handlers.
func (s *Service) Operations() []string {
	ops := make([]string, 0, len(s.handlers))
	for op := range s.handlers {
		ops = append(ops, op)
	}
	return ops
}

// Decode reads a JSON request body strictly into v. An empty body is an
// empty object.
func Decode(body []byte, v any) error {
	if len(bytes.TrimSpace(body)) == 0 {
		body = []byte("{}")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fault.Wrap(awserr.ErrSerialization, err, serializationMessage(err))
	}
	if _, err := dec.Token(); err != io.EOF {
		return fault.New(awserr.ErrSerialization, "Unexpected data after the end of the JSON request body.")
	}
	return nil
}

func serializationMessage(err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Sprintf("The request body is not valid JSON (offset %d): %s.", syn.Offset, syn.Error())
	case errors.As(err, &typ):
		if typ.Field == "" {
			return fmt.Sprintf("Expected a JSON %s for the request body, found %s.", kindName(typ.Type.Kind().String()), typ.Value)
		}
		return fmt.Sprintf("Member '%s' must be a JSON %s, found %s.", typ.Field, kindName(typ.Type.Kind().String()), typ.Value)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "The request body is truncated JSON."
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return fmt.Sprintf("Unknown member %s in the request body; check the member names against the API reference.", strings.TrimPrefix(err.Error(), "json: unknown field "))
	}
	return "The request body could not be decoded: " + err.Error() + "."
}

func kindName(k string) string {
	switch k {
	case "ptr", "struct", "map":
		return "object"
	case "slice":
		return "array"
	case "int64", "int", "float64":
		return "number"
	case "bool":
		return "boolean"
	}
	return k
}

// An encoder writes responses into its own buffer; both are reused.
type encoder struct {
	buf bytes.Buffer
	enc *json.Encoder
}

var encoders = sync.Pool{New: func() any {
	e := new(encoder)
	e.enc = json.NewEncoder(&e.buf)
	e.enc.SetEscapeHTML(false)
	return e
}}

// release returns e to the pool, unless it grew too large to keep.
func (e *encoder) release() {
	if e.buf.Cap() > 1<<20 {
		return
	}
	e.buf.Reset()
	encoders.Put(e)
}

// Serve runs operation op with the given body and writes the response.
// It returns the error it rendered, if any, for the caller to log.
func (s *Service) Serve(ctx context.Context, w http.ResponseWriter, op string, body []byte) (status int, err error) {
	h, ok := s.handlers[op]
	if !ok {
		if _, known := s.model[op]; known {
			err = fault.Newf(awserr.ErrNotImplemented, "Quayside does not support %s %s yet.", s.Name, op)
		} else {
			err = fault.Newf(awserr.ErrUnknownOperation, "Operation %s is not known to %s.", op, s.TargetPrefix)
		}
		return s.WriteError(ctx, w, err), err
	}
	out, err := h(ctx, body)
	if err != nil {
		return s.WriteError(ctx, w, err), err
	}
	e := encoders.Get().(*encoder)
	if err := e.enc.Encode(out); err != nil {
		err = fmt.Errorf("encode %s output: %w", op, err)
		return s.WriteError(ctx, w, err), err // e is dropped, whatever state it is in
	}
	defer e.release()
	b := bytes.TrimRight(e.buf.Bytes(), "\n")
	hdr := w.Header()
	hdr["Content-Type"] = s.contentType
	// With the length declared, net/http sends the body as is rather than
	// chunked once it passes 2 KiB, as AWS does.
	hdr["Content-Length"] = []string{strconv.Itoa(len(b))}
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b)
	return http.StatusOK, nil
}

// WriteError renders err in the AWS JSON error shape and returns the HTTP
// status written.
func (s *Service) WriteError(ctx context.Context, w http.ResponseWriter, err error) int {
	return WriteError(w, s.Name, s.ContentType, err)
}

// WriteError renders err for service in the AWS JSON error shape.
func WriteError(w http.ResponseWriter, service, contentType string, err error) int {
	r := awserr.Resolve(service, err)
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("X-Amzn-ErrorType", r.Code)
	w.WriteHeader(r.Status)
	b, _ := json.Marshal(struct {
		Type    string `json:"__type"`
		Message string `json:"message"`
	}{r.Code, r.Message})
	_, _ = w.Write(b)
	return r.Status
}
