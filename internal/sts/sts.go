// Package sts serves AWS Security Token Service over the Query protocol.
// GetCallerIdentity answers for the request's account; AssumeRole and
// GetSessionToken arrive with IAM.
package sts

import (
	"context"

	"github.com/quayside/quayside/internal/awsctx"
	"github.com/quayside/quayside/internal/protocol/awsquery"
	"github.com/quayside/quayside/internal/wire"
	"github.com/quayside/quayside/internal/wire/stswire"
)

// Service returns the STS Query service with its handlers mounted.
func Service() *awsquery.Service {
	s := awsquery.NewService("sts", stswire.APIVersion, stswire.XMLNamespace, false, stswire.Operations)
	awsquery.Handle(s, "GetCallerIdentity", getCallerIdentity)
	return s
}

// getCallerIdentity reports the account's root identity: requests are not
// yet authenticated, so every caller acts as the account.
func getCallerIdentity(ctx context.Context, _ *stswire.GetCallerIdentityRequest) (*stswire.GetCallerIdentityResponse, error) {
	m := awsctx.From(ctx)
	return &stswire.GetCallerIdentityResponse{
		Account: wire.String(m.Account),
		Arn:     wire.String("arn:aws:iam::" + m.Account + ":root"),
		UserId:  wire.String(m.Account),
	}, nil
}
