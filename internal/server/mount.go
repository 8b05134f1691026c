package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/quayside/quayside/internal/agent"
	"github.com/quayside/quayside/internal/alb"
	"github.com/quayside/quayside/internal/controlplane"
	"github.com/quayside/quayside/internal/docker"
	"github.com/quayside/quayside/internal/ec2"
	"github.com/quayside/quayside/internal/ec2/ec2api"
	"github.com/quayside/quayside/internal/ecr"
	"github.com/quayside/quayside/internal/ecr/ecrapi"
	"github.com/quayside/quayside/internal/ecr/ecrauth"
	"github.com/quayside/quayside/internal/ecr/lifecycle"
	"github.com/quayside/quayside/internal/ecs/ecsapi"
	"github.com/quayside/quayside/internal/elb"
	"github.com/quayside/quayside/internal/elb/elbapi"
	"github.com/quayside/quayside/internal/elb/elbdb"
	"github.com/quayside/quayside/internal/iam"
	"github.com/quayside/quayside/internal/iam/iamapi"
	"github.com/quayside/quayside/internal/logs/logsapi"
	"github.com/quayside/quayside/internal/registry/ociapi"
	"github.com/quayside/quayside/internal/scheduler"
	"github.com/quayside/quayside/internal/secretsmanager/secretsmanagerapi"
	"github.com/quayside/quayside/internal/secretsmanager/tasksecrets"
	"github.com/quayside/quayside/internal/ssm/ssmapi"
	"github.com/quayside/quayside/internal/store"
)

// mount adds the stateful services to the router and builds the
// in-process agent.
func (s *Server) mount() error {
	ecsAPI := ecsapi.New(s.store, ecsapi.Options{})
	ecsAPI.SetPlacer(controlplane.Placer{})
	ecsAPI.SetInstanceSource(controlplane.InstanceSource{})
	s.router.AddJSON(ecsAPI.Service())
	reaper := &controlplane.Reaper{Store: s.store, Log: s.log}
	sched := scheduler.New(scheduler.Config{Store: s.store, Launcher: ecsAPI, Log: s.log,
		Instances: func(tx store.ReadTx) int {
			agents, _ := controlplane.Instances(tx)
			return len(agents)
		},
		Options: scheduler.Options{StableAfter: s.cfg.TaskStableAfter}})
	s.controllers = append(s.controllers, reaper.Run, sched.Run)
	s.router.AddJSON(ssmapi.New(s.store, s.secrets, ssmapi.Options{}).Service())
	smAPI := secretsmanagerapi.New(s.store, s.secrets, secretsmanagerapi.Options{Log: s.log})
	s.router.AddJSON(smAPI.Service())
	s.controllers = append(s.controllers, smAPI.Run)
	s.controllers = append(s.controllers, ociapi.Mount(s.router, s.store, s.cfg.DataDir, s.log))
	// The listener binds after mount: the registry host is read per request.
	ecrapi.Mount(s.router, s.store, s.cfg.DataDir, s.log, func() string { return ecr.RegistryHost(s.Addr()) })
	ecrLifecycle := lifecycle.NewRunner(lifecycle.Config{Store: s.store, Log: s.log, Interval: s.cfg.ECRLifecycleInterval})
	s.controllers = append(s.controllers, ecrLifecycle.Run)
	logsAPI := logsapi.Mount(s.router, s.store, s.cfg.DataDir, s.log)
	s.controllers = append(s.controllers, logsAPI.Run)
	s.router.AddQuery(iamapi.New(iam.New(s.store, iam.Options{})).Service())
	s.router.AddQuery(ec2api.New(ec2.New(s.store, ec2.Options{})).Service())
	if err := s.mountELB(); err != nil {
		return err
	}

	if s.cfg.NoAgent {
		return nil
	}
	id, err := agentID(s.cfg.DataDir)
	if err != nil {
		return err
	}
	dc, err := docker.FromEnv()
	if err != nil {
		return fmt.Errorf("docker client: %w", err)
	}
	s.docker = dc
	registryAuth, err := ecrauth.Open(s.cfg.DataDir)
	if err != nil {
		return err
	}
	s.agent = agent.New(dc, controlplane.New(s.store, s.log), agent.Config{
		ID: id, CPU: s.cfg.AgentCPU, MemoryMiB: s.cfg.AgentMemoryMiB, TaskSubnet: s.cfg.TaskSubnet,
		MetadataPort: s.cfg.MetadataPort, Version: s.cfg.Version, Log: s.log,
		Logs:    logsAPI.Sink(), // the awslogs driver
		Secrets: tasksecrets.New(s.store, s.secrets),
		// With --iam-enforce, execution roles need the permissions ECS
		// needs: secrets, and pulls from Quayside's own registry.
		Permissions: s.permissions(),
		Registry:    func() string { return ecr.RegistryHost(s.Addr()) },
		Auth: func(image, region, account string) *docker.AuthConfig {
			// Images in Quayside's own registry are pulled with a registry
			// token, as an execution role pulls from ECR on AWS.
			host := ecr.RegistryHost(s.Addr())
			if !strings.HasPrefix(image, host+"/") {
				return nil
			}
			token, _ := registryAuth.NewToken(account, region, time.Now())
			return &docker.AuthConfig{Username: "AWS", Password: token, ServerAddress: host}
		},
	})
	return nil
}

// mountELB mounts the ELBv2 API and runs the ALB data plane and the
// reaper of drained targets. The service scheduler registers and
// deregisters ECS tasks in the same store (internal/scheduler/targets.go).
func (s *Server) mountELB() error {
	pool, err := elb.NewAddressPool("")
	if s.cfg.ELBAddress != "" {
		pool, err = elb.SharedAddress(s.cfg.ELBAddress)
	}
	if err != nil {
		return err
	}
	elbAPI := elbapi.New(s.store, elbapi.Options{Addresses: &pool,
		HealthCheckInterval: s.cfg.ELBHealthCheckInterval, DeregistrationDelay: s.cfg.ELBDeregistrationDelay})
	plane := alb.New(alb.Options{Store: s.store, Log: s.log})
	elbAPI.SetStatus(plane)
	s.router.AddQuery(elbAPI.Service())
	reaper := &elbdb.Reaper{Store: s.store, Log: s.log}
	s.controllers = append(s.controllers, plane.Run, reaper.Run)
	return nil
}

// runAgent runs the local agent until ctx ends.
func (s *Server) runAgent(ctx context.Context) {
	if s.agent == nil {
		return
	}
	if err := s.agent.Run(ctx); err != nil && !errors.Is(err, context.Canceled) {
		s.log.Error("agent stopped", "err", err)
	}
}

// agentID is the local container instance's ID, kept in the data dir so
// that a restarted Quayside adopts the tasks of the one before.
func agentID(dataDir string) (string, error) {
	path := filepath.Join(dataDir, "agent-id")
	if b, err := os.ReadFile(path); err == nil && len(strings.TrimSpace(string(b))) == 32 {
		return strings.TrimSpace(string(b)), nil
	}
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	id := hex.EncodeToString(b[:])
	if err := os.WriteFile(path, []byte(id+"\n"), 0o600); err != nil {
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	return id, nil
}
