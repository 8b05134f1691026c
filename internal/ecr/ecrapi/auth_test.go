package ecrapi_test

import (
	"encoding/base64"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecr"
)

func TestGetAuthorizationToken(t *testing.T) {
	e := newEnv(t)
	out, err := e.c.GetAuthorizationToken(ctx, &ecr.GetAuthorizationTokenInput{})
	if err != nil || len(out.AuthorizationData) != 1 {
		t.Fatalf("GetAuthorizationToken: %+v, %v", out, err)
	}
	ad := out.AuthorizationData[0]
	if aws.ToString(ad.ProxyEndpoint) != "http://"+e.host || !strings.HasPrefix(e.host, "localhost:") {
		t.Fatalf("proxyEndpoint = %s", aws.ToString(ad.ProxyEndpoint))
	}
	if left := time.Until(*ad.ExpiresAt); left < 11*time.Hour || left > 12*time.Hour {
		t.Fatalf("expiresAt in %v, want 12 h", left)
	}
	raw, err := base64.StdEncoding.DecodeString(aws.ToString(ad.AuthorizationToken))
	if err != nil || !strings.HasPrefix(string(raw), "AWS:") {
		t.Fatalf("token %q: %v", raw, err)
	}
	// What `docker login --username AWS --password-stdin` sends back.
	if status, _, _ := e.registry(http.MethodGet, "/v2/", strings.TrimPrefix(string(raw), "AWS:"), nil, nil); status != 200 {
		t.Fatalf("GET /v2/ with the token: %d", status)
	}
	if status, _, _ := e.registry(http.MethodGet, "/v2/", "forged", nil, nil); status != http.StatusUnauthorized {
		t.Fatalf("GET /v2/ with a forged token: %d", status)
	}
	_, err = e.c.GetAuthorizationToken(ctx, &ecr.GetAuthorizationTokenInput{RegistryIds: []string{"111111111111"}})
	wantErr(t, err, "InvalidParameterException", "")
}

func TestDescribeRegistry(t *testing.T) {
	e := newEnv(t)
	out, err := e.c.DescribeRegistry(ctx, &ecr.DescribeRegistryInput{})
	if err != nil || aws.ToString(out.RegistryId) != account || out.ReplicationConfiguration == nil || len(out.ReplicationConfiguration.Rules) != 0 {
		t.Fatalf("DescribeRegistry: %+v, %v", out, err)
	}
}
