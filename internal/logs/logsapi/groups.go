package logsapi

import (
	"context"

	"github.com/quayside/quayside/internal/logs"
	"github.com/quayside/quayside/internal/protocol/awsjson"
	"github.com/quayside/quayside/internal/wire/logswire"
)

func (a *API) mountGroups(s *awsjson.Service) {
	handle(a, s, "CreateLogGroup", a.createLogGroup)
	handle(a, s, "DeleteLogGroup", a.deleteLogGroup)
	handle(a, s, "DescribeLogGroups", a.describeLogGroups)
	handle(a, s, "PutRetentionPolicy", a.putRetentionPolicy)
	handle(a, s, "DeleteRetentionPolicy", a.deleteRetentionPolicy)
	handle(a, s, "PutLogGroupDeletionProtection", a.putDeletionProtection)
}

type none = struct{}

func (a *API) createLogGroup(ctx context.Context, sc logs.Scope, in *logswire.CreateLogGroupRequest) (*none, error) {
	return nil, a.svc.CreateGroup(ctx, sc, logs.GroupSpec{
		Name: str(in.LogGroupName), KmsKeyID: str(in.KmsKeyId), Class: str(in.LogGroupClass),
		Tags: in.Tags, DeletionProtection: in.DeletionProtectionEnabled != nil && *in.DeletionProtectionEnabled,
	})
}

func (a *API) deleteLogGroup(ctx context.Context, sc logs.Scope, in *logswire.DeleteLogGroupRequest) (*none, error) {
	return nil, a.svc.DeleteGroup(ctx, sc, str(in.LogGroupName))
}

func (a *API) describeLogGroups(ctx context.Context, sc logs.Scope, in *logswire.DescribeLogGroupsRequest) (*logswire.DescribeLogGroupsResponse, error) {
	if in.LogGroupNamePrefix != nil && in.LogGroupNamePattern != nil {
		return nil, logs.InvalidParameter("LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.")
	}
	after, err := decodeToken("g1", in.NextToken)
	if err != nil {
		return nil, err
	}
	q := logs.GroupQuery{
		Prefix: str(in.LogGroupNamePrefix), Pattern: str(in.LogGroupNamePattern), Class: str(in.LogGroupClass),
		Identifiers: in.LogGroupIdentifiers, Limit: 50, After: after,
	}
	if in.Limit != nil {
		q.Limit = int(*in.Limit)
	}
	groups, next, err := a.svc.DescribeGroups(ctx, sc, q)
	if err != nil {
		return nil, err
	}
	out := &logswire.DescribeLogGroupsResponse{LogGroups: make([]logswire.LogGroup, 0, len(groups)), NextToken: encodeToken("g1", next)}
	for _, g := range groups {
		out.LogGroups = append(out.LogGroups, convertGroup(sc, g, in.LogGroupNamePattern != nil))
	}
	return out, nil
}

// convertGroup renders a log group. With a name pattern AWS answers only
// the name, ARN and creation time.
func convertGroup(sc logs.Scope, g logs.GroupInfo, brief bool) logswire.LogGroup {
	arn := logs.GroupARN(sc, g.Name)
	lg := logswire.LogGroup{LogGroupName: ptr(g.Name), CreationTime: ptr(g.Created), Arn: ptr(arn + ":*")}
	if brief {
		return lg
	}
	lg.MetricFilterCount = ptr(int64(0))
	lg.StoredBytes = ptr(g.StoredBytes)
	lg.LogGroupClass = ptr(g.Class)
	lg.LogGroupArn = ptr(arn)
	if g.RetentionDays > 0 {
		lg.RetentionInDays = ptr(int64(g.RetentionDays))
	}
	if g.KmsKeyID != "" {
		lg.KmsKeyId = ptr(g.KmsKeyID)
	}
	if g.DeletionProtection {
		lg.DeletionProtectionEnabled = ptr(true)
	}
	return lg
}

func (a *API) putRetentionPolicy(ctx context.Context, sc logs.Scope, in *logswire.PutRetentionPolicyRequest) (*none, error) {
	days := int64(0)
	if in.RetentionInDays != nil {
		days = *in.RetentionInDays
	}
	if days != int64(int(days)) {
		days = -1
	}
	return nil, a.svc.PutRetention(ctx, sc, str(in.LogGroupName), int(days))
}

func (a *API) deleteRetentionPolicy(ctx context.Context, sc logs.Scope, in *logswire.DeleteRetentionPolicyRequest) (*none, error) {
	return nil, a.svc.DeleteRetention(ctx, sc, str(in.LogGroupName))
}

func (a *API) putDeletionProtection(ctx context.Context, sc logs.Scope, in *logswire.PutLogGroupDeletionProtectionRequest) (*none, error) {
	name, err := logs.GroupName(sc, str(in.LogGroupIdentifier))
	if err != nil {
		return nil, err
	}
	return nil, a.svc.SetDeletionProtection(ctx, sc, name, in.DeletionProtectionEnabled != nil && *in.DeletionProtectionEnabled)
}
