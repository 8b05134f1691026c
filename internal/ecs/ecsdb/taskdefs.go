package ecsdb

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/quayside/quayside/internal/ecs"
	"github.com/quayside/quayside/internal/store"
)

// Task definitions are kept as records, one per revision, and in an
// index by status whose entries are empty: listings and "the latest
// ACTIVE revision" read index keys instead of decoding records.
//
//	table                key                                                    value
//	ecs.taskdefs         <region>/<account>/<family>/<revision:010d>            ecs.TaskDefinition
//	ecs.taskdefs.status  <region>/<account>/<status>/<family>\x00<revision:010d>  ""
//	                     #version                                               "1" once the index is complete
//
// The NUL byte after the family makes the index's key order family-name
// order, then revision order: "web\x00…" sorts before "web-api\x00…",
// whereas in ecs.taskdefs "web-api/…" sorts before "web/…". Scanning the
// index forwards or backwards from a key is how ListTaskDefinitions pages
// in either direction without reading the rest.
//
// PutTaskDefinition and DeleteTaskDefinition keep the index in step in
// the caller's transaction. A data file written before the index existed
// has no #version: the first task definition write builds the index
// (BuildTaskDefinitionIndex). Until then LatestTaskDefinition reads every
// revision of the family, and the index scans return ErrNoIndex so that
// the caller can build it and retry.

// ErrNoIndex is returned by the index scans when the data file predates
// the task definition index; BuildTaskDefinitionIndex builds it.
var ErrNoIndex = errors.New("ecsdb: task definition index not built yet")

const (
	indexVersionKey = "#version"
	indexVersion    = "1"
)

// taskDefStatuses are the statuses the index knows.
var taskDefStatuses = []ecs.TaskDefinitionStatus{ecs.TaskDefinitionActive, ecs.TaskDefinitionInactive, ecs.TaskDefinitionDeleteInProgress}

// TaskDefinitionHead is a revision's identity and status: what listings
// need, read without keeping the whole record.
type TaskDefinitionHead struct {
	Family   string                   `json:"family"`
	Revision int                      `json:"revision"`
	Status   ecs.TaskDefinitionStatus `json:"status"`
}

// appendRevision appends rev as the ten zero-padded digits keys use.
func appendRevision(b []byte, rev int) []byte {
	if rev < 0 || int64(rev) > 9_999_999_999 {
		return fmt.Appendf(b, "%010d", rev) // only from malformed page tokens
	}
	var d [10]byte
	for i := len(d) - 1; i >= 0; i-- {
		d[i] = byte('0' + rev%10)
		rev /= 10
	}
	return append(b, d[:]...)
}

// recordKey is a revision's key in ecs.taskdefs.
func recordKey(s Scope, family string, rev int) string {
	b := make([]byte, 0, len(s.Region)+len(s.Account)+len(family)+14)
	b = append(append(append(append(b, s.Region...), '/'), s.Account...), '/')
	b = append(append(b, family...), '/')
	return string(appendRevision(b, rev))
}

// statusPrefix is the index prefix of one status in a scope.
func statusPrefix(s Scope, status ecs.TaskDefinitionStatus) string {
	return s.Region + "/" + s.Account + "/" + string(status) + "/"
}

// indexKey is a revision's key in the status index.
func indexKey(s Scope, status ecs.TaskDefinitionStatus, family string, rev int) string {
	b := make([]byte, 0, len(s.Region)+len(s.Account)+len(status)+len(family)+15)
	b = append(append(append(append(b, s.Region...), '/'), s.Account...), '/')
	b = append(append(b, status...), '/')
	b = append(append(b, family...), 0)
	return string(appendRevision(b, rev))
}

// parseIndexKey splits the part of an index key after its status prefix.
func parseIndexKey(rest string) (family string, rev int, err error) {
	family, digits, ok := strings.Cut(rest, "\x00")
	if rev, err = strconv.Atoi(digits); !ok || err != nil {
		return "", 0, fmt.Errorf("ecsdb: malformed %s key %q", TaskDefStatus, rest)
	}
	return family, rev, nil
}

// GetTaskDefinition returns one revision, or store.ErrNotFound.
func GetTaskDefinition(tx store.ReadTx, s Scope, family string, rev int) (ecs.TaskDefinition, error) {
	return store.Get[ecs.TaskDefinition](tx, TaskDefs, recordKey(s, family, rev))
}

// LoadTaskDefinition is GetTaskDefinition into td, for a caller that
// keeps the revision in a variable of its own: a task definition is large
// enough that the copy costs.
func LoadTaskDefinition(tx store.ReadTx, s Scope, family string, rev int, td *ecs.TaskDefinition) error {
	return store.Load(tx, TaskDefs, recordKey(s, family, rev), td)
}

// LatestTaskDefinition returns the family's newest revision whose status
// is ACTIVE, or store.ErrNotFound.
func LatestTaskDefinition(tx store.ReadTx, s Scope, family string) (ecs.TaskDefinition, error) {
	ready, err := indexReady(tx)
	if err != nil {
		return ecs.TaskDefinition{}, err
	}
	if !ready {
		return latestByScan(tx, s, family)
	}
	p := statusPrefix(s, ecs.TaskDefinitionActive)
	rev := 0
	err = tx.ScanReverse(TaskDefStatus, p+family+"\x00", "", func(k string, _ []byte) error {
		_, n, err := parseIndexKey(k[len(p):])
		if err != nil {
			return err
		}
		rev = n
		return store.ErrStop
	})
	if err != nil {
		return ecs.TaskDefinition{}, err
	}
	if rev == 0 {
		return ecs.TaskDefinition{}, fmt.Errorf("task definition family %q has no ACTIVE revision: %w", family, store.ErrNotFound)
	}
	return GetTaskDefinition(tx, s, family, rev)
}

// latestByScan is LatestTaskDefinition before the index is built: it
// decodes every revision of the family.
func latestByScan(tx store.ReadTx, s Scope, family string) (ecs.TaskDefinition, error) {
	var latest ecs.TaskDefinition
	found := false
	err := tx.Scan(TaskDefs, s.key(family)+"/", "", func(_ string, b []byte) error {
		td, err := decode[ecs.TaskDefinition](b)
		if err != nil {
			return err
		}
		if td.Status == ecs.TaskDefinitionActive {
			latest, found = td, true
		}
		return nil
	})
	if err == nil && !found {
		err = fmt.Errorf("task definition family %q has no ACTIVE revision: %w", family, store.ErrNotFound)
	}
	return latest, err
}

// PutTaskDefinition writes one revision and its index entry.
func PutTaskDefinition(tx store.Tx, s Scope, td ecs.TaskDefinition) error {
	if err := BuildTaskDefinitionIndex(tx); err != nil {
		return err
	}
	if err := store.Put(tx, TaskDefs, recordKey(s, td.Family, td.Revision), td); err != nil {
		return err
	}
	return indexRevision(tx, s, td.Family, td.Revision, td.Status)
}

// indexRevision files a revision under status, and under no other.
func indexRevision(tx store.Tx, s Scope, family string, rev int, status ecs.TaskDefinitionStatus) error {
	for _, st := range taskDefStatuses {
		k := indexKey(s, st, family, rev)
		var err error
		if st == status {
			err = tx.Put(TaskDefStatus, k, nil)
		} else {
			err = tx.Delete(TaskDefStatus, k) // nothing when it is not there
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// DeleteTaskDefinition removes one revision and its index entry for good.
func DeleteTaskDefinition(tx store.Tx, s Scope, family string, rev int) error {
	if err := BuildTaskDefinitionIndex(tx); err != nil {
		return err
	}
	if err := tx.Delete(TaskDefs, recordKey(s, family, rev)); err != nil {
		return err
	}
	return indexRevision(tx, s, family, rev, "")
}

// NextRevision allocates the family's next revision number.
func NextRevision(tx store.Tx, s Scope, family string) (int, error) {
	n, err := tx.NextSequence("ecs.taskdef/" + s.key(family))
	return int(n), err
}

// ScanTaskDefinitions calls fn for every revision in the scope whose
// family starts with familyPrefix, in ecs.taskdefs key order, starting
// after the given key ("" for the start). fn returns store.ErrStop to
// end early. The key passed to fn can be given back as after to resume.
func ScanTaskDefinitions(tx store.ReadTx, s Scope, familyPrefix, after string, fn func(key string, td ecs.TaskDefinition) error) error {
	return tx.Scan(TaskDefs, s.key(familyPrefix), after, func(k string, b []byte) error {
		td, err := decode[ecs.TaskDefinition](b)
		if err != nil {
			return err
		}
		return fn(k, td)
	})
}

// indexReady reports whether the status index is complete.
func indexReady(tx store.ReadTx) (bool, error) {
	v, err := store.Lend(tx, TaskDefStatus, indexVersionKey)
	if IsNotFound(err) {
		return false, nil
	}
	return err == nil && string(v) == indexVersion, err
}

// BuildTaskDefinitionIndex indexes every stored revision of every scope
// by status, once: it does nothing when the index is complete. Task
// definition writes call it; readers that get ErrNoIndex may call it in
// an Update and retry.
func BuildTaskDefinitionIndex(tx store.Tx) error {
	if ready, err := indexReady(tx); ready || err != nil {
		return err
	}
	type entry struct {
		s    Scope
		head TaskDefinitionHead
	}
	var entries []entry
	err := tx.Scan(TaskDefs, "", "", func(k string, b []byte) error {
		var h TaskDefinitionHead
		if err := json.Unmarshal(b, &h); err != nil {
			return fmt.Errorf("ecsdb: decode %s/%s: %w", TaskDefs, k, err)
		}
		// The key is what readers look up: index it, not what the
		// record says of itself.
		s, parts, ok := ParseKey(k)
		if !ok || len(parts) != 2 {
			return fmt.Errorf("ecsdb: malformed %s key %q", TaskDefs, k)
		}
		rev, err := strconv.Atoi(parts[1])
		if err != nil {
			return fmt.Errorf("ecsdb: malformed %s key %q", TaskDefs, k)
		}
		h.Family, h.Revision = parts[0], rev
		entries = append(entries, entry{s, h})
		return nil
	})
	if err != nil {
		return err
	}
	for _, e := range entries {
		if err := indexRevision(tx, e.s, e.head.Family, e.head.Revision, e.head.Status); err != nil {
			return err
		}
	}
	return tx.Put(TaskDefStatus, indexVersionKey, []byte(indexVersion))
}
