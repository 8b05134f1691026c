package ecsapi_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/quayside/quayside/internal/servertest"
)

// The golden files pin ECS wire shapes. Each file under
// testdata/golden/<Operation>/<case>.json holds the calls that set the
// case up, the request body (or a raw, possibly malformed, body), and the
// expected status and response body. The test posts the body over HTTP
// exactly as an SDK would and compares. Volatile values (timestamps) are
// replaced by "<timestamp>" before comparison.
//
//	go test ./internal/ecs/ecsapi -run Golden -update   rewrites the expected responses

var updateGolden = flag.Bool("update", false, "rewrite the golden files' expected responses")

type goldenCall struct {
	Operation string          `json:"operation"`
	Request   json.RawMessage `json:"request"`
}

type goldenCase struct {
	Setup      []goldenCall    `json:"setup,omitempty"`
	Request    json.RawMessage `json:"request,omitempty"`
	RawRequest string          `json:"rawRequest,omitempty"`
	Status     int             `json:"status"`
	Response   json.RawMessage `json:"response"`
}

const ecsTargetPrefix = "AmazonEC2ContainerServiceV20141113."

// postECS sends one ECS call as the SDKs do, signed for us-east-1 (the
// signature itself is not checked).
func postECS(t *testing.T, srv *servertest.Server, op string, body []byte) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, srv.URL()+"/", bytes.NewReader(body))
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
	if resp.Header.Get("x-amzn-RequestId") == "" {
		t.Errorf("%s: no x-amzn-RequestId header", op)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/x-amz-json-1.1" {
		t.Errorf("%s: Content-Type %q", op, ct)
	}
	return resp.StatusCode, b
}

var timestampRE = regexp.MustCompile(`"(registeredAt|deregisteredAt|deleteRequestedAt|createdAt|updatedAt)":\s*[0-9.eE+-]+`)

// normalize replaces volatile values and indents the body.
func normalize(t *testing.T, body []byte) []byte {
	t.Helper()
	b := timestampRE.ReplaceAll(body, []byte(`"$1":"<timestamp>"`))
	var out bytes.Buffer
	if err := json.Indent(&out, b, "", "  "); err != nil {
		t.Fatalf("response is not JSON: %v: %s", err, body)
	}
	return out.Bytes()
}

func TestGolden(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "golden", "*", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden files: %v", err)
	}
	for _, file := range files {
		op := filepath.Base(filepath.Dir(file))
		name := op + "/" + strings.TrimSuffix(filepath.Base(file), ".json")
		t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var gc goldenCase
			if err := json.Unmarshal(raw, &gc); err != nil {
				t.Fatalf("%s: %v", file, err)
			}
			srv := servertest.Start(t)
			for _, s := range gc.Setup {
				if status, body := postECS(t, srv, s.Operation, s.Request); status != http.StatusOK {
					t.Fatalf("setup %s: %d %s", s.Operation, status, body)
				}
			}
			body := []byte(gc.Request)
			if gc.RawRequest != "" {
				body = []byte(gc.RawRequest)
			}
			status, got := postECS(t, srv, op, body)
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
