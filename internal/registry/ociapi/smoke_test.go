package ociapi_test

import (
	"net/http"
	"testing"

	"github.com/quayside/quayside/internal/ecr"
)

func TestSmokePushPull(t *testing.T) {
	e := newEnv(t)
	e.createRepo("demo/web", ecr.Mutable)
	im := newImage(2, nil)
	resp := e.push("demo/web", "v1", im)
	expect(t, resp, http.StatusCreated, "")
	resp = e.do(req{method: "GET", path: "/v2/demo/web/manifests/v1"})
	expect(t, resp, http.StatusOK, "")
	if string(bodyOf(resp)) != string(im.manifest) {
		t.Fatal("manifest differs")
	}
}
