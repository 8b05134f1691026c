package docker

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// LogsOptions configure ContainerLogs.
type LogsOptions struct {
	// Follow keeps the stream open for new output until the container
	// stops or ctx ends.
	Follow bool
	// Stdout and Stderr choose the streams; if neither is set, both are.
	Stdout, Stderr bool
	// Timestamps prefixes every message with its RFC 3339 time and a
	// space; LogReader parses it into LogLine.Time.
	Timestamps bool
	// Since and Until, if not zero, bound the messages by time.
	Since, Until time.Time
	// Tail is "all" (the default) or the number of last lines to return.
	Tail string
}

// ContainerLogs returns the container's output as a multiplexed stream
// (see Demux and LogReader); containers created with Tty send raw text
// instead. The caller closes the stream.
func (c *Client) ContainerLogs(ctx context.Context, id string, opts LogsOptions) (io.ReadCloser, error) {
	if !opts.Stdout && !opts.Stderr {
		opts.Stdout, opts.Stderr = true, true
	}
	q := url.Values{
		"follow":     {strconv.FormatBool(opts.Follow)},
		"stdout":     {strconv.FormatBool(opts.Stdout)},
		"stderr":     {strconv.FormatBool(opts.Stderr)},
		"timestamps": {strconv.FormatBool(opts.Timestamps)},
	}
	if !opts.Since.IsZero() {
		q.Set("since", unixNano(opts.Since))
	}
	if !opts.Until.IsZero() {
		q.Set("until", unixNano(opts.Until))
	}
	if opts.Tail != "" {
		q.Set("tail", opts.Tail)
	}
	resp, err := c.send(ctx, request{method: http.MethodGet, path: "/containers/" + pathEscape(id) + "/logs", query: q})
	if err != nil {
		return nil, err
	}
	return resp.Body, nil
}

// unixNano formats t as Docker's "seconds.nanoseconds" timestamp.
func unixNano(t time.Time) string {
	return fmt.Sprintf("%d.%09d", t.Unix(), t.Nanosecond())
}

// Stream identifies the origin of a multiplexed frame.
type Stream byte

// Streams of the multiplexed format. SystemErr frames carry an error
// from the daemon itself, not output of the container.
const (
	Stdin     Stream = 0
	Stdout    Stream = 1
	Stderr    Stream = 2
	SystemErr Stream = 3
)

func (s Stream) String() string {
	switch s {
	case Stdin:
		return "stdin"
	case Stdout:
		return "stdout"
	case Stderr:
		return "stderr"
	case SystemErr:
		return "systemerr"
	}
	return "stream(" + strconv.Itoa(int(s)) + ")"
}

// The multiplexed format, used for logs and exec output of containers
// without a TTY, is a sequence of frames:
//
//	+--------+-------+-------+-------+----------------------------+
//	| stream |   0   |   0   |   0   | size, uint32 big-endian    |  8-byte header
//	+--------+-------+-------+-------+----------------------------+
//	| size bytes of output                                         |
//	+--------------------------------------------------------------+
//
// For logs, each frame is one message the container wrote (a line, or a
// piece of a line over 16 KiB), prefixed by its time if asked.

const frameHeaderLen = 8

// readFrameHeader reads one header. It returns io.EOF only at a clean end
// between frames.
func readFrameHeader(r io.Reader, hdr *[frameHeaderLen]byte) (Stream, int64, error) {
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return 0, 0, fmt.Errorf("docker: multiplexed stream ends inside a frame header: %w", err)
		}
		return 0, 0, err
	}
	s := Stream(hdr[0])
	if s > SystemErr {
		return 0, 0, fmt.Errorf("docker: multiplexed stream has unknown stream %d; is the container using a TTY?", hdr[0])
	}
	return s, int64(binary.BigEndian.Uint32(hdr[4:])), nil
}

// Demux copies a multiplexed stream to stdout and stderr (either may be
// nil to discard it) until src ends. Stdin frames go to stdout. A
// SystemErr frame ends the copy with its text as the error.
func Demux(stdout, stderr io.Writer, src io.Reader) error {
	if stdout == nil {
		stdout = io.Discard
	}
	if stderr == nil {
		stderr = io.Discard
	}
	var hdr [frameHeaderLen]byte
	for {
		s, n, err := readFrameHeader(src, &hdr)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		var dst io.Writer
		switch s {
		case Stdin, Stdout:
			dst = stdout
		case Stderr:
			dst = stderr
		case SystemErr:
			var b bytes.Buffer
			if _, err := io.CopyN(&b, src, min(n, 64<<10)); err != nil {
				return truncated(err)
			}
			return fmt.Errorf("docker: %s", bytes.TrimSpace(b.Bytes()))
		}
		if _, err := io.CopyN(dst, src, n); err != nil {
			return truncated(err)
		}
	}
}

// truncated explains an early end of input inside a frame.
func truncated(err error) error {
	if errors.Is(err, io.EOF) {
		return fmt.Errorf("docker: multiplexed stream ends inside a frame: %w", io.ErrUnexpectedEOF)
	}
	return err
}

// MaxLogLine is the longest text a LogLine holds; longer lines are split
// into pieces marked Partial. It matches the CloudWatch Logs event limit
// less its 26-byte overhead.
const MaxLogLine = 256*1024 - 26

// LogLine is one line of container output.
type LogLine struct {
	Stream Stream
	// Text is the line without its newline.
	Text string
	// Time is when the container wrote the line, if the stream carries
	// timestamps; otherwise zero.
	Time time.Time
	// Partial means no newline followed Text: the line was longer than
	// MaxLogLine and continues in the next LogLine of the same stream,
	// or the output ended without a final newline.
	Partial bool
}

// LogReader splits a multiplexed stream into lines, keeping stdout and
// stderr apart. Use it on the stream from ContainerLogs.
type LogReader struct {
	r          io.Reader
	timestamps bool
	hdr        [frameHeaderLen]byte
	frame      bytes.Buffer
	pending    [2]lineBuf // stdout, stderr
	queue      []LogLine
	err        error
}

type lineBuf struct {
	text []byte
	time time.Time
}

// NewLogReader returns a LogReader for r. Set timestamps if the stream
// was requested with LogsOptions.Timestamps.
func NewLogReader(r io.Reader, timestamps bool) *LogReader {
	return &LogReader{r: r, timestamps: timestamps}
}

// Next returns the next line. At the end of the stream it returns any
// unterminated lines, stdout first, then io.EOF.
func (lr *LogReader) Next() (LogLine, error) {
	for len(lr.queue) == 0 {
		if lr.err != nil {
			return LogLine{}, lr.err
		}
		lr.err = lr.readFrame()
		if errors.Is(lr.err, io.EOF) {
			lr.flush(Stdout)
			lr.flush(Stderr)
		}
	}
	l := lr.queue[0]
	lr.queue = lr.queue[1:]
	return l, nil
}

// readFrame reads one frame and queues the lines it completes.
func (lr *LogReader) readFrame() error {
	s, n, err := readFrameHeader(lr.r, &lr.hdr)
	if err != nil {
		return err
	}
	lr.frame.Reset()
	if _, err := io.CopyN(&lr.frame, lr.r, n); err != nil {
		return truncated(err)
	}
	p := lr.frame.Bytes()
	if s == SystemErr {
		return fmt.Errorf("docker: %s", bytes.TrimSpace(p))
	}
	if s == Stdin {
		s = Stdout
	}
	var t time.Time
	if lr.timestamps {
		t, p = cutTimestamp(p)
	}
	buf := &lr.pending[s-1]
	for len(p) > 0 {
		if len(buf.text) == 0 {
			buf.time = t
		}
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			buf.text = append(buf.text, p...)
			break
		}
		buf.text = append(buf.text, p[:i]...)
		p = p[i+1:]
		for len(buf.text) > MaxLogLine {
			lr.emit(s, true)
		}
		lr.emit(s, false)
	}
	for len(buf.text) > MaxLogLine {
		lr.emit(s, true)
	}
	return nil
}

// emit queues the pending line of stream s, or its first MaxLogLine
// bytes if partial.
func (lr *LogReader) emit(s Stream, partial bool) {
	buf := &lr.pending[s-1]
	n := len(buf.text)
	if partial {
		n = min(n, MaxLogLine)
	}
	lr.queue = append(lr.queue, LogLine{Stream: s, Text: string(buf.text[:n]), Time: buf.time, Partial: partial})
	buf.text = append(buf.text[:0], buf.text[n:]...)
}

func (lr *LogReader) flush(s Stream) {
	if len(lr.pending[s-1].text) > 0 {
		lr.emit(s, true)
	}
}

// cutTimestamp splits "2006-01-02T15:04:05.999999999Z text" into the time
// and the text. Without a valid timestamp, p is returned whole.
func cutTimestamp(p []byte) (time.Time, []byte) {
	i := bytes.IndexByte(p[:min(len(p), 64)], ' ')
	if i < 0 {
		return time.Time{}, p
	}
	t, err := time.Parse(time.RFC3339Nano, string(p[:i]))
	if err != nil {
		return time.Time{}, p
	}
	return t, p[i+1:]
}
