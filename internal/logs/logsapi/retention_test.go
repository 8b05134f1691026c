package logsapi_test

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"

	"github.com/quayside/quayside/internal/logs"
	"github.com/quayside/quayside/internal/logs/logstore"
)

func diskBytes(t *testing.T, dir string) int64 {
	t.Helper()
	var n int64
	_ = filepath.Walk(dir, func(_ string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			n += info.Size()
		}
		return nil
	})
	return n
}

func (e *env) storedBytes(group string) int64 {
	e.t.Helper()
	out, err := e.c.DescribeLogGroups(e.ctx, &cloudwatchlogs.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String(group)})
	if err != nil {
		e.t.Fatal(err)
	}
	return aws.ToInt64(out.LogGroups[0].StoredBytes)
}

// TestRetentionDeletes checks that retention really deletes: the sweep,
// on an injected clock, removes expired events and their disk space.
func TestRetentionDeletes(t *testing.T) {
	e := newEnv(t, logs.Options{Store: logstore.Options{SegmentBytes: 8 << 10, BlockBytes: 1 << 10}})
	e.group("g")
	e.stream("g", "s")
	t0 := e.nowMS()
	hour := int64(time.Hour / time.Millisecond)
	// Four hours of events, 500 per hour, from t0-4h to t0.
	for h := int64(0); h < 4; h++ {
		var ms []string
		var ts []int64
		for i := int64(0); i < 500; i++ {
			ms = append(ms, fmt.Sprintf("hour %d event %03d %s", h, i, "padding padding padding padding"))
			ts = append(ts, t0-(4-h)*hour+i*hour/500)
		}
		e.put("g", "s", ts, ms...)
	}
	logsDir := filepath.Join(e.dir, "logs")
	before, stored := diskBytes(t, logsDir), e.storedBytes("g")
	if _, err := e.c.PutRetentionPolicy(e.ctx, &cloudwatchlogs.PutRetentionPolicyInput{LogGroupName: aws.String("g"), RetentionInDays: aws.Int32(1)}); err != nil {
		t.Fatal(err)
	}
	// Nothing has expired yet.
	if err := e.svc.Sweep(e.ctx); err != nil {
		t.Fatal(err)
	}
	if got := e.count("g", "s"); got != 2000 {
		t.Fatalf("%d events before anything expired", got)
	}
	// 21.5 hours later, a day's retention has removed the first 1.5 hours.
	e.clock.Add(24*time.Hour - 150*time.Minute)
	if err := e.svc.Sweep(e.ctx); err != nil {
		t.Fatal(err)
	}
	first, got := e.oldest("g", "s"), e.count("g", "s")
	if got != 1250 || first != "hour 1 event 250 padding padding padding padding" {
		t.Fatalf("after the sweep: %d events, oldest %q", got, first)
	}
	after := diskBytes(t, logsDir)
	if after > before*7/10 {
		t.Fatalf("disk use %d → %d: expired events still take space", before, after)
	}
	if s := e.storedBytes("g"); s >= stored {
		t.Fatalf("storedBytes %d → %d", stored, s)
	}
	// Later still, everything is gone; new events still go in.
	e.clock.Add(48 * time.Hour)
	if err := e.svc.Sweep(e.ctx); err != nil {
		t.Fatal(err)
	}
	if got := e.count("g", "s"); got != 0 {
		t.Fatalf("%d events after all expired", got)
	}
	e.put("g", "s", []int64{e.nowMS()}, "fresh")
	if got := e.count("g", "s"); got != 1 {
		t.Fatalf("%d events after a fresh put", got)
	}
	// Without a policy, the sweep keeps everything.
	if _, err := e.c.DeleteRetentionPolicy(e.ctx, &cloudwatchlogs.DeleteRetentionPolicyInput{LogGroupName: aws.String("g")}); err != nil {
		t.Fatal(err)
	}
	e.clock.Add(1000 * 24 * time.Hour)
	if err := e.svc.Sweep(e.ctx); err != nil {
		t.Fatal(err)
	}
	if got := e.count("g", "s"); got != 1 {
		t.Fatalf("%d events without retention", got)
	}
}

// TestSweepRemovesOrphans: files whose group or stream is gone from the
// metadata (a delete cut short by a crash) are removed by the sweep.
func TestSweepRemovesOrphans(t *testing.T) {
	e := newEnv(t)
	e.group("g")
	e.stream("g", "s")
	e.put("g", "s", []int64{e.nowMS()}, "keep me")
	ev := e.svc.Events()
	orphans := []logstore.StreamID{{Group: 9999, Stream: 1}, {Group: 1, Stream: 9999}}
	for _, id := range orphans {
		if _, _, err := ev.Append(id, []logstore.Input{{Timestamp: 1, Message: []byte("orphan")}}, 1); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.svc.Sweep(e.ctx); err != nil {
		t.Fatal(err)
	}
	for _, id := range orphans {
		if st, _ := ev.Stats(id); st.Count != 0 {
			t.Fatalf("orphan %v survives the sweep", id)
		}
	}
	if got := e.count("g", "s"); got != 1 {
		t.Fatalf("the sweep removed live events: %d left", got)
	}
}

func TestDiskFull(t *testing.T) {
	var mu sync.Mutex
	full := false
	e := newEnv(t, logs.Options{Store: logstore.Options{Fault: func(string) error {
		mu.Lock()
		defer mu.Unlock()
		if full {
			return syscall.ENOSPC
		}
		return nil
	}}})
	e.group("g")
	e.stream("g", "s")
	e.put("g", "s", []int64{e.nowMS()}, "before")
	mu.Lock()
	full = true
	mu.Unlock()
	_, err := e.c.PutLogEvents(e.ctx, &cloudwatchlogs.PutLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s"), LogEvents: events([]int64{e.nowMS()}, "lost")})
	wantErr(t, err, "ServiceUnavailableException", "out of disk space")
	e.stream("g", "new")
	_, err = e.c.PutLogEvents(e.ctx, &cloudwatchlogs.PutLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("new"), LogEvents: events([]int64{e.nowMS()}, "lost")})
	wantErr(t, err, "ServiceUnavailableException", "out of disk space")
	// Reads still work, and writes resume once there is room.
	if got := e.count("g", "s"); got != 1 {
		t.Fatalf("%d events while the disk is full", got)
	}
	mu.Lock()
	full = false
	mu.Unlock()
	e.put("g", "s", []int64{e.nowMS()}, "after")
	if got := fmt.Sprint(e.all("g", "s")); got != "[before after]" {
		t.Fatalf("stored %s", got)
	}
}

func (e *env) count(group, stream string) int {
	e.t.Helper()
	out, err := e.c.GetLogEvents(e.ctx, &cloudwatchlogs.GetLogEventsInput{LogGroupName: aws.String(group), LogStreamName: aws.String(stream), StartFromHead: aws.Bool(true)})
	if err != nil {
		e.t.Fatal(err)
	}
	return len(out.Events)
}

func (e *env) oldest(group, stream string) string {
	e.t.Helper()
	out, err := e.c.GetLogEvents(e.ctx, &cloudwatchlogs.GetLogEventsInput{LogGroupName: aws.String(group), LogStreamName: aws.String(stream), StartFromHead: aws.Bool(true), Limit: aws.Int32(1)})
	if err != nil || len(out.Events) == 0 {
		e.t.Fatalf("oldest: %v", err)
	}
	return aws.ToString(out.Events[0].Message)
}
