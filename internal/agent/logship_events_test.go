package agent

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/quayside/quayside/internal/docker"
	"github.com/quayside/quayside/internal/logs"
)

func TestJoiner(t *testing.T) {
	t0 := time.Date(2024, 2, 29, 12, 0, 0, 0, time.UTC)
	at := func(i int) time.Time { return t0.Add(time.Duration(i) * time.Millisecond) }
	lines := func(texts ...string) []docker.LogLine {
		out := make([]docker.LogLine, len(texts))
		for i, s := range texts {
			out[i] = docker.LogLine{Stream: docker.Stdout, Text: s, Time: at(i)}
		}
		return out
	}
	ev := func(first int, msg string, last int) shipEvent {
		return shipEvent{logs.Event{Timestamp: at(first), Message: msg}, at(last)}
	}
	tests := []struct {
		name    string
		pattern string
		in      []docker.LogLine
		want    []shipEvent // complete events
		pending bool
		flushed []shipEvent // after flush
	}{
		{
			name: "one event per line", in: lines("a", "", "b"),
			want: []shipEvent{ev(0, "a", 0), ev(1, "", 1), ev(2, "b", 2)},
		},
		{
			name: "a matching line starts an event", pattern: `^\d{4}-`,
			in:      lines("2024-02-29 panic: boom", "goroutine 1:", "  main.go:12", "2024-02-29 next", "  more"),
			want:    []shipEvent{ev(0, "2024-02-29 panic: boom\ngoroutine 1:\n  main.go:12\n", 2)},
			pending: true,
			flushed: []shipEvent{ev(3, "2024-02-29 next\n  more\n", 4)},
		},
		{
			name: "lines before the first match form an event", pattern: `^START`,
			in:      lines("preamble", "more", "START x"),
			want:    []shipEvent{ev(0, "preamble\nmore\n", 1)},
			pending: true,
			flushed: []shipEvent{ev(2, "START x\n", 2)},
		},
		{
			name: "every line matches", pattern: `.`,
			in:      lines("a", "b"),
			want:    []shipEvent{ev(0, "a\n", 0)},
			pending: true,
			flushed: []shipEvent{ev(1, "b\n", 1)},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var re *regexp.Regexp
			if tc.pattern != "" {
				re = regexp.MustCompile(tc.pattern)
			}
			j := newJoiner(re)
			got := j.add(nil, tc.in, t0)
			opt := cmp.AllowUnexported(shipEvent{})
			if diff := cmp.Diff(tc.want, got, opt); diff != "" {
				t.Errorf("events (-want +got):\n%s", diff)
			}
			if _, pending := j.pendingSince(); pending != tc.pending {
				t.Errorf("pending = %v, want %v", pending, tc.pending)
			}
			if diff := cmp.Diff(tc.flushed, j.flush(nil), opt); diff != "" {
				t.Errorf("flushed (-want +got):\n%s", diff)
			}
			if _, pending := j.pendingSince(); pending {
				t.Error("pending after flush")
			}
		})
	}
}

// TestJoinerSplitsLargeEvents: an event that would outgrow the largest
// event is sent and continued in a new one with the same timestamp.
func TestJoinerSplitsLargeEvents(t *testing.T) {
	j := newJoiner(regexp.MustCompile(`^START`))
	j.maxBytes = 20
	t0 := time.Unix(1700000000, 0).UTC()
	in := []docker.LogLine{
		{Text: "START 1", Time: t0},
		{Text: "0123456789", Time: t0.Add(time.Second)},
		{Text: "abcdefghij", Time: t0.Add(2 * time.Second)},
	}
	got := j.flush(j.add(nil, in, t0))
	want := []string{"START 1\n0123456789\n", "abcdefghij\n"}
	if len(got) != len(want) {
		t.Fatalf("got %d events %+v, want %q", len(got), got, want)
	}
	for i := range got {
		if got[i].Message != want[i] || !got[i].Timestamp.Equal(t0) {
			t.Errorf("event %d: %q at %v, want %q at %v", i, got[i].Message, got[i].Timestamp, want[i], t0)
		}
	}
}

func TestNextBatch(t *testing.T) {
	small := make([]shipEvent, 12000)
	if n := nextBatch(small); n != maxBatchEvents {
		t.Errorf("12,000 empty events: batch of %d, want %d", n, maxBatchEvents)
	}
	big := make([]shipEvent, 10)
	for i := range big {
		big[i].Message = strings.Repeat("x", 256<<10-logs.EventOverhead)
	}
	if n := nextBatch(big); n != 4 {
		t.Errorf("256 KiB events: batch of %d, want 4 (1 MiB)", n)
	}
	huge := []shipEvent{{Event: logs.Event{Message: strings.Repeat("x", 2<<20)}}}
	if n := nextBatch(huge); n != 1 {
		t.Errorf("one event over the limit: batch of %d, want 1", n)
	}
	if n := nextBatch(nil); n != 0 {
		t.Errorf("no events: batch of %d", n)
	}
}
