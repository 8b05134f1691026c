// Package logsapi is the CloudWatch Logs wire API (AWS JSON 1.1, target
// prefix Logs_20140328): it turns logswire requests into calls on package
// logs and its answers back into logswire responses. Errors are fault
// kinds; awserr's table turns them into Logs exceptions.
//
// Handlers, one file per resource: groups.go (log groups, retention,
// deletion protection), streams.go, events.go (PutLogEvents,
// GetLogEvents, FilterLogEvents), tags.go; tokens.go holds the
// pagination token formats.
package logsapi

import (
	"context"
	"log/slog"
	"path/filepath"

	"github.com/quayside/quayside/internal/awsctx"
	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/logs"
	"github.com/quayside/quayside/internal/protocol/awsjson"
	"github.com/quayside/quayside/internal/store"
	"github.com/quayside/quayside/internal/wire/logswire"
)

// API serves CloudWatch Logs over a logs.Service.
type API struct {
	svc  *logs.Service
	down error // when the service could not open: every call answers it
}

// New returns the API over svc.
func New(svc *logs.Service) *API { return &API{svc: svc} }

// Router is where Mount adds the service (the edge router).
type Router interface{ AddJSON(*awsjson.Service) }

// Mount opens CloudWatch Logs for a server, with events under
// <dataDir>/logs and metadata in st, and adds it to rt. Run the returned
// API's Run as a server controller: it sweeps retention until its
// context ends, then closes the log files. If the log store cannot open,
// the error is logged once and every Logs call answers
// ServiceUnavailableException with the reason; the rest of the server is
// unaffected. Sink gives the agent's awslogs driver its way in.
func Mount(rt Router, st store.Store, dataDir string, log *slog.Logger) *API {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	a := &API{}
	svc, err := logs.Open(st, filepath.Join(dataDir, "logs"), logs.Options{Log: log})
	if err != nil {
		log.Error("CloudWatch Logs is unavailable", "err", err)
		a.down = fault.Wrap(logs.ErrUnavailable, err, "CloudWatch Logs could not open its data directory: "+err.Error())
	}
	a.svc = svc
	rt.AddJSON(a.Service())
	return a
}

// Run sweeps retention until ctx ends, then closes the service.
func (a *API) Run(ctx context.Context) {
	if a.svc == nil {
		<-ctx.Done()
		return
	}
	_ = a.svc.Run(ctx)
	_ = a.svc.Close()
}

// Logs returns the underlying service (nil when it could not open).
func (a *API) Logs() *logs.Service { return a.svc }

// Sink returns the in-process sink for the awslogs driver.
func (a *API) Sink() logs.Sink {
	if a.svc == nil {
		return downSink{a.down}
	}
	return a.svc.Sink()
}

// Service returns the AWS JSON service with every supported operation.
func (a *API) Service() *awsjson.Service {
	s := awsjson.NewService("logs", logswire.TargetPrefix, logswire.JSONVersion, logswire.Operations)
	a.mountGroups(s)
	a.mountStreams(s)
	a.mountEvents(s)
	a.mountTags(s)
	return s
}

// handle registers fn behind the availability check.
func handle[I, O any](a *API, s *awsjson.Service, op string, fn func(context.Context, logs.Scope, *I) (*O, error)) {
	awsjson.Handle(s, op, func(ctx context.Context, in *I) (*O, error) {
		if a.svc == nil {
			return nil, a.down
		}
		m := awsctx.From(ctx)
		return fn(ctx, logs.Scope{Region: m.Region, Account: m.Account}, in)
	})
}

type downSink struct{ err error }

func (d downSink) Prepare(context.Context, string, string, string, string, bool) error {
	return &logs.SinkError{Code: "ServiceUnavailableException", Message: d.err.Error(), Err: d.err}
}

func (d downSink) Put(context.Context, string, string, string, string, []logs.Event, bool) error {
	return &logs.SinkError{Code: "ServiceUnavailableException", Message: d.err.Error(), Err: d.err}
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func ptr[T any](v T) *T { return &v }
