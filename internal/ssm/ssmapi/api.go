// Package ssmapi serves SSM Parameter Store over AWS JSON 1.1 (target
// prefix AmazonSSM): it turns ssmwire requests into calls on
// ssm.ParameterStore and the results back into ssmwire responses.
//
// Handlers per concern: parameters.go (Put, Get, GetParameters, by path,
// delete), metadata.go (DescribeParameters, history, labels) and tags.go.
// Conversions live in convert.go. Errors are fault errors; awserr maps
// them to SSM's exceptions.
package ssmapi

import (
	"context"
	"time"

	"github.com/quayside/quayside/internal/awsctx"
	"github.com/quayside/quayside/internal/protocol/awsjson"
	"github.com/quayside/quayside/internal/secretbox"
	"github.com/quayside/quayside/internal/ssm"
	"github.com/quayside/quayside/internal/store"
	"github.com/quayside/quayside/internal/wire/ssmwire"
)

// Options configure the API.
type Options struct {
	Now func() time.Time // default time.Now
}

// API serves Parameter Store.
type API struct {
	ps *ssm.ParameterStore
}

// New returns the API over a store, sealing SecureStrings with box.
func New(st store.Store, box *secretbox.Box, o Options) *API {
	return &API{ps: ssm.NewParameterStore(st, box, o.Now)}
}

// Service returns the AWS JSON service with every supported operation.
func (a *API) Service() *awsjson.Service {
	s := awsjson.NewService("ssm", ssmwire.TargetPrefix, ssmwire.JSONVersion, ssmwire.Operations)
	awsjson.Handle(s, "PutParameter", a.putParameter)
	awsjson.Handle(s, "GetParameter", a.getParameter)
	awsjson.Handle(s, "GetParameters", a.getParameters)
	awsjson.Handle(s, "GetParametersByPath", a.getParametersByPath)
	awsjson.Handle(s, "DeleteParameter", a.deleteParameter)
	awsjson.Handle(s, "DeleteParameters", a.deleteParameters)
	awsjson.Handle(s, "DescribeParameters", a.describeParameters)
	awsjson.Handle(s, "GetParameterHistory", a.getParameterHistory)
	awsjson.Handle(s, "LabelParameterVersion", a.labelParameterVersion)
	awsjson.Handle(s, "UnlabelParameterVersion", a.unlabelParameterVersion)
	awsjson.Handle(s, "AddTagsToResource", a.addTagsToResource)
	awsjson.Handle(s, "ListTagsForResource", a.listTagsForResource)
	awsjson.Handle(s, "RemoveTagsFromResource", a.removeTagsFromResource)
	return s
}

// scope is the region and account of the request.
func scope(ctx context.Context) ssm.Scope {
	m := awsctx.From(ctx)
	return ssm.Scope{Region: m.Region, Account: m.Account}
}

// caller is the ARN recorded as LastModifiedUser.
func caller(ctx context.Context) string {
	return "arn:aws:iam::" + awsctx.From(ctx).Account + ":root"
}

func maxResults(p *int64, def int) int {
	if p == nil || *p <= 0 {
		return def
	}
	return int(*p)
}
