// Package servertest starts a real, in-process Quayside for tests: the
// full server on a random loopback port with a fresh data dir, and AWS SDK
// configuration pointing at it.
package servertest

import (
	"context"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/quayside/quayside/internal/server"
)

// Server is a running Quayside owned by a test.
type Server struct {
	*server.Server
	DataDir string
	cancel  context.CancelFunc
	done    chan error
}

// Options adjust the server a test starts.
type Options struct {
	DataDir string // reuse a data dir (restart tests); default a new temp dir
	// Agent runs the local agent, which needs Docker. Without it the
	// server runs the APIs only.
	Agent bool
	// WaitAgent waits until the agent has registered (implies Agent).
	WaitAgent bool
	// TaskStableAfter overrides ECS's 40 s before a service task without
	// health checks counts as healthy; default 2 s to keep tests fast.
	TaskStableAfter time.Duration
	// IAMEnforce checks task execution roles' permissions
	// (quayside up --iam-enforce).
	IAMEnforce bool
}

// Start runs a server until the test ends.
func Start(t testing.TB, opts ...Options) *Server {
	t.Helper()
	var o Options
	if len(opts) > 0 {
		o = opts[0]
	}
	if o.DataDir == "" {
		o.DataDir = t.TempDir()
	}
	if o.TaskStableAfter == 0 {
		o.TaskStableAfter = 2 * time.Second
	}
	level := slog.LevelWarn
	if os.Getenv("QUAYSIDE_TEST_LOG") != "" {
		level = slog.LevelDebug
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	srv, err := server.New(server.Config{Listen: "127.0.0.1:0", DataDir: o.DataDir, Version: "test", Log: log,
		NoAgent: !o.Agent && !o.WaitAgent, TaskStableAfter: o.TaskStableAfter, IAMEnforce: o.IAMEnforce})
	if err != nil {
		t.Fatalf("start quayside: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Server{Server: srv, DataDir: o.DataDir, cancel: cancel, done: make(chan error, 1)}
	go func() { s.done <- srv.Run(ctx) }()
	t.Cleanup(s.Stop)
	if o.WaitAgent {
		select {
		case <-srv.AgentReady():
		case err := <-s.done:
			t.Fatalf("quayside stopped before its agent was ready: %v", err)
		case <-time.After(60 * time.Second):
			t.Fatal("the agent did not become ready in 60 s: is Docker running?")
		}
	}
	return s
}

// Stop shuts the server down and closes its store. It is safe to call twice.
func (s *Server) Stop() {
	if s.cancel == nil {
		return
	}
	s.cancel()
	select {
	case <-s.done:
	case <-time.After(15 * time.Second):
	}
	s.Close()
	s.cancel = nil
}

// AWSConfig returns SDK configuration for the given region that sends
// every request to this server.
func (s *Server) AWSConfig(region string) aws.Config {
	return aws.Config{
		Region:       region,
		Credentials:  credentials.NewStaticCredentialsProvider("test", "test", ""),
		BaseEndpoint: aws.String(s.URL()),
		// The SDK retries its own transport races (aws-sdk-go-v2#2737); server
		// errors are not retried by its default retryer beyond this.
		RetryMaxAttempts: 3,
	}
}
