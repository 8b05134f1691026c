package agent

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/quayside/quayside/internal/docker"
)

// message is one message of a container's output as Docker's copier
// hands it to the log driver: a line with its newline, or a piece of a
// longer one without.
type message struct {
	stream docker.Stream
	text   string
	time   time.Time
}

// asFrames is the logs endpoint's stream of msgs: multiplexed frames with
// timestamps. The daemon stored each invalid UTF-8 byte as U+FFFD.
func asFrames(msgs []message) []byte {
	var b bytes.Buffer
	for _, m := range msgs {
		payload := m.time.Format(time.RFC3339Nano) + " " + string([]rune(m.text))
		var hdr [8]byte
		hdr[0] = byte(m.stream)
		binary.BigEndian.PutUint32(hdr[4:], uint32(len(payload)))
		b.Write(hdr[:])
		b.WriteString(payload)
	}
	return b.Bytes()
}

// parseEntries runs the parser over a json-file's lines.
func parseEntries(t *testing.T, p *jsonLogParser, file []byte) []docker.LogLine {
	t.Helper()
	var out []docker.LogLine
	for line := range bytes.SplitSeq(bytes.TrimSuffix(file, []byte("\n")), []byte("\n")) {
		var err error
		if out, err = p.entry(out, line); err != nil {
			t.Fatalf("entry %s: %v", line, err)
		}
	}
	return p.flush(out)
}

// TestJSONLogParserMatchesTheEndpoint: the lines read from the files are
// exactly those docker.LogReader reads from the logs endpoint for the
// same output: text (escapes, UTF-8, control characters), stream,
// timestamp, lines joined from pieces and split when too long.
func TestJSONLogParserMatchesTheEndpoint(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 8))
	texts := []string{"", "plain line", `quotes " and \ backslash`, "<html> & co", "tab\there", "ctrl \x01\x1f\x7f",
		"é ü 日本語 🙂", "invalid \xff\xfe utf-8", "\u2028 separators \u2029", "{\"level\":\"error\"}", "trailing space "}
	var msgs []message
	at := time.Date(2026, 11, 23, 6, 32, 59, 999_999_000, time.UTC)
	for i := range 3000 {
		at = at.Add(time.Duration(rng.IntN(3000)) * time.Nanosecond) // crosses a second, trailing zeros trimmed
		s := docker.Stdout
		if rng.IntN(3) == 0 {
			s = docker.Stderr
		}
		switch text := texts[i%len(texts)]; {
		case i%97 == 5: // a 40 KiB line, in Docker's 16 KiB pieces
			long := strings.Repeat("0123456789abcdef", 40<<10/16)
			for len(long) > 16<<10 {
				msgs = append(msgs, message{s, long[:16<<10], at})
				long = long[16<<10:]
			}
			msgs = append(msgs, message{s, long + "\n", at})
		case i%211 == 7: // a line longer than an event: split
			long := strings.Repeat("z", docker.MaxLogLine+100)
			for len(long) > 16<<10 {
				msgs = append(msgs, message{s, long[:16<<10], at})
				long = long[16<<10:]
			}
			msgs = append(msgs, message{s, long + "\n", at})
		default:
			msgs = append(msgs, message{s, text + "\n", at})
		}
	}
	msgs = append(msgs, message{docker.Stderr, "no newline at the end", at}) // a partial last line

	var file bytes.Buffer
	for _, m := range msgs {
		file.Write(entry(m.stream, m.text, m.time))
	}
	got := parseEntries(t, &jsonLogParser{}, file.Bytes())

	lr := docker.NewLogReader(bytes.NewReader(asFrames(msgs)), true)
	var want []docker.LogLine
	for {
		l, err := lr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, l)
	}
	if len(got) != len(want) {
		t.Fatalf("%d lines from the file, %d from the endpoint", len(got), len(want))
	}
	for i := range got {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Fatalf("line %d from the file %+v\nfrom the endpoint %+v", i, got[i], want[i])
		}
	}
}

// TestJSONLogParserOtherLayouts: entries laid out otherwise than the
// daemon's usual (log-opts labels add "attrs"; fields in another order;
// another time zone) parse through encoding/json; what is not an entry
// is an error, never a panic.
func TestJSONLogParserOtherLayouts(t *testing.T) {
	at := time.Date(2026, 11, 23, 6, 32, 26, 722755123, time.UTC)
	for _, tc := range []struct {
		name, entry string
		want        docker.LogLine
		err         bool
	}{
		{name: "attrs", entry: `{"log":"GET /\n","stream":"stdout","attrs":{"app":"web"},"time":"2026-11-23T06:32:26.722755123Z"}`,
			want: docker.LogLine{Stream: docker.Stdout, Text: "GET /", Time: at}},
		{name: "field order", entry: `{"stream":"stderr","time":"2026-11-23T06:32:26.722755123Z","log":"oops\n"}`,
			want: docker.LogLine{Stream: docker.Stderr, Text: "oops", Time: at}},
		{name: "offset", entry: `{"log":"x\n","stream":"stdout","time":"2026-11-23T08:32:26.722755123+02:00"}`,
			want: docker.LogLine{Stream: docker.Stdout, Text: "x", Time: at}},
		{name: "no fraction", entry: `{"log":"x\n","stream":"stdout","time":"2026-11-23T06:32:26Z"}`,
			want: docker.LogLine{Stream: docker.Stdout, Text: "x", Time: at.Truncate(time.Second)}},
		{name: "surrogate pair", entry: `{"log":"\ud83d\ude42 \u003cb\u003e\n","stream":"stdout","time":"2026-11-23T06:32:26.722755123Z"}`,
			want: docker.LogLine{Stream: docker.Stdout, Text: "🙂 <b>", Time: at}},
		{name: "lone surrogate", entry: `{"log":"\ud83d!\n","stream":"stdout","time":"2026-11-23T06:32:26.722755123Z"}`,
			want: docker.LogLine{Stream: docker.Stdout, Text: "\ufffd!", Time: at}},
		{name: "torn", entry: `{"log":"GET /\n","stream":"std`, err: true},
		{name: "bad escape", entry: `{"log":"\q\n","stream":"stdout","time":"2026-11-23T06:32:26Z"}`, err: true},
		{name: "bad stream", entry: `{"log":"x\n","stream":"stdin","time":"2026-11-23T06:32:26Z"}`, err: true},
		{name: "not JSON", entry: `2026-11-23T06:32:26Z x`, err: true},
		{name: "empty", entry: ``, err: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var p jsonLogParser
			got, err := p.entry(nil, []byte(tc.entry))
			if tc.err {
				if !errors.Is(err, errBadEntry) {
					t.Fatalf("got %+v, %v; want errBadEntry", got, err)
				}
				return
			}
			if err != nil || len(got) != 1 || got[0].Stream != tc.want.Stream || got[0].Text != tc.want.Text || !got[0].Time.Equal(tc.want.Time) {
				t.Fatalf("got %+v, %v; want %+v", got, err, tc.want)
			}
		})
	}
}

// TestJSONLogParserTimes: the fast timestamp path gives what time.Parse
// gives, for every fraction length.
func TestJSONLogParserTimes(t *testing.T) {
	var p jsonLogParser
	for _, s := range []string{"2026-11-23T06:32:26Z", "2026-11-23T06:32:26.1Z", "2026-11-23T06:32:26.12Z",
		"2026-11-23T06:32:26.123456789Z", "2026-11-23T06:32:27.000000001Z", "2024-02-29T23:59:59.99999Z", "1999-12-31T23:59:59.5Z"} {
		want, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := p.parseTime([]byte(s))
		if !ok || got != want {
			t.Errorf("%s: got %v, %v; want %v", s, got, ok, want)
		}
	}
	for _, s := range []string{"2026-11-23T06:32:26.Z", "2026-11-23T06:32:2xZ", "2026-13-23T06:32:26Z", "garbage"} {
		if got, ok := p.parseTime([]byte(s)); ok {
			t.Errorf("%s: parsed as %v, want an error", s, got)
		}
	}
}
