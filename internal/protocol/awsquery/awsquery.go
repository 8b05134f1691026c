// Package awsquery serves the AWS Query protocol (ELBv2, IAM, STS) and its
// EC2 variant: form-encoded parameters with Action and Version, answered
// in XML.
//
//	Query: <OpResponse xmlns=NS><OpResult>...</OpResult>
//	         <ResponseMetadata><RequestId>id</RequestId></ResponseMetadata></OpResponse>
//	EC2:   <OpResponse xmlns=NS><requestId>id</requestId>...</OpResponse>
//
// Errors are rendered through awserr, the one error table, in the
// protocol's envelope: <ErrorResponse><Error><Type/><Code/><Message/></Error>
// <RequestId/></ErrorResponse>, or for EC2 <Response><Errors><Error>
// <Code/><Message/></Error></Errors><RequestID/></Response>.
package awsquery

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/url"
	"reflect"

	"github.com/quayside/quayside/internal/awsctx"
	"github.com/quayside/quayside/internal/awserr"
	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/wire"
)

// Service is one AWS service spoken over Query.
type Service struct {
	Name      string // SigV4 signing name, e.g. "sts"
	Version   string // API version, the Version parameter
	Namespace string // XML namespace of replies
	EC2       bool   // the EC2 dialect
	model     map[string][2]string
	handlers  map[string]handler
	void      map[string]bool // operations answered with the response metadata only
}

type handler func(ctx context.Context, form url.Values) (any, error)

// NewService returns a Query service; ops is the generated Operations table.
func NewService(name, version, namespace string, ec2 bool, ops map[string][2]string) *Service {
	return &Service{Name: name, Version: version, Namespace: namespace, EC2: ec2, model: ops, handlers: map[string]handler{}, void: map[string]bool{}}
}

// Handle registers the typed handler of an operation. For an operation
// whose model has no output, an output type without fields (struct{})
// makes the Query reply hold the response metadata only, as AWS's does.
func Handle[I, O any](s *Service, op string, fn func(context.Context, *I) (*O, error)) {
	if _, ok := s.model[op]; !ok {
		panic(fmt.Sprintf("awsquery: %s has no operation %s in its model", s.Name, op))
	}
	if t := reflect.TypeFor[O](); s.model[op][1] == "" && t.Kind() == reflect.Struct && t.NumField() == 0 {
		s.void[op] = true
	}
	s.handlers[op] = func(ctx context.Context, form url.Values) (any, error) {
		in := new(I)
		if err := Decode(form, in); err != nil {
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
			return new(O), nil
		}
		return out, nil
	}
}

// Serve runs the operation named by the form's Action and writes the
// response; it returns the status and the error rendered, if any.
func (s *Service) Serve(ctx context.Context, w http.ResponseWriter, form url.Values) (int, error) {
	op := form.Get("Action")
	h, ok := s.handlers[op]
	var err error
	switch {
	case op == "":
		err = fault.New(awserr.ErrMissingAction, "The request must contain the parameter Action.")
	case !ok:
		if _, known := s.model[op]; known {
			err = fault.Newf(awserr.ErrNotImplemented, "Quayside does not support %s %s yet.", s.Name, op)
		} else {
			err = fault.Newf(awserr.ErrUnknownOperation, "The action %s is not valid for this web service.", op)
		}
	}
	if err != nil {
		return s.WriteError(ctx, w, err), err
	}
	out, err := h(ctx, form)
	if err != nil {
		return s.WriteError(ctx, w, err), err
	}
	body, err := s.encode(op, awsctx.From(ctx).RequestID, out)
	if err != nil {
		err = fmt.Errorf("encode %s output: %w", op, err)
		return s.WriteError(ctx, w, err), err
	}
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
	return http.StatusOK, nil
}

func (s *Service) encode(op, requestID string, out any) ([]byte, error) {
	var buf bytes.Buffer
	enc := xml.NewEncoder(&buf)
	resp := xml.StartElement{Name: xml.Name{Local: op + "Response"}, Attr: []xml.Attr{{Name: xml.Name{Local: "xmlns"}, Value: s.Namespace}}}
	if s.EC2 {
		// The output's members sit directly in the response element, after
		// the request ID.
		var inner bytes.Buffer
		ienc := xml.NewEncoder(&inner)
		if err := ienc.EncodeElement(out, xml.StartElement{Name: xml.Name{Local: "x"}}); err != nil {
			return nil, err
		}
		_ = ienc.Flush()
		b := inner.Bytes()
		b = bytes.TrimSuffix(bytes.TrimPrefix(b, []byte("<x>")), []byte("</x>"))
		if bytes.Equal(b, []byte("<x/>")) || bytes.Equal(b, []byte("<x></x>")) {
			b = nil
		}
		_ = enc.EncodeToken(resp)
		_ = enc.EncodeElement(requestID, xml.StartElement{Name: xml.Name{Local: "requestId"}})
		_ = enc.Flush()
		buf.Write(b)
		_ = enc.EncodeToken(resp.End())
		err := enc.Flush()
		return buf.Bytes(), err
	}
	_ = enc.EncodeToken(resp)
	// Operations without output answer with the metadata only.
	if !s.void[op] {
		if err := enc.EncodeElement(out, xml.StartElement{Name: xml.Name{Local: op + "Result"}}); err != nil {
			return nil, err
		}
	}
	meta := xml.StartElement{Name: xml.Name{Local: "ResponseMetadata"}}
	_ = enc.EncodeToken(meta)
	_ = enc.EncodeElement(requestID, xml.StartElement{Name: xml.Name{Local: "RequestId"}})
	_ = enc.EncodeToken(meta.End())
	_ = enc.EncodeToken(resp.End())
	err := enc.Flush()
	return buf.Bytes(), err
}

type queryError struct {
	XMLName xml.Name `xml:"ErrorResponse"`
	Xmlns   string   `xml:"xmlns,attr,omitempty"`
	Error   struct {
		Type    string `xml:"Type"`
		Code    string `xml:"Code"`
		Message string `xml:"Message"`
	} `xml:"Error"`
	RequestID string `xml:"RequestId"`
}

type ec2Error struct {
	XMLName xml.Name `xml:"Response"`
	Errors  struct {
		Error struct {
			Code    string `xml:"Code"`
			Message string `xml:"Message"`
		} `xml:"Error"`
	} `xml:"Errors"`
	RequestID string `xml:"RequestID"`
}

// WriteError renders err in the service's XML error envelope.
func (s *Service) WriteError(ctx context.Context, w http.ResponseWriter, err error) int {
	return WriteError(w, s.Name, s.Namespace, s.EC2, awsctx.From(ctx).RequestID, err)
}

// WriteError renders err for a Query (or, with ec2, EC2) service.
func WriteError(w http.ResponseWriter, service, namespace string, ec2 bool, requestID string, err error) int {
	r := awserr.Resolve(service, err)
	var v any
	if ec2 {
		e := ec2Error{RequestID: requestID}
		e.Errors.Error.Code, e.Errors.Error.Message = r.Code, r.Message
		v = e
	} else {
		e := queryError{Xmlns: namespace, RequestID: requestID}
		e.Error.Type = "Sender"
		if !r.Sender {
			e.Error.Type = "Receiver"
		}
		e.Error.Code, e.Error.Message = r.Code, r.Message
		v = e
	}
	b, _ := xml.Marshal(v)
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(r.Status)
	_, _ = w.Write(b)
	return r.Status
}
