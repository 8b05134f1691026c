package logs

import (
	"encoding/json"
	"errors"
	"strings"

	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/logs/logstore"
	"github.com/quayside/quayside/internal/store"
)

// Metadata tables (see the package doc for their keys).
const (
	tableGroups  = "logs.groups"
	tableStreams = "logs.streams"
	seqIDs       = "logs.ids"
)

// Scope is the region and account a request acts in.
type Scope struct{ Region, Account string }

func (sc Scope) prefix() string { return sc.Region + "/" + sc.Account + "/" }

// groupKey is "<region>/<account>/<group>". Group names never contain ':'.
func groupKey(sc Scope, group string) string { return sc.prefix() + group }

// streamKey is "<region>/<account>/<group>:<stream>". Stream names never
// contain ':' either, so a group's streams share the prefix
// "<region>/<account>/<group>:" and sort by name.
func streamKey(sc Scope, group, stream string) string { return streamPrefix(sc, group) + stream }
func streamPrefix(sc Scope, group string) string      { return sc.prefix() + group + ":" }

// Group is a log group's metadata.
type Group struct {
	ID                 uint64            `json:"id"`
	Name               string            `json:"name"`
	Created            int64             `json:"created"` // ms
	RetentionDays      int               `json:"retentionDays,omitempty"`
	KmsKeyID           string            `json:"kmsKeyId,omitempty"`
	Class              string            `json:"class"`
	Tags               map[string]string `json:"tags,omitempty"`
	DeletionProtection bool              `json:"deletionProtection,omitempty"`
}

// Stream is a log stream's metadata. Its events live in the log store
// under (GroupID, ID).
type Stream struct {
	ID      uint64 `json:"id"`
	GroupID uint64 `json:"groupId"`
	Name    string `json:"name"`
	Created int64  `json:"created"` // ms
}

func (s *Stream) storeID() logstore.StreamID {
	return logstore.StreamID{Group: s.GroupID, Stream: s.ID}
}

// getGroup reads a group, answering AWS's not-found error.
func getGroup(tx store.ReadTx, sc Scope, name string) (Group, error) {
	g, err := store.Get[Group](tx, tableGroups, groupKey(sc, name))
	if errors.Is(err, store.ErrNotFound) {
		return g, groupNotFound()
	}
	return g, err
}

func getStream(tx store.ReadTx, sc Scope, group, name string) (Stream, error) {
	s, err := store.Get[Stream](tx, tableStreams, streamKey(sc, group, name))
	if errors.Is(err, store.ErrNotFound) {
		return s, streamNotFound()
	}
	return s, err
}

// lookup finds a group and one of its streams in one read.
func (s *Service) lookup(tx store.ReadTx, sc Scope, group, stream string) (Group, Stream, error) {
	g, err := getGroup(tx, sc, group)
	if err != nil {
		return g, Stream{}, err
	}
	st, err := getStream(tx, sc, group, stream)
	return g, st, err
}

// GroupARN is a log group's ARN as tagging APIs take it.
func GroupARN(sc Scope, group string) string {
	return "arn:aws:logs:" + sc.Region + ":" + sc.Account + ":log-group:" + group
}

// StreamARN is a log stream's ARN.
func StreamARN(sc Scope, group, stream string) string {
	return GroupARN(sc, group) + ":log-stream:" + stream
}

// ParseGroupARN reads "arn:aws:logs:<region>:<account>:log-group:<name>"
// (a trailing ":*", as DescribeLogGroups prints it, is allowed).
func ParseGroupARN(arn string) (Scope, string, error) {
	parts := strings.SplitN(arn, ":", 7)
	if len(parts) != 7 || parts[0] != "arn" || !strings.HasPrefix(parts[1], "aws") || parts[2] != "logs" {
		return Scope{}, "", fault.Newf(ErrInvalidParameter, "Invalid resource ARN: %s", arn)
	}
	kind, name, _ := strings.Cut(parts[5]+":"+parts[6], ":")
	if kind != "log-group" {
		return Scope{}, "", fault.New(ErrResourceNotFound, "The specified resource does not exist.")
	}
	name = strings.TrimSuffix(name, ":*")
	if name == "" || !validGroupName(name) {
		return Scope{}, "", fault.Newf(ErrInvalidParameter, "Invalid resource ARN: %s", arn)
	}
	return Scope{Region: parts[3], Account: parts[4]}, name, nil
}

// GroupName accepts a log group's name or ARN (logGroupIdentifier).
func GroupName(sc Scope, ident string) (string, error) {
	if !strings.HasPrefix(ident, "arn:") {
		return ident, nil
	}
	asc, name, err := ParseGroupARN(ident)
	if err != nil {
		return "", err
	}
	if asc != sc {
		return "", groupNotFound()
	}
	return name, nil
}

func validGroupName(s string) bool {
	if s == "" || len(s) > 512 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '.' || c == '-' || c == '_' || c == '/' || c == '#' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}

func decode[T any](b []byte) (T, error) {
	var v T
	err := json.Unmarshal(b, &v)
	return v, err
}
