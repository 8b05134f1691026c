// Command quayside runs Quayside, a self-hosted, AWS-wire-compatible
// container platform: ECS with real Docker containers, ECR, ALB, SSM,
// Secrets Manager and CloudWatch Logs on one port.
//
//	quayside up        run the platform
//	quayside version   print the version
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/quayside/quayside/internal/server"
)

// version is set at build time with -ldflags "-X main.version=v1.2.3".
var version = ""

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

const usage = `Quayside: Amazon ECS you can run yourself.

Usage:
  quayside <command> [flags]

Commands:
  up        Run Quayside: every API on one port, the controllers and a local agent.
  version   Print the version.
  help      Show this help, or the help of a command: quayside help up

Then point the aws CLI or an AWS SDK at it:
  export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1
  aws --endpoint-url http://localhost:4566 ecs create-cluster --cluster-name demo
`

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	switch args[0] {
	case "up":
		return up(args[1:], stdout, stderr)
	case "version", "--version", "-v":
		fmt.Fprintln(stdout, "quayside", getVersion())
		return 0
	case "help", "-h", "--help":
		if len(args) > 1 && args[1] == "up" {
			fs, _ := upFlags(stdout)
			fs.Usage()
			return 0
		}
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "quayside: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
}

type upOptions struct {
	listen, dataDir, region, logLevel, logFormat string
	noAgent                                      bool
	agentCPU, agentMemory                        int
	taskSubnet                                   string
	metadataPort                                 int
	masterKeyFile                                string
	stableAfter                                  time.Duration
	ecrLifecycleInterval                         time.Duration
	elbAddress                                   string
	elbHealthInterval, elbDeregDelay             time.Duration
	iamEnforce                                   bool
}

func upFlags(out io.Writer) (*flag.FlagSet, *upOptions) {
	o := &upOptions{}
	fs := flag.NewFlagSet("up", flag.ContinueOnError)
	fs.SetOutput(out)
	fs.StringVar(&o.listen, "listen", envOr("QUAYSIDE_LISTEN", "127.0.0.1:4566"),
		"address to serve every API on (env QUAYSIDE_LISTEN). Use 0.0.0.0:4566 to accept other hosts.")
	fs.StringVar(&o.dataDir, "data-dir", envOr("QUAYSIDE_DATA_DIR", defaultDataDir()),
		"directory for all state: the store, image layers, logs, keys (env QUAYSIDE_DATA_DIR)")
	fs.StringVar(&o.region, "region", envOr("QUAYSIDE_REGION", "us-east-1"),
		"region for requests that carry no SigV4 credential scope (env QUAYSIDE_REGION)")
	fs.StringVar(&o.logLevel, "log-level", envOr("QUAYSIDE_LOG_LEVEL", "info"), "debug, info, warn or error (env QUAYSIDE_LOG_LEVEL); debug logs every request")
	fs.StringVar(&o.logFormat, "log-format", envOr("QUAYSIDE_LOG_FORMAT", "text"), "text or json (env QUAYSIDE_LOG_FORMAT)")
	fs.BoolVar(&o.noAgent, "no-agent", envBool("QUAYSIDE_NO_AGENT"), "serve the APIs only: run no local agent and never touch Docker (env QUAYSIDE_NO_AGENT)")
	fs.IntVar(&o.agentCPU, "agent-cpu", envInt("QUAYSIDE_AGENT_CPU"), "CPU units the local container instance advertises (env QUAYSIDE_AGENT_CPU; default 1024 per core)")
	fs.IntVar(&o.agentMemory, "agent-memory", envInt("QUAYSIDE_AGENT_MEMORY"), "memory in MiB the local container instance advertises (env QUAYSIDE_AGENT_MEMORY; default the host's)")
	fs.StringVar(&o.taskSubnet, "task-subnet", os.Getenv("QUAYSIDE_TASK_SUBNET"), "subnet of the Docker network awsvpc tasks get their IPs from, e.g. 10.213.0.0/16 (env QUAYSIDE_TASK_SUBNET; default Docker picks a free one). Used when the network is first created.")
	fs.StringVar(&o.masterKeyFile, "master-key-file", os.Getenv("QUAYSIDE_MASTER_KEY_FILE"), "file holding the key that encrypts secret values at rest, base64 (env QUAYSIDE_MASTER_KEY_FILE, or the key itself in QUAYSIDE_MASTER_KEY; default <data-dir>/master.key, created on first start). Keep it: a data dir can't be read with another key")
	fs.IntVar(&o.metadataPort, "metadata-port", envIntOr("QUAYSIDE_METADATA_PORT", 51679), "port of the task metadata endpoint (ECS_CONTAINER_METADATA_URI_V4), served on each task network's gateway address (env QUAYSIDE_METADATA_PORT)")
	fs.DurationVar(&o.ecrLifecycleInterval, "ecr-lifecycle-interval", envDurationOr("QUAYSIDE_ECR_LIFECYCLE_INTERVAL", 24*time.Hour), "how often each ECR repository's lifecycle policy runs, counted from its last run or change (env QUAYSIDE_ECR_LIFECYCLE_INTERVAL; ECR expires images within 24h; shorten it, e.g. 1m, to see policies act locally). Images that ECS tasks or services use are never expired")
	fs.DurationVar(&o.stableAfter, "task-stable-after", envDurationOr("QUAYSIDE_TASK_STABLE_AFTER", 40*time.Second), "how long a service task without health checks must run before a deployment counts it healthy (env QUAYSIDE_TASK_STABLE_AFTER; ECS's value is 40s; shorten it to make local deployments faster)")
	fs.StringVar(&o.elbAddress, "elb-address", os.Getenv("QUAYSIDE_ELB_ADDRESS"), "bind every load balancer on this IP address, e.g. 0.0.0.0 to accept other hosts (env QUAYSIDE_ELB_ADDRESS; listener ports must then differ across load balancers). Default: each load balancer gets its own loopback address from 127.1.0.0/16, which is its DNSName, reachable from this host only")
	fs.DurationVar(&o.elbHealthInterval, "elb-health-check-interval", envDurationOr("QUAYSIDE_ELB_HEALTH_CHECK_INTERVAL", 30*time.Second), "health check interval of new target groups that set none (env QUAYSIDE_ELB_HEALTH_CHECK_INTERVAL; AWS's default is 30s; shorten it, e.g. 5s, to make targets healthy sooner locally)")
	fs.DurationVar(&o.elbDeregDelay, "elb-deregistration-delay", envDurationOr("QUAYSIDE_ELB_DEREGISTRATION_DELAY", 300*time.Second), "deregistration delay of new target groups that set none (env QUAYSIDE_ELB_DEREGISTRATION_DELAY; AWS's default is 300s; shorten it to make deployments faster locally)")
	fs.BoolVar(&o.iamEnforce, "iam-enforce", envBool("QUAYSIDE_IAM_ENFORCE"), "check the IAM permissions of task execution roles, as ECS does: a task whose role may not read its secrets or pull its image from Quayside's registry fails to start (env QUAYSIDE_IAM_ENFORCE; default off)")
	fs.Usage = func() {
		fmt.Fprint(out, "Usage: quayside up [flags]\n\nRun Quayside in the foreground until interrupted (Ctrl-C or SIGTERM).\n\nFlags:\n")
		fs.PrintDefaults()
		fmt.Fprint(out, `
Tasks run as Docker containers on this host; Quayside needs a running Docker
Engine for them (the APIs work without one). Stopping Quayside leaves tasks
running: the next start adopts them.
`)
	}
	return fs, o
}

func up(args []string, stdout, stderr io.Writer) int {
	fs, o := upFlags(stderr)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if len(envErrs) > 0 {
		fmt.Fprintln(stderr, "quayside up:", strings.Join(envErrs, "; "))
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "quayside up: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	log, err := newLogger(stderr, o.logLevel, o.logFormat)
	if err != nil {
		fmt.Fprintln(stderr, "quayside up:", err)
		return 2
	}
	start := time.Now()
	srv, err := server.New(server.Config{Listen: o.listen, DataDir: o.dataDir, Region: o.region, Version: getVersion(), Log: log,
		NoAgent: o.noAgent, AgentCPU: o.agentCPU, AgentMemoryMiB: o.agentMemory, TaskSubnet: o.taskSubnet,
		ELBAddress: o.elbAddress, ELBHealthCheckInterval: o.elbHealthInterval, ELBDeregistrationDelay: o.elbDeregDelay,
		ECRLifecycleInterval: o.ecrLifecycleInterval, MetadataPort: o.metadataPort, MasterKeyFile: o.masterKeyFile, MasterKey: os.Getenv("QUAYSIDE_MASTER_KEY"),
		IAMEnforce: o.iamEnforce, TaskStableAfter: o.stableAfter})
	if err != nil {
		fmt.Fprintln(stderr, "quayside up:", err)
		return 1
	}
	defer srv.Close()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	log.Info("quayside is up", "endpoint", srv.URL(), "data_dir", o.dataDir, "version", getVersion(), "startup", time.Since(start).Round(time.Millisecond))
	if err := srv.Run(ctx); err != nil {
		fmt.Fprintln(stderr, "quayside up:", err)
		return 1
	}
	log.Info("quayside stopped")
	return 0
}

func newLogger(w io.Writer, level, format string) (*slog.Logger, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("--log-level %q: use debug, info, warn or error", level)
	}
	opts := &slog.HandlerOptions{Level: l}
	switch strings.ToLower(format) {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("--log-format %q: use text or json", format)
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// envErrs collects environment variables that did not parse, so that a
// bad value is reported instead of silently replaced by a default.
var envErrs []string

func envBool(name string) bool {
	s := os.Getenv(name)
	if s == "" {
		return false
	}
	v, err := strconv.ParseBool(s)
	if err != nil {
		envErrs = append(envErrs, fmt.Sprintf("%s=%q is not true or false", name, s))
	}
	return v
}

func envDurationOr(name string, def time.Duration) time.Duration {
	s := os.Getenv(name)
	if s == "" {
		return def
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		envErrs = append(envErrs, fmt.Sprintf("%s=%q is not a duration such as 40s or 2m", name, s))
	}
	return d
}

func envIntOr(name string, def int) int {
	if os.Getenv(name) == "" {
		return def
	}
	return envInt(name)
}

func envInt(name string) int {
	s := os.Getenv(name)
	if s == "" {
		return 0
	}
	v, err := strconv.Atoi(s)
	if err != nil || v < 0 {
		envErrs = append(envErrs, fmt.Sprintf("%s=%q is not a whole number", name, s))
	}
	return v
}

func defaultDataDir() string {
	if home, err := os.UserHomeDir(); err == nil {
		return filepath.Join(home, ".quayside")
	}
	return ".quayside"
}

func getVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}
