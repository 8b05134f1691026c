// Package ec2api serves EC2 networking over the EC2 Query protocol (API
// version 2016-11-15): it turns ec2wire requests into calls on
// ec2.Service and the results back into ec2wire responses.
//
// Handlers per concern: network.go (VPCs, subnets, zones, regions),
// groups.go (security groups and rules), tags.go, enis.go (network
// interfaces of awsvpc tasks). Conversions live in convert.go. Errors are
// fault errors; awserr maps them to EC2's codes, which awsquery renders
// in EC2's <Response><Errors> shape.
package ec2api

import (
	"context"

	"github.com/quayside/quayside/internal/awsctx"
	"github.com/quayside/quayside/internal/ec2"
	"github.com/quayside/quayside/internal/protocol/awsquery"
	"github.com/quayside/quayside/internal/wire/ec2wire"
)

// API serves EC2.
type API struct {
	svc *ec2.Service
}

// New returns the API over the EC2 service.
func New(svc *ec2.Service) *API { return &API{svc: svc} }

// Service returns the EC2 Query service with every supported operation.
func (a *API) Service() *awsquery.Service {
	s := awsquery.NewService("ec2", ec2wire.APIVersion, ec2wire.XMLNamespace, true, ec2wire.Operations)
	awsquery.Handle(s, "DescribeVpcs", a.describeVpcs)
	awsquery.Handle(s, "CreateVpc", a.createVpc)
	awsquery.Handle(s, "DeleteVpc", a.deleteVpc)
	awsquery.Handle(s, "DescribeSubnets", a.describeSubnets)
	awsquery.Handle(s, "CreateSubnet", a.createSubnet)
	awsquery.Handle(s, "DeleteSubnet", a.deleteSubnet)
	awsquery.Handle(s, "DescribeAvailabilityZones", a.describeAvailabilityZones)
	awsquery.Handle(s, "DescribeRegions", a.describeRegions)
	awsquery.Handle(s, "DescribeSecurityGroups", a.describeSecurityGroups)
	awsquery.Handle(s, "CreateSecurityGroup", a.createSecurityGroup)
	awsquery.Handle(s, "DeleteSecurityGroup", a.deleteSecurityGroup)
	awsquery.Handle(s, "AuthorizeSecurityGroupIngress", a.authorizeIngress)
	awsquery.Handle(s, "AuthorizeSecurityGroupEgress", a.authorizeEgress)
	awsquery.Handle(s, "RevokeSecurityGroupIngress", a.revokeIngress)
	awsquery.Handle(s, "RevokeSecurityGroupEgress", a.revokeEgress)
	awsquery.Handle(s, "DescribeSecurityGroupRules", a.describeSecurityGroupRules)
	awsquery.Handle(s, "CreateTags", a.createTags)
	awsquery.Handle(s, "DeleteTags", a.deleteTags)
	awsquery.Handle(s, "DescribeTags", a.describeTags)
	awsquery.Handle(s, "DescribeNetworkInterfaces", a.describeNetworkInterfaces)
	return s
}

// scope is the region and account of the request.
func scope(ctx context.Context) ec2.Scope {
	m := awsctx.From(ctx)
	return ec2.Scope{Region: m.Region, Account: m.Account}
}

// dryRun answers a DryRun request: every caller is allowed.
func dryRun(p *bool) error {
	if p != nil && *p {
		return ec2.DryRun()
	}
	return nil
}

// done is the output of operations whose model has none: EC2 answers
// them with <return>true</return>.
type done struct {
	Return bool `xml:"return"`
}

var ok = &done{Return: true}
