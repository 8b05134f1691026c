package ecrapi_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecr"
	"github.com/aws/aws-sdk-go-v2/service/ecr/types"
	"github.com/aws/smithy-go"

	qecr "github.com/quayside/quayside/internal/ecr"
	"github.com/quayside/quayside/internal/servertest"
)

var ctx = context.Background()

const account = "000000000000"

// env is a Quayside server with an ECR client.
type env struct {
	t    *testing.T
	srv  *servertest.Server
	c    *ecr.Client
	host string // the registry host, localhost:<port>
}

func newEnv(t *testing.T) *env {
	t.Helper()
	srv := servertest.Start(t)
	return &env{t: t, srv: srv, c: ecr.NewFromConfig(srv.AWSConfig("us-east-1")), host: qecr.RegistryHost(srv.Addr())}
}

func (e *env) createRepo(name string) *types.Repository {
	e.t.Helper()
	out, err := e.c.CreateRepository(ctx, &ecr.CreateRepositoryInput{RepositoryName: aws.String(name)})
	if err != nil {
		e.t.Fatalf("CreateRepository %s: %v", name, err)
	}
	return out.Repository
}

func digestOf(b []byte) string {
	h := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(h[:])
}

// uploadLayer pushes a blob with the layer API, in parts of partSize
// bytes, and returns its digest.
func (e *env) uploadLayer(repo string, data []byte, partSize int) string {
	e.t.Helper()
	up, err := e.c.InitiateLayerUpload(ctx, &ecr.InitiateLayerUploadInput{RepositoryName: aws.String(repo)})
	if err != nil {
		e.t.Fatalf("InitiateLayerUpload: %v", err)
	}
	for off := 0; off < len(data); off += partSize {
		end := min(off+partSize, len(data))
		out, err := e.c.UploadLayerPart(ctx, &ecr.UploadLayerPartInput{
			RepositoryName: aws.String(repo), UploadId: up.UploadId,
			PartFirstByte: aws.Int64(int64(off)), PartLastByte: aws.Int64(int64(end - 1)), LayerPartBlob: data[off:end],
		})
		if err != nil {
			e.t.Fatalf("UploadLayerPart %d-%d: %v", off, end-1, err)
		}
		if aws.ToInt64(out.LastByteReceived) != int64(end-1) {
			e.t.Fatalf("lastByteReceived = %d, want %d", aws.ToInt64(out.LastByteReceived), end-1)
		}
	}
	d := digestOf(data)
	if _, err := e.c.CompleteLayerUpload(ctx, &ecr.CompleteLayerUploadInput{RepositoryName: aws.String(repo), UploadId: up.UploadId, LayerDigests: []string{d}}); err != nil {
		e.t.Fatalf("CompleteLayerUpload: %v", err)
	}
	return d
}

// manifest is a Docker schema 2 image manifest over a config and layers.
func manifest(config []byte, layers ...[]byte) string {
	var ls []string
	for _, l := range layers {
		ls = append(ls, fmt.Sprintf(`{"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","size":%d,"digest":%q}`, len(l), digestOf(l)))
	}
	return fmt.Sprintf(`{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":%d,"digest":%q},"layers":[%s]}`,
		len(config), digestOf(config), strings.Join(ls, ","))
}

// pushImage uploads a config and a layer with the layer API and puts a
// manifest naming them; name makes the image unique.
func (e *env) pushImage(repo, name, tag string) (digest, body string) {
	e.t.Helper()
	config, layer := imageContent(name)
	e.uploadLayerIfMissing(repo, config)
	e.uploadLayerIfMissing(repo, layer)
	body = manifest(config, layer)
	in := &ecr.PutImageInput{RepositoryName: aws.String(repo), ImageManifest: aws.String(body)}
	if tag != "" {
		in.ImageTag = aws.String(tag)
	}
	out, err := e.c.PutImage(ctx, in)
	if err != nil {
		e.t.Fatalf("PutImage %s:%s: %v", repo, tag, err)
	}
	return aws.ToString(out.Image.ImageId.ImageDigest), body
}

// imageContent is the config and layer of pushImage's image name.
func imageContent(name string) (config, layer []byte) {
	return []byte(`{"architecture":"amd64","os":"linux","name":"` + name + `"}`), []byte("layer of " + name)
}

func (e *env) uploadLayerIfMissing(repo string, data []byte) {
	e.t.Helper()
	out, err := e.c.BatchCheckLayerAvailability(ctx, &ecr.BatchCheckLayerAvailabilityInput{RepositoryName: aws.String(repo), LayerDigests: []string{digestOf(data)}})
	if err != nil {
		e.t.Fatal(err)
	}
	if len(out.Layers) == 0 {
		e.uploadLayer(repo, data, 1<<20)
	}
}

// password is the registry password GetAuthorizationToken gives.
func (e *env) password() string {
	e.t.Helper()
	out, err := e.c.GetAuthorizationToken(ctx, &ecr.GetAuthorizationTokenInput{})
	if err != nil {
		e.t.Fatal(err)
	}
	raw, err := base64.StdEncoding.DecodeString(aws.ToString(out.AuthorizationData[0].AuthorizationToken))
	if err != nil {
		e.t.Fatal(err)
	}
	user, pass, _ := strings.Cut(string(raw), ":")
	if user != "AWS" {
		e.t.Fatalf("user %q", user)
	}
	return pass
}

// registry sends a request to the OCI API with the registry password
// (none when password is empty) and returns the status and body.
func (e *env) registry(method, path, password string, body []byte, hdr map[string]string) (int, []byte, http.Header) {
	e.t.Helper()
	req, err := http.NewRequest(method, e.srv.URL()+path, bytes.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	if password != "" {
		req.SetBasicAuth("AWS", password)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	return do(e.t, req)
}

func do(t *testing.T, req *http.Request) (int, []byte, http.Header) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, b, resp.Header
}

// wantErr checks an API error's code and, when msg is not empty, its
// exact message.
func wantErr(t *testing.T, err error, code, msg string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("err = %v, want %s", err, code)
	}
	if ae.ErrorCode() != code {
		t.Fatalf("code = %s (%s), want %s", ae.ErrorCode(), ae.ErrorMessage(), code)
	}
	if msg != "" && ae.ErrorMessage() != msg {
		t.Fatalf("message\n got %q\nwant %q", ae.ErrorMessage(), msg)
	}
}
