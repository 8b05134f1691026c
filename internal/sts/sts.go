// Package sts serves AWS Security Token Service over the Query protocol:
// GetCallerIdentity, AssumeRole and GetSessionToken. Roles, trust
// policies and the sessions handed out live in package iam.
//
// Requests are not authenticated yet, so a request signed with any key
// acts as the account root (arn:aws:iam::<account>:root), except one
// signed with an access key that AssumeRole or GetSessionToken handed out
// and that has not expired: it acts as that session (its assumed-role
// ARN), as in AWS.
package sts

import (
	"context"
	"time"

	"github.com/quayside/quayside/internal/awsctx"
	"github.com/quayside/quayside/internal/iam"
	"github.com/quayside/quayside/internal/policy"
	"github.com/quayside/quayside/internal/protocol/awsquery"
	"github.com/quayside/quayside/internal/wire"
	"github.com/quayside/quayside/internal/wire/stswire"
)

// Sessions is what STS needs of IAM.
type Sessions interface {
	AssumeRole(ctx context.Context, account string, in iam.AssumeRoleInput) (iam.Credentials, error)
	GetSessionToken(ctx context.Context, account string, caller policy.Caller, d time.Duration) (iam.Credentials, error)
	LookupSession(ctx context.Context, account, accessKeyID string) (iam.Session, bool, error)
}

var _ Sessions = (*iam.Service)(nil)

type api struct{ sessions Sessions }

// Service returns the STS Query service with its handlers mounted.
func Service(sessions Sessions) *awsquery.Service {
	a := &api{sessions: sessions}
	s := awsquery.NewService("sts", stswire.APIVersion, stswire.XMLNamespace, false, stswire.Operations)
	awsquery.Handle(s, "GetCallerIdentity", a.getCallerIdentity)
	awsquery.Handle(s, "AssumeRole", a.assumeRole)
	awsquery.Handle(s, "GetSessionToken", a.getSessionToken)
	return s
}

// identity is who signed the request: the account root, or a session
// STS handed out.
type identity struct {
	caller policy.Caller
	userID string
}

func (a *api) identity(ctx context.Context) (identity, error) {
	m := awsctx.From(ctx)
	root := identity{caller: policy.Caller{Type: policy.PrincipalAWS, ID: "arn:aws:iam::" + m.Account + ":root"}, userID: m.Account}
	if m.AccessKey == "" {
		return root, nil
	}
	sess, ok, err := a.sessions.LookupSession(ctx, m.Account, m.AccessKey)
	if err != nil || !ok {
		return root, err
	}
	id := identity{caller: policy.Caller{Type: policy.PrincipalAWS, ID: sess.ARN}, userID: m.Account}
	if sess.Type == iam.SessionAssumedRole {
		id.userID = sess.RoleID + ":" + sess.Name
	}
	return id, nil
}

// getCallerIdentity reports who signed the request.
func (a *api) getCallerIdentity(ctx context.Context, _ *stswire.GetCallerIdentityRequest) (*stswire.GetCallerIdentityResponse, error) {
	id, err := a.identity(ctx)
	if err != nil {
		return nil, err
	}
	return &stswire.GetCallerIdentityResponse{
		Account: wire.String(awsctx.From(ctx).Account),
		Arn:     wire.String(id.caller.ID),
		UserId:  wire.String(id.userID),
	}, nil
}

func credentialsOut(c iam.Credentials) *stswire.Credentials {
	return &stswire.Credentials{
		AccessKeyId: wire.String(c.AccessKeyID), SecretAccessKey: wire.String(c.SecretAccessKey),
		SessionToken: wire.String(c.SessionToken), Expiration: wire.NewTime(c.Expiration),
	}
}

func (a *api) assumeRole(ctx context.Context, in *stswire.AssumeRoleRequest) (*stswire.AssumeRoleResponse, error) {
	id, err := a.identity(ctx)
	if err != nil {
		return nil, err
	}
	m := awsctx.From(ctx)
	in2 := iam.AssumeRoleInput{Caller: id.caller, RoleARN: wire.ToString(in.RoleArn), SessionName: wire.ToString(in.RoleSessionName),
		Policy: wire.ToString(in.Policy), Region: m.Region}
	if in.DurationSeconds != nil {
		in2.Duration = time.Duration(*in.DurationSeconds) * time.Second
	}
	c, err := a.sessions.AssumeRole(ctx, m.Account, in2)
	if err != nil {
		return nil, err
	}
	return &stswire.AssumeRoleResponse{
		Credentials:     credentialsOut(c),
		AssumedRoleUser: &stswire.AssumedRoleUser{AssumedRoleId: wire.String(c.RoleID + ":" + c.Name), Arn: wire.String(c.ARN)},
		SourceIdentity:  in.SourceIdentity,
	}, nil
}

func (a *api) getSessionToken(ctx context.Context, in *stswire.GetSessionTokenRequest) (*stswire.GetSessionTokenResponse, error) {
	id, err := a.identity(ctx)
	if err != nil {
		return nil, err
	}
	var d time.Duration
	if in.DurationSeconds != nil {
		d = time.Duration(*in.DurationSeconds) * time.Second
	}
	c, err := a.sessions.GetSessionToken(ctx, awsctx.From(ctx).Account, id.caller, d)
	if err != nil {
		return nil, err
	}
	return &stswire.GetSessionTokenResponse{Credentials: credentialsOut(c)}, nil
}
