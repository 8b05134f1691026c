package main

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ecr"

	"github.com/quayside/quayside/bench/internal/benchproc"
)

// server is a registry under test.
type server struct {
	name string
	proc *benchproc.Proc
	base string // http://127.0.0.1:<port>
	// auth is the Authorization header of every registry request ("" for
	// none).
	auth string
	// createRepo makes a repository before its first push (Quayside, as
	// ECR, refuses pushes to repositories that do not exist).
	createRepo func(ctx context.Context, name string) error
}

// startQuayside runs `quayside up --no-agent` on a fresh data dir and logs
// in as docker login does: Basic AWS:<token from GetAuthorizationToken>.
func startQuayside(ctx context.Context, ps *benchproc.Group, dir, bin string) (*server, error) {
	addr, err := benchproc.FreeAddr()
	if err != nil {
		return nil, err
	}
	p, err := ps.Start("quayside", dir, filepath.Join(dir, "quayside.log"), bin, "up", "--no-agent", "--listen", addr,
		"--data-dir", filepath.Join(dir, "quayside-data"), "--log-level", "warn")
	if err != nil {
		return nil, err
	}
	s := &server{name: "quayside", proc: p, base: "http://" + addr}
	if err := waitReady(p, s.base+"/_quayside/health", 30*time.Second); err != nil {
		return nil, err
	}
	c := ecr.NewFromConfig(aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(s.base),
		Credentials: credentials.NewStaticCredentialsProvider("bench", "bench", "")})
	out, err := c.GetAuthorizationToken(ctx, &ecr.GetAuthorizationTokenInput{})
	if err != nil {
		return nil, fmt.Errorf("quayside GetAuthorizationToken: %w", err)
	}
	// The token is base64("AWS:<password>"), exactly a Basic credential.
	tok := aws.ToString(out.AuthorizationData[0].AuthorizationToken)
	if _, err := base64.StdEncoding.DecodeString(tok); err != nil {
		return nil, fmt.Errorf("quayside authorization token: %w", err)
	}
	s.auth = "Basic " + tok
	s.createRepo = func(ctx context.Context, name string) error {
		_, err := c.CreateRepository(ctx, &ecr.CreateRepositoryInput{RepositoryName: aws.String(name)})
		return err
	}
	return s, nil
}

// referenceConfig is the reference registry's configuration: filesystem
// storage in a temp dir, deletes enabled, the in-memory blob descriptor
// cache of Debian's default config, no access log (Quayside logs no
// requests at warn level either), and no upload purging during the run.
const referenceConfig = `version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: %s
  delete:
    enabled: true
  cache:
    blobdescriptor: inmemory
  maintenance:
    uploadpurging:
      enabled: false
http:
  addr: %s
`

// startReference runs Debian's docker-registry (distribution 2.8) with a
// temporary config and storage dir. It has no authentication: that is
// its default, and only spares it work Quayside does on every request.
func startReference(ps *benchproc.Group, dir, bin string) (*server, error) {
	addr, err := benchproc.FreeAddr()
	if err != nil {
		return nil, err
	}
	storage := filepath.Join(dir, "reference-data")
	if err := os.MkdirAll(storage, 0o700); err != nil {
		return nil, err
	}
	cfg := filepath.Join(dir, "reference.yml")
	if err := os.WriteFile(cfg, fmt.Appendf(nil, referenceConfig, storage, addr), 0o600); err != nil {
		return nil, err
	}
	p, err := ps.Start("reference", dir, filepath.Join(dir, "reference.log"), bin, "serve", cfg)
	if err != nil {
		return nil, err
	}
	s := &server{name: "reference", proc: p, base: "http://" + addr,
		createRepo: func(context.Context, string) error { return nil }}
	return s, waitReady(p, s.base+"/v2/", 30*time.Second)
}

// waitReady polls url until it answers 200 or 401 (ready, wants
// credentials), or the process exits.
func waitReady(p *benchproc.Proc, url string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if p.Exited() {
			return fmt.Errorf("%s exited; its log:\n%s", p.Name(), p.Tail(20))
		}
		if resp, err := http.Get(url); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK || resp.StatusCode == http.StatusUnauthorized {
				return nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("%s not ready at %s after %v; its log:\n%s", p.Name(), url, timeout, p.Tail(20))
}
