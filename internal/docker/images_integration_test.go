package docker_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/quayside/quayside/internal/docker"
	"github.com/quayside/quayside/internal/testimage"
)

func TestImageInspectTagRemove(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	image := e.testApp()
	im, err := e.c.ImageInspect(e.ctx, image)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(im.RepoTags, testimage.TestAppImage) || im.Size == 0 || !strings.HasPrefix(im.ID, "sha256:") {
		t.Errorf("image = %+v", im)
	}
	if im.Config == nil || !slices.Equal(im.Config.Entrypoint, []string{"/testapp"}) || im.Config.Labels[testimage.Label] != "testapp" {
		t.Errorf("image config = %+v", im.Config)
	}

	alias := "quayside-test-" + e.run + ":alias"
	if err := e.c.ImageTag(e.ctx, image, alias); err != nil {
		t.Fatal(err)
	}
	if got, err := e.c.ImageInspect(e.ctx, alias); err != nil || got.ID != im.ID {
		t.Errorf("inspect of the alias = %+v, %v; want image %s", got, err, im.ID)
	}
	if err := e.c.ImageRemove(e.ctx, alias, false); err != nil {
		t.Fatal(err)
	}
	if _, err := e.c.ImageInspect(e.ctx, alias); !docker.IsNotFound(err) {
		t.Errorf("inspect of a removed tag: err = %v, want not found", err)
	}
	if _, err := e.c.ImageInspect(e.ctx, image); err != nil {
		t.Errorf("removing an alias removed the image: %v", err)
	}
}

// TestPushPull pushes the test app to a registry that wants basic auth,
// removes the local name and pulls it back.
func TestPushPull(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	image := e.testApp()
	_, host := newRegistry(t, "AWS", "token-"+e.run)
	repo := host + "/quayside-test-" + e.run + "/app"
	ref := repo + ":v1"
	auth := &docker.AuthConfig{Username: "AWS", Password: "token-" + e.run, ServerAddress: host}
	wrong := &docker.AuthConfig{Username: "AWS", Password: "wrong", ServerAddress: host}

	if err := e.c.ImageTag(e.ctx, image, ref); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.c.ImageRemove(e.ctx, ref, true) })
	// A push with a wrong password is not tried here: Docker 20.10 retries
	// the refused blob upload with backoff and fails only after 50 s.
	digest, err := e.c.ImagePush(e.ctx, ref, auth)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(digest, "sha256:") {
		t.Errorf("push returned digest %q", digest)
	}

	if err := e.c.ImageRemove(e.ctx, ref, false); err != nil {
		t.Fatal(err)
	}
	if err := e.c.ImagePull(e.ctx, ref, wrong); err == nil {
		t.Error("pull with a wrong password succeeded")
	}
	if err := e.c.ImagePull(e.ctx, ref, auth); err != nil {
		t.Fatal(err)
	}
	im, err := e.c.ImageInspect(e.ctx, ref)
	if err != nil {
		t.Fatal(err)
	}
	if got := im.Digest(repo); got != digest {
		t.Errorf("pulled image digest %q (RepoDigests %q), want %q", got, im.RepoDigests, digest)
	}
	if err := e.c.ImagePull(e.ctx, repo+"@"+digest, auth); err != nil {
		t.Errorf("pull by digest: %v", err)
	}
	if err := e.c.ImagePull(e.ctx, repo+":missing", auth); err == nil || !strings.Contains(err.Error(), "manifest unknown") {
		t.Errorf("pull of a missing tag: err = %v, want manifest unknown", err)
	}
}
