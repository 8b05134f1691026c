package ociapi_test

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
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

// quayside is a whole Quayside server (without its agent) for real
// clients: they reach the registry through the edge router, at the
// registry host repository URIs name.
type quayside struct {
	t     *testing.T
	srv   *server.Server
	dir   string
	host  string // localhost:<port>
	token string
}

func startQuayside(t *testing.T) *quayside {
	t.Helper()
	dir := t.TempDir()
	srv, err := server.New(server.Config{Listen: "127.0.0.1:0", DataDir: dir, NoAgent: true, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done; srv.Close() })
	auth, err := ecrauth.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	token, _ := auth.NewToken(testAccount, testRegion, time.Now())
	return &quayside{t: t, srv: srv, dir: dir, host: ecr.RegistryHost(srv.Addr()), token: token}
}

func (q *quayside) scope() ecrdb.Scope { return ecrdb.Scope{Region: testRegion, Account: testAccount} }

func (q *quayside) createRepo(name string, m ecr.TagMutability) {
	q.t.Helper()
	r, err := ecr.NewRepository{Region: testRegion, Account: testAccount, Name: name, ImageTagMutability: m}.Build(time.Now())
	if err != nil {
		q.t.Fatal(err)
	}
	err = q.srv.Store().Update(context.Background(), func(tx store.Tx) error { return ecrdb.CreateRepository(tx, q.scope(), r) })
	if err != nil {
		q.t.Fatal(err)
	}
}

func (q *quayside) image(repo, tag string) ecr.Image {
	q.t.Helper()
	var im ecr.Image
	err := q.srv.Store().View(context.Background(), func(tx store.ReadTx) (err error) {
		im, err = ecrdb.ResolveImage(tx, q.scope(), repo, tag)
		return err
	})
	if err != nil {
		q.t.Fatalf("image %s:%s: %v", repo, tag, err)
	}
	return im
}

// run runs a command with the given environment additions and stdin,
// returning its combined output.
func run(t *testing.T, env []string, stdin []byte, name string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), env...)
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func mustRun(t *testing.T, env []string, stdin []byte, name string, args ...string) string {
	t.Helper()
	out, err := run(t, env, stdin, name, args...)
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return out
}

// requireTool fails (never skips) the test when a client is missing.
func requireTool(t *testing.T, name, hint string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		t.Fatalf("%s is required for this test (%s): %v", name, hint, err)
	}
}

// buildImage builds a tiny image FROM scratch with the docker CLI from a
// tar context, and returns its local name. The image is removed when the
// test ends.
func buildImage(t *testing.T, docker []string, content string) string {
	t.Helper()
	var ctx bytes.Buffer
	tw := tar.NewWriter(&ctx)
	for name, body := range map[string]string{
		"Dockerfile": "FROM scratch\nCOPY hello.txt /hello.txt\nCMD [\"/hello\"]\n",
		"hello.txt":  content,
	} {
		_ = tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(body)), ModTime: time.Unix(0, 0)})
		_, _ = tw.Write([]byte(body))
	}
	_ = tw.Close()
	name := "quayside-ecr-test-" + strings.ToLower(rand.Text()[:10]) + ":v1"
	mustRun(t, append(docker, "DOCKER_BUILDKIT=0"), ctx.Bytes(), "docker", "build", "-q", "-t", name, "-")
	t.Cleanup(func() { _, _ = run(t, docker, nil, "docker", "rmi", "-f", name) })
	return name
}

func TestDockerLoginPushPull(t *testing.T) {
	requireTool(t, "docker", "the Docker CLI and a running daemon")
	q := startQuayside(t)
	q.createRepo("demo-web", ecr.Mutable)
	q.createRepo("frozen", ecr.Immutable)
	docker := []string{"DOCKER_CONFIG=" + t.TempDir()}

	out := mustRun(t, docker, []byte(q.token), "docker", "login", "--username", "AWS", "--password-stdin", q.host)
	if !strings.Contains(out, "Login Succeeded") {
		t.Fatalf("docker login: %s", out)
	}
	local := buildImage(t, docker, "hello from quayside\n")
	remote := q.host + "/demo-web:1.0.0"
	t.Cleanup(func() { _, _ = run(t, docker, nil, "docker", "rmi", "-f", remote) })
	mustRun(t, docker, nil, "docker", "tag", local, remote)
	mustRun(t, docker, nil, "docker", "push", remote)

	im := q.image("demo-web", "1.0.0")
	if im.ManifestMediaType != ecr.MediaTypeDockerManifest || im.ArtifactMediaType != "application/vnd.docker.container.image.v1+json" || im.SizeInBytes <= 0 || len(im.Blobs) != 2 {
		t.Fatalf("pushed image record: %+v", im)
	}
	var m ecr.Manifest
	_ = json.Unmarshal(im.Manifest, &m)
	if want := m.Config.Size + m.Layers[0].Size; im.SizeInBytes != want {
		t.Fatalf("imageSizeInBytes %d, want config + layers = %d", im.SizeInBytes, want)
	}

	// Pull it back after removing every local copy.
	mustRun(t, docker, nil, "docker", "rmi", "-f", remote, local)
	mustRun(t, docker, nil, "docker", "pull", remote)
	digests := mustRun(t, docker, nil, "docker", "image", "inspect", "--format", "{{json .RepoDigests}}", remote)
	if !strings.Contains(digests, q.host+"/demo-web@"+string(im.Digest)) {
		t.Fatalf("pulled image digests %s, want %s", digests, im.Digest)
	}
	if q.image("demo-web", "1.0.0").LastRecordedPullTime == nil {
		t.Fatal("docker pull did not record lastRecordedPullTime")
	}

	// An immutable tag refuses a second image, with ECR's words.
	frozen := q.host + "/frozen:v1"
	t.Cleanup(func() { _, _ = run(t, docker, nil, "docker", "rmi", "-f", frozen) })
	mustRun(t, docker, nil, "docker", "tag", remote, frozen)
	mustRun(t, docker, nil, "docker", "push", frozen)
	other := buildImage(t, docker, "another image\n")
	mustRun(t, docker, nil, "docker", "tag", other, frozen)
	out, err := run(t, docker, nil, "docker", "push", frozen)
	if err == nil || !strings.Contains(out, "The image tag 'v1' already exists in the 'frozen' repository and cannot be overwritten because the tag is immutable.") {
		t.Fatalf("push over an immutable tag: %v\n%s", err, out)
	}
	t.Logf("docker push over an immutable tag: %s", strings.TrimSpace(out[strings.LastIndex(strings.TrimSpace(out), "\n")+1:]))

	// A repository that does not exist refuses the push.
	missing := q.host + "/not-created:v1"
	t.Cleanup(func() { _, _ = run(t, docker, nil, "docker", "rmi", "-f", missing) })
	mustRun(t, docker, nil, "docker", "tag", remote, missing)
	out, err = run(t, docker, nil, "docker", "push", missing)
	if err == nil || !strings.Contains(out, "does not exist in the registry with id '000000000000'") {
		t.Fatalf("push to a missing repository: %v\n%s", err, out)
	}

	// Without login, the registry asks for credentials.
	anon := []string{"DOCKER_CONFIG=" + t.TempDir()}
	out, err = run(t, anon, nil, "docker", "pull", remote)
	if err == nil || !strings.Contains(strings.ToLower(out), "no basic auth credentials") {
		t.Fatalf("anonymous pull: %v\n%s", err, out)
	}
}

func TestSkopeoCopy(t *testing.T) {
	requireTool(t, "skopeo", "apt-get install -y skopeo")
	requireTool(t, "docker", "the Docker CLI and a running daemon")
	q := startQuayside(t)
	q.createRepo("skopeo/app", ecr.Mutable)
	q.createRepo("skopeo/copy", ecr.Mutable)
	docker := []string{"DOCKER_CONFIG=" + t.TempDir()}
	local := buildImage(t, docker, "skopeo content\n")
	creds := "AWS:" + q.token
	layout := filepath.Join(t.TempDir(), "layout")

	// docker-daemon → OCI layout → Quayside.
	mustRun(t, nil, nil, "skopeo", "copy", "docker-daemon:"+local, "oci:"+layout+":v1")
	mustRun(t, nil, nil, "skopeo", "copy", "--dest-creds", creds, "--dest-tls-verify=false",
		"oci:"+layout+":v1", "docker://"+q.host+"/skopeo/app:v1")
	im := q.image("skopeo/app", "v1")
	if im.ManifestMediaType != ecr.MediaTypeOCIManifest {
		t.Fatalf("pushed %s, want an OCI manifest", im.ManifestMediaType)
	}
	raw := mustRun(t, nil, nil, "skopeo", "inspect", "--raw", "--creds", creds, "--tls-verify=false", "docker://"+q.host+"/skopeo/app:v1")
	if raw != string(im.Manifest) {
		t.Fatalf("skopeo inspect --raw returned other bytes:\n%s\nwant\n%s", raw, im.Manifest)
	}

	// Registry to registry: skopeo mounts the blobs across repositories.
	mustRun(t, nil, nil, "skopeo", "copy", "--src-creds", creds, "--dest-creds", creds, "--src-tls-verify=false", "--dest-tls-verify=false",
		"docker://"+q.host+"/skopeo/app:v1", "docker://"+q.host+"/skopeo/copy:v1")
	if q.image("skopeo/copy", "v1").Digest != im.Digest {
		t.Fatal("copied image has another digest")
	}

	// Quayside → OCI layout, byte for byte.
	back := filepath.Join(t.TempDir(), "back")
	mustRun(t, nil, nil, "skopeo", "copy", "--src-creds", creds, "--src-tls-verify=false", "docker://"+q.host+"/skopeo/copy:v1", "oci:"+back+":v1")
	var index struct {
		Manifests []ecr.Descriptor `json:"manifests"`
	}
	b, err := os.ReadFile(filepath.Join(back, "index.json"))
	if err != nil || json.Unmarshal(b, &index) != nil || len(index.Manifests) != 1 || index.Manifests[0].Digest != im.Digest {
		t.Fatalf("pulled layout index %s (%v), want manifest %s", b, err, im.Digest)
	}

	// Delete by tag reference: skopeo resolves it and deletes the image.
	mustRun(t, nil, nil, "skopeo", "delete", "--creds", creds, "--tls-verify=false", "docker://"+q.host+"/skopeo/copy:v1")
	out, err := run(t, nil, nil, "skopeo", "inspect", "--creds", creds, "--tls-verify=false", "docker://"+q.host+"/skopeo/copy:v1")
	if err == nil || !strings.Contains(out, "manifest unknown") {
		t.Fatalf("inspect after delete: %v\n%s", err, out)
	}
}
