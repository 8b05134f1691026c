package store

import (
	"encoding/json"
	"fmt"
)

// Get reads and decodes the JSON record at key.
func Get[T any](tx ReadTx, table, key string) (T, error) {
	var v T
	err := Load(tx, table, key, &v)
	return v, err
}

// Load reads the JSON record at key and decodes it into v, a pointer,
// straight from the backend's memory when it can lend it (see Lend):
// decoding copies what it keeps.
func Load(tx ReadTx, table, key string, v any) error {
	b, err := Lend(tx, table, key)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("store: decode %s/%s: %w", table, key, err)
	}
	return nil
}

// Lend reads the value at key without copying it when the transaction is
// a ValueLender, and with tx.Get otherwise. The value is only valid until
// the transaction ends and must not be modified.
func Lend(tx ReadTx, table, key string) ([]byte, error) {
	if l, ok := tx.(ValueLender); ok {
		return l.LendValue(table, key)
	}
	return tx.Get(table, key)
}

// Put encodes v as JSON and writes it at key.
func Put(tx Tx, table, key string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("store: encode %s/%s: %w", table, key, err)
	}
	return tx.Put(table, key, b)
}

// List decodes every record under prefix, in key order, after `after`,
// stopping after limit records when limit > 0.
func List[T any](tx ReadTx, table, prefix, after string, limit int) ([]T, error) {
	var out []T
	err := tx.Scan(table, prefix, after, func(key string, b []byte) error {
		var v T
		if err := json.Unmarshal(b, &v); err != nil {
			return fmt.Errorf("store: decode %s/%s: %w", table, key, err)
		}
		out = append(out, v)
		if limit > 0 && len(out) >= limit {
			return ErrStop
		}
		return nil
	})
	return out, err
}
