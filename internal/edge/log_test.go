package edge_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/quayside/quayside/internal/edge"
	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/protocol/awsjson"
)

// TestRequestLog checks the one log line per request: its level, message
// and attributes, and that nothing is logged below the logger's level.
func TestRequestLog(t *testing.T) {
	tests := []struct {
		name   string
		level  slog.Level
		op     string
		want   string // "" for no line
		absent string
	}{
		{"success at debug", slog.LevelDebug, "Ok", `level=DEBUG msg=request request_id=`, "err="},
		{"success at info", slog.LevelInfo, "Ok", "", ""},
		{"client error at debug", slog.LevelDebug, "Reject", `level=DEBUG msg="request rejected"`, ""},
		{"client error at info", slog.LevelInfo, "Reject", "", ""},
		{"server error", slog.LevelInfo, "Fail", `level=ERROR msg="request failed"`, ""},
		{"not implemented", slog.LevelInfo, "Later", `level=WARN msg="operation not supported yet"`, "err="},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			rt := edge.New(slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: tc.level})), "us-east-1", "test")
			js := awsjson.NewService("demo", "Demo_20200101", "1.1", map[string][2]string{"Ok": {}, "Reject": {}, "Fail": {}, "Later": {}})
			awsjson.Handle(js, "Ok", func(context.Context, *echoIn) (*echoOut, error) { return &echoOut{}, nil })
			awsjson.Handle(js, "Reject", func(context.Context, *echoIn) (*echoOut, error) { return &echoOut{}, nil })
			awsjson.Handle(js, "Fail", func(context.Context, *echoIn) (*echoOut, error) {
				return nil, fault.New(fault.Internal, "boom")
			})
			rt.AddJSON(js)
			body := `{"name":"x"}`
			if tc.op == "Reject" {
				body = `{}` // fails validation: a 400
			}
			req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
			req.Header.Set("X-Amz-Target", "Demo_20200101."+tc.op)
			req.Header.Set("Authorization", auth)
			rec := httptest.NewRecorder()
			rt.ServeHTTP(rec, req)
			if rec.Header().Get("x-amzn-RequestId") == "" {
				t.Error("no x-amzn-RequestId header")
			}
			line := buf.String()
			if tc.want == "" {
				if line != "" {
					t.Fatalf("logged %q, want nothing", line)
				}
				return
			}
			if strings.Count(line, "\n") != 1 || !strings.Contains(line, tc.want) {
				t.Fatalf("logged %q, want one line with %q", line, tc.want)
			}
			for _, attr := range []string{"request_id=", "service=demo", "op=" + tc.op, "region=eu-central-1", "status=", "duration="} {
				if !strings.Contains(line, attr) {
					t.Errorf("line %q lacks %s", line, attr)
				}
			}
			if tc.absent != "" && strings.Contains(line, tc.absent) {
				t.Errorf("line %q has %s", line, tc.absent)
			}
		})
	}
}
