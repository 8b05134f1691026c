package logs

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/logs/logstore"
	"github.com/quayside/quayside/internal/store"
)

// CreateStream creates a log stream in a group.
func (s *Service) CreateStream(ctx context.Context, sc Scope, group, name string) error {
	_, err := s.createStream(ctx, sc, group, name)
	return err
}

func (s *Service) createStream(ctx context.Context, sc Scope, group, name string) (st Stream, err error) {
	err = s.meta.Update(ctx, func(tx store.Tx) error {
		g, err := getGroup(tx, sc, group)
		if err != nil {
			return err
		}
		key := streamKey(sc, group, name)
		if _, err := tx.Get(tableStreams, key); err == nil {
			return fault.New(ErrAlreadyExists, msgStreamExists)
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		id, err := tx.NextSequence(seqIDs)
		if err != nil {
			return err
		}
		st = Stream{ID: id, GroupID: g.ID, Name: name, Created: s.nowMS()}
		return store.Put(tx, tableStreams, key, st)
	})
	return st, err
}

// DeleteStream deletes a log stream and its events.
func (s *Service) DeleteStream(ctx context.Context, sc Scope, group, name string) error {
	var st Stream
	err := s.meta.Update(ctx, func(tx store.Tx) error {
		var err error
		if _, st, err = s.lookup(tx, sc, group, name); err != nil {
			return err
		}
		return tx.Delete(tableStreams, streamKey(sc, group, name))
	})
	if err != nil {
		return err
	}
	s.forget(sc, group, name)
	if err := s.events.DeleteStream(st.storeID()); err != nil {
		s.log.Warn("log stream deleted, its files not yet", "group", group, "stream", name, "err", err)
	}
	return nil
}

// StreamQuery selects the streams of a group for DescribeStreams.
type StreamQuery struct {
	Prefix      string // names starting with Prefix (not with OrderByTime)
	OrderByTime bool   // by last event time instead of by name
	Descending  bool
	Limit       int
	After       string // the resume token from the last page
}

// StreamInfo is a described stream: its metadata and event summary.
type StreamInfo struct {
	Stream
	Stats logstore.Stats
}

// DescribeStreams lists a group's streams.
func (s *Service) DescribeStreams(ctx context.Context, sc Scope, group string, q StreamQuery) (out []StreamInfo, next string, err error) {
	if q.OrderByTime && q.Prefix != "" {
		return nil, "", invalid("Cannot order by LastEventTime with a logStreamNamePrefix.")
	}
	ascByName := !q.OrderByTime && !q.Descending
	var all []Stream
	err = s.meta.View(ctx, func(tx store.ReadTx) error {
		if _, err := getGroup(tx, sc, group); err != nil {
			return err
		}
		after := ""
		if ascByName && q.After != "" {
			after = streamKey(sc, group, q.After)
		}
		return tx.Scan(tableStreams, streamPrefix(sc, group)+q.Prefix, after, func(_ string, v []byte) error {
			st, err := decode[Stream](v)
			all = append(all, st)
			if ascByName && len(all) > q.Limit {
				return store.ErrStop
			}
			return err
		})
	})
	if err != nil {
		return nil, "", err
	}
	infos := make([]StreamInfo, len(all))
	for i, st := range all {
		infos[i].Stream = st
	}
	order := func(a, b StreamInfo) int { return strings.Compare(a.Name, b.Name) }
	if q.OrderByTime {
		for i := range infos {
			if infos[i].Stats, err = s.events.Stats(infos[i].storeID()); err != nil {
				return nil, "", storeErr(err)
			}
		}
		order = func(a, b StreamInfo) int {
			return cmp.Or(cmp.Compare(lastEvent(a), lastEvent(b)), strings.Compare(a.Name, b.Name))
		}
		slices.SortStableFunc(infos, order)
	}
	if q.Descending {
		slices.Reverse(infos)
	}
	if !ascByName && q.After != "" {
		// Resume after the token's place in the order, even if that
		// stream has moved or gone since.
		mark, ok := parsePageToken(q.After, q.OrderByTime)
		if !ok {
			return nil, "", invalid("The specified nextToken is not valid.")
		}
		i := slices.IndexFunc(infos, func(si StreamInfo) bool {
			c := order(si, mark)
			return (!q.Descending && c > 0) || (q.Descending && c < 0)
		})
		if i < 0 {
			i = len(infos)
		}
		infos = infos[i:]
	}
	if len(infos) > q.Limit {
		infos = infos[:q.Limit]
		next = pageToken(infos[q.Limit-1], q.OrderByTime)
	}
	if !q.OrderByTime {
		for i := range infos {
			if infos[i].Stats, err = s.events.Stats(infos[i].storeID()); err != nil {
				return nil, "", storeErr(err)
			}
		}
	}
	return infos, next, nil
}

func lastEvent(si StreamInfo) int64 {
	if si.Stats.Count == 0 {
		return 0
	}
	return si.Stats.MaxTS
}

// pageToken is where a DescribeStreams page ended: the stream's name,
// with its last event time when ordered by time.
func pageToken(si StreamInfo, byTime bool) string {
	if byTime {
		return strconv.FormatInt(lastEvent(si), 10) + "/" + si.Name
	}
	return si.Name
}

func parsePageToken(tok string, byTime bool) (StreamInfo, bool) {
	if !byTime {
		return StreamInfo{Stream: Stream{Name: tok}}, true
	}
	ts, name, ok := strings.Cut(tok, "/")
	n, err := strconv.ParseInt(ts, 10, 64)
	if !ok || err != nil {
		return StreamInfo{}, false
	}
	si := StreamInfo{Stream: Stream{Name: name}}
	if n != 0 {
		si.Stats = logstore.Stats{Count: 1, MaxTS: n}
	}
	return si, true
}
