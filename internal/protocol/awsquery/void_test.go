package awsquery

import (
	"context"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// An operation without output answers with the metadata only, as IAM's
// DeleteRole does; one with an (empty) output keeps its Result element.
func TestVoidOutput(t *testing.T) {
	s := NewService("demo", "2020-01-01", "https://demo/", false, map[string][2]string{
		"DeleteThing": {"DeleteThingRequest", ""},
		"UpdateThing": {"UpdateThingRequest", "UpdateThingResponse"},
	})
	Handle(s, "DeleteThing", func(context.Context, *struct{}) (*struct{}, error) { return nil, nil })
	Handle(s, "UpdateThing", func(context.Context, *struct{}) (*struct{}, error) { return nil, nil })
	for op, wantResult := range map[string]bool{"DeleteThing": false, "UpdateThing": true} {
		w := httptest.NewRecorder()
		if _, err := s.Serve(context.Background(), w, url.Values{"Action": {op}}); err != nil {
			t.Fatal(err)
		}
		body := w.Body.String()
		if got := strings.Contains(body, "<"+op+"Result"); got != wantResult || !strings.Contains(body, "<ResponseMetadata>") {
			t.Errorf("%s: %s", op, body)
		}
	}
}
