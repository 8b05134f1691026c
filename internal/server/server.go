// Package server assembles Quayside: it opens the data dir and the store,
// mounts every service on the edge router, starts the controllers and the
// local agent, and serves one port.
//
// Lifecycle: New, then Run(ctx) until ctx ends, then Close.
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/quayside/quayside/internal/agent"
	"github.com/quayside/quayside/internal/docker"
	"github.com/quayside/quayside/internal/edge"
	"github.com/quayside/quayside/internal/iam"
	"github.com/quayside/quayside/internal/secretbox"
	"github.com/quayside/quayside/internal/store"
	"github.com/quayside/quayside/internal/store/boltstore"
	"github.com/quayside/quayside/internal/sts"
)

// Config is what `quayside up` is told.
type Config struct {
	Listen  string // host:port; default 127.0.0.1:4566
	DataDir string
	Region  string // for unsigned requests
	Version string
	Log     *slog.Logger

	// NoAgent runs the APIs only, without the local agent (and Docker).
	NoAgent bool
	// AgentCPU and AgentMemoryMiB override the resources the local
	// container instance advertises (default: the host's).
	AgentCPU, AgentMemoryMiB int
	// TaskSubnet is the awsvpc task network's subnet (default: Docker picks).
	TaskSubnet string
	// TaskStableAfter is how long a service task without health checks
	// runs before it counts as healthy in a deployment (ECS: 40 s).
	TaskStableAfter time.Duration
	// MetadataPort is the task metadata endpoint's port on each task
	// network gateway; 0 picks a free one.
	MetadataPort int
	// MasterKeyFile and MasterKey (base64) give the key that encrypts
	// secret values at rest; default <DataDir>/master.key, created on the
	// first start (see package secretbox).
	MasterKeyFile, MasterKey string
	// ECRLifecycleInterval is how often each ECR repository's lifecycle
	// policy runs, counted from its last run or change (default 24 h, as
	// ECR expires images "within 24 hours"; shorten it locally).
	ECRLifecycleInterval time.Duration
	// ELBAddress, when set, binds every load balancer on this one IP
	// address (say 0.0.0.0 or a LAN address) instead of giving each its own
	// loopback address from 127.1.0.0/16 (see package elb).
	ELBAddress string
	// ELBHealthCheckInterval and ELBDeregistrationDelay, when set, replace
	// AWS's defaults (30 s and 300 s) for new target groups that do not set
	// them; values a user sets are always kept.
	ELBHealthCheckInterval, ELBDeregistrationDelay time.Duration
	// IAMEnforce makes the task runtime check roles' permissions (secrets
	// and image pulls need the execution role's); off by default, as
	// Quayside accepts any credentials. See iam.Service.RoleAllowed.
	IAMEnforce bool
}

// Server is a running Quayside.
type Server struct {
	cfg    Config
	log    *slog.Logger
	store  store.Store
	router *edge.Router
	ln     net.Listener
	http   *http.Server
	docker *docker.Client
	agent  *agent.Agent
	// controllers are the server's background loops, each run until the
	// server stops.
	controllers []func(context.Context)
	// secrets seals SSM SecureStrings and Secrets Manager values.
	secrets *secretbox.Box
}

// New opens the data dir, binds the listener and mounts the services. It
// does not serve until Run.
func New(cfg Config) (*Server, error) {
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("create data dir %s: %w", cfg.DataDir, err)
	}
	st, err := boltstore.Open(filepath.Join(cfg.DataDir, "quayside.db"), boltstore.Options{Logger: cfg.Log})
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, log: cfg.Log, store: st}
	if s.secrets, err = secretbox.Open(context.Background(), st, secretbox.Config{DataDir: cfg.DataDir, KeyFile: cfg.MasterKeyFile, Key: cfg.MasterKey}); err != nil {
		st.Close()
		return nil, err
	}
	s.router = edge.New(cfg.Log, cfg.Region, cfg.Version)
	s.router.AddQuery(sts.Service(iam.New(st, iam.Options{})))
	if err := s.mount(); err != nil {
		st.Close()
		return nil, err
	}
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		st.Close()
		return nil, fmt.Errorf("listen on %s: %w (is another quayside running? pick another address with --listen)", cfg.Listen, err)
	}
	s.ln = ln
	s.http = &http.Server{Handler: s.router, ReadHeaderTimeout: 30 * time.Second, ErrorLog: slog.NewLogLogger(cfg.Log.Handler(), slog.LevelDebug)}
	return s, nil
}

// Addr is the address the server listens on.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// URL is the endpoint URL clients use.
func (s *Server) URL() string { return "http://" + s.Addr() }

// AgentReady is closed once the local agent has registered and can run
// tasks; nil when the server runs without an agent.
func (s *Server) AgentReady() <-chan struct{} {
	if s.agent == nil {
		return nil
	}
	return s.agent.Ready()
}

// Store exposes the store to tests and embedded tools.
func (s *Server) Store() store.Store { return s.store }

// Run serves until ctx ends, then shuts down gracefully.
func (s *Server) Run(ctx context.Context) error {
	errc := make(chan error, 1)
	go func() { errc <- s.http.Serve(s.ln) }()
	// The controllers and the agent run until Run returns.
	bg, stopBG := context.WithCancel(ctx)
	var wg sync.WaitGroup
	for _, run := range append(s.controllers, s.runAgent) {
		wg.Add(1)
		go func() { defer wg.Done(); run(bg) }()
	}
	defer func() { stopBG(); wg.Wait() }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := s.http.Shutdown(shut)
	if serr := <-errc; serr != nil && !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	return err
}

// Close releases the store. Call it after Run returns.
func (s *Server) Close() error {
	if s.ln != nil {
		s.ln.Close()
	}
	if s.docker != nil {
		s.docker.Close()
	}
	return s.store.Close()
}
