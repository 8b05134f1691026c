package edge_test

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/quayside/quayside/internal/awsctx"
	"github.com/quayside/quayside/internal/edge"
	"github.com/quayside/quayside/internal/protocol/awsjson"
	"github.com/quayside/quayside/internal/protocol/awsquery"
	"github.com/quayside/quayside/internal/wire"
)

type echoIn struct {
	Name  *string  `json:"name,omitzero"`
	Count *int64   `json:"count,omitzero"`
	Tags  []string `json:"tags,omitzero"`
}

func (e *echoIn) Validate(path string, out *[]wire.Violation) {
	if e.Name == nil {
		*out = append(*out, wire.Violation{Field: wire.Join(path, "name"), Rule: "required"})
	}
}

type echoOut struct {
	Name   *string `json:"name,omitzero" xml:"Name,omitempty"`
	Region *string `json:"region,omitzero" xml:"Region,omitempty"`
}

func newRouter(t *testing.T) http.Handler {
	t.Helper()
	rt := edge.New(slog.New(slog.DiscardHandler), "us-east-1", "test")
	js := awsjson.NewService("demo", "Demo_20200101", "1.1", map[string][2]string{"Echo": {}, "Panic": {}, "Later": {}})
	awsjson.Handle(js, "Echo", func(ctx context.Context, in *echoIn) (*echoOut, error) {
		return &echoOut{Name: in.Name, Region: wire.String(awsctx.From(ctx).Region)}, nil
	})
	awsjson.Handle(js, "Panic", func(ctx context.Context, in *echoIn) (*echoOut, error) { panic("boom") })
	rt.AddJSON(js)
	q := awsquery.NewService("demoq", "2020-01-01", "https://demo/doc/2020-01-01/", false, map[string][2]string{"Echo": {}})
	awsquery.Handle(q, "Echo", func(ctx context.Context, in *struct {
		Name *string `query:"Name"`
	}) (*echoOut, error) {
		return &echoOut{Name: in.Name}, nil
	})
	rt.AddQuery(q)
	return rt
}

const auth = "AWS4-HMAC-SHA256 Credential=AKID/20240101/eu-central-1/demo/aws4_request, SignedHeaders=host, Signature=abc"

func doJSON(t *testing.T, h http.Handler, target, body string) (*http.Response, map[string]any) {
	t.Helper()
	req := httptest.NewRequest("POST", "/", strings.NewReader(body))
	req.Header.Set("X-Amz-Target", target)
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("Authorization", auth)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	res := rec.Result()
	var m map[string]any
	b, _ := io.ReadAll(res.Body)
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("response is not JSON: %q", b)
	}
	return res, m
}

func TestJSONErrors(t *testing.T) {
	h := newRouter(t)
	cases := []struct {
		name, target, body string
		status             int
		code               string
		msgHas             string
	}{
		{"ok", "Demo_20200101.Echo", `{"name":"x"}`, 200, "", ""},
		{"truncated", "Demo_20200101.Echo", `{"name":"x"`, 400, "SerializationException", "truncated"},
		{"wrong type", "Demo_20200101.Echo", `{"name":5}`, 400, "SerializationException", "'name' must be a JSON string"},
		{"wrong type nested", "Demo_20200101.Echo", `{"name":"a","tags":"x"}`, 400, "SerializationException", "'tags' must be a JSON array"},
		{"unknown field", "Demo_20200101.Echo", `{"name":"x","bogus":1}`, 400, "SerializationException", `"bogus"`},
		{"not an object", "Demo_20200101.Echo", `[1]`, 400, "SerializationException", "object"},
		{"trailing data", "Demo_20200101.Echo", `{"name":"x"} {}`, 400, "SerializationException", "after the end"},
		{"missing required", "Demo_20200101.Echo", `{}`, 400, "ValidationException", "Value null at 'name' failed to satisfy constraint: Member must not be null"},
		{"unknown op", "Demo_20200101.Nope", `{}`, 400, "UnknownOperationException", "Nope"},
		{"unknown prefix", "Other.Echo", `{}`, 400, "UnknownOperationException", "Other.Echo"},
		{"not implemented", "Demo_20200101.Later", `{}`, 501, "NotImplementedException", "Later"},
		{"panic", "Demo_20200101.Panic", `{"name":"x"}`, 500, "InternalFailure", "internal error"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, m := doJSON(t, h, c.target, c.body)
			if res.StatusCode != c.status {
				t.Fatalf("status %d, want %d: %v", res.StatusCode, c.status, m)
			}
			if res.Header.Get("x-amzn-RequestId") == "" {
				t.Error("no x-amzn-RequestId header")
			}
			if c.code == "" {
				if m["region"] != "eu-central-1" {
					t.Errorf("region from SigV4 scope = %v", m["region"])
				}
				return
			}
			if m["__type"] != c.code || !strings.Contains(m["message"].(string), c.msgHas) {
				t.Fatalf("error = %v, want %s containing %q", m, c.code, c.msgHas)
			}
		})
	}
}

func TestBodyTooLarge(t *testing.T) {
	h := newRouter(t)
	body := `{"name":"` + strings.Repeat("a", edge.MaxBodyBytes) + `"}`
	res, m := doJSON(t, h, "Demo_20200101.Echo", body)
	if res.StatusCode != 413 || m["__type"] != "RequestEntityTooLargeException" {
		t.Fatalf("got %d %v", res.StatusCode, m)
	}
}

func TestQuery(t *testing.T) {
	h := newRouter(t)
	post := func(body string) (*http.Response, string) {
		req := httptest.NewRequest("POST", "/", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		b, _ := io.ReadAll(rec.Result().Body)
		return rec.Result(), string(b)
	}
	res, body := post("Action=Echo&Version=2020-01-01&Name=hello")
	if res.StatusCode != 200 || !strings.Contains(body, `<EchoResponse xmlns="https://demo/doc/2020-01-01/"><EchoResult><Name>hello</Name></EchoResult><ResponseMetadata><RequestId>`) {
		t.Fatalf("ok reply: %d %s", res.StatusCode, body)
	}
	var e struct {
		Error     struct{ Type, Code, Message string }
		RequestID string `xml:"RequestId"`
	}
	res, body = post("Action=Nope&Version=2020-01-01")
	if err := xml.Unmarshal([]byte(body), &e); err != nil || res.StatusCode != 400 || e.Error.Code != "UnknownOperationException" || e.Error.Type != "Sender" || e.RequestID == "" {
		t.Fatalf("unknown action: %d %s", res.StatusCode, body)
	}
	res, body = post("Version=2020-01-01")
	if res.StatusCode != 400 || !strings.Contains(body, "<Code>MissingAction</Code>") {
		t.Fatalf("missing action: %d %s", res.StatusCode, body)
	}
	res, body = post("Action=Echo&Version=1999-01-01")
	if res.StatusCode != 400 || !strings.Contains(body, "UnknownServiceException") {
		t.Fatalf("unknown version: %d %s", res.StatusCode, body)
	}
	res, body = post("%zz")
	if res.StatusCode != 400 || !strings.Contains(body, "<ErrorResponse") {
		t.Fatalf("bad form: %d %s", res.StatusCode, body)
	}
}

func TestNoProtocol(t *testing.T) {
	h := newRouter(t)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("PUT", "/something", nil))
	if rec.Code != 400 || !strings.Contains(rec.Body.String(), "UnknownServiceException") {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/_quayside/health", nil))
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"ok"`) {
		t.Fatalf("health: %d %s", rec.Code, rec.Body)
	}
}
