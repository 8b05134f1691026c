//go:build ociconformance

package ociapi_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/quayside/quayside/internal/ecr"
	"github.com/quayside/quayside/internal/ecr/ecrauth"
	"github.com/quayside/quayside/internal/ecr/ecrdb"
	"github.com/quayside/quayside/internal/server"
	"github.com/quayside/quayside/internal/store"
)

// TestOCIConformance runs the OCI distribution-spec conformance binary
// named by OCI_CONFORMANCE_BIN against a fresh Quayside (the whole server,
// without the agent). test/oci-conformance.sh builds the binary and runs
// this test. OCI_* variables in the environment pass through; the
// registry, repositories and credentials are set here.
func TestOCIConformance(t *testing.T) {
	bin := os.Getenv("OCI_CONFORMANCE_BIN")
	if bin == "" {
		t.Fatal("OCI_CONFORMANCE_BIN is not set: run test/oci-conformance.sh")
	}
	dir := t.TempDir()
	srv, err := server.New(server.Config{Listen: "127.0.0.1:0", DataDir: dir, NoAgent: true, Version: "conformance"})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done; srv.Close() })

	s := ecrdb.Scope{Region: "us-east-1", Account: "000000000000"}
	repos := []string{"conformance/repo1", "conformance/repo2"}
	for _, name := range repos {
		repo, err := ecr.NewRepository{Region: s.Region, Account: s.Account, Name: name}.Build(time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if err := srv.Store().Update(ctx, func(tx store.Tx) error { return ecrdb.CreateRepository(tx, s, repo) }); err != nil {
			t.Fatal(err)
		}
	}
	auth, err := ecrauth.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	token, _ := auth.NewToken(s.Account, s.Region, time.Now())

	results := os.Getenv("OCI_RESULTS_DIR")
	if results == "" {
		results = filepath.Join(t.TempDir(), "results")
	}
	cmd := exec.Command(bin)
	cmd.Dir = t.TempDir()
	cmd.Env = append(os.Environ(),
		"OCI_REGISTRY="+srv.Addr(), "OCI_TLS=disabled",
		"OCI_REPO1="+repos[0], "OCI_REPO2="+repos[1],
		"OCI_USERNAME=AWS", "OCI_PASSWORD="+token,
		"OCI_RESULTS_DIR="+results,
	)
	out, err := cmd.CombinedOutput()
	t.Logf("conformance output:\n%s", out)
	t.Logf("reports in %s", results)
	if err != nil || strings.Contains(string(out), "Conformance test detected a failure") {
		t.Fatalf("conformance suite failed: %v", err)
	}
}
