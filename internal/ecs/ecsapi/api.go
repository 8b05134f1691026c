// Package ecsapi is the ECS control-plane API: it turns ECS wire requests
// (ecswire) into domain operations on the store (ecsdb) and domain records
// back into wire responses.
//
// Each resource has its handlers in one file (clusters.go, taskdefs.go,
// services.go, tasks.go, ...) and its wire conversions in convert_*.go.
// Handlers return fault errors; awserr maps them to ECS exceptions.
// Behaviour that acts on the records (running tasks, keeping services at
// their desired count) lives in the scheduler and the agent, not here.
package ecsapi

import (
	"context"
	"crypto/rand"
	"io"
	"time"

	"github.com/quayside/quayside/internal/awsctx"
	"github.com/quayside/quayside/internal/ecs"
	"github.com/quayside/quayside/internal/ecs/ecsdb"
	"github.com/quayside/quayside/internal/protocol/awsjson"
	"github.com/quayside/quayside/internal/store"
	"github.com/quayside/quayside/internal/wire/ecswire"
)

// Options configure the API.
type Options struct {
	Now  func() time.Time // default time.Now
	Rand io.Reader        // randomness for IDs; default crypto/rand
}

// API serves ECS.
type API struct {
	store store.Store
	now   func() time.Time
	ids   *ecs.IDs
	// placer decides where RunTask's and services' tasks go: the API's
	// own subnet step, then the installed Placer (placer.go, subnets.go).
	placer Placer
	// instanceSource adds the agents' container instances (instances.go).
	instanceSource InstanceSource
}

// New returns the ECS API over a store.
func New(st store.Store, o Options) *API {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Rand == nil {
		o.Rand = rand.Reader
	}
	return &API{store: st, now: func() time.Time { return o.Now().UTC() }, ids: ecs.NewIDs(o.Rand), placer: subnetZones{}}
}

// Service returns the AWS JSON service with every supported operation
// mounted.
func (a *API) Service() *awsjson.Service {
	s := awsjson.NewService("ecs", ecswire.TargetPrefix, ecswire.JSONVersion, ecswire.Operations)
	a.mountClusters(s)
	a.mountTaskDefinitions(s)
	a.mountTags(s)
	a.mountSettings(s)
	a.mountCapacityProviders(s)
	a.mountServices(s)
	a.mountServiceDeployments(s)
	a.mountTasks(s)
	a.mountContainerInstances(s)
	return s
}

// scope is the region and account of the request.
func scope(ctx context.Context) ecsdb.Scope {
	m := awsctx.From(ctx)
	return ecsdb.Scope{Region: m.Region, Account: m.Account}
}
