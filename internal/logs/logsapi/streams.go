package logsapi

import (
	"context"

	"github.com/quayside/quayside/internal/logs"
	"github.com/quayside/quayside/internal/protocol/awsjson"
	"github.com/quayside/quayside/internal/wire/logswire"
)

func (a *API) mountStreams(s *awsjson.Service) {
	handle(a, s, "CreateLogStream", a.createLogStream)
	handle(a, s, "DeleteLogStream", a.deleteLogStream)
	handle(a, s, "DescribeLogStreams", a.describeLogStreams)
}

func (a *API) createLogStream(ctx context.Context, sc logs.Scope, in *logswire.CreateLogStreamRequest) (*none, error) {
	return nil, a.svc.CreateStream(ctx, sc, str(in.LogGroupName), str(in.LogStreamName))
}

func (a *API) deleteLogStream(ctx context.Context, sc logs.Scope, in *logswire.DeleteLogStreamRequest) (*none, error) {
	return nil, a.svc.DeleteStream(ctx, sc, str(in.LogGroupName), str(in.LogStreamName))
}

// groupParam resolves the logGroupName / logGroupIdentifier pair that
// the read APIs take: exactly one must be given.
func groupParam(sc logs.Scope, name, ident *string) (string, error) {
	switch {
	case name != nil && ident != nil:
		return "", logs.InvalidParameter("LogGroup name and LogGroup ARN are mutually exclusive parameters.")
	case name != nil:
		return *name, nil
	case ident != nil:
		return logs.GroupName(sc, *ident)
	}
	return "", logs.InvalidParameter("Either logGroupName or logGroupIdentifier must be specified.")
}

func (a *API) describeLogStreams(ctx context.Context, sc logs.Scope, in *logswire.DescribeLogStreamsRequest) (*logswire.DescribeLogStreamsResponse, error) {
	group, err := groupParam(sc, in.LogGroupName, in.LogGroupIdentifier)
	if err != nil {
		return nil, err
	}
	after, err := decodeToken("s1", in.NextToken)
	if err != nil {
		return nil, err
	}
	q := logs.StreamQuery{
		Prefix: str(in.LogStreamNamePrefix), OrderByTime: str(in.OrderBy) == logswire.OrderByLasteventtime,
		Descending: in.Descending != nil && *in.Descending, Limit: 50, After: after,
	}
	if in.Limit != nil {
		q.Limit = int(*in.Limit)
	}
	streams, next, err := a.svc.DescribeStreams(ctx, sc, group, q)
	if err != nil {
		return nil, err
	}
	out := &logswire.DescribeLogStreamsResponse{LogStreams: make([]logswire.LogStream, 0, len(streams)), NextToken: encodeToken("s1", next)}
	for _, st := range streams {
		ls := logswire.LogStream{
			LogStreamName: ptr(st.Name), CreationTime: ptr(st.Created),
			Arn: ptr(logs.StreamARN(sc, group, st.Name)), StoredBytes: ptr(int64(0)), // AWS: always 0 since 2019
		}
		if st.Stats.Count > 0 {
			ls.FirstEventTimestamp = ptr(st.Stats.MinTS)
			ls.LastEventTimestamp = ptr(st.Stats.MaxTS)
			ls.LastIngestionTime = ptr(st.Stats.MaxIngest)
		}
		if st.Stats.LastSeq > 0 {
			ls.UploadSequenceToken = ptr(logs.SequenceToken(st.Stats.LastSeq))
		}
		out.LogStreams = append(out.LogStreams, ls)
	}
	return out, nil
}
