package docker

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"strings"
	"testing"
	"time"
)

// frame encodes one frame of the multiplexed format.
func frame(s Stream, payload string) []byte {
	b := make([]byte, frameHeaderLen, frameHeaderLen+len(payload))
	b[0] = byte(s)
	binary.BigEndian.PutUint32(b[4:], uint32(len(payload)))
	return append(b, payload...)
}

func frames(fs ...[]byte) []byte { return bytes.Join(fs, nil) }

func readLines(t *testing.T, r io.Reader, timestamps bool) ([]LogLine, error) {
	t.Helper()
	lr := NewLogReader(r, timestamps)
	var lines []LogLine
	for {
		l, err := lr.Next()
		if errors.Is(err, io.EOF) {
			return lines, nil
		}
		if err != nil {
			return lines, err
		}
		lines = append(lines, l)
	}
}

func TestDemux(t *testing.T) {
	in := frames(frame(Stdout, "out1\n"), frame(Stderr, "err1\n"), frame(Stdin, "in\n"), frame(Stdout, ""), frame(Stdout, "out2"))
	var stdout, stderr bytes.Buffer
	if err := Demux(&stdout, &stderr, bytes.NewReader(in)); err != nil {
		t.Fatal(err)
	}
	if got, want := stdout.String(), "out1\nin\nout2"; got != want {
		t.Errorf("stdout = %q, want %q", got, want)
	}
	if got, want := stderr.String(), "err1\n"; got != want {
		t.Errorf("stderr = %q, want %q", got, want)
	}
}

func TestDemuxErrors(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want string
	}{
		{"short header", frame(Stdout, "x")[:5], "inside a frame header"},
		{"short payload", frame(Stdout, "hello")[:10], "inside a frame"},
		{"unknown stream", frame(7, "x"), "unknown stream 7"},
		{"system error", frames(frame(Stdout, "a"), frame(SystemErr, "exec failed\n")), "docker: exec failed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Demux(nil, nil, bytes.NewReader(tt.in))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Demux error = %v, want one containing %q", err, tt.want)
			}
			_, err = readLines(t, bytes.NewReader(tt.in), false)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("LogReader error = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestLogReader(t *testing.T) {
	t1 := time.Date(2025, 3, 4, 5, 6, 7, 123456789, time.UTC)
	t2 := t1.Add(time.Second)
	ts := func(t time.Time) string { return t.Format(time.RFC3339Nano) + " " }
	long := strings.Repeat("x", MaxLogLine+10)
	tests := []struct {
		name       string
		in         []byte
		timestamps bool
		want       []LogLine
	}{{
		name: "lines per stream",
		in:   frames(frame(Stdout, "a\nb\n"), frame(Stderr, "e\n"), frame(Stdout, "\n")),
		want: []LogLine{{Stream: Stdout, Text: "a"}, {Stream: Stdout, Text: "b"}, {Stream: Stderr, Text: "e"}, {Stream: Stdout}},
	}, {
		name: "line split across frames, interleaved with the other stream",
		in:   frames(frame(Stdout, "hel"), frame(Stderr, "oops\n"), frame(Stdout, "lo\nwor"), frame(Stdout, "ld\n")),
		want: []LogLine{{Stream: Stderr, Text: "oops"}, {Stream: Stdout, Text: "hello"}, {Stream: Stdout, Text: "world"}},
	}, {
		name: "unterminated lines at the end, stdout first",
		in:   frames(frame(Stderr, "tail-err"), frame(Stdout, "tail-out")),
		want: []LogLine{{Stream: Stdout, Text: "tail-out", Partial: true}, {Stream: Stderr, Text: "tail-err", Partial: true}},
	}, {
		name:       "timestamps",
		in:         frames(frame(Stdout, ts(t1)+"first\n"), frame(Stderr, ts(t2)+"second\n")),
		timestamps: true,
		want:       []LogLine{{Stream: Stdout, Text: "first", Time: t1}, {Stream: Stderr, Text: "second", Time: t2}},
	}, {
		name:       "a line continued in a later message keeps its first time",
		in:         frames(frame(Stdout, ts(t1)+"par"), frame(Stdout, ts(t2)+"tial\n")),
		timestamps: true,
		want:       []LogLine{{Stream: Stdout, Text: "partial", Time: t1}},
	}, {
		name:       "no valid timestamp",
		in:         frame(Stdout, "not-a-time text\n"),
		timestamps: true,
		want:       []LogLine{{Stream: Stdout, Text: "not-a-time text"}},
	}, {
		name: "long line is split",
		in:   frame(Stdout, long+"\n"),
		want: []LogLine{{Stream: Stdout, Text: long[:MaxLogLine], Partial: true}, {Stream: Stdout, Text: long[MaxLogLine:]}},
	}, {
		name: "empty",
		in:   nil,
		want: nil,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readLines(t, bytes.NewReader(tt.in), tt.timestamps)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %d lines %+v, want %d", len(got), got, len(tt.want))
			}
			for i := range got {
				if g, w := got[i], tt.want[i]; g.Stream != w.Stream || g.Text != w.Text || !g.Time.Equal(w.Time) || g.Partial != w.Partial {
					t.Errorf("line %d = {%v %.40q %v %v}, want {%v %.40q %v %v}", i, g.Stream, g.Text, g.Time, g.Partial, w.Stream, w.Text, w.Time, w.Partial)
				}
			}
		})
	}
}

// FuzzDemux checks that Demux and LogReader agree on any input: either
// both fail, or joining LogReader's lines per stream gives exactly what
// Demux wrote for that stream.
func FuzzDemux(f *testing.F) {
	f.Add(frames(frame(Stdout, "a\nb\n"), frame(Stderr, "c")))
	f.Add(frames(frame(Stdout, "par"), frame(Stdout, "tial\n\n"), frame(Stdin, "x")))
	f.Add(frame(SystemErr, "boom"))
	f.Add(frame(Stdout, "x")[:6])
	f.Add([]byte{1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 'a'})
	f.Add(frame(Stderr, "2025-03-04T05:06:07.1Z hi\n"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, in []byte) {
		var stdout, stderr bytes.Buffer
		demuxErr := Demux(&stdout, &stderr, bytes.NewReader(in))

		var joined [3]bytes.Buffer
		lines, readErr := readLines(t, bytes.NewReader(in), false)
		if (demuxErr == nil) != (readErr == nil) {
			t.Fatalf("Demux error %v, LogReader error %v", demuxErr, readErr)
		}
		if demuxErr != nil {
			return
		}
		for _, l := range lines {
			if l.Stream != Stdout && l.Stream != Stderr {
				t.Fatalf("line on stream %v", l.Stream)
			}
			if strings.Contains(l.Text, "\n") || len(l.Text) > MaxLogLine {
				t.Fatalf("bad line %q", l.Text)
			}
			joined[l.Stream].WriteString(l.Text)
			if !l.Partial {
				joined[l.Stream].WriteByte('\n')
			}
		}
		if joined[Stdout].String() != stdout.String() {
			t.Errorf("stdout: lines join to %q, Demux wrote %q", joined[Stdout].String(), stdout.String())
		}
		if joined[Stderr].String() != stderr.String() {
			t.Errorf("stderr: lines join to %q, Demux wrote %q", joined[Stderr].String(), stderr.String())
		}
	})
}

func TestSplitRef(t *testing.T) {
	tests := []struct{ ref, repo, tag string }{
		{"busybox", "busybox", "latest"},
		{"busybox:1.36", "busybox", "1.36"},
		{"127.0.0.1:4566/app", "127.0.0.1:4566/app", "latest"},
		{"127.0.0.1:4566/team/app:v2", "127.0.0.1:4566/team/app", "v2"},
		{"app@sha256:abcd", "app", "sha256:abcd"},
		{"localhost:5000/app:v1@sha256:abcd", "localhost:5000/app:v1", "sha256:abcd"},
	}
	for _, tt := range tests {
		repo, tag := splitRef(tt.ref)
		if repo != tt.repo || tag != tt.tag {
			t.Errorf("splitRef(%q) = %q, %q; want %q, %q", tt.ref, repo, tag, tt.repo, tt.tag)
		}
	}
}
