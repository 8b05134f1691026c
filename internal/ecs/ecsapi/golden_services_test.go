package ecsapi_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The golden files of services and tasks, under
// testdata/golden-services/<Operation>/<case>.json, have the format of
// testdata/golden (see golden_test.go): setup calls, the request, the
// expected status and response. They run against the API alone (see
// apiharness_test.go) with a fixed clock and seeded randomness, so task
// IDs, deployment IDs, container and attachment UUIDs and ENI IDs are
// repeatable and a request may name a task a setup call started. They
// live apart from testdata/golden because that suite runs on a full
// server, where IDs are random and the agent moves tasks along.
//
//	go test ./internal/ecs/ecsapi -run GoldenServices -update   rewrites the expected responses

// postAPI sends one ECS call as the SDKs do.
func postAPI(t *testing.T, url, op string, body []byte) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url+"/", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-Amz-Target", ecsTargetPrefix+op)
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=test/20250101/us-east-1/ecs/aws4_request, SignedHeaders=host, Signature=0")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, b
}

func TestGoldenServices(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "golden-services", "*", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden files: %v", err)
	}
	for _, file := range files {
		op := filepath.Base(filepath.Dir(file))
		t.Run(op+"/"+strings.TrimSuffix(filepath.Base(file), ".json"), func(t *testing.T) {
			raw, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var gc goldenCase
			if err := json.Unmarshal(raw, &gc); err != nil {
				t.Fatalf("%s: %v", file, err)
			}
			srv := startAPI(t, apiOptions{Seed: 1})
			putTargetGroup(t, srv, "api", "ip", true) // the target group the cases name
			for _, s := range gc.Setup {
				if status, body := postAPI(t, srv.URL, s.Operation, s.Request); status != http.StatusOK {
					t.Fatalf("setup %s: %d %s", s.Operation, status, body)
				}
			}
			body := []byte(gc.Request)
			if gc.RawRequest != "" {
				body = []byte(gc.RawRequest)
			}
			status, got := postAPI(t, srv.URL, op, body)
			got = normalize(t, got)
			if *updateGolden {
				gc.Status, gc.Response = status, got
				b, err := json.MarshalIndent(gc, "", "  ")
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(file, append(b, '\n'), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if status != gc.Status {
				t.Errorf("status = %d, want %d", status, gc.Status)
			}
			var gotV, wantV any
			if err := json.Unmarshal(got, &gotV); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(gc.Response, &wantV); err != nil {
				t.Fatalf("%s: expected response: %v", file, err)
			}
			if d := cmp.Diff(wantV, gotV); d != "" {
				t.Errorf("response differs from %s (-want +got):\n%s", file, d)
			}
		})
	}
}
