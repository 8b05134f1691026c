// Package ecrapi serves Amazon ECR's API over AWS JSON 1.1 (target
// prefix AmazonEC2ContainerRegistry_V20150921): it turns ecrwire requests
// into reads and writes of the ECR records (ecrdb), layer uploads and
// blob reads (package registry), registry tokens (ecrauth) and lifecycle
// policies (package lifecycle), and the results back into ecrwire
// responses. The OCI distribution API (/v2, package ociapi) works on the
// same records, so an image pushed by `docker push` is described here and
// an image put with PutImage is pulled there.
//
// Handlers by resource: repositories.go, auth.go, images.go (describe,
// list, get), images_write.go (put, delete), layers.go (the layer upload
// API and download URLs), policy.go (repository policies), tags.go,
// lifecycle.go, scan.go. Conversions to the wire shapes live in
// convert.go; pagination tokens in tokens.go.
//
// Errors are fault kinds of package ecr; awserr's table turns them into
// ECR's exceptions. Model constraints (lengths, patterns, enums) are
// checked here rather than by awsjson, because ECR words them its own
// way: "Invalid parameter at 'repositoryName' failed to satisfy
// constraint: '...'" (validate.go).
//
// Decisions worth knowing:
//   - The registry host of repository URIs, proxyEndpoint and download
//     URLs is ecr.RegistryHost of the server's address (localhost:<port>),
//     read per request because the listener binds after the API is built.
//   - GetDownloadUrlForLayer returns the registry's own blob URL with a
//     signed, expiring layer token in its query (ecrauth.NewLayerToken):
//     it needs no docker login, like ECR's presigned S3 URL.
//   - Quayside has no vulnerability scanner: scans are recorded and
//     reported as UNSUPPORTED_IMAGE, never as a clean COMPLETE.
//   - A registryId other than the caller's account is refused: Quayside
//     serves one registry per account and no cross-account access.
package ecrapi

import (
	"context"
	"fmt"
	"log/slog"
	"reflect"
	"time"

	"github.com/quayside/quayside/internal/awsctx"
	"github.com/quayside/quayside/internal/ecr"
	"github.com/quayside/quayside/internal/ecr/ecrdb"
	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/protocol/awsjson"
	"github.com/quayside/quayside/internal/registry"
	"github.com/quayside/quayside/internal/store"
	"github.com/quayside/quayside/internal/wire"
	"github.com/quayside/quayside/internal/wire/ecrwire"
)

// Options configure the API.
type Options struct {
	// RegistryHost returns the registry host (localhost:<port>); it is
	// called for every request that needs it.
	RegistryHost func() string
	Now          func() time.Time // default time.Now
	Log          *slog.Logger
}

// API serves ECR.
type API struct {
	st   store.Store
	reg  *registry.Registry
	host func() string
	now  func() time.Time
	log  *slog.Logger
	down error // the registry could not open: every call answers it
}

// New returns the API over a store and a registry opened on the same
// store and data dir.
func New(st store.Store, reg *registry.Registry, o Options) *API {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.RegistryHost == nil {
		o.RegistryHost = func() string { return "localhost" }
	}
	return &API{st: st, reg: reg, host: o.RegistryHost, now: func() time.Time { return o.Now().UTC() }, log: o.Log}
}

// Router is where Mount adds the service (the edge router).
type Router interface{ AddJSON(*awsjson.Service) }

// Mount opens the registry's content over the server's store and data
// dir (sharing its locks with the OCI handler's), and adds the ECR API to
// rt. If the data dir cannot be prepared, the error is logged once and
// every call answers ServerException. registryHost is called per request.
func Mount(rt Router, st store.Store, dataDir string, log *slog.Logger, registryHost func() string) *API {
	reg, err := registry.Open(st, registry.Config{DataDir: dataDir, Log: log})
	a := New(st, reg, Options{RegistryHost: registryHost, Log: log})
	if err != nil {
		a.log.Error("ECR API unavailable", "err", err)
		a.down = fault.Wrap(fault.Internal, err, "the registry's data directory could not be opened")
	}
	rt.AddJSON(a.Service())
	return a
}

// Service returns the AWS JSON service with every supported operation.
func (a *API) Service() *awsjson.Service {
	s := awsjson.NewService("ecr", ecrwire.TargetPrefix, ecrwire.JSONVersion, ecrwire.Operations)
	a.mountRepositories(s)
	a.mountAuth(s)
	a.mountImages(s)
	a.mountLayers(s)
	a.mountPolicy(s)
	a.mountTags(s)
	a.mountLifecycle(s)
	a.mountScan(s)
	return s
}

// call is one request's scope: the caller's region and account, which is
// also the registry ID.
type call struct {
	scope ecrdb.Scope
}

func (c *call) registryID() *string { return wire.String(c.scope.Account) }

// handle registers fn for op. I is a request wrapper: a struct whose
// first field embeds the ecrwire request and which does not implement
// wire.Validator (see unchecked), so that awsjson leaves the model checks
// to checkModel.
func handle[I, O any](a *API, s *awsjson.Service, op string, fn func(context.Context, *call, *I) (*O, error)) {
	if _, ok := modelOf(new(I)); !ok {
		panic(fmt.Sprintf("ecrapi: %s's request wrapper %T does not embed a wire request first", op, new(I)))
	}
	awsjson.Handle(s, op, func(ctx context.Context, in *I) (*O, error) {
		m := awsctx.From(ctx)
		c := &call{scope: ecrdb.Scope{Region: m.Region, Account: m.Account}}
		req, _ := modelOf(in)
		if err := checkModel(req); err != nil {
			return nil, err
		}
		if err := c.checkRegistryID(req); err != nil {
			return nil, err
		}
		if a.down != nil {
			return nil, a.down
		}
		return fn(ctx, c, in)
	})
}

// modelOf returns the wire request a wrapper embeds.
func modelOf(in any) (wire.Validator, bool) {
	v := reflect.ValueOf(in).Elem()
	if v.Kind() != reflect.Struct || v.NumField() == 0 || !v.Type().Field(0).Anonymous {
		return nil, false
	}
	req, ok := v.Field(0).Addr().Interface().(wire.Validator)
	return req, ok
}

// checkRegistryID refuses a registryId other than the caller's account.
func (c *call) checkRegistryID(req wire.Validator) error {
	f := reflect.ValueOf(req).Elem().FieldByName("RegistryId")
	if !f.IsValid() || f.IsNil() {
		return nil
	}
	return c.checkRegistry(*f.Interface().(*string))
}

func (c *call) checkRegistry(id string) error {
	if id != c.scope.Account {
		return ecr.InvalidParameter("registryId",
			fmt.Sprintf("Quayside serves only the registry of the calling account, %s; %s is not served", c.scope.Account, id))
	}
	return nil
}

// repository reads a repository of the call's scope.
func (a *API) repository(ctx context.Context, c *call, name string) (r ecr.Repository, err error) {
	err = a.st.View(ctx, func(tx store.ReadTx) error {
		r, err = ecrdb.Repository(tx, c.scope, name)
		return err
	})
	return r, err
}

// updateRepository changes a repository in one transaction.
func (a *API) updateRepository(ctx context.Context, c *call, name string, fn func(r *ecr.Repository) error) (r ecr.Repository, err error) {
	err = a.st.Update(ctx, func(tx store.Tx) error {
		r, err = ecrdb.Repository(tx, c.scope, name)
		if err != nil {
			return err
		}
		if err := fn(&r); err != nil {
			return err
		}
		return ecrdb.PutRepository(tx, c.scope, r)
	})
	return r, err
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
