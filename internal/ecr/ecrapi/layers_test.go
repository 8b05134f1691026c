package ecrapi_test

import (
	"bytes"
	"crypto/rand"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecr"
	"github.com/aws/aws-sdk-go-v2/service/ecr/types"
)

func TestLayerUploadRules(t *testing.T) {
	e := newEnv(t)
	e.createRepo("layers")
	up, err := e.c.InitiateLayerUpload(ctx, &ecr.InitiateLayerUploadInput{RepositoryName: aws.String("layers")})
	if err != nil || aws.ToString(up.UploadId) == "" || aws.ToInt64(up.PartSize) != 10<<20 {
		t.Fatalf("InitiateLayerUpload: %+v, %v", up, err)
	}
	part := func(first, last int64, data string) error {
		_, err := e.c.UploadLayerPart(ctx, &ecr.UploadLayerPartInput{RepositoryName: aws.String("layers"), UploadId: up.UploadId,
			PartFirstByte: aws.Int64(first), PartLastByte: aws.Int64(last), LayerPartBlob: []byte(data)})
		return err
	}
	complete := func(d string) error {
		_, err := e.c.CompleteLayerUpload(ctx, &ecr.CompleteLayerUploadInput{RepositoryName: aws.String("layers"), UploadId: up.UploadId, LayerDigests: []string{d}})
		return err
	}
	const partMsg = "The layer part size is not valid, or the first byte specified is not consecutive to the last byte of a previous layer part upload."
	wantErr(t, complete(digestOf(nil)), "EmptyUploadException", "The specified layer upload does not contain any layer parts.")
	wantErr(t, part(1, 3, "abc"), "InvalidLayerPartException", partMsg) // not at the start
	wantErr(t, part(0, 5, "abc"), "InvalidLayerPartException", partMsg) // length disagrees
	if err := part(0, 2, "abc"); err != nil {
		t.Fatal(err)
	}
	wantErr(t, part(0, 2, "abc"), "InvalidLayerPartException", partMsg) // again
	if err := part(3, 5, "def"); err != nil {
		t.Fatal(err)
	}
	wantErr(t, complete(digestOf([]byte("abcdeX"))), "InvalidLayerException",
		"The layer digest calculation performed by Amazon ECR upon receipt of the image layer does not match the digest specified.")
	// A failed completion cancels the upload, as the registry does.
	wantErr(t, part(6, 6, "g"), "UploadNotFoundException",
		"The upload with id '"+aws.ToString(up.UploadId)+"' does not exist in the repository with name 'layers' in the registry with id '000000000000'")

	d := e.uploadLayer("layers", []byte("abcdef"), 4)
	up, _ = e.c.InitiateLayerUpload(ctx, &ecr.InitiateLayerUploadInput{RepositoryName: aws.String("layers")})
	if err := part(0, 5, "abcdef"); err != nil {
		t.Fatal(err)
	}
	wantErr(t, complete(d), "LayerAlreadyExistsException", "The layer with digest '"+d+"' already exists in the repository with name 'layers' in the registry with id '000000000000'")
	_, err = e.c.InitiateLayerUpload(ctx, &ecr.InitiateLayerUploadInput{RepositoryName: aws.String("nope")})
	wantErr(t, err, "RepositoryNotFoundException", "")

	out, err := e.c.BatchCheckLayerAvailability(ctx, &ecr.BatchCheckLayerAvailabilityInput{RepositoryName: aws.String("layers"),
		LayerDigests: []string{d, digestOf([]byte("absent")), "bogus"}})
	if err != nil || len(out.Layers) != 1 || out.Layers[0].LayerAvailability != types.LayerAvailabilityAvailable || aws.ToInt64(out.Layers[0].LayerSize) != 6 {
		t.Fatalf("BatchCheckLayerAvailability: %+v, %v", out, err)
	}
	if len(out.Failures) != 2 || out.Failures[0].FailureCode != types.LayerFailureCodeMissingLayerDigest || out.Failures[1].FailureCode != types.LayerFailureCodeInvalidLayerDigest {
		t.Fatalf("failures: %+v", out.Failures)
	}
}

// A download URL fetches the layer without docker login, only that layer,
// and not once tampered with.
func TestGetDownloadUrlForLayer(t *testing.T) {
	e := newEnv(t)
	e.createRepo("dl")
	e.createRepo("other")
	data := make([]byte, 3<<20)
	rand.Read(data)
	d := e.uploadLayer("dl", data, 1<<20)
	out, err := e.c.GetDownloadUrlForLayer(ctx, &ecr.GetDownloadUrlForLayerInput{RepositoryName: aws.String("dl"), LayerDigest: aws.String(d)})
	if err != nil || aws.ToString(out.LayerDigest) != d || !strings.HasPrefix(aws.ToString(out.DownloadUrl), "http://"+e.host+"/v2/dl/blobs/"+d+"?") {
		t.Fatalf("GetDownloadUrlForLayer: %+v, %v", out, err)
	}
	u, _ := url.Parse(aws.ToString(out.DownloadUrl))
	get := func(path, query string) (int, []byte) {
		req, _ := http.NewRequest(http.MethodGet, e.srv.URL()+path+"?"+query, nil)
		status, body, _ := do(t, req)
		return status, body
	}
	status, body := get(u.Path, u.RawQuery)
	if status != 200 || !bytes.Equal(body, data) {
		t.Fatalf("download: %d, %d bytes", status, len(body))
	}
	if status, _ := get("/v2/other/blobs/"+d, u.RawQuery); status != http.StatusUnauthorized {
		t.Fatalf("the URL's token opened another repository: %d", status)
	}
	if status, _ := get(u.Path, strings.Replace(u.RawQuery, "QSL1.", "QSL1.x", 1)); status != http.StatusUnauthorized {
		t.Fatalf("a tampered token worked: %d", status)
	}
	if status, _, _ := e.registry(http.MethodPut, "/v2/dl/manifests/x?"+u.RawQuery, "", []byte("{}"), nil); status != http.StatusUnauthorized {
		t.Fatalf("the URL's token pushed a manifest: %d", status)
	}
	_, err = e.c.GetDownloadUrlForLayer(ctx, &ecr.GetDownloadUrlForLayerInput{RepositoryName: aws.String("dl"), LayerDigest: aws.String(digestOf([]byte("nope")))})
	wantErr(t, err, "LayersNotFoundException", "")
	_, err = e.c.GetDownloadUrlForLayer(ctx, &ecr.GetDownloadUrlForLayerInput{RepositoryName: aws.String("dl"), LayerDigest: aws.String("sha256:zz")})
	wantErr(t, err, "InvalidParameterException", "")
}

// An image pushed with the layer API and PutImage pulls through the
// registry (/v2) with the GetAuthorizationToken password.
func TestPushWithLayerAPIPullWithRegistry(t *testing.T) {
	e := newEnv(t)
	e.createRepo("team/app")
	config, layer := imageContent("interop")
	big := make([]byte, 5<<20+123)
	rand.Read(big)
	e.uploadLayer("team/app", config, 1<<20)
	e.uploadLayer("team/app", layer, 1<<20)
	e.uploadLayer("team/app", big, 2<<20)
	body := manifest(config, layer, big)
	put, err := e.c.PutImage(ctx, &ecr.PutImageInput{RepositoryName: aws.String("team/app"), ImageManifest: aws.String(body), ImageTag: aws.String("1.0")})
	if err != nil {
		t.Fatal(err)
	}
	pw := e.password()
	status, got, hdr := e.registry(http.MethodGet, "/v2/team/app/manifests/1.0", pw, nil,
		map[string]string{"Accept": "application/vnd.docker.distribution.manifest.v2+json"})
	if status != 200 || string(got) != body || hdr.Get("Docker-Content-Digest") != aws.ToString(put.Image.ImageId.ImageDigest) {
		t.Fatalf("GET manifest: %d %s %v", status, got, hdr)
	}
	for _, blob := range [][]byte{config, layer, big} {
		status, got, _ := e.registry(http.MethodGet, "/v2/team/app/blobs/"+digestOf(blob), pw, nil, nil)
		if status != 200 || !bytes.Equal(got, blob) {
			t.Fatalf("GET blob: %d, %d bytes", status, len(got))
		}
	}
	status, tags, _ := e.registry(http.MethodGet, "/v2/team/app/tags/list", pw, nil, nil)
	if status != 200 || !strings.Contains(string(tags), `"1.0"`) {
		t.Fatalf("tags: %d %s", status, tags)
	}
	if status, _, _ := e.registry(http.MethodGet, "/v2/team/app/manifests/1.0", "", nil, nil); status != http.StatusUnauthorized {
		t.Fatalf("pull without the password: %d", status)
	}
}

// An image pushed through the registry (/v2) is described, fetched and
// downloaded through the ECR API.
func TestPushWithRegistryReadWithAPI(t *testing.T) {
	e := newEnv(t)
	e.createRepo("pushed")
	pw := e.password()
	config, layer := imageContent("via-v2")
	for _, blob := range [][]byte{config, layer} {
		status, body, _ := e.registry(http.MethodPost, "/v2/pushed/blobs/uploads/?digest="+digestOf(blob), pw, blob,
			map[string]string{"Content-Type": "application/octet-stream"})
		if status != http.StatusCreated {
			t.Fatalf("monolithic upload: %d %s", status, body)
		}
	}
	body := manifest(config, layer)
	status, resp, _ := e.registry(http.MethodPut, "/v2/pushed/manifests/v1", pw, []byte(body),
		map[string]string{"Content-Type": "application/vnd.docker.distribution.manifest.v2+json"})
	if status != http.StatusCreated {
		t.Fatalf("PUT manifest: %d %s", status, resp)
	}
	got, err := e.c.BatchGetImage(ctx, &ecr.BatchGetImageInput{RepositoryName: aws.String("pushed"), ImageIds: []types.ImageIdentifier{{ImageTag: aws.String("v1")}}})
	if err != nil || len(got.Images) != 1 || aws.ToString(got.Images[0].ImageManifest) != body {
		t.Fatalf("BatchGetImage: %+v, %v", got, err)
	}
	di, err := e.c.DescribeImages(ctx, &ecr.DescribeImagesInput{RepositoryName: aws.String("pushed")})
	if err != nil || len(di.ImageDetails) != 1 || aws.ToInt64(di.ImageDetails[0].ImageSizeInBytes) != int64(len(config)+len(layer)) {
		t.Fatalf("DescribeImages: %+v, %v", di, err)
	}
	avail, err := e.c.BatchCheckLayerAvailability(ctx, &ecr.BatchCheckLayerAvailabilityInput{RepositoryName: aws.String("pushed"), LayerDigests: []string{digestOf(layer)}})
	if err != nil || len(avail.Layers) != 1 {
		t.Fatalf("BatchCheckLayerAvailability: %+v, %v", avail, err)
	}
	dl, err := e.c.GetDownloadUrlForLayer(ctx, &ecr.GetDownloadUrlForLayerInput{RepositoryName: aws.String("pushed"), LayerDigest: aws.String(digestOf(layer))})
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(aws.ToString(dl.DownloadUrl))
	req, _ := http.NewRequest(http.MethodGet, e.srv.URL()+u.RequestURI(), nil)
	if status, b, _ := do(t, req); status != 200 || !bytes.Equal(b, layer) {
		t.Fatalf("download: %d %q", status, b)
	}
}
