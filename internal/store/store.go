// Package store is Quayside's durable, transactional state: an ordered
// key-value space split into tables, with closures for transactions and a
// watch stream for controllers.
//
// The interface is small so that a second backend (etcd) can implement it.
// Every backend passes the conformance suite in store/storetest. The
// bbolt backend, the default, lives in store/boltstore; its file layout
// and migrations are drawn in that package's doc.
//
// Values are opaque bytes to the store. The typed helpers Get, Put and
// List encode domain records as JSON.
//
// Tables and their keys (every key begins with region/account so that
// resources are scoped as in AWS). Every successful Update is one
// revision, even one that writes nothing; deleting a missing key is not
// an event.
//
//	ecs.*     see package ecs/ecsdb for the ECS tables and their keys
//
// Each service declares its tables next to the package that owns them,
// with keys that begin <region>/<account>/.
package store

import (
	"context"
	"errors"
)

// Errors returned by every backend.
var (
	ErrNotFound = errors.New("store: key not found")
	ErrClosed   = errors.New("store: closed")
	// ErrStop ends a Scan early without error.
	ErrStop = errors.New("store: stop scan")
)

// Store is a transactional key-value store with a watch stream.
type Store interface {
	// View runs fn in a read-only transaction that sees one consistent
	// snapshot.
	View(ctx context.Context, fn func(ReadTx) error) error
	// Update runs fn in a read-write transaction. If fn returns nil the
	// transaction is committed durably (fsync) before Update returns;
	// otherwise nothing it wrote is kept. fn may be called more than once
	// (backends batch concurrent writers), so it must not have side effects
	// outside the transaction.
	Update(ctx context.Context, fn func(Tx) error) error
	// Watch streams the changes committed after it is called, one batch per
	// transaction, for the given tables (all tables if none). The channel
	// is closed when ctx ends or the store closes. A watcher that falls
	// behind receives a batch with Resync set instead of the changes it
	// missed, and must re-read what it cares about.
	Watch(ctx context.Context, tables ...string) <-chan Batch
	// Close waits for open transactions and releases the store.
	Close() error
}

// ReadTx reads within a transaction.
type ReadTx interface {
	// Get returns the value of key in table, or ErrNotFound.
	Get(table, key string) ([]byte, error)
	// Scan calls fn for every key in table that starts with prefix and
	// sorts after `after` (use "" to start at the prefix), in key order.
	// Returning ErrStop from fn ends the scan and Scan returns nil.
	// The value slice is only valid during the call.
	Scan(table, prefix, after string, fn func(key string, value []byte) error) error
	// ScanReverse is Scan backwards: it calls fn for every key in table
	// that starts with prefix and sorts before `before` (use "" to start
	// at the prefix's last key), in reverse key order. Returning ErrStop
	// from fn ends the scan and ScanReverse returns nil. The value slice
	// is only valid during the call.
	ScanReverse(table, prefix, before string, fn func(key string, value []byte) error) error
	// Revision is the store's revision as of this transaction: it grows by
	// one with every committed write transaction.
	Revision() int64
}

// ValueLender is an optional interface of a ReadTx: LendValue is Get
// without the copy, for a backend that can hand out its own memory. The
// value is only valid until the transaction ends and must not be
// modified. The typed helpers Get and Load use it when a backend has it.
type ValueLender interface {
	LendValue(table, key string) ([]byte, error)
}

// Tx reads and writes within a transaction.
type Tx interface {
	ReadTx
	// Put sets key in table to value, creating the table if needed.
	Put(table, key string, value []byte) error
	// Delete removes key from table. Deleting a missing key is not an error.
	Delete(table, key string) error
	// NextSequence returns the next value (starting at 1) of the named
	// counter. Counters are durable and never reuse a committed value; a
	// value taken in a rolled-back transaction may be handed out again.
	NextSequence(name string) (uint64, error)
}

// Event is one committed change.
type Event struct {
	Table   string
	Key     string
	Value   []byte // nil when Deleted; shared between watchers: do not modify
	Deleted bool
}

// Batch is the set of changes one transaction committed.
type Batch struct {
	Revision int64
	Events   []Event
	// Resync tells a watcher that it missed changes and must re-read.
	Resync bool
}
