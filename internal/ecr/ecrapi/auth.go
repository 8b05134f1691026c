package ecrapi

import (
	"context"

	"github.com/quayside/quayside/internal/protocol/awsjson"
	"github.com/quayside/quayside/internal/wire"
	"github.com/quayside/quayside/internal/wire/ecrwire"
)

type (
	getAuthorizationTokenIn struct {
		ecrwire.GetAuthorizationTokenRequest
		unchecked
	}
	describeRegistryIn struct {
		ecrwire.DescribeRegistryRequest
		unchecked
	}
)

func (a *API) mountAuth(s *awsjson.Service) {
	handle(a, s, "GetAuthorizationToken", a.getAuthorizationToken)
	handle(a, s, "DescribeRegistry", a.describeRegistry)
}

// getAuthorizationToken issues a registry token for the caller's account
// and region: base64("AWS:<token>"), valid 12 hours, which `docker login`
// sends back and the registry checks (ecrauth). proxyEndpoint is the
// registry Quayside serves, http://localhost:<port>: Docker allows plain
// HTTP to loopback registries.
func (a *API) getAuthorizationToken(ctx context.Context, c *call, in *getAuthorizationTokenIn) (*ecrwire.GetAuthorizationTokenResponse, error) {
	for _, id := range in.RegistryIds {
		if err := c.checkRegistry(id); err != nil {
			return nil, err
		}
	}
	token, exp := a.reg.Auth().AuthorizationToken(c.scope.Account, c.scope.Region, a.now())
	return &ecrwire.GetAuthorizationTokenResponse{AuthorizationData: []ecrwire.AuthorizationData{{
		AuthorizationToken: wire.String(token),
		ExpiresAt:          wire.NewTime(exp),
		ProxyEndpoint:      wire.String("http://" + a.host()),
	}}}, nil
}

// describeRegistry reports the caller's registry; Quayside replicates
// nothing, so the replication configuration has no rules.
func (a *API) describeRegistry(ctx context.Context, c *call, in *describeRegistryIn) (*ecrwire.DescribeRegistryResponse, error) {
	return &ecrwire.DescribeRegistryResponse{
		RegistryId:               c.registryID(),
		ReplicationConfiguration: &ecrwire.ReplicationConfiguration{Rules: []ecrwire.ReplicationRule{}},
	}, nil
}
