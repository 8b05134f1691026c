package logsapi

import (
	"context"
	"errors"

	"github.com/quayside/quayside/internal/logs"
	"github.com/quayside/quayside/internal/logs/filter"
	"github.com/quayside/quayside/internal/protocol/awsjson"
	"github.com/quayside/quayside/internal/wire/logswire"
)

func (a *API) mountEvents(s *awsjson.Service) {
	handle(a, s, "PutLogEvents", a.putLogEvents)
	handle(a, s, "GetLogEvents", a.getLogEvents)
	handle(a, s, "FilterLogEvents", a.filterLogEvents)
}

// putLogEvents stores a batch. sequenceToken is accepted and ignored, as
// AWS has done since January 2023.
func (a *API) putLogEvents(ctx context.Context, sc logs.Scope, in *logswire.PutLogEventsRequest) (*logswire.PutLogEventsResponse, error) {
	evs := make([]logs.InputEvent, len(in.LogEvents))
	for i, e := range in.LogEvents {
		if e.Timestamp != nil {
			evs[i].Timestamp = *e.Timestamp
		}
		evs[i].Message = str(e.Message)
	}
	res, err := a.svc.PutEvents(ctx, sc, str(in.LogGroupName), str(in.LogStreamName), evs)
	if err != nil {
		return nil, err
	}
	out := &logswire.PutLogEventsResponse{NextSequenceToken: ptr(res.NextSequenceToken)}
	if r := res.Rejected; r != nil {
		out.RejectedLogEventsInfo = &logswire.RejectedLogEventsInfo{
			TooNewLogEventStartIndex: int64p(r.TooNewStart),
			TooOldLogEventEndIndex:   int64p(r.TooOldEnd),
			ExpiredLogEventEndIndex:  int64p(r.ExpiredEnd),
		}
	}
	return out, nil
}

func int64p(p *int) *int64 {
	if p == nil {
		return nil
	}
	return ptr(int64(*p))
}

func (a *API) getLogEvents(ctx context.Context, sc logs.Scope, in *logswire.GetLogEventsRequest) (*logswire.GetLogEventsResponse, error) {
	group, err := groupParam(sc, in.LogGroupName, in.LogGroupIdentifier)
	if err != nil {
		return nil, err
	}
	tok, err := parsePosition(in.NextToken)
	if err != nil {
		return nil, err
	}
	q := logs.GetQuery{Start: in.StartTime, End: in.EndTime, FromHead: in.StartFromHead != nil && *in.StartFromHead, Token: tok}
	if in.Limit != nil {
		q.Limit = int(*in.Limit)
	}
	res, err := a.svc.GetEvents(ctx, sc, group, str(in.LogStreamName), q)
	if err != nil {
		return nil, err
	}
	out := &logswire.GetLogEventsResponse{
		Events:           make([]logswire.OutputLogEvent, len(res.Events)),
		NextForwardToken: positionToken(res.Forward), NextBackwardToken: positionToken(res.Backward),
	}
	for i, e := range res.Events {
		out.Events[i] = logswire.OutputLogEvent{Timestamp: ptr(e.Timestamp), Message: ptr(e.Message), IngestionTime: ptr(e.Ingestion)}
	}
	return out, nil
}

// filterLogEvents searches a group. interleaved is deprecated and
// ignored (results are always interleaved); unmask has no effect since
// Quayside has no data protection policies.
func (a *API) filterLogEvents(ctx context.Context, sc logs.Scope, in *logswire.FilterLogEventsRequest) (*logswire.FilterLogEventsResponse, error) {
	group, err := groupParam(sc, in.LogGroupName, in.LogGroupIdentifier)
	if err != nil {
		return nil, err
	}
	if len(in.LogStreamNames) > 0 && in.LogStreamNamePrefix != nil {
		return nil, logs.InvalidParameter("logStreamNames and logStreamNamePrefix are mutually exclusive parameters.")
	}
	if in.StartTime != nil && in.EndTime != nil && *in.EndTime < *in.StartTime {
		return nil, logs.InvalidParameter("endTime must be greater than or equal to startTime.")
	}
	pat, err := filter.Parse(str(in.FilterPattern))
	if err != nil {
		var fe *filter.Error
		if errors.As(err, &fe) {
			return nil, logs.InvalidParameter(fe.Error())
		}
		return nil, err
	}
	after, err := parseFilterToken(in.NextToken)
	if err != nil {
		return nil, err
	}
	q := logs.FilterQuery{
		Group: group, StreamNames: in.LogStreamNames, StreamPrefix: str(in.LogStreamNamePrefix),
		Start: in.StartTime, End: in.EndTime, Pattern: pat, After: after,
	}
	if in.Limit != nil {
		q.Limit = int(*in.Limit)
	}
	res, err := a.svc.FilterEvents(ctx, sc, q)
	if err != nil {
		return nil, err
	}
	// searchedLogStreams has been an empty list since May 2020.
	out := &logswire.FilterLogEventsResponse{
		Events:             make([]logswire.FilteredLogEvent, len(res.Events)),
		SearchedLogStreams: []logswire.SearchedLogStream{},
		NextToken:          filterToken(res.Next),
	}
	for i, e := range res.Events {
		out.Events[i] = logswire.FilteredLogEvent{
			LogStreamName: ptr(e.Stream), Timestamp: ptr(e.Timestamp), Message: ptr(e.Message),
			IngestionTime: ptr(e.Ingestion), EventId: ptr(logs.EventID(e)),
		}
	}
	return out, nil
}
