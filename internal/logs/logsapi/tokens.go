package logsapi

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"

	"github.com/quayside/quayside/internal/logs"
)

// Token formats. Clients treat them as opaque; GetLogEvents' keep AWS's
// shape because tools print and compare them.
//
//	DescribeLogGroups   base64url("g1:" + resume key)
//	DescribeLogStreams  base64url("s1:" + resume token)
//	GetLogEvents        f/<56 digits>/s  (events after the sequence number)
//	                    b/<56 digits>/s  (events before it)
//	FilterLogEvents     base64url("e1:<timestamp>:<stream id>:<seq>")

func badToken() error { return logs.InvalidParameter("The specified nextToken is not valid.") }

func encodeToken(kind, v string) *string {
	if v == "" {
		return nil
	}
	t := base64.RawURLEncoding.EncodeToString([]byte(kind + ":" + v))
	return &t
}

func decodeToken(kind string, t *string) (string, error) {
	if t == nil {
		return "", nil
	}
	b, err := base64.RawURLEncoding.DecodeString(*t)
	if err != nil {
		return "", badToken()
	}
	v, ok := strings.CutPrefix(string(b), kind+":")
	if !ok || v == "" {
		return "", badToken()
	}
	return v, nil
}

func positionToken(p logs.Position) *string {
	d := "b"
	if p.Forward {
		d = "f"
	}
	t := fmt.Sprintf("%s/%056d/s", d, p.Seq)
	return &t
}

func parsePosition(t *string) (*logs.Position, error) {
	if t == nil {
		return nil, nil
	}
	s := strings.TrimSuffix(*t, "/s")
	var p logs.Position
	switch {
	case strings.HasPrefix(s, "f/"):
		p.Forward = true
	case strings.HasPrefix(s, "b/"):
	default:
		return nil, badToken()
	}
	digits := s[2:]
	if digits == "" || strings.Trim(digits, "0123456789") != "" {
		return nil, badToken()
	}
	if digits = strings.TrimLeft(digits, "0"); digits != "" {
		n, err := strconv.ParseUint(digits, 10, 64)
		if err != nil {
			return nil, badToken()
		}
		p.Seq = n
	}
	return &p, nil
}

func filterToken(p *logs.FilterPos) *string {
	if p == nil {
		return nil
	}
	return encodeToken("e1", fmt.Sprintf("%d:%d:%d", p.Timestamp, p.Stream, p.Seq))
}

func parseFilterToken(t *string) (*logs.FilterPos, error) {
	v, err := decodeToken("e1", t)
	if err != nil || v == "" {
		return nil, err
	}
	parts := strings.Split(v, ":")
	if len(parts) != 3 {
		return nil, badToken()
	}
	ts, err1 := strconv.ParseInt(parts[0], 10, 64)
	st, err2 := strconv.ParseUint(parts[1], 10, 64)
	seq, err3 := strconv.ParseUint(parts[2], 10, 64)
	if err1 != nil || err2 != nil || err3 != nil {
		return nil, badToken()
	}
	return &logs.FilterPos{Timestamp: ts, Stream: st, Seq: seq}, nil
}
