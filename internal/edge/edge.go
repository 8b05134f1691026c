// Package edge is Quayside's front door: one HTTP handler on one port that
// picks the protocol and the service of every request.
//
//	X-Amz-Target: <prefix>.<Op>          → AWS JSON 1.0/1.1 service by prefix
//	form body with Action=..&Version=..  → AWS Query / EC2 service by Version
//	/v2/...                              → the OCI registry (ECR data plane)
//	GET /_quayside/health                → liveness
//
// It assigns the request ID, reads the region from the SigV4 scope, caps
// body sizes, recovers panics into AWS-shaped 500s, and logs each request
// once.
package edge

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/quayside/quayside/internal/awsctx"
	"github.com/quayside/quayside/internal/awserr"
	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/protocol/awsjson"
	"github.com/quayside/quayside/internal/protocol/awsquery"
)

// MaxBodyBytes caps API request bodies. AWS's own cap for most JSON APIs is
// far below this; registry uploads are not API bodies and are not capped here.
const MaxBodyBytes = 16 << 20

// Router dispatches requests to services.
type Router struct {
	log           *slog.Logger
	defaultRegion string
	json          map[string]*awsjson.Service  // by target prefix
	query         map[string]*awsquery.Service // by API version
	querySigning  map[string]*awsquery.Service // by signing name
	registry      http.Handler
	version       string
}

// New returns a router. defaultRegion applies to unsigned requests.
func New(log *slog.Logger, defaultRegion, version string) *Router {
	return &Router{log: log, defaultRegion: defaultRegion, version: version,
		json: map[string]*awsjson.Service{}, query: map[string]*awsquery.Service{}, querySigning: map[string]*awsquery.Service{}}
}

// AddJSON mounts an AWS JSON service.
func (rt *Router) AddJSON(s *awsjson.Service) { rt.json[s.TargetPrefix] = s }

// AddQuery mounts an AWS Query or EC2 service.
func (rt *Router) AddQuery(s *awsquery.Service) {
	rt.query[s.Version] = s
	rt.querySigning[s.Name] = s
}

// SetRegistry mounts the OCI distribution handler at /v2/.
func (rt *Router) SetRegistry(h http.Handler) { rt.registry = h }

// ServeHTTP implements http.Handler.
func (rt *Router) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/v2" || strings.HasPrefix(r.URL.Path, "/v2/") {
		if rt.registry != nil {
			rt.registry.ServeHTTP(w, r)
			return
		}
		http.NotFound(w, r)
		return
	}
	if r.URL.Path == "/_quayside/health" {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"status":"ok","version":"`+rt.version+`"}`)
		return
	}
	start := time.Now()
	ctx, m := awsctx.NewContext(r.Context(), r, rt.defaultRegion)
	// The canonical form of x-amzn-RequestId, set directly: Header().Set
	// would canonicalize the name again on every request.
	w.Header()["X-Amzn-Requestid"] = []string{m.RequestID}
	status, err := rt.dispatch(ctx, w, r, m)
	rt.logRequest(ctx, m, status, err, start)
}

func (rt *Router) dispatch(ctx context.Context, w http.ResponseWriter, r *http.Request, m *awsctx.Meta) (status int, err error) {
	// A panic in a handler becomes an AWS-shaped server fault, not a dropped
	// connection.
	defer func() {
		if p := recover(); p != nil {
			err = fault.Newf(fault.Internal, "panic: %v", p)
			status = awsjson.WriteError(w, m.Service, "application/x-amz-json-1.1", err)
		}
	}()
	if target := r.Header.Get("X-Amz-Target"); target != "" {
		return rt.serveJSON(ctx, w, r, m, target)
	}
	if isQuery(r) {
		return rt.serveQuery(ctx, w, r, m)
	}
	if r.Method == http.MethodGet && r.URL.Path == "/" {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"service":"quayside","version":"`+rt.version+`","hint":"use an AWS SDK or the aws CLI with --endpoint-url pointing here"}`)
		return http.StatusOK, nil
	}
	err = fault.New(awserr.ErrUnknownService, "The request names no AWS operation: send an X-Amz-Target header (JSON protocols) or an Action parameter (Query protocols).")
	return awsjson.WriteError(w, m.Service, "application/x-amz-json-1.1", err), err
}

func (rt *Router) serveJSON(ctx context.Context, w http.ResponseWriter, r *http.Request, m *awsctx.Meta, target string) (int, error) {
	prefix, op, _ := strings.Cut(target, ".")
	m.Operation = op
	s, ok := rt.json[prefix]
	if !ok {
		err := fault.Newf(awserr.ErrUnknownOperation, "No service is known for the target %q.", target)
		return awsjson.WriteError(w, m.Service, "application/x-amz-json-1.1", err), err
	}
	m.Service = s.Name
	body, err := readBody(w, r)
	if err != nil {
		return s.WriteError(ctx, w, err), err
	}
	return s.Serve(ctx, w, op, body)
}

func (rt *Router) serveQuery(ctx context.Context, w http.ResponseWriter, r *http.Request, m *awsctx.Meta) (int, error) {
	form := r.URL.Query()
	if r.Method == http.MethodPost {
		body, err := readBody(w, r)
		if err != nil {
			return awsquery.WriteError(w, m.Service, "", false, m.RequestID, err), err
		}
		bf, err := url.ParseQuery(string(body))
		if err != nil {
			err = fault.Wrap(awserr.ErrSerialization, err, "The request body is not a valid form-encoded query string.")
			return awsquery.WriteError(w, m.Service, "", false, m.RequestID, err), err
		}
		for k, v := range bf {
			form[k] = v
		}
	}
	m.Operation = form.Get("Action")
	s, ok := rt.query[form.Get("Version")]
	if !ok {
		s, ok = rt.querySigning[m.Service]
	}
	if !ok {
		err := fault.Newf(awserr.ErrUnknownService, "No Query service is known for Version %q; check the endpoint and the API version.", form.Get("Version"))
		return awsquery.WriteError(w, m.Service, "", false, m.RequestID, err), err
	}
	m.Service = s.Name
	return s.Serve(ctx, w, form)
}

func isQuery(r *http.Request) bool {
	ct := r.Header.Get("Content-Type")
	if r.Method == http.MethodPost && strings.HasPrefix(ct, "application/x-www-form-urlencoded") {
		return true
	}
	return r.Method == http.MethodGet && r.URL.Query().Get("Action") != ""
}

func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	// A body of a declared length within the cap needs no limiting reader:
	// net/http never reads past the declared length.
	body := r.Body
	if r.ContentLength < 0 || r.ContentLength > MaxBodyBytes {
		body = http.MaxBytesReader(w, r.Body, MaxBodyBytes)
	}
	b, err := readAll(body, r.ContentLength)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, fault.Newf(awserr.ErrTooLarge, "The request body is larger than %d bytes.", MaxBodyBytes)
		}
		return nil, fault.Wrap(awserr.ErrSerialization, err, "The request body could not be read.")
	}
	return b, nil
}

// readAll is io.ReadAll into a buffer sized for the declared length
// (size < 0 when unknown), so that a body is read without regrowing.
func readAll(r io.Reader, size int64) ([]byte, error) {
	b := make([]byte, 0, 512)
	if size >= 0 && size < MaxBodyBytes {
		b = make([]byte, 0, size+1) // +1: room to read the EOF without growing
	}
	for {
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
	}
}

// logRequest logs the request once. The attributes are only built when
// the level is enabled: at the default level a successful request costs
// nothing here.
func (rt *Router) logRequest(ctx context.Context, m *awsctx.Meta, status int, err error, start time.Time) {
	level, msg := slog.LevelDebug, "request"
	switch {
	case status == http.StatusNotImplemented:
		level, msg = slog.LevelWarn, "operation not supported yet"
		err = nil
	case status >= 500:
		level, msg = slog.LevelError, "request failed"
	case err != nil:
		msg = "request rejected"
	}
	if !rt.log.Enabled(ctx, level) {
		return
	}
	attrs := []slog.Attr{
		slog.String("request_id", m.RequestID), slog.String("service", m.Service), slog.String("op", m.Operation),
		slog.String("region", m.Region), slog.Int("status", status), slog.Duration("duration", time.Since(start)),
	}
	if err != nil || level == slog.LevelError {
		attrs = append(attrs, slog.Any("err", err))
	}
	rt.log.LogAttrs(ctx, level, msg, attrs...)
}
