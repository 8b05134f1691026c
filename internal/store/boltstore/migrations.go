package boltstore

import (
	"encoding/binary"
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// Names in the meta bucket; see the package doc for the layout.
var (
	metaBucket       = []byte("meta")
	sequencesBucket  = []byte("sequences")
	schemaVersionKey = []byte("schema_version")
	revisionKey      = []byte("revision")
)

// ErrSchemaTooNew is returned by Open when the data file was written by a
// newer Quayside than this one.
var ErrSchemaTooNew = errors.New("data file was written by a newer version of Quayside; upgrade Quayside to open it")

// A migration moves the file layout from version-1 to version.
type migration struct {
	version uint64
	name    string
	apply   func(tx *bolt.Tx) error
}

// migrations is the ordered history of the file layout. Append only: a
// migration that has shipped must never change.
var migrations = []migration{
	{version: 1, name: "create meta bucket", apply: createMeta},
}

// createMeta creates the meta bucket with its revision counter and the
// bucket of named sequences.
func createMeta(tx *bolt.Tx) error {
	meta, err := tx.CreateBucketIfNotExists(metaBucket)
	if err != nil {
		return err
	}
	if _, err := meta.CreateBucketIfNotExists(sequencesBucket); err != nil {
		return err
	}
	if meta.Get(revisionKey) == nil {
		return meta.Put(revisionKey, encodeUint(0))
	}
	return nil
}

// migrate brings tx up to the last version of list and returns the
// versions it started from and ended at.
func migrate(tx *bolt.Tx, list []migration) (from, to uint64, err error) {
	from = schemaVersion(tx)
	latest := uint64(0)
	if len(list) > 0 {
		latest = list[len(list)-1].version
	}
	if from > latest {
		return from, from, fmt.Errorf("schema version %d, this binary knows up to %d: %w", from, latest, ErrSchemaTooNew)
	}
	for i, m := range list {
		if m.version != uint64(i+1) {
			return from, from, fmt.Errorf("migration %q has version %d, want %d", m.name, m.version, i+1)
		}
		if m.version <= from {
			continue
		}
		if err := m.apply(tx); err != nil {
			return from, from, fmt.Errorf("migration %d (%s): %w", m.version, m.name, err)
		}
	}
	if from == latest {
		return from, latest, nil
	}
	meta := tx.Bucket(metaBucket)
	if meta == nil {
		return from, from, errors.New("migrations did not create the meta bucket")
	}
	if err := meta.Put(schemaVersionKey, encodeUint(latest)); err != nil {
		return from, from, err
	}
	return from, latest, nil
}

// schemaVersion is the layout version recorded in tx, 0 for a new file.
func schemaVersion(tx *bolt.Tx) uint64 {
	meta := tx.Bucket(metaBucket)
	if meta == nil {
		return 0
	}
	return decodeUint(meta.Get(schemaVersionKey))
}

// readRevision is the last committed revision as tx sees it.
func readRevision(tx *bolt.Tx) int64 {
	return int64(decodeUint(tx.Bucket(metaBucket).Get(revisionKey)))
}

// bumpRevision increments the revision counter within tx and returns the
// revision tx will commit as.
func bumpRevision(tx *bolt.Tx) (int64, error) {
	rev := readRevision(tx) + 1
	if err := tx.Bucket(metaBucket).Put(revisionKey, encodeUint(uint64(rev))); err != nil {
		return 0, fmt.Errorf("boltstore: write revision: %w", err)
	}
	return rev, nil
}

func encodeUint(v uint64) []byte {
	return binary.BigEndian.AppendUint64(nil, v)
}

// decodeUint reads an 8-byte big-endian integer; a missing value is 0.
func decodeUint(b []byte) uint64 {
	if len(b) != 8 {
		return 0
	}
	return binary.BigEndian.Uint64(b)
}
