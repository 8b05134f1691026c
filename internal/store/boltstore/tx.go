package boltstore

import (
	"errors"
	"fmt"
	"strings"

	bolt "go.etcd.io/bbolt"

	"github.com/quayside/quayside/internal/store"
)

var (
	_ store.ReadTx      = (*readTx)(nil)
	_ store.ValueLender = (*readTx)(nil)
	_ store.Tx          = (*writeTx)(nil)
)

// readTx adapts a bbolt transaction to store.ReadTx.
type readTx struct {
	tx  *bolt.Tx
	rev int64 // 0 until known: read lazily, most Views never ask
}

// writeTx adapts a writable bbolt transaction to store.Tx and records the
// events it produces.
type writeTx struct {
	readTx
	events []store.Event
}

// checkTable rejects names that are not valid table names.
func checkTable(table string) error {
	switch {
	case table == "":
		return errors.New("boltstore: empty table name")
	case table == string(metaBucket):
		return fmt.Errorf("boltstore: table name %q is reserved", table)
	}
	return nil
}

func (t *readTx) Revision() int64 {
	if t.rev == 0 {
		t.rev = readRevision(t.tx)
	}
	return t.rev
}

func (t *readTx) Get(table, key string) ([]byte, error) {
	v, err := t.LendValue(table, key)
	if err != nil {
		return nil, err
	}
	return append([]byte{}, v...), nil // v dies with the tx
}

// LendValue is Get without the copy: the value is bbolt's memory, valid
// until the transaction ends (store.ValueLender).
func (t *readTx) LendValue(table, key string) ([]byte, error) {
	if err := checkTable(table); err != nil {
		return nil, err
	}
	if b := t.tx.Bucket([]byte(table)); b != nil {
		k, v := b.Cursor().Seek([]byte(key))
		if k != nil && string(k) == key {
			return v, nil
		}
	}
	return nil, fmt.Errorf("%s %q: %w", table, key, store.ErrNotFound)
}

func (t *readTx) Scan(table, prefix, after string, fn func(key string, value []byte) error) error {
	if err := checkTable(table); err != nil {
		return err
	}
	b := t.tx.Bucket([]byte(table))
	if b == nil {
		return nil
	}
	start := prefix
	if after > start {
		start = after
	}
	c := b.Cursor()
	for k, v := c.Seek([]byte(start)); k != nil; k, v = c.Next() {
		key := string(k)
		if !strings.HasPrefix(key, prefix) {
			break
		}
		if key <= after {
			continue
		}
		if err := fn(key, v); err != nil {
			if errors.Is(err, store.ErrStop) {
				return nil
			}
			return err
		}
	}
	return nil
}

func (t *readTx) ScanReverse(table, prefix, before string, fn func(key string, value []byte) error) error {
	if err := checkTable(table); err != nil {
		return err
	}
	b := t.tx.Bucket([]byte(table))
	if b == nil {
		return nil
	}
	// Start below the smaller of before and the first key past the
	// prefix; every key from there down to the prefix has the prefix.
	bound, bounded := prefixEnd(prefix)
	if before != "" && (!bounded || before < bound) {
		bound, bounded = before, true
	}
	c := b.Cursor()
	var k, v []byte
	if !bounded {
		k, v = c.Last()
	} else if k, v = c.Seek([]byte(bound)); k == nil {
		k, v = c.Last()
	} else {
		k, v = c.Prev()
	}
	for ; k != nil; k, v = c.Prev() {
		key := string(k)
		if !strings.HasPrefix(key, prefix) {
			break
		}
		if err := fn(key, v); err != nil {
			if errors.Is(err, store.ErrStop) {
				return nil
			}
			return err
		}
	}
	return nil
}

// prefixEnd returns the smallest key that sorts after every key starting
// with prefix, and false when there is none (prefix is empty or all 0xff).
func prefixEnd(prefix string) (string, bool) {
	for i := len(prefix) - 1; i >= 0; i-- {
		if prefix[i] != 0xff {
			return prefix[:i] + string([]byte{prefix[i] + 1}), true
		}
	}
	return "", false
}

func (t *writeTx) Put(table, key string, value []byte) error {
	if err := checkTable(table); err != nil {
		return err
	}
	b, err := t.tx.CreateBucketIfNotExists([]byte(table))
	if err != nil {
		return fmt.Errorf("boltstore: create table %s: %w", table, err)
	}
	value = append([]byte{}, value...) // the caller may reuse its slice
	if err := b.Put([]byte(key), value); err != nil {
		return fmt.Errorf("boltstore: put %s %q: %w", table, key, err)
	}
	t.events = append(t.events, store.Event{Table: table, Key: key, Value: value})
	return nil
}

func (t *writeTx) Delete(table, key string) error {
	if err := checkTable(table); err != nil {
		return err
	}
	b := t.tx.Bucket([]byte(table))
	if b == nil {
		return nil
	}
	if k, _ := b.Cursor().Seek([]byte(key)); k == nil || string(k) != key {
		return nil // deleting a missing key is not a change
	}
	if err := b.Delete([]byte(key)); err != nil {
		return fmt.Errorf("boltstore: delete %s %q: %w", table, key, err)
	}
	t.events = append(t.events, store.Event{Table: table, Key: key, Deleted: true})
	return nil
}

func (t *writeTx) NextSequence(name string) (uint64, error) {
	if name == "" {
		return 0, errors.New("boltstore: empty sequence name")
	}
	seqs := t.tx.Bucket(metaBucket).Bucket(sequencesBucket)
	next := decodeUint(seqs.Get([]byte(name))) + 1
	if err := seqs.Put([]byte(name), encodeUint(next)); err != nil {
		return 0, fmt.Errorf("boltstore: sequence %q: %w", name, err)
	}
	return next, nil
}
