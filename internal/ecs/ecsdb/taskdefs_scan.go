package ecsdb

import (
	"errors"

	"github.com/quayside/quayside/internal/ecs"
	"github.com/quayside/quayside/internal/store"
)

// ScanRevisions calls fn for each revision whose status is status, of one
// family (of every family when family is ""), in family-name then
// revision order, or the reverse when desc. It starts after `after` in
// that order (the zero head for the start), even if that revision is gone
// since. fn returns store.ErrStop to end early. It reads index keys only;
// fn gets heads with Family, Revision and Status. It returns ErrNoIndex
// until the index is built.
func ScanRevisions(tx store.ReadTx, s Scope, status ecs.TaskDefinitionStatus, family string, after TaskDefinitionHead, desc bool, fn func(TaskDefinitionHead) error) error {
	if err := requireIndex(tx); err != nil {
		return err
	}
	p := statusPrefix(s, status)
	prefix := p
	if family != "" {
		prefix += family + "\x00"
	}
	from := ""
	if after.Family != "" {
		from = indexKey(s, status, after.Family, after.Revision)
	}
	visit := func(k string, _ []byte) error {
		fam, rev, err := parseIndexKey(k[len(p):])
		if err != nil {
			return err
		}
		return fn(TaskDefinitionHead{Family: fam, Revision: rev, Status: status})
	}
	if desc {
		return tx.ScanReverse(TaskDefStatus, prefix, from, visit)
	}
	return tx.Scan(TaskDefStatus, prefix, from, visit)
}

// FamilyStatus selects families by the statuses of their revisions.
type FamilyStatus int

// Family statuses, as ListTaskDefinitionFamilies filters them.
const (
	AnyFamily      FamilyStatus = iota // every family with a stored revision
	ActiveFamily                       // families with an ACTIVE revision
	InactiveFamily                     // families with revisions, none ACTIVE
)

// ScanFamilies calls fn for each family whose name starts with prefix and
// sorts after `after` ("" for the start), and whose status is status, in
// name order. fn returns store.ErrStop to end early. It seeks from family
// to family in the index, never reading a family's revisions one by one,
// and returns ErrNoIndex until the index is built.
func ScanFamilies(tx store.ReadTx, s Scope, prefix string, status FamilyStatus, after string, fn func(family string) error) error {
	if err := requireIndex(tx); err != nil {
		return err
	}
	// One stream of family names per revision status; a family shows in
	// each stream where it has revisions.
	var statuses []ecs.TaskDefinitionStatus
	switch status {
	case ActiveFamily:
		statuses = taskDefStatuses[:1]
	case InactiveFamily:
		statuses = taskDefStatuses[1:]
	default:
		statuses = taskDefStatuses
	}
	heads := make([]string, len(statuses)) // "" when a stream is done
	for i, st := range statuses {
		var err error
		if heads[i], err = nextFamily(tx, s, st, prefix, after); err != nil {
			return err
		}
	}
	for {
		fam := ""
		for _, h := range heads {
			if h != "" && (fam == "" || h < fam) {
				fam = h
			}
		}
		if fam == "" {
			return nil
		}
		for i, st := range statuses {
			if heads[i] != fam {
				continue
			}
			var err error
			if heads[i], err = nextFamily(tx, s, st, prefix, fam); err != nil {
				return err
			}
		}
		if status == InactiveFamily {
			// The first ACTIVE family named fam or longer is fam itself
			// when fam has an ACTIVE revision.
			active, err := nextFamily(tx, s, ecs.TaskDefinitionActive, fam, "")
			if err != nil {
				return err
			}
			if active == fam {
				continue
			}
		}
		if err := fn(fam); err != nil {
			if errors.Is(err, store.ErrStop) {
				return nil
			}
			return err
		}
	}
}

// nextFamily returns the first family after `after` ("" for the start)
// whose name starts with prefix and that has a revision in status, or ""
// when there is none. It costs one seek.
func nextFamily(tx store.ReadTx, s Scope, status ecs.TaskDefinitionStatus, prefix, after string) (string, error) {
	p := statusPrefix(s, status)
	from := ""
	if after != "" {
		// Past every revision of `after`: revisions are digits, below 0xff.
		from = p + after + "\x00\xff"
	}
	fam := ""
	err := tx.Scan(TaskDefStatus, p+prefix, from, func(k string, _ []byte) error {
		f, _, err := parseIndexKey(k[len(p):])
		if err != nil {
			return err
		}
		fam = f
		return store.ErrStop
	})
	return fam, err
}

// requireIndex returns ErrNoIndex until the index is built.
func requireIndex(tx store.ReadTx) error {
	ready, err := indexReady(tx)
	if err == nil && !ready {
		err = ErrNoIndex
	}
	return err
}
