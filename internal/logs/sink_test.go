package logs

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/quayside/quayside/internal/store/boltstore"
)

var now = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

func newService(t testing.TB) *Service {
	t.Helper()
	dir := t.TempDir()
	st, err := boltstore.Open(filepath.Join(dir, "q.db"), boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s, err := Open(st, filepath.Join(dir, "logs"), Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close(); st.Close() })
	return s
}

var sc = Scope{Region: "us-east-1", Account: "000000000000"}

func stored(t *testing.T, s *Service, group, stream string) []StoredEvent {
	t.Helper()
	res, err := s.GetEvents(context.Background(), sc, group, stream, GetQuery{FromHead: true})
	if err != nil {
		t.Fatal(err)
	}
	return res.Events
}

func TestSinkGroupRules(t *testing.T) {
	s := newService(t)
	k, ctx := s.Sink(), context.Background()
	err := k.Prepare(ctx, sc.Region, sc.Account, "/ecs/demo-web", "web/web/1", false)
	var se *SinkError
	if !errors.As(err, &se) || se.Code != "ResourceNotFoundException" || se.Message != "The specified log group does not exist." ||
		se.Group != "/ecs/demo-web" || !errors.Is(err, ErrGroupNotFound) {
		t.Fatalf("missing group: %#v", err)
	}
	if err.Error() != "ResourceNotFoundException: The specified log group does not exist." {
		t.Fatalf("Error() = %q", err.Error())
	}
	if err := k.Put(ctx, sc.Region, sc.Account, "/ecs/demo-web", "web/web/1", []Event{{now, "x"}}, false); !errors.As(err, &se) {
		t.Fatalf("Put to a missing group: %v", err)
	}
	if err := k.Prepare(ctx, sc.Region, sc.Account, "/ecs/demo-web", "web/web/1", true); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetGroup(ctx, sc, "/ecs/demo-web"); err != nil {
		t.Fatalf("awslogs-create-group did not create the group: %v", err)
	}
	// An existing group: the stream is created without createGroup.
	if err := k.Put(ctx, sc.Region, sc.Account, "/ecs/demo-web", "web/web/2", []Event{{now, "x"}}, false); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ group, stream, code, msg string }{
		{"aws/ecs", "s", "InvalidParameterException", "Log groups starting with AWS/ are reserved for AWS."},
		{"bad:group", "s", "InvalidParameterException", "logGroupName"},
		{"/ecs/demo-web", "bad:stream", "InvalidParameterException", "logStreamName"},
	} {
		err := k.Put(ctx, sc.Region, sc.Account, c.group, c.stream, []Event{{now, "x"}}, true)
		if !errors.As(err, &se) || se.Code != c.code || !strings.Contains(se.Message, c.msg) {
			t.Fatalf("%s/%s: %v", c.group, c.stream, err)
		}
	}
	// Deleting the group through the API is seen by the sink at once.
	if err := s.DeleteGroup(ctx, sc, "/ecs/demo-web"); err != nil {
		t.Fatal(err)
	}
	if err := k.Put(ctx, sc.Region, sc.Account, "/ecs/demo-web", "web/web/1", []Event{{now, "x"}}, false); !errors.Is(err, ErrGroupNotFound) {
		t.Fatalf("Put after DeleteGroup: %v", err)
	}
}

func TestSinkEvents(t *testing.T) {
	s := newService(t)
	k, ctx := s.Sink(), context.Background()
	long := strings.Repeat("é", MaxMessageBytes/2+1) // 2 bytes per character: splits in two
	evs := []Event{
		{now.Add(2 * time.Millisecond), "third"},
		{now, "first"},
		{now.Add(time.Millisecond), "second"},
		{now.Add(time.Millisecond), "second, tie"},
		{now.Add(3 * time.Millisecond), ""},
		{now.Add(-30 * 24 * time.Hour), "a month old: no 14-day window"},
		{now.Add(5 * time.Hour), "five hours ahead: no 2-hour window"},
		{now.Add(4 * time.Millisecond), long},
	}
	if err := k.Put(ctx, sc.Region, sc.Account, "g", "s", evs, true); err != nil {
		t.Fatal(err)
	}
	got := stored(t, s, "g", "s")
	var msgs []string
	joined := ""
	for _, e := range got {
		if strings.HasPrefix(e.Message, "é") {
			if len(e.Message) > MaxMessageBytes {
				t.Fatalf("a piece of %d bytes", len(e.Message))
			}
			joined += e.Message
			continue
		}
		msgs = append(msgs, e.Message)
	}
	want := "[a month old: no 14-day window first second second, tie third five hours ahead: no 2-hour window]"
	if fmt.Sprint(msgs) != want || joined != long || len(got) != 8 {
		t.Fatalf("stored %d events: %v (long message rejoined: %v)", len(got), msgs, joined == long)
	}

	// With retention, events older than it are dropped.
	if err := s.PutRetention(ctx, sc, "g", 7); err != nil {
		t.Fatal(err)
	}
	if err := k.Put(ctx, sc.Region, sc.Account, "g", "s2", []Event{{now.Add(-8 * 24 * time.Hour), "expired"}, {now, "kept"}}, false); err != nil {
		t.Fatal(err)
	}
	if got := stored(t, s, "g", "s2"); len(got) != 1 || got[0].Message != "kept" {
		t.Fatalf("with retention: %+v", got)
	}

	// A large batch goes in whole, in order.
	var big []Event
	for i := 0; i < 30000; i++ {
		big = append(big, Event{now.Add(time.Duration(i) * time.Microsecond * 10), fmt.Sprintf("line %05d %s", i, strings.Repeat("x", 60))})
	}
	if err := k.Put(ctx, sc.Region, sc.Account, "g", "big", big, false); err != nil {
		t.Fatal(err)
	}
	res, err := s.GetEvents(ctx, sc, "g", "big", GetQuery{Limit: 1})
	if err != nil || len(res.Events) != 1 || !strings.HasPrefix(res.Events[0].Message, "line 29999") || res.Events[0].Seq != 30000 {
		t.Fatalf("last of the big batch: %+v %v", res.Events, err)
	}
}

// TestSinkSplitsBytesThatAreNotUTF8: a long message with no character
// boundary to cut at (bytes a container wrote that are not UTF-8) is
// still cut into pieces, and stored whole.
func TestSinkSplitsBytesThatAreNotUTF8(t *testing.T) {
	s := newService(t)
	msg := strings.Repeat("\x80", MaxMessageBytes+10)
	if err := s.Sink().Put(context.Background(), sc.Region, sc.Account, "g", "s", []Event{{now, msg}}, true); err != nil {
		t.Fatal(err)
	}
	got := stored(t, s, "g", "s")
	if len(got) != 2 || got[0].Message+got[1].Message != msg {
		t.Fatalf("stored %d pieces; want the message in 2", len(got))
	}
}
